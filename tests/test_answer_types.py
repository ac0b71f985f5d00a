"""What the answer to a question must hold, read on the quoted sentence (`index.answer_types`):
the kind of answer a question plainly asks, and whether a sentence gives one."""

from dataclasses import replace

import numpy as np
import pytest

from index.analysis import stem
from index.answer_type_rules import answer_type_given
from index.answer_types import asked_answer_type, counts_all_of, gives_answer_type
from index.candidates import Candidate, measured_first
from index.conversation import Reading
from index.reordering import TermMatch
from index.rulings import WhatIsAsked
from index.sentences import sentence_spans
from index.store import ArticleRow, PassageRow


@pytest.mark.parametrize(
    "sentence, whole",
    [
        ("Les 230 bénévoles du festival seront consultés en novembre.", True),
        ("Le port a perdu ses 140 dockers.", True),
        ("Le car transportait 34 élèves.", True),  # a verb of having or carrying before the count
        ("Un car transportant 34 élèves s'est couché dans un fossé.", True),
        ("Le festival mobilise 230 bénévoles chaque été.", True),
        ("L'opposition de gauche, qui compte six élus, a voté contre.", False),  # another's total
        ("Les 17 élèves blessés ont été transportés à Lodève.", False),  # restricted by a participle
        ("Les 40 bénévoles de la buvette ont servi 3 000 repas.", False),  # « de la X », a part
        ("Les 12 élèves qui ont pris le car ont été hospitalisés.", False),  # a relative clause
        ("Les 30 élèves francophones ont chanté.", False),  # an adjective
        ("Ces 12 élèves ont été hospitalisés.", False),  # « ces » points at some already named
        ("Onze élus de sa majorité ont voté contre.", False),  # no determiner: a number of them
    ],
)
def test_a_whole_is_counted_after_a_definite_or_possessive_determiner_or_a_verb_of_having(sentence, whole):
    """ "Combien d'élèves y avait-il dans le car ?": the whole is counted by « les / ses » and the
    number before the noun asked, nothing after it restricting it, or by a verb of having or
    carrying before the number (« transportait 34 élèves ») whose subject is whose total is
    asked; not a part (review78a)."""
    nouns = frozenset({stem("élèves"), stem("bénévoles"), stem("dockers"), stem("élus")})
    owners = frozenset({stem("car"), stem("festival"), stem("conseil")})
    assert counts_all_of(sentence, nouns, owners) is whole


def gives(question: str, sentence: str) -> bool:
    asked = asked_answer_type(question)
    assert asked is not None, question
    return gives_answer_type(sentence, asked, question)


@pytest.mark.parametrize(
    "question, kind",
    [
        ("Qui dirige EDF ?", "head"),
        ("Qui présidait le club ?", "head"),
        ("Qui est le maire de Poitiers ?", "head"),
        ("Combien de manifestants ont été interpellés ?", "count"),
        ("Quand la loi entrera-t-elle en vigueur ?", "date"),
        ("En quelle année le musée rouvrira-t-il ?", "year"),
        ("Qui représente la Ligue contre la violence routière ?", "head"),
        ("Qui les représente ?", "head"),
        ("Qui la dirige ?", "head"),
        ("C'était quand ?", "date"),  # spoken French asks at the end
        ("Ça s'est passé quand ?", "date"),
    ],
)
def test_a_question_saying_plainly_what_it_wants_is_read_so(question, kind):
    assert asked_answer_type(question).kind == kind


@pytest.mark.parametrize(
    "question",
    [
        "Combien coûte le billet ?",  # an amount: `measure_stated` reads it
        "Combien de temps a duré l'arrêt ?",  # a duration, likewise
        "Combien d'argent possédait-elle ?",  # an amount, « 832 000 euros »: measured, not counted
        "Qui est le père de Charles ?",  # kin, not an office
        "Qui est l'auteur de Don Quichotte ?",  # a deed's doer: « écrit par Cervantes »
        "Qui sont les adjoints du maire ?",  # a group
        "Combien de munitions ?",  # a noun alone: what is said of it answers too
        "Qui a fondé l'entreprise ?",  # a deed: `doer_said` reads it
        "Que prévoit la loi ?",
        "Depuis quand ?",  # a start, which « depuis le 6 septembre » says
        "Jusqu'à quand ?",  # an end
        "Pour quand ?",  # a deadline
    ],
)
def test_a_question_not_saying_which_answer_type_it_wants_is_not_checked(question):
    assert asked_answer_type(question) is None


def test_a_head_is_a_name_beside_its_role_in_the_same_sentence():
    assert gives("Qui est le maire de Serquigny ?", "« On nous oublie », dénonce le maire, Jean-Luc Collet.")
    assert gives(
        "Qui préside le club ?", "« Ce sont les enfants qui paient », déplore la présidente du club, Sylvie Mazars."
    )
    assert gives(
        "Qui dirige le festival ?", "« On a changé », s'émeut Julien Vayssettes, directeur et cofondateur du festival."
    )
    # The organisation named, nobody at its head.
    assert not gives("Qui dirige SNCF Voyageurs ?", "SNCF Voyageurs a recruté 38 conducteurs cette année.")
    assert not gives(
        "Qui est le préfet de l'Aveyron ?", "Il partira dès que le préfet de l'Aveyron aura accepté sa démission."
    )
    # Someone else's role: another's aide, the other party's lawyer.
    assert not gives(
        "Qui est le maire de Marseille ?",
        "L'adjoint au maire chargé du logement, Rachid Benali, a rappelé les chiffres.",
    )
    assert not gives(
        "Qui est l'avocat du propriétaire ?",
        "« Une décision forte », s'est félicitée Me Claire Lambert, avocate des locataires.",
    )


def test_a_count_is_a_number_that_counts_and_a_share_an_amount_or_a_duration_counts_nothing():
    assert gives("Combien de conducteurs ont été recrutés ?", "SNCF Voyageurs a recruté 38 conducteurs cette année.")
    assert gives(
        "Combien de familles occupaient l'immeuble ?", "Il versera 8 000 euros à chacune des vingt-deux familles."
    )
    assert gives("Combien de voûtes ont été bâties ?", "Vingt-et-un voûtes ont été construites.")
    assert gives("Combien de personnes ont été interpellées ?", "La préfecture a fait état de onze interpellations.")
    assert gives("Combien de malades ont été signalés ?", "Aucun cas de maladie lié à ces fromages n'a été signalé.")
    # A share of what is asked, or what is asked as a unit, counts it.
    assert gives("Combien de voix obtient-elle ?", "Elle obtient 5,72 % des voix à l'élection.")
    assert gives(
        "Combien de points de vente compte-t-il ?", "Le système collecte les données de 4 500 points de vente."
    )
    # A share, a duration, a year: no count of anything.
    assert not gives(
        "Combien de conducteurs manque-t-il ?", "Seuls 86 % des TER sont arrivés à l'heure, faute de conducteurs."
    )
    assert not gives("Combien d'élus compte le conseil ?", "Le conseil devra se réunir dans les quinze jours.")
    assert not gives(
        "Combien de locataires ont porté plainte ?", "Depuis 2018, l'avocate des locataires salue une décision forte."
    )
    # "neuf" counts where it is nine, not where it is new.
    assert gives("Combien de blessés ont été transportés ?", "Neuf blessés ont été transportés à l'hôpital.")
    assert not gives("Combien de bâtiments ont été construits ?", "Un bâtiment neuf a été construit.")
    # Four digits are a year unless followed by what they count.
    assert gives("Combien de manifestants ont défilé ?", "Environ 1500 manifestants ont défilé samedi.")
    assert gives("Combien de participants étaient attendus ?", "Les organisateurs attendaient 2000 personnes.")
    assert not gives("Combien de salariés compte l'usine ?", "L'usine a ouvert en 1998 près de Rennes.")
    assert not gives("Combien de conducteurs manque-t-il ?", "En 2025, seuls 86 % des TER sont arrivés à l'heure.")


def test_a_count_of_another_noun_does_not_count_what_is_asked():
    """« 38 conducteurs » counts drivers, not the travellers of "SNCF Voyageurs"; a count of
    anyone, a noun holding the one asked, a noun of the question, a number with no noun after
    it, or the noun asked said of those counted, count it."""
    assert not gives(
        "Combien de voyageurs empruntent la ligne ?", "SNCF Voyageurs a recruté 38 conducteurs cette année."
    )
    assert not gives("Combien de médecins sont partis ?", "L'ONG Médecins sans frontières a envoyé 12 camions.")
    # Counted by other words than the question's, it may be what is asked.
    assert gives("Combien de tableaux a-t-il réalisés ?", "Cézanne peindra 45 portraits de sa femme.")
    assert not gives("Combien de cars circulent ?", "Le service reprendra le 14 décembre.")  # a day
    assert not gives("Combien de buts a-t-elle marqués ?", "Elle a ouvert le score à la 12e minute.")  # a rank
    assert gives("Combien de morts a fait l'incendie ?", "Deux personnes sont mortes dans l'incendie.")
    assert gives("Combien de pompiers sont intervenus ?", "Quelque 85 sapeurs-pompiers et 27 engins ont été mobilisés.")
    assert gives(
        "Combien de blessés a-t-on relevés ?", "Quatorze autres habitants ont été blessés, dont trois grièvement."
    )
    assert gives(
        "Combien de salariés travaillent sur le site ?", "Il supprime 180 postes sur les 520 que compte le site."
    )
    assert gives("Combien de familles ont été relogées ?", "Quarante et une familles ont été relogées.")
    # Asked for people in general, any count may be of them.
    assert gives("Combien de personnes ont assisté au concert ?", "Le concert a réuni 21 000 spectateurs.")


def test_a_count_per_what_is_asked_does_not_count_it():
    """« 17 élèves par classe » says how many pupils each class holds, not how many classes
    there are; the noun counted per class is still counted."""
    assert not gives("Combien de classes compte l'école ?", "L'école compte désormais 17 élèves par classe.")
    assert not gives("Combien d'hôpitaux compte la région ?", "Elle a recruté trois médecins pour chaque hôpital.")
    assert gives("Combien de classes compte l'école ?", "L'école compte onze classes, avec 17 élèves par classe.")
    assert gives("Combien d'élèves y a-t-il par classe ?", "L'école compte désormais 17 élèves par classe.")


def test_a_date_is_any_time_expression_and_a_sentence_without_one_gives_none():
    assert gives(
        "Quand les horaires changent-ils ?", "À partir du dimanche 14 décembre, la liaison passera à quatorze trains."
    )
    assert gives("Quand le chantier finira-t-il ?", "Il doit s'achever au printemps.")
    assert gives("Quand a-t-il été élu ?", "Élu en 2020, il a été réélu.")
    assert gives("Quand est-elle devenue un foyer culturel ?", "Athènes devient un foyer culturel vers 875.")
    assert not gives(
        "Quand le décret sera-t-il publié ?", "Un décret précisera les modalités du recueil du consentement."
    )
    assert not gives(
        "Quand les travaux commenceront-ils ?", "Un bailleur social devra engager une rénovation complète."
    )
    # The question's own words, or a word naming a date without giving one, are no answer.
    assert not gives("Quand la rentrée aura-t-elle lieu ?", "La rentrée aura lieu dans un nouveau bâtiment.")
    assert not gives("Quand le décret sera-t-il publié ?", "Le décret précisera la date d'entrée en vigueur.")
    # An event it depends on is a time too: "only after a phase 3" is what news can say.
    assert gives(
        "Quand sera-t-il commercialisé ?", "Une commercialisation ne pourrait intervenir qu'après une phase 3."
    )


def test_asked_when_something_ends_a_date_of_its_start_is_no_answer_nor_the_reverse():
    assert not gives("Quand les travaux seront-ils terminés ?", "Les travaux doivent débuter en janvier.")
    assert not gives("Quand le chantier commencera-t-il ?", "Le chantier s'achèvera en juin 2027.")
    assert gives("Quand les travaux seront-ils terminés ?", "Commencés en mars, les travaux seront terminés en juin.")
    assert gives("Quand les travaux prendront-ils fin ?", "Les travaux se poursuivront jusqu'à la fin de l'été.")
    assert gives("Quand les travaux commenceront-ils ?", "Les travaux doivent débuter en janvier.")
    assert gives("Quand se termine la période ?", "Elle commence en 1200 av. J.-C. et s'étend jusque vers 1015.")


def test_asked_when_a_quote_without_a_date_gives_way_to_its_passage_s_sentence_that_dates_it():
    """« La fonderie a cessé son activité … C'était le 3 octobre, … »: the passage dates the event
    in a sentence of its own; the sentence naming it, quoted first, gives way to it. A passage
    with no date at all is not an answer to "Quand … ?"."""
    question = "Quand la fonderie a-t-elle cessé son activité ?"
    asked = WhatIsAsked.of(Reading(question, question))
    dated = "La fonderie a cessé son activité, laissant ses salariés sans emploi. C'était le 3 octobre, en plein hiver."
    ruling = answer_type_given([quoting_first_sentence(dated)], asked)
    start, end = ruling.order[0].quote
    # Quoted with the sentence before it, which "C'était" stands for.
    assert ruling.stands and dated[start:end].endswith("C'était le 3 octobre, en plein hiver.")

    undated = "La fonderie a cessé son activité, laissant ses salariés sans emploi. Le maire a regretté ce choix."
    ruling = answer_type_given([quoting_first_sentence(undated)], asked)
    assert not ruling.stands and ruling.order[0].quote == (0, undated.index(" Le maire"))


def quoting_first_sentence(text: str) -> Candidate:
    """A candidate passage of `text` quoting its first sentence, which its scores rank first."""
    spans = sentence_spans(text)
    article = ArticleRow(1, "Titre", None, None, None, None, "2026-01-01T00:00:00Z", 1)
    row = PassageRow(1, 1, 0, 0, len(text), None, text, article)
    scores = np.linspace(1.0, 0.0, len(spans))
    return Candidate(
        row, 0.0, 1, None, None, 0.0, spans, np.zeros((len(spans), 1)), scores, spans[0], TermMatch(1, 1, 1, 1)
    )


def test_asked_whose_office_the_passage_names_its_holder_where_he_speaks_and_that_sentence_is_quoted():
    """ "Qui est le maire de Serquigny ?": the passage names the town in one sentence and its
    mayor where he speaks, in the next; a first quote naming the town alone gives way to it. A
    head asked by its verb ("Qui dirige SNCF Voyageurs ?") is not moved: a passage's « son
    président » may be another body's, and no complement ties it to the one asked."""
    passage = (
        "À Serquigny, une pétition contre la suppression de l'arrêt a réuni 3 400 signatures. "
        "« On nous dit d'aller à Bernay en voiture », dénonce le maire, Jean-Luc Collet."
    )
    question = "Qui est le maire de Serquigny ?"
    ruling = answer_type_given([quoting_first_sentence(passage)], WhatIsAsked.of(Reading(question, question)))
    start, end = ruling.order[0].quote
    assert ruling.stands and passage[start:end].endswith("dénonce le maire, Jean-Luc Collet.")

    other = (
        "SNCF Voyageurs a recruté 38 conducteurs cette année. "
        "« Un train de plus sur le papier n'est pas un train sur le quai », prévient son président, Bertrand Quesnel."
    )
    question = "Qui dirige SNCF Voyageurs ?"
    ruling = answer_type_given([quoting_first_sentence(other)], WhatIsAsked.of(Reading(question, question)))
    assert not ruling.stands and ruling.order[0].quote == (0, other.index(" «"))


def test_a_quantity_asked_in_the_future_is_quoted_where_the_passage_says_what_it_will_be():
    """ "Combien ça va coûter ?" after a question on free buses: of two passages stating amounts,
    the one saying what the measure will cost comes first, quoting that sentence (in the
    question's word, « coûtera »), not today's ticket price nor what else the future holds
    (« … passeront de 1,1 million à 700 000 euros »)."""
    today = "Aujourd'hui, un ticket à l'unité coûte 1,60 euro et l'abonnement mensuel 34 euros."
    ahead = (
        "Elle sera financée par une baisse des dépenses de communication, qui passeront de 1,1 million à 700 000 "
        "euros. La mesure coûtera environ 2,3 millions d'euros par an à la collectivité."
    )
    first, second = quoting_first_sentence(today), quoting_first_sentence(ahead)
    second = replace(second, row=replace(second.row, id=2), fused_rank=2)
    order, answers = measured_first([first, second], "Combien ça va coûter ?", "money")
    start, end = order[0].quote
    assert answers and order[0].row.id == 2 and ahead[start:end].startswith("La mesure coûtera")
    # Asked in the present, the order is the passage model's.
    order, _ = measured_first([first, second], "Combien coûte un ticket ?", "money")
    assert order[0].row.id == 1


def test_a_head_is_not_the_name_of_what_is_headed_nor_the_holder_of_another_place_s_office():
    """« La direction d'Aéroservices propose … » names the company whose head is spoken of, not
    its head; « le maire de Marvejols, Jean-Pierre Vidal » is no mayor of Saint-Chély-d'Apcher.
    The holder named after the body's name, or of the place asked, still is."""
    assert not gives("Qui dirige Aéroservices ?", "La direction d'Aéroservices propose une prime de 400 euros.")
    assert gives("Qui dirige Aéroservices ?", "Son directeur général, Olivier Marchetti, rappelle les pertes.")
    assert gives("Qui dirige l'OTAN ?", "Jens Stoltenberg, le secrétaire général de l'OTAN, a parlé.")
    assert gives("Qui est le président du pays ?", "Le président de la République, Emmanuel Macron, a parlé.")
    sheltered = "« Nous avons hébergé 230 personnes », précise le maire de Marvejols, Jean-Pierre Vidal."
    assert not gives("Qui est le maire de Saint-Chély-d'Apcher ?", sheltered)
    assert gives("Qui est le maire de Marvejols ?", sheltered)
    assert gives("Qui est le maire de la cité phocéenne ?", "Le maire de Marseille, Benoît Payan, a parlé.")


def test_a_head_of_the_place_or_body_asked_spelled_otherwise_is_its_head():
    """« L'entraîneur du Paris Saint-Germain, Luis Enrique » is the coach of the PSG asked: an
    acronym, a hyphen, a shorter or a longer name (« Météo-France », « Saint-Chély », « la
    Nouvelle-Aquitaine et de la Gironde ») name the same place or body; « Villeurbanne » is not
    « Lyon »."""
    assert gives("Qui est l'entraîneur du PSG ?", "L'entraîneur du Paris Saint-Germain, Luis Enrique, a parlé.")
    assert gives("Qui est le président de l'OM ?", "Le président de l'Olympique de Marseille, Pablo Longoria, a parlé.")
    assert gives("Qui est le directeur de Météo France ?", "Le directeur de Météo-France, Virginie Schwarz, a parlé.")
    assert gives("Qui est le maire de Saint-Chély-d'Apcher ?", "Le maire de Saint-Chély, Pierre Lafont, a parlé.")
    prefect = "Le préfet de la Nouvelle-Aquitaine et de la Gironde, Étienne Guyot, a parlé."
    assert gives("Qui est le préfet de la Gironde ?", prefect)
    assert not gives("Qui est le maire de Lyon ?", "Le maire de Villeurbanne, Cédric Van Styvendael, a parlé.")


def test_a_count_of_another_participant_the_question_names_does_not_count_what_is_asked():
    """ "Combien d'hôtels ont accueilli les passagers ?" is not answered by « 9 000 passagers »: the
    question names the passengers beside the hotels asked. A word of its verb still counts
    (« onze interpellations » for "… interpellées ?")."""
    stranded = "Environ 9 000 passagers ont vu leur départ supprimé ou retardé."
    assert not gives("Combien d'hôtels ont accueilli les passagers ?", stranded)
    assert gives("Combien de passagers ont été touchés par la grève ?", stranded)
    assert gives("Combien d'agents ont été interpellés ?", "La police a procédé à onze interpellations.")
    # What is theirs is counted by its own noun: « 23 postes » for their posts.
    assert gives(
        "Combien de professeurs vont perdre leur poste ?", "Selon lui, 23 postes d'enseignants seront supprimés."
    )


def test_one_alone_and_a_million_are_counts():
    """« un seul petit » counts one, « un million de visiteurs » a million; « un petit » alone is
    an article."""
    assert gives("Combien de petits une femelle a-t-elle chaque année ?", "Une femelle met bas un seul petit par an.")
    assert not gives("Combien de petits sont nés ?", "Une femelle met bas un petit sur le sable.")
    # A number of times counts nothing asked.
    assert not gives("Combien de visiteurs a reçu le musée ?", "Il avait été exposé une seule fois, en 1886.")
    assert gives("Combien de visiteurs vient-il chaque année ?", "Le site accueille un million de visiteurs.")
    assert gives("Combien de touristes viennent en baie de Somme ?", "Leur nombre dépasse le million chaque année.")


def test_an_hour_counts_nothing():
    """« la vente de 16 h 30 » is a time of day, no count of boats."""
    assert not gives("Combien de bateaux compte le port ?", "Les bateaux rentrent pour la vente de 16 h 30.")
    assert gives("Combien de bateaux compte le port ?", "Le port compte 38 bateaux.")


def test_the_noun_asked_counted_in_the_singular_is_counted_by_name():
    """« un seul petit » counts the "petits" asked, though the stemmer reads the two apart."""
    asked = asked_answer_type("Combien de petits une femelle a-t-elle chaque année ?")
    question = "Combien de petits une femelle a-t-elle chaque année ?"
    assert gives_answer_type("Une femelle met bas un seul petit par an.", asked, question, by_name=True)


def test_a_head_of_the_place_asked_in_lower_case_is_its_head():
    """Telegram users often type no capital: "qui est le maire de Lyon ?" names Lyon all the same,
    and « Grégory Doucet, maire de Lyon » is its mayor."""
    doucet = "Grégory Doucet, maire de Lyon, a inauguré la passerelle."
    assert gives("qui est le maire de Lyon ?", doucet)
    assert gives("Qui est le maire de Lyon ?", doucet)
    assert not gives("qui est le maire de Lyon ?", "Le maire de Villeurbanne, Cédric Van Styvendael, a parlé.")


def test_a_head_of_a_place_or_body_sharing_a_piece_of_the_name_asked_is_another_s():
    """Two names sharing a piece are two places or bodies: the prefect of Hauts-de-France is not
    that of Hauts-de-Seine, « RC Lens » no « Racing Club de Strasbourg », « Paris Saint-Germain »
    no « PS ». The same words, one the start of the other, or an acronym equal to the other's
    initials still name one."""
    assert not gives(
        "Qui est le préfet des Hauts-de-Seine ?", "Le préfet des Hauts-de-France, Georges-François Leclerc, a parlé."
    )
    assert not gives("Qui est le maire d'Aix-les-Bains ?", "Le maire d'Aix-en-Provence, Sophie Joissains, a parlé.")
    assert not gives(
        "Qui est le maire de Villeneuve-d'Ascq ?", "Le maire de Villeneuve-sur-Lot, Guillaume Lepers, a parlé."
    )
    assert not gives(
        "Qui est le président du Racing Club de Strasbourg ?", "Le président du RC Lens, Joseph Oughourlian, a parlé."
    )
    assert not gives(
        "Qui est le président du PS ?", "Le président du Paris Saint-Germain, Nasser Al-Khelaïfi, a parlé."
    )
    assert gives("Qui est le préfet des Hauts-de-Seine ?", "Le préfet des Hauts-de-Seine, Alexandre Brugère, a parlé.")
    assert gives("Qui est le maire de Saint-Chély ?", "Le maire de Saint-Chély-d'Apcher, Pierre Lafont, a parlé.")


def test_a_count_per_a_noun_of_an_act_or_a_vehicle_counts_no_total():
    """« 25 élèves par section » or « 50 passagers par bus » say how many in each, not how many in
    all: "Combien d'élèves compte le lycée ?" is not answered by them."""
    assert not gives("Combien d'élèves compte le lycée ?", "Le lycée accueille 25 élèves par section.")
    assert not gives("Combien de passagers ont voyagé ?", "On compte 50 passagers par bus.")
    assert not gives("Combien de médailles ont été remises ?", "Le règlement prévoit 3 médailles par nation.")
    assert gives("Combien d'élèves compte le lycée ?", "Le lycée compte 900 élèves.")


TWO_MAYORS = "Le maire de Decazeville, François Marty, et celui d'Aubin, André Martinez, ont écrit au ministre."


def test_the_head_of_a_second_body_said_by_celui_is_named_after_it():
    """« … et celui d'Aubin, André Martinez » names Aubin's mayor, as « Le maire de
    Decazeville, François Marty » names Decazeville's."""
    assert gives("Qui est le maire d'Aubin ?", TWO_MAYORS)
    assert gives("Qui est le maire de Decazeville ?", TWO_MAYORS)
    assert gives(
        "Qui est la présidente de la région ?",
        "La présidente du département, Hélène Roux, et celle de la région, Carole Delga, ont signé.",
    )


@pytest.mark.parametrize(
    "question, sentence",
    [
        # A third town: neither body is it.
        ("Qui est le maire de Rodez ?", TWO_MAYORS),
        # « celui d'Aubin » naming nobody after it: the name before is Decazeville's mayor.
        ("Qui est le maire d'Aubin ?", "Le maire de Decazeville, François Marty, a écrit à celui d'Aubin."),
        # No role said before it: « celui » stands for nothing asked.
        ("Qui est le maire d'Aubin ?", "Celui d'Aubin, André Martinez, a écrit."),
        # Another role said before it: « celle de la région » is no president.
        (
            "Qui est le président de la région ?",
            "Le maire de Dijon, Paul Martin, et celui de Beaune, Jean Roy, ont écrit à celle de la région.",
        ),
        # « celui-ci » is no role of another body.
        (
            "Qui est le maire d'Aubin ?",
            "Le maire de Decazeville, François Marty, a lu celui-ci à Aubin devant André Martinez.",
        ),
    ],
)
def test_celui_stands_for_the_role_only_said_before_it_with_its_own_body_and_holder(question, sentence):
    assert not gives(question, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # « celui d'Aubin » names no one in apposition: Martinez defends the file.
        "Le maire de Decazeville, François Marty, a évoqué le dossier de l'hôpital, celui d'Aubin, défendu par "
        "André Martinez.",
        # « celui » stands for the deputy's role, not the mayor's: « au maire » is another's.
        "L'adjoint au maire de Decazeville, Paul Roy, et celui d'Aubin, André Martinez, ont signé.",
        # « ceux » stands for several, never for one mayor.
        "Le maire de Decazeville a reçu les élus, ceux d'Aubin, menés par André Martinez.",
        # « celui d'Aubin » the object of a verb, the name after another noun.
        "Le maire de Decazeville, François Marty, a rencontré celui d'Aubin et le préfet, André Martinez.",
    ],
)
def test_celui_stands_for_the_role_only_joined_to_it_of_its_number_with_a_name_apposed(sentence):
    assert not gives("Qui est le maire d'Aubin ?", sentence)


def test_celle_stands_only_for_a_feminine_role_and_ceux_for_none():
    """« celle de la région, critiquée par Carole Delga » names who criticised it; « celle »
    cannot stand for « le président »."""
    assert not gives(
        "Qui est la présidente de la région ?",
        "La présidente du département, Hélène Roux, a défendu sa politique, celle de la région, critiquée par "
        "Carole Delga.",
    )
    assert not gives(
        "Qui est le président de la région ?",
        "Le président du département, Jean Roux, et celle de la région, Carole Delga, ont signé.",
    )
    assert gives(
        "Qui est le maire d'Aubin ?",
        "Le maire de Decazeville, François Marty, ainsi que celui d'Aubin, André Martinez, ont signé.",
    )


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "Qui préside la communauté de communes ?",
            "La présidente de la communauté de communes de l'île d'Oléron, Catherine Dubreuil, soutient le projet.",
        ),
        (
            "Qui préside le conseil d'administration du Sdis ?",
            "Le président du conseil d'administration du Sdis de l'Ardèche, Denis Vallon, promet une réouverture.",
        ),
        (
            "Qui préside la communauté de communes ?",
            "« Nous signerons », a déclaré la présidente de la communauté de communes de Ré, Lina Béchade.",
        ),
    ],
)
def test_a_head_named_after_a_long_complement_of_the_role_is_its_head(question, sentence):
    """« La présidente de la communauté de communes de l'île d'Oléron, Catherine Dubreuil, … »:
    the name in apposition after the role's whole complement, however long, is its holder."""
    assert gives_answer_type(sentence, asked_answer_type(question), question)


@pytest.mark.parametrize(
    "sentence",
    [
        "La présidente de la communauté de communes de l'île d'Oléron, qui soutient le projet, a parlé.",
        "La présidente de la communauté de communes de l'île d'Oléron, en 2019, a soutenu le projet.",
        "La présidente de la communauté de communes de l'île d'Oléron et des Pertuis a démissionné, Oléron reste.",
        "La présidente de la communauté de communes de l'île d'Oléron, Oléron Plage, soutient le projet.",
        # The main clause's subject, a place, a day: no apposition naming a person.
        "Selon la présidente de la communauté de communes de l'île d'Oléron, Jean Roy a démissionné.",
        "Aux côtés de la présidente de la communauté de communes de l'île d'Oléron, Jean Roy a signé.",
        "La présidente de la communauté de communes de l'île de Ré, Charente-Maritime, a signé.",
        "La présidente de la communauté de communes de l'île d'Oléron, Lundi, a signé la convention.",
    ],
)
def test_no_head_after_a_complement_holding_a_verb_a_relative_or_the_questions_own_name(sentence):
    """After the complement, a relative (« qui »), a date (« en 2019 »), a verb before the comma
    (« a démissionné »), a word of the question (« Oléron »), a name not closed by a comma, the
    main clause's subject (« …, Jean Roy a démissionné »), a place or a day: no head named."""
    question = "Qui préside la communauté de communes d'Oléron ?"
    assert not gives_answer_type(sentence, asked_answer_type(question), question)


@pytest.mark.parametrize(
    ("question", "sentence", "counts"),
    [
        (
            "Combien de matches nuls ont-ils fait ?",
            "Le FC Mulhouse ne jouera plus en National 2 la saison prochaine.",
            False,
        ),
        ("Combien de buts a-t-il marqués ?", "Il a rejoint la Ligue 1 cet été.", False),
        ("Combien de téléspectateurs ont regardé ?", "Le débat passait mardi sur France 3 à la mi-journée.", False),
        ("Combien de manifestants ont défilé ?", "À Lyon, 300 manifestants ont défilé.", True),  # after a comma
        ("Combien de blessés y a-t-il eu ?", "Dont 12 blessés graves, selon les pompiers.", True),  # first word
        ("Combien de manifestants ont défilé ?", "Ils étaient 300 à Lyon.", True),
        ("Combien de matches ont-ils gagnés ?", "Le club, qui évolue en National 2, a gagné 6 matches.", True),
        ("Combien de salariés compte le site ?", "Le site de Rennes 2 emploie 300 salariés.", True),
        ("Combien de personnes ont manifesté ?", "Selon la CGT 3 000 personnes ont défilé samedi.", True),
        ("Combien d'exploitations ont fermé ?", "En Bretagne 300 exploitations ont fermé depuis 2020.", True),
        ("Combien d'emplois ont été créés ?", "D'après l'Insee 12 000 emplois ont été créés.", True),
        ("Combien de personnes ont été évacuées ?", "Il a précisé : « Environ 300 personnes ont été évacuées ».", True),
        ("Combien de buts a-t-il marqués ?", "Il joue en Ligue 1 après un passage en National.", False),
    ],
)
def test_a_number_ending_a_name_counts_nothing(question, sentence, counts):
    """« en National 2 », « la Ligue 1 », « sur France 3 »: a number a space after a capitalised
    word inside the sentence is part of a name, no count of what is asked; a number after a comma
    or the sentence's first word, or another number beside the name, still counts, and so does
    one in thousands or a plural word follows, after a phrase with no comma (« Selon la CGT 3 000
    personnes », « En Bretagne 300 exploitations », « « Environ 300 personnes … » »)."""
    assert gives_answer_type(sentence, asked_answer_type(question), question) is counts


@pytest.mark.parametrize(
    "question, sentence, counts",
    [
        (
            "Combien d'élèves compte l'école ?",
            "« Mon fils a vomi toute la nuit », raconte Julie Perrin, mère de deux élèves de l'école.",
            False,
        ),
        (
            "Combien d'élèves y avait-il dans le car ?",
            "Aurélie de Saint-Jean, mère de deux élèves du car, réclame une glissière.",
            False,
        ),
        ("Combien d'enfants a-t-elle ?", "Julie Perrin, mère de deux enfants, vit à Villegouge.", True),
        ("Combien d'enfants a-t-il ?", "Le conducteur, père de trois enfants, a été héliporté.", True),
        # Counted otherwise than after the kin noun: a count as any.
        ("Combien d'élèves compte l'école ?", "L'école, où la mère de Julie enseigne, compte 120 élèves.", True),
        ("Combien d'élèves y avait-il dans le car ?", "Le car transportait 34 élèves.", True),
        # Kin in the plural are collective, and « mère » no person's kin: counts as any (review78a).
        ("Combien d'élèves y avait-il dans le car ?", "Les parents de 34 élèves ont été prévenus par SMS.", True),
        ("Combien de filiales compte le groupe ?", "La société mère de 12 filiales a publié ses comptes.", True),
        # What a person has asked: her children, whatever the noun (review78a).
        ("Combien de garçons a-t-il ?", "Le conducteur, père de trois garçons, a été héliporté.", True),
    ],
)
def test_a_count_after_a_kin_noun_is_someones_children_no_total(question, sentence, counts):
    """« mère de deux élèves », a singular kin noun in apposition to a person, counts one
    mother's children: no total of the school's pupils nor of those in the bus (review-77's
    « Combien d'élèves compte l'école ? » had it as a sure answer); what a person has asked
    ("Combien d'enfants a-t-elle ?", "Combien de garçons a-t-il ?") is counted so."""
    assert gives_answer_type(sentence, asked_answer_type(question), question) is counts

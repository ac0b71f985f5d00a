"""What the answer to a question must hold, read on the quoted sentence (`index.answer_types`):
the kind of answer a question plainly asks, and whether a sentence gives one."""

import pytest

from index.answer_types import asked_answer_type, gives_answer_type


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
    # An event it depends on is a time too: "only after a phase 3" is what news can say.
    assert gives(
        "Quand sera-t-il commercialisé ?", "Une commercialisation ne pourrait intervenir qu'après une phase 3."
    )

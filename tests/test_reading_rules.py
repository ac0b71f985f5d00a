"""The reading rules as a reader sees them (`index.reading_rules`, `index.person_rules`,
`index.answer_type_rules`): which sentence answers, or that none does, once the passages are
found. Each test builds the passages an article gives (real
sentence segmentation) and reads a question over them, as `index.search` does."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index.answer_type_rules import (
    answer_type_given,
    count_not_a_standing_total,
    count_not_by_another_deed,
    rate_stated,
)
from index.calendar_words import years_said_without_number
from index.candidates import Candidate
from index.conversation import Reading, Topic
from index.person_rules import age_of_whom_asked, tenure_of_whom_last_named
from index.reading_rules import (
    asked_month_held,
    cause_for_why,
    done_not_to_come,
    measure_stated,
    quotation_for_said,
    quote_statements,
    year_by_the_date_stated,
)
from index.reordering import TermMatch
from index.rulings import WhatIsAsked
from index.sentences import sentence_spans
from index.store import ArticleRow, PassageRow

ARTICLE = ArticleRow(1, "Titre", "2026-12-02", None, None, None, "2026-12-02T00:00:00Z", 3)


def passage(text: str, position: int = 0, quoted: int = 0) -> Candidate:
    """Passage `position` of the article, quoting its sentence `quoted` (its scores rank it first)."""
    spans = sentence_spans(text)
    row = PassageRow(position + 1, ARTICLE.id, position, 0, len(text), None, text, ARTICLE)
    scores = np.where(np.arange(len(spans)) == quoted, 1.0, 0.5 - np.arange(len(spans)) / 100)
    return Candidate(
        row, 0.0, 1, None, None, 0.0, spans, np.zeros((len(spans), 1)), scores, spans[quoted], TermMatch(1, 1, 1, 1)
    )


def quoted(candidate: Candidate) -> str:
    start, end = candidate.quote
    return candidate.row.text[start:end]


def asked(question: str, topic: Topic | None = None, search: str | None = None) -> WhatIsAsked:
    return WhatIsAsked.of(Reading(question, search or question, topic=topic))


HARVEST = passage(
    "Selon la chambre d'agriculture, la récolte de noix devrait atteindre à peine 7 200 tonnes cette année. "
    "Une saison « catastrophique », résume son président."
)
HAIL = passage(
    "La baisse s'explique par deux violents épisodes de grêle, les 14 et 22 juin. "
    "Des grêlons ont fendu les jeunes noix sur 3 000 hectares.",
    position=1,
)


def test_why_after_an_answer_is_answered_by_the_cause_the_next_paragraph_gives_even_in_the_next_passage():
    """ "Pourquoi ?" after "Combien de noix … ?": the last quote states the fact; news explains
    it in the next paragraph (« La baisse s'explique par … »), here in the next passage of the
    article, which comes first quoting it. Asked alone, the question's own passage is read, two
    sentences either side of its quote: further, a sentence explains another thing as often."""
    topic = Topic("Combien de noix cette année ?", (1,), (HARVEST.row.id, HARVEST.spans[0][1]))
    ruling = cause_for_why([HARVEST, HAIL], asked("Pourquoi ?", topic, search="Combien de noix ? Pourquoi ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("La baisse s'explique par deux violents épisodes")
    alone = cause_for_why([HARVEST, HAIL], asked("Pourquoi la récolte de noix a-t-elle baissé ?"))
    assert alone.order[0] is HARVEST


def test_why_is_not_answered_by_the_cause_of_the_paragraph_before():
    """The paragraph before the quote explains another fact: « La mortalité serait due à … » is
    no reason why the anglers' association went to court; the quote stays."""
    before = passage("La mortalité serait due à un manque d'oxygène dans l'eau. L'étang se réchauffe vite.")
    plea = passage(
        "L'association de pêche, elle, n'est pas convaincue. Les rejets de la station d'épuration y sont "
        "forcément pour quelque chose, estime son président.",
        position=1,
    )
    ruling = cause_for_why([plea, before], asked("Pourquoi l'association de pêche a-t-elle porté plainte ?"))
    assert ruling.order[0] is plea and quoted(ruling.order[0]).startswith("L'association de pêche")


def test_why_is_not_answered_by_a_plea_further_on_in_the_next_paragraph():
    """Three sentences after the quote at most: further on, the next paragraph's speaker pleads
    another case (« Mais accuser la station sans preuve … », plaide-t-il), no reason why the
    anglers went to court."""
    plea = passage(
        "L'association de pêche, elle, n'est pas convaincue. « On n'a jamais vu ça », estime son président. "
        "La station traite les eaux de 7 000 personnes.\n\n"
        "Le maire reconnaît que la station arrive à saturation. Son agrandissement est prévu pour 2028. "
        "« Mais accuser la station sans preuve, c'est tromper les gens », plaide-t-il."
    )
    ruling = cause_for_why([plea], asked("Pourquoi l'association de pêche a-t-elle porté plainte ?"))
    assert quoted(ruling.order[0]).startswith("L'association de pêche")


def test_a_follow_up_why_pointing_back_asks_the_cause_of_what_the_last_answer_quoted():
    """ "Pourquoi sont-ils morts ?" after "Combien de poissons morts … ?": the cause is looked for
    from the last answer's quote on (into the next paragraph), whatever sentence its own words
    found first elsewhere."""
    fish = passage(
        "Le spectacle a saisi les promeneurs dimanche. Des milliers de poissons morts flottaient sur l'étang. "
        "Depuis, les bénévoles en ont retiré plus de trois tonnes."
    )
    cause = passage(
        "Les premières analyses écartent la piste d'une pollution. "
        "La mortalité serait due à un manque d'oxygène dans l'eau.",
        position=1,
    )
    anglers = passage("« Il y a toujours des poissons morts l'été », sourit un pêcheur.", position=2)
    last_quote = (fish.row.id, fish.spans[2][1])  # « … plus de trois tonnes. »
    topic = Topic("Combien de poissons morts ont été retirés de l'étang ?", (1,), last_quote)
    ruling = cause_for_why([anglers, fish, cause], asked("Pourquoi sont-ils morts ?", topic))
    assert quoted(ruling.order[0]).startswith("La mortalité serait due à un manque d'oxygène")


def test_a_coach_is_no_cause():
    """« en car » is the coach the children take, not "because": the justification before the
    fact asked about is its cause."""
    schools = passage(
        "L'administration justifie ces mesures par la baisse de la natalité. Le département a perdu 640 élèves.\n\n"
        "Les neuf enfants de Mainsat devront faire 14 kilomètres en car chaque matin.",
        quoted=1,
    )
    topic = Topic("Combien d'élèves le département a-t-il perdus ?", (1,), (schools.row.id, schools.spans[1][1]))
    ruling = cause_for_why([schools], asked("Pourquoi ?", topic, search="Combien d'élèves ? Pourquoi ?"))
    assert quoted(ruling.order[0]).startswith("L'administration justifie ces mesures")


def test_a_quote_giving_the_fact_and_its_cause_answers_why():
    """ "Pourquoi ?" after "Combien de saisonniers ont manqué ?": the last quote says it,
    « …, faute de candidats », and stays, rather than another fact's cause after it."""
    season = passage(
        "Près de 2 000 postes n'ont pas été pourvus, faute de candidats. Le Mont-Saint-Michel a battu son record.\n\n"
        "L'aquarium de Brest affiche une hausse de 9 % grâce à un nouveau pavillon."
    )
    topic = Topic("Combien de saisonniers ont manqué ?", (1,), (season.row.id, season.spans[0][1]))
    ruling = cause_for_why([season], asked("Pourquoi ?", topic, search="Combien de saisonniers ? Pourquoi ?"))
    assert quoted(ruling.order[0]).startswith("Près de 2 000 postes n'ont pas été pourvus, faute de candidats.")


def test_asked_when_something_will_happen_a_time_already_past_is_no_answer():
    """ "En quelle année une autre compagnie reprendra-t-elle la ligne ?": « qui exploite la liaison
    depuis 2019 » dates what has lasted, not what is to come; « en 2024 » in an article of 2026
    neither. A time to come answers (« sera rendu le 15 janvier », « mis en délibéré au 24 avril
    »)."""
    since = passage("La compagnie Amelia, qui exploite la liaison depuis 2019, ne répondra pas à l'appel d'offres.")
    again = asked("En quelle année une autre compagnie reprendra-t-elle la ligne ?")
    assert not answer_type_given([since], again).stands
    past = passage("Sa commune avait pourtant rénové la cantine en 2024 pour 85 000 euros.")
    assert not answer_type_given([past], asked("Quand le tribunal rendra-t-il sa décision ?")).stands
    # A past sentence may date what is to come.
    told = passage("Le jugement a été mis en délibéré au 24 avril.")
    assert answer_type_given([told], asked("Quand le tribunal rendra-t-il sa décision ?")).stands
    reported = passage("Le ministère a indiqué qu'une campagne d'information serait lancée en novembre.")
    assert answer_type_given([reported], asked("Quand la campagne sera-t-elle lancée ?")).stands
    ahead = passage("Les prévenus ont été entendus en 2025. Le jugement sera rendu le 15 janvier.")
    ruling = answer_type_given([ahead], asked("Quand le jugement sera-t-il rendu ?"))
    assert ruling.stands and quoted(ruling.order[0]).endswith("Le jugement sera rendu le 15 janvier.")
    # Asked in the past, the past answers.
    assert answer_type_given([past], asked("Quand la cantine a-t-elle été rénovée ?")).stands


def test_which_year_is_answered_by_a_year_not_by_a_day():
    """ "En quelle année … ?" asks a year: « le 18 octobre » gives none, « l'an prochain » or
    « en 2032 » does, and the passage's sentence giving one is quoted."""
    day = passage("La nouvelle maire sera élue par le conseil municipal le 18 octobre.")
    assert not answer_type_given([day], asked("En quelle année auront lieu les prochaines municipales ?")).stands
    year = passage("La nouvelle maire sera élue le 18 octobre. Les prochaines municipales auront lieu en 2032.")
    ruling = answer_type_given([year], asked("En quelle année auront lieu les prochaines municipales ?"))
    assert ruling.stands and quoted(ruling.order[0]).endswith("Les prochaines municipales auront lieu en 2032.")
    next_year = passage("Le musée rouvrira l'an prochain, après deux ans de travaux.")
    assert answer_type_given([next_year], asked("En quelle année le musée rouvrira-t-il ?")).stands


def test_a_distance_or_a_part_of_a_larger_number_is_no_date():
    """ "Quand le camping sera-t-il déplacé ?": « 300 mètres plus loin » and « 4 200 euros »
    date nothing; three or four digits are a year only where nothing they measure follows."""
    farther = passage("La commune prévoit de déplacer le camping 300 mètres plus loin, pour un coût de 4 200 euros.")
    assert not answer_type_given([farther], asked("Quand le camping sera-t-il déplacé ?")).stands
    counted = passage("La commune a accueilli 1500 manifestants devant la mairie.")
    assert not answer_type_given([counted], asked("Quand la manifestation a-t-elle eu lieu ?")).stands
    dated = passage("Le camping sera déplacé vers 2030, dans la forêt.")
    assert answer_type_given([dated], asked("Quand le camping sera-t-il déplacé ?")).stands


def test_who_represents_them_is_answered_by_the_spokesman_in_the_paragraph_last_quoted():
    """ "Qui les représente ?" after "Que demandent les syndicats ?": the union's delegate, named
    in the paragraph the last answer quoted, not the company's chairman named in another
    passage, which its own words found first."""
    chairman = passage("Le président du directoire, Olivier Grandjean, reste prudent pour la saison.")
    unions = passage(
        "Les syndicats de Sallanches réclament leur part. La CGT demande une hausse des salaires de 5 %. "
        "Son délégué, Thierry Boch, rappelle que les salariés ont accepté un gel des salaires.",
        position=1,
        quoted=1,
    )
    topic = Topic("Que demandent les syndicats ?", (1,), (unions.row.id, unions.spans[1][1]))
    ruling = answer_type_given([chairman, unions], asked("Qui les représente ?", topic))
    assert ruling.stands and quoted(ruling.order[0]).startswith("Son délégué, Thierry Boch")
    # The conversation says it: answered even where "représente" is no word of the article, which
    # the relevance policy weighs (the tenants' « Sa présidente, Fatima Benali » was declined).
    assert ruling.by_conversation
    assert not answer_type_given([chairman, unions], asked("Qui les représente ?")).by_conversation
    # The group named again in another paragraph of the article (« Les locataires, eux, … »).
    families = passage("Les 96 familles qui y vivent encore devront être relogées d'ici le printemps 2028.")
    tenants = passage(
        "Les locataires, eux, oscillent entre soulagement et inquiétude. "
        "Sa présidente, Fatima Benali, qui habite la tour depuis 31 ans, reste prudente.",
        position=3,
        quoted=1,
    )
    topic = Topic("Combien de ménages doivent être relogés ?", (1,), (families.row.id, families.spans[0][1]))
    assert answer_type_given([tenants, families], asked("Qui les représente ?", topic)).by_conversation
    # Asked alone, a sentence naming nobody beside such a role does not answer it.
    nobody = passage("La Ligue contre la violence routière annonce de son côté un recours.")
    assert not answer_type_given([nobody], asked("Qui représente la Ligue contre la violence routière ?")).stands


def test_depuis_saying_from_where_is_no_time_over():
    """ "Quand les vols reprendront-ils ?": « depuis Marseille » says from where, so « dès mars »
    still dates what is to come; « depuis 2019 » or « depuis des années » is a time over."""
    from_where = passage("Les vols reprendront depuis Marseille dès mars.")
    assert answer_type_given([from_where], asked("Quand les vols reprendront-ils ?")).stands
    airport = passage("Les navettes relieront Nice depuis l'aéroport en 2027.")
    assert answer_type_given([airport], asked("Quand les navettes relieront-elles Nice ?")).stands
    lasting = passage("La compagnie exploite la ligne depuis des années.")
    assert not answer_type_given([lasting], asked("Quand une autre compagnie reprendra-t-elle la ligne ?")).stands
    # « depuis l'ouverture du mercato », a time over too, though no date follows it.
    spent = passage("Le club, racheté depuis 2020, a dépensé 80 millions d'euros depuis l'ouverture du mercato.")
    assert not answer_type_given([spent], asked("Quand jouera-t-il son premier match ?")).stands


def test_a_year_before_a_quantifier_or_a_conjunction_is_still_a_year():
    """« D'ici 2030 plusieurs écoles… », « en 2030 tandis que… »: what follows the year counts
    nothing of it (unlike « 1500 manifestants »)."""
    schools = passage("D'ici 2030 plusieurs écoles seront équipées.")
    assert answer_type_given([schools], asked("Quand les écoles seront-elles équipées ?")).stands
    line = passage("La ligne ouvrira en 2030 tandis que la gare attendra.")
    assert answer_type_given([line], asked("En quelle année la ligne ouvrira-t-elle ?")).stands


def test_who_will_represent_a_country_is_answered_by_anyone_named_whatever_the_role():
    """ "Qui représentera la France à l'Eurovision ?" asks a singer, not a president or a
    spokesman: a sentence naming someone answers it."""
    singer = passage("Le chanteur Slimane a été choisi pour défendre les couleurs françaises.")
    assert answer_type_given([singer], asked("Qui représentera la France à l'Eurovision ?")).stands


def test_a_count_asked_of_a_pronoun_is_counted_where_the_last_quote_spoke_of_it_in_its_own_words():
    """ "Combien de logements compte-t-il ?" after the answer on a new holiday hamlet: "il" is the
    hamlet, whose homes the paragraph last quoted counts as chalets (« une douzaine de
    chalets »), not the school another passage's words found (« compte … 17 élèves »). A first
    quote counting the very noun asked stays: « 22 des 29 sièges » for "Combien de sièges
    aura-t-elle ?", not the resignations of « onze conseillers » the last quote told."""
    hamlet = passage(
        "Le hameau des Écureuils a accueilli ses premiers vacanciers samedi. "
        "La commune a fait construire une douzaine de chalets en bois en lisière de forêt."
    )
    school = passage("L'école du village compte désormais 17 élèves par classe.", position=1)
    topic = Topic("Qu'est-ce qui a ouvert à Méaudre ?", (1,), (hamlet.row.id, hamlet.spans[0][1]))
    ruling = answer_type_given([school, hamlet], asked("Combien de logements compte-t-il ?", topic))
    assert ruling.stands and quoted(ruling.order[0]).startswith("La commune a fait construire une douzaine")

    election = passage("Ce scrutin avait été provoqué par la démission de onze conseillers municipaux.")
    seats = passage("Grâce à la prime majoritaire, la nouvelle équipe obtient 22 des 29 sièges du conseil.", position=1)
    topic = Topic("Pourquoi y a-t-il eu une élection ?", (1,), (election.row.id, election.spans[0][1]))
    ruling = answer_type_given([seats, election], asked("Combien de sièges aura-t-elle au conseil ?", topic))
    assert ruling.stands and ruling.order[0] is seats


def test_a_count_asked_of_an_impersonal_il_or_of_the_noun_itself_is_not_read_where_the_last_quote_was():
    """ "Combien de bénévoles y avait-il ?", "Combien de bénévoles ont-ils participé ?" after the
    festival's audience: « il » stands for nobody, « ils » repeats the volunteers; the passage
    counting them answers, not the last quote's « 38 000 spectateurs »."""
    audience = passage("Le festival de Figeac a attiré 38 000 spectateurs du 14 au 22 août.")
    volunteers = passage(
        "Derrière le succès, il y a les bénévoles. Ils étaient 240 cette année, logés chez l'habitant.",
        position=1,
        quoted=1,
    )
    topic = Topic("Combien de spectateurs a attiré le festival ?", (1,), (audience.row.id, audience.spans[0][1]))
    for question in ("Combien de bénévoles y avait-il ?", "Combien de bénévoles ont-ils participé ?"):
        ruling = answer_type_given([volunteers, audience], asked(question, topic))
        assert ruling.order[0] is volunteers, question


def said(question: str, topic: Topic) -> WhatIsAsked:
    """A follow-up asking only what someone said, as `index.conversation` reads it."""
    return WhatIsAsked.of(Reading(question, topic.question, (ARTICLE.id,), topic, said=True))


def test_what_she_said_is_her_words_in_the_next_passage_when_the_last_one_quotes_nobody():
    """ "Et elle, qu'a-t-elle dit ?" after « … obtient 22 des 29 sièges », a passage whose only
    « … » is her list's name: her words, the nearest passage on (« … », a-t-elle lancé), not
    the outgoing mayor's (« … », a-t-il déclaré), though that one comes first; and they answer
    as the conversation says. "Et lui, qu'a-t-il dit ?" is his."""
    results = passage(
        "Sa liste, « Pont-Audemer en commun », a remporté dimanche le second tour. "
        "Grâce à la prime majoritaire, la nouvelle équipe obtient 22 des 29 sièges.",
        quoted=1,
    )
    hers = passage(
        "Claire Lemonnier est infirmière. « Les habitants ont voté pour qu'on garde la piscine, et on la gardera », "
        "a-t-elle lancé devant la mairie.",
        position=1,
    )
    his = passage("« Les électeurs ont tranché, je leur souhaite bonne chance », a-t-il déclaré.", position=2)
    topic = Topic("Combien de sièges aura-t-elle au conseil ?", (1,), (results.row.id, results.spans[1][1]))
    ruling = quotation_for_said([his, results, hers], said("Et elle, qu'a-t-elle dit ?", topic))
    assert quoted(ruling.order[0]).startswith("« Les habitants ont voté") and ruling.by_conversation
    ruling = quotation_for_said([hers, results, his], said("Et lui, qu'a-t-il dit ?", topic))
    assert quoted(ruling.order[0]).startswith("« Les électeurs ont tranché") and ruling.by_conversation


def test_what_she_said_in_the_passage_last_quoted_is_read_there_and_a_name_in_quotation_marks_is_not_speech():
    """The passage last quoted holding her words: they are quoted, as before; a passage whose
    only « … » is a name, and no other passage quoting a woman, leaves the order as it was."""
    director = passage(
        "L'hôpital rouvre son service, a annoncé la directrice. "
        "« Certains renonçaient tout simplement à se soigner », se souvient la directrice."
    )
    topic = Topic("Qui dirige l'hôpital ?", (1,), (director.row.id, director.spans[0][1]))
    ruling = quotation_for_said([director], said("Et elle, qu'a-t-elle dit ?", topic))
    assert quoted(ruling.order[0]).startswith("« Certains renonçaient")
    festival = passage("Le festival « Les Arts sous la toile » a attiré 38 000 spectateurs.")
    topic = Topic("Combien de spectateurs ?", (1,), (festival.row.id, festival.spans[0][1]))
    ruling = quotation_for_said([festival], said("Et elle, qu'a-t-elle dit ?", topic))
    assert ruling.order == [festival] and not ruling.by_conversation


def test_what_he_said_is_a_short_quotation_followed_by_a_verb_of_saying_and_not_his_deputys_words():
    """ "Qu'a-t-il dit ?" after "Qui est le maire de Gourdon ?": his few words followed by a verb
    of saying (« C'est un crève-cœur », regrette l'élu) are speech, not a name, and his; not his
    deputy's (« … », poursuit-elle), nor a pronoun of something else after a woman's words."""
    mayor = passage(
        "Le maire de Gourdon, Pierre Lacoste, a annoncé la fermeture de la piscine. "
        "« C'est un crève-cœur », regrette l'élu.",
    )
    deputy = passage("« Nous avons tout essayé », poursuit-elle.", position=1)
    topic = Topic("Qui est le maire de Gourdon ?", (1,), (mayor.row.id, mayor.spans[0][1]))
    ruling = quotation_for_said([mayor, deputy], said("Qu'a-t-il dit ?", topic))
    assert "« C'est un crève-cœur »" in quoted(ruling.order[0]) and ruling.by_conversation
    director = passage(
        "Le service manque de bras. « Nous devons agir vite », explique la directrice, pour qui il est urgent "
        "de recruter."
    )
    topic = Topic("Qui dirige l'hôpital ?", (1,), (director.row.id, director.spans[0][1]))
    ruling = quotation_for_said([director], said("Qu'a-t-il dit ?", topic))
    assert not ruling.by_conversation
    ruling = quotation_for_said([director], said("Et elle, qu'a-t-elle dit ?", topic))
    assert "« Nous devons agir vite »" in quoted(ruling.order[0]) and ruling.by_conversation


def test_words_said_by_an_institution_are_said_by_no_woman_nor_man():
    """« … », indique la préfecture; « … », a réagi la CGT; « … », affirme le parquet: no one of
    either gender, so they do not answer "Et elle, qu'a-t-elle dit ?" as the conversation says."""
    for sentence in (
        "« La situation est sous contrôle depuis ce matin », indique la préfecture.",
        "« C'est inacceptable, les salariés paient encore », a réagi la CGT.",
        "« Aucune plainte n'a été déposée à ce jour », affirme le parquet.",
    ):
        office = passage("L'incendie a été maîtrisé dans la nuit. " + sentence)
        topic = Topic("Qui a maîtrisé l'incendie ?", (1,), (office.row.id, office.spans[0][1]))
        for question in ("Et elle, qu'a-t-elle dit ?", "Et lui, qu'a-t-il dit ?"):
            assert not quotation_for_said([office], said(question, topic)).by_conversation, sentence


def test_the_cost_asked_is_not_the_cost_of_another_thing_said_beside_it():
    """ "Combien a coûté le hameau ?": not « Au hameau, la location d'un chalet coûte … », which
    its words found first, nor the pool's cost (« La piscine chauffée du hameau … »), but « Le
    projet a coûté 3,4 millions d'euros »; "Combien a coûté le bloc opératoire ?" of a passage
    giving only the scanner's and the IRM's is not answered."""
    renting = passage("Au hameau, la location d'un chalet coûte de 550 à 980 euros la semaine.")
    building = passage(
        "La piscine chauffée du hameau, à elle seule, a représenté 420 000 euros. "
        "Le projet a coûté 3,4 millions d'euros, financés par la commune.",
        position=1,
    )
    ruling = measure_stated([renting, building], asked("Combien a coûté le hameau ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("Le projet a coûté 3,4 millions")
    hospital = passage(
        "Au bloc opératoire, le nouveau scanner a été acheté 1,2 million d'euros. "
        "Le service réalisera 40 examens par jour."
    )
    assert not measure_stated([hospital], asked("Combien a coûté le bloc opératoire ?")).stands


def test_a_count_asked_in_other_words_is_the_sentence_counting_what_the_question_says_was_done():
    """ "Combien de logements ont été évacués ?": the first quote counts nothing (« sous 48
    heures »); the sentence of its article counting what was evacuated, by its own noun (« un
    arrêté d'évacuation pour douze chalets »), answers. "Combien en manque-t-il ?" is not
    answered by a count of recruits, which says nothing of what is missing."""
    leaving = passage("Leurs occupants ont dû quitter les lieux sous 48 heures.")
    order = passage("Le maire a pris lundi un arrêté d'évacuation pour douze chalets du camping.", position=1)
    ruling = answer_type_given([leaving, order], asked("Combien de logements ont été évacués ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("Le maire a pris lundi un arrêté d'évacuation")
    shortage = passage("La pénurie de conducteurs dure depuis l'été.")
    recruits = passage("SNCF Voyageurs a recruté 38 conducteurs cette année.", position=1)
    assert not answer_type_given([shortage, recruits], asked("Combien de conducteurs manque-t-il ?")).stands
    # The noun asked, in a form its count is not read in, beside the deed: still its count.
    plea = passage("Pour procéder à ces réformes, nous nous portons candidats à la présidence.")
    researchers = passage(
        "Plus de 2500 chercheur·eus·e·s annoncent faire acte de candidature collectivement.", position=1
    )
    question = "Combien de chercheurs se portent candidats collectivement ?"
    ruling = answer_type_given([plea, researchers], asked(question))
    assert ruling.stands and quoted(ruling.order[0]).startswith("Plus de 2500")
    # The article names the engineers without counting them: the technicians' count is not theirs.
    engineers = passage("Les ingénieurs recrutés rejoindront le site au printemps.")
    technicians = passage("La direction a déjà recruté 45 techniciens pour la nouvelle ligne.", position=1)
    question = "Combien d'ingénieurs l'usine Bosch de Vierzon a-t-elle recrutés ?"
    assert not answer_type_given([engineers, technicians], asked(question)).stands
    # "compte" says what a town has, not a deed: « qui compte six élus » counts no inhabitants.
    town = passage("Millau est la deuxième ville de l'Aveyron.")
    council = passage("L'opposition de gauche, qui compte six élus, a voté contre le budget.", position=1)
    assert not answer_type_given([town, council], asked("Combien d'habitants compte Millau ?")).stands
    # An adjective after its noun is no deed: « conseil municipal » counts no councillors.
    budget = passage("Le budget a été rejeté lundi soir.")
    vote = passage("Au terme d'un conseil municipal houleux, onze élus de sa majorité ont voté contre.", position=1)
    assert not answer_type_given([budget, vote], asked("Combien d'élus compte le conseil municipal ?")).stands


def test_an_average_or_a_rate_asked_is_not_answered_by_a_total():
    """ "Combien d'enfants y a-t-il par classe en moyenne ?": « les neuf enfants de l'école » are a
    total, and « chaque matin » no rate per class; the sentence of the article giving the average
    (« Avec 17 élèves par classe en moyenne … ») is quoted instead. Asked of an article giving
    only totals ("Combien chaque donateur a-t-il versé en moyenne ?" of « a réuni 120 000 euros
    auprès de 1 800 donateurs »), or a rate per another unit than the one of time asked (« en
    moyenne 45 minutes » a sortie for "… par an ?"), no answer."""
    village = passage("À Mainsat, les neuf enfants de l'école devront faire 14 kilomètres en car chaque matin.")
    department = passage(
        "« Avec 17 élèves par classe en moyenne, la Creuse reste l'un des départements les mieux dotés », "
        "répond l'inspection.",
        position=1,
    )
    ruling = rate_stated([village, department], asked("Combien d'enfants y a-t-il par classe en moyenne ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("« Avec 17 élèves par classe")
    subscription = passage(
        "L'association a réuni 120 000 euros grâce à une souscription auprès de 1 800 donateurs. "
        "Chaque pierre est posée à la main."
    )
    assert not rate_stated([subscription], asked("Combien chaque donateur a-t-il versé en moyenne ?")).stands
    flights = passage("Une sortie de l'hélicoptère dure en moyenne 45 minutes et coûte 3 500 euros.")
    assert not rate_stated([flights], asked("Combien d'heures de vol l'hélicoptère fait-il par an ?")).stands
    # The rate asked, stated: the quote stands (« par an » for "chaque année", « chacun »).
    births = passage("Une femelle met bas un seul petit par an, en juin.")
    assert rate_stated([births], asked("Combien de petits une femelle a-t-elle chaque année ?")).stands
    crews = passage("Chacun embarque en moyenne quatre marins.")
    assert rate_stated([crews], asked("Combien de marins y a-t-il par bateau ?")).stands
    # A count per a time moves only to a sentence counting the noun asked: « quatre trains
    # quotidiens, … faute de voyageurs » counts no travellers a day.
    timetable = passage("La ligne est très fréquentée.")
    trains = passage("Elle gagne quatre trains quotidiens, tandis qu'une autre perd ses trains, faute de voyageurs.")
    question = "Combien de voyageurs empruntent la ligne chaque jour ?"
    assert not rate_stated([timetable, trains], asked(question)).stands
    # An average of a measure is said about so; "Quel moyen … ?", a name after « par », no rate.
    flowers = passage("Elles ont environ 2 cm de diamètre.")
    assert rate_stated([flowers], asked("Quelle est la taille moyenne des fleurs ?")).stands
    # In its own passage, in other words than the question's: quoted.
    plant = passage("La plante pousse au bord des chemins. Elles ont environ 2 cm de diamètre.")
    ruling = rate_stated([plant], asked("Quelle est la taille moyenne des fleurs ?"))
    assert ruling.stands and "Elles ont environ 2 cm" in quoted(ruling.order[0])
    assert rate_stated([village], asked("Par quel moyen les enfants vont-ils à l'école ?")).stands
    assert rate_stated([village], asked("Combien de listes ont été présentées par LO ?")).stands
    # "Par combien de voix ?" asks no rate.
    assert rate_stated([village], asked("Par combien de voix le budget a-t-il été rejeté ?")).stands
    # A doer after « par » asks no rate, nor states one.
    assert rate_stated([village], asked("Combien d'enfants ont été transportés par le car ?")).stands
    works = passage("Le chantier a coûté 2,6 millions d'euros, financés pour moitié par l'État.")
    assert not rate_stated([works], asked("Combien chaque donateur a-t-il versé en moyenne ?")).stands


def test_a_count_per_a_thing_is_no_total():
    """ "Combien de touristes sont attendus cet été ?" is not answered by « 17 élèves par classe »
    (nor « quatre à six places chacun » "Combien de personnes … ?"): a count per a thing counts no
    total; one per a time (« 30 000 voyageurs par jour ») still counts those who take a line."""
    school = passage("L'école du village compte désormais 17 élèves par classe.")
    assert not answer_type_given([school], asked("Combien de touristes sont attendus cet été ?")).stands
    line = passage("La ligne transporte 30 000 voyageurs par jour.")
    assert answer_type_given([line], asked("Combien de voyageurs empruntent la ligne ?")).stands
    assert answer_type_given([school], asked("Combien d'élèves y a-t-il par classe ?")).stands


def test_why_this_after_an_answer_asks_the_cause_of_what_it_quoted():
    """ "Pourquoi ce retard ?" after « La livraison … est repoussée à 2029 »: the demonstrative
    stands for what the last answer said, whose words the article does not use; the next
    paragraph's « Le promoteur … invoque la faillite … » answers, not the passage its words
    found first (« La mairie a promis de limiter les travaux bruyants »)."""
    delay = passage(
        "Seuls 180 des 650 logements prévus sont sortis de terre. "
        "La livraison des derniers immeubles, annoncée pour 2027, est repoussée à 2029.\n\n"
        "Le promoteur, Val de Loire Habitat, invoque la faillite de l'entreprise de gros œuvre en janvier. "
        "Le chantier est resté à l'arrêt pendant cinq mois.",
        quoted=1,
    )
    promise = passage("La mairie a promis de limiter les travaux bruyants à partir de 8 heures.", position=1)
    topic = Topic("Quand le quartier sera-t-il terminé ?", (1,), (delay.row.id, delay.spans[1][1]))
    ruling = cause_for_why([promise, delay], asked("Pourquoi ce retard ?", topic))
    assert quoted(ruling.order[0]).startswith("Le promoteur, Val de Loire Habitat, invoque la faillite")


def test_what_has_just_happened_is_not_what_may_happen():
    """ "Qu'est-ce qui vient d'ouvrir à Méaudre ?" is not answered by « Une classe supplémentaire
    pourrait ouvrir à la rentrée 2027 », which its words found: it has not opened (and the
    follow-ups would read on from that school). A sentence telling it done still answers."""
    school = passage("Une classe supplémentaire pourrait ouvrir à la rentrée 2027.")
    assert not done_not_to_come([school], asked("Qu'est-ce qui vient d'ouvrir à Méaudre ?")).stands
    opened = passage("Le hameau des Écureuils vient d'ouvrir ses portes à Méaudre.")
    assert done_not_to_come([opened], asked("Qu'est-ce qui vient d'ouvrir à Méaudre ?")).stands


def test_what_has_just_happened_is_answered_by_a_sentence_telling_it_done_beside_what_may_come():
    """« Une boulangerie vient d'ouvrir …, et une pharmacie pourrait ouvrir … » answers "Qu'est-ce
    qui vient d'ouvrir à Méaudre ?": the sentence tells it done too. "Qui vient d'être réélu
    maire ?" asks the participle, which « il pourrait être candidat » does not say; « il pourrait
    être réélu » alone still is no answer."""
    both = passage("Une boulangerie vient d'ouvrir à Méaudre, et une pharmacie pourrait ouvrir l'an prochain.")
    assert done_not_to_come([both], asked("Qu'est-ce qui vient d'ouvrir à Méaudre ?")).stands
    opened = passage("La boulangerie a ouvert en mai, et une pharmacie pourrait ouvrir l'an prochain.")
    assert done_not_to_come([opened], asked("Qu'est-ce qui vient d'ouvrir à Méaudre ?")).stands
    mayor = passage("Paul Martin vient d'être réélu maire de Rives ; il pourrait être candidat aux sénatoriales.")
    assert done_not_to_come([mayor], asked("Qui vient d'être réélu maire de Rives ?")).stands
    hoped = passage("Paul Martin pourrait être réélu maire de Rives en mars.")
    assert not done_not_to_come([hoped], asked("Qui vient d'être réélu maire de Rives ?")).stands


def test_what_may_happen_is_told_done_only_by_the_participle_of_the_verb_asked():
    """« fermement » is no participle of « fermer », nor « parfois » of « partir »: « Le maire
    s'oppose fermement à ce que l'usine doive fermer » tells it to come, not done; « L'usine est
    fermée depuis lundi, une autre pourrait fermer » tells it done."""
    asked_closed = asked("Qu'est-ce qui vient de fermer à Méaudre ?")
    firmly = passage("Le maire a fermement dit que l'usine pourrait fermer en mars.")
    assert not done_not_to_come([firmly], asked_closed).stands
    closed = passage("L'usine est fermée depuis lundi et une autre pourrait fermer en mars.")
    assert done_not_to_come([closed], asked_closed).stands
    asked_left = asked("Qui vient de partir à Méaudre ?")
    sometimes = passage("Le médecin a parfois dit qu'il pourrait partir en juin.")
    assert not done_not_to_come([sometimes], asked_left).stands
    opened = passage("La boulangerie a ouvert lundi et une pharmacie pourrait ouvrir en juin.")
    assert done_not_to_come([opened], asked("Qu'est-ce qui vient d'ouvrir à Méaudre ?")).stands


def test_why_with_no_connector_near_quotes_the_fact_with_the_sentence_before_it():
    """ "Pourquoi des congères ?": news states the cause just before the fact, without a
    connector (« Le vent a soufflé à 90 km/h. Il a formé des congères. »); both are quoted."""
    snow = passage("Le vent a soufflé à 90 km/h. Il a formé des congères sur la route.", quoted=1)
    ruling = cause_for_why([snow], asked("Pourquoi des congères ?"))
    assert quoted(ruling.order[0]) == "Le vent a soufflé à 90 km/h. Il a formé des congères sur la route."


def test_why_does_not_quote_a_sentence_before_from_another_paragraph_nor_one_asking_nor_before_a_quotation():
    """The sentence before joins the quote only in its paragraph (the one before speaks of
    another thing), only when it states something (not « Pourquoi ? » asked by the writer),
    and not before a quotation, whose speaker says her reasons herself; a quote giving its
    cause, or a connector's cause near it, is quoted as before."""
    other_paragraph = passage("Le vent a soufflé à 90 km/h.\n\nIl a formé des congères sur la route.", quoted=1)
    assert quoted(cause_for_why([other_paragraph], asked("Pourquoi des congères ?")).order[0]).startswith("Il a formé")
    asking = passage("Que s'est-il passé ? Il a formé des congères sur la route.", quoted=1)
    assert quoted(cause_for_why([asking], asked("Pourquoi des congères ?")).order[0]).startswith("Il a formé")
    speech = passage(
        "Élodie Carré devait partir pour Marseille. « On nous a dit de revenir lundi », raconte-t-elle.", quoted=1
    )
    assert quoted(cause_for_why([speech], asked("Pourquoi doit-elle revenir lundi ?")).order[0]).startswith("«")
    itself = passage("La route a rouvert. Les congères ont fondu à cause de la pluie.", quoted=1)
    assert quoted(cause_for_why([itself], asked("Pourquoi les congères ont-elles fondu ?")).order[0]).startswith("Les")
    connector = passage("La route a rouvert. Les congères ont fondu. En effet, la pluie est arrivée.", quoted=1)
    because = quoted(cause_for_why([connector], asked("Pourquoi les congères ont-elles fondu ?")).order[0])
    assert "En effet" in because and not because.startswith("La route")


@pytest.mark.parametrize(
    "text, question",
    [
        # What is to come causes nothing said before it.
        (
            "La médiathèque ouvrira ses portes le 4 mars. Elle sera fermée le lundi.",
            "Pourquoi sera-t-elle fermée le lundi ?",
        ),
        # Who someone is is no cause of what he did.
        ("Le maire, Paul Roy, 58 ans, est ingénieur. Il a démissionné mardi.", "Pourquoi a-t-il démissionné ?"),
        # Someone's words are no cause the article states.
        (
            "« C'est une catastrophe », estime Paul Roy. La maternité fermera ses portes en juin.",
            "Pourquoi la maternité ferme-t-elle ?",
        ),
    ],
)
def test_why_does_not_quote_a_sentence_before_that_tells_nothing_happened(text, question):
    """With no cause in the article, the sentence before is shown only when it tells something
    that happened (« Le vent a soufflé à 90 km/h »): a state, what is to come or a quotation
    would be shown as a cause it is not."""
    fact = passage(text, quoted=1)
    assert quoted(cause_for_why([fact], asked(question)).order[0]) == text.split(". ", 1)[1]


MAYORS = passage(
    "Le maire de Dole, Jean-Baptiste Gagnoux, a accueilli son homologue allemand, Markus Ibert.\n\n"
    "La présidente du comité de jumelage, Françoise Bailly, a 74 ans. Le programme a duré trois jours. "
    "Françoise Bailly est bénévole depuis 1990."
)
AFTER_MAYORS = Topic("Qui est le maire de Dole ?", (1,), (MAYORS.row.id, MAYORS.spans[0][1]))
TENURE = "Depuis combien de temps est-il maire ?"


def quoting(candidate: Candidate, sentence: int) -> Candidate:
    return replace(candidate, quote=candidate.spans[sentence])


def test_how_long_he_has_held_a_role_after_a_quote_naming_people_is_not_another_things_or_persons():
    """ "Depuis combien de temps est-il maire ?" after « Le maire de Dole, Jean-Baptiste Gagnoux,
    … »: « Le programme a duré trois jours » is a thing's duration, and « Françoise Bailly est
    bénévole depuis 1990 » another person's time since, in another paragraph: no answer."""
    assert not tenure_of_whom_last_named([quoting(MAYORS, 2)], asked(TENURE, AFTER_MAYORS)).stands
    assert not tenure_of_whom_last_named([quoting(MAYORS, 3)], asked(TENURE, AFTER_MAYORS)).stands


def test_how_long_said_of_whom_the_last_quote_named_or_by_a_pronoun_or_of_a_thing_or_an_age_still_answers():
    """A time since of one the last quote named, wherever it is; one said by a pronoun; any in the
    last quote's paragraph; a last quote naming nobody; a thing's duration ("Depuis combien de
    temps dure-t-elle ?", the strike); an age, which news says of whom it speaks in many ways
    (« À 34 ans, la skipper … »): as they came."""
    named = passage("Le maire, Jean-Baptiste Gagnoux, est maire depuis 2014.", position=1)
    assert tenure_of_whom_last_named([named, MAYORS], asked(TENURE, AFTER_MAYORS)).stands
    by_pronoun = passage("Diplômé de Sciences Po, il est maire depuis 2014.", position=1)
    assert tenure_of_whom_last_named([by_pronoun, MAYORS], asked(TENURE, AFTER_MAYORS)).stands
    same_paragraph = passage("Le maire de Dole, Jean-Baptiste Gagnoux, accueille. L'élu a duré trois mandats.")
    topic = Topic("Qui est le maire de Dole ?", (1,), (same_paragraph.row.id, same_paragraph.spans[0][1]))
    assert tenure_of_whom_last_named([quoting(same_paragraph, 1)], asked(TENURE, topic)).stands
    nobody = passage("Le jumelage a été signé en 1977.\n\nLe programme a duré trois jours.")
    topic = Topic("Quand le jumelage a-t-il été signé ?", (1,), (nobody.row.id, nobody.spans[0][1]))
    assert tenure_of_whom_last_named([quoting(nobody, 1)], asked(TENURE, topic)).stands
    lasting = asked("Depuis combien de temps dure-t-elle ?", AFTER_MAYORS)
    assert tenure_of_whom_last_named([quoting(MAYORS, 2)], lasting).stands
    assert tenure_of_whom_last_named([quoting(MAYORS, 1)], asked("Quel âge a-t-il ?", AFTER_MAYORS)).stands


@pytest.mark.parametrize(
    "sentence",
    [
        "Maire de Dole depuis 2014, il préside aussi l'agglomération.",
        "Diplômé de Sciences Po, il est maire depuis 2014.",
        "Il est à la tête de la Ville de Dole depuis 2014.",
        "Élu en 2014, il a été réélu en 2020 avec 62 % des voix.",
        "Son mandat a commencé en 2014.",
    ],
)
def test_how_long_he_has_held_a_role_said_by_a_pronoun_or_as_when_it_began_answers(sentence):
    """After « Le maire de Dole, Jean-Baptiste Gagnoux, … », a quote in another paragraph
    speaking of him by a pronoun, or naming nobody and saying when his role began, may say it:
    a title, a body or a place with a capital (« Maire de Dole », « la Ville de Dole ») names
    no other person."""
    later = passage(sentence, position=1)
    assert tenure_of_whom_last_named([later, MAYORS], asked(TENURE, AFTER_MAYORS)).stands


GUIPAVAS = passage(
    "Le maire de Guipavas, Laurent Quéré, réclame un prolongement.\n\n"
    "« On laisse des gens sur le quai », raconte Maëlle Guivarc'h, 27 ans, l'une des 46 conducteurs."
)
AFTER_GUIPAVAS = Topic("Qui est le maire de Guipavas ?", (1,), (GUIPAVAS.row.id, GUIPAVAS.spans[0][1]))


@pytest.mark.parametrize(
    ("question", "topic", "sentences"),
    [
        (
            "Quel âge a Thierry Lafon ?",
            None,
            "La présidente des jeunes, Julie Darrigade, 31 ans, a perdu son naissain.",
        ),
        ("Quel âge a-t-il ?", AFTER_GUIPAVAS, None),  # « Maëlle Guivarc'h, 27 ans », another paragraph
        (
            "Quel âge a le directeur ?",
            None,
            "Leur mère, Zuri, âgée de six ans, est arrivée d'un zoo. Son directeur, Arnaud Leroux, est ravi.",
        ),
        ("Quel âge a la directrice ?", None, "Seuls 4 % des Français en âge de donner le font chaque année."),
        ("Quel âge a Thierry Lafon ?", None, "Le bassin a connu il y a quatre ans une crise semblable."),
        ("Quel âge a le maire ?", None, "Le maire s'est installé à Lamastre il y a quarante ans."),
        ("Quel âge a Thierry Lafon ?", None, "Le club, fondé il y a 50 ans, compte 300 membres."),
        ("Quel âge a Marie Dupont ?", None, "Son mari, Jean Dupont, 45 ans, est pompier."),  # her husband
        ("Quel âge a Jean Dupont ?", None, "Jean Dupont, 30 ans de carrière, prend sa retraite."),  # a time
        ("Quel âge a Jean Dupont ?", None, "Jean Dupont, 20 ans d'expérience, a rejoint le club."),
    ],
)
def test_an_age_asked_of_someone_is_not_answered_by_another_persons_age_or_none(question, topic, sentences):
    """ "Quel âge a Thierry Lafon ?" is not answered by « Julie Darrigade, 31 ans », nor "Quel
    âge a-t-il ?" after « Le maire de Guipavas, Laurent Quéré, … » by a driver's age in the next
    paragraph, nor the director's by the cheetah's mother's, nor Marie Dupont's by her husband's
    (« Jean Dupont, 45 ans »), nor by « en âge de donner » or a time since (« il y a quarante
    ans »), which are no ages: no answer."""
    first = quoting(GUIPAVAS, 1) if sentences is None else passage(sentences)
    assert not age_of_whom_asked([first, GUIPAVAS], asked(question, topic)).stands


def test_an_age_said_of_nobody_else_in_another_paragraph_is_not_the_age_of_whom_the_last_quote_named():
    """ "Quel âge a-t-elle ?" after « Son homologue, Nadine Chabal, a écrit au préfet »: « une
    habitante âgée de 82 ans » in another paragraph is another woman's; « La procureure, Hélène
    Castaing, avait requis cinq ans » in the lawyer's paragraph names someone else: no answer."""
    mayors = passage("Son homologue, Nadine Chabal, a écrit au préfet.\n\nUne habitante âgée de 82 ans a attendu.")
    topic = Topic("Qui est le maire de Saint-Agrève ?", (1,), (mayors.row.id, mayors.spans[0][1]))
    assert not age_of_whom_asked([quoting(mayors, 1)], asked("Quel âge a-t-elle ?", topic)).stands
    trial = passage(
        "Son avocat, Antoine Delpech, a plaidé la dépression. La procureure, Hélène Castaing, avait requis cinq ans."
    )
    topic = Topic("Qui est son avocat ?", (1,), (trial.row.id, trial.spans[0][1]))
    assert not age_of_whom_asked([quoting(trial, 1)], asked("Quel âge a-t-il ?", topic)).stands


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Quel âge a Paul Roux ?", "Paul Roux, un agriculteur âgé de 54 ans, a été blessé.", True),
        ("Quel âge a Léa Garnier ?", "Léa Garnier est une skipper de 28 ans.", True),
        ("Quel âge a Léa Garnier ?", "La course a été gagnée par une Lyonnaise de 28 ans, Léa Garnier.", True),
        ("Quel âge a l'homme interpellé ?", "Un homme de 45 ans a été interpellé samedi.", True),
        ("Quel âge a la victime ?", "La victime, une femme de 82 ans, a été hospitalisée.", True),
        ("Quel âge a le pilote ?", "Le pilote, un Britannique de 28 ans, a gagné à Silverstone.", True),
        ("Quel âge a Paul Roux ?", "Selon Paul Roux, un homme de 45 ans a été interpellé.", False),
        ("Quel âge a Paul Roux ?", "Paul Roux a reçu une habitante âgée de 82 ans.", False),
        ("Quel âge a le maire ?", "Le maire, Paul Roux, a reçu un homme de 45 ans.", False),
    ],
)
def test_an_indefinite_phrase_giving_an_age_describes_whom_it_is_set_beside(question, sentence, answers):
    """« un agriculteur de 54 ans » set beside a name (« Paul Roux, un … », « Léa Garnier est une
    … », « une Lyonnaise de 28 ans, Léa Garnier ») or a definite role (« La victime, une femme de
    82 ans ») says that one's age, and « Un homme de 45 ans » the man's asked; not after « Selon
    Paul Roux, », nor someone a sentence brings in (« Paul Roux a reçu une habitante âgée de 82
    ans »)."""
    assert age_of_whom_asked([passage(sentence)], asked(question)).stands is answers


def test_an_indefinite_phrase_beside_the_name_last_quoted_gives_her_age():
    """ "Quel âge a-t-elle ?" after « La transat a été gagnée par Léa Garnier, une Lorientaise de
    34 ans. »: that quote says it."""
    race = passage("La transat a été gagnée par Léa Garnier, une Lorientaise de 34 ans.\n\nLe départ a eu lieu mardi.")
    topic = Topic("Qui a gagné la transat ?", (1,), (race.row.id, race.spans[0][1]))
    assert age_of_whom_asked([quoting(race, 0)], asked("Quel âge a-t-elle ?", topic)).stands


@pytest.mark.parametrize(
    "sentence",
    [
        "Une habitante âgée de 82 ans a attendu le bus pendant une heure.",
        "Julie Darrigade, 31 ans, et Paul Roux, 40 ans, ont perdu leur naissain.",
        "Julie Darrigade, 31 ans, et Paul Roux, 40 ans, ont perdu leur naissain, comme une habitante de 82 ans.",
        "Son fromager, Lucas Jeunet, 29 ans, a affiné la meule gagnante pendant 26 mois.",
        "La victime, Marie Roux, 82 ans, a été hospitalisée.",
    ],
)
def test_an_age_asked_of_a_role_the_passages_never_name_is_not_a_newcomers_nor_one_of_several(sentence):
    """ "Quel âge a le maire ?" when no passage found says « maire »: the age of someone the quote
    brings in (« Une habitante âgée de 82 ans »), one of several ages it gives, or the age of
    someone it gives another role (« Son fromager, Lucas Jeunet, 29 ans ») is no answer (« le
    jeune Mahamadou Nagida, 19 ans » for "Quel âge a le buteur rennais ?", the one age of a
    sentence naming three players, still is)."""
    assert not age_of_whom_asked([passage(sentence)], asked("Quel âge a le maire ?")).stands


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Quel âge a le chauffard ?", "Selon les gendarmes, Marc Roy, 34 ans, roulait à 180 km/h.", True),
        ("Quel âge a le chauffard ?", "Dans la nuit de samedi, Marc Roy, 34 ans, roulait à 180 km/h.", True),
        ("Quel âge a le vainqueur ?", "À l'arrivée, Paul Roy, 24 ans, a devancé tout le monde.", True),
        ("Quel âge a le vainqueur ?", "Sous la pluie, Paul Roy, 24 ans, a devancé tout le peloton.", True),
        ("Quel âge a le buteur rennais ?", "L'attaquant rennais, Mahamadou Nagida, 19 ans, a ouvert le score.", True),
        ("Quel âge a le patron de Renault ?", "Le directeur général de Renault, Luca de Meo, 57 ans, part.", True),
        ("Quel âge a le chauffeur ?", "Le conducteur du car, Marc Roy, 34 ans, a été entendu.", True),
        ("Quel âge a la directrice de la fromagerie ?", "Son fromager, Lucas Jeunet, 29 ans, affine.", False),
        ("Quel âge a le maire ?", "Samedi, la victime, Marie Roux, 82 ans, a été hospitalisée.", False),
        ("Quel âge a le maire ?", "Il pleuvait ; la victime, Marie Roux, 82 ans, a été hospitalisée.", False),
        ("Quel âge a le maire ?", "« La victime, Marie Roux, 82 ans, a été hospitalisée. »", False),
    ],
)
def test_an_age_asked_of_a_role_is_declined_for_another_role_only_when_a_clause_opens_on_it(
    question, sentence, answers
):
    """ "Quel âge a le chauffard ?" when no passage says « chauffard »: a phrase fronted before the
    name (« Selon les gendarmes, Marc Roy, 34 ans », « À l'arrivée, Paul Roy, ») gives him no
    other role, and the role asked said in other words (« L'attaquant rennais, » for « le buteur
    rennais », « Le conducteur du car, » for « le chauffeur ») is the same; a clause opening on
    another role (« Son fromager, Lucas Jeunet, 29 ans », « Samedi, la victime, Marie Roux, »)
    is still no answer."""
    assert age_of_whom_asked([passage(sentence)], asked(question)).stands is answers


@pytest.mark.parametrize(
    ("other", "hers"),
    [
        ("Son père, âgé de 70 ans, était déjà marin.", False),
        ("À 70 ans, le père de la skipper navigue encore.", False),
        ("Leur fille, 12 ans, l'attendait sur le quai.", False),
        ("À 34 ans, la skipper originaire de Lorient signe sa plus belle victoire.", True),
        ("La skipper de Lorient, 34 ans, signe sa plus belle victoire.", True),
        ("À 34 ans, elle signe sa plus belle victoire.", True),
    ],
)
def test_an_age_said_in_another_paragraph_of_someones_kin_is_not_the_age_of_whom_the_last_quote_named(other, hers):
    """ "Quel âge a-t-elle ?" after « Léa Garnier a gagné la transat. »: « Son père, âgé de 70
    ans » or « le père de la skipper » in another paragraph is another's age (no answer); « la
    skipper de Lorient », « elle » are hers."""
    race = passage("Léa Garnier a gagné la transat.\n\n" + other)
    topic = Topic("Qui a gagné la transat ?", (1,), (race.row.id, race.spans[0][1]))
    assert age_of_whom_asked([quoting(race, 1)], asked("Quel âge a-t-elle ?", topic)).stands is hers


@pytest.mark.parametrize(
    ("question", "sentences"),
    [
        ("Quel âge a Julie Darrigade ?", "La présidente des jeunes, Julie Darrigade, 31 ans, a perdu son naissain."),
        ("Quel âge a Françoise Bailly ?", "La présidente du comité, Françoise Bailly, a 74 ans."),
        ("Quel âge a Marie Dupont ?", "Mme Dupont, 45 ans, est pompier volontaire."),  # a title, no first name
        ("Quel âge a Dupont ?", "Marie Dupont, 45 ans, est pompier volontaire."),
        ("Quel âge a la présidente ?", "Âgée de 31 ans, la présidente a repris l'exploitation de son père."),
        ("Quel âge a la mère ?", "Leur mère, Zuri, âgée de six ans, est arrivée d'un zoo néerlandais."),
        ("Quel âge a leur mère ?", "Leur mère, Zuri, âgée de six ans, est arrivée d'un zoo néerlandais."),
        ("Quel âge a leur directeur ?", "Leur directeur, âgé de 48 ans, est arrivé en 2020."),
        ("Quel âge a le maire ?", "Le maire, un septuagénaire, brigue un quatrième mandat."),
        ("Quel âge a le pont ?", "Construit il y a 120 ans, le pont enjambe la Loire."),  # a thing's age
        ("Quel âge a l'arbre ?", "L'arbre, planté il y a 300 ans, a été abattu mardi."),
        (
            "Quel âge a le buteur rennais ?",
            "Kalimuendo a égalisé, avant que le jeune Mahamadou Nagida, 19 ans, ne donne l'avantage aux siens.",
        ),
        (
            "Quel âge a le buteur rennais ?",
            "L'attaquant Arnaud Kalimuendo a d'abord égalisé, avant que le jeune Mahamadou Nagida, 19 ans, "
            "ne donne l'avantage aux siens.",
        ),
        ("Quel âge a Jean Dupont ?", "Jean Dupont (52 ans) et Marie Roux (48 ans) ont été condamnés."),
        ("Quel âge a Marie Roux ?", "Jean Dupont (52 ans) et Marie Roux (48 ans) ont été condamnés."),
        ("Quel âge a le président Emmanuel Macron ?", "À 47 ans, Emmanuel Macron entame son second mandat."),
        (
            "Quel âge a le nouveau maire ?",
            "Le nouveau maire, Paul Roux, a été élu.\n\nÀ 45 ans, le maire entame son mandat.",
        ),
        (
            "Quel âge a le premier adjoint ?",
            "Le premier adjoint, Paul Roux, a été élu.\n\nÀ 52 ans, l'adjoint connaît le dossier.",
        ),
    ],
)
def test_an_age_said_of_whom_the_question_names_answers(question, sentences):
    """The age said right after the name asked (« Jean Dupont (52 ans) » too), or of nobody by
    name in a quote (its last sentence) holding the role asked (an adjective before it, "le
    nouveau maire", is no role; with a name, "le président Emmanuel Macron", the name is asked),
    answers, and of a thing how long ago it was made (« Construit il y a 120 ans, le pont … »):
    as it came."""
    first = passage(sentences, quoted=len(passage(sentences).spans) - 1)
    ruling = age_of_whom_asked([first], asked(question))
    assert ruling.stands and ruling.order[0] is first


def test_an_age_said_by_a_pronoun_in_the_last_quotes_paragraph_or_of_the_roles_holder_answers():
    """After « Le maire de Dole, Jean-Baptiste Gagnoux, … », « À 67 ans, il entame … » in another
    paragraph, « L'élu de 67 ans … » in the same one, and « Jean-Baptiste Gagnoux, 67 ans, … »
    anywhere say his age; "Quel âge a le maire de Lamastre ?" is answered by « Christian Faure,
    61 ans » when the article names him its mayor; after a quote naming nobody, as it came."""
    mayor = passage(
        "Le maire de Dole, Jean-Baptiste Gagnoux, accueille. L'élu de 67 ans a été réélu.\n\n"
        "À 67 ans, il entame son quatrième mandat. Jean-Baptiste Gagnoux, 67 ans, est né à Dole."
    )
    topic = Topic("Qui est le maire de Dole ?", (1,), (mayor.row.id, mayor.spans[0][1]))
    for sentence in (1, 2, 3):
        assert age_of_whom_asked([quoting(mayor, sentence)], asked("Quel âge a-t-il ?", topic)).stands
    lamastre = passage(
        "Christian Faure, 61 ans, a grandi à Lamastre.\n\nLe maire de Lamastre, Christian Faure, s'indigne."
    )
    assert age_of_whom_asked([lamastre], asked("Quel âge a le maire de Lamastre ?")).stands
    nobody = passage("Le jumelage a été signé en 1977.\n\nUne habitante âgée de 82 ans a attendu.")
    topic = Topic("Quand le jumelage a-t-il été signé ?", (1,), (nobody.row.id, nobody.spans[0][1]))
    assert age_of_whom_asked([quoting(nobody, 1)], asked("Quel âge a-t-elle ?", topic)).stands


def test_an_age_said_of_nobody_by_name_after_the_role_asked_in_its_paragraph_is_the_roles_holders():
    """ "Quel âge a le prévenu ?": « L'ancien notaire, 61 ans, a tout reconnu » right after « Le
    prévenu, Marc Roche, comparaissait mardi » in its paragraph speaks of him: as it came; the
    role said only in another paragraph, another's: no answer."""
    same = passage("Le prévenu, Marc Roche, comparaissait mardi. L'ancien notaire, 61 ans, a tout reconnu.")
    ruling = age_of_whom_asked([quoting(same, 1)], asked("Quel âge a le prévenu ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("L'ancien notaire, 61 ans")
    apart = passage("Le prévenu, Marc Roche, comparaissait mardi.\n\nL'ancien notaire, 61 ans, a témoigné.")
    assert not age_of_whom_asked([quoting(apart, 1)], asked("Quel âge a le prévenu ?")).stands


def test_the_age_of_whom_the_question_names_is_quoted_from_its_sentence():
    """ "Quel âge a la notaire ?": a first quote giving a victim's age (« Germaine Lacoste, 96 ans »)
    gives way to the sentence of the article naming the notary with hers."""
    victims = passage("Les fils de Germaine Lacoste, 96 ans, la plus âgée des victimes, assistaient à l'audience.")
    trial = passage("Le tribunal a condamné Sylvie Marcadier, 58 ans, ancienne notaire à Thiviers.", position=1)
    ruling = age_of_whom_asked([victims, trial], asked("Quel âge a la notaire ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("Le tribunal a condamné Sylvie Marcadier, 58 ans")


@pytest.mark.parametrize(
    ("text", "quoted_from"),
    [
        (
            "À la rentrée, la faculté a avancé ses cours à 8 heures. Plus de 4 000 étudiants prennent le tram "
            "entre 7 h 30 et 8 heures. Les rames sont donc bondées à cette heure-là.",
            "À la rentrée, la faculté a avancé",
        ),
        (
            "Le réseau fuit de partout. L'agglomération doit donc remplacer 600 kilomètres de canalisations.",
            "Le réseau fuit de partout.",
        ),
        ("Les collectes s'arrêtent l'été. C'est pourquoi la maison du don ouvre le dimanche.", "Les collectes"),
        ("Les collectes s'arrêtent l'été. Par conséquent, la maison du don ouvre le dimanche.", "Les collectes"),
        ("Les collectes s'arrêtent l'été. Donc la maison du don ouvre le dimanche.", "Les collectes"),
        ("Les collectes s'arrêtent l'été. Il y a donc trop peu de poches en août.", "Les collectes"),
    ],
)
def test_why_a_consequence_is_answered_by_the_sentences_before_it(text, quoted_from):
    """ "Pourquoi … ?" answered by a sentence saying « donc », « c'est pourquoi » or « par
    conséquent »: its reasons are the sentence or two before it in its paragraph, in any tense
    (« Le réseau fuit de partout »), quoted with it."""
    spans = passage(text).spans
    first = passage(text, quoted=len(spans) - 1)
    ruling = cause_for_why([first], asked("Pourquoi … ?"))
    assert quoted(ruling.order[0]).startswith(quoted_from) and quoted(ruling.order[0]).endswith(text[-20:])


@pytest.mark.parametrize(
    "text",
    [
        "Les collectes s'arrêtent l'été. Faut-il donc fermer la maison du don ?",
        "Les collectes s'arrêtent l'été. « Il faut donc agir vite », estime la directrice.",
        "Les collectes s'arrêtent l'été.\n\nLa maison du don ouvre donc le dimanche.",
        "« Nous manquons de bras », dit le capitaine. Les gardes de nuit sont donc supprimées.",
        "Les collectes s'arrêtent l'été. Les donneurs de Doncourt viennent le dimanche.",
        "Les collectes s'arrêtent l'été. Dès lors, la maison du don ouvre le dimanche.",
        "Les collectes s'arrêtent l'été. Dis donc, la maison du don ouvre le dimanche.",
        "Les collectes s'arrêtent l'été. Dis-donc, la maison du don ouvre le dimanche.",
        "Les collectes s'arrêtent l'été. Le débit de la Donc a baissé en juillet.",
        "Le tram de Besançon date de 1994. Il y a donc 30 ans que ses rames roulent.",
        "La région soutient le projet. Reste donc à savoir qui paiera le chantier.",
        "Le chantier devait durer un an. Les élus se demandent donc pourquoi il dure encore.",
    ],
)
def test_why_is_not_answered_by_the_sentence_before_a_donc_that_asks_quotes_or_starts_a_paragraph(text):
    """Not a question (« Faut-il donc … ? »), a quotation (its speaker's words), « donc » after a
    paragraph's start or after a quotation (another's reasons), a name holding its letters
    (« Doncourt ») or a river's (« la Donc »), « Dès lors » (also a time), an interjection (« Dis
    donc », « Dis-donc »), what is left to know (« Reste donc à savoir »), a question put
    indirectly (« se demandent donc pourquoi ») or how long ago (« Il y a donc 30 ans »): the
    quote stays."""
    spans = passage(text).spans
    first = passage(text, quoted=len(spans) - 1)
    ruling = cause_for_why([first], asked("Pourquoi … ?"))
    assert ruling.order[0].quote == first.quote


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Quelle est la température moyenne de l'eau ?", "62 % des huîtres sont mortes, contre 35 % en moyenne avant."),
        ("Quelle est la température moyenne de l'eau ?", "Une famille consomme en moyenne 120 mètres cubes par an."),
        ("Quelle est la durée moyenne d'une garde ?", "Le Sdis recrute en moyenne 96 volontaires par an."),
        ("Quel est le poids moyen d'un guépard ?", "Le parc accueille en moyenne 600 visiteurs par jour."),
    ],
)
def test_an_average_of_a_kind_of_measure_is_not_answered_by_an_average_of_another_kind(question, sentence):
    """ "Quelle est la température moyenne … ?" is not answered by « 35 % en moyenne » nor by
    cubic metres; a duration, a weight by a count of volunteers or visitors: no answer."""
    assert not rate_stated([passage(sentence)], asked(question)).stands


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Quelle est la température moyenne de l'eau ?", "L'eau atteint en moyenne 24 degrés en juillet."),
        ("Quelle est la durée moyenne d'une garde ?", "Une garde dure en moyenne douze heures."),
        ("Quel est le poids moyen d'un guépard ?", "Un guépard adulte pèse en moyenne 50 kilos."),
        ("Quel est l'âge moyen des volontaires ?", "Les volontaires ont en moyenne 34 ans."),
        ("Quelle est la durée moyenne d'une intervention ?", "Une intervention dure en moyenne un quart d'heure."),
        ("Quelle est la durée moyenne d'une intervention ?", "Une intervention dure en moyenne une demi-heure."),
        ("Quelle est la durée moyenne d'une mission ?", "Une mission dure en moyenne une demi-journée."),
        ("Quel est l'âge moyen des volontaires ?", "Les volontaires ont en moyenne une quarantaine d'années."),
        ("Quel est l'âge moyen des volontaires ?", "Les volontaires ont en moyenne la quarantaine."),
        ("Quel est le salaire moyen d'un ostréiculteur ?", "Un ostréiculteur gagne en moyenne 1 900 euros par mois."),
    ],
)
def test_an_average_of_the_kind_of_measure_asked_answers(question, sentence):
    """An average said in the kind of measure asked (degrees, hours, kilos, years, euros) answers,
    in words too (« un quart d'heure », « une demi-journée », « la quarantaine »)."""
    first = passage(sentence)
    ruling = rate_stated([first], asked(question))
    assert ruling.stands and ruling.order[0] is first


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Combien d'entreprises ont fait faillite ?", "Le bassin compte 315 entreprises ostréicoles."),
        ("Combien de bateaux ont manifesté contre le projet ?", "La flottille compte 86 bateaux et 250 marins."),
        ("Combien de salariés ont été licenciés ?", "L'usine emploie environ 450 salariés."),
        ("Combien de volontaires a-t-il perdus ?", "Le département compte désormais 2 750 volontaires."),
        ("Combien de volontaires sont partis ?", "Le département compte 2 750 volontaires."),
        ("Combien d'habitants se sont mobilisés ?", "La commune compte 3 000 habitants."),
        ("Combien de bénévoles sont allés à Paris ?", "L'association compte 80 bénévoles."),
        ("Combien de brebis sont mortes ?", "Le troupeau compte 300 brebis."),
        ("Combien d'agneaux sont nés ?", "Le troupeau compte 300 agneaux."),
        ("Combien de touristes sont arrivées ?", "La ville compte 3 000 touristes."),
        ("Combien d'entreprises ont fait faillite ?", "En 2024, le bassin comptait 315 entreprises."),
        ("Combien d'entreprises ont fait faillite ?", "Le bassin compte 315 entreprises, soit 4 000 emplois."),
        ("Combien d'entreprises ont fait faillite ?", "Le bassin compte 315 entreprises, dont 60 % de PME."),
        ("Combien d'entreprises ont fait faillite ?", "Le bassin compte 315 entreprises, selon la CCI du 12 mars."),
        ("Combien d'entreprises ont fait faillite ?", "Le bassin compte 2,5 milliers d'entreprises."),
        (
            "Combien de salariés ont été licenciés ?",
            "L'usine, qui emploie 450 salariés, a annoncé un plan social le 3 mars.",
        ),
    ],
)
def test_a_count_of_those_that_did_something_is_not_answered_by_how_many_there_are(question, sentence):
    """ "Combien d'entreprises ont fait faillite ?" is not answered by « Le bassin compte 315
    entreprises », all of them: a verb of having before the number, the deed unsaid: no answer;
    nor when the quote's other numbers count nothing asked: a year (« En 2024 »), a day (« le 12
    mars »), what restates or divides the total (« soit 4 000 emplois », « dont 60 % de PME »), a
    decimal part (« 2,5 milliers »)."""
    assert not count_not_a_standing_total([passage(sentence)], asked(question)).stands


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Combien de salariés ont été licenciés ?", "L'usine compte 260 salariés licenciés depuis janvier."),
        ("Combien de pêcheurs travaillent à La Cotinière ?", "La flottille compte 86 bateaux et 250 marins."),
        ("Combien de grues ont été comptées au lac ?", "Le lac compte cette année 268 000 grues."),
        ("Combien de bateaux ont manifesté ?", "Au total, 22 bateaux ont manifesté, sur les 86 que compte le port."),
        ("Combien de victimes ont porté plainte ?", "Le compte rendu de l'audience cite 41 victimes."),
        ("Combien de bateaux ont été recensés ?", "Le port compte 86 bateaux."),
        ("Combien d'habitants compte la ville ?", "La ville compte 4 700 habitants."),
        ("Combien de salariés a Lactalis ?", "Le groupe emploie 85 000 salariés."),  # a name, no participle
        ("Combien d'habitants a Paris ?", "La capitale compte 2,1 millions d'habitants."),
        ("Combien de communes sont desservies ?", "Le réseau compte 25 communes."),  # a present passive
        ("Combien d'entreprises ont fait faillite ?", "La région compte 40 entreprises qui ont fait faillite."),
        ("Combien de salariés ont fait grève ?", "L'usine compte 450 salariés en grève."),  # « fait » a stopword
        ("Combien de foyers sont raccordés ?", "Le réseau compte 12 000 foyers."),
        ("Combien de contrôles sont allégés ?", "Le service compte 120 contrôles."),  # no « allé »
        ("Combien de repas sont partagés ?", "La cantine compte 300 repas."),  # no « parti »
        ("Combien d'élèves sont passionnés de sciences ?", "Le collège compte 400 élèves."),  # no « passé »
        ("Combien de bénévoles sont montrés du doigt ?", "L'association compte 80 bénévoles."),
        (
            "Combien de personnes ont signé leur pétition ?",
            "L'association, qui regroupe 230 boutiques, a lancé une pétition qui a recueilli 8 400 signatures.",
        ),
        ("Combien de salariés ont été licenciés ?", "L'usine, qui emploie 450 salariés, a supprimé 120 postes."),
        (
            "Combien d'entreprises ont fait faillite ?",
            "Le bassin compte 315 entreprises, mais 42 entreprises ont déposé le bilan en 2024.",
        ),
    ],
)
def test_a_total_answers_a_deed_it_says_a_count_of_having_or_a_question_in_the_present(question, sentence):
    """A total saying the deed (« 260 salariés licenciés », « en grève » for "ont fait grève"), a
    question in the present ("… travaillent … ?"), a deed of counting ("comptées", "recensés"), a
    sentence counting those that did it (« 22 bateaux ont manifesté »), « compte » the noun (« Le
    compte rendu »), or no deed at all ("Combien de salariés a Lactalis ?", a name where a
    participle would stand), a present passive ("Combien de communes sont desservies ?"): as it
    came."""
    first = passage(sentence)
    ruling = count_not_a_standing_total([first], asked(question))
    assert ruling.stands and ruling.order[0] is first


LEBRUN = passage(
    "La présidente de l'UFC-Que Choisir, Monique Lebrun, dénonce une hausse.\n\n"
    "Le réseau, posé dans les années 1960, fuit de partout. Élue en 2019, elle a fondé la section de Valognes. "
    "L'association existe depuis 1975."
)
AFTER_LEBRUN = Topic("Qui préside l'UFC-Que Choisir ?", (1,), (LEBRUN.row.id, LEBRUN.spans[0][1]))


def test_since_when_she_heads_something_is_not_a_date_said_of_another_thing():
    """ "Depuis quand préside-t-elle l'association ?" after « …, Monique Lebrun, dénonce … »: « Le
    réseau, posé dans les années 1960 » in another paragraph dates the network: no answer."""
    assert not tenure_of_whom_last_named(
        [quoting(LEBRUN, 1)], asked("Depuis quand préside-t-elle l'association ?", AFTER_LEBRUN)
    ).stands


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Depuis quand préside-t-elle l'association ?", 2),  # « Élue en 2019, elle … »: hers
        ("Depuis quand préside-t-elle l'association ?", 3),  # names nobody and says « depuis »
        ("Depuis quand est-elle fermée ?", 1),  # a thing's state, not a role: as it came
        ("Depuis quand existe-t-elle ?", 1),
    ],
)
def test_since_when_said_by_a_pronoun_or_of_a_thing_still_answers(question, sentence):
    """A date of her role said by a pronoun, a quote naming nobody saying « depuis », and a
    question on a thing's state ("Depuis quand est-elle fermée ?"): as they came."""
    assert tenure_of_whom_last_named([quoting(LEBRUN, sentence)], asked(question, AFTER_LEBRUN)).stands


def test_an_age_said_of_whom_the_quote_speaks_of_by_a_definite_role_is_theirs_not_a_newcomers():
    """After « Léa Garnier a gagné la transat », « À 34 ans, la skipper originaire de Lorient
    signe … » in another paragraph is hers (the quote names no one else); « un homme de 45 ans »
    is someone the quote brings in: no answer. "Quel âge a le plus jeune ?" reads no role in
    « plus » (« Les suspects, âgés de 24 à 51 ans », as it came), "Quel âge a la plus jeune
    victime ?" the victim's (« La plus âgée avait 93 ans » names none: no answer)."""
    race = passage(
        "Léa Garnier a gagné la transat.\n\nÀ 34 ans, la skipper originaire de Lorient signe sa plus belle victoire. "
        "Un homme de 45 ans l'attendait sur le quai."
    )
    topic = Topic("Qui a gagné la transat ?", (1,), (race.row.id, race.spans[0][1]))
    assert age_of_whom_asked([quoting(race, 1)], asked("Quel âge a-t-elle ?", topic)).stands
    assert not age_of_whom_asked([quoting(race, 2)], asked("Quel âge a-t-elle ?", topic)).stands
    suspects = passage("Les suspects, âgés de 24 à 51 ans, ont été présentés à un juge.")
    assert age_of_whom_asked([suspects], asked("Quel âge a le plus jeune ?")).stands
    eldest = passage("Les 418 victimes ont témoigné. La plus âgée avait 93 ans.", quoted=1)
    assert not age_of_whom_asked([eldest], asked("Quel âge a la plus jeune victime ?")).stands


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Quel âge a Hugo Faure ?", "La moyenne d'âge des généralistes libéraux atteint 59 ans.", False),
        ("Quel âge a le directeur ?", "L'âge moyen des bénévoles est de 67 ans, selon le directeur.", False),
        ("Quel âge a Paul Roy ?", "Les adhérents du club de Paul Roy ont en moyenne 45 ans.", False),
        ("Quel âge a Paul Roy ?", "La moyenne d'âge est de 24 ans, mais le capitaine, Paul Roy, a 35 ans.", True),
        ("Quel âge a Paul Roy ?", "Paul Roy, 59 ans, a fait baisser la moyenne d'âge du conseil.", True),
        ("Quel âge a Paul Roy ?", "Paul Roy, 45 ans, gagne en moyenne 2 000 euros par mois.", True),
        ("Quel âge a le directeur ?", "À 52 ans, le directeur gère en moyenne dix dossiers.", True),
        (
            "Quel âge a Hugo Faure ?",
            "Les généralistes voient en moyenne trente patients par jour et Hugo Faure a 59 ans.",
            True,
        ),
        ("Quel âge a le retraité ?", "Le retraité, qui marche en moyenne deux heures malgré ses 80 ans, rit.", True),
        ("Quel âge a Paul Roy ?", "La moyenne d'âge des joueurs de Paul Roy est de 24 ans.", False),
    ],
)
def test_an_average_age_is_nobodys_age(question, sentence, answers):
    """ "Quel âge a Hugo Faure ?" is not answered by « La moyenne d'âge des généralistes atteint 59
    ans », the age of a group (nor « l'âge moyen de … », « ont en moyenne 45 ans »); an age said
    of someone after an average of another number or beside one (« mais le capitaine, Paul Roy,
    a 35 ans », « gagne en moyenne 2 000 euros », « voient en moyenne trente patients par jour et
    Hugo Faure a 59 ans », « marche en moyenne deux heures malgré ses 80 ans ») is still his."""
    assert age_of_whom_asked([passage(sentence)], asked(question)).stands is answers


HEADS = passage(
    "« Nous gèlerons 40 postes », a annoncé le président de l'université, Bertrand de La Roncière. "
    "« On nous fait payer la crise », dénonce la présidente de l'Unef Caen, Inès Morvan, 21 ans, étudiante.",
    quoted=1,
)


@pytest.mark.parametrize(
    ("question", "answers"),
    [
        ("Quel âge a le président de l'université ?", False),  # « la présidente de l'Unef Caen »
        ("Quel âge a la présidente de l'Unef ?", True),
        ("Quel âge a le président ?", True),  # no complement: either may be meant, as it came
        ("Quel âge a le président de la région ?", True),  # named with no article's role: as it came
    ],
)
def test_an_age_asked_of_a_role_with_its_complement_is_not_the_age_of_that_role_elsewhere(question, answers):
    """ "Quel âge a le président de l'université ?" is not answered by « la présidente de l'Unef
    Caen, Inès Morvan, 21 ans » when the article names the university's president elsewhere (« le
    président de l'université, Bertrand de La Roncière »): no answer. Asked of the students' union's
    president, or with no complement, her age stands."""
    assert age_of_whom_asked([HEADS], asked(question)).stands is answers


def test_an_age_asked_of_him_is_not_taken_from_him_by_a_place_named_after_a_person():
    """ "Quel âge a-t-il ?" after "Qui dirige le lycée ?" is answered by « À 63 ans, il dirige
    toujours le lycée Jean de La Fontaine »: the lycée's name is nobody in the sentence."""
    first = passage(
        "Paul Roy est proviseur depuis 2010. À 63 ans, il dirige toujours le lycée Jean de La Fontaine.", quoted=1
    )
    topic = Topic("Qui dirige le lycée ?", (1,), (first.row.id, first.spans[0][1]))
    ruling = age_of_whom_asked(
        [first], asked("Quel âge a-t-il ?", topic, search="Qui dirige le lycée ? Quel âge a-t-il ?")
    )
    assert ruling.stands and ruling.order[0] is first


@pytest.mark.parametrize(
    ("question", "text"),
    [
        (
            "Quel âge a le maire de la commune ?",
            "Le maire, Jean Dupont, 58 ans, a inauguré la fête. Le maire de la commune voisine, Paul Roy, était là.",
        ),
        (
            "Quel âge a la directrice de l'entreprise ?",
            "La directrice, Anne Morel, 52 ans, dirige le site. La directrice de l'entreprise sous-traitante, "
            "Lise Roy, s'inquiète.",
        ),
    ],
)
def test_a_role_whose_complement_another_word_qualifies_is_another_holder(question, text):
    """ "Quel âge a le maire de la commune ?" is answered by « Le maire, Jean Dupont, 58 ans »
    though the article names « le maire de la commune voisine, Paul Roy »: a complement qualified
    (« voisine », « sous-traitante ») is another commune's, another firm's."""
    first = passage(text)
    ruling = age_of_whom_asked([first], asked(question))
    assert ruling.stands and ruling.order[0] is first


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Combien de fours ont été trouvés ?", "Les fouilles ont livré onze fours de cuisson.", True),  # other words
        ("Combien de buts l'équipe a-t-elle marqués ?", "Le club a encaissé 51 buts, soit 1,7 par match.", True),
        ("Combien de manifestants se sont mobilisés ?", "La police a interpellé 12 manifestants.", True),
        ("Combien de boîtes a-t-il obtenues en plus ?", "« Nous avons sécurisé 400 000 boîtes », dit-il.", True),
        ("Combien de véhicules y a-t-on fabriqués ?", "Le site a assemblé 310 000 véhicules l'an dernier.", True),
        ("Combien de postes ont été supprimés ?", "« Nous gèlerons 40 postes », a annoncé le président.", False),
        ("Combien de victimes ont porté plainte ?", "Le fonds de garantie a indemnisé 41 victimes.", True),
        ("Combien de personnes ont dormi dans les gymnases ?", "« Nous avons hébergé 230 personnes », dit-il.", True),
        ("Combien de salariés sont partis ?", "L'usine recrutera environ 30 salariés.", False),
        ("Combien de personnes ont manifesté ?", "Le cortège a rassemblé 3 000 personnes.", True),
        ("Combien de visiteurs sont venus ?", "La fête du comté a attiré 40 000 visiteurs.", True),
        ("Combien de personnes sont mortes ?", "L'épidémie a tué 12 personnes.", True),
        ("Combien de personnes ont été arrêtées ?", "La police a interpellé 12 personnes.", True),
        ("Combien de sièges la liste a-t-elle obtenus ?", "La liste a remporté 22 sièges.", True),
        ("Combien de contrôles ont été effectués ?", "Les gendarmes ont réalisé 120 contrôles.", True),
        ("Combien d'habitants sont partis ?", "La ville a perdu 2 000 habitants en dix ans.", True),
        ("Combien de personnes ont participé à la marche ?", "La marche a mobilisé 2 000 personnes.", True),
        ("Combien de buts l'équipe a-t-elle marqués ?", "Le club n'a encaissé que 20 buts.", True),
        ("Combien de postes ont été supprimés ?", "« Nous gèlerons notamment 40 postes », dit-il.", False),
        ("Combien de personnes ont été évacuées ?", "L'immeuble abritait notamment 40 personnes.", True),
        ("Combien de buts l'équipe a-t-elle marqués ?", "L'équipe a marqué 40 buts en 30 matches.", True),
        ("Combien de buts ont-ils encaissés ?", "Le club a encaissé 51 buts.", True),
        ("Combien de buts l'équipe a-t-elle marqués ?", "Au total, 40 buts ont été inscrits.", True),
        ("Combien de personnes sont venues ?", "La fête a accueilli 38 000 personnes.", True),  # counting
        ("Combien de bateaux ont manifesté ?", "La flottille compte 86 bateaux.", True),  # having: another rule's
        ("Combien de postes ont été supprimés ?", "Le plan prévoit 40 postes en moins.", True),  # present
        ("Combien de salariés ont été licenciés ?", "L'usine a supprimé 120 postes.", True),  # another noun
        ("Combien de postes vont être supprimés ?", "« Nous gèlerons 40 postes », dit-il.", True),  # no past
        ("Combien de buts compte le club ?", "Le club a encaissé 51 buts.", True),  # no deed asked
        ("Combien de personnes ont été évacuées ?", "Les pompiers ont évacué 40 personnes.", True),
    ],
)
def test_a_count_of_a_deed_is_not_the_count_of_the_same_noun_by_another_verb(question, sentence, answers):
    """ "Combien de postes ont été supprimés ?" is not answered by « Nous gèlerons 40 postes » (a
    verb in the future, the past deed unsaid), nor "… sont partis ?" by « recrutera environ 30
    salariés »: no answer. A verb in the past may say the deed in other words (« ont livré onze
    fours » for "… trouvés ?", « avons hébergé 230 personnes » for "… ont dormi … ?"), and is left
    as it came; so are the deed said, a count with no verb before it, a verb of counting or
    having, a present or future question, another noun counted, or no deed asked."""
    assert count_not_by_another_deed([passage(sentence)], asked(question)).stands is answers


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        (
            "Quel est le salaire moyen d'un docker ?",
            "Chaque jour d'immobilisation coûte en moyenne 25 000 euros.",
            False,
        ),
        ("Quel est le loyer moyen d'un étudiant ?", "Il dépense en moyenne 8 400 euros par étudiant et par an.", False),
        ("Quel est le budget moyen d'un festivalier ?", "Un billet coûte en moyenne 80 euros.", False),
        ("Quel est le prix moyen d'un repas ?", "Un repas coûte en moyenne 15 euros.", True),
        (
            "Quel est le salaire moyen des infirmières ?",
            "Les infirmières gagnent en moyenne 2 100 euros par mois.",
            True,
        ),
        ("Quel est le salaire moyen ?", "Le salaire moyen atteint 2 300 euros.", True),
        ("Quel est le loyer moyen à Caen ?", "Les étudiants paient en moyenne 450 euros de loyer.", True),
        ("Quel est le budget moyen d'un festivalier ?", "Un festivalier dépense en moyenne 80 euros.", True),
        ("Quel est le coût moyen d'une opération ?", "Une opération est facturée en moyenne 3 000 euros.", True),
        ("Quel est le montant moyen des dons ?", "Chaque donateur a versé en moyenne 65 euros.", True),  # any amount
        ("Quel est le salaire moyen d'un docker ?", "Les dockers touchaient en moyenne 3 500 euros brut.", True),
        ("Quel est le salaire moyen ?", "Les infirmières sont rémunérées en moyenne 2 100 euros.", True),
        ("Quel est le budget moyen par étudiant ?", "Les dépenses par étudiant atteignent en moyenne 10 000 €.", True),
        ("Quel est le loyer moyen d'un studio ?", "Les studios sont loués en moyenne 450 euros par mois.", True),
        ("Quel est le prix moyen d'un repas ?", "Un repas revient en moyenne à 15 euros.", True),
        ("Quelle est la facture moyenne d'un ménage ?", "Un ménage paie en moyenne 1 600 euros.", True),
        ("Quelle est la facture moyenne d'un ménage ?", "Un ménage gagne en moyenne 2 600 euros.", False),
        # other words than the verbs, read by no stem (review-77b finding 4)
        ("Quel est le salaire moyen d'un docker ?", "Les ports touchés perdent en moyenne 25 000 euros.", False),
        ("Quelle est la facture moyenne d'un ménage ?", "Dans le pays, la panne coûte en moyenne 9 euros.", False),
        ("Quel est le prix moyen d'un repas ?", "Vendredi, chaque élève a dépensé en moyenne 25 euros.", False),
        ("Quel est le prix moyen d'un repas ?", "Les vendeurs gagnent en moyenne 1 800 euros par mois.", False),
        ("Quel est le salaire moyen d'un joueur ?", "Les gagnants du loto empochent en moyenne 2 M€.", False),
        ("Quel est le salaire moyen d'un docker ?", "Les dockers sont payés en moyenne 3 000 euros.", True),
        ("Quel est le salaire moyen d'un docker ?", "Un docker a touché en moyenne 3 000 euros.", True),
        ("Quel est le salaire moyen d'un docker ?", "Un docker gagnait en moyenne 3 000 euros.", True),
        ("Quelle est la facture moyenne d'un ménage ?", "Les ménages ont payé en moyenne 1 600 euros.", True),
        ("Quel est le prix moyen d'un repas ?", "Un repas se vend en moyenne 15 euros.", True),
        ("Quel est le prix moyen d'un repas ?", "Les repas sont vendus en moyenne 15 euros.", True),
    ],
)
def test_an_average_of_a_named_amount_of_money_is_said_by_its_noun_or_its_verb(question, sentence, answers):
    """ "Quel est le salaire moyen d'un docker ?" is not answered by « Chaque jour d'immobilisation
    coûte en moyenne 25 000 euros », an average cost of another thing, nor "le loyer moyen" by what
    the university spends per student: no answer. An average said by the noun asked or the verb
    news says it by (« coûte » a price, « gagnent » a salary, « dépense » a budget, « facturée » a
    cost) stands; « montant » names any amount."""
    assert rate_stated([passage(sentence)], asked(question)).stands is answers


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Quel âge a la doyenne ?", "La doyenne, une centenaire, a voté pour la première fois.", True),
        ("Quel âge a la nouvelle gérante ?", "La gérante, une trentenaire, a repris la ferme.", True),
        ("Quel âge a la doyenne ?", "La doyenne a assisté au centenaire de l'armistice.", False),
        ("Quel âge a le maire ?", "Le maire a ouvert les fêtes du centenaire de la mairie.", False),
        ("Quel âge a le maire ?", "Pour le centenaire, le maire organise un bal.", False),
        ("Quel âge a le maire ?", "Le maire a planté un chêne centenaire.", False),
        ("Quel âge a le maire ?", "Le centenaire a été célébré samedi en présence du maire, Paul Roy.", False),
        ("Quel âge a le maire ?", "Le maire a présidé le centenaire, célébré samedi.", False),
        ("Quel âge a le maire ?", "À l'occasion de ce centenaire, le maire organise un défilé.", False),
        ("Quel âge a le proviseur ?", "Le lycée, centenaire, va fermer, regrette le proviseur.", False),
        ("Quel âge a le maire ?", "Les trentenaires sont de plus en plus nombreux, note le maire.", False),
        ("Quel âge a la doyenne ?", "La doyenne, Marie Roux, centenaire, a voté.", True),
        ("Quel âge a la doyenne ?", "La doyenne est une centenaire depuis mars.", True),
    ],
)
def test_a_trentenaire_or_a_centenaire_is_an_age_a_centenary_or_an_old_oak_is_none(question, sentence, answers):
    """« une centenaire », « une trentenaire » say the age of whom the sentence speaks (as
    « un septuagénaire » does); « le centenaire de l'armistice », « les fêtes du centenaire »,
    « pour le centenaire » are celebrations and « un chêne centenaire » a tree's: no age of the
    mayor's, no answer; so are « le / ce centenaire » (« Le centenaire a été célébré … »), « Le
    lycée, centenaire, » (no name before the comma) and « les trentenaires », a group. « Marie
    Roux, centenaire, », « une centenaire depuis mars » are ages."""
    assert age_of_whom_asked([passage(sentence)], asked(question)).stands is answers


PORT = passage(
    "Depuis le 8 novembre, plus aucun navire n'est déchargé au port de Sète. Onze cargos attendent au large."
)


@pytest.mark.parametrize(
    ("question", "others", "answers"),
    [
        ("Combien de navires ont été déchargés en octobre ?", "", False),
        ("Combien de cargos attendaient au mois d'août ?", "", False),
        ("Combien de navires ont été déchargés en novembre ?", "", True),  # the quote names it
        ("Combien de navires ont été déchargés en octobre ?", "En octobre, 40 navires avaient été déchargés.", True),
        ("Combien de navires ont été déchargés en décembre ?", "", True),  # the article is dated in it
        ("Combien de navires ont été déchargés ?", "", True),  # no month
        ("Où se trouve la place du 8-Mai ?", "", True),  # a name holding a month
    ],
)
def test_a_month_asked_that_the_article_never_names_is_not_answered(question, others, answers):
    """ "Combien de navires ont été déchargés en octobre ?" of an article saying only « Depuis le
    8 novembre, plus aucun navire n'est déchargé » (dated in December): no answer, October named.
    A passage of the article naming it comes first; the quote naming it, an article dated in it,
    no month asked, or a name holding one (« la place du 8-Mai »): as it came."""
    ordered = [PORT, passage(others, position=1)] if others else [PORT]
    ruling = asked_month_held(ordered, asked(question))
    assert ruling.stands is answers
    if others:
        assert quoted(ruling.order[0]).startswith("En octobre")


@pytest.mark.parametrize(
    ("question", "sentence", "date", "answers"),
    [
        (
            "Combien de navires ont été déchargés en octobre ?",
            "Le mois dernier, 40 navires ont été déchargés.",
            "2026-11-05",
            True,
        ),
        (
            "Combien de logements seront livrés en septembre ?",
            "Le mois prochain, 40 logements seront livrés.",
            "2026-08-20",
            True,
        ),
        (
            "Combien de navires ont été déchargés en janvier ?",
            "Le mois prochain, 40 navires seront déchargés.",
            "2026-12-20",
            True,
        ),
        (
            "Combien de logements seront livrés en septembre ?",
            "À la rentrée, 40 logements seront livrés.",
            "2026-08-20",
            True,
        ),
        ("Combien de cadeaux ont été vendus en décembre ?", "À Noël, 400 cadeaux ont été vendus.", "2027-01-10", True),
        (
            "Combien de navires ont été déchargés en septembre ?",
            "Le mois dernier, 40 navires ont été déchargés.",
            "2026-11-05",
            False,
        ),
        (
            "Combien de navires ont été déchargés en octobre ?",
            "Le mois prochain, 40 navires seront déchargés.",
            "2026-11-05",
            False,
        ),
    ],
)
def test_a_month_asked_said_by_the_articles_date_or_a_time_of_year_is_held(question, sentence, date, answers):
    """ "Combien de navires ont été déchargés en octobre ?": « Le mois dernier, 40 navires ont été
    déchargés » of an article dated 5 November says October, « Le mois prochain » of 20 December
    January, « À la rentrée » September, « À Noël » December; « le mois dernier » of November is
    no September."""
    first = passage(sentence)
    first = replace(first, row=replace(first.row, article=replace(ARTICLE, date=date)))
    assert asked_month_held([first], asked(question)).stands is answers


MATERNITY = (
    "Elle en a réalisé 296 en 2025, loin du seuil de 300. "
    "Les intérimaires coûtaient à l'hôpital 1,4 million d'euros par an. "
    "En 2027, un centre périnatal ouvrira avec deux sages-femmes."
)


@pytest.mark.parametrize(
    ("question", "text", "date", "quote"),
    [
        ("Combien de bébés y sont nés l'an dernier ?", MATERNITY, "2026-11-25", "Elle en a réalisé 296 en 2025"),
        ("Combien de bébés y sont nés l'année dernière ?", MATERNITY, "2026-11-25", "Elle en a réalisé 296 en 2025"),
        ("Combien de sages-femmes y travailleront l'an prochain ?", MATERNITY, "2026-11-25", "En 2027, un centre"),
        # as it came: an article without a date, no year asked, or the year asked by its number
        ("Combien de bébés y sont nés l'an dernier ?", MATERNITY, None, "Les intérimaires coûtaient"),
        ("Combien de bébés y sont nés ?", MATERNITY, "2026-11-25", "Les intérimaires coûtaient"),
        ("Combien de bébés y sont nés en 2024 ?", MATERNITY, "2026-11-25", "Les intérimaires coûtaient"),
        # no kind of answer asked, or the sentence stating the year gives none of it
        ("Et l'an prochain ?", MATERNITY, "2026-11-25", "Les intérimaires coûtaient"),
        (
            "Quelle amende a-t-il payée l'an dernier ?",
            "Le 14 mai 2025, 23 enfants ont été malades. Le viticulteur a été condamné mardi à 15 000 euros d'amende.",
            "2026-06-10",
            "Le viticulteur a été condamné",
        ),
        # the first quote says the year asked itself, or names none when the article's own is asked
        (
            "Combien de bébés y sont nés l'an dernier ?",
            "Elle en a réalisé 296 en 2025. L'an dernier, 280 naissances y ont été enregistrées.",
            "2026-11-25",
            "L'an dernier, 280 naissances",
        ),
        ("Combien coûtent les intérimaires cette année ?", MATERNITY, "2026-11-25", "Les intérimaires coûtaient"),
    ],
)
def test_a_year_asked_by_the_articles_date_is_answered_by_the_sentence_stating_it(question, text, date, quote):
    """ "Combien de bébés y sont nés l'an dernier ?" of an article dated 2026-11-25 asks of 2025:
    « Elle en a réalisé 296 en 2025 » answers it, not « 1,4 million d'euros par an », the sentence
    whose words are nearest; « l'an prochain » asks of 2027. A first quote saying « l'an dernier »
    itself stands, as does one naming no year for « cette année »; an article without a date, a
    question asking no year or naming it by its number (`asked_year_held`), or no kind of answer
    ("Et l'an prochain ?", "Quelle amende … ?"): as it came."""
    first = passage(text, quoted=1)
    first = replace(first, row=replace(first.row, article=replace(ARTICLE, date=date)))
    ruling = year_by_the_date_stated([first], asked(question))
    assert ruling.stands and quoted(ruling.order[0]).startswith(quote)


@pytest.mark.parametrize(
    ("text", "date", "years"),
    [
        ("Combien de bébés y sont nés l'an dernier ?", "2026-11-25", {2025}),
        ("L’année passée, 280 naissances", "2026-01-03", {2025}),
        ("Et l'année prochaine ?", "2026-11-25", {2027}),
        ("Combien cette année ?", "2026-11-25", {2026}),
        ("Cette année-là, la maternité a fermé.", "2026-11-25", set()),  # a story's year, not the article's
        ("Combien de bébés y sont nés l'an dernier ?", "", set()),  # no date
        ("Elle coûte 1,4 million d'euros par an.", "2026-11-25", set()),
    ],
)
def test_years_said_by_the_articles_date(text, date, years):
    assert years_said_without_number(text, date) == years


CLOSURE = passage(
    "La direction a confirmé mardi la fermeture de la papeterie à la fin du mois de juin 2028. "
    "Les 186 salariés du site seront licenciés, faute de repreneur.\n\n"
    "Le groupe explique avoir perdu 14 millions d'euros sur le site depuis 2023.",
    quoted=1,
)


def test_when_asked_alone_after_an_answer_is_dated_in_the_last_quotes_paragraph():
    """ "Quand ?" after "Combien de salariés vont perdre leur emploi ?" (« Les 186 salariés du
    site seront licenciés »): when that happens, the sentence of its paragraph dating it (« à
    la fin du mois de juin 2028 »), not another paragraph's date of another thing (« depuis
    2023 »), which its topic's words found best (review-78). Asked in its own words, or with
    no answer before, the passage's own best dated sentence, as before."""
    lost = quoting(CLOSURE, 2)  # what the search quoted first: the losses « depuis 2023 »
    topic = Topic("Combien de salariés vont perdre leur emploi ?", (1,), (CLOSURE.row.id, CLOSURE.spans[1][1]))
    for question in ("Quand ?", "C'était quand ?"):
        search = f"Combien de salariés vont perdre leur emploi ? {question}"
        ruling = answer_type_given([lost], asked(question, topic, search=search))
        assert ruling.stands and "juin 2028" in quoted(ruling.order[0]), question
    # The last quote dating what it says is quoted itself.
    rock = passage("Près de 4 000 mètres cubes de roche se sont détachés dans la nuit de dimanche à lundi.")
    topic = Topic("Quelle quantité de roche est tombée ?", (1,), (rock.row.id, rock.spans[0][1]))
    ruling = answer_type_given([rock], asked("C'était quand ?", topic, search="roche tombée ? C'était quand ?"))
    assert "nuit de dimanche à lundi" in quoted(ruling.order[0])
    # Its own words: as its passage says.
    own = answer_type_given([lost], asked("Quand le groupe a-t-il perdu de l'argent ?", topic))
    assert own.stands and "depuis 2023" in quoted(own.order[0])


def test_when_asked_after_an_answer_of_an_event_of_its_own_is_not_dated_where_the_last_quote_is():
    """ "Et pour la réouverture, quand ?" after "Quelle quantité de roche est tombée ?" (« …se
    sont détachés dans la nuit de dimanche à lundi »): the question names its own event, whose
    date the search found (« La route départementale devrait rouvrir à la mi-décembre »), not
    the rockfall's (review78a)."""
    fall = passage(
        "Près de 4 000 mètres cubes de roche se sont détachés dans la nuit de dimanche à lundi. "
        "La route départementale devrait rouvrir à la mi-décembre.",
        quoted=1,
    )
    topic = Topic("Quelle quantité de roche est tombée ?", (1,), (fall.row.id, fall.spans[0][1]))
    for question in ("Et pour la réouverture, quand ?", "Et pour la route, c'est prévu quand ?"):
        search = f"Quelle quantité de roche est tombée ? {question}"
        ruling = answer_type_given([fall], asked(question, topic, search=search))
        assert "mi-décembre" in quoted(ruling.order[0]), question


def test_an_age_asked_of_a_pronoun_after_a_quote_naming_nobody_is_of_whom_the_sentence_before_names():
    """ "Quel âge a-t-il ?" after "Que propose-t-il ?" (« Il a proposé lundi le recrutement … »):
    the quote names nobody; "il" is the director named the sentence before, so the delegate's
    « Nadia Le Goff, 44 ans » of another paragraph is not his age: no answer (review-78, where
    it was a sure one). His age said answers."""
    home = passage(
        "« On a sept minutes pour une toilette », résume Nadia Le Goff, 44 ans, déléguée Sud Santé.\n\n"
        "Le directeur de l'établissement, Philippe de Kerguelen, reconnaît « une situation tendue ». "
        "Il a proposé lundi le recrutement de deux aides-soignantes."
    )
    topic = Topic("Qui dirige l'Ehpad ?", (1,), (home.row.id, home.spans[2][1]))
    assert not age_of_whom_asked([quoting(home, 0)], asked("Quel âge a-t-il ?", topic)).stands
    aged = passage(
        "Le directeur de l'établissement, Philippe de Kerguelen, 57 ans, reconnaît « une situation tendue ». "
        "Il a proposé lundi le recrutement de deux aides-soignantes."
    )
    topic = Topic("Qui dirige l'Ehpad ?", (1,), (aged.row.id, aged.spans[1][1]))
    ruling = age_of_whom_asked([quoting(aged, 1)], asked("Quel âge a-t-il ?", topic))
    assert ruling.stands and "57 ans" in quoted(ruling.order[0])


def test_an_age_asked_after_a_quote_whose_subject_is_another_unnamed_role_is_not_the_age_of_one_named_before():
    """ "Quel âge a-t-il ?" after "Qui a débloqué de l'argent ?" (« Le président du Département
    a débloqué deux millions d'euros »): "il" is that role, which the article leaves unnamed; the
    mayor named before (« Roger Bottero, 59 ans »), in that paragraph or the one before, is not
    him: no answer (review78a). A role noun alone pointing back (« L'élu ») is the one named
    before it in its paragraph."""
    mayor = "Le maire d'Isola, Roger Bottero, 59 ans, a écrit au préfet."
    for between in ("\n\n", " "):
        funds = passage(f"{mayor}{between}Le président du Département a débloqué deux millions d'euros.")
        topic = Topic("Qui a débloqué de l'argent ?", (1,), (funds.row.id, funds.spans[1][1]))
        assert not age_of_whom_asked([quoting(funds, 0)], asked("Quel âge a-t-il ?", topic)).stands
    elected = passage(f"{mayor} L'élu a débloqué deux millions d'euros.")
    topic = Topic("Qui a débloqué de l'argent ?", (1,), (elected.row.id, elected.spans[1][1]))
    ruling = age_of_whom_asked([quoting(elected, 0)], asked("Quel âge a-t-il ?", topic))
    assert ruling.stands and "59 ans" in quoted(ruling.order[0])


def test_a_total_asked_with_no_deed_is_counted_by_its_own_noun_when_the_first_quote_counts_nothing():
    """ "Combien de bénévoles compte le festival ?", "Combien d'élèves y avait-il dans le car ?":
    no deed asked, a total; a first quote counting nothing (« … avec des bénévoles », explique la
    présidente) gives way to the sentence of its article counting the noun asked by name (« Les
    230 bénévoles du festival seront consultés »; review-78 declined both), not a count of
    another noun (« 120 000 euros »), nor a part (« Dix-sept élèves … ont été blessés »), nor a
    kin's children (« mère de deux élèves »)."""
    festival = passage(
        "« On arrive au bout de ce que l'on peut faire avec des bénévoles », explique la présidente. "
        "La ville, premier financeur avec 120 000 euros, se dit prête à suivre. "
        "Les 230 bénévoles du festival seront consultés en novembre."
    )
    ruling = answer_type_given([festival], asked("Combien de bénévoles compte le festival ?"))
    assert ruling.stands and "230 bénévoles" in quoted(ruling.order[0])
    bus = passage(
        "« On a senti que ça glissait », raconte Maël, 12 ans, élève de cinquième. "
        "Aurélie de Saint-Jean, mère de deux élèves du car, réclame une glissière. "
        "Les 34 élèves du car sont rentrés chez eux dans la matinée."
    )
    ruling = answer_type_given([bus], asked("Combien d'élèves y avait-il dans le car ?"))
    assert ruling.stands and "34 élèves" in quoted(ruling.order[0])
    # A part stated before the whole: the whole (review78a).
    bus = passage(
        "« On a senti que ça glissait », raconte Maël, 12 ans. "
        "Les 17 élèves blessés ont été transportés à Lodève. Le car transportait 34 élèves."
    )
    ruling = answer_type_given([bus], asked("Combien d'élèves y avait-il dans le car ?"))
    assert ruling.stands and "34 élèves" in quoted(ruling.order[0])
    festival = passage(
        "« On arrive au bout avec des bénévoles », explique-t-elle. "
        "Les 40 bénévoles de la buvette ont servi 3 000 repas. Le festival mobilise 230 bénévoles."
    )
    ruling = answer_type_given([festival], asked("Combien de bénévoles compte le festival ?"))
    assert ruling.stands and "230 bénévoles" in quoted(ruling.order[0])
    some = passage("« Nous tenons bon », dit Maël, 12 ans. Ces 12 élèves ont été hospitalisés.")
    assert not answer_type_given([some], asked("Combien d'élèves y avait-il dans le car ?")).stands
    # A number of them that did something is a part, no total (« onze élus … ont voté contre »:
    # `test_a_count_asked_in_other_words_is_the_sentence_counting_what_the_question_says_was_done`).
    part = passage("« Nous tenons bon », dit Maël, 12 ans. Dix-sept élèves du car ont été blessés.")
    assert not answer_type_given([part], asked("Combien d'élèves y avait-il dans le car ?")).stands
    # Counted by another noun only: no answer.
    staff = passage("« On arrive au bout avec des bénévoles », explique-t-elle. Le festival a reçu 41 000 visiteurs.")
    assert not answer_type_given([staff], asked("Combien de bénévoles compte le festival ?")).stands
    # A deed asked still needs the deed's word (« a recruté 45 techniciens » is no count of those that left).
    left = passage("« Nous tenons bon », dit la direction. Les 230 bénévoles du festival seront consultés.")
    assert not answer_type_given([left], asked("Combien de bénévoles ont démissionné ?")).stands


def test_a_speechs_question_sharing_only_the_asking_word_gives_way_to_a_statement():
    """« Combien faudra-t-il d'éboulements ? », s'agace le maire: a question in a speech, its
    attribution after it, asks rather than answers; sharing only "combien" with "Combien d'argent
    a-t-il débloqué ?" it gives way to its passage's statement (review-78 quoted it first, in the
    article alone and among twelve). One holding a word of the question stays, for the rules
    after it to judge."""
    cliff = passage(
        "Le tunnel de protection coûterait 38 millions d'euros. "
        "« On nous répond toujours que c'est trop cher. Combien faudra-t-il d'éboulements ? », "
        "s'agace le maire d'Isola, Roger Bottero, 59 ans.",
        quoted=2,
    )
    ruling = quote_statements([cliff], asked("Combien d'argent a-t-il débloqué ?"))
    assert quoted(ruling.order[0]).startswith("Le tunnel de protection coûterait")
    # Holding a word of the question (« éboulements »), it is left as it was, and, counting
    # nothing, no answer: the user sees no rhetorical question as a count (review78a).
    rockfalls = asked("Combien d'éboulements y a-t-il eu ?")
    ruling = quote_statements([cliff], rockfalls)
    assert ruling.order[0].quote == cliff.quote
    assert not answer_type_given(ruling.order, rockfalls).stands


def test_a_title_asking_in_quotation_marks_is_no_question_of_the_passage():
    """« Son titre, « Qui veut gagner des millions ? », reste culte … »: a title ending on "?",
    with no attribution after it and not opening the sentence, states; it stays the quote for
    "Comment s'appelle le jeu télévisé ?" (review78a)."""
    show = passage(
        "Son titre, « Qui veut gagner des millions ? », reste culte et revient en janvier. "
        "TF1 diffusera six numéros en première partie de soirée."
    )
    ruling = quote_statements([show], asked("Comment s'appelle le jeu télévisé ?"))
    assert quoted(ruling.order[0]).startswith("Son titre")


def test_a_count_asked_of_a_pronoun_is_first_the_paragraphs_count_of_the_very_noun_asked():
    """ "Combien de matches a-t-il joués à Chambéry ?" after « Il remplace Lucas Van den Berghe,
    parti à Montpellier après huit saisons en Savoie »: the next sentence counts the matches by
    name (« avait disputé 241 matches »), the quote only another thing (« huit saisons »), which
    stood as the answer in review-78. With no count of the noun asked in the paragraph, another
    noun's still answers (« une douzaine de chalets » for "logements")."""
    player = passage(
        "Il remplace Lucas Van den Berghe, 31 ans, parti à Montpellier après huit saisons en Savoie. "
        "Le Belge, capitaine depuis 2024, avait disputé 241 matches sous le maillot chambérien."
    )
    topic = Topic("Qui est parti à Montpellier ?", (1,), (player.row.id, player.spans[0][1]))
    ruling = answer_type_given([player], asked("Combien de matches a-t-il joués à Chambéry ?", topic))
    assert ruling.stands and "241 matches" in quoted(ruling.order[0])
    hamlet = passage(
        "Le hameau a accueilli ses premiers vacanciers cet été. Le promoteur a fait construire une douzaine de chalets."
    )
    topic = Topic("Qu'est-ce qui vient d'ouvrir ?", (1,), (hamlet.row.id, hamlet.spans[0][1]))
    ruling = answer_type_given([hamlet], asked("Combien de logements compte-t-il ?", topic))
    assert ruling.stands and "douzaine de chalets" in quoted(ruling.order[0])

"""The reading rules as a reader sees them (`index.reading_rules`): which sentence answers, or that
none does, once the passages are found. Each test builds the passages an article gives (real
sentence segmentation) and reads a question over them, as `index.search` does."""

from __future__ import annotations

import numpy as np

from index.candidates import Candidate
from index.conversation import Reading, Topic
from index.reading_rules import WhatIsAsked, cause_for_why
from index.reordering import TermMatch
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


def test_why_is_answered_by_the_cause_the_next_paragraph_gives_even_in_the_next_passage():
    """ "Pourquoi la récolte a-t-elle baissé ?": the sentence holding its words states the fact;
    news explains it in the next paragraph (« La baisse s'explique par … »), here in the next
    passage of the article, which comes first quoting it."""
    ruling = cause_for_why([HARVEST, HAIL], asked("Pourquoi la récolte de noix a-t-elle baissé ?"))
    assert ruling.stands and quoted(ruling.order[0]).startswith("La baisse s'explique par deux violents épisodes")


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
    """« en car » is the coach the children take, not "because": the justification two sentences
    before is the cause."""
    schools = passage(
        "L'administration justifie ces mesures par la baisse de la natalité. Le département a perdu 640 élèves. "
        "« La Creuse reste bien dotée », fait valoir la directrice.\n\n"
        "Un argument que rejettent les familles. Les neuf enfants devront faire 14 kilomètres en car chaque matin.",
        quoted=2,
    )
    topic = Topic("Combien de classes vont fermer ?", (1,), (schools.row.id, schools.spans[2][1]))
    ruling = cause_for_why([schools], asked("Pourquoi ?", topic, search="Combien de classes vont fermer ? Pourquoi ?"))
    assert quoted(ruling.order[0]).startswith("L'administration justifie ces mesures")

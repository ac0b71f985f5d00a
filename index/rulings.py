"""What the reading rules read and give (`index.reading_rules`): the question as they read it
(`WhatIsAsked`), what a rule makes of the candidates (`Ruling`), and a rule's shape
(`ReadingRule`). A module of their own so that the modules of rules (`index.person_rules`,
`index.answer_type_rules`) and the one running them in order (`index.reading_rules`) share them
without importing one another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from index.candidates import Candidate
from index.conversation import Reading, asks_as_its_topic
from index.quotes import AskedFor, asked_for


@dataclass(frozen=True)
class WhatIsAsked:
    """A question as the rules read it: how it is read (`index.conversation.Reading`), what it
    asks for, and whether it is an ellipsis asking what its topic asked ("Et l'écran ?")."""

    reading: Reading
    wants: AskedFor
    as_its_topic: bool

    @classmethod
    def of(cls, reading: Reading) -> WhatIsAsked:
        """What it asks for is the question's own ("Combien de voyageurs ?" after "Quand ouvre la
        ligne ?" asks a number, not a date), unless it asks none: "Et l'écran ?" after "Combien
        coûte la batterie ?" asks a price, and a price is what answers it (one said without its
        words: "Et pour les enfants ?", "gratuit pour les moins de 18 ans")."""
        as_its_topic = reading.topic is not None and asks_as_its_topic(reading.own)
        return cls(reading, asked_for(reading.topic.question if as_its_topic else reading.own), as_its_topic)


@dataclass(frozen=True)
class Ruling:
    """What a rule made of the candidates: their new order, whether the answer still stands, and
    why not (what the rule found missing; "" when nothing was)."""

    order: list[Candidate]
    stands: bool = True
    why: str = ""
    # The question's own words no candidate holds, which the reply names ("Je n'ai rien trouvé
    # sur « 2020 »…": `Answer.unheld`).
    unheld: tuple[str, ...] = ()
    # The question to answer instead, when that one finds an answer: "Combien de voyageurs ?"
    # asked alone of the whole library, when its topic's articles never name travellers.
    instead: Reading | None = None
    # The answer is the conversation's, whatever the search's words find: the words said by
    # whom the question's pronoun stands for ("Et elle, qu'a-t-elle dit ?", « … », a-t-elle
    # lancé), in the article last quoted; a question asking nothing of its own, whose search
    # holds only its topic's words, which the relevance policy judges (`index.search`).
    by_conversation: bool = False


ReadingRule = Callable[[Sequence[Candidate], WhatIsAsked], Ruling]

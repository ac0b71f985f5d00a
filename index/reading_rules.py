"""The reading rules: what the words of a question say about which candidate answers it, once the
passage model has ordered them (README, "How it works", steps 7 to 9). Each rule reads the
candidates in their order and the question as read (`WhatIsAsked`), and gives a `Ruling`: the
candidates in a new order (or quoting other sentences), and whether the answer still stands. A
rule that does not apply gives the candidates as they came. They run in the order of
`READING_RULES`, each on the order the one before it gave; the answer stands only if every rule
lets it (and the relevance policy finds it relevant: `index.search`). Adding a rule is adding
one entry there. Pure functions over the candidates (`index.candidates` holds what they do)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from index.ages import ages_said, opens_on_another, role_asked, same_person
from index.analysis import terms
from index.answer_types import (
    AnswerType,
    asked_answer_type,
    dates_only_the_past,
    dates_the_other_end,
    gives_answer_type,
)
from index.candidates import (
    Candidate,
    asks_it_of_instead,
    cause_nearest_first,
    future_dated_first,
    held_in_first_article,
    holding_first,
    measured_first,
    named_person_first,
    quoting_a_sentence_that,
    quoting_descriptions,
    quoting_statements,
    said_in_its_article_first,
    saying_it_of_first,
    still_asked,
    with_reasons_before,
)
from index.causes import asks_why
from index.conversation import (
    Reading,
    added_words,
    asks_as_its_topic,
    has_pronoun_subject,
    speaker_pronoun,
    years_named,
)
from index.follow_ups import (
    last_quoted,
    last_quoted_first,
    measured_near_last_quote,
    near_last_quote,
    nearest_quotation_first,
)
from index.measures import holds_quantity, without_asking_words
from index.quotes import (
    AskedFor,
    asked_for,
    asked_noun,
    asks_for_someone,
    deed_asked,
    persons_named,
    speaks_of_someone,
    who_someone_is,
    without_doer,
)
from index.rates import asked_rate, holds_a_number, states_rate
from index.speakers import spoken_by
from index.tenses import just_done, only_to_come, speaks_of_future


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


def quote_statements(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A quote that is itself a question holding none of the question's words gives way to a
    statement of its passage (not « Cela fait-il … pour autant ? »: `quoting_statements`)."""
    return Ruling(quoting_statements(ordered, asked.reading.own))


def pronoun_for_last_quote(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up in its own words ("Qu'est-ce qui l'inquiète ?"): its pronoun stands for whom
    the last quote spoke of, so that passage comes first, quoted near it (`last_quoted_first`)."""
    reading = asked.reading
    if reading.topic is None or reading.topic.read_to is None or reading.search != reading.own:
        return Ruling(list(ordered))
    return Ruling(last_quoted_first(ordered, reading.topic.read_to, reading.own))


def quotation_for_said(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up asking only what someone said ("Qu'a-t-il dit ?"): in the passage the last
    answer quoted, the sentence holding a « … » quotation nearest that quote is quoted
    (`nearest_quotation_first`): news writes « … », affirme-t-il, seldom "dit". When that passage
    holds none, the nearest of its article quoting one of the pronoun's gender (« … »,
    a-t-elle lancé, for "Et elle, qu'a-t-elle dit ?"). Words said by one of the pronoun's gender
    answer it, as the conversation says (`Ruling.by_conversation`)."""
    reading = asked.reading
    if not reading.said or reading.topic is None or reading.topic.read_to is None:
        return Ruling(list(ordered))
    speaker = speaker_pronoun(reading.own)
    order = nearest_quotation_first(ordered, reading.topic.read_to, speaker)
    start, end = order[0].quote
    return Ruling(order, by_conversation=speaker is not None and speaker in spoken_by(order[0].row.text[start:end]))


def description_for_who(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking who someone is ("Qui est-elle ?"): each passage quotes a sentence
    saying who someone is (`quoting_descriptions`)."""
    someone = who_someone_is(asked.reading.own)
    if someone is None:
        return Ruling(list(ordered))
    return Ruling(quoting_descriptions(ordered, someone))


def person_for_who(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking for someone ("Qui le dit ?", "Comment s'appelle-t-elle ?"): a first
    quote naming nobody, only "elle" (« … », souligne-t-elle), gives way to the sentence before
    it that names whom the pronoun stands for (`named_person_first`)."""
    if not asks_for_someone(asked.reading.own):
        return Ruling(list(ordered))
    return Ruling(named_person_first(ordered))


def future_for_future(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking when something will happen ("Quand sera-t-il exposé ?"): a first quote
    dating only what is past gives way to a sentence of its article dating what is to come
    (`future_dated_first`)."""
    own = asked.reading.own
    if asked.wants.kind != "date" or not speaks_of_future(own):
        return Ruling(list(ordered))
    return Ruling(future_dated_first(ordered))


def cause_for_why(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking why ("Pourquoi la taxe augmente-t-elle ?", or "Pourquoi ?" after one on
    the taxes): a first quote that only names what is asked about gives way to the sentence near
    it giving the cause (`cause_nearest_first`): the question's words are in the sentence that
    states the fact, its cause in the one after (« En effet », « car »), in the next paragraph,
    or before. A follow-up pointing back ("Pourquoi sont-ils morts ?", "Pourquoi autant ?",
    "Pourquoi ce retard ?") asks the cause of what the last answer quoted: looked for from that
    quote."""
    reading = asked.reading
    if not asks_why(reading.own):
        return Ruling(list(ordered))
    topic = reading.topic
    points_back = (
        topic is not None
        and topic.read_to is not None
        and (
            reading.search != reading.own
            or has_pronoun_subject(reading.own)
            or _WHY_THIS.match(reading.own) is not None
        )
    )
    # « Les rames sont donc bondées »: its reasons are the sentences before (`with_reasons_before`).
    return Ruling(with_reasons_before(cause_nearest_first(ordered, topic.read_to if points_back else None)))


# "Pourquoi ce retard ?", "Pourquoi cette hausse ?", "Pourquoi de tels chiffres ?": a demonstrative
# standing for what the last answer said (« … est repoussée à 2029 »), whose words the article may
# never use (« retard » is only in its title).
_WHY_THIS = re.compile(r"^\W*(?:et\s+)?pourquoi\s+(?:ce|cet|cette|ces|de tels|de telles|un tel|une telle)\s", re.I)


def done_not_to_come(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking what has just happened ("Qu'est-ce qui vient d'ouvrir à Méaudre ?") is
    not answered by a first quote saying its verb only as what may or will happen (« Une classe
    supplémentaire pourrait ouvrir à la rentrée 2027 »): it has not happened, and a wrong first
    answer leads the follow-ups astray (`index.tenses.only_to_come`)."""
    verb = just_done(asked.reading.own)
    if verb is None or not ordered:
        return Ruling(list(ordered))
    start, end = ordered[0].quote
    if only_to_come(ordered[0].row.text[start:end], verb):
        return Ruling(list(ordered), False, f"« {verb} » only to come in the first quote")
    return Ruling(list(ordered))


def measure_stated(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking for a quantity ("Combien pèse… ?"): the first article's passages stating
    a weight come first; a first passage that neither states one nor names the measure does not
    answer (`measured_first`)."""
    if asked.wants.measure is None:
        return Ruling(list(ordered))
    reading = asked.reading
    measures_own = reading.follows and not asked.as_its_topic
    order, held = measured_first(ordered, reading.own, asked.wants.measure, measures_own)
    return Ruling(order, held, "" if held else f"no {asked.wants.measure} stated")


def measure_of_whom_last_quoted(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up asking a quantity of whom its pronoun stands for, and naming nothing else
    ("Quel âge a-t-il ?", "Combien pèse-t-il ?"): the one the last quote spoke of, so the
    passage last quoted comes first, quoted at the sentence of its paragraph stating it
    (`measured_near_last_quote`), before another passage's figure said of someone else. Not
    "Combien cela coûtera-t-il à un propriétaire ?": what it names finds its own sentence."""
    reading = asked.reading
    measure = asked.wants.measure
    if (
        measure is None
        or asked.as_its_topic
        or reading.topic is None
        or reading.topic.read_to is None
        or not has_pronoun_subject(reading.own)
        or terms(without_asking_words(reading.own))  # "… cela coûtera-t-il à un propriétaire ?"
    ):
        return Ruling(list(ordered))
    return Ruling(measured_near_last_quote(ordered, reading.topic.read_to, measure))


def age_of_whom_asked(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking someone's age, of a name ("Quel âge a Thierry Lafon ?"), of a pronoun
    after a quote naming people ("Quel âge a-t-il ?" after « Le maire de Guipavas, Laurent
    Quéré, … ») or of a role ("Quel âge a le directeur ?"): a first quote stating no age
    (« Seuls 4 % des Français en âge de donner ») or only another person's (« Julie Darrigade,
    31 ans », « raconte Maëlle Guivarc'h, 27 ans ») does not say it. An age said of nobody by
    name (« À 67 ans, il … », « À 34 ans, la skipper … », « L'élu de 67 ans ») is whom the quote
    speaks of, his when it names no one else (for a role, when it holds the role's word); not
    one said of someone it brings in (« une habitante âgée de 82 ans »; an indefinite phrase set
    beside a name or a definite role describes that one, « Paul Roux, un agriculteur de 54 ans »,
    « La victime, une femme de 82 ans »). An age said right
    after the name asked (« Sylvie Marcadier, 58 ans »), or after a name the article gives the
    role asked (« le maire de Lamastre, Christian Faure » beside « Christian Faure, 61 ans »),
    answers, and is quoted instead when a sentence of the first article says one; else no
    answer. Not when nobody is named before a pronoun, nor for a role the article never names
    ("Quel âge a le buteur ?" of « le jeune Mahamadou Nagida, 19 ans, ne donne l'avantage … »):
    as it came. Of a thing ("Quel âge a le pont ?"), how long ago it was made is its age
    (« Construit il y a 120 ans, le pont … »)."""
    reading = asked.reading
    if asked.wants.measure != "age" or asked.as_its_topic or not ordered:
        return Ruling(list(ordered))
    named, last = persons_named(reading.own), None
    role = None if named else role_asked(reading.own)  # "… le président Emmanuel Macron ?": his name
    topic = reading.topic
    if not named and role is None and has_pronoun_subject(reading.own) and topic is not None and topic.read_to:
        last = _last_quoted_sentence(ordered, topic.read_to)
        named = persons_named(_sentence_text(*last)) if last is not None else []
    if not named and role is None:
        return Ruling(list(ordered))
    first = ordered[0]
    start, end = first.quote
    quote = first.row.text[start:end]
    held = set(terms(role or ""))
    if not named:  # the names the article gives the role asked
        its_article = [c for c in ordered if c.row.article.id == first.row.article.id]
        sentences = [_sentence_text(c, i) for c in its_article for i in range(len(c.spans))]
        in_role = [sentence for sentence in sentences if held & set(terms(sentence))]
        ages = ages_said(quote)
        if not in_role and len(ages) == 1 and ages[0] != "":
            # "Quel âge a le buteur rennais ?": the article never says « buteur », but who scored
            # (« le jeune Mahamadou Nagida, 19 ans, ne donne l'avantage … »): as it came; not the
            # age of someone the quote brings in (« Une habitante âgée de 82 ans »), nor a quote
            # giving several persons' ages (« Julie Darrigade, 31 ans, et Paul Roux, 40 ans »).
            return Ruling(list(ordered))
        named = [name for sentence in in_role for name in persons_named(sentence)]

    def by_name(sentence: str) -> bool:
        return any(age and same_person(age, named) for age in ages_said(sentence))

    unnamed = None in ages_said(quote, of_things=role is not None, role=role) and all(
        same_person(name, named) for name in persons_named(quote)
    )
    if last is not None and not _in_paragraph_of(first, *last) and opens_on_another(quote):
        unnamed = False  # « Son père, âgé de 70 ans, … » in another paragraph: not hers
    # « À 34 ans, la skipper … » after « Léa Garnier … »: whom the quote speaks of, named before;
    # of a role, the quote holds its word, or its paragraph before it names its holder (« Le
    # prévenu, Marc Roche, comparaissait mardi. L'ancien notaire, 61 ans, … »).
    before_it = first.row.text[first.row.text.rfind("\n", 0, start) + 1 : start]
    speaks_of_them = (
        role is None
        or bool(held & set(terms(quote)))
        or any(same_person(name, named) for name in persons_named(before_it))
    )
    if by_name(quote) or (unnamed and speaks_of_them):
        return Ruling(list(ordered))
    said = said_in_its_article_first(ordered, by_name)
    if said is not None:
        return Ruling([said, *(c for c in ordered if c.row.id != said.row.id)])
    return Ruling(list(ordered), False, f"no age said of {', '.join(named) or role}")


def tenure_of_whom_last_named(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up asking how long someone has held a role, of a pronoun ("Depuis combien de
    temps est-elle secouriste ?"), after a quote naming people (« Parmi ces secouristes, Laura
    Mercier, 34 ans, est la première femme … »): a first quote in another paragraph naming none
    of them, and another person or no time since (« Le refuge a fermé dix jours plus tôt que
    prévu », another thing's duration), does not say it: no answer. Not when the last quote
    named nobody, nor a thing's duration ("Depuis combien de temps dure-t-elle ?"), nor an age,
    which news says of whom it speaks in many ways (« À 34 ans, la skipper … », « la jeune Lou
    Marchetti, 19 ans »), nor a quote speaking of someone by a pronoun (« Diplômé de Sciences Po,
    il est maire depuis 2014 ») or naming no person and saying when the role began (« Son
    mandat a commencé en 2014 »). Likewise since when he heads something ("Depuis quand
    préside-t-elle l'association ?", `_HEADS_SINCE`): « Le réseau, posé dans les années 1960, … »
    is no date of her role."""
    reading = asked.reading
    topic = reading.topic
    if (
        (
            (asked.wants.measure != "duration" or _TENURE.match(reading.own) is None)
            and _HEADS_SINCE.match(reading.own) is None
        )
        or asked.as_its_topic
        or topic is None
        or topic.read_to is None
        or not ordered
    ):
        return Ruling(list(ordered))
    last = _last_quoted_sentence(ordered, topic.read_to)
    if last is None:
        return Ruling(list(ordered))
    named = persons_named(_sentence_text(*last))
    if not named:
        return Ruling(list(ordered))
    first = ordered[0]
    if _in_paragraph_of(first, *last):
        return Ruling(list(ordered))  # in the last quote's paragraph: said of them
    start, end = first.quote
    quote = first.row.text[start:end]
    if any(name.split()[-1] in quote for name in named):
        return Ruling(list(ordered))
    if speaks_of_someone(quote):
        return Ruling(list(ordered))  # « Diplômé de Sciences Po, il est maire depuis 2014 »: his
    if not persons_named(quote) and _SINCE.search(quote):
        return Ruling(list(ordered))  # « Son mandat a commencé en 2014 »: his
    return Ruling(list(ordered), False, f"no time since said of {', '.join(named)}")


def _last_quoted_sentence(ordered: Sequence[Candidate], read_to: tuple[int, int]) -> tuple[Candidate, int] | None:
    """The passage the last answer quoted, among `ordered`, and its sentence where that quote
    ended (`Topic.read_to`: the passage's id and the end); None when it is not among them."""
    at, quote_end = last_quoted(ordered, read_to)
    if at is None or not ordered[at].spans:
        return None
    last = ordered[at]
    return last, max((i for i, (a, _) in enumerate(last.spans) if a < quote_end), default=0)


def _sentence_text(candidate: Candidate, sentence: int) -> str:
    start, end = candidate.spans[sentence]
    return candidate.row.text[start:end]


def _in_paragraph_of(first: Candidate, last: Candidate, sentence: int) -> bool:
    """Whether the first candidate's quote is in the paragraph of `last`'s sentence `sentence`:
    what it says there is said of whom that sentence speaks."""
    start, end = first.quote
    low, high = min(start, last.spans[sentence][0]), max(end, last.spans[sentence][1])
    return first.row.id == last.row.id and "\n" not in last.row.text[low:high]


# A time since: « depuis 2015 », « depuis dix ans », « il y a dix ans », « cela fait dix ans »,
# or when a role began: « élu en 2014 », « a pris ses fonctions en », « son mandat a commencé ».
_SINCE = re.compile(
    r"(?<![\w'’-])(?:depuis|il y a|cela fait|ça fait|(?:ré)?élue?s?(?=[^.;!?]{0,40}\ben\s+\d{4})"
    r"|pris ses fonctions|(?:mandat|fonctions)\s+(?:a|ont)\s+(?:commencé|débuté))(?![\w'’-])",
    re.I,
)
# How long someone has held a role: "Depuis combien de temps est-elle secouriste ?"; not how
# long a thing lasts ("Depuis combien de temps dure-t-elle ?", the strike), which no name says.
_TENURE = re.compile(r"^\W*(?:et\s+)?depuis combien de temps (?:est|était)-(?:il|elle)\s+[a-zà-ÿ]", re.I)
# Since when someone heads something, of a pronoun: "Depuis quand préside-t-elle l'association ?",
# "Depuis combien de temps dirige-t-il le club ?"; a verb of heading, not a thing's state
# ("Depuis quand est-il fermé ?", the bridge, dated in other ways: « fermé le 3 mars »).
_HEADS_SINCE = re.compile(
    r"^\W*(?:et\s+)?depuis (?:quand|combien de temps) (?:préside|dirige|représente|anime|gère)-t-(?:il|elle)\b",
    re.I,
)


def subject_named(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """An interrogative alone naming what it asks about ("Combien de munitions ?"): the passages
    naming it come first. When its
    topic's articles never name it, it is asked alone of the whole library, and answered as the
    relevance policy says if that finds nothing; asked of the whole library, it is declined."""
    reading = asked.reading
    if not reading.subject:
        return Ruling(list(ordered))
    order, held = holding_first(ordered, reading.subject)
    if held:
        return Ruling(order)
    why = f"no passage names {' '.join(reading.subject)}"
    if reading.articles:
        return Ruling(order, True, why, instead=reading.standing_alone)
    return Ruling(order, False, why)


def said_of_instead(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """An "Et" and a noun phrase ("Et les vélos ?" after "Combien de trottinettes étaient mal
    garées ?"): the passages saying the topic's question of bikes come first; when none does,
    and the topic asked about a noun (not "Y a-t-il des licenciements ?", which a place's « n'est
    pas menacé » answers), no answer (`saying_it_of_first`)."""
    reading = asked.reading
    topic = reading.topic
    if topic is None or not asks_it_of_instead(reading.own):
        return Ruling(list(ordered))
    instead = added_words(reading.own, topic.question)
    if not instead:
        return Ruling(list(ordered))
    order, said = saying_it_of_first(ordered, instead, still_asked(topic.question, instead))
    stands = said or asked_noun(topic.question) is None
    return Ruling(order, stands, "" if stands else f"nothing said of {' '.join(instead)}")


def required_held(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A follow-up adding years, figures or names to its topic ("Et en 2020 ?"): the passages
    holding them come first; a passage without them does not answer it, and the reply names
    them (`holding_first`)."""
    required = asked.reading.required
    if not required:
        return Ruling(list(ordered))
    order, held = holding_first(ordered, required)
    if held:
        return Ruling(order)
    return Ruling(order, False, f"no passage holds {' '.join(required)}", unheld=required)


def asked_year_held(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question naming a year ("Combien de loups ont été abattus en 2021 ?"), not one its
    topic already named (`required_held` reads those a follow-up adds): a first passage that
    does not hold it gives way to those of its article that do (`held_in_first_article`: one
    dated in it stays first, « Vingt-sept brebis tuées » in an article of 2024 for "… en
    2024 ?"); when none does, no answer, and the reply names the year. An article giving 2023's
    figure does not give 2021's, however close its words."""
    years = tuple(y for y in years_named(asked.reading.own) if y not in asked.reading.required)
    if not years:
        return Ruling(list(ordered))
    if holding_first(ordered[:1], years)[1]:  # the first holds it, or is dated in it: as it was
        return Ruling(list(ordered))
    order, held = held_in_first_article(ordered, years)
    if held:
        return Ruling(order)
    return Ruling(order, False, f"no passage holds {' '.join(years)}", unheld=years)


def doer_said(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking who did something ("Qui l'a traduit ?"): a first quote holding the deed
    only as said of the thing done ("roman traduit en français"), nobody doing it, does not
    answer (`without_doer`)."""
    deed = deed_asked(asked.reading.own)
    if deed is None:
        return Ruling(list(ordered))
    start, end = ordered[0].quote
    said = not without_doer(ordered[0].row.text[start:end], deed)
    return Ruling(list(ordered), said, "" if said else f"no doer of « {deed} » in the first quote")


def rate_stated(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question asking a rate or an average ("Combien d'enfants y a-t-il par classe en moyenne
    ?", "Combien chaque donateur a-t-il versé ?", "… par an ?", `index.rates`): a first quote
    stating no rate (« les neuf enfants de l'école », a total; « en moyenne 45 minutes » a sortie
    for a yearly figure) does not answer it; the sentence of its article stating one, with a
    number and a word of the question, is quoted instead (« Avec 17 élèves par classe en moyenne
    … »; per a thing, one naming it; per a time, for a count, one counting the noun asked), and
    when there is none, no answer: a total divided is not what the article says. An average of a
    kind of measure ("Quelle est la température moyenne … ?", "Quelle est la vitesse moyenne … ?")
    is one stating a quantity of that kind (`measures.holds_quantity`): « 35 % en moyenne » is
    no temperature, « en moyenne 13 700 par jour » no speed."""
    own = asked.reading.own
    rate = asked_rate(own)
    if rate is None or not ordered:
        return Ruling(list(ordered))
    kind = asked.wants.measure  # "Quelle est la température moyenne … ?": an average in degrees

    def of_its_kind(sentence: str) -> bool:
        """« 35 % en moyenne » is no average temperature, « en moyenne 13 700 par jour » no speed."""
        return kind is None or holds_quantity(sentence, kind)

    start, end = ordered[0].quote
    if states_rate(ordered[0].row.text[start:end], rate) and of_its_kind(ordered[0].row.text[start:end]):
        return Ruling(list(ordered))
    asking = set(terms(own)) - set(terms(without_asking_words(own))) | set(terms("moyenne moyen chaque chacun"))
    words = set(terms(without_asking_words(own))) - asking - ({rate.unit} if rate.timed else set())

    counted = asked_answer_type(own)
    by_name = counted is not None and counted.kind == "count"

    def states_it(sentence: str, in_its_words: bool = True) -> bool:
        said = set(terms(sentence))
        if not (states_rate(sentence, rate) and holds_a_number(sentence) and (words & said or not in_its_words)):
            return False
        if not of_its_kind(sentence):
            return False
        if rate.unit is not None and not rate.timed:
            return rate.unit in said  # « 17 élèves par classe » for "… par classe"
        # « quatre trains quotidiens, … faute de voyageurs » counts no travellers a day.
        return not by_name or gives_answer_type(sentence, counted, own, by_name=True)

    stating = said_in_its_article_first(ordered, states_it)
    if stating is None:  # its own passage's, in other words (« 7 500 stagiaires » for "élèves formés par an")
        in_passage = quoting_a_sentence_that(ordered[0], partial(states_it, in_its_words=False))
        stating = in_passage if in_passage.quote != ordered[0].quote else None
    if stating is not None:
        return Ruling([stating, *(c for c in ordered if c.row.id != stating.row.id)])
    return Ruling(list(ordered), False, f"no rate per {rate.unit or 'each'} in the first quote")


def answer_type_given(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question saying plainly what kind of answer it wants ("Qui dirige EDF ?", "Combien de
    manifestants … ?", "Quand … ?": `index.answer_types`): a first quote that does not hold one
    (no name beside a head's role, no number counting what is asked, no time at all) does not answer it,
    however many of its words it holds: the relation asked is not stated there. For a date or
    a head, the sentence of that passage giving one is quoted instead, when there is one: a
    passage dates its events in a sentence of their own, beside the one naming them (not when
    the quote dates the other end of what is asked: « Les travaux doivent débuter en janvier »
    for "Quand seront-ils terminés ?"), and names an office's holder where he speaks, a sentence
    after the one naming his town (« …, dénonce le maire, Jean-Luc Collet. »): for "Qui est le
    maire de Serquigny ?", whose office is asked, which the holder's role is checked against
    (« l'avocate des locataires » is not the owner's); not for "Qui dirige SNCF Voyageurs ?",
    whose passage may name the head of another (« son président », the users' association's).
    Not for a count: another sentence's number mostly counts another event (« 38 conducteurs
    recrutés » for "Combien en manque-t-il ?"). A head asked of a pronoun ("Qui les représente ?")
    after an answer is whom the last quote's paragraph names (`near_last_quote`), and a count
    asked of a pronoun subject ("Combien de logements compte-t-il ?") is said where the last
    quote spoke of it, in other words than the question's noun at need (« une douzaine de
    chalets »), unless the first quote counts the very noun asked. Asked when something will
    happen, a time all over (« depuis 2019 », « en 2024 ») does not answer; "En quelle année
    … ?" wants a year."""
    own = asked.reading.own
    wanted = None if asked.as_its_topic else asked_answer_type(own)
    if wanted is None or not ordered:
        return Ruling(list(ordered))
    topic = asked.reading.topic
    counts_of_pronoun = (
        wanted.kind == "count" and has_pronoun_subject(own) and not _counts_by_name(ordered[0], wanted, own)
    )
    if (wanted.of_pronoun or counts_of_pronoun) and topic is not None and topic.read_to is not None:
        # "Qui les représente ?" after « La CGT … demande … », "Combien de logements compte-t-il ?"
        # after « Le hameau … a accueilli ses premiers vacanciers »: what the last quote spoke
        # of, in its paragraph (« … a fait construire une douzaine de chalets »).
        ordered = near_last_quote(ordered, topic.read_to, partial(gives_answer_type, asked=wanted, question=own))
    first = ordered[0]
    start, end = first.quote
    dated = wanted.kind in ("date", "year")
    moves = (wanted.kind == "head" and wanted.whose is not None) or (
        dated and not dates_the_other_end(first.row.text[start:end], own)
    )
    gives = partial(_gives, wanted, own, _year_of(first) if dated and speaks_of_future(own) else None)
    if moves:
        first = quoting_a_sentence_that(first, gives)
    start, end = first.quote
    given = gives(first.row.text[start:end])
    if not given and wanted.kind == "count":
        # « Leurs occupants … ont dû quitter les lieux sous 48 heures » for "Combien de logements
        # ont été évacués ?": the sentence of its article counting what the question's verb says
        # was done (« un arrêté d'évacuation pour douze chalets »), whatever noun it counts by,
        # when the article never names the noun asked; else only a sentence naming it (« plus de
        # 2500 chercheur·eus·e·s annoncent … »): the article naming it uncounted (« Les ingénieurs
        # recrutés rejoindront … »), another noun's count by the same deed (« a recruté 45
        # techniciens ») is another thing's.
        done = set(terms(" ".join(_deed_words(own)))) - {*wanted.nouns, *_ASKING_COUNT, *_HAVING}
        in_other_words = not _names_the_noun_counted(ordered, wanted)

        def counts_the_deed(sentence: str) -> bool:
            said = set(terms(sentence))
            return bool(done & said) and (in_other_words or bool(wanted.nouns & said)) and gives(sentence)

        counted = said_in_its_article_first([first, *ordered[1:]], counts_the_deed)
        if counted is not None:
            return Ruling([counted, *(c for c in ordered if c.row.id != counted.row.id)])
    # "Qui les représente ?": a representative named in the article the conversation is on is
    # the one it asks for, whatever the relevance policy makes of the words (« Sa présidente,
    # Fatima Benali, … » of the tenants, where "représente" is no word of the article).
    said = (
        given
        and wanted.kind == "head"
        and wanted.of_pronoun
        and topic is not None
        and first.row.article.id in topic.articles
    )
    why = "" if given else f"no {wanted.kind} in the first quote"
    return Ruling([first, *ordered[1:]], given, why, by_conversation=said)


def count_not_a_standing_total(ordered: Sequence[Candidate], asked: WhatIsAsked) -> Ruling:
    """A question counting those that did something ("Combien d'entreprises ont fait faillite ?",
    "Combien de bateaux ont manifesté ?", a deed in a compound past) is not answered by a first
    quote giving only how many there are (« Le bassin compte 315 entreprises », « La flottille
    compte 86 bateaux », « L'usine emploie 45 salariés »: a verb of having before the number)
    when it does not say the deed (« L'usine compte 260 salariés licenciés » does) nor count what
    is asked beside that total (« qui regroupe 230 boutiques, a lancé une pétition qui a recueilli
    8 400 signatures » for "Combien de personnes ont signé … ?"; not a year, « En 2024 », a day,
    « le 3 mars », nor what restates or divides the total, « soit 4 000 emplois »): that count is
    all of them, not those that did it. Not a deed of counting or having ("Combien de grues ont
    été comptées ?", "… recensées ?"), nor a question in the present ("Combien de pêcheurs
    travaillent … ?", answered by « compte 250 marins »; "Combien de communes sont desservies ?", a
    present passive, answered by « Le réseau compte 25 communes »)."""
    own = asked.reading.own
    wanted = None if asked.as_its_topic else asked_answer_type(own)
    deed = _past_deed(own)
    if wanted is None or wanted.kind != "count" or deed is None or not ordered:
        return Ruling(list(ordered))
    if _COUNTING_DEED.match(deed.group(3)):
        return Ruling(list(ordered))
    start, end = ordered[0].quote
    quote = ordered[0].row.text[start:end]
    if _STANDING_TOTAL.search(quote) is None or set(_deed_terms(own, deed)) & set(terms(quote)):
        return Ruling(list(ordered))
    if gives_answer_type(_STANDING_TOTAL_CLAUSE.sub(" ", quote), wanted, own):
        return Ruling(list(ordered))  # « qui regroupe 230 boutiques, … a recueilli 8 400 signatures »
    return Ruling(list(ordered), False, f"a total, not those « {deed.group(3)} », in the first quote")


# A deed in a compound past, its participle: "ont fait faillite", "ont manifesté", "ont été
# vendues", "sont mortes", "a-t-elle licenciés". The participle in lower case: "Combien
# d'habitants a Paris ?", "… a Lactalis ?" name a place, a firm.
_PAST_DEED = re.compile(
    r"(?<![\w'’-])(?P<aux>(?i:ont|a|avaient|avait|sont|est|étaient|était))(?i:-t-(?:il|elle|on)|-ils|-elles)?\s+"
    r"(?P<between>(?i:(?:déjà|été|pas|encore)\s+)*)"
    r"([a-zàâçéèêëîïôûùüÿœ]+(?:é|ée|és|ées|i|ie|is|ies|u|ue|us|ues|t|te|ts|tes))(?![\w-])"
)
# The verbs whose compound past takes « être » ("sont morts", "sont partis", "sont nés"): after
# « sont » any other participle is a state in the present ("Combien de communes sont desservies ?",
# "… sont concernés ?"), which a total answers.
_PAST_WITH_ETRE = re.compile(
    r"(?:re|de|inter|par|sur|pro)?venu|arrivé|parti|mort|née?s?$|décédé|resté|tombé|r?entré|sorti|allé|retourné"
    r"|passé|monté|descendu|apparu|disparu"
)
_NEXT_WORD = re.compile(r"\s+([\w'’-]+)")


def _deed_terms(question: str, deed: re.Match[str]) -> list[str]:
    """The terms saying the deed: its participle's, or, for a participle that is a stopword
    ("ont fait faillite", "ont eu peur"), the word after it (« qui ont fait faillite », « en
    faillite » say it)."""
    said = terms(deed.group(3))
    after = _NEXT_WORD.match(question, deed.end())
    return said or (terms(after.group(1)) if after else [])


_REFLEXIVE_BEFORE = re.compile(r"(?<![\w'’-])(?:se|s['’])\s*$", re.I)


def _past_deed(question: str) -> re.Match[str] | None:
    """The first deed in a compound past `question` asks of (`_PAST_DEED`, its participle group 3):
    with « avoir », « été » ("ont été licenciés"), a reflexive ("se sont mobilisés") or a verb
    taking « être » ("sont partis"); not a present passive ("sont desservies")."""
    for deed in _PAST_DEED.finditer(question):
        of_etre = deed.group("aux").lower() in ("sont", "est", "étaient", "était")
        if (
            not of_etre
            or "été" in deed.group("between").lower()
            or _REFLEXIVE_BEFORE.search(question, 0, deed.start())
            or _PAST_WITH_ETRE.match(deed.group(3))
        ):
            return deed
    return None


# A deed that counts or has what it counts ("ont été comptées", "recensés", "ont eu"): a total answers it.
_COUNTING_DEED = re.compile(
    r"(?:compt|recens|dénombr|enregistr|inscrit|possédé|eu$|eus$|eue|été$|totalis|regroup|réuni|accueilli|employé)",
    re.I,
)
# A verb of having before a number: « compte 315 entreprises », « emploie environ 800 personnes ».
_STANDING_TOTAL = re.compile(
    r"(?<![\w'’-])(?:compte|comptent|comptait|comptaient|totalise|totalisent|possède|possèdent|abrite|abritent"
    r"|regroupe|regroupent|emploie|emploient|employait|employaient)\s+"
    r"(?:(?:aujourd'hui|désormais|encore|actuellement|environ|plus de|près de|quelque|au moins|pas moins de)\s+)*"
    r"(?:\d|(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante"
    r"|cinquante|soixante|cent|mille)\b)",
    re.I,
)
# … and the rest of its clause (« compte 86 bateaux et 250 marins »), what it counts, across a
# number's decimal comma (« 2,5 milliers »), with what restates or divides that total (« , soit
# 4 000 emplois », « , dont 60 % de PME »).
_STANDING_TOTAL_CLAUSE = re.compile(
    _STANDING_TOTAL.pattern + r"(?:[^,;:.!?]|[,.](?=\d))*(?:,\s*(?:soit|dont)\b(?:[^,;:.!?]|[,.](?=\d))*)*", re.I
)


def _names_the_noun_counted(ordered: Sequence[Candidate], wanted: AnswerType) -> bool:
    """Whether a passage found of the first one's article names the noun `wanted` counts (its
    stems), in the words of the question."""
    article = ordered[0].row.article.id
    return any(wanted.nouns & set(terms(c.row.text)) for c in ordered if c.row.article.id == article)


# The terms that ask for a count, which say nothing of what was counted.
_ASKING_COUNT = frozenset(terms("combien nombre"))
# Verbs of having, which say of nothing what was done to it: "Combien d'habitants compte Millau ?"
# is not answered by « L'opposition, qui compte six élus, … ».
_HAVING = frozenset(
    terms("compte comptent possède possèdent comprend comprennent contient contiennent abrite totalise")
)
_QUESTION_WORDS = re.compile(r"[\w-]+(?:['’])?")
_OPENS_NOUN = frozenset("le la les l' l’ un une des du de d' d’ son sa ses leur leurs ce cet cette ces chaque".split())


def _deed_words(question: str) -> list[str]:
    """The words of `question` that may say what was done, not whom to: verbs, none a determiner
    opens and none capitalised ("Combien de salariés la start-up a-t-elle embauchés ?":
    "embauchés", not "start-up"; "Combien de campeurs accueille le camping chaque été ?":
    "accueille"; "Combien d'élus compte le conseil municipal ?": none, "compte" a verb of
    having, `_HAVING`)."""
    words = _QUESTION_WORDS.findall(question)
    return [
        word
        for at, word in enumerate(words)
        if at
        and word[0].islower()
        and words[at - 1].lower() not in _OPENS_NOUN
        and word.split("-t-")[0].split("-")[0].endswith(_MAY_END_A_VERB)
    ]


# The endings a conjugated verb or a participle may have ("évacués", "accueille", "recrutent"):
# a loose sieve, since "e" (the present of the verbs in -er) ends most French words; it keeps out
# words ending otherwise ("municipal", "combien", "ont", "dans"). What keeps nouns out is the
# determiner before them (`_OPENS_NOUN`) and the capital of a name.
_MAY_END_A_VERB = ("é", "és", "ées", "er", "ir", "e", "ent", "is", "it", "ts", "u", "us", "ues")


def _gives(wanted: AnswerType, question: str, future_of: int | None, sentence: str) -> bool:
    """Whether `sentence` gives the answer type `wanted`; for a question asking when something
    will happen (`future_of`: the year of the article read, None for any other question), a time
    that is not all past (`answer_types.dates_only_the_past`: « depuis 2019 », « en 2024 » in an
    article of 2026 say nothing of what is to come)."""
    if not gives_answer_type(sentence, wanted, question):
        return False
    # Not « told in the past »: news dates what is to come in a past sentence (« Le jugement a été
    # mis en délibéré au 24 avril », « Le groupe a confirmé la fermeture à la fin du mois de juin »).
    return future_of is None or not dates_only_the_past(sentence, future_of, years_only=wanted.kind == "year")


def _counts_by_name(candidate: Candidate, wanted: AnswerType, question: str) -> bool:
    """Whether the candidate's quote counts the very noun asked (« 22 des 29 sièges » for
    "Combien de sièges aura-t-elle ?"): it answers, whatever the pronoun stands for."""
    start, end = candidate.quote
    return gives_answer_type(candidate.row.text[start:end], wanted, question, by_name=True)


def _year_of(candidate: Candidate) -> int:
    """The year of the candidate's article, 0 when it is not dated (then only « depuis … » is past)."""
    date = candidate.row.article.date or ""
    return int(date[:4]) if date[:4].isdigit() else 0


# The rules, in the order they run, each on the order the one before gave.
READING_RULES: tuple[ReadingRule, ...] = (
    quote_statements,  # a quote that only asks back gives way to a statement of its passage
    pronoun_for_last_quote,  # "Qu'est-ce qui l'inquiète ?": the passage last quoted first
    quotation_for_said,  # "Qu'a-t-il dit ?": the quotation nearest the last quote
    description_for_who,  # "Qui est-elle ?": sentences saying who someone is quoted
    person_for_who,  # "Qui le dit ?": a quote naming nobody, only "elle": the sentence naming her
    future_for_future,  # "Quand sera-t-il exposé ?": a sentence dating what is to come first
    done_not_to_come,  # "Qu'est-ce qui vient d'ouvrir ?": a quote where it « pourrait ouvrir »: no answer
    cause_for_why,  # "Pourquoi … ?": a sentence near the first quote giving the cause quoted
    measure_stated,  # "Combien pèse… ?": passages stating a weight first; none: no answer
    measure_of_whom_last_quoted,  # "Quel âge a-t-il ?": the last quoted passage's age first
    age_of_whom_asked,  # "Quel âge a Thierry Lafon ?": a first quote giving another's age: no answer
    tenure_of_whom_last_named,  # "Depuis combien de temps est-elle … ?": of another than those last named: none
    subject_named,  # "Combien de munitions ?": passages naming them first; none: asked alone
    said_of_instead,  # "Et les vélos ?": passages saying it of bikes first; none: no answer
    required_held,  # "Et en 2020 ?": passages holding 2020 first; none: no answer, 2020 named
    doer_said,  # "Qui l'a traduit ?": a first quote where nobody translated: no answer
    rate_stated,  # "Combien … par classe en moyenne ?": a first quote giving a total: no answer
    asked_year_held,  # "… abattus en 2021 ?": passages holding 2021 first; none: no answer
    answer_type_given,  # "Qui dirige EDF ?": a first quote naming nobody at its head: no answer
    count_not_a_standing_total,  # "… ont fait faillite ?": « Le bassin compte 315 entreprises »: no answer
)


def read_by_rules(
    ordered: Sequence[Candidate], asked: WhatIsAsked, rules: Sequence[ReadingRule] = READING_RULES
) -> tuple[list[Candidate], list[Ruling]]:
    """The candidates in the order the `rules` leave them, and each rule's ruling."""
    order, rulings = list(ordered), []
    for rule in rules:
        ruling = rule(order, asked)
        order = ruling.order
        rulings.append(ruling)
    return order, rulings

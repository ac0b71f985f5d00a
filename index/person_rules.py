"""The reading rules about a person asked of (`index.reading_rules` runs them in their order):
who someone is (`description_for_who`), who it is that a quote speaks of by a pronoun
(`person_for_who`), whose age a question asks and whether the first quote says it
(`age_of_whom_asked`), and how long someone last named has held a role
(`tenure_of_whom_last_named`), with what the last two share: the sentence the last answer
quoted, and whether the first quote is in its paragraph. Pure functions over the candidates
(`index.candidates`)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.ages import ages_said, holds_another_role, of_the_role_asked, opens_on_another, role_asked, same_person
from index.analysis import terms
from index.candidates import Candidate, named_person_first, quoting_descriptions, said_in_its_article_first
from index.conversation import has_pronoun_subject
from index.follow_ups import last_quoted_sentence
from index.quotes import asks_for_someone, persons_named, speaks_of_someone, who_someone_is
from index.rulings import Ruling, WhatIsAsked
from index.sentences import same_paragraph
from index.speakers import ROLE_NOUNS


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
        last = last_quoted_sentence(ordered, topic.read_to)
        named = _named_at_or_before(*last) if last is not None else []
        if last is not None and not named and not _points_back(_sentence_text(*last)):
            # "il" is whom the last quote speaks of, another role it leaves unnamed (« Le président
            # du Département a débloqué … »): an age said only of someone by name (« Le maire
            # d'Isola, Roger Bottero, 59 ans ») is another's; not one said of someone the quote
            # brings in (« Une habitante âgée de 82 ans »), who may be "elle".
            start, end = ordered[0].quote
            ages = ages_said(ordered[0].row.text[start:end])
            if ages and all(ages):
                return Ruling(list(ordered), False, "no age said of whom the last quote speaks of")
    if not named and role is None:
        return Ruling(list(ordered))
    first = ordered[0]
    start, end = first.quote
    quote = first.row.text[start:end]
    held = set(terms(role or ""))
    if not named:  # the names the article gives the role asked
        its_article = [c for c in ordered if c.row.article.id == first.row.article.id]
        sentences = [_sentence_text(c, i) for c in its_article for i in range(len(c.spans))]
        in_role = of_the_role_asked(
            [sentence for sentence in sentences if held & set(terms(sentence))], reading.own, role
        )
        ages = ages_said(quote)
        if not in_role and len(ages) == 1 and ages[0] != "" and not holds_another_role(quote, ages[0], role):
            # "Quel âge a le buteur rennais ?": the article never says « buteur », but who scored
            # (« le jeune Mahamadou Nagida, 19 ans, ne donne l'avantage … »): as it came; not the
            # age of someone the quote brings in (« Une habitante âgée de 82 ans »), nor a quote
            # giving several persons' ages (« Julie Darrigade, 31 ans, et Paul Roux, 40 ans »),
            # nor one of whom the quote gives another role (« Son fromager, Lucas Jeunet, 29 ans »
            # for "Quel âge a la directrice de la fromagerie ?").
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
    last = last_quoted_sentence(ordered, topic.read_to)
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


def _named_at_or_before(candidate: Candidate, sentence: int) -> list[str]:
    """The persons the passage's `sentence` names, or, when it names nobody and speaks of someone
    by a pronoun or a role noun alone (« Il a proposé lundi le recrutement … », « L'élu a
    demandé … »: `_points_back`), those the nearest sentence before it in its paragraph names:
    whom that subject stands for (« Le directeur de l'établissement, Philippe de Kerguelen,
    reconnaît … »). A sentence whose subject is another role (« Le président du Département a
    débloqué … ») names nobody, nor does the paragraph before the pronoun's."""
    text = _sentence_text(candidate, sentence)
    named = persons_named(text)
    if named or not _points_back(text):
        return named
    for before in range(sentence - 1, -1, -1):
        if not same_paragraph(candidate.row.text, candidate.spans[before], candidate.spans[sentence]):
            break
        named = persons_named(_sentence_text(candidate, before))
        if named:
            return named
    return []


def _points_back(sentence: str) -> bool:
    """Whether `sentence` speaks of someone named before it: by a subject pronoun (« Il a
    proposé … », « …, résume-t-elle »), or by a role noun with no complement of its own as its
    subject (« L'élu a … », « Lundi, la ministre … »; not « Le président du Département », another
    role)."""
    return speaks_of_someone(sentence) or _ROLE_ALONE.match(sentence) is not None


# A role noun alone opening the sentence, or after what opens it up to a comma (« Lundi, l'élu … »).
_ROLE_ALONE = re.compile(
    rf"^\W*(?:[^,.;!?]{{0,40}},\s*)?(?:l['’]\s*|le\s+|la\s+)(?:{ROLE_NOUNS})(?![\w'’-])(?!\s+(?:de|du|des|d['’]))",
    re.I,
)


def _sentence_text(candidate: Candidate, sentence: int) -> str:
    start, end = candidate.spans[sentence]
    return candidate.row.text[start:end]


def _in_paragraph_of(first: Candidate, last: Candidate, sentence: int) -> bool:
    """Whether the first candidate's quote is in the paragraph of `last`'s sentence `sentence`:
    what it says there is said of whom that sentence speaks."""
    return first.row.id == last.row.id and same_paragraph(last.row.text, first.quote, last.spans[sentence])


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

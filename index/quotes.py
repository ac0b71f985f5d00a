"""Choosing the quote: the sentence of a passage that answers the question.

Each sentence is scored by a small linear model over what can be known of it cheaply:
its vector's closeness to the question's (every sentence is embedded at ingest), the
question's words it holds (all of them, and those not already in the title, which every
sentence of the article shares), how much of the sentence only repeats the question,
its neighbours (the answer often follows the sentence that names the subject), its
place, and whether it holds what the question asks for (a date for "quand", a number that
is not a year for "combien", names for "qui" and "où") beyond what the question itself
says: the "35" of "Combien d'emplois les 35 heures ont-elles permis de créer ?" or the name in
"Où Jeong Uhee travaille-t-elle ?" answers nothing; and whether it holds that right beside the
noun the question asks about ("Combien de déplacements…" → "365 000 déplacements"). The
weights were fitted on the development questions with articles held out (README,
"Retrieval quality"; `python -m tests.tuning.fit_answers` refits them).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

from index.analysis import STOPWORDS, in_question_order, stem, terms
from index.measures import asked_measure, gives_a_count, quantity_spans
from index.ranking import LinearModel

SHORT_SENTENCE_WORDS = 8
# What "La suite ?" quotes at least, in words, where the passage goes on (`next_quote`): two
# or three sentences of news, enough to read on without a message per sentence.
READ_ON_WORDS = 40

_QUESTION_TYPES = (
    ("date", re.compile(r"\bquand\b|\ben quelle\b|quelle (?:année|date|époque)|quel siècle|depuis quand", re.I)),
    (
        "number",
        re.compile(
            r"\bcombien\b|quel (?:nombre|pourcentage|âge|montant|prix|taux)|"
            r"quelle (?:taille|superficie|population|distance|hauteur|longueur|durée|somme|part|proportion)",
            re.I,
        ),
    ),
    (
        "who",
        re.compile(
            r"^\s*(?:qui|de qui|par qui|à qui|avec qui)\b|\bqui (?:est|était|a|dirige|fut)\b|"
            r"\bcomment (?:s'|s’|se )(?:appel|nomm)|\bquel (?:est|était) (?:le|son) nom\b",
            re.I,
        ),
    ),
    ("where", re.compile(r"\boù\b|\b(?:quelle|dans quelle) (?:ville|région)|\bquel (?:pays|lieu|endroit)", re.I)),
)
QUESTION_TYPES = tuple(name for name, _ in _QUESTION_TYPES)
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})\b")
# The patterns below run over every candidate passage of every typed question, so each starts
# with what it must match first (a digit, a space, a letter), which lets the regular-expression
# engine skip ahead, and checks what precedes that character afterwards, with a look-behind: a
# pattern that opens with a look-around or `\b` is tried at every position, several times
# slower. tests/test_quotes.py holds the plain forms they are checked against.
# A number that is not a year: a count, an amount, a day of the month.
_QUANTITY = re.compile(
    r"\d(?<![\d,.]\d)(?!(?<=1)[0-9]{3}\b)(?!(?<=2)0[0-9]{2}\b)\d*(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?"
)
_MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
# Month names and dates are read from lower-cased text (case-insensitive matching is slower).
_MONTH_NAMES = tuple(_MONTHS.split("|"))
# A date: a year, a day of a month ("le 6 septembre", "1er mars": how news dates what it
# reports, where encyclopaedias give the year), or a century ("au XVIIe siècle"); a month
# alone ("fin juin") is a date too, found apart (`_month_spans`).
_DAY_OR_YEAR = (
    r"[0-9](?<!\w[0-9])(?:(?<=1)[0-9]{3}\b|(?<=2)0[0-9]{2}\b"  # a year
    rf"|(?:(?<=1)er|(?<=3)[01]|(?<=[12])[0-9])?[ \u00a0](?:{_MONTHS})\b)"  # a day of a month
)
_DATED = re.compile(rf"{_DAY_OR_YEAR}|[ivx](?<!\w[ivx])[ivx]*e siècle\b")  # ... or a century
# The same without its century, read where no century is written (none of `_CENTURIES`): an
# "i", a "v" or an "x" (a good share of French text) is where the engine has to try one, which
# tripled its cost.
_DAY_OR_YEAR_DATED = re.compile(_DAY_OR_YEAR)
_CENTURIES = tuple(f"{numeral}e siècle" for numeral in "ivx")
# A name inside the sentence: a capitalised word after spaces that follow a character ending
# no sentence. Each pattern starts at the capital (rarer than spaces, which the engine would
# stop at, twice as slow) and checks the space before it with a look-behind; a look-behind
# having a fixed width, a capital after several spaces is marked (group `_SPACED`) for
# `_after_text` to check what precedes them.
_SPACED = "spaced"
_CAPITAL_AFTER_SPACE = rf"[A-ZÀ-ÖØ-Þ](?:(?<=[^.!?\s]\s.)|(?<=\s\s.)(?P<{_SPACED}>))"
_INNER_NAME = re.compile(rf"{_CAPITAL_AFTER_SPACE}[a-zà-öø-ÿ]+")
# A person's name inside the sentence: two capitalised words in a row ("Jens Stoltenberg",
# "Jean-Pierre Denis", "Charles de Gaulle"), where an organisation or a place is mostly one.
_PERSON = re.compile(
    rf"{_CAPITAL_AFTER_SPACE}[a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?\s+(?:(?:de|du|d')\s*)?[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+"
)
# What a sentence may hold that a typed question asks for, by the name its features carry
# (`sentence_properties` finds each).
_PROPERTIES = ("date", "number", "month", "name", "person")
PROPERTY_COLUMNS = {name: column for column, name in enumerate(_PROPERTIES)}  # `sentence_properties`' columns
FEATURES = (
    "cosine",
    "cosine above the passage's mean",
    "closest sentence",
    "question terms",
    "question terms beyond the title",
    "share of the sentence that repeats the question",
    "most question terms beyond the title",
    "previous sentence: question terms beyond the title",
    "previous sentence: cosine above the mean",
    "next sentence: question terms beyond the title",
    "first sentence",
    "relative position",
    "length (log words)",
    *(f"{kind} question, sentence with {has}" for kind in QUESTION_TYPES for has in _PROPERTIES),
    "asked-for value beside the question's noun",
)
_BESIDE_NOUN = FEATURES.index("asked-for value beside the question's noun")
_PROPERTIES_FROM = FEATURES.index(f"{QUESTION_TYPES[0]} question, sentence with date")


_WORD = re.compile(r"\w+")


# The noun a question asks about: "Combien de *déplacements*…", "Quelle *loi*…", "Qui est le
# *secrétaire* général…", "Comment s'appelle l'*architecte*…". News names its answer right beside
# it: "365 000 déplacements", "la loi LPPR", "Jens Stoltenberg, le secrétaire général". For
# "*Depuis* quand…" and "*Jusqu*'à quand…", the preposition: "depuis la rentrée de janvier",
# "depuis 1959", "jusqu'en 1888".
_ARTICLE = r"(?:le |la |les |l['’]\s*|son |sa |ses |leur |leurs )"
_ASKED_NOUN = re.compile(
    r"\b(depuis|jusqu)(?:['’]\s*(?:à|a|en))? quand\b"
    r"|\bcombien (?:de |d['’]\s*)(\w+)"
    rf"|\bquel(?:le)?s? (?:est|sont|était|étaient|fut) {_ARTICLE}(\w+)"
    r"|\bquel(?:le)?s? (\w+)"
    rf"|\bqui (?:est|sont|était|étaient|fut) {_ARTICLE}(\w+)"
    rf"|\bcomment s['’]\s*appel\w* {_ARTICLE}(\w+)",
    re.I,
)
# How many words on either side of the noun the value may stand ("le ministre de la Santé,
# Olivier Véran").
_BESIDE = 4
_SENTENCE_WORD = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class AskedFor:
    """What a question asks for: its kind (one of `QUESTION_TYPES`, or None), its own
    words, lower-cased, which a sentence may repeat without answering anything, the term of
    the noun it asks about, if it names one, and the kind of quantity it asks for
    (`index.measures.KINDS`: "Combien pèse…", "Quel est le poids…" a weight), if it says: a
    number question's number is then a quantity of that kind."""

    kind: str | None
    words: frozenset[str] = frozenset()
    noun: str | None = None
    measure: str | None = None


def asked_for(question: str) -> AskedFor:
    kind, words = question_type(question), frozenset(_WORD.findall(question.casefold()))
    # "Quel est le poids…" stays a question of no type for the quote model (fitted so): the
    # sentences stating a weight are preferred after it (`index.candidates.measured_first`).
    measure = asked_measure(question) if kind in ("number", None) else None
    return AskedFor(kind, words, asked_noun(question), measure)


def asked_noun(question: str) -> str | None:
    """The term (`index.analysis.stem`) of the noun `question` asks about, or None."""
    match = _ASKED_NOUN.search(question)
    if match is not None and match.group(1):  # "depuis quand", "jusqu'à quand": the preposition
        return stem(match.group(1).lower())
    noun = next((g for g in match.groups() if g), None) if match else None
    if noun is None or noun.lower() in STOPWORDS or noun.isdigit():
        return None
    return stem(noun.lower())


def same_length_lower(text: str) -> str:
    """`text` in lower case, each character staying one character (so that offsets hold): the
    few whose lower case is longer ("İ") are kept as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    # Rare (an "İstanbul" among a typed question's candidates), but then over all their text:
    # the text split around those characters, the rest lowered piece by piece, not one by one.
    longer = "".join(re.escape(c) for c in set(text) if len(c.lower()) != 1)
    pieces = re.split(f"([{longer}])", text)  # the characters kept sit at the odd places
    return "".join(piece if at % 2 else piece.lower() for at, piece in enumerate(pieces))


def _value_beside(sentence: str, asked: AskedFor) -> bool:
    """Whether `sentence` holds what `asked` asks for within a few words of its noun: a
    number for a number question, a year or a month for a date, a capitalised word (a name,
    an acronym) otherwise, none of them words of the question and not the sentence's first."""
    words = _SENTENCE_WORD.findall(sentence)
    for at, word in enumerate(words):
        if stem(word.lower()) != asked.noun:
            continue
        for i in range(max(at - _BESIDE, 0), min(at + _BESIDE + 1, len(words))):
            near = words[i]
            if i == at or near.lower() in asked.words:
                continue
            if asked.kind == "number":  # in digits or in words: "onze fours", "une soixantaine d'opérations"
                found = near.isdigit() or (gives_a_count(words, i) and not _a_share(words, at))
            elif asked.kind == "date":
                found = bool(_YEAR.fullmatch(near)) or near.lower() in _MONTH_NAMES
            else:
                found = i > 0 and near[0].isupper() and near.lower() not in STOPWORDS
            if found:
                return True
    return False


def _a_share(words: Sequence[str], noun: int) -> bool:
    """Whether the noun at `noun` is counted out of a whole ("huit voyageurs sur dix"): a
    share, not how many."""
    return noun + 1 < len(words) and words[noun + 1].lower() == "sur"


# "Qui est-elle ?", "Qui est Aurélie Morand ?", "Qui était ce dernier ?": who someone is, which
# a description answers ("elle était jusqu'ici préfète de la Gironde"), not a name.
_WHO_SOMEONE_IS = re.compile(
    r"\s*(?i:qui\s+(?:est|était|sont|étaient|fut))"
    r"(?:(?i:-(?:il|elle|ils|elles)|\s+(?:ce|cette|ces)\s+[\w-]+)"
    r"|((?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+(?:de|du|d['’]|von|van|da|di|le|la)\s*)?)+))\s*[?!.…]*\s*"
)
# A sentence saying who someone is: a role after "il est", "elle était (jusqu'ici)", "a été" (not
# "elle est arrivée", "il est né"), or after a name ("Park Minwoo est un architecte"), a name in
# apposition ("Jens Stoltenberg, le secrétaire général"; "Park Minwoo, chercheur à l'Inserm",
# "Christine Lagarde, directrice générale du FMI": a role and where, without an article; not
# "Emmanuel Macron, lors de sa visite"), or an age, a birth, a degree ("Âgée de 54 ans",
# "diplômée de").
_NOT_A_ROLE = (
    r"(?:lors|suite|près|loin|grâce|face|afin|avant|après|selon|pendant|depuis|ensuite|puis|hors|au|en|seul|seule"
    r"|seuls|seules|hier|demain|aujourd|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
    r"|a|ont|avait|avaient|est|sont|était|étaient|qui|que|dont|et|ou|mais|il|elle|ils|elles|on|ce|cette|ces)\b"
)
_DESCRIPTION = re.compile(
    r"(?i:\b(?:il|elle|ils|elles|qui)\s+(?:est|était|fut|sont|étaient|a été|avait été|sera|devient|reste|restait)\s+"
    r"(?:(?:jusqu['’]ici|jusqu['’]alors|alors|aussi|déjà|désormais|actuellement|également|toujours|encore)\s+)*"
    r"(?:l['’]|le |la |les |un |une |(?!(?:mort|morte|morts|mortes)\b)[a-zà-ÿ][\w-]*(?<!é)(?<!ée)(?<!és)(?<!ées)\b))"
    r"|[A-ZÀ-ÖØ-Þ][\w-]+,\s+(?:l['’]|le |la |un |une |(?i:ancien |ancienne |ex-|futur |future ))"
    rf"|[A-ZÀ-ÖØ-Þ][\w-]+,\s+(?!{_NOT_A_ROLE})[a-zà-ÿ][\w-]*(?:\s+[a-zà-ÿ][\w-]*)?\s+(?:de|d['’]|du|des|à|au|aux|en|chez)\b"
    r"|[A-ZÀ-ÖØ-Þ][\w-]+\s+(?:est|était|fut|a été)\s+(?:l['’]|le |la |un |une )"
    r"|(?i:\b(?:âgée?s?|née?s?|diplômée?s?|originaire)\s+(?:de|d['’]|en|à)\b)"
)


def who_someone_is(question: str) -> tuple[str, ...] | None:
    """For a question asking who someone is, the words of the name it gives ("Qui est Aurélie
    Morand ?": Aurélie, Morand; "Qui est-elle ?": none); None for any other question."""
    match = _WHO_SOMEONE_IS.fullmatch(question)
    if match is None:
        return None
    return tuple(w for w in _WORD.findall(match.group(1) or "") if w[0].isupper())


# "Qui le dit ?", "Qui l'a rappelé ?", "Comment s'appelle-t-elle ?": a person asked for.
_ASKS_FOR_SOMEONE = re.compile(r"\s*(?:qui\b|comment\s+s['’]appell?e)", re.I)
# A subject pronoun ("…, souligne-t-elle", "Il réclame …"): the sentence speaks of someone named
# before it.
_SUBJECT_PRONOUN = re.compile(r"(?<![\w'’])(?:il|elle|ils|elles)\b", re.I)


def asks_for_someone(question: str) -> bool:
    """Whether `question` asks for a person ("Qui le dit ?", "Comment s'appelle-t-il ?"), not who
    someone named is ("Qui est Aurélie Morand ?": `who_someone_is`)."""
    return _ASKS_FOR_SOMEONE.match(question) is not None and who_someone_is(question) is None


def names_person(sentence: str) -> bool:
    """Whether `sentence` names a person (`_PERSON`: "Manon Ribeiro", "Anne-Sophie Le Bihan"),
    at its start as well ("Jérôme Fleury, délégué …"): read as if something stood before it."""
    return _PERSON.search(f"x {sentence}") is not None


def persons_named(sentence: str) -> list[str]:
    """The persons' names `sentence` holds (`names_person`): « Jean-Baptiste Gagnoux »,
    « Markus Ibert »; not a place, a body or a title a capital makes look like one (« Maire de
    Dole depuis 2014 », « la Ville de Dole », « Diplômé de Sciences Po », « le Grand Dole »,
    « Le Progrès »): no « de » inside, no article nor adjective of a place first."""
    read = _OPENING_WORD.sub(lambda word: word.group(0).lower(), f"x {sentence}")  # « Selon Le Monde »: no « Selon Le »
    with_particle = [found.span() for found in _PARTICLE_PERSON.finditer(read) if _named_with_particle(read, found)]
    found = [
        found.span()
        for found in _PERSON.finditer(read)
        if _NOT_A_PERSON.search(found.group(0)) is None
        and not any(start < found.end() and found.start() < end for start, end in with_particle)
    ]
    return [f"x {sentence}"[start:end] for start, end in sorted(found + with_particle)]


# A name with a particle: « Claire de Montlaur », « Bertrand de La Roncière », « Hélène de
# Saint-Aubin », « Jean-Luc de Meyer », « Charles de Gaulle », « Jean de La Fontaine ».
_PARTICLE_PERSON = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)?\s+"
    r"(?:de\s+(?:[Ll]a\s+|[Ll]e\s+|l['’]\s*)?|du\s+|d['’]\s*)[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+)*"
)
# What a name with a particle follows: a comma or a bracket (« Sa directrice, Claire de
# Montlaur »), a title (« Me Hélène de Saint-Aubin »), or a word in lower case that opens no
# place nor body (« le général Charles de Gaulle », « selon Jean de La Fontaine »); not a
# determiner nor a preposition (« la Ville de Dole », « au Conseil de Paris », « à Port de
# Bouc »), nor another capitalised word (« Rue Jean de La Fontaine »).
_BEFORE_PARTICLE_NAME = re.compile(r"(?:[,(]|(?<![\w'’-])(?:Me|M\.|Mme|Mlle|Dr|Pr|[a-zà-öø-ÿ][\w'’-]*))\s*$")
_NOT_BEFORE_PARTICLE_NAME = frozenset(
    "le la les l' l’ au aux un une des du de d' d’ à en sur sous vers dans chez ce cet cette son sa ses leur "
    "leurs notre votre nos vos entre".split()
    # a place or a body named after a person: « place Charles de Gaulle », « lycée Jean de La
    # Fontaine », « stade Pierre de Coubertin », « l'aéroport Charles de Gaulle »
    + "place rue avenue boulevard quai square allée impasse chemin route cours esplanade parvis pont port "
    "lycée collège école université faculté stade gymnase piscine aéroport gare hôpital clinique cathédrale "
    "église basilique chapelle abbaye banque association fondation groupe société entreprise musée salle "
    "parc jardin centre théâtre cinéma médiathèque bibliothèque résidence cité quartier rond-point".split()
)
# What names a place, a body or an event, not a person, before « de » (« Maire de Dole », « Tour
# de France », « Office de tourisme », « Médecins du Monde », « Gaz de France », « Notre-Dame de
# Paris »), when a comma stands before it.
_PLACE_OR_BODY = frozenset(
    "Ville Maire Tour Conseil Port Pays Place Rue Avenue Boulevard Quai Office Musée Lycée Collège Université "
    "Communauté Région Chambre Cour Tribunal Palais Château Église Abbaye Hôtel Gare Pont Île Côte Val Mont Bois "
    "Lac Baie Cap Porte Théâtre Institut Centre Syndicat Union Fédération Association Comité Ministère Banque "
    "Caisse Maison Saint Sainte Parc Domaine Festival Coupe Championnat Prix Grand Grande Diplômé Diplômée "
    "Originaire Président Présidente Directeur Directrice Fils Fille Ancien Ancienne Notre Médecins Gaz "
    "Crédit Électricité Restos Secours Croix Amis Enfants".split()
)


def _named_with_particle(read: str, found: re.Match[str]) -> bool:
    """Whether a name with a particle (`_PARTICLE_PERSON`) found in `read` (the sentence after
    « x ») is a person's: not the sentence's first words (« Maire de Dole depuis 2014, … »,
    « Diplômé de Sciences Po »), after what may stand before a person (`_BEFORE_PARTICLE_NAME`),
    its first word naming no place nor body."""
    before = read[2 : found.start()]
    if not before.strip() or found.group(0).split()[0].split("-")[0] in _PLACE_OR_BODY:
        return False
    opening = _BEFORE_PARTICLE_NAME.search(before)
    if opening is None:
        return False
    word = opening.group(0).strip().lower()
    return word not in _NOT_BEFORE_PARTICLE_NAME and re.split(r"['’]", word)[-1] not in _NOT_BEFORE_PARTICLE_NAME


# The words a capital opens a sentence or a clause with that name no one: « Selon Le Monde, … »,
# « Pour Manon Ribeiro, … », « En Pays de la Loire, … », « Aux États-Unis, … », « Par Paul Roy »
# (read « Selon Le », « Pour Manon », « En Pays », « Aux États » and « Par Paul » before), « Avec
# Paul Roy ». Lowered in place, same length, a name after them is read whole. Not « À »: no
# name is one capital alone.
_OPENING_WORD = re.compile(
    r"(?<![\w'’-])(?:Selon|Pour|Avec|Chez|Après|Avant|Pendant|Depuis|Dans|Sur|Sous|Entre|Contre|Malgré|Parmi"
    r"|Vers|Lors|En|Au|Aux|Par|Dès|Quand|Mais|Et|Ou|Donc|Or|Car|Si|Comme|Ainsi|Alors|Puis|Ensuite|Enfin"
    r"|Désormais|Outre)(?=\s)"
)


# What a capitalised pair holds that a person's name does not: « de » between its words
# (« Maire de Dole », « Ville de Dole »; a person's « Charles de Gaulle » is read apart, `_PARTICLE_PERSON`), or
# an article or an adjective of a place or a body first (« Le Progrès », « Grand Dole »).
_NOT_A_PERSON = re.compile(
    r"\s(?:de|du|d')\s*[A-ZÀ-ÖØ-Þ]|^(?:Le|La|Les|Grand|Grande|Petit|Petite|Nouveau|Nouvelle|Haut|Haute|Bas|Basse|Saint|Sainte)\s"
)


def speaks_of_someone(sentence: str) -> bool:
    """Whether `sentence` speaks of someone by a subject pronoun (« … », souligne-t-elle)."""
    return _SUBJECT_PRONOUN.search(sentence) is not None


def describes(sentence: str, names: Collection[str] = ()) -> bool:
    """Whether `sentence` says who someone is (`_DESCRIPTION`), naming one of `names` if given."""
    if _DESCRIPTION.search(sentence) is None:
        return False
    return not names or any(name in sentence for name in names)


# "Qui l'a traduit ?", "Qui a construit le pont ?", "Qui a été élu ?": who did it, the deed a
# past participle after "a" or "ont".
_WHO_DID = re.compile(
    r"^\s*qui\s+(?:l['’]|les\s+|le\s+|la\s+|lui\s+|leur\s+)?(?:a|ont|avait|avaient)\s+(?:été\s+)?"
    r"([a-zà-ÿ]+(?:é|i|it|u|ert|ort|int|is))\b",
    re.I,
)
# What may stand before a participle that has its doer in the sentence: an auxiliary ("X a
# traduit"), a subject pronoun or relative ("qui a traduit"), a name ("Hugo écrit").
_BEFORE_DOER = frozenset(
    "a ont avait avaient aura auront eu été est sont était étaient fut sera ai as avons avez "
    "qui il elle ils elles on je j' nous vous".split()
)
_TOKENS = re.compile(r"\w+['’]|\w+")


def deed_asked(question: str) -> str | None:
    """The past participle of a question asking who did something ("Qui l'a traduit ?":
    "traduit"), or None."""
    match = _WHO_DID.match(question)
    return match.group(1).lower() if match else None


def without_doer(sentence: str, deed: str) -> bool:
    """Whether `sentence` holds the participle `deed` (agreed or not) only as a description of
    a thing, saying nobody did it: "son dernier roman traduit en français" does not say who
    translated it; "traduit par Jean Dupont", "X a traduit", "qui l'a traduit", "Hugo traduit"
    do. False when the sentence does not hold it: what else it says is judged as usual."""
    forms = {deed + ending for ending in ("", "e", "s", "es")}
    tokens = _TOKENS.findall(sentence.replace("’", "'"))
    words = [w.lower() for w in tokens]
    held = False
    for at, word in enumerate(words):
        if word not in forms:
            continue
        held = True
        before = range(max(at - 2, 0), at)
        if "par" in words[at + 1 :] or any(words[i] in _BEFORE_DOER or _is_name(tokens[i]) for i in before):
            return False
    return held


def _is_name(word: str) -> bool:
    """A capitalised word other than a determiner opening a sentence ("Hugo", not "Les")."""
    return word[0].isupper() and word.lower() not in _DETERMINERS


_DETERMINERS = frozenset("le la les l' un une des du ce cet cette ces son sa ses leur leurs mon ma mes".split())


def question_type(question: str) -> str | None:
    for name, pattern in _QUESTION_TYPES:
        if pattern.search(question):
            return name
    return None


@dataclass(frozen=True)
class PassageSentenceTexts:
    """A passage's sentences as the quote model reads them: their texts, their vectors'
    cosines with the question, their terms when stored (None: read from the texts), and the
    terms of the passage's title."""

    title_terms: Collection[str]
    sentences: Sequence[str]
    cosines: np.ndarray
    sentence_terms: Sequence[set[str]] | None = None


def sentence_features(
    question_terms: Sequence[str],
    title_terms: Collection[str],
    asked: AskedFor,
    sentences: Sequence[str],
    cosines: np.ndarray,
    sentence_terms: Sequence[set[str]] | None = None,
) -> np.ndarray:
    """One row of `FEATURES` per sentence of a passage (`sentence_terms`: each one's terms,
    when the caller has them already): `passages_features` for one passage."""
    passage = PassageSentenceTexts(title_terms, sentences, cosines, sentence_terms)
    return passages_features(question_terms, asked, [passage])[0]


def passages_features(
    question_terms: Sequence[str], asked: AskedFor, passages: Sequence[PassageSentenceTexts]
) -> list[np.ndarray]:
    """One row of `FEATURES` per sentence, for each passage (each one's rows are a view of one
    array, each row the same as the passage alone would give).

    Built column by column over the sentences of all the passages at once, each passage a
    segment of the rows: this runs for every candidate of every answer, where a column per
    passage cost more in NumPy's calls than in their work; only the sentences' terms (and,
    for a typed question, their five properties) are read one sentence at a time."""
    counts = np.array([len(p.sentences) for p in passages], dtype=np.int64)
    total = int(counts.sum())
    features = np.zeros((total, len(FEATURES)), dtype=np.float32)
    ends = np.cumsum(counts)
    starts = ends - counts
    split = [features[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    if not total:
        return split
    question = set(question_terms)
    asked_terms = max(len(question), 1)
    held, held_beyond, echo, lengths = (np.empty(total) for _ in range(4))
    means = np.empty(len(passages))
    row = 0
    for number, passage in enumerate(passages):
        beyond_title = question - set(passage.title_terms)
        beyond_terms = max(len(beyond_title), 1)
        stored = passage.sentence_terms
        for i, sentence in enumerate(passage.sentences):
            present = stored[i] if stored is not None else set(terms(sentence))
            common = question & present
            held[row] = len(common) / asked_terms
            held_beyond[row] = len(beyond_title & common) / beyond_terms if common else 0.0
            echo[row] = len(common) / max(len(present), 1)
            lengths[row] = len(sentence.split())
            row += 1
        # np.mean's float32 sum and division, without its dispatch, as the model was fitted.
        cosines32 = np.asarray(passage.cosines, dtype=np.float32)
        means[number] = float(np.float32(np.add.reduce(cosines32) / len(passage.sentences))) if len(cosines32) else 0.0
    filled = counts > 0  # NumPy's segment reductions need segments that are not empty
    firsts, lasts = starts[filled], ends[filled] - 1
    # In float64 then stored as float32, as the model was fitted.
    cosine = np.concatenate([np.asarray(p.cosines, dtype=np.float32) for p in passages]).astype(np.float64)
    above_mean = cosine - np.repeat(means, counts)
    features[:, 0] = cosine
    features[:, 1] = above_mean
    features[:, 2] = cosine == np.repeat(np.maximum.reduceat(cosine, firsts), counts[filled])
    features[:, 3] = held
    features[:, 4] = held_beyond
    features[:, 5] = echo
    features[:, 6] = held_beyond == np.repeat(np.maximum.reduceat(held_beyond, firsts), counts[filled])
    features[1:, 7] = held_beyond[:-1]
    features[1:, 8] = above_mean[:-1]
    features[:-1, 9] = held_beyond[1:]
    features[firsts, 7:9] = 0.0  # no sentence before a passage's first ...
    features[lasts, 9] = 0.0  # ... nor after its last
    features[firsts, 10] = 1.0
    features[:, 11] = (np.arange(total) - np.repeat(starts, counts)) / np.repeat(np.maximum(counts - 1, 1), counts)
    features[:, 12] = np.log(lengths + 1)
    if asked.noun is not None:
        framing = asked.noun in STOPWORDS  # "depuis", "jusqu": not among a sentence's terms
        row = 0
        for passage in passages:
            for i, sentence in enumerate(passage.sentences):
                held_terms = passage.sentence_terms[i] if passage.sentence_terms is not None else None
                if held_terms is None or framing or asked.noun in held_terms:
                    features[row, _BESIDE_NOUN] = _value_beside(sentence, asked)
                row += 1
    if asked.kind in QUESTION_TYPES:  # only the question's own kind has properties that count
        column = _PROPERTIES_FROM + len(_PROPERTIES) * QUESTION_TYPES.index(asked.kind)
        every_sentence = [sentence for passage in passages for sentence in passage.sentences]
        measure = asked.measure if asked.kind == "number" else None
        features[:, column : column + len(_PROPERTIES)] = sentence_properties(every_sentence, asked.words, measure)
    return split


def sentence_properties(sentences: Sequence[str], known: frozenset[str], measure: str | None = None) -> np.ndarray:
    """Which of `_PROPERTIES` each sentence holds beyond the words `known` (the question's);
    with a `measure` (`index.measures.KINDS`), the number it holds is a quantity of that kind
    ("trente kilos" for a weight, where "quatorze familles" is no answer, nor a year).

    One scan of the passage per property rather than one per sentence and property (this
    runs for every candidate of every typed question): the sentences are joined by a NUL,
    which no property matches or crosses and which reads, to their look-behinds and word
    boundaries, as the start or end of a sentence does (sentences are trimmed)."""
    held = np.zeros((len(sentences), len(_PROPERTIES)), dtype=np.float32)
    joined = "\x00".join(sentences)
    lowered = same_length_lower(joined)
    starts = list(accumulate((len(s) + 1 for s in sentences[:-1]), initial=0))
    months = list(_month_spans(lowered))
    # Each property's pattern, with the text it reads, and the spans found otherwise.
    found: dict[str, tuple[tuple[re.Pattern[str], str] | None, list[tuple[int, int]]]] = {
        "date": ((_DATED if any(c in lowered for c in _CENTURIES) else _DAY_OR_YEAR_DATED, lowered), months),
        "number": ((_QUANTITY, joined), []) if measure is None else (None, quantity_spans(joined, measure)),
        "month": (None, months),
        "name": ((_INNER_NAME, joined), []),
        "person": ((_PERSON, joined), []),
    }
    for column, name in enumerate(_PROPERTIES):
        matched, listed = found[name]
        if matched is not None:
            _mark_matches(held[:, column], *matched, joined, starts, known)
        for start, end in listed:
            row = bisect_right(starts, start) - 1
            if not held[row, column] and not known.issuperset(_WORD.findall(joined[start:end].casefold())):
                held[row, column] = 1.0
    return held


def _mark_matches(
    held: np.ndarray, pattern: re.Pattern[str], text: str, joined: str, starts: Sequence[int], known: frozenset[str]
) -> None:
    """Marks in `held` (one flag per sentence) the sentences where `pattern` matches in `text`
    (`joined`, or its lower-cased copy) beyond the words `known`. Once a sentence holds it, the
    search goes on from the next sentence: a sentence of an encyclopaedia or a news page may
    name a dozen people and places, and each would otherwise be read."""
    at = 0
    while (match := _search(pattern, text, at)) is not None:
        start, end = match.span()
        row = bisect_right(starts, start) - 1
        if not known.issuperset(_WORD.findall(joined[start:end].casefold())):
            held[row] = 1.0
            if row + 1 == len(starts):
                return
            at = starts[row + 1]
        else:
            at = max(end, start + 1)


def _search(pattern: re.Pattern[str], text: str, at: int) -> re.Match[str] | None:
    """The first match of a property's `pattern` in `text` from `at`: for a name's, one whose
    capital follows spaces that follow text ending no sentence (`_CAPITAL_AFTER_SPACE`)."""
    while (match := pattern.search(text, at)) is not None:
        if match.lastgroup != _SPACED or _after_text(text, match.start()):
            return match
        at = match.start() + 1
    return None


def _after_text(text: str, capital: int) -> bool:
    """Whether the spaces before `text[capital]` follow a character, and one that ends no
    sentence (what `_CAPITAL_AFTER_SPACE` checks itself after a single space)."""
    before = capital - 1
    while before >= 0 and text[before].isspace():
        before -= 1
    return before >= 0 and text[before] not in ".!?"


def _month_spans(lowered: str) -> Iterator[tuple[int, int]]:
    """Where month names stand as words in `lowered` (lower-cased text): found by `str.find`,
    several times faster than a pattern, which has to be tried wherever a month's first
    letter stands (j, f, m, a, s, o, n, d: a good share of French text)."""
    for month in _MONTH_NAMES:
        at = lowered.find(month)
        while at >= 0:
            end = at + len(month)
            if not (_is_word_character(lowered, at - 1) or _is_word_character(lowered, end)):
                yield at, end
            at = lowered.find(month, end)


def _is_word_character(text: str, at: int) -> bool:
    """Whether `text[at]` exists and is what `\\w` matches (a letter, a digit or "_")."""
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


# Fitted by `python -m tests.tuning.fit_answers` (see the module docstring).
# fmt: off
QUOTE_MODEL = LinearModel(
    mean=(
        0.8258, 4.308e-10, 0.1784, 0.1784, 0.156, 0.06215, 0.3127, 0.1272, 0.0002863, 0.117, 0.1784, 0.4991,
        3.118, 0.04303, 0.02083, 0.0115, 0.05815, 0.02763, 0.02016, 0.02174, 0.006709, 0.03495, 0.01473,
        0.04797, 0.03037, 0.01421, 0.1228, 0.05154, 0.01894, 0.01211, 0.00494, 0.04495, 0.0168, 0.01915,
    ),
    scale=(
        0.03537, 0.02296, 0.3828, 0.2511, 0.2518, 0.09624, 0.4636, 0.2338, 0.02083, 0.2239, 0.3828, 0.3482,
        0.513, 0.2029, 0.1428, 0.1066, 0.2341, 0.1639, 0.1405, 0.1458, 0.08164, 0.1836, 0.1205, 0.2137, 0.1716,
        0.1184, 0.3282, 0.2211, 0.1363, 0.1094, 0.07012, 0.2072, 0.1285, 0.1371,
    ),
    weights=(
        0.3641, 0.53, 0.13, -0.03069, 0.5729, -0.03417, 0.0877, 0.1333, 0.1908, 0.09484, 0.01326, -0.008925,
        0.2305, 0.5229, 0.01835, -0.05027, -0.03537, 0.009334, 0.002071, 0.2232, -0.109, -0.03625, -0.04042,
        -0.02371, 0.05254, 0.0304, 0.2505, 0.1333, -0.04139, 0.003029, 0.01663, 0.2071, -0.0629, 0.1232,
    ),
)
# fmt: on


def quote_span(spans: Sequence[tuple[int, int]], scores: np.ndarray, passage: str) -> tuple[int, int]:
    """Offsets in the passage of the best-scoring sentence, joined with a neighbour when it
    is too short to stand alone, and widened to the whole « … » quotation it is part of
    (with its attribution): a quote never starts or ends inside guillemets. Ties go to the
    earlier sentence."""
    if not spans:
        return 0, len(passage)
    best = int(np.argmax(scores[: len(spans)]))  # the first of the best
    start, end = spans[best]
    if len(passage[start:end].split()) < SHORT_SENTENCE_WORDS and len(spans) > 1:
        if best + 1 < len(spans) and (best == 0 or scores[best + 1] >= scores[best - 1]):
            end = spans[best + 1][1]
        else:
            start = spans[best - 1][0]
    elif best > 0 and _is_lead_in(passage[spans[best - 1][0] : spans[best - 1][1]]):
        start = spans[best - 1][0]
    end = _through_signature(passage, spans, start, end)
    return whole_quotation(passage, spans, start, end)


# The line that signs a post embedded in a page, a tweet's "— Olivier Véran": a dash, then a
# name, and no full stop.
_SIGNATURE = re.compile(r"[—–]\s*[A-ZÀ-ÖØ-Þ@#][^.!?]*")
SIGNATURE_WORDS = 8
# How far a signature may follow the quote: a post of a few sentences, as a tweet is.
SIGNED_WITHIN_WORDS = 60


def _through_signature(passage: str, spans: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """Where a quote from `start` to `end` ends once the signature of the post it is part of is
    added, when a signature follows it within a few sentences (`SIGNED_WITHIN_WORDS` words
    from `start`): a tweet quoted without its author's "— Olivier Véran" no longer says who
    wrote it, as a quotation without its attribution would not. `end` when none does: at once
    when no dash follows `end` (most passages), without counting the words of what follows."""
    if passage.find("—", end) < 0 and passage.find("–", end) < 0:  # a signature opens with one
        return end
    for sentence_start, sentence_end in spans:
        if sentence_start < end:
            continue
        if len(passage[start:sentence_end].split()) > SIGNED_WITHIN_WORDS:
            break
        sentence = passage[sentence_start:sentence_end]
        if len(sentence.split()) <= SIGNATURE_WORDS and _SIGNATURE.fullmatch(sentence):
            return sentence_end
    return end


def _is_lead_in(sentence: str) -> bool:
    """Whether `sentence` is a short exclamation that the next sentence develops, as news
    opens a report or a live commentary's entry ("But de Léo Dubois ! L'OL égalise grâce à un
    superbe exploit individuel de son latéral.", "C'est terminé au Moustoir ! Lorient a tenu
    tête à l'OL…"): quoted without it, the sentence after it loses what it is about."""
    return sentence.rstrip().endswith("!") and len(sentence.split()) < SHORT_SENTENCE_WORDS


def next_quote(spans: Sequence[tuple[int, int]], passage: str, after: int) -> tuple[int, int] | None:
    """Offsets in the passage of what it says after offset `after` (where the last quote
    ended), for "La suite ?": the next sentences, at least `READ_ON_WORDS` words when the
    passage has them, widened like any quote to whole « … » quotations; None when nothing
    follows. A passage with no sentence spans is one sentence."""
    spans = spans or [(0, len(passage))]
    following = [span for span in spans if span[0] >= after]
    if not following:
        return None
    start, end = following[0]
    for _, sentence_end in following[1:]:
        if len(passage[start:end].split()) >= READ_ON_WORDS:
            break
        end = sentence_end
    widened_start, widened_end = whole_quotation(passage, spans, start, end)
    # Never back over what was read: a quotation left open (French quotes a speech of several
    # paragraphs with « on each, » at its end only) would widen back to its opening.
    return max(widened_start, start), widened_end


_OPENING, _CLOSING = "«“", "»”"
_MARKS = re.compile('[«“»”"]')


def _opens(passage: str, at: int, straight_open: bool) -> bool:
    """Whether the quotation mark at `at` opens a quotation. A straight " opens after a space
    (or at the start) and before a word, closes after a word; spaced on both sides
    (" comme ceci "), it alternates."""
    mark = passage[at]
    if mark != '"':
        return mark in _OPENING
    after_space = at == 0 or passage[at - 1].isspace() or passage[at - 1] in "([—–-"
    before_space = at + 1 == len(passage) or passage[at + 1].isspace()
    if after_space != before_space:
        return after_space
    return not straight_open


def whole_quotation(passage: str, spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """`start:end` widened so that it neither starts nor ends inside a quotation (« … », “ … ”
    or " … "): back to the opening mark, and on to the closing mark and the end of its
    sentence. Only the quotation marks are visited (this runs for every candidate of every
    answer)."""
    opened: list[int] = []  # positions of the marks still open

    def follow(begin: int, stop: int) -> None:
        for mark in _MARKS.finditer(passage, begin, stop):
            _read_mark(passage, mark.start(), opened)

    follow(0, min(start, end))
    open_at_start = opened[0] if opened and start < len(passage) and start <= end else None
    follow(start, end)
    if open_at_start is not None:
        start = open_at_start
    if opened and end < len(passage):  # still inside a quotation at the end: on to its close
        closing = _matching_close(passage, end, opened)
        if closing is not None:
            end = next((b for a, b in spans if a <= closing < b), closing + 1)
    return start, end


def _matching_close(passage: str, after: int, opened: list[int]) -> int | None:
    """Where the quotations still `opened` (their marks' positions) close, after `after`."""
    opened = list(opened)
    for mark in _MARKS.finditer(passage, after):
        _read_mark(passage, mark.start(), opened)
        if not opened:
            return mark.start()
    return None


def _read_mark(passage: str, at: int, opened: list[int]) -> None:
    """The quotation mark at `at` opens a quotation (pushed on `opened`) or closes the last one."""
    if _opens(passage, at, any(passage[i] == '"' for i in opened)):
        opened.append(at)
    elif opened:
        opened.pop()


def idf_weights(query_terms: Sequence[str], document_frequency: Mapping[str, int], documents: int) -> dict[str, float]:
    """Each term's inverse document frequency, in the terms' order (`in_question_order`)."""
    return {
        t: math.log(1.0 + (documents - document_frequency.get(t, 0) + 0.5) / (document_frequency.get(t, 0) + 0.5))
        for t in in_question_order(query_terms)
    }

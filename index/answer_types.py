"""What the answer to a question must hold, by the kind of thing it asks, read on the quoted
sentence itself: a question whose words are all in a sentence may still ask a relation that
sentence does not state. "Qui dirige EDF ?" is not answered by a sentence naming EDF and nobody
at its head; "Combien de sénateurs ont voté pour ?" not by « 1 200 contrôles »; "Quand la loi
entrera-t-elle en vigueur ?" not by a sentence holding no date at all.

Each check applies only where the question says plainly what it asks (`asked_answer_type`):
a head of something ("Qui dirige X ?", "Qui préside X ?", "Qui est le maire de X ?"), a count of
a named thing ("Combien de voyageurs … ?"), a date ("Quand … ?"). Each is a surface rule of
how French news writes such answers: a head is named right beside the role ("son président,
Bertrand Quesnel", "Julien Vayssettes, directeur du festival"); a count stands before the
noun counted ("38 conducteurs"), so a number counting another noun, or a share, an amount or a
duration, counts nothing asked; a date is a year, a day, a month, a weekday, a season, an hour
or a time said relative to now, and of the end asked: a sentence dating when works begin does
not say when they end. Pure functions of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from index.analysis import STOPWORDS, fold_accents, stem
from index.calendar_words import MONTH_NAMES
from index.measures import COUNT_WORDS, asked_measure, gives_a_count, looks_plural
from index.quotes import persons_named
from index.rates import asked_rate, counts_per

# "Qui dirige la DGCCRF ?", "Qui présidait le club ?": a head asked by its verb, which news
# names by the role nouns of that verb ("son président, X", "la directrice, X", "X, patron de",
# "la direction … est assurée par X", "alors gouverneur du comté", "l'équipe dirigée par X").
_HEAD_VERBS = {
    "dirig": "directeur directrice direction dirigeant dirigeante patron patronne chef président présidente pdg "
    "secrétaire responsable gouverneur commandant tête dirigé dirigée dirigés dirigées mené menée menés menées",
    "présid": "président présidente présidence présidé présidée présidés présidées",
    "gèr": "gérant gérante gestion directeur directrice responsable géré gérée gérés gérées",
    # "Qui les représente ?": a group speaks through its president, its spokesman, its delegate
    # or its lawyer (« Leur porte-parole, Sandrine Maury », « représentées par Me Hélène Vidal »).
    "représent": "représentant représentante représentants représentantes représenté représentée représentés "
    "représentées porte-parole président présidente délégué déléguée secrétaire avocat avocate responsable "
    "leader",
}
# The verb may take its object as a pronoun, standing for what the conversation was on ("Qui la
# dirige ?", "Qui les représente ?").
_HEADED_BY_VERB = re.compile(
    r"^\s*qui\s+(?P<pronoun>(?:l['’]\s*|la\s+|le\s+|les\s+))?(dirig|présid|gèr|représent)(?:e|ent|eait|ait|aient|era)\b",
    re.I,
)
# "Qui est le maire de Poitiers ?", "Qui est l'avocat du propriétaire ?": an office and whose.
# Only offices, which news names beside their holder ("le maire, Jean-Luc Collet"); not kin
# ("Qui est le père de… ?"), nor a deed's doer ("l'auteur", "le fondateur"), which sentences
# name through their verb ("écrit par", "fondé par"); and one holder, not a group ("Qui sont
# les… ?").
_OFFICES = frozenset(
    stem(w)
    for w in "maire président présidente directeur directrice dirigeant dirigeante préfet préfète ministre "
    "secrétaire pdg patron patronne entraîneur entraîneuse sélectionneur sélectionneuse avocat avocate "
    "porte-parole procureur procureure juge rapporteur rapporteure délégué déléguée adjoint adjointe gérant "
    "gérante député députée sénateur sénatrice recteur rectrice gouverneur commissaire capitaine chef "
    "responsable administrateur administratrice conseiller conseillère".split()
)
_ROLE_OF = re.compile(
    r"^\s*qui\s+(?:est|était|fut)\s+(?:le |la |l['’]\s*)(?:actuel |actuelle |nouveau |nouvelle )?([a-zà-ÿ][\w-]*)"
    r"(?:\s+(?:de la |de l['’]|du |des |de |d['’])\s*([\w-]+))?",
    re.I,
)
# "Combien de voyageurs…", "Combien d'habitants…": a count of a named thing.
_COUNT_OF = re.compile(r"^\s*(?:et\s+)?combien\s+(?:de\s+|d['’]\s*)([a-zà-ÿ][\w-]*)", re.I)
# "Quand … ?", and "C'était quand ?", "Ça s'est passé quand ?" (spoken French asks at the end);
# not "Depuis quand ?", "Jusqu'à quand ?", "Pour quand ?", "De quand … ?", which ask a start, an
# end or a deadline.
_WHEN = re.compile(
    r"^\s*(?:et\s+)?quand\b|\bà quelle date\b|\bquel jour\b"
    r"|(?<!depuis )(?<!jusqu'à )(?<!jusqu’à )(?<!pour )(?<!de )(?<!d')(?<!d’)\bquand\s*[?!.…]*\s*$",
    re.I,
)
# "En quelle année … ?", "De quelle année date … ?": a year, which a day or a month alone does not give.
_WHICH_YEAR = re.compile(r"\bquelle année\b", re.I)

_WORDS = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?|[\w-]+|%|€|\$")
_YEAR = re.compile(r"(?:1[0-9]{3}|20[0-9]{2})")
_YEAR_THEN_WORD = re.compile(r"(?<![\d,.])((?:1[0-9]{3}|20[0-9]{2})) ([^\W\d_]+)")
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[,.]\d+)?")
# A count of none.
_NONE = frozenset("aucun aucune zéro".split())
# What stands between a number and what it measures: "2,6 millions de mètres cubes".
_BETWEEN = frozenset("de d' d millions million milliards milliard mille".split())
# What a number measures when it counts nothing: a share, an amount, a duration, a size, a
# number of times (« exposé une seule fois »).
_UNITS = re.compile(
    r"(?:%|€|\$|euros?|dollars?|pour ?cent|points?|secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|années?"
    r"|kilomètres?|km|mètres?|m|hectares?|tonnes?|kilos?|kg|degrés?|h|min|fois)",
    re.I,
)
# Words in "-s" after a year that are no plural noun: « en 1998 après la fusion ».
_INVARIABLE = frozenset("après depuis jamais toujours moins alors ailleurs désormais parfois".split())
# Words in "-s" after a year that count nothing of it (« D'ici 2030 plusieurs écoles… », « en 2030
# tandis que… »): quantifiers and conjunctions, whether or not the stopword list has them.
_NOT_COUNTED = frozenset(
    "plusieurs quelques nombreux nombreuses seuls seules tandis certains certaines divers diverses".split()
)
# Nouns that are measured, not counted: "Combien d'argent… ?" is answered by « 832 000 euros ».
_MEASURED = frozenset("argent temps eau énergie électricité place espace".split())

# A time expression: a year (three or four digits after a preposition: "vers 875", "en 357"),
# a day of a month, a month, a weekday, a season, a century or an era, an hour, or a time said
# relative to the article's day or to another event ("après une phase 3", "lors de la guerre").
_WHEN_WORDS = (
    rf"{MONTH_NAMES}"
    r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|week-ends?"
    r"|printemps|été|automne|hiver|siècles?|millénaires?|décennies?|années?|ans|mois|semaines?|jours?|heures?|h"
    r"|âge|époque|ère|règne|guerre|révolution|période"
    r"|hier|aujourd['’]hui|demain|bientôt|désormais|actuellement|maintenant|prochaine?s?|dernière?s?|veille|lendemain"
    r"|soir|matin|midi|nuit|rentrée|fin|début|mi-\w+|tard|tôt|depuis|lors|pendant|durant|après|avant|dès|jusqu['’]"
    r"|quand|lorsque|alors|aussitôt|immédiatement|vers"
)
_TIME = re.compile(rf"(?<![\w/])(?:{_WHEN_WORDS})(?![\w])|\b\d{{3,4}}\b", re.I)  # not the "h" of « km/h »
# A person's or an organisation's name beside a role: a capitalised word that opens no sentence.
_NAME_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]+")
# How far from the role noun its holder's name may stand ("le rapporteur du texte, le député
# Arnaud Lescure": six words; "La direction de l'institution est assurée par Olivier Meslay": seven).
_BESIDE_ROLE = 8


@dataclass(frozen=True)
class AnswerType:
    """What a question's answer must hold: `kind` ("head", "count", "date" or "year"), the stems of the
    role nouns naming a head (or of the counted noun), and the stem of whose head or role it
    asks when the question says ("du propriétaire")."""

    kind: str
    nouns: frozenset[str] = frozenset()
    whose: str | None = None
    # The head asked of a pronoun ("Qui les représente ?"): of what the last answer spoke of.
    of_pronoun: bool = False
    # Whose head is asked by a name ("Qui est le maire de Poitiers ?"), not a common noun.
    whose_named: bool = False


def asked_answer_type(question: str) -> AnswerType | None:
    """The answer type `question` asks plainly, or None when it does not say."""
    verb = _HEADED_BY_VERB.match(question)
    if verb is not None:
        nouns = frozenset(stem(w) for w in _HEAD_VERBS[verb.group(2).lower()].split())
        if verb.group(2).lower() == "représent" and verb.group("pronoun") is None:
            # "Qui représentera la France à l'Eurovision ?" asks a singer, a team, a candidate:
            # someone named, beside whatever role (a group's representative asked of a
            # pronoun, "Qui les représente ?", is one beside his role).
            nouns = frozenset()
        return AnswerType("head", nouns, of_pronoun=verb.group("pronoun") is not None)
    role = _ROLE_OF.match(question)
    if role is not None and stem(role.group(1).lower()) in _OFFICES:
        whose = role.group(2)
        return AnswerType(
            "head",
            frozenset({stem(role.group(1).lower())}),
            stem(whose.lower()) if whose else None,
            whose_named=bool(whose) and whose[0].isupper(),
        )
    counted = _COUNT_OF.match(question)
    # "Combien de munitions ?" alone asks what is said of them as much as how many: the
    # passage naming them answers it (`index.reading_rules.subject_named`).
    if counted is not None and question[counted.end() :].strip(" ?!.…") and asked_measure(question) is None:
        noun = counted.group(1).lower()
        if noun not in STOPWORDS and noun not in _MEASURED:
            return AnswerType("count", frozenset({stem(noun)}))
    if _WHICH_YEAR.search(question):
        return AnswerType("year")
    if _WHEN.search(question):
        return AnswerType("date")
    return None


def gives_answer_type(sentence: str, asked: AnswerType, question: str, by_name: bool = False) -> bool:
    """Whether `sentence` holds what an answer of type `asked` must hold, beyond `question`'s
    own words; for a count `by_name`, a number of the very noun asked (« 22 des 29 sièges » for
    "Combien de sièges … ?"), not one of another noun that may be it in other words."""
    if asked.kind == "head":
        return _names_holder(sentence, asked, question)
    if asked.kind == "count":
        return _counts(sentence, asked.nouns, question, by_name)
    if dates_the_other_end(sentence, question):
        return False
    known = {w.casefold() for w in _WORDS.findall(question)}
    times = _YEARS if asked.kind == "year" else _TIME
    return any(time.group(0).casefold() not in known for time in _times(sentence, times))


# A year said without its number: « l'an dernier », « cette année », « l'année prochaine ».
_YEARS = re.compile(
    r"\b\d{3,4}\b|(?<![\w])(?:l['’]\s*an|l['’]\s*année|cette année)(?: (?:dernière?|prochaine?|passée?))?(?![\w])",
    re.I,
)
# What a number of three or four digits measures or counts when it is no year: « 300 mètres »,
# « 1500 manifestants »; or the thousands of a larger one, « 85 000 euros ».
_DIGIT_GROUP = re.compile(r"\d[ \u00a0\u202f]$")
_NEXT_GROUP = re.compile(r"^[ \u00a0\u202f]\d{3}\b")
_NEXT_WORD = re.compile(r"^[ \u00a0\u202f]+([\w%€$]+)")
# "été" after an auxiliary, a negation or an adverb between: « ont été », « n'a pas été », « a déjà été ».
_BEEN = re.compile(r"(?<![\w-])(?:a|as|ont|avait|avaient|ayant|aura|auront|aurait|auraient)(?: \w+)? $", re.I)


def _times(sentence: str, times: re.Pattern[str]) -> list[re.Match[str]]:
    """The time expressions of `sentence` (`times`' matches), but "été" the verb (« ont été
    entendus ») and numbers that are no year: part of a larger number (« 85 000 euros ») or
    before what they measure or count (« 300 mètres », « 1500 manifestants »)."""
    found = []
    for time in times.finditer(sentence):
        if time.group(0).casefold() == "été" and _BEEN.search(sentence, 0, time.start()):
            continue  # « ont été entendus »: the verb, not the summer
        if time.group(0).isdigit():
            before, after = sentence[: time.start()], sentence[time.end() :]
            if _DIGIT_GROUP.search(before) or _NEXT_GROUP.match(after):
                continue
            following = _NEXT_WORD.match(after)
            word = following.group(1) if following is not None else ""
            # « 300 mètres », « 418 victimes »; not « en 2017 M. Dupont »
            if word and not word[0].isupper() and (_UNITS.fullmatch(word) or _counted_noun(word)):
                continue
        found.append(time)
    return found


# What dates only what is over: a year before the article's (and the day or month before it),
# or what has lasted « depuis » a time.
# « depuis 2019 », « depuis trente ans », « depuis le 1er mars », « depuis que la loi de 2019… »: a
# time; not « depuis Marseille », « depuis l'aéroport », where "depuis" says from where.
_SINCE = re.compile(
    r"(?<![\w])depuis\s+(?:(?:le|la|les|l['’]|des|plus\s+de|près\s+de|moins\s+de|au\s+moins)\s*)?"
    r"(?=\d|(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante"
    r"|cinquante|soixante|cent|quelques|plusieurs|longtemps|toujours|que|qu['’]|an|ans|année|années|mois|semaines?"
    rf"|jours?|décennies?|siècles?|{MONTH_NAMES}|printemps|été|automne|hiver|rentrée|début|fin|hier|lors|cette|ce|cet)(?![\w-]))"
    r"[\w'’-]+(?:\s+[\w'’-]+){0,2}",
    re.I,
)
_DEPUIS = re.compile(r"(?<![\w])depuis(?![\w])", re.I)
_DAY_MONTH_YEAR = re.compile(
    r"(?:(?:le |du |au )?(?:1er|\d{1,2}) )?"
    rf"(?:(?:{MONTH_NAMES}|printemps|été|automne|hiver) )?"
    r"(?:de l['’]année |de |en )?(\d{4})(?![\w])",
    re.I,
)


def dates_only_the_past(sentence: str, year: int, years_only: bool = False) -> bool:
    """Whether every time expression of `sentence`, in an article of `year`, dates what is over:
    a year before it (« en 2024 », « entre mars 2023 et janvier 2025 ») or a start it has lasted
    since (« depuis 2019 », « depuis que la loi de 2019 le permet »). Such a sentence does not
    say when something will happen: « La compagnie exploite la ligne depuis 2019 » for "Quand une
    autre la reprendra-t-elle ?". A time left after them (« le 15 janvier », « mardi ») may be
    what is to come; for a question asking the year (`years_only`), only a year left counts."""
    # « depuis » before anything else (« depuis l'ouverture du marché », « depuis Marseille ») dates
    # nothing to come itself, but what follows it may (« depuis Marseille dès mars »).
    over = [m.span() for m in _SINCE.finditer(sentence)] + [m.span() for m in _DEPUIS.finditer(sentence)]
    over += [m.span() for m in _DAY_MONTH_YEAR.finditer(sentence) if int(m.group(1)) < year]
    if not over:
        return False
    kept, shown_from = [], 0
    for start, end in sorted(over):  # blank what is over, keeping every other character in place
        if end > shown_from:
            kept += [sentence[shown_from : max(start, shown_from)], " " * (end - max(start, shown_from))]
            shown_from = end
    kept.append(sentence[shown_from:])
    return not _times("".join(kept), _YEARS if years_only else _TIME)


# The start and the end of what lasts: "Quand les travaux seront-ils terminés ?" asks the end.
_STARTS = re.compile(r"(?<![\w])(?:commen[cç]\w*|débu\w+|début|démarr\w*|dès|à partir)(?![\w])", re.I)
_ENDS = re.compile(r"(?<![\w])(?:termin\w*|ach[eè]v\w*|fin|finir|fini\w*|finiss\w*|clôtur\w*|jusqu\w*)(?![\w])", re.I)


def dates_the_other_end(sentence: str, question: str) -> bool:
    """Whether `question` asks when something starts or ends and `sentence` dates only the
    other end of it: « Les travaux doivent débuter en janvier » does not say when they will be
    finished, nor « Le chantier s'achèvera en juin » when it begins."""
    for asked, other in ((_ENDS, _STARTS), (_STARTS, _ENDS)):
        if asked.search(question) and not other.search(question):
            return bool(other.search(sentence)) and not asked.search(sentence)
    return False


def _names_holder(sentence: str, asked: AnswerType, question: str) -> bool:
    """A name (a capitalised word not the question's, not the sentence's first) within a few
    words of a role noun asked (or, of a second body, just after « et celui de … » standing for
    it, `_apposed_after`), that role noun neither another's ("l'adjoint au maire") nor the
    role of another than the one asked ("avocate des locataires" for "l'avocat du
    propriétaire"; "le maire, X" with no complement is the one the article is about)."""
    known = {w.casefold() for w in _WORDS.findall(question)}
    text = sentence.replace("’", "'")
    found = list(_WORDS.finditer(text))
    words = [m.group() for m in found]
    if not asked.nouns:  # no role asked: anyone named
        return any(_NAME_WORD.fullmatch(w) and w.casefold() not in known | STOPWORDS for w in words[1:])
    role_gender: str | None = None  # of the last role asked said, once one is: "m", "f" or ""
    for at, word in enumerate(words):
        apposed = None
        if role_gender is not None and _stands_for(word, role_gender) and _joined_before(text, found, at):
            apposed = _apposed_after(text, found, at)
            if apposed is None:
                continue
        elif stem(word.lower()) not in asked.nouns:
            continue
        if at and words[at - 1].lower() in ("au", "aux"):
            continue  # "l'adjoint au maire": another's role
        if apposed is None:
            role_gender = _GENDER_OF_ARTICLE.get(words[at - 1].lower(), "") if at else ""
        if asked.whose and _of_another(words[at + 1 : at + 12], asked.whose, asked.whose_named, question):
            continue
        complement = _complement_at(words, at)
        # « celui d'Aubin, André Martinez »: its holder is the name in apposition after it; the
        # names before it are the first body's.
        first = apposed if apposed is not None else max(at - _BESIDE_ROLE, 1)
        for near in range(first, min(at + _BESIDE_ROLE + 1, len(words))):
            name = words[near]
            if near in (at, complement) or not _NAME_WORD.fullmatch(name):
                continue
            if name.casefold() not in known | STOPWORDS:
                return True
        if apposed is None and _named_after_long_complement(text, found[at].end(), known):
            return True
    return False


def _named_after_long_complement(text: str, role_end: int, known: set[str]) -> bool:
    """Whether a name stands in apposition after a role noun's complement too long for
    `_BESIDE_ROLE` (« La présidente de la communauté de communes de l'île d'Oléron, Catherine
    Dubreuil, … »): the role noun's words up to the comma are only its complement (« de … »,
    no verb, no relative: not « … de communes a démissionné, Paul Roy … »), and a name not the
    question's comes right after the comma, a person's (`quotes.persons_named`), its apposition
    closed (« , Catherine Dubreuil, » or a stop): not the main clause's subject (« Selon la
    présidente de …, Jean Roy a démissionné »), a place (« , Charente-Maritime, ») nor a day
    (« , Lundi, »)."""
    found = _LONG_COMPLEMENT.match(text, role_end)
    if found is None or _NOT_A_COMPLEMENT.search(found.group(1)):
        return False
    name = found.group(2)
    return name.split()[0].casefold() not in known | STOPWORDS and persons_named(name) == [name]


# A role's complement up to a comma, then the name in apposition after it, closed by a comma or
# a stop: « de la communauté de communes de l'île d'Oléron, Catherine Dubreuil, ».
_LONG_COMPLEMENT = re.compile(
    r"(\s+(?:de|du|des|d')(?:\s|(?<='))[^,;:.!?«»()]{1,80}),\s+"
    r"([A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]+){0,3})\s*(?:[,.;!?)]|$)"
)
# What no complement holds: a verb of being or having, a relative, a date's « en ».
_NOT_A_COMPLEMENT = re.compile(
    r"(?<![\w'])(?:a|ont|est|sont|était|étaient|avait|avaient|sera|seront|fut|qui|que|qu|dont|où|en|et|ou)(?![\w'])"
)


# The gender of a role noun, from its article: « le maire » is stood for by « celui », « la
# présidente » by « celle »; « l'adjointe » may be either.
_GENDER_OF_ARTICLE = {"le": "m", "du": "m", "un": "m", "la": "f", "une": "f"}


def _stands_for(word: str, gender: str) -> bool:
    """Whether `word` stands for a role noun of `gender` just said (« celui » for « le maire »,
    « celle » for « la présidente »), of another body; never « ceux », « celles », which stand
    for several (« les élus, ceux d'Aubin »), nor « celui-ci »."""
    lowered = word.lower()
    return (lowered == "celui" and gender in ("m", "")) or (lowered == "celle" and gender in ("f", ""))


def _joined_before(text: str, found: list[re.Match[str]], at: int) -> bool:
    """Whether the word `found[at]` is joined to what is before it as the second of a pair
    (« … et celui », « …, celui », « … ainsi que celui »), not the object of a verb (« a
    rencontré celui d'Aubin »)."""
    if at == 0:
        return False
    between = text[found[at - 1].end() : found[at].start()]
    before = found[at - 1].group().lower()
    return "," in between or before == "et" or (before == "que" and at > 1 and found[at - 2].group().lower() == "ainsi")


def _apposed_after(text: str, found: list[re.Match[str]], at: int) -> int | None:
    """The index of the name in apposition just after the complement of `found[at]` (« celui
    d'Aubin, André Martinez »: André's), or None: not « celui d'Aubin, défendu par André
    Martinez », whose name after the comma is no apposition."""
    if at + 2 >= len(found) or found[at + 1].group().lower() not in ("de", "du", "des", "d"):
        return None
    after = at + 2
    while after < len(found) and found[after].group().lower() in ("la", "l", "les"):
        after += 1
    for near in range(after + 1, min(after + 4, len(found))):  # the complement's few words, then a comma
        if "," in text[found[near - 1].end() : found[near].start()]:
            return near if _NAME_WORD.fullmatch(found[near].group()) else None
    return None


def _complement_at(words: list[str], at: int) -> int | None:
    """Where the name of the role noun `words[at]`'s complement stands: « La direction
    d'Aéroservices propose … » names whose head is spoken of, not who heads it; « le président de
    la République, Emmanuel Macron » names him after it. Its first word only: « le président de la
    République Emmanuel Macron » writes no comma."""
    after = at + 1
    if after >= len(words) or words[after].lower() not in ("de", "du", "des", "d"):
        return None
    after += 1
    while after < len(words) and words[after].lower() in ("la", "l", "les"):
        after += 1
    return after if after < len(words) and _NAME_WORD.fullmatch(words[after]) else None


def _of_another(after: list[str], whose: str, whose_named: bool, question: str) -> bool:
    """Whether the words `after` a role noun give it a complement other than `whose` (a stem):
    "avocate des locataires" when the lawyer of the owner is asked; « le maire de Marvejols »
    when the mayor of Saint-Chély-d'Apcher is, both names (`whose_named`: `question` names
    whose). A name where the question has a common noun may be another name of it ("le maire de
    Marseille" for "… de la cité phocéenne"), and a name spelled otherwise may be the same
    (`_same_name`: « Paris Saint-Germain » for "PSG")."""
    if not after or after[0].lower() not in ("de", "du", "des", "d"):
        return False
    complement = next((w for w in after[1:] if w.lower() not in STOPWORDS), None)
    if complement is None:
        return False
    if complement.islower():
        return stem(complement) != whose
    if not whose_named:
        return False
    named: list[list[str]] = [[]]
    for word in after[1:]:
        if word.lower() == "et":
            named.append([])  # « la Nouvelle-Aquitaine et la Gironde »: two names
        elif _NAME_WORD.fullmatch(word):
            named[-1].append(word)
        elif word.lower() not in _NAME_LINKS:
            break
    opening_dropped = question.split(maxsplit=1)[1:]  # « Qui », or « qui »: never a name
    asked = [w for w in _NAME_WORD.findall(" ".join(opening_dropped)) if w.lower() not in STOPWORDS]
    return not any(_same_name(name, asked) for name in named)


# Words inside a name or between two (« Olympique de Marseille », « la Nouvelle-Aquitaine et la
# Gironde »): no piece of a name that tells it from another.
_NAME_LINKS = {"de", "du", "des", "d", "la", "l", "le", "les", "et", "sur", "en", "lès", "sous"}


def _name_pieces(words: list[str]) -> list[str]:
    """The pieces of name words in order, accents folded, cut at hyphens and apostrophes,
    lower-cased, without the links between them (« Villeneuve-d'Ascq »: villeneuve, ascq)."""
    pieces = re.split(r"[-'’\s]+", fold_accents(" ".join(words)).lower())
    return [piece for piece in pieces if piece and piece not in _NAME_LINKS]


def _initials(words: list[str]) -> str:
    """The capitals opening the pieces of name words: « Paris Saint-Germain », PSG."""
    return "".join(p[0] for p in re.split(r"[-'’ ]", " ".join(words)) if p[:1].isupper())


def _same_name(one: list[str], other: list[str]) -> bool:
    """Whether the name words `one` (a sentence's) and `other` (a question's) name the same place
    or body: the same pieces once accents, hyphens and links are folded, or one the start of the
    other as whole words
    (« Météo-France », « Météo France »; « Saint-Chély » and « Saint-Chély-d'Apcher »), or one
    an acronym equal to the other's initials (« PSG », « Paris Saint-Germain »; « OM »,
    « Olympique de Marseille »). A piece in common is not enough: « Hauts-de-Seine » and
    « Hauts-de-France », « Aix-en-Provence » and « Aix-les-Bains », « RC Lens » and « Racing Club
    de Strasbourg » are two, as are « Villeurbanne » and « Lyon »."""
    if not one or not other:
        return False
    if any(len(w) > 1 and w.isupper() and w == _initials(other) for w in one):
        return True
    # `one`, a sentence's words, may run on into the holder's name (« du Paris Saint-Germain,
    # Luis Enrique »: no comma is a word): its first whole words are compared.
    other_pieces = _name_pieces(other)
    acronyms = {w for w in other if len(w) > 1 and w.isupper()}
    for end in range(1, len(one) + 1):
        pieces = _name_pieces(one[:end])
        shorter = min(len(pieces), len(other_pieces))
        if pieces[:shorter] == other_pieces[:shorter] and set(pieces[:shorter]) - {"saint", "sainte"}:
            return True
        if _initials(one[:end]) in acronyms:
            return True
    return False


def _counts(sentence: str, nouns: frozenset[str], question: str, by_name: bool = False) -> bool:
    """A number that counts what is asked: in digits (not a year) or in words ("onze",
    "vingt-deux"), not a share, an amount, a duration or a size (« 86 % », « quinze jours »
    count nothing), unless of what is asked: « 5,72 % des voix » for "Combien de voix … ?",
    « 4 500 points de vente » for "Combien de points de vente … ?"; nor a count of another noun
    (`_counts_what_is_asked`: « SNCF Voyageurs a recruté 38 conducteurs » for "Combien de
    voyageurs … ?"), nor a day of a month (« le 14 décembre ») or a rank (« la 12e minute »),
    nor a number that is part of a name (« en National 2 », « sur France 3 »: `_in_a_name`)."""
    text = sentence.replace("’", "'")
    found = list(_WORDS.finditer(text))
    words = [m.group() for m in found]
    lowered = [w.lower() for w in words]
    counting_years = _counting_years(sentence, nouns)
    question_stems = frozenset(stem(w.lower()) for w in _WORDS.findall(question))
    others = _other_nouns(question) - nouns
    total = asked_rate(question) is None
    for at, word in enumerate(lowered):
        year = _YEAR.fullmatch(word) and word not in counting_years
        in_words = _in_words(lowered, at)
        if not (_NUMBER.fullmatch(word) and not year) and not in_words:
            continue
        if at and lowered[at - 1] == "h":
            continue  # the minutes of an hour, « 16 h 30 »
        if _in_a_name(sentence, found, at):
            continue  # « ne jouera plus en National 2 »: a division's name, no count
        if _KIN_BESIDE_SOMEONE.search(text, 0, found[at].start()) and not _ASKS_WHAT_ONE_HAS.search(question):
            continue  # « Julie Perrin, mère de deux élèves »: her children, no total of pupils
        after = at + 1
        while after < len(lowered) and (
            lowered[after] in _BETWEEN or (in_words and (lowered[after] in _NUMBER_PARTS or _in_words(lowered, after)))
        ):
            after += 1  # "2,6 millions de …", "quarante et une …"
        unit = _counted_at(lowered, after)  # past an adjective: « une seule fois »
        if unit < len(lowered) and _UNITS.fullmatch(lowered[unit]):
            if _of_what_is_asked(lowered[unit:], nouns):
                return True
            continue
        if after < len(lowered) and (_MONTH.fullmatch(lowered[after]) or lowered[after] in _ORDINAL):
            continue  # a day, « le 14 décembre », or a rank, « la 12e minute »
        if by_name and _names_what_is_asked(lowered[_counted_at(words, after)] if after < len(words) else "", nouns):
            return True
        if not by_name and _counts_what_is_asked(words, after, nouns, question_stems, total, others):
            return True
    return False


# The determiners of a whole counted: « Les 230 bénévoles du festival », « ses 140 dockers »
# (not « ces », which points at some already named: « Ces 12 élèves ont été hospitalisés »).
_ALL_OF = frozenset("les ses leurs nos vos".split())
# A verb of having or carrying, and what may stand between it and the number it says is the
# whole: « Le bassin compte 315 entreprises », « Le car transportait 34 élèves », « Un car
# transportant 34 élèves s'est couché ».
HAVING_BEFORE_COUNT = (
    r"(?<![\w'’-])(?:compte|comptent|comptait|comptaient|comptant|totalise|totalisent|totalisant|possède"
    r"|possèdent|possédant|abrite|abritent|abritant|regroupe|regroupent|regroupant|emploie|emploient|employait"
    r"|employaient|employant|transporte|transportent|transportait|transportaient|transportant|mobilise"
    r"|mobilisent|mobilisait|mobilisaient|mobilisant)\s+"
    r"(?:(?:aujourd'hui|désormais|encore|actuellement|environ|plus de|près de|quelque|au moins|pas moins de)\s+)*"
)
_HAVING_JUST_BEFORE = re.compile(HAVING_BEFORE_COUNT + r"$", re.I)
# What restricts a noun counted to a part of them, after it: a relative clause (« Les 12 élèves
# qui … »).
_RELATIVES = frozenset("qui que qu dont où".split())


def counts_all_of(sentence: str, nouns: frozenset[str], owners: frozenset[str] = frozenset()) -> bool:
    """Whether `sentence` counts the whole of what `nouns` (stems) name, by that noun: a number
    after a definite or possessive determiner, before the noun (« Les 230 bénévoles du festival
    seront consultés », « ses 140 dockers »), or after a verb of having or carrying whose
    subject names one of `owners` (stems) when there are any (« Le festival mobilise 230
    bénévoles » for the festival's; not « L'opposition de gauche, qui compte six élus » for the
    council's); not a number of them that did something (« onze élus de sa majorité ont voté
    contre »), nor one restricted by an adjective or a participle (« Les 17 élèves blessés »,
    « les 12 autres élèves »), a relative clause (« Les 12 élèves qui … ») or « de la » (« Les
    40 bénévoles de la buvette »), which are parts."""
    text = sentence.replace("’", "'")
    found = list(_WORDS.finditer(text))
    words = [m.group().lower() for m in found]
    for at, word in enumerate(words):
        if not ((_NUMBER.fullmatch(word) and not _YEAR.fullmatch(word)) or _in_words(words, at)):
            continue
        if not (at and words[at - 1] in _ALL_OF):
            having = _HAVING_JUST_BEFORE.search(text[: found[at].start()])
            subject = {stem(m.group().lower()) for m in found if m.end() <= having.start()} if having else set()
            if having is None or (owners and not owners & subject):
                continue
        after = at + 1
        while after < len(words) and (words[after] in _NUMBER_PARTS or _in_words(words, after)):
            after += 1  # « les quarante et une familles »
        if (
            after < len(words)
            and _names_what_is_asked(words[after], nouns)
            and not _restricted(words, [m.group() for m in found], after + 1)
        ):
            return True
    return False


def _restricted(words: list[str], found: list[str], at: int) -> bool:
    """Whether what follows a noun counted, from `words[at]` (lower-cased; `found` as written),
    makes it a part: a relative clause, « de la … », or an adjective or participle agreeing with
    it (a plural word that is no stopword: « blessés », « francophones »)."""
    if at >= len(words):
        return False
    following = words[at]
    if following in _RELATIVES or (following == "de" and words[at + 1 : at + 2] == ["la"]):
        return True
    return (
        found[at].islower()
        and following.endswith(("s", "x"))
        and following not in STOPWORDS
        and following not in _NOT_COUNTED_AFTER
    )


def _in_a_name(sentence: str, found: list[re.Match[str]], at: int) -> bool:
    """Whether the number in digits at `found[at]` ends a name, a single space after a
    capitalised word that does not open the sentence (« en National 2 », « Ligue 1 », « sur
    France 3 », « l'université Rennes 2 »); not after a comma (« À Lyon, 300 manifestants »), nor
    after the sentence's first word (« Dont 12 blessés », « En 2024 »). Not a number in thousands
    (« Selon la CGT 3 000 personnes »), nor one a plural word follows, which it counts (« En
    Bretagne 300 exploitations ont fermé », « « Environ 300 personnes … » »): a name's number
    stands alone."""
    number = found[at].group()
    if at < 2 or not number[:1].isdigit() or not number.isdigit():
        return False
    before = found[at - 1]
    if not (before.group()[:1].isupper() and sentence[before.end() : found[at].start()] == " "):
        return False
    following = found[at + 1].group() if at + 1 < len(found) else ""
    counted = (
        following.islower()
        and following[-1:] in ("s", "x")
        and following not in STOPWORDS
        and following not in _NOT_COUNTED_AFTER
    )
    return not counted


# A singular kin noun set beside a person, whose children a number after « de » counts: « Julie
# Perrin, mère de deux élèves », « Le conducteur, père de trois enfants ». Those are one person's
# children, no total of what a place or body has ("Combien d'élèves compte l'école ?", "… y
# avait-il dans le car ?"). Not kin in the plural, collective (« Les parents de 34 élèves ont été
# prévenus »), nor « mère » of a thing (« la société mère de 12 filiales »).
_KIN_BESIDE_SOMEONE = re.compile(r",\s*(?:une?\s+)?(?:grand-)?(?:mère|père|parent|maman|papa)\s+d(?:e\s+|')$", re.I)
# A question asking what a person has ("Combien d'enfants a-t-elle ?", "Combien de garçons
# a-t-il ?"): her children are counted so; not the impersonal "y a-t-il", "y avait-il".
_ASKS_WHAT_ONE_HAS = re.compile(r"(?<!\by )\b(?:a-t-|aura-t-|avait-)(?:il|elle)\b", re.I)


# Words ending in s or x after a name's number that are no plural it counts: « en Ligue 1 depuis
# 2019 », « sur France 3 après le journal ».
_NOT_COUNTED_AFTER = frozenset("après puis moins plus jamais toujours désormais parfois dès vers chez lors".split())


# What stands between a number in words and the rest of it: « quarante et une familles ».
_NUMBER_PARTS = frozenset("et un une".split())
# What makes a number a rank: « 12e », « 1er », « 2nde ».
_ORDINAL = frozenset("e er ère re ème è nd nde".split())
_MONTH = re.compile(MONTH_NAMES)
# Adjectives news sets between a number and the noun it counts: « quatorze autres habitants ».
_BEFORE_COUNTED = frozenset(
    "autres nouveaux nouvelles premiers premières derniers dernières jeunes petits petites grands grandes "
    "anciens anciennes seul seule seuls seules".split()
)
# Nouns that count anyone, whatever a question calls them: « Deux personnes sont mortes »
# answers "Combien de morts ?"; asked, they are answered by any count ("Combien de personnes …
# ?": « 21 000 spectateurs »).
_ANYONE = frozenset(stem(w) for w in "personnes gens individus".split())


# What opens a noun phrase in a question: "les passagers" of "Combien d'hôtels ont accueilli les
# passagers ?" is another participant than the noun asked. Not a possessive: "Combien de
# professeurs vont perdre leur poste ?" asks what is theirs, « 23 postes d'enseignants ».
_DETERMINERS = frozenset("le la les l un une des du ce cet cette ces".split())


def _other_nouns(question: str) -> frozenset[str]:
    """The stems of the nouns `question` names with a determiner (« les passagers »): a count of
    one of them is not one of the noun asked ("Combien d'hôtels ont accueilli les passagers ?" is
    not answered by « 9 000 passagers »), where a word of its verb may be the count's noun
    (« onze interpellations » for "Combien de personnes ont été interpellées ?")."""
    words = _WORDS.findall(question.replace("’", "'"))
    return frozenset(
        stem(word.lower())
        for before, word in pairwise(words)
        if before.lower() in _DETERMINERS and word.lower() not in STOPWORDS
    )


def _counted_at(words: list[str], after: int) -> int:
    """Where the noun a number counts stands, `after` being the word after the number (and its
    scale): past an adjective (« quatorze autres habitants »)."""
    while after < len(words) and words[after].lower() in _BEFORE_COUNTED:
        after += 1
    return after


def _names_what_is_asked(counted: str, nouns: frozenset[str]) -> bool:
    """Whether `counted`, the noun a number counts (lower-cased), is the noun asked, or holds
    it (« 85 sapeurs-pompiers »), in the singular too (« un seul petit » for "petits", which
    the stemmer reads apart)."""
    forms = {stem(counted), *(stem(part) for part in counted.split("-"))}
    if counted and not counted.endswith(("s", "x")):
        forms.add(stem(counted + "s"))
    return bool(forms & nouns)


def _counts_what_is_asked(
    words: list[str],
    after: int,
    nouns: frozenset[str],
    question_stems: frozenset[str],
    total: bool,
    others: frozenset[str] = frozenset(),
) -> bool:
    """Whether the number before `words[after]` counts what is asked (`nouns`, stems): the noun
    after it (past an adjective, « quatorze autres habitants ») is the one asked or holds it
    (« 85 sapeurs-pompiers » for "pompiers"), counts anyone, or is a word of the question
    (« onze interpellations » for "Combien de personnes ont été interpellées ?", `question_stems`
    being the stems of the question's words, taken once per sentence by `_counts`); or no noun
    follows (« 58 d'entre eux », « les 520 que compte le site »); or another noun follows and
    the noun asked is not in the sentence inside a name alone: « SNCF Voyageurs a recruté 38
    conducteurs » counts no travellers, where « 45 portraits » may count the "tableaux" asked
    (checking the noun itself held back 113 right first answers of PIAF: README, step 9). A
    question counting anyone (`_ANYONE`) is answered by a count of anything. A `total` asked (no
    rate: `index.rates`) is not counted per a thing (« 17 élèves par classe » for "Combien de
    touristes sont attendus ?", « six places chacun »), nor is a noun the question names as
    another participant (`others`: « 9 000 passagers » for "Combien d'hôtels ont accueilli les
    passagers ?")."""
    after = _counted_at(words, after)
    if _per_what_is_asked(words, after, nouns) or (total and counts_per(words, after)):
        return False
    if after == len(words) or nouns & _ANYONE:
        return True
    counted = words[after].lower()
    if counted in STOPWORDS or not counted.replace("-", "").isalpha():
        return True
    if _names_what_is_asked(counted, nouns | _ANYONE):
        return True
    if stem(counted) in others:
        return False
    if stem(counted) in question_stems:
        return True
    # Another noun counted (« 45 portraits » for "tableaux", « 5 000 Noirs »): news counts by
    # other words than the question's, unless the noun asked is in the sentence only inside a
    # name, which is what matched it.
    named = [w for at, w in enumerate(words) if at and at != after and stem(w.lower()) in nouns]
    return not named or any(w.islower() for w in named)


# What makes a count a rate: « 17 élèves par classe », « deux agents pour chaque école ».
_PER = (("par",), ("pour", "chaque"), ("dans", "chaque"))


def _per_what_is_asked(words: list[str], counted: int, nouns: frozenset[str]) -> bool:
    """Whether the noun a number counts (`words[counted]`) is counted per what is asked:
    « 17 élèves par classe » counts pupils in each class, not classes ("Combien de classes
    compte l'école ?"), as « 3 médecins pour chaque hôpital » counts no hospitals."""
    lowered = [w.lower() for w in words[counted + 1 : counted + 4]]
    for per in _PER:
        if tuple(lowered[: len(per)]) == per and len(lowered) > len(per):
            return _names_what_is_asked(lowered[len(per)], nouns)
    return False


def _counting_years(sentence: str, nouns: frozenset[str]) -> set[str]:
    """The four digits from 1000 to 2099 of `sentence` that count what follows them, a space
    apart: the noun asked or a plural noun (« 1500 manifestants », « 2000 personnes »), where
    any other is a year (« En 2025, seuls 86 % … », « en 1998 après la fusion »)."""
    counting = set()
    for number, after in _YEAR_THEN_WORD.findall(sentence.lower()):
        if stem(after) in nouns or _counted_noun(after):
            counting.add(number)
    return counting


def _counted_noun(word: str) -> bool:
    """Whether `word` (lower case), right after a number, is a plural noun it counts
    (« 1500 manifestants », « 418 victimes »), not a unit, a time or a word in "-s" that is none
    (« en 1998 après la fusion »)."""
    return (
        looks_plural(word)
        and len(word) > 4
        and word not in _INVARIABLE
        and word not in STOPWORDS
        and word not in _NOT_COUNTED
        and not _UNITS.fullmatch(word)
        and not _TIME.fullmatch(word)
    )


def _of_what_is_asked(measure: list[str], nouns: frozenset[str]) -> bool:
    """Whether a unit and what follows it (`measure`, lower-cased words) measure what is asked:
    the unit is the noun ("points de vente"), or a share of it ("% des voix"); "1 900 euros par
    habitant" is money, not a count of the inhabitants."""
    if stem(measure[0]) in nouns:
        return True
    if len(measure) < 3 or measure[1] not in ("de", "des", "du", "d"):
        return False
    of = measure[3] if measure[2] in ("la", "l", "les") and len(measure) > 3 else measure[2]
    return stem(of) in nouns


def _in_words(words: list[str], at: int) -> bool:
    """Whether `words[at]` is a number in letters ("onze", "vingt-deux", "soixante-et-onze";
    "neuf" where it is nine, `measures.gives_a_count`: not « un bâtiment neuf »), none included:
    « Aucun cas de maladie n'a été signalé » answers "Combien de malades … ?"."""
    word = words[at]
    if word in _NONE:
        return True
    if word in ("un", "une") and at + 1 < len(words) and words[at + 1] in ("seul", "seule"):
        return True  # « un seul petit », « une seule victime »
    if word in ("million", "milliard") and at and words[at - 1] in ("un", "le", "du"):
        return True  # « un million de visiteurs », « dépasse le million »
    if "-" not in word:
        return gives_a_count(words, at)
    parts = word.split("-")
    return all(part in COUNT_WORDS or part in ("et", "un", "une") for part in parts) and parts[0] in COUNT_WORDS

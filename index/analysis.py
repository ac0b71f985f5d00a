"""French lexical analysis: the terms that both passages and questions are reduced to.

Lower case, elisions split (`l'OTAN` -> `otan`), stop words dropped, Snowball
French stemming, then accents folded so that `réunis`, `reunis` and `Réunies`
meet on one term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import Stemmer

# Bumped whenever the terms produced change: indexes built before must be rebuilt.
# 2: "avions" and "sommes" are words (planes, sums of money), no longer stop words.
# 3: words news writes for one another, and derivations Snowball leaves apart, read as one term
# (`_ONE_TERM`, `_ONE_TERM_WORDS`).
# 4: more of those (« s'indigner » / « dénoncer », « succéder » / « remplacer », « grimper » /
# « augmenter » …), and the verbs in « -dre » one term in every form (`_DRE_VERB_FORMS`:
# « défendre », « défendu », « défend »).
ANALYZER_VERSION = 4

# Snowball's French stop words, less the forms of "avoir" and "être" that are also plural
# nouns news write about: "avions" (planes) and "sommes" (sums). Among stop words a question
# about "avions de chasse" kept only "chasse", and no passage on "avions" matched "avion".
# "été" (summer) stays out: questions use it as "a été" (177 of the 178 development
# questions that hold it; one asks about the "solstice d'été").
STOPWORDS = frozenset(
    """
    a à ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais aurait
    auras aurez auriez aurions aurons auront aussi autre autres aux auxquelles auxquels avaient avais
    avait avant avec avez aviez avoir avons ayant ayez ayons c ça car ce ceci cela celle celles
    celui cependant certain certaine certaines certains ces cet cette ceux chacun chacune chaque chez ci
    comme comment d dans de des deja déjà depuis dont donc du duquel durant elle elles en encore entre
    es est et étaient étais était étant été êtes étiez étions être eu eue eues eûmes eurent eus eusse
    eussent eusses eussiez eussions eut eût eûtes eux fait faites fais furent fus fusse fussent fusses
    fussiez fussions fut fût fûtes ici il ils j je jusqu jusque l la là laquelle le lequel les
    lesquelles lesquels leur leurs lors lorsque lui m ma mais me même mêmes mes moi mon n ne ni nos
    notre nous on ont ou où par parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles
    quels qui quoi s sa sans se sera serai seraient serais serait seras serez seriez serions serons
    seront ses si sien sienne siennes siens soi soient sois soit son sont sous soyez soyons suis
    sur t ta te tes toi ton tous tout toute toutes très tu un une unes uns vos votre vous y
    """.split()
)
# The forms of "quel", which ask before the noun asked about ("Quel est le prix…", "quelles
# communes…"): stop words for search, question words for `index.measures` and `index.conversation`.
WHICH = "quel|quelle|quels|quelles"
_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_stemmer = Stemmer.Stemmer("french")


# The combining marks French accents decompose into, removed in one pass; any other
# non-ASCII character left is looked at alone (a whole passage is folded for every answer).
_LATIN_MARK_CHARACTERS = tuple(chr(code) for code in range(0x300, 0x370) if unicodedata.combining(chr(code)))
_LATIN_MARKS = re.compile("[" + "".join(_LATIN_MARK_CHARACTERS) + "]+")
# From this length, the marks are removed kind by kind, each found and removed by a scan in C
# (a text holds few kinds of them), rather than by the pattern, which is tried at every
# position: a passage is folded in 60 % of the time. A word: the pattern, in one pass.
_MARKS_KIND_BY_KIND_FROM = 64
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _unless_combining(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


# A capitalised word inside a question, bare ("Jens Stoltenberg", "à Bruxelles") or elided
# ("l'OTAN", "d'Angoulême"; group 1 is the elision).
_NAME = re.compile(r"(?<=\S)\s+((?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’])?([A-ZÀ-ÖØ-Þ][\w'’-]+)")


def names_in(question: str) -> list[tuple[str, str]]:
    """The names a question holds, as written, each with its elision ("" when bare): the
    capitalised words after its first ("Et Macron ?", "l'OTAN")."""
    return _NAME.findall(question)


def fold_accents(text: str) -> str:
    """`text` without its combining marks (NFKD), "œ" and "æ" spelt out: "Cœur élu" -> "Coeur elu"."""
    folded = unicodedata.normalize("NFKD", text)
    if not folded.isascii():
        folded = _without_latin_marks(folded)
        if not folded.isascii():
            folded = _NON_ASCII.sub(_unless_combining, folded)
    return folded.replace("œ", "oe").replace("æ", "ae")


def _without_latin_marks(text: str) -> str:
    """`text` without the combining marks of `_LATIN_MARKS`."""
    if len(text) < _MARKS_KIND_BY_KIND_FROM:
        return _LATIN_MARKS.sub("", text)
    for mark in _LATIN_MARK_CHARACTERS:
        if mark in text:
            text = text.replace(mark, "")
    return text


# Terms read as another: what news writes of one thing in turn with either word, so that a
# question in one finds the sentence in the other ("Que demandent les syndicats ?": « ils
# réclament … »; "De combien les prix ont-ils baissé ?": « en recul de 4,8 % »), and the
# derivations of one verb Snowball does not join ("interdit", "interdisant", "interdiction";
# "fermer", "fermeture"; "supprimer", "suppression"). General French, none a subject's word.
_ONE_TERM = {
    "recl": "demand",  # réclamer, réclament
    "reclam": "demand",  # réclame, réclamation
    "remport": "gagn",  # remporter
    "hauss": "augment",  # une hausse, une augmentation
    "recul": "baiss",  # un recul, une baisse
    "diminu": "baiss",  # diminuer, une diminution
    "embauch": "recrut",  # embaucher, recruter
    "achev": "termin",  # achever, terminer
    "deces": "mort",  # le décès, la mort
    "deced": "mort",  # décédé
    "meurt": "mort",
    "mour": "mort",  # mourir
    "interd": "interdit",
    "interdis": "interdit",  # interdisant
    "interdict": "interdit",  # interdiction
    "interdir": "interdit",
    "fermetur": "ferm",  # fermeture
    "suppress": "supprim",  # suppression
    "construir": "construct",  # construire
    "construit": "construct",
    "blessur": "bless",  # blessure
    "achat": "achet",  # un achat, acheter
    "grimp": "augment",  # grimper
    "flamb": "augment",  # flamber, une flambée (of prices)
    "bond": "augment",  # bondir, un bond de 35 %
    "indign": "denonc",  # s'indigner, dénoncer
    "fustig": "denonc",  # fustiger
    "succed": "remplac",  # succéder, remplacer
    "successeur": "remplac",
    "scolair": "ecol",  # établissements scolaires, écoles
    "voitur": "vehicul",  # voitures, véhicules
    "elarg": "etend",  # élargir, étendre
}
# Words whose Snowball term is another word's, read by the word itself: "versé" is "vers" as the
# preposition is, "vente" is "vent" (wind).
_ONE_TERM_WORDS = {
    **dict.fromkeys(
        "verse versé versée versés versées verser versent versera verseront versement versements".split(), "pai"
    ),
    **dict.fromkeys("paient payent paye".split(), "pai"),  # payer
    # Third persons plural Snowball leaves whole, met in questions ("Que demandent-ils ?").
    "demandent": "demand",
    **dict.fromkeys("gagnent remportent".split(), "gagn"),
    **dict.fromkeys("vente ventes vendu vendue vendus vendues vendre vendent vendra".split(), "vend"),
}


# The verbs in « -dre » Snowball leaves in three terms: "defendr" (défendre, défendra), "defendu"
# (défendu, défendue), "defend" (défend, défendait). Their infinitive, future and participle
# are read as the stem: "Qui défend le plan ?" finds « …, a-t-elle défendu ».
# Group 1 is the ending, the stem what comes before it; "-dres" too, so that a noun or an
# adjective in « -dre » keeps one term with its plural ("la poudre", "des poudres").
_DRE_VERB_FORMS = re.compile(r"[^\W\d_]{3}d(re|res|ra|ras|rai|rais|rait|rions|riez|raient|rez|rons|ront|u|ue|us|ues)$")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The term of one lower-case word: stemmed, accents folded, read as the term of the words
    news writes for it (`_ONE_TERM`)."""
    known = _ONE_TERM_WORDS.get(word)
    if known is not None:
        return known
    dre_verb = _DRE_VERB_FORMS.search(word)
    term = fold_accents(_stemmer.stemWord(word[: dre_verb.start(1)] if dre_verb else word))
    return _ONE_TERM.get(term, term)


def words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def terms(text: str) -> list[str]:
    """The searchable terms of `text`, in order (duplicates kept)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


# A title or a heading is read, before each sentence, to its first this many words: a longer
# one (a pasted line, a page's whole headline block) would leave the model no room for the
# sentence, and every sentence of the article the same vector.
CONTEXT_WORDS = 32


def passage_context(title: str, heading: str | None, passage: str) -> str:
    """What is embedded for a sentence, and searched for a passage: read under its title and heading."""
    return "\n".join(part for part in (_lead(title), _lead(heading), passage) if part)


def _lead(text: str | None) -> str | None:
    if not text or text.count(" ") < CONTEXT_WORDS:
        return text
    return " ".join(text.split()[:CONTEXT_WORDS])


# How a passage's terms are stored for its lexical index (`NewPassage.terms`): the terms of
# its title and heading on a first line, then one line per sentence. Search reads them as one
# whitespace-separated list (FTS5 and `index.lexicon` alike: lines change nothing there); the
# answer reads each sentence's terms back instead of analysing its sentences again. A passage
# stored on one line (before sentence lines were written, or whose sentences do not split its
# terms exactly: `sentence_lines`) has its sentences analysed at answer time.


def sentence_lines(head: str, passage: str, spans: Sequence[tuple[int, int]]) -> str:
    """The terms of `head` (title and heading) and of `passage`, one line for the head then
    one per sentence of `spans` (offsets in `passage`), when the sentences' terms are exactly
    the passage's, in order; else all of them on one line."""
    head_terms, passage_terms = terms(head), terms(passage)
    sentences = [terms(passage[a:b]) for a, b in spans]
    if [term for part in sentences for term in part] != passage_terms:  # a word cut by a sentence end
        return " ".join(head_terms + passage_terms)
    return "\n".join([" ".join(head_terms), *(" ".join(part) for part in sentences)])


def stored_terms(title: str, heading: str | None, passage: str, sentences: Sequence[tuple[int, int]]) -> str:
    """A passage's terms as its library stores them (`sentence_lines`), searched under its
    article's title and its heading: made when it is added, and again from what is stored when
    a library made by an earlier analysis is brought up to date (no model needed)."""
    return sentence_lines(passage_context(title, heading, ""), passage, sentences)


def stored_sentence_terms(stored: str, sentences: int) -> list[set[str]] | None:
    """Each sentence's terms, from a passage's stored terms (`sentence_lines`) with that many
    sentences; None when they were stored on one line."""
    lines = stored.split("\n")
    if len(lines) != sentences + 1:
        return None
    return [set(line.split()) for line in lines[1:]]


def in_question_order(query_terms: Sequence[str]) -> dict[str, None]:
    """The question's terms, each once, in the order it says them: the order its term weights
    are summed in (evidence's coverage, the weight missing) and its two rarest are told apart
    when tied. A set's order changes with each process's string hashing (PYTHONHASHSEED), and
    with it the sums' last bits: a relevance on its threshold could then answer otherwise
    after a restart."""
    return dict.fromkeys(query_terms)

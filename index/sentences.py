"""French sentence segmentation that returns offsets, so quotes stay exact slices.

A boundary is a run of `.`, `!`, `?` or `…` (plus closing quotes or brackets),
followed by whitespace and something that can open a sentence. Periods after
known abbreviations (M., Mme, av. J.-C., al. …) and single initials are not
boundaries; decimal commas and `3.5` never are, since no space follows them.
News conventions: a cut mark `(…)` or `[…]` inside a quotation does not end it;
abbreviations that are also words ("vol.", "sept.", "ex.") end a sentence unless a
number or a lower-case word follows; "plan B. Il …" ends after the B. A paragraph break
(a blank line) always ends a sentence: a heading or a teaser line written without a full
stop never runs into the paragraph after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Always abbreviations: titles and forms that are never a word ending a sentence.
ABBREVIATIONS = frozenset(
    """
    m mm mme mmes mlle mlles dr drs pr me mgr st ste sts stes av apr j.-c cf pp chap
    hab fig éd éds réf coll trad op cit ibid bd boul gal gén cdt lt sgt cne adj janv
    févr fév avr juil c.-à-d al
    """.split()
)
# Abbreviations that are also ordinary words ("pour vol.", "ils étaient sept.", "ex.",
# "la col.", "le dir."): abbreviations only before what abbreviations precede, a number
# or a lower-case word ("vol. 3", "sept. 2023", "p. 12", "art. 4", "t. II").
AMBIGUOUS_ABBREVIATIONS = frozenset("ex p vol art env t n no nos dir col sept oct nov déc".split())
# After a single capital and a period ("plan B. Il …"), these open a new sentence: an
# initial ("J. Dupont") is followed by a name, and these are not names.
_SENTENCE_OPENERS = frozenset(
    """
    il elle ils elles on nous vous je tu ce cet cette ces cela ceci ça mais et or donc car puis
    ensuite enfin alors ainsi aussi selon pour dans après avant depuis lorsque quand si son sa ses
    leur leurs notre nos votre vos mon ma mes aucun aucune chaque tous toutes tout toute les un une des
    """.split()
)  # not "le" or "la", which open names: "B. Le Maire", "J. La Fontaine"
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_CUT_MARK = re.compile(r"[(\[](?:…|\.\.\.)[)\]]")  # "(…)" or "[…]": something left out, not an end

# Possessive quantifiers and the look-behind keep the scan linear: without them a long
# run of dots or of spaces is re-read from each of its positions (quadratic time).
_END = re.compile(
    r"""(?<![.!?…])[.!?…]++     # terminal punctuation, from the start of its run
        (?:[ \u00a0\u202f](?:»|"(?=\s))|[»"”’)\]])*+   # closing quotes or brackets; after a
                                            # space, " closes only before a space ('. "Il' opens)
        (?=\s++[«"“(\[—–\-]?+\s*+[A-ZÀ-ÖØ-Þ0-9ÉÈÊÀÂÎÔÛÇŒ])   # then a sentence opener
    """,
    re.VERBOSE,
)
_COMPOUND_INITIALS = re.compile(r"[^\W\d_]\.-[^\W\d_]")  # "j.-l" of "J.-L. Mélenchon"
_WORD_BEFORE = re.compile(r"([\w.\-']+)$")
_NEXT_WORD = re.compile(r"\s*[«\"“(\[—–\-]?\s*([\w']+)")
# Abbreviations and initials are short: the word before a period is looked for in this
# many characters only, so that each period costs the same however long the text.
_WORD_WINDOW = 32


def _is_abbreviation(text: str, period_at: int, next_word: str) -> bool:
    match = _WORD_BEFORE.search(text, max(0, period_at - _WORD_WINDOW), period_at)
    if not match:
        return False
    written = match.group(1).lstrip("'’(").rsplit("'", 1)[-1]
    word = written.lower()
    if written.isupper() and len(written) >= 2 and written.isalpha() and word != "mm":
        return False  # an acronym ("la BD.", "le PP."), not the abbreviation it spells ("bd.", "pp.")
    if word in ABBREVIATIONS:
        return True
    if word in AMBIGUOUS_ABBREVIATIONS:
        return next_word[:1].isdigit() or next_word[:1].islower() or next_word in {"I", "II", "III", "IV", "V"}
    # single initials (J. Dupont, J.-L. Mélenchon) and dotted acronyms (U.S.A.) are not sentence ends
    bare = word.replace(".", "")
    if (len(bare) == 1 and bare.isalpha()) or _COMPOUND_INITIALS.fullmatch(word):
        return next_word.lower() not in _SENTENCE_OPENERS
    return "." in word and len(bare) <= 4 and bare.isalpha()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans `(a, b)` of the sentences of `text[start:end]`, trimmed of whitespace.

    The spans are in order, do not overlap and cover every non-space character.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for paragraph_break in _PARAGRAPH_BREAK.finditer(text, start, end):
        _paragraph_sentences(text, cursor, paragraph_break.start(), spans)
        cursor = paragraph_break.end()
    _paragraph_sentences(text, cursor, end, spans)
    return spans


def _paragraph_sentences(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """The sentences of `text[start:end]`, a paragraph, appended to `spans`."""
    cursor = start
    for match in _END.finditer(text, start, end):
        punct = text[match.start() : match.end()]
        if _CUT_MARK.match(text, max(match.start() - 1, 0)):
            continue
        if punct[0] == "." and len(punct.rstrip('»"”’)] \u00a0\u202f')) == 1:
            following = _NEXT_WORD.match(text, match.end())
            if _is_abbreviation(text, match.start(), following.group(1) if following else ""):
                continue
        _append(text, spans, cursor, match.end())
        cursor = match.end()
    _append(text, spans, cursor, end)


def _append(text: str, spans: list[tuple[int, int]], a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        spans.append((a, b))


def same_paragraph(text: str, one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two stretches of a passage's `text` (sentences' spans, or a quote's offsets) are in
    one paragraph: no line break from the earlier's start to the later's end. A passage is its
    article's blocks, each folded onto one line, joined by a blank line: any line break there is
    a paragraph's end, and what the next paragraph says is said of another thing or person."""
    return "\n" not in text[min(one[0], other[0]) : max(one[1], other[1])]


def sentence_at(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """The index of the sentence (among a passage's `spans`, in order) that holds the character at
    `offset`: the last to start at or before it, the first when none does. Where a stretch ending
    at `end` (exclusive) ends is `sentence_at(spans, end - 1)`."""
    return max((i for i, (start, _) in enumerate(spans) if start <= offset), default=0)


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]

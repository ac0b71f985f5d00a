"""French sentence segmentation that returns offsets, so quotes stay exact slices.

A boundary is a run of `.`, `!`, `?` or `…` (plus closing quotes or brackets),
followed by whitespace and something that can open a sentence. Periods after
known abbreviations (M., Mme, av. J.-C., p. …) and single initials are not
boundaries; decimal commas and `3.5` never are, since no space follows them.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """
    m mm mme mmes mlle mlles dr drs pr me mgr st ste sts stes av apr j.-c cf ex p pp vol chap art env
    hab fig éd éds t n no nos réf coll dir trad op cit ibid bd boul gal gén col cdt lt sgt cne adj janv
    févr fév avr juil sept oct nov déc c.-à-d
    """.split()
)

# Possessive quantifiers and the look-behind keep the scan linear: without them a long
# run of dots or of spaces is re-read from each of its positions (quadratic time).
_END = re.compile(
    r"""(?<![.!?…])[.!?…]++     # terminal punctuation, from the start of its run
        (?:[ \u00a0\u202f]?[»"”’)\]])*+   # closing quotes or brackets
        (?=\s++[«"“(\[—–\-]?+\s*+[A-ZÀ-ÖØ-Þ0-9ÉÈÊÀÂÎÔÛÇŒ])   # then a sentence opener
    """,
    re.VERBOSE,
)
_WORD_BEFORE = re.compile(r"([\w.\-']+)$")
# Abbreviations and initials are short: the word before a period is looked for in this
# many characters only, so that each period costs the same however long the text.
_WORD_WINDOW = 32


def _is_abbreviation(text: str, period_at: int) -> bool:
    match = _WORD_BEFORE.search(text, max(0, period_at - _WORD_WINDOW), period_at)
    if not match:
        return False
    word = match.group(1).lower().lstrip("'’(")
    if word.rsplit("'", 1)[-1] in ABBREVIATIONS or word in ABBREVIATIONS:
        return True
    # single initials (J. Dupont) and dotted acronyms (U.S.A.) are not sentence ends
    bare = word.replace(".", "")
    return (len(bare) == 1 and bare.isalpha()) or ("." in word and len(bare) <= 4 and bare.isalpha())


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans `(a, b)` of the sentences of `text[start:end]`, trimmed of whitespace.

    The spans are in order, do not overlap and cover every non-space character.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _END.finditer(text, start, end):
        punct = text[match.start() : match.end()]
        if punct[0] == "." and len(punct.rstrip('»"”’)] \u00a0\u202f')) == 1 and _is_abbreviation(text, match.start()):
            continue
        _append(text, spans, cursor, match.end())
        cursor = match.end()
    _append(text, spans, cursor, end)
    return spans


def _append(text: str, spans: list[tuple[int, int]], a: int, b: int) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if a < b:
        spans.append((a, b))


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]

"""Links that land on a quote: the page's address with a text fragment (`#:~:text=…`), whose
terms a browser finds at the quote and nowhere before it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from urllib.parse import quote as quote_url

from index.cleaning import ENTRY_TIME
from index.library import Result

# A quote longer than this many words, or of more than one paragraph, is linked by its first
# and last words (textStart, textEnd), which browsers match as a range: the link stays short
# whatever the quote.
FRAGMENT_WORDS = 8
FRAGMENT_EDGE_WORDS = 4
# What opens a paragraph of the text read but not of the page's: a list item's mark (the
# extractor writes a page's <li> as "- …") and a live report's entry time ("16h45 – …",
# `index.cleaning.ENTRY_TIME`), which the page shows apart.
_NOT_ON_PAGE = re.compile(rf"{ENTRY_TIME.pattern}|^[-–—•·*]\s")
# What ends a paragraph of the text read but is another block of the page: an embedded tweet's
# signature, "— Name (@handle) March 16, 2020" under the tweet's words, which the reading joins
# to them as "… — Name" (`index.cleaning`). Recognised by the em dash of Twitter's embed code
# and a name of at most 50 characters (Twitter's limit) with no parenthesis, dash or closing
# punctuation: a French incise that ends a paragraph ends with a sentence's punctuation. Left
# out of the quote's terms as an entry time is; a sentence mistaken for one only ends the
# highlight a few words early.
_SIGNATURE = re.compile(r"(?<=\S)\s+—\s*[^\s()—][^()—]{0,49}(?<![\s.!?…»\"”])$")
# A browser's search ignores case, and Chrome's also accents and the kind of apostrophe
# ("find in page"): our checks of where a term occurs ignore them all, so that a term is
# never taken for unique where a browser would find it earlier (at worst, a word longer).
_APOSTROPHES = re.compile("[’‘ʼ]")
# The combining marks a decomposed letter's accents are (Unicode's combining blocks): removed
# by one substitution, ten times faster than asking `unicodedata.combining` of each character.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def quote_link(url: str, quote: str, before: str = "") -> str:
    """`url` with a text fragment (`#:~:text=…`): browsers that support it scroll to the
    quote and highlight it; others open the page as usual. Each term is percent-encoded,
    `-`, `,` and `&` included, since they are the directive's own syntax. A browser matches
    each term within one block of the page (WICG Text Fragments, "find a range from a text
    directive"): a quote of several paragraphs is linked by the first words of its first and
    the last words of its last, never by words on both sides of a paragraph's end.

    `before`: what the page shows above the quote, as far as we know it (the article's title
    and text up to the quote: `quote_context`). A browser highlights from the FIRST place on
    the page where the start term occurs: when the quote's first words are also said earlier
    (a standfirst that repeats the sentence, "le règlement de la Ville" twice), the start term
    takes more of the quote's first paragraph, word by word, until it occurs nowhere before
    the quote; the end term grows backwards alike, until the first place it occurs after the
    start is the quote's end. That uses only the quote's own words, which must be on the page
    for any link to work, and a longer term is read by every browser that reads fragments.
    Only when the quote's words cannot tell it apart (a short quote, linked whole, or a first
    paragraph said whole before) is context added, the spec's `prefix-,`: the words just
    before the quote, in the block it continues or else the one above. A browser takes a
    prefix only if nothing but spaces and a paragraph's end lies between it and the quote on
    the page: what our reading left out there (a caption, a "Lire aussi") makes the browser
    highlight nothing, which is better than highlighting the wrong place; so the prefix is a
    last resort, and as short as will do. When nothing tells the quote apart, the link is
    its first and last words, as without `before`."""
    paragraphs = _page_paragraphs(quote)
    if not paragraphs:
        return url
    above = _page_paragraphs(before)
    continued = bool(above) and not before.rstrip(" \t\u00a0").endswith("\n")  # the quote starts mid-paragraph
    # A prefix is taken from the block above only if the page shows nothing between: not
    # above a live report's entry, whose time the page shows before it.
    apart = not continued and ENTRY_TIME.match(quote.strip()) is not None
    prefix, start, end = _Page(above, paragraphs, continued, apart).directive(paragraphs)
    terms = [_fragment_term(" ".join(prefix)) + "-"] if prefix else []
    terms += [_fragment_term(" ".join(words)) for words in (start, end) if words]
    base, _, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]  # a link that already had a directive gets ours instead
    return f"{base}#{fragment}:~:text={','.join(terms)}"


def quote_context(result: Result, before_passages: Mapping[int, str]) -> str:
    """What the page of `result`'s article shows above its quote, for `quote_link`: the
    article's title (the page's heading), its text before the passage (`before_passages`, by
    passage id: `Library.texts_before`; nothing for an article deleted since) and the
    passage's before the quote."""
    before_passage = before_passages.get(result.passage_id, "")
    return f"{result.article.title}\n\n{before_passage}{result.passage[: result.quote_start]}"


def _page_paragraphs(text: str) -> list[list[str]]:
    """The words of each paragraph of `text` as the page shows them: without what the
    reading added before a paragraph (`_NOT_ON_PAGE`) or after it (`_SIGNATURE`)."""
    lines = (_NOT_ON_PAGE.sub("", line.strip()) for line in text.split("\n"))
    return [words for line in lines if (words := _SIGNATURE.sub("", line).split())]


class _Page:
    """The text a browser searches for a quote's terms, as far as we know it: the blocks
    above the quote, then the quote's, one a line (a term never spans two), folded as the
    browser's search compares (`fold`)."""

    def __init__(self, above: list[list[str]], quote: list[list[str]], continued: bool, apart: bool) -> None:
        """`continued`: the quote starts inside the last block `above`; `apart`: the page
        shows something between the block above and the quote (no prefix from it)."""
        head = fold("\n".join(" ".join(words) for words in above) + (" " if continued else "\n")) if above else ""
        self.text = head + fold("\n".join(" ".join(words) for words in quote))
        self.at = len(head)  # where the quote starts
        # What a prefix may take: the words before the quote in its block, or the block above.
        self.context = above[-1] if above and not apart else []

    def directive(self, quote: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
        """The words of the link's prefix, start and end terms (each may be empty but the
        start): see `quote_link`."""
        first, last, alone = quote[0], quote[-1], len(quote) == 1
        if alone and len(first) <= FRAGMENT_WORDS:  # linked whole
            for taken in range(len(self.context) + 1):
                prefix = self.context[len(self.context) - taken :]
                if self._start_end(prefix, first) is not None:
                    return prefix, first, []
            return [], first, []
        edge = FRAGMENT_EDGE_WORDS
        # The quote's own words first: from the fewest first words found first at its start.
        unique = _fewest(min(edge, len(first)), len(first), lambda n: self._start_end([], first[:n]) is not None)
        if unique is not None and not alone:  # the end term is found sooner the later it starts
            ending = _fewest(unique, len(first), lambda n: bool(self._ending(first[:n], last)))
            if ending is not None:
                return [], first[:ending], self._ending(first[:ending], last)
        for count in range(unique or len(first) + 1, len(first) + 1) if alone else ():
            if count == len(first):
                return [], first, []  # unique only whole: linked whole
            if end := self._ending(first[:count], last[count:]):
                return [], first[:count], end
        start = first[:edge]
        for taken in range(1, len(self.context) + 1):
            prefix = self.context[len(self.context) - taken :]
            after = self._start_end(prefix, start)
            if after is not None and (end := self._end(after, last[len(start) :] if alone else last)):
                return prefix, start, end
        return [], start, last[-edge:]

    def _start_end(self, prefix: list[str], start: list[str]) -> int | None:
        """Where the browser's first match of `start` (right after `prefix`) ends, if it is the
        quote's start; None if it is elsewhere."""
        term = fold(" ".join(start))
        if not prefix:
            found = _first_match(self.text, term)
            return found + len(term) if found == self.at else None
        # Only spaces, or a block's end, between (the spec's "next non-whitespace position").
        before = fold(" ".join(prefix))
        found = _first_match(self.text, before, bounded_end=False)
        while found != -1:
            at = found + len(before) + 1
            if self.text[at - 1 : at] in (" ", "\n") and _matches_at(self.text, term, at):
                return at + len(term) if at == self.at else None
            found = _first_match(self.text, before, found + 1, bounded_end=False)
        return None

    def _ending(self, start: list[str], words: list[str]) -> list[str]:
        """The end term (`_end`) after the start term `start`, found first at the quote's start."""
        after = self._start_end([], start)
        return self._end(after, words) if after is not None else []

    def _end(self, after: int, words: list[str]) -> list[str]:
        """The fewest last `words` (`FRAGMENT_EDGE_WORDS` at least) that the browser, searching
        from `after`, finds first at the quote's end; [] when none does.

        Found by halving: when some last words are found first at the end, so are any more of
        them (an earlier place holding more would hold those too). A quote of hundreds of words
        said again and again ("le chat le chat…") was tried word by word, each a pattern
        compiled, for a third of a second; hypothesis found quotes that took minutes."""
        low = min(FRAGMENT_EDGE_WORDS, len(words))
        if not low or not self._found_first_at_end(after, words):
            return []
        high = len(words)  # found first at the end: the answer is at most this many
        while low < high:
            middle = (low + high) // 2
            if self._found_first_at_end(after, words[-middle:]):
                high = middle
            else:
                low = middle + 1
        return words[-high:]

    def _found_first_at_end(self, after: int, words: list[str]) -> bool:
        term = fold(" ".join(words))
        return _first_match(self.text, term, after) == len(self.text) - len(term)


def _fewest(low: int, high: int, holds: Callable[[int], bool]) -> int | None:
    """The least count in `low`..`high` for which `holds`, which holds for every count above
    one it holds for (a term found first at the quote holds more of it: an earlier place
    holding more would hold the fewer words too); None if it holds for none."""
    if low > high or not holds(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return high


def _first_match(text: str, term: str, start: int = 0, *, bounded_end: bool = True) -> int:
    """Where the browser's first match of the folded `term` in `text` from `start` begins, or
    -1: starting (and, `bounded_end`, ending) at a word's boundary (the spec's "word start/end
    bounded"; what is before `start` still tells a boundary, as a browser reads on)."""
    found = text.find(term, start)
    while found != -1 and not _matches_at(text, term, found, bounded_end=bounded_end):
        found = text.find(term, found + 1)
    return found


def _matches_at(text: str, term: str, at: int, *, bounded_end: bool = True) -> bool:
    """Whether `term` is in `text` at `at`, at a word's boundary (and ends at one, `bounded_end`)."""
    if not text.startswith(term, at):
        return False
    if not term:
        return True
    end = at + len(term)
    if _is_word(term[0]) and at > 0 and _is_word(text[at - 1]):
        return False
    return not (bounded_end and _is_word(term[-1]) and end < len(text) and _is_word(text[end]))


def _is_word(character: str) -> bool:
    """A character of a word, as regular expressions' `\\w` reads it."""
    return character.isalnum() or character == "_"


def fold(text: str) -> str:
    """`text` as a browser's search compares it (`_APOSTROPHES`): without case or accents."""
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", _APOSTROPHES.sub("'", text).casefold()))


def _fragment_term(text: str) -> str:
    return quote_url(text, safe="").replace("-", "%2D")

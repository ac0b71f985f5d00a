"""Reading through a question's typos. A word that no passage of the library holds and that
French does not use, one letter from a term the library holds ("Strutthof" for "Stutthof",
"appartiennet" for "appartiennent", "viillage" for "village"), is read as the library's word
before the question is searched, embedded and weighed; the answer says which words it read so.

Pure functions: the caller passes the lookups (the library's term counts, French terms'
frequencies, a passage text holding a term)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from difflib import SequenceMatcher

from index.analysis import terms

# Shorter words are one letter from too many others ("seul" / "seuil", "otn" / "oui").
MIN_LETTERS = 5
# Longer ones are no French word ("anticonstitutionnellement" has 25 letters): a word's
# neighbours grow with its length (54 of n letters for n letters), and a question made of one
# word of thousands of letters would need gigabytes of them.
MAX_LETTERS = 30
# A question is read through for at most this many words no passage holds: a question is a
# sentence, and text pasted as one would otherwise be looked up word by word.
MAX_CORRECTED = 8
LETTERS = "abcdefghijklmnopqrstuvwxyz"  # terms are lower-cased, their accents folded
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def one_edit_away(term: str) -> set[str]:
    """The terms one letter from `term`: one deleted, inserted, replaced, or two neighbours
    swapped."""
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        | {a + c + b[1:] for a, b in splits if b for c in LETTERS}
        | {a + c + b for a, b in splits for c in LETTERS}
    ) - {term}


def corrections(
    question_terms: Iterable[str],
    library_counts: Callable[[Sequence[str]], Mapping[str, int]],
    french_frequencies: Callable[[Sequence[str]], Mapping[str, float]],
) -> dict[str, str]:
    """The question's terms to read as others: each term of `MIN_LETTERS` letters or more that
    no passage holds (`library_counts`: passages holding each term, absent when none) and that
    French does not use (`french_frequencies`: of the terms it knows), to a term one letter
    from it, with the same first letter (a typo seldom touches it, and "afleurement" is not
    "fleurs"), that the library holds: the most used in French ("décolage": "décollage"
    rather than "décodage"), then the one most passages hold (ties: alphabetical order)."""
    candidates = [
        t for t in dict.fromkeys(question_terms) if MIN_LETTERS <= len(t) <= MAX_LETTERS and t.isascii() and t.isalpha()
    ]
    held = library_counts(candidates) if candidates else {}
    unknown = [t for t in candidates if not held.get(t)]
    french = french_frequencies(unknown) if unknown else {}
    read_as = {}
    for term in [t for t in unknown if t not in french][:MAX_CORRECTED]:
        near = library_counts(sorted(t for t in one_edit_away(term) if t[0] == term[0]))
        if near:
            used = french_frequencies(list(near))
            read_as[term] = min(near, key=lambda other: (-used.get(other, 0.0), -near[other], other))
    return read_as


def words_read_as(question: str, read_as: Mapping[str, str], text_holding: Callable[[str], str]) -> dict[str, str]:
    """The question's words to replace, each by the word of a text holding the term it is read
    as (`text_holding`: a passage, with its title, that holds the term; "" when none): of the
    text's words with that term, the closest to the word typed ("pricipaux": "principaux"
    rather than "principal")."""
    replaced: dict[str, str] = {}
    for word in dict.fromkeys(_WORD.findall(question)):
        term = next(iter(terms(word)), None)  # none for a stop word
        if term not in read_as:
            continue
        found = {w for w in _WORD.findall(text_holding(read_as[term])) if terms(w) == [read_as[term]]}
        if found:
            typed = word.lower()
            replaced[word] = max(sorted(found), key=lambda w: SequenceMatcher(None, typed, w.lower()).ratio())
    return replaced


def respell(text: str, replaced: Mapping[str, str]) -> str:
    """`text` with these words replaced, whole words only."""
    if not replaced:
        return text
    return _WORD.sub(lambda match: replaced.get(match.group(), match.group()), text)

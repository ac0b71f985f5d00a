"""French month names, read by the page's metadata (dates in text and bylines) and by the
answer-type rules (what dates a sentence): one spelling list for both. Kept apart from
`index.metadata` so that a question's path does not load an HTML parser for it."""

from __future__ import annotations

_SPELLINGS = [
    ("janvier", "janv"),
    ("février", "fevrier", "févr", "fév"),
    ("mars",),
    ("avril", "avr"),
    ("mai",),
    ("juin",),
    ("juillet", "juil"),
    ("août", "aout"),
    ("septembre", "sept"),
    ("octobre", "oct"),
    ("novembre", "nov"),
    ("décembre", "decembre", "déc"),
]

# Each spelling (the name, its usual abbreviations and unaccented forms) to its month's number.
FRENCH_MONTHS = {name: number for number, names in enumerate(_SPELLINGS, start=1) for name in names}

# The months' full names as a regular-expression alternation: in running text an abbreviation
# would also be a word (« sept » is seven, « oct » nothing a sentence says).
MONTH_NAMES = "|".join(names[0] for names in _SPELLINGS)

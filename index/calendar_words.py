"""French month names, read by the page's metadata (dates in text and bylines) and by the
answer-type rules (what dates a sentence): one spelling list for both. Kept apart from
`index.metadata` so that a question's path does not load an HTML parser for it."""

from __future__ import annotations

import re

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

# Months a sentence says without naming them: by the article's date (« le mois dernier »,
# « le mois prochain »), or by a day or a time every year falls in (« à la rentrée », « à Noël »).
_MONTH_BEFORE = re.compile(r"\ble\s+mois\s+(?:dernier|précédent|passé)\b", re.I)
_MONTH_AFTER = re.compile(r"\ble\s+mois\s+(?:prochain|suivant|à\s+venir)\b", re.I)
_MONTHS_OF_A_TIME = ((re.compile(r"\bà\s+la\s+rentrée\b", re.I), 9), (re.compile(r"\bNoël\b"), 12))


def months_said_without_name(text: str, date: str) -> set[int]:
    """The months `text` says without naming them, of an article dated `date` (« 2026-11-05 »):
    « Le mois dernier, 40 navires ont été déchargés » says October, « Le mois prochain » of an
    article of 20 August September, « À la rentrée » September, « À Noël » December."""
    months = {number for pattern, number in _MONTHS_OF_A_TIME if pattern.search(text)}
    if date[5:7].isdigit() and 1 <= int(date[5:7]) <= 12:
        month = int(date[5:7])
        if _MONTH_BEFORE.search(text):
            months.add(12 if month == 1 else month - 1)
        if _MONTH_AFTER.search(text):
            months.add(1 if month == 12 else month + 1)
    return months

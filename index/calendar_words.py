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


# Years a sentence says without their number, by the article's date: « l'an dernier », « l'année
# passée » the year before it, « cette année » its own (not « cette année-là », a story's), « l'an
# prochain », « l'année prochaine » the year after.
_YEARS_BY_THE_DATE = (
    (re.compile(r"(?<![\w])l['’]\s*(?:an\s+(?:dernier|passé)|année\s+(?:dernière|passée))(?![\w])", re.I), -1),
    (re.compile(r"(?<![\w])cette\s+année(?![\w-])", re.I), 0),
    (re.compile(r"(?<![\w])l['’]\s*(?:an\s+prochain|année\s+prochaine)(?![\w])", re.I), 1),
)


def years_said_without_number(text: str, date: str) -> set[int]:
    """The years `text` says without their number, of an article dated `date` (« 2026-11-25 »):
    « Combien de bébés y sont nés l'an dernier ? » asks of 2025, « l'an prochain » of 2027,
    « cette année » of 2026; none of an article without a date."""
    if not date[:4].isdigit():
        return set()
    year = int(date[:4])
    return {year + offset for pattern, offset in _YEARS_BY_THE_DATE if pattern.search(text)}

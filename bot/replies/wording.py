"""French as the replies write it: words cut short, plurals and numbers, how often, dates, quotations
in guillemets; and a yes read at the terminal."""

from __future__ import annotations

from index.numbers import french

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def shorten(text: str, limit: int) -> str:
    """Plain `text` cut to `limit` characters, at a word boundary when one is near, with …"""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 passage`, `0 passage`, `4 passages`, `1 234 passages`: French uses the singular below
    two, and separates thousands (`index.numbers.french`)."""
    return f"{french(count)} {singular if abs(count) < 2 else plural_form or singular + 's'}"


def passages(count: int) -> str:
    return plural(count, "passage")


def left_aside(count: int) -> str:
    """A feed's older entries its first poll does not add, as the bot and the command line say it."""
    return plural(count, "plus ancien laissé de côté", "plus anciens laissés de côté")


def every(minutes: float) -> str:
    """How often a feed is polled, as French says it: "toutes les minutes", "toutes les 30
    minutes", "toutes les heures", "toutes les 2 heures", "tous les jours", "tous les 7 jours"
    (never "toutes les 1 heure"); a part of a minute in seconds, as a clock reads it: "toutes
    les 90 secondes" (never "toutes les 1,5 minute"), "toutes les 2 minutes 30"; below a
    minute (tests), seconds."""
    seconds = max(round(minutes * 60), 1)
    if seconds % 86400 == 0:
        days = seconds // 86400
        return "tous les jours" if days == 1 else f"tous les {plural(days, 'jour')}"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "toutes les heures" if hours == 1 else f"toutes les {plural(hours, 'heure')}"
    if seconds == 1:
        return "toutes les secondes"
    if seconds < 120 and seconds % 60:  # "toutes les 1 minute 30" reads wrong
        return f"toutes les {plural(seconds, 'seconde')}"
    whole, rest = divmod(seconds, 60)
    if rest:
        return f"toutes les {plural(whole, 'minute')} {rest:02d}"
    return "toutes les minutes" if whole == 1 else f"toutes les {plural(whole, 'minute')}"


def french_date(iso: str | None) -> str | None:
    """`2023-02` -> `février 2023`, `2023-02-14` -> `14 février 2023`."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) == 3 else None
    except (ValueError, IndexError):
        return iso
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):  # "2023-00" is no December
        return iso
    if day is not None:
        return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"
    return f"{MONTHS[month - 1]} {year}"


def quotation_body(text: str) -> str:
    """`text` without its outer guillemets when it is one quotation from end to end (a quote
    of someone's words, « … »), so that showing it in guillemets does not double them;
    otherwise `text` as it is ("« Il faut aller vite », a-t-il dit." keeps its own)."""
    stripped = text.strip()
    if not (stripped.startswith("«") and stripped.endswith("»")):
        return text
    depth = 0
    for position, character in enumerate(stripped):
        depth += (character == "«") - (character == "»")
        if depth == 0 and position < len(stripped) - 1:  # the first quotation closes before the end
            return text
    return stripped[1:-1].strip() if depth == 0 else text


def in_guillemets(text: str) -> str:
    """`« text »`, its own outer guillemets not doubled (`quotation_body`)."""
    return f"« {quotation_body(text)} »"


def said_yes(answer: str) -> bool:
    """A yes to a question asked at the terminal ("[o/N]": no unless said), in French or English."""
    return answer.strip().casefold() in {"o", "oui", "y", "yes"}

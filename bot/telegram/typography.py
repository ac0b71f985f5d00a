"""French typography for what the bot writes: the space before « : ; ! ? % » and inside
guillemets does not break (a line never starts with a lone "?" or ends with a lone "«"), as
French text sets it. Applied where messages leave the bot (`bot.telegram.sending`), to its
own words and to what it repeats of the user's (the question under 🔎) and of the article's
details (a title), never inside a `<blockquote>`, `<pre>` or `<code>`: a quote is shown
exactly as the article wrote it. Only spaces already there change; none is added.

A narrow no-break space (U+202F) before ; ! ?, a no-break space (U+00A0) before : and % and
inside « », as the Imprimerie nationale's rules have them; both count as one character, as a space
does, in Telegram's length limit."""

from __future__ import annotations

import re

NARROW_NO_BREAK = "\u202f"
NO_BREAK = "\u00a0"

_TAG = re.compile(r"(<[^<>]*>)")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z-]+)")
_VERBATIM = frozenset({"blockquote", "pre", "code"})  # what is shown exactly as written

_BEFORE_HIGH_PUNCTUATION = re.compile(r"(?<=\S)[ \u00a0]+(?=[;!?])")
_BEFORE_COLON = re.compile(r"(?<=\S)[ \u202f]+(?=:)")
_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \u202f]+(?=%)")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u202f]+")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u202f]+»")


def french_spacing(text: str) -> str:
    """`text` (plain) with the spaces before : ; ! ? %, and inside « », made unbreakable."""
    text = _BEFORE_HIGH_PUNCTUATION.sub(NARROW_NO_BREAK, text)
    text = _BEFORE_COLON.sub(NO_BREAK, text)
    text = _BEFORE_PERCENT.sub(NO_BREAK, text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NO_BREAK, text)
    return _BEFORE_CLOSING_GUILLEMET.sub(NO_BREAK + "»", text)


def french_spacing_html(html: str) -> str:
    """`french_spacing` of a Telegram HTML message's text, its tags (and their attributes:
    a link) as they are, and what a `<blockquote>`, `<pre>` or `<code>` holds as written."""
    parts = _TAG.split(html)
    verbatim = 0  # how deep inside elements shown as written
    for position, part in enumerate(parts):
        if position % 2:  # a tag
            name = _TAG_NAME.match(part)
            if name is not None and name[1].lower() in _VERBATIM:
                verbatim = max(verbatim + (-1 if part.startswith("</") else 1), 0)
        elif not verbatim:
            parts[position] = french_spacing(part)
    return "".join(parts)

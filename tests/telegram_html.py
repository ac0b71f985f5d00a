"""Telegram's HTML subset, checked as the Bot API checks it: the fake Bot API refuses
what this refuses, and the formatter property tests hold every message to it."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

MESSAGE_LIMIT = 4096  # characters after entity parsing, counted in UTF-16 code units
ALLOWED_ATTRIBUTES = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(),
    "s": set(), "strike": set(), "del": set(), "tg-spoiler": set(), "span": {"class"},
    "a": {"href"}, "code": {"class"}, "pre": set(), "blockquote": {"expandable"}, "tg-emoji": {"emoji-id"},
}  # fmt: skip
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_TAG = re.compile(r"</?[a-z][a-z-]*(\s[^<>]*)?>")


class TelegramHTMLError(ValueError):
    pass


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_ATTRIBUTES:
            raise TelegramHTMLError(f"unsupported start tag <{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES[tag]:
                raise TelegramHTMLError(f"unsupported attribute {name} of <{tag}>")
            if tag == "a" and not re.match(r"(?:https?|tg)://\S+$", value or ""):
                raise TelegramHTMLError(f"unsupported URL {value!r}")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            raise TelegramHTMLError("a <span> must be a spoiler")
        preformatted = any(open_tag in ("code", "pre") for open_tag in self.stack)
        if preformatted and not (tag == "code" and self.stack == ["pre"]):
            raise TelegramHTMLError(f"<{tag}> inside preformatted text")
        if tag == "blockquote" and "blockquote" in self.stack:
            raise TelegramHTMLError("nested <blockquote>")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            raise TelegramHTMLError(f"unexpected end tag </{tag}>")


def visible_text(html: str) -> str:
    """What the user reads: tags removed, entities decoded."""
    return unescape(_TAG.sub("", html))


def telegram_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_telegram_html(text: str) -> None:
    """Raise like Telegram's 'can't parse entities' or 'message is too long' does."""
    for match in re.finditer("&", text):
        if not _ENTITY.match(text, match.start()):
            raise TelegramHTMLError(f"unescaped & at {match.start()}")
    stripped = _TAG.sub("", text)
    if "<" in stripped or ">" in stripped:
        raise TelegramHTMLError("unescaped < or >")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise TelegramHTMLError(f"unclosed <{checker.stack[-1]}>")
    check_length(visible_text(text))


def check_length(text: str) -> None:
    if not text.strip():
        raise ValueError("message text is empty")
    if telegram_length(text) > MESSAGE_LIMIT:
        raise ValueError("message is too long")

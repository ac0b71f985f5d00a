"""News feeds (RSS and Atom), read with feedparser: what a feed lists, and where a news
site's page says its feed is. Pure functions over bytes already downloaded; fetching and
following feeds over time are the application's job."""

from __future__ import annotations

import email.utils
import html
import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin

from index.documents import web_address
from index.errors import InputError
from index.web_addresses import article_source, without_credentials

FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}  # not "application/feed+json": feedparser reads no JSON Feed
# Types a page or a feed may come back as: a feed, or a page that declares one.
FOLLOWABLE_TYPES = FEED_TYPES | {"text/html", "application/xhtml+xml", "text/plain", "application/octet-stream", ""}


class NotAFeed(InputError):
    """Neither a feed nor a page that declares one."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # stable identity: the entry's id, else its link
    link: str | None
    title: str
    published: str | None  # ISO date (YYYY-MM-DD) when the feed gives one
    content: str | None  # the article's HTML when the feed carries it (Atom content, RSS content:encoded)
    summary: str | None  # the teaser most feeds carry instead
    author: str | None = None  # as the feed names it (RSS `author`, `dc:creator`; Atom `author`)


@dataclass(frozen=True)
class Feed:
    title: str
    link: str | None  # the site the feed belongs to
    entries: list[FeedEntry]
    # Whether the document was well-formed to its end: a response cut short (a dropped
    # connection, a server's error midway) lists only its first entries, and says nothing of
    # those that left the feed.
    whole: bool = True


def _entry_author(entry) -> str | None:
    """The entry's author by name: RSS writes "jdupont@example.com (Jean Dupont)", or an address
    alone, which names no one."""
    named = (entry.get("author_detail") or {}).get("name") or entry.get("author") or ""
    author = _plain(named)
    return author if author and "@" not in author else None


def parse_feed(data: bytes, url: str, today: date | None = None) -> Feed:
    """The feed in `data`, entries in the feed's order (newest first in most feeds). `today`
    (UTC; the clock's when not given): an entry dated after the next day has no date."""
    import feedparser  # imported here: only following feeds needs it

    # Without feedparser's own passes over every entry's HTML (its relative addresses made
    # absolute, its markup sanitized): an sgmllib parse each, 60% of a poll's CPU, for entries
    # long seen as for new ones. The HTML an entry carries is only ever read as a page is
    # (`parse_html`, which leaves scripts and styles out, and makes no use of its links), never
    # shown as HTML; its title and author are read as plain text (`_plain`).
    # As a stream: bytes or a string feedparser takes for a file's name when one is there, and a
    # site answering a path had that file of the server's read as its feed ("/dev/zero": read
    # until the memory runs out).
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers={"content-location": url}, sanitize_html=False, resolve_relative_uris=False
    )
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries and not parsed.feed.get("title")):
        raise NotAFeed(f"{url} n'est pas un flux RSS ou Atom")
    latest = ((today or datetime.now(UTC).date()) + timedelta(days=1)).isoformat()
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        # Only a web page's address: "javascript:…" or "file:…" would be shown as the
        # article's link, and fetched. As its article's source, which every user may be shown.
        link = web_address(urljoin(url, link)) if link else None
        link = article_source(link) if link else None
        # Its id, else its link; either one less the tracking parameters a feed may change
        # from poll to poll ("utm_campaign=" of the day): the same entry each time.
        key = entry.get("id") or link
        if key and web_address(str(key)):
            key = article_source(str(key))
        if not key:
            continue  # nothing to recognise it by next time
        content = None
        if entry.get("content"):
            content = max((c.get("value") or "" for c in entry.content), key=len) or None
        entries.append(
            FeedEntry(
                key=str(key),
                link=link,
                title=_plain(entry.get("title") or ""),
                published=_day_published(entry, latest),
                content=content,
                summary=entry.get("summary") or None,
                author=_entry_author(entry),
            )
        )
    feed = parsed.feed
    # feedparser reads what it can of a malformed document (its `bozo`), and also flags
    # harmless things (an encoding declared wrong); only a document cut or broken is partial.
    whole = not isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    return Feed(_plain(feed.get("title") or "") or url, feed.get("link"), entries, whole)


# A tag ends before the next "<": "[^>]*" alone read to the page's end from each "<link" that
# none closes, and a 240 KB page of them took 7 s (20 MB, half a day, the feeds' thread held).
_ALTERNATE = re.compile(r"<link\b[^<>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def declared_feeds(page: str, base_url: str) -> list[str]:
    """The feeds a page declares (`<link rel="alternate" type="application/rss+xml" href=…>`),
    in the page's order, as absolute URLs."""
    found = []
    for tag in _ALTERNATE.findall(page):
        attributes = {m[1].lower(): html.unescape(m[2] or m[3] or m[4]) for m in _ATTRIBUTE.finditer(tag)}
        rel = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").lower()
        if "alternate" in rel and kind in FEED_TYPES and attributes.get("href"):
            url = without_credentials(urljoin(base_url, attributes["href"].strip()))
            if url not in found:
                found.append(url)
    return found


def plain_words(html_text: str) -> int:
    """Words of text in an HTML fragment."""
    return len(_plain(html_text).split())


def _plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


# A day before the first feeds is no publication's: a placeholder ("0001-01-01", the Unix
# epoch) that would date the article wrongly.
FIRST_FEED_DAY = "1995-01-01"
# The year of an RFC 822 date ("Mon, 1 Jan 0001"), which email.utils reads from its last two
# digits when it is under 100 (0001 becomes 2001).
_RFC822_YEAR = re.compile(r"\b\d{1,2}\s+[A-Za-z]{3,}\.?\s+(\d{2,4})\b")


def _day_published(entry, latest: str) -> str | None:
    """The day the entry was published, as its feed writes it: "2025-03-07T00:30:00+01:00" is
    the 7th (a French story just after midnight), where feedparser's UTC reading says the 6th.
    Its last update's when its publication's is missing or a placeholder; None when neither
    is a plausible day (none after `latest`, ISO: "2999-03-07" would date an article to come)."""
    for field_name in ("published", "updated"):  # `dict.get`: not feedparser's "updated" standing in for "published"
        written = (dict.get(entry, field_name) or "").strip()
        parsed = dict.get(entry, f"{field_name}_parsed")
        if written and (day := _plausible(_day_written(written) or _iso_date(parsed), latest)):
            return day
    return None


def _day_written(written: str) -> str | None:
    try:  # RSS: "Fri, 07 Mar 2025 00:30:00 +0100"
        day = email.utils.parsedate_to_datetime(written).date()
        year = _RFC822_YEAR.search(written)
        return day.isoformat() if year is None or len(year[1]) < 4 or int(year[1]) == day.year else None
    except (TypeError, ValueError, IndexError):
        pass
    try:  # Atom: ISO 8601
        return datetime.fromisoformat(written.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _plausible(day: str | None, latest: str) -> str | None:
    return day if day is not None and FIRST_FEED_DAY <= day <= latest else None


def _iso_date(parsed) -> str | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).date().isoformat()
    except (TypeError, ValueError):
        return None

"""News feeds (RSS and Atom), read with feedparser: what a feed lists, and where a news
site's page says its feed is. Pure functions over bytes already downloaded; fetching and
following feeds over time are the application's job."""

from __future__ import annotations

import codecs
import email.utils
import html
import html.entities
import io
import itertools
import re
import unicodedata
import xml.sax
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urljoin
from xml.parsers import expat

from index.bounded_reading import READING_LIMITS, Checkpoint, ReadingLimits, read_in_own_process
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


class BrokenFeed(NotAFeed):
    """A feed (RSS or Atom, by its root) so malformed that none of its entries can be read:
    said as such, where a page that declares no feed is told to give the feed's address."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # stable identity: the entry's id, else its link
    link: str | None
    title: str
    published: str | None  # ISO date (YYYY-MM-DD) when the feed gives one
    content: str | None  # the article's HTML when the feed carries it (Atom content, RSS content:encoded)
    summary: str | None  # the teaser most feeds carry instead
    author: str | None = None  # as the feed names it (RSS `author`, `dc:creator`; Atom `author`)
    # Its id as its well-formed feed means it ("…?t=1&u=pont"), its key's source: None when it
    # has none (keyed by its link). What finds the keys versions before stop 74 gave it
    # (`earlier_keys`), once, for a feed followed before stop 75.
    identity: str | None = None


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


# What reading a feed that is not well-formed XML may take, in seconds, at most (less when the
# reading limits say less). feedparser then reads it again with its loose parser (sgmllib, in
# Python), some 60 µs a tag: a broken 1 MB feed of entries (a bare "&", an HTML entity as
# "&nbsp;", an undeclared prefix) reads in 0.5 s, but 1 MB of tags that never close took 21 CPU
# s and 280 MB, 1 MB of unclosed "<a " 13.6 s (5 MB, FEED_MAX_BYTES, at that rate: some 100 s
# and 1.4 GB), in the feeds' thread, at every poll. Read in a process of its own, ended past
# this: 30 s leaves room for a broken 5 MB feed of entries (5.6 s here, loaded).
BROKEN_FEED_SECONDS = 30.0


def parse_feed(
    data: bytes,
    url: str,
    today: date | None = None,
    *,
    limits: ReadingLimits = READING_LIMITS,
    checkpoint: Checkpoint | None = None,
) -> Feed:
    """The feed in `data`, entries in the feed's order (newest first in most feeds). `today`
    (UTC; the clock's when not given): an entry dated after the next day has no date. A
    document that is not well-formed XML is read in a process of its own (`limits`, its time
    at most BROKEN_FEED_SECONDS; `checkpoint` called as it runs), its readable entries only:
    `InputTooLarge` past those limits, `BrokenFeed` when none can be read."""
    day = today or datetime.now(UTC).date()
    if _well_formed(data):
        return read_feed(data, url, day)
    if not _FEED_ROOT.search(_markup(data)):  # a site's page (what `/follow` is most often given): no process for it
        raise NotAFeed(f"{url} n'est pas un flux RSS ou Atom")
    answer = read_in_own_process(
        "feed",
        data,
        {"url": url, "today": day.isoformat()},
        too_long="le flux est mal formé et le lire prendrait plus de {seconds} secondes : il n'est pas lu",
        too_heavy="le flux est mal formé et le lire demanderait plus de {memory} octets de mémoire : il n'est pas lu",
        checkpoint=checkpoint,
        limits=replace(limits, seconds=min(limits.seconds, BROKEN_FEED_SECONDS)),
    )
    feed = answer["feed"]
    entries = [FeedEntry(**entry) for entry in feed["entries"]]
    return Feed(feed["title"], feed["link"], entries, feed["whole"])


# The root of a feed feedparser reads (RSS, Atom, RSS 1.0's RDF, RSS 0.90's channel), anywhere.
_FEED_ROOT = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|RDF|channel)\b", re.IGNORECASE)
# XML's own signs of a document in UTF-32 or UTF-16 (its byte order mark, else how its first
# "<" is written), UTF-32's first: its little-endian mark begins as UTF-16's does. Each in its
# byte order: its mark read as a character (U+FEFF), and written back as it came.
_WIDE_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\0\0\0", "utf-32-le"),
    (b"\0\0\0<", "utf-32-be"),
    (b"<\0", "utf-16-le"),
    (b"\0<", "utf-16-be"),
)


def _markup_encoding(data: bytes) -> str:
    """The encoding `data` is read in to find its tags: UTF-16's or UTF-32's when it is in one
    (whose tags are no ASCII bytes), in its byte order, else a character a byte (the tags of
    every other encoding a feed may be in are ASCII, whatever its text): every document reads,
    and writes back (`_ampersands_written`), as it came, its byte order mark too."""
    return next((encoding for sign, encoding in _WIDE_ENCODINGS if data.startswith(sign)), "latin-1")


def _markup(data: bytes) -> str:
    """`data` as text enough to find its tags in (`_markup_encoding`)."""
    return data.decode(_markup_encoding(data), errors="replace")


# A bare "&", one that opens no reference ("&section=sport" in a link's query, "Tom & Jerry"),
# outside the CDATA sections and comments, which hold their "&" as written: an unclosed one
# holds the rest of the document, as it does for the loose parser (which then reads no more).
# HTML's "&#X26;" (XML writes "&#x26;") is a reference too, which the loose parser reads.
_BARE_AMPERSAND = re.compile(
    r"(<!\[CDATA\[.*?(?:\]\]>|\Z)|<!--.*?(?:-->|\Z))|&(?![A-Za-z_:][\w.:-]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)", re.DOTALL
)


def _ampersands_written(data: bytes) -> bytes:
    """A document that is not well-formed with its bare "&" written "&amp;", as its well-formed
    version writes them: feedparser's loose parser reads "&section=sport" as a reference to an
    entity "section" ("&section;"), "&copy=2" as « ©=2 », where the strict one reads
    "&amp;section=sport" as "&section=sport"; an entry's id is then its key whichever reads it."""
    encoding = _markup_encoding(data)
    markup = data.decode(encoding, errors="replace")
    written = _BARE_AMPERSAND.sub(lambda kept: kept[1] or "&amp;", markup)
    return data if written == markup else written.encode(encoding)


def read_feed_answer(data: bytes, url: str, today: str) -> dict:
    """What `index/reading_process.py` answers for a feed that is not well-formed (`parse_feed`
    reads no other there): {"feed": the `Feed` as a dict}, its bare "&" read as its well-formed
    version writes them (`_ampersands_written`)."""
    return {"feed": asdict(read_feed(_ampersands_written(data), url, date.fromisoformat(today)))}


# Elements open at once in a feed read here, at most: a feed nests a few levels (an Atom
# entry's XHTML some tens); expat keeps every open one, and 5 MB of tags that never close
# held 240 MB of the caller's memory before failing. Deeper, it is read as a broken feed is.
MAX_FEED_DEPTH = 256


class _TooDeep(Exception):
    pass


def _well_formed(data: bytes) -> bool:
    """Whether `data` is well-formed XML, namespaces bound (what feedparser's strict parser,
    expat's too, reads it by), and nests at most MAX_FEED_DEPTH elements deep."""
    parser = expat.ParserCreate(namespace_separator=" ")
    depth = 0

    def opened(name: str, attributes: dict) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_FEED_DEPTH:
            raise _TooDeep

    def closed(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = opened, closed
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _TooDeep):
        return False
    return True


# A response cut short ends before its root closes; a feed broken inside (a bare "&") but
# read to its end by feedparser's loose parser lists all its entries, as many as the document
# opens (an unclosed "<![CDATA[" or "<!--" hides those after it from that parser).
_ROOT_CLOSED = re.compile(r"</\s*(?:[\w.-]+:)?(?:rss|feed|RDF)\s*>\s*$", re.IGNORECASE)
_ENTRY_START = re.compile(r"<(?:[\w.-]+:)?(?:item|entry)\b", re.IGNORECASE)


def read_feed(data: bytes, url: str, today: date) -> Feed:
    """The feed in `data`, read here (`parse_feed`, which reads a malformed one in a process of
    its own)."""
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
    if not parsed.get("version"):
        raise NotAFeed(f"{url} n'est pas un flux RSS ou Atom")
    # feedparser reads what it can of a malformed document with its loose parser (its `bozo`
    # a SAX error; a `bozo` alone may be harmless, an encoding declared wrong).
    loose = isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    title = _plain(parsed.feed.get("title") or "")
    if not parsed.entries and not title:
        if loose:
            raise BrokenFeed(f"{url} est un flux RSS ou Atom mal formé, où je ne lis aucun article")
        if parsed.get("bozo"):
            raise NotAFeed(f"{url} n'est pas un flux RSS ou Atom")
    latest = (today + timedelta(days=1)).isoformat()
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        # Only a web page's address: "javascript:…" or "file:…" would be shown as the
        # article's link, and fetched. As its article's source, which every user may be shown.
        link = web_address(urljoin(url, link)) if link else None
        link = article_source(link) if link else None
        # Its id, else its link; either one less the tracking parameters a feed may change
        # from poll to poll ("utm_campaign=" of the day): the same entry each time. The loose
        # parser leaves an id's references to XML's own entities as written ("&amp;"): read,
        # it is the id the feed gives when well-formed, and the entry keeps its identity on a
        # day the feed is broken. (It reads every other reference, HTML's "&eacute;" too.)
        identity = str(entry.get("id") or "")
        identity = unescaped_id(identity) if loose else identity
        key = _entry_key(identity) if identity else link
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
                identity=identity or None,
            )
        )
    # What the loose parser reads of a broken document may be anything: its entries with
    # neither a page's link nor words are left out, and a feed whose entries are all left out
    # is said to be unreadable (one that lists none yet, a new blog's, is read as it is). It is
    # whole only when read to its root's end and of every entry it opens: else it says nothing
    # of the entries it does not list (they may be there still).
    whole = True
    if loose:
        markup = _markup(data)
        opened = len(_ENTRY_START.findall(markup))
        whole = _ROOT_CLOSED.search(markup[-200:]) is not None and opened == len(parsed.entries)
        readable = [entry for entry in entries if _readable(entry)]
        if parsed.entries and not readable:
            raise BrokenFeed(f"{url} est un flux RSS ou Atom mal formé, où je ne lis aucun article")
        entries = readable
    return Feed(title or url, parsed.feed.get("link"), entries, whole)


# XML's own entities, which feedparser's loose parser leaves as written in an id.
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_XML_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos);")


def unescaped_id(loosely_read: str) -> str:
    """An id as feedparser's loose parser leaves it ("…?id=1&amp;section=sport"), read as its
    strict one reads it ("…?id=1&section=sport"): XML's own entities only, in one pass (an HTML
    reading would take the "&sect" of "&section;" for « § »)."""
    return _XML_ENTITY.sub(lambda entity: _XML_ENTITIES[entity[1]], loosely_read)


def _entry_key(identity: str) -> str:
    """An entry's key from its id (or link): a web address less the tracking parameters a feed
    may change from poll to poll ("utm_campaign=" of the day), the same entry each time."""
    return article_source(identity) if web_address(identity) else identity


# Characters of an id a feed writes as an entity or as themselves ("&" bare in a broken one),
# which feedparser's loose parser read apart: "<" is always an entity, "&lt;".
_AS_ENTITY = {"&": "&amp;", '"': "&quot;", "'": "&apos;", ">": "&gt;", "<": "&lt;"}
_WRITTEN_EITHER_WAY = re.compile(r"""([&"'<>])""")
# An id holding this many such characters at most has each written either way, whatever the
# others (every mix); one holding more, each of a kind written alike (a feed writes them one
# way): a poll looks up a few keys an entry, in one query.
_MIXED_SPELLINGS_UP_TO = 3
# A name after a bare "&", which the loose parser (sgmllib) reads as a reference to an entity.
_REFERENCE_NAME = re.compile(r"([a-zA-Z][-.a-zA-Z0-9]*);?")


def _bare_ampersand_read(after: str) -> str:
    """What the loose parser read of a bare "&" followed by `after` (to the id's next "&" or its
    end): "&section=sport" as "&section;=sport", "&copy=2" as « ©=2 », "& co" as written."""
    name = _REFERENCE_NAME.match(after)
    if not name:
        return "&" + after
    reference = name[1]
    if reference in _XML_ENTITIES or reference not in html.entities.name2codepoint:
        read = f"&{reference};"
    else:
        read = chr(html.entities.name2codepoint[reference])
    return read + after[name.end() :]


def _spellings(kinds: list[str]) -> list[tuple[bool, ...]]:
    """Which of the characters `kinds` (`_AS_ENTITY`'s, as an id holds them) are written as an
    entity (True), in each way a feed may have written them (`_MIXED_SPELLINGS_UP_TO`)."""
    if len(kinds) <= _MIXED_SPELLINGS_UP_TO:
        return [tuple(mix) for mix in itertools.product((True, False), repeat=len(kinds))]
    alike = sorted(set(kinds))
    return [
        tuple(as_entity[alike.index(kind)] for kind in kinds)
        for as_entity in itertools.product((True, False), repeat=len(alike))
    ]


def earlier_keys(identity: str) -> tuple[str, ...]:
    """The keys versions before stop 74 gave an entry whose id is `identity` (as its
    well-formed feed means it, "…?t=1&u=pont"), other than its key now: each of its "&", '"',
    "'" and ">" written as an entity or as itself ("&" bare) in the broken feed they read with
    feedparser's loose parser, which left the entities as written and read a bare "&" as a
    reference; its reading kept before stop 73 ("…?t=1&u;=pont", "…?id=1&amp;utm_source=rss",
    'a&quot;b'), at stop 73 with every HTML entity read ("…?id=1§ion;=sport", from
    "&section=sport"); either then made a key as now (`_entry_key`: "…?utm_source=rss&amp;id=1"
    is "…?amp%3Bid=1"). None but for an id holding one of them. The first whole poll of a feed
    followed before stop 75 looks its entries' records up by them, once
    (`FeedEntriesState.rekey_due`)."""
    if not _WRITTEN_EITHER_WAY.search(identity):  # most ids: as every version read them
        return ()
    pieces = _WRITTEN_EITHER_WAY.split(identity)  # text, a character, text, …
    texts, kinds = pieces[0::2], pieces[1::2]
    keys: dict[str, None] = {}
    for as_entity in _spellings(kinds):
        loosely_read = texts[0]
        for kind, entity, after in zip(kinds, as_entity, texts[1:], strict=True):
            if entity or kind == "<":
                loosely_read += _AS_ENTITY[kind] + after
            else:
                loosely_read += _bare_ampersand_read(after) if kind == "&" else kind + after
        for reading in (loosely_read, html.unescape(loosely_read)):
            keys[_entry_key(reading)] = None
    keys.pop(_entry_key(identity), None)
    return tuple(keys)


def _readable(entry: FeedEntry) -> bool:
    """Whether a malformed feed's `entry` says anything: a page's link, or words."""
    return entry.link is not None or any(
        any(c.isalnum() for c in _plain(text or "")) for text in (entry.title, entry.content, entry.summary)
    )


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
    """`text` without its tags, entities read, spaces collapsed, and without control characters
    (a malformed feed's title may hold NULs), which no one can read."""
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text))
    if not plain.isprintable():
        plain = "".join(" " if unicodedata.category(c) == "Cc" else c for c in plain)
    return " ".join(plain.split())


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

"""Following news feeds: what `/follow`, the feed jobs of `serve` and `python -m bot
follow|feeds` share. No Telegram here: the bot decides whom to tell.

A feed is polled with a conditional request (the `ETag` and `Last-Modified` it last gave),
its new entries are fetched through the same careful URL fetching as `/ingest`, and
ingested; the library's own duplicate rule (same URL, same text) keeps an article that
arrives twice (two feeds, or a feed and a user) from being added twice. An entry whose page
cannot be fetched falls back to the feed's own text when the feed carries the full
article; otherwise it is tried again at the next polls, then given up.
"""

from __future__ import annotations

import html
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.replies.cards import FEED_SOURCE
from bot.service import refusal
from bot.settings import Settings
from bot.state import BotState
from bot.state.feeds import FeedRow
from index.bounded_reading import READING_LIMITS, ReadingLimits
from index.decoding import decode_document
from index.documents import Document, parse_html
from index.errors import ArticleTooLong, DatabaseUnavailable, FetchError, InputError, LibraryError
from index.feeds import (
    FOLLOWABLE_TYPES,
    BrokenFeed,
    Feed,
    FeedEntry,
    NotAFeed,
    declared_feeds,
    earlier_keys,
    parse_feed,
    plain_words,
)
from index.fetching import Fetched, document_of, fetch
from index.ingest import within_article_words
from index.library import IngestResult, Library
from index.numbers import french
from index.sources import is_article_type
from index.web_addresses import normalise_url, same_page_links, without_credentials

log = logging.getLogger("bot.feeds")
# Attempts at an entry whose page cannot be read before it is given up.
ENTRY_ATTEMPTS = 3
# Feeds of those a site's page declares that following it tries, in the page's order.
DECLARED_FEEDS_TRIED = 5
# An entry done with is remembered this long, then only while its feed lists it.
ENTRIES_KEPT_DAYS = 30
# The article text a feed carries stands in for an unreadable page from this many words:
# shorter, it is a teaser, not the article.
FULL_TEXT_WORDS = 50

# Minutes between two polls a user may ask for one feed (`/follow URL MINUTES`, `follow
# --every`): from once a minute to once a week. The default, FEED_POLL_MINUTES, is bounded
# so too (bot/settings.py).
POLL_MINUTES_RANGE = (1.0, 7 * 24 * 60.0)

# A feed failing past the alert (gone: 404, 410; no feed any more) is polled less and less
# often: each failure doubles the wait, up to once a day, or its own interval when longer.
FAILING_POLL_MAX_MINUTES = 24 * 60

# A feed whose site says it removed it (410 Gone) is followed no more at once; one answering
# 404 (not found) only once it has at every poll for days: a site's redesign or a server's bad
# hour answers 404 for a while, and the feed comes back.
NOT_FOUND_POLLS_BEFORE_UNFOLLOW = 5
NOT_FOUND_DAYS_BEFORE_UNFOLLOW = 3

Fetcher = Callable[..., Fetched]


def poll_minutes(text: str) -> float | None:
    """A user's interval between polls ("15", "1,5"), or None when it is not a number of
    minutes within `POLL_MINUTES_RANGE`."""
    try:
        minutes = float(text.replace(",", "."))
    except ValueError:
        return None
    low, high = POLL_MINUTES_RANGE
    return minutes if low <= minutes <= high else None  # NaN and infinity fail too


def poll_due(feed: FeedRow, now: float, failures_before_alert: int) -> bool:
    """Whether the feed's job is to poll it now: always while it works, or fails less often than
    the admins are told of; past that, once its wait has doubled for each failure since. A job
    runs a little early or late, and the poll is recorded when it ends: a fifth of the interval
    is given."""
    if feed.last_polled is None or feed.failures < failures_before_alert:
        return True
    doubled = feed.every_minutes * 2 ** (feed.failures - failures_before_alert + 1)
    wait = max(feed.every_minutes, min(doubled, FAILING_POLL_MAX_MINUTES))
    return now - feed.last_polled >= (wait - feed.every_minutes / 5) * 60


def gone_for_good(status: int | None, not_found: tuple[int, float] | None, now: float) -> str | None:
    """Why a feed is to be followed no more, in French, after a poll its site answered with
    `status` (`not_found`: the 404 answers in a row, this one counted, and since when); None
    while it is to be polled still."""
    if status == 410:
        return "le site indique l'avoir supprimé (410)"
    if status != 404 or not_found is None:
        return None
    polls, since = not_found
    days = (now - since) / 86_400
    if polls < NOT_FOUND_POLLS_BEFORE_UNFOLLOW or days < NOT_FOUND_DAYS_BEFORE_UNFOLLOW:
        return None
    return f"introuvable (404) à chacun de ses {french(polls)} derniers relevés, depuis {french(int(days))} jours"


def unfollowed_from(not_found: tuple[int, float] | None) -> float | None:
    """The earliest moment a feed answering 404 at every poll (`not_found`: how many in a row,
    since when) is followed no more if it goes on (`gone_for_good`, at its
    NOT_FOUND_POLLS_BEFORE_UNFOLLOW-th such poll too); None when its last poll was no 404."""
    return None if not_found is None else not_found[1] + NOT_FOUND_DAYS_BEFORE_UNFOLLOW * 86_400


@dataclass(frozen=True)
class PollReport:
    feed: FeedRow
    added: list[int] = field(default_factory=list)  # article ids
    duplicates: int = 0
    given_up: list[tuple[str, str]] = field(default_factory=list)  # (entry link or key, why)
    not_modified: bool = False
    error: str | None = None  # the feed itself could not be read
    left_aside: int = 0  # older entries a first poll does not add (`FeedFollower.poll`)
    dropped: str | None = None  # why the feed is followed no more (`gone_for_good`)


class FeedFollower:
    def __init__(
        self,
        library: Library,
        state: BotState,
        settings: Settings,
        fetcher: Fetcher = fetch,
        checkpoint: Callable[[], None] = lambda: None,
    ) -> None:
        """`checkpoint` is called between the steps of a poll (before each entry's page, as
        its articles are embedded) and raises to give the poll up there: the bot stopping.
        Entries not stored are left for the next poll, not counted as failures."""
        self.library, self.state, self.settings, self._fetch = library, state, settings, fetcher
        self._checkpoint = checkpoint

    def _parsed(self, fetched: Fetched) -> Feed:
        """The feed `fetched` holds (`NotAFeed` otherwise), an entry dated after the state's next
        day (UTC) left undated: misdated."""
        return parse_feed(
            fetched.body,
            fetched.url,
            today=datetime.fromtimestamp(self.state.now(), UTC).date(),
            limits=self.settings.reading_limits,
            checkpoint=self._checkpoint,
        )

    def _get(self, url: str, *, max_bytes: int | None = None, **options) -> Fetched:
        """`max_bytes`: a page's limit unless said (a feed's is smaller: `FEED_MAX_BYTES`). The
        checkpoint is called as it downloads too: a poll is given up mid-page."""
        return self._fetch(
            url,
            timeout=self.settings.fetch_timeout_seconds,
            max_bytes=max_bytes or self.settings.ingest_max_bytes,
            allow_private=self.settings.ingest_allow_private_urls,
            checkpoint=self._checkpoint,
            **options,
        )

    def _get_feed(self, url: str, **options) -> Fetched:
        """A feed, or a site's page that declares one (what `follow` is given)."""
        return self._get(url, accept=lambda kind: kind in FOLLOWABLE_TYPES, wanted="un flux RSS ou Atom", **options)

    def follow(self, url: str, every_minutes: float | None = None, added_by: int | None = None) -> tuple[FeedRow, bool]:
        """Follow the feed at `url`, or the one a site's page declares. True when new; a feed
        followed already is polled at `every_minutes` from now on, when given. A name and
        password in `url` are left out: the feed's address is what `/feeds` shows everyone."""
        url = without_credentials(url)
        fetched = self._get_feed(url)  # up to a page's limit: a site's page may declare the feed
        # Larger than a feed may be, it is read as a page only: parsed as a feed, 6 MB of one
        # took 9 CPU s before being refused for its size.
        too_large = len(fetched.body) > self.settings.feed_max_bytes
        unreadable: NotAFeed | None = None
        try:
            feed = None if too_large else self._parsed(fetched)
        except NotAFeed as exc:
            feed, unreadable = None, exc
        if feed is not None:
            feed_url = fetched.moved_to or url  # where it has moved for good: asked there from now on
        else:
            page = decode_document(fetched.body, declared=fetched.charset, html=True)
            declared = declared_feeds(page, fetched.url)
            if not declared and too_large:  # a feed, maybe: every poll would refuse it
                raise InputError(
                    f"le flux fait {french(len(fetched.body))} octets, au-delà de la limite de "
                    f"{french(self.settings.feed_max_bytes)} octets des flux suivis (FEED_MAX_BYTES)"
                ) from None
            if not declared and isinstance(unreadable, BrokenFeed):  # a feed, but none of it readable
                raise unreadable from None
            if not declared:
                raise NotAFeed(
                    f"aucun flux RSS ou Atom à l'adresse {url}, et la page n'en déclare aucun "
                    "(donnez l'adresse du flux lui-même)"
                ) from None
            feed_url, fetched, feed = self._first_readable(declared)  # each read within FEED_MAX_BYTES
        every = every_minutes or self.settings.feed_poll_minutes
        followed, new = self.state.add_feed(feed_url, feed.title, every, added_by, followed_as=url)
        if new:  # its follower polls it at once: not a job of the bot too, meanwhile
            self.state.claim_poll(followed.id, every)
        elif every_minutes and every_minutes != followed.every_minutes:  # followed already, at another pace
            followed = self.state.set_feed_interval(followed.id, every_minutes) or followed
        return followed, new

    def _first_readable(self, declared: list[str]) -> tuple[str, Fetched, Feed]:
        """The first of the feeds a page declares that can be read (an old one may be gone,
        another be a kind feedparser does not read): its address, response and entries;
        the last one's failure when none can."""
        failure: InputError | None = None
        for feed_url in declared[:DECLARED_FEEDS_TRIED]:
            try:
                fetched = self._get_feed(feed_url, max_bytes=self.settings.feed_max_bytes)
                return fetched.moved_to or feed_url, fetched, self._parsed(fetched)
            except InputError as exc:
                failure = exc
        raise failure or NotAFeed("la page ne déclare aucun flux")

    def poll(self, feed_id: int) -> PollReport | None:
        """Read the feed once and ingest its new entries; None when it is no longer followed.
        A poll left unfinished anywhere (given up as the bot stops while the feed downloads, is
        read or its articles are added; or broken by an error no step expects) releases its
        claim: the next process polls it at once, its new entries waiting for that poll, not
        most of an interval later."""
        try:
            feed = self.state.feed(feed_id)
            return None if feed is None else self._poll(feed)
        except BaseException:
            self.state.release_poll(feed_id)
            raise

    def _poll(self, feed: FeedRow) -> PollReport:
        """`poll` of a feed followed: its failures to download, read or store are a failed poll."""
        feed_id = feed.id
        conditions = {}
        # With entries to try again, the whole feed is needed even if it has not changed.
        if not self.state.has_retries(feed_id):
            if feed.etag:
                conditions["If-None-Match"] = feed.etag
            if feed.last_modified:
                conditions["If-Modified-Since"] = feed.last_modified
        try:
            fetched = self._get_feed(feed.url, headers=conditions, max_bytes=self.settings.feed_max_bytes)
            parsed = None if fetched.not_modified else self._parsed(fetched)
        except Exception as exc:  # counted as a failed poll, whatever it is: admins hear of it once
            if isinstance(exc, InputError):
                said = str(exc)
            else:
                log.warning("feed %s could not be read", feed.url, exc_info=exc)
                said = f"le flux n'a pas pu être lu ({type(exc).__name__})"
            status = exc.status if isinstance(exc, FetchError) else None
            updated = self.state.feed_polled(feed_id, error=said, not_found=status == 404) or feed
            dropped = gone_for_good(status, self.state.not_found_streak(feed_id), self.state.now())
            if dropped is not None and self.state.drop_feed(feed_id, dropped) is not None:
                log.info("feed %s followed no more: %s", feed.url, dropped)
                return PollReport(updated, error=said, dropped=dropped)
            return PollReport(updated, error=said)
        # Moved for good (HTTP 301) and a feed there still (a redesigned site may send its old
        # feed's address to its home page): asked at the new address from now on.
        if fetched.moved_to and fetched.moved_to != feed.url and self.state.move_feed(feed_id, fetched.moved_to):
            log.info("feed %s moved to %s", feed.url, fetched.moved_to)
        if parsed is None:
            return PollReport(self.state.feed_polled(feed_id) or feed, not_modified=True)
        listed = list({e.key: e for e in parsed.entries}.values())  # an entry listed twice is one
        if self.state.rekey_due(feed_id):
            self._rekey(feed_id, listed, whole=parsed.whole)
        given_up = []
        if parsed.whole and listed:  # a response cut short, or empty for a while, says nothing of what left
            # Entries that failed and left the feed since: given up (they would keep every later
            # poll from being conditional).
            given_up = [
                (key, "retirée du flux avant d'avoir pu être lue")
                for key in self.state.drop_retries_not_in(feed_id, [e.key for e in listed])
            ]
            self.state.forget_entries_not_in(feed_id, [e.key for e in listed], ENTRIES_KEPT_DAYS * 86_400)
        pending = self.state.pending_entries(feed_id, [e.key for e in listed])
        waiting = [e for e in in_publication_order(listed) if e.key in pending]
        entries = waiting[-self.settings.feed_max_entries :]  # the newest, oldest first
        left_aside = []
        if feed.last_success is None:
            # A feed's first reading takes its newest entries only: the others are its back
            # catalogue (a blog's feed may list its 500 posts), not news, and would otherwise
            # come FEED_MAX_ENTRIES a poll for hours, every old post in the library.
            left_aside = waiting[: len(waiting) - len(entries)]
            self.state.entries_left_aside(feed_id, [e.key for e in left_aside])
            waiting = entries
        try:
            added, duplicates, given_up_now = self._ingest(feed, entries)
        except Exception as exc:  # the library cannot store anything (a full disk): a failed poll,
            log.warning("feed %s: articles not stored", feed.url, exc_info=exc)  # entries tried again
            said = f"les articles n'ont pas pu être enregistrés ({type(exc).__name__})"
            updated = self.state.feed_polled(feed_id, error=said) or feed
            return PollReport(updated, error=said)
        # Entries left for later polls: the next request must not be answered "not modified".
        complete = len(entries) == len(waiting)
        updated = self.state.feed_polled(
            feed_id,
            etag=fetched.etag if complete else None,
            last_modified=fetched.last_modified if complete else None,
            forget_validators=not complete,
            articles_added=len(added),
        )
        return PollReport(updated or feed, added, duplicates, given_up + given_up_now, left_aside=len(left_aside))

    def _rekey(self, feed_id: int, listed: list[FeedEntry], *, whole: bool) -> None:
        """A broken feed's entries recorded, by a version before its ids were read as the
        well-formed feed writes them, under another key ("…&amp;u=pont", "…&u;=pont"): one
        entry still, not a new one. Once a feed followed before stop 75 (`rekey_due`), at its
        first poll that read it whole and listed entries (one cut short may leave out entries
        recorded so; an empty one, as the poll reads it, says nothing)."""
        keys = {e.key for e in listed}
        earlier = {old: e.key for e in listed if e.identity for old in earlier_keys(e.identity) if old not in keys}
        self.state.entries_rekeyed(feed_id, earlier)
        if whole and listed:
            self.state.rekeyed(feed_id)

    def _ingest(self, feed: FeedRow, entries: list[FeedEntry]) -> tuple[list[int], int, list[tuple[str, str]]]:
        feed_id = feed.id
        documents: list[tuple[FeedEntry, Document]] = []
        given_up: list[tuple[str, str]] = []
        duplicates = 0
        deleted = self._deleted([e.link for e in entries])
        pages: dict[str, Fetched | LibraryError] = {}  # this poll's downloads, by page (`_page`)
        for entry in entries:
            self._checkpoint()
            if entry.link in deleted:  # an admin deleted its article: not added back, nor fetched
                self.state.entry_done(feed_id, entry.key, None)
                continue
            if not entry.link and feed_text_document(entry, limits=self.settings.reading_limits) is None:
                # Nothing to read, now or at a later poll (a headline alone, as news tickers
                # list): no article, and neither tried again nor reported as a page unread.
                log.info("feed entry %s: no link and no article text", entry.key)
                self.state.entry_done(feed_id, entry.key, None)
                continue
            if entry.link and (stored := self.library.stored_under((), same_page_links(entry.link))) is not None:
                # Its page is in the library already (another feed polled just before, a user's
                # /ingest): a duplicate by the library's own rule, which a download cannot change.
                self.state.entry_done(feed_id, entry.key, stored.id)
                duplicates += 1
                continue
            try:
                document = self._document(entry, feed.title, pages)
                documents.append((entry, within_article_words(document, self.settings.article_max_words)))
            except ArticleTooLong as exc:  # as long at the next polls: given up at once, not tried again
                log.info("feed entry %s: %s", entry.link or entry.key, exc)
                self.state.entry_done(feed_id, entry.key, None)
                given_up.append((entry.link or entry.key, refusal(exc)))
            except Exception as exc:  # one entry's page, however broken, never blocks the feed
                if isinstance(exc, LibraryError):
                    log.info("feed entry %s: %s", entry.link or entry.key, exc)
                    said = str(exc)
                else:
                    log.warning("feed entry %s could not be read", entry.link or entry.key, exc_info=exc)
                    said = f"la page n'a pas pu être lue ({type(exc).__name__})"
                self._failed(feed_id, entry, said, given_up)
        # The page's own address may be the deleted article's where the feed's link is not.
        deleted = self._deleted([d.url for _, d in documents])
        for entry, document in documents:
            if document.url in deleted:
                self.state.entry_done(feed_id, entry.key, None)
        documents = [(e, d) for e, d in documents if d.url not in deleted]
        added: list[int] = []
        for entry, result in self._stored(feed_id, documents, given_up):
            self.state.entry_done(feed_id, entry.key, result.article.id)
            if result.status == "added":
                added.append(result.article.id)
            else:
                duplicates += 1
        return added, duplicates, given_up

    def _deleted(self, links: list[str | None]) -> set[str]:
        """Which of `links` are deleted articles' pages, however the link is written (tracking
        parameters, http or https, "www."), as the library tells pages apart."""
        ways = {link: same_page_links(link) for link in links if link}
        deleted = self.state.deleted_links([way for each in ways.values() for way in each])
        return {link for link, each in ways.items() if deleted.intersection(each)}

    def _stored(
        self, feed_id: int, documents: list[tuple[FeedEntry, Document]], given_up: list[tuple[str, str]]
    ) -> list[tuple[FeedEntry, IngestResult]]:
        """The entries' articles stored together; if that fails, one by one, so that one
        article the library cannot take (it is counted as a failed attempt) never keeps
        the others out, poll after poll."""
        if not documents:
            return []
        try:
            stored = self.library.ingest([d for _, d in documents], lambda done, total: self._checkpoint())
            return list(zip((e for e, _ in documents), stored, strict=True))
        except Exception as exc:
            if _storage_failure(exc):  # not this article's fault: the poll fails, nothing is given up
                raise
            if len(documents) == 1:
                entry = documents[0][0]
                log.warning("feed entry %s could not be stored", entry.link or entry.key, exc_info=exc)
                said = (
                    str(exc)
                    if isinstance(exc, LibraryError)
                    else f"l'article n'a pas pu être ajouté ({type(exc).__name__})"
                )
                self._failed(feed_id, entry, said, given_up)
                return []
        return [stored for one in documents for stored in self._stored(feed_id, [one], given_up)]

    def _failed(self, feed_id: int, entry: FeedEntry, said: str, given_up: list[tuple[str, str]]) -> None:
        """Count a failed attempt at `entry`; on its last, add it to `given_up`."""
        if self.state.entry_failed(feed_id, entry.key, said, ENTRY_ATTEMPTS):
            given_up.append((entry.link or entry.key, f"{said} ({ENTRY_ATTEMPTS} essais)"))

    def _page(self, link: str, pages: dict[str, Fetched | LibraryError]) -> Fetched:
        """The page at `link`, downloaded once a poll: two entries may link one page (a feed
        listing a story under two ids, or its link with other tracking parameters)."""
        page = normalise_url(link) or link
        if page not in pages:
            try:
                pages[page] = self._get(link, accept=is_article_type)
            except LibraryError as exc:  # failed once, failed for each entry linking it
                pages[page] = exc
        fetched = pages[page]
        if isinstance(fetched, LibraryError):
            raise fetched
        return fetched

    def _document(self, entry: FeedEntry, feed_title: str, pages: dict[str, Fetched | LibraryError]) -> Document:
        """The entry's article: its page, else the feed's own text when that is the whole article."""
        failure: LibraryError | None = None
        if entry.link:
            try:
                fetched = self._page(entry.link, pages)
                return _with_entry(
                    document_of(
                        fetched,
                        source=entry.link,
                        max_bytes=self.settings.ingest_max_bytes,
                        checkpoint=self._checkpoint,
                        limits=self.settings.reading_limits,
                    ),
                    entry,
                )
            except LibraryError as exc:
                failure = exc
        if (carried := feed_text_document(entry, feed_title, self.settings.reading_limits)) is not None:
            return carried
        raise failure or InputError("l'entrée du flux n'a ni lien ni texte complet")


def feed_text_document(
    entry: FeedEntry, feed_title: str | None = None, limits: ReadingLimits = READING_LIMITS
) -> Document | None:
    """The article the feed carries whole, in its content or, as some feeds do, in its RSS
    `description`; None when it carries a teaser at most. Dated as the feed dates it (the text
    alone has no date but those it speaks of: "le plan adopté le 12 janvier 2021" is none).
    Its source is its link, else the feed (`feed_title`): an entry's id ("urn:uuid:…") would
    be shown as a file's name. `limits`: what reading its text may cost."""
    carried = (text for text in (entry.content, entry.summary) if text and plain_words(text) >= FULL_TEXT_WORDS)
    whole = next(carried, None)
    if whole is None:
        return None
    title = html.escape(entry.title)
    page = f"<html><head><title>{title}</title></head><body><article>{whole}</article></body></html>"
    source = entry.link or (f"{FEED_SOURCE}{feed_title}" if feed_title else entry.key)
    document = parse_html(page, url=entry.link, source=source, limits=limits)
    return _with_entry(replace(document, date=entry.published or document.date), entry)


def _storage_failure(exc: BaseException) -> bool:
    """Whether `exc` says the library's storage failed (a full disk, a database away: a
    PostgreSQL server that refuses new sessions is a `DatabaseUnavailable`) rather than that one
    article could not be taken."""
    return isinstance(exc, OSError | sqlite3.Error | DatabaseUnavailable) or type(exc).__module__.startswith("psycopg")


def in_publication_order(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Oldest first, so that articles are added in the order they were published: by their
    dates when every entry has one (some feeds list the oldest first), else the feed's order
    reversed (feeds list the newest first); entries of one day in the feed's order reversed."""
    oldest_first = list(reversed(entries))
    if all(e.published for e in entries):
        return sorted(oldest_first, key=lambda e: e.published or "")
    return oldest_first


def _with_entry(document: Document, entry: FeedEntry) -> Document:
    """What the feed knows fills what the page lacks (a page's own title and date come first)."""
    return replace(
        document,
        title=document.title or entry.title,
        date=document.date or entry.published,
        author=document.author or entry.author,
        url=document.url or entry.link,
    )

"""Followed feeds: their addresses however spelt, their polls (one replica at a time), their
failures told to the admins once, and those dropped because their site removed them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.state.part import Run, StatePart
from index.web_addresses import without_tracking


@dataclass(frozen=True)
class FeedRow:
    id: int
    url: str
    title: str
    every_minutes: float
    etag: str | None
    last_modified: str | None
    last_polled: float | None
    last_success: float | None
    failures: int
    last_error: str | None
    articles: int


@dataclass(frozen=True)
class DroppedFeed:
    """A feed followed no more because its site removed it (`BotState.drop_feed`), until the
    admins are told."""

    id: int
    url: str
    title: str
    reason: str
    added_by: int | None


class FeedsState(StatePart):
    def add_feed(
        self, url: str, title: str, every_minutes: float, added_by: int | None, followed_as: str | None = None
    ) -> tuple[FeedRow, bool]:
        """The feed at `url`, added now (True) or already followed (False); `followed_as`: the
        site's page it was followed by, which names it too (`feed_by_url`)."""
        spellings = _spellings(url)
        marks = ", ".join("?" * len(spellings))
        with self._transaction() as run:
            existing = run(f"SELECT id FROM feeds WHERE url IN ({marks})", spellings)
            if not existing:
                run(
                    "INSERT INTO feeds(url, title, every_minutes, added_by, created) VALUES (?, ?, ?, ?, ?)",
                    (without_tracking(url.strip()), title, every_minutes, added_by, self._clock()),
                )
            if followed_as and _address(followed_as) != _address(url):
                (feed_id,) = run(
                    f"SELECT id FROM feeds WHERE url IN ({marks}) ORDER BY url = ? DESC", (*spellings, url)
                )[0]
                run("DELETE FROM feed_addresses WHERE address = ?", (_address(followed_as),))
                run("INSERT INTO feed_addresses(address, feed_id) VALUES (?, ?)", (_address(followed_as), feed_id))
        row = self.feed_by_url(url)
        assert row is not None
        return row, not existing

    def move_feed(self, feed_id: int, url: str) -> bool:
        """The feed now read at `url`, where its site moved it for good (HTTP 301), and still
        named by its former address (`/unfollow` with the address it was followed by). False
        when `url` is another followed feed's already: they stay as they are."""
        spellings = _spellings(url)
        marks = ", ".join("?" * len(spellings))
        with self._transaction() as run:
            rows = run("SELECT url FROM feeds WHERE id = ?", (feed_id,))
            if not rows or run(f"SELECT 1 FROM feeds WHERE url IN ({marks}) AND id <> ?", (*spellings, feed_id)):
                return False
            former = _address(rows[0][0])
            run("UPDATE feeds SET url = ? WHERE id = ?", (url, feed_id))
            if former != _address(url):
                run("DELETE FROM feed_addresses WHERE address = ?", (former,))
                run("INSERT INTO feed_addresses(address, feed_id) VALUES (?, ?)", (former, feed_id))
        return True

    def set_feed_interval(self, feed_id: int, every_minutes: float) -> FeedRow | None:
        with self._transaction() as run:
            run("UPDATE feeds SET every_minutes = ? WHERE id = ?", (every_minutes, feed_id))
        return self.feed(feed_id)

    def feeds(self) -> list[FeedRow]:
        return [FeedRow(*row) for row in self._query(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY id")]

    def feed(self, feed_id: int) -> FeedRow | None:
        rows = self._query(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
        return FeedRow(*rows[0]) if rows else None

    def feed_by_url(self, url: str) -> FeedRow | None:
        """The feed at `url`, or followed by the site's page at `url`, however spelt
        (`_spellings`): the feed itself first, spelt as given first."""
        spellings = _spellings(url)
        addresses = list(dict.fromkeys(_address(spelling) for spelling in spellings))
        url_marks, address_marks = ", ".join("?" * len(spellings)), ", ".join("?" * len(addresses))
        rows = self._query(
            f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url IN ({url_marks}) "
            f"OR id IN (SELECT feed_id FROM feed_addresses WHERE address IN ({address_marks})) "
            f"ORDER BY url IN ({url_marks}) DESC, url = ? DESC, id",
            (*spellings, *addresses, *spellings, url),
        )
        return FeedRow(*rows[0]) if rows else None

    def remove_feed(self, feed_id: int) -> FeedRow | None:
        feed = self.feed(feed_id)
        if feed is not None:
            with self._transaction() as run:
                _delete_feed(run, feed_id)
        return feed

    def drop_feed(self, feed_id: int, reason: str) -> FeedRow | None:
        """Follow the feed no more, its site having removed it (`reason`, in French), and keep
        that for the admins to be told (`dropped_feeds`), whichever process polled it."""
        feed = self.feed(feed_id)
        if feed is not None:
            with self._transaction() as run:
                [(added_by,)] = run("SELECT added_by FROM feeds WHERE id = ?", (feed_id,)) or [(None,)]
                run("DELETE FROM feeds_dropped WHERE feed_id = ?", (feed_id,))
                run(
                    "INSERT INTO feeds_dropped(feed_id, url, title, reason, added_by, dropped) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (feed_id, feed.url, feed.title, reason, added_by, self._clock()),
                )
                _delete_feed(run, feed_id)
        return feed

    def dropped_feeds(self) -> list[DroppedFeed]:
        """The feeds dropped that the admins are to hear of, recorded as told: once each,
        however many replicas ask."""
        with self._transaction() as run:
            rows = run("SELECT feed_id, url, title, reason, added_by FROM feeds_dropped ORDER BY feed_id")
            run("DELETE FROM feeds_dropped")
        return [DroppedFeed(*row) for row in rows]

    def not_found_streak(self, feed_id: int) -> tuple[int, float] | None:
        """How many polls in a row the feed answered 404, and since when; None when its last did not."""
        rows = self._query("SELECT polls, since FROM feed_not_found WHERE feed_id = ?", (feed_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def claim_poll(self, feed_id: int, every_minutes: float) -> bool:
        """Take this poll of the feed, unless another process took it within the last part of
        its interval: with several replicas, each feed is polled by one of them each time."""
        now = self._clock()
        with self._transaction() as run:
            taken = run(
                "UPDATE feeds SET claimed = ? WHERE id = ? AND (claimed IS NULL OR claimed <= ?)",
                (now, feed_id, now - every_minutes * 60 * 0.8),
            )[0][0]
        return taken == 1

    def release_poll(self, feed_id: int) -> None:
        """A poll given up (the process stopping): the feed's next job, in any process, takes it
        at once rather than a claim's interval later."""
        with self._transaction() as run:
            run("UPDATE feeds SET claimed = NULL WHERE id = ?", (feed_id,))

    def feed_polled(
        self,
        feed_id: int,
        *,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        articles_added: int = 0,
        forget_validators: bool = False,
        not_found: bool = False,
    ) -> FeedRow | None:
        """Record a poll: a success resets the failure count and keeps the validators for
        the next conditional request (none with `forget_validators`: entries were left for
        the next poll, which must read the whole feed); a failure counts one more, and a
        404 (`not_found`) one more of those in a row (`not_found_streak`)."""
        now = self._clock()
        with self._transaction() as run:
            if error is not None and not_found:
                run(
                    "INSERT INTO feed_not_found(feed_id, since, polls) SELECT ?, ?, 1 "
                    "WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?) "
                    "ON CONFLICT (feed_id) DO UPDATE SET polls = feed_not_found.polls + 1",
                    (feed_id, now, feed_id),
                )
            else:
                run("DELETE FROM feed_not_found WHERE feed_id = ?", (feed_id,))
            if forget_validators:
                run("UPDATE feeds SET etag = NULL, last_modified = NULL WHERE id = ?", (feed_id,))
            if error is None:
                run(
                    "UPDATE feeds SET last_polled = ?, last_success = ?, failures = 0, last_error = NULL, "
                    "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
                    "articles = articles + ? WHERE id = ?",
                    (now, now, etag, last_modified, articles_added, feed_id),
                )
            else:
                run(
                    "UPDATE feeds SET last_polled = ?, failures = failures + 1, last_error = ?, "
                    "articles = articles + ? WHERE id = ?",
                    (now, error, articles_added, feed_id),
                )
        return self.feed(feed_id)

    def alerts_due(self, failures_before_alert: int, feed_id: int | None = None) -> list[tuple[FeedRow, bool]]:
        """The feeds (all, or `feed_id`) the admins are to hear about now, recorded as told:
        True, one that failed `failures_before_alert` polls in a row or more and was not
        reported yet; False, one reported that works again. Read from the feeds' counts, not
        from one poll's report, so that polls of any process (`python -m bot feeds --poll`,
        another replica) count, and each is told once."""
        only = "" if feed_id is None else " AND f.id = ?"
        chosen = () if feed_id is None else (feed_id,)
        due = self._query(  # read first: nothing to tell takes no write lock (every minute, every poll)
            "SELECT 1 FROM feeds f LEFT JOIN feed_alerts a ON a.feed_id = f.id "
            f"WHERE ((f.failures >= ? AND a.feed_id IS NULL) OR (f.failures = 0 AND a.feed_id IS NOT NULL)){only} "
            "LIMIT 1",
            (failures_before_alert, *chosen),
        )
        if not due:
            return []
        told: list[tuple[int, bool]] = []
        with self._transaction() as run:
            failing = run(
                f"SELECT f.id FROM feeds f WHERE f.failures >= ?{only} "
                "AND NOT EXISTS (SELECT 1 FROM feed_alerts a WHERE a.feed_id = f.id) ORDER BY f.id",
                (failures_before_alert, *chosen),
            )
            for (failing_id,) in failing:  # a replica's concurrent insert wins: told by one
                inserted = run(
                    "INSERT INTO feed_alerts(feed_id, told) VALUES (?, ?) ON CONFLICT (feed_id) DO NOTHING",
                    (failing_id, self._clock()),
                )[0][0]
                if inserted == 1:
                    told.append((failing_id, True))
            recovered = run(
                f"SELECT f.id FROM feeds f JOIN feed_alerts a ON a.feed_id = f.id WHERE f.failures = 0{only} "
                "ORDER BY f.id",
                chosen,
            )
            for (recovered_id,) in recovered:
                if run("DELETE FROM feed_alerts WHERE feed_id = ?", (recovered_id,))[0][0] == 1:
                    told.append((recovered_id, False))
        rows = [(self.feed(told_id), failing_now) for told_id, failing_now in told]
        return [(row, failing_now) for row, failing_now in rows if row is not None]


_FEED_COLUMNS = (
    "id, url, title, every_minutes, etag, last_modified, last_polled, last_success, failures, last_error, articles"
)


def _address(url: str) -> str:
    """`url` as feeds are named by: without a trailing slash ("https://site.fr/" is "https://site.fr")
    nor tracking parameters (a link shared "?utm_source=twitter" is the feed's own address)."""
    return without_tracking(url.strip()).rstrip("/")


def _spellings(url: str) -> list[str]:
    """The ways of writing the address of one feed: with or without a trailing slash, through
    http or https (a site serves the same feed through both; following it through each would
    poll it twice), with or without tracking parameters (a feed followed with them before they
    were left out is stored with them). `url` itself first."""
    address = _address(url)
    scheme, colon, rest = address.partition("://")
    schemes = ("https", "http") if colon and scheme.lower() in ("http", "https") else (scheme,)
    written = [f"{each}{colon}{rest}" for each in schemes] if colon else [address]
    as_given = url.strip()
    return list(
        dict.fromkeys([as_given, without_tracking(as_given), *(form + end for form in written for end in ("", "/"))])
    )


def _delete_feed(run: Run, feed_id: int) -> None:
    """The feed and what the state holds of it, in the caller's transaction."""
    for table in ("feed_entries", "feeds_to_rekey", "feed_addresses", "feed_alerts", "feed_not_found"):
        run(f"DELETE FROM {table} WHERE feed_id = ?", (feed_id,))
    run("DELETE FROM feeds WHERE id = ?", (feed_id,))

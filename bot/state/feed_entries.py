"""What each followed feed listed: entries ingested, tried again, given up or forgotten, and the
links of articles an admin deleted, which no feed adds back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from bot.state.part import Run, StatePart
from index.store import ArticleRow

_KEYS_PER_QUERY = 500  # feed entry keys named by one statement


def _in_chunks(keys: Sequence[str]) -> Iterator[tuple[Sequence[str], str]]:
    """`keys` a statement's worth at a time, each with its placeholders for `IN (…)`."""
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        yield chunk, ", ".join("?" * len(chunk))


class FeedEntriesState(StatePart):
    def _remember_deleted(self, run: Run, article: ArticleRow) -> None:
        """`article`, deleted by an admin, remembered by its link (what a feed lists), so that
        no feed adds it back (`deleted_links`); in the caller's transaction."""
        if article.url:
            run("DELETE FROM deleted_articles WHERE url = ?", (article.url,))
            run(
                "INSERT INTO deleted_articles(url, title, deleted) VALUES (?, ?, ?)",
                (article.url, article.title, self._clock()),
            )

    def pending_entries(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """Which of `keys` are still to be ingested: never seen, or failed and not given up.
        Only the keys the feed lists now are looked up (a feed's past entries pile up)."""
        unique = list(dict.fromkeys(keys))
        done: set[str] = set()
        for chunk, marks in _in_chunks(unique):
            rows = self._query(
                f"SELECT key FROM feed_entries WHERE feed_id = ? AND done = 1 AND key IN ({marks})", (feed_id, *chunk)
            )
            done.update(key for (key,) in rows)
        return {key for key in unique if key not in done}

    def rekey_due(self, feed_id: int) -> bool:
        """Whether the feed was followed before stop 75, whose entries that version or an earlier
        one may have recorded under another spelling of their id (`index.feeds.earlier_keys`),
        and has not been read whole since (`rekeyed`): its poll re-keys them first."""
        return bool(self._query("SELECT 1 FROM feeds_to_rekey WHERE feed_id = ?", (feed_id,)))

    def rekeyed(self, feed_id: int) -> None:
        """The feed read whole and its entries re-keyed (`entries_rekeyed`): not again."""
        with self._transaction() as run:
            run("DELETE FROM feeds_to_rekey WHERE feed_id = ?", (feed_id,))

    def entries_rekeyed(self, feed_id: int, earlier: Mapping[str, str]) -> int:
        """Entries recorded under an earlier spelling of their key (`earlier`: each such spelling,
        to the key its entry has now) recorded under their key now: one entry, whichever reading
        recorded it, never added, set aside, tried or given up twice. When both are recorded,
        the entry is done when either says so (its article kept), and its attempts are the
        more of the two. How many were recorded under an earlier spelling."""
        spellings = list(earlier)
        found: list[tuple] = []
        for chunk, marks in _in_chunks(spellings):
            found += self._query(
                f"SELECT key, article_id, attempts, done FROM feed_entries WHERE feed_id = ? AND key IN ({marks})",
                (feed_id, *chunk),
            )
        if not found:  # every poll of a feed whose keys hold an "&": one query, nothing to write
            return 0
        with self._transaction() as run:
            for spelling, article_id, attempts, done in found:
                key = earlier[spelling]
                now = run(
                    "SELECT article_id, attempts, done FROM feed_entries WHERE feed_id = ? AND key = ?", (feed_id, key)
                )
                if not now:
                    run("UPDATE feed_entries SET key = ? WHERE feed_id = ? AND key = ?", (key, feed_id, spelling))
                    continue
                ((now_article, now_attempts, now_done),) = now
                run(
                    "UPDATE feed_entries SET article_id = ?, attempts = ?, done = ? WHERE feed_id = ? AND key = ?",
                    (
                        now_article if now_article is not None else article_id,
                        max(attempts, now_attempts),
                        max(done, now_done),
                        feed_id,
                        key,
                    ),
                )
                run("DELETE FROM feed_entries WHERE feed_id = ? AND key = ?", (feed_id, spelling))
        return len(found)

    def has_retries(self, feed_id: int) -> bool:
        """Whether entries of the feed failed and are to be tried again."""
        return bool(
            self._query(
                "SELECT 1 FROM feed_entries WHERE feed_id = ? AND done = 0 AND attempts > 0 LIMIT 1", (feed_id,)
            )
        )

    def drop_retries_not_in(self, feed_id: int, keys: Sequence[str]) -> list[str]:
        """Give up the entries waiting to be tried again that the feed no longer lists; their keys."""
        listed = set(keys)
        with self._transaction() as run:
            waiting = run("SELECT key FROM feed_entries WHERE feed_id = ? AND done = 0 AND attempts > 0", (feed_id,))
            gone = [key for (key,) in waiting if key not in listed]
            for key in gone:
                run("UPDATE feed_entries SET done = 1 WHERE feed_id = ? AND key = ?", (feed_id, key))
        return gone

    def forget_entries_not_in(self, feed_id: int, keys: Sequence[str], kept_seconds: float) -> int:
        """The entries done with, first seen more than `kept_seconds` ago, that the feed no longer
        lists, forgotten (a feed's past entries would otherwise pile up for ever: about 6.5 MB
        a year at 50 entries a day); how many. One listed again after that is read again and
        found already in the library, by its address."""
        listed = set(keys)
        with self._transaction() as run:
            old = run(
                "SELECT key FROM feed_entries WHERE feed_id = ? AND done = 1 AND seen < ?",
                (feed_id, self._clock() - kept_seconds),
            )
            gone = [key for (key,) in old if key not in listed]
            for chunk, marks in _in_chunks(gone):
                run(f"DELETE FROM feed_entries WHERE feed_id = ? AND key IN ({marks})", (feed_id, *chunk))
        return len(gone)

    def deleted_links(self, links: Sequence[str]) -> set[str]:
        """Which of `links` are those of articles an admin deleted."""
        unique = list(dict.fromkeys(links))
        deleted: set[str] = set()
        for chunk, marks in _in_chunks(unique):
            rows = self._query(f"SELECT url FROM deleted_articles WHERE url IN ({marks})", chunk)
            deleted.update(url for (url,) in rows)
        return deleted

    # An entry is recorded only while its feed is followed: one unfollowed during a poll has no
    # rows left to point at (`WHERE EXISTS`, where the foreign key would refuse the insert).
    _ENTRY_DONE = (
        "INSERT INTO feed_entries(feed_id, key, article_id, attempts, done, seen) "
        "SELECT ?, ?, ?, 1, 1, ? WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?) "
        "ON CONFLICT (feed_id, key) DO UPDATE SET article_id = excluded.article_id, done = 1, "
        "attempts = feed_entries.attempts + 1, last_error = NULL"
    )

    def entry_done(self, feed_id: int, key: str, article_id: int | None) -> None:
        with self._transaction() as run:
            run(self._ENTRY_DONE, (feed_id, key, article_id, self._clock(), feed_id))

    def entries_left_aside(self, feed_id: int, keys: Sequence[str]) -> None:
        """Entries done with, never to be added (a feed's back catalogue): in one transaction."""
        now = self._clock()
        with self._transaction() as run:
            for key in keys:
                run(self._ENTRY_DONE, (feed_id, key, None, now, feed_id))

    def entry_failed(self, feed_id: int, key: str, error: str, give_up_after: int) -> bool:
        """Count a failed attempt at an entry; True when it is given up (no more attempts)."""
        with self._transaction() as run:
            run(
                "INSERT INTO feed_entries(feed_id, key, attempts, last_error, seen) "
                "SELECT ?, ?, 1, ?, ? WHERE EXISTS (SELECT 1 FROM feeds WHERE id = ?) "
                "ON CONFLICT (feed_id, key) DO UPDATE SET attempts = feed_entries.attempts + 1, "
                "last_error = excluded.last_error",
                (feed_id, key, error, self._clock(), feed_id),
            )
            rows = run("SELECT attempts FROM feed_entries WHERE feed_id = ? AND key = ?", (feed_id, key))
            if not rows:  # the feed was unfollowed meanwhile
                return False
            attempts = rows[0][0]
            if attempts >= give_up_after:
                run("UPDATE feed_entries SET done = 1 WHERE feed_id = ? AND key = ?", (feed_id, key))
                return True
        return False

"""The bot's own durable state, beside the library: answers behind buttons, feedback on
answers, what each asker's conversation is about, followed feeds and channels, the per-user
question limit and the inline cache.

It lives in `DATA_DIR/bot.sqlite3`, or with the library in PostgreSQL when `DATABASE_URL`
is set (schema `citebot_bot`), so that every replica of the bot shares it: a button made
by one replica works on another, a user's question limit counts their questions on all,
and each feed is polled by one replica at a time (`bot.state_database`: the tables, and the
two databases that hold them).

Answers are kept here rather than in python-telegram-bot's in-memory callback-data cache so
that their buttons survive a restart and work from any process. A button carries
`<kind>|<token>|<argument>`: the token is unguessable, and the answer it names records the
chat it was sent to, so a button pressed elsewhere, or forged, is refused. Every operation
here is a few rows.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.state_database import Database, open_database
from index.conversation import Topic
from index.ingest import without_tracking
from index.store import ArticleRow


@dataclass(frozen=True)
class ShownResult:
    """A result as it was shown with an answer (what feedback refers to)."""

    article_id: int
    title: str
    source: str | None
    date: str | None
    passage: str
    quote: str


@dataclass(frozen=True)
class StoredPage:
    text: str  # the page's message, Telegram HTML
    articles: tuple[tuple[int, str], ...]  # (article id, button title) of its passages


@dataclass(frozen=True)
class StoredAnswer:
    token: str
    chat_id: int
    question: str
    pages: tuple[StoredPage, ...]
    results: tuple[ShownResult, ...]
    # What the conversation was about after it (with where its first quote ends): a question
    # sent in reply to it follows it (`bot.telegram.questions`), whoever asks and however late.
    conversation: Topic | None = None
    # Whether the article goes on after its first quote: its "📖 La suite" button reads on.
    says_more: bool = False
    # Whether its question meant something only after the ones before it ("La suite ?",
    # "Et en 2020 ?"): approved, it is no question of an evaluation set (`bot.feedback`).
    in_conversation: bool = False

    @property
    def read_on_from(self) -> Topic | None:
        """The topic its "📖 La suite" button asks "La suite ?" with (None: no such button)."""
        topic = self.conversation
        return topic if self.says_more and topic is not None and topic.read_to is not None else None


@dataclass(frozen=True)
class Vote:
    user_id: int
    vote: int
    question: str
    shown: tuple[ShownResult, ...]
    created: float
    in_conversation: bool = False  # as its answer's (`StoredAnswer.in_conversation`)


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


@dataclass(frozen=True)
class ChannelRow:
    chat_id: int
    title: str
    username: str | None


StatusKind = Literal["ingest", "reindex", "follow"]


@dataclass(frozen=True)
class StatusUnderWay:
    """A status message ("⏳ …", "🔄 …") of work under way that has not said its outcome yet:
    an /ingest, a /reindex, or a /follow up to the end of its first poll."""

    chat_id: int
    message_id: int
    started: float
    kind: StatusKind
    # An ingest's: the keys its article will be known by in the library
    # (`index.ingest.article_keys`), once read; empty before: nothing of it can have been stored.
    hashes: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    # A follow's: the feed, once followed (None before: nothing of it was stored).
    feed_id: int | None = None


_KEYS_PER_QUERY = 500  # feed entry keys named by one statement


def _in_chunks(keys: Sequence[str]) -> Iterator[tuple[Sequence[str], str]]:
    """`keys` a statement's worth at a time, each with its placeholders for `IN (…)`."""
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        chunk = keys[start : start + _KEYS_PER_QUERY]
        yield chunk, ", ".join("?" * len(chunk))


class BotState:
    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._sql = database
        self._clock = clock

    def now(self) -> float:
        """The state's clock (seconds, as `time.time`), which every time it keeps is read from."""
        return self._clock()

    @classmethod
    def open(cls, path: Path, database_url: str | None = None, clock: Callable[[], float] = time.time) -> BotState:
        """In PostgreSQL when the library is there (`DATABASE_URL`), else in the SQLite file `path`."""
        return cls(open_database(path, database_url), clock)

    def _transaction(self):
        return self._sql.transaction()

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        return self._sql.query(sql, params)

    def close(self) -> None:
        self._sql.close()

    # --- answers behind buttons ------------------------------------------------------------
    def save_answer(
        self,
        chat_id: int,
        question: str,
        pages: Sequence[StoredPage],
        results: Sequence[ShownResult],
        conversation: Topic | None = None,
        *,
        says_more: bool = False,
        in_conversation: bool = False,
    ) -> str:
        token = secrets.token_urlsafe(12)  # 96 random bits, 16 characters
        body: dict[str, object] = {
            "pages": [{"text": p.text, "articles": [list(a) for a in p.articles]} for p in pages],
            "results": [_result_json(r) for r in results],
        }
        if conversation is not None:
            body["conversation"] = {"question": conversation.question, "articles": _topic_json(conversation)}
        if says_more:
            body["says_more"] = True
        if in_conversation:
            body["in_conversation"] = True
        with self._transaction() as run:
            run(
                "INSERT INTO answers(token, chat_id, question, body, created) VALUES (?, ?, ?, ?, ?)",
                (token, chat_id, question, json.dumps(body, ensure_ascii=False), self._clock()),
            )
        return token

    def answer(self, token: str) -> StoredAnswer | None:
        rows = self._query("SELECT chat_id, question, body FROM answers WHERE token = ?", (token,))
        if not rows:
            return None
        chat_id, question, body = rows[0]
        data = json.loads(body)
        pages = tuple(StoredPage(p["text"], tuple((int(i), str(t)) for i, t in p["articles"])) for p in data["pages"])
        # Answers saved before 2026-12-06 hold their topic as "topic", only where the article
        # went on (and, from 2026-12-05, the same again as "conversation").
        held = data.get("conversation") or data.get("topic")
        conversation = _topic(held["question"], held["articles"]) if held else None
        says_more = data.get("says_more", "topic" in data)
        results = tuple(ShownResult(**r) for r in data["results"])
        in_conversation = data.get("in_conversation", False)
        return StoredAnswer(token, chat_id, question, pages, results, conversation, says_more, in_conversation)

    def forget_before(self, moment: float) -> int:
        """Answers older than `moment` go (their buttons then say the search has expired), with
        the conversations last followed before it, the question log and inline cache entries
        no limit or cache still needs."""
        with self._transaction() as run:
            removed = run("DELETE FROM answers WHERE created < ?", (moment,))[0][0]
            run("DELETE FROM conversations WHERE asked < ?", (moment,))
            run("DELETE FROM questions_asked WHERE at < ?", (self._clock() - 60,))
            run("DELETE FROM inline_cache WHERE created < ?", (self._clock() - 3600,))
        return removed

    def move_chat(self, old: int, new: int) -> int:
        """A group moved to a supergroup (Telegram gives it a new id): its answers' buttons and
        its members' conversations follow it, and so does what was asked in the group's own
        name (an anonymous admin asks as the group). How many answers moved."""
        with self._transaction() as run:
            moved = run("UPDATE answers SET chat_id = ? WHERE chat_id = ?", (new, old))[0][0]
            run("DELETE FROM conversations WHERE chat_id = ?", (new,))  # none yet: the move comes first
            run("UPDATE conversations SET chat_id = ? WHERE chat_id = ?", (new, old))
            run("UPDATE conversations SET user_id = ? WHERE chat_id = ? AND user_id = ?", (new, new, old))
        return moved

    # --- what each conversation is about -------------------------------------------------
    def topic(self, chat_id: int, user_id: int, within_seconds: float) -> Topic | None:
        """What `user_id`'s conversation in `chat_id` is about, if they asked within the last
        `within_seconds` (a later question may refer back to it: `index.conversation`)."""
        rows = self._query(
            "SELECT question, articles FROM conversations WHERE chat_id = ? AND user_id = ? AND asked >= ?",
            (chat_id, user_id, self._clock() - within_seconds),
        )
        return _topic(rows[0][0], json.loads(rows[0][1])) if rows else None

    def follow_topic(self, chat_id: int, user_id: int, topic: Topic) -> None:
        """`user_id`'s conversation in `chat_id` is about `topic` from now on."""
        with self._transaction() as run:
            run(
                "INSERT INTO conversations(chat_id, user_id, question, articles, asked) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, user_id) DO UPDATE SET question = excluded.question, "
                "articles = excluded.articles, asked = excluded.asked",
                (chat_id, user_id, topic.question, json.dumps(_topic_json(topic)), self._clock()),
            )

    # --- the per-user question limit -----------------------------------------------------
    def allow_question(self, user_id: int, per_minute: int) -> bool:
        """Whether `user_id` may ask now: fewer than `per_minute` questions in the last 60 s
        (a sliding minute, counted over every process sharing this state). Counted if so."""
        now = self._clock()
        with self._transaction() as run:
            asked = run("SELECT count(*) FROM questions_asked WHERE user_id = ? AND at > ?", (user_id, now - 60))[0][0]
            if asked >= per_minute:
                return False
            run("INSERT INTO questions_asked(user_id, at) VALUES (?, ?)", (user_id, now))
        return True

    # --- inline answers reused ----------------------------------------------------------------
    def cached_inline(self, key: str, seconds: float) -> list[dict] | None:
        rows = self._query("SELECT results, created FROM inline_cache WHERE key = ?", (key,))
        if not rows or self._clock() - rows[0][1] > seconds:
            return None
        return json.loads(rows[0][0])

    def cache_inline(self, key: str, results: list[dict]) -> None:
        with self._transaction() as run:
            run(
                "INSERT INTO inline_cache(key, results, created) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET results = excluded.results, created = excluded.created",
                (key, json.dumps(results, ensure_ascii=False), self._clock()),
            )

    # --- feedback --------------------------------------------------------------------------
    def record_vote(self, answer: StoredAnswer, user_id: int, vote: int) -> None:
        """A user's 👍 (+1) or 👎 (−1) on an answer; voting again replaces the vote."""
        results = [_result_json(r) for r in answer.results]
        # The results alone, as votes were always stored, unless the question needed the ones before it.
        shown = json.dumps(
            {"results": results, "in_conversation": True} if answer.in_conversation else results, ensure_ascii=False
        )
        with self._transaction() as run:
            run(
                "INSERT INTO feedback(token, user_id, vote, question, shown, created) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (token, user_id) DO UPDATE SET vote = excluded.vote, created = excluded.created",
                (answer.token, user_id, vote, answer.question, shown, self._clock()),
            )

    def votes(self, vote: int | None = None, limit: int | None = None) -> list[Vote]:
        """Votes, newest first; only 👍 (+1) or 👎 (−1) when `vote` is given."""
        sql = "SELECT user_id, vote, question, shown, created FROM feedback"
        params: list[object] = []
        if vote is not None:
            sql += " WHERE vote = ?"
            params.append(vote)
        sql += " ORDER BY created DESC, token"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_vote(*row) for row in self._query(sql, params)]

    def record_inline_choice(self, user_id: int, query: str, result_id: str) -> None:
        with self._transaction() as run:
            run(
                "INSERT INTO inline_choices(user_id, query, result_id, created) VALUES (?, ?, ?, ?)",
                (user_id, query, result_id, self._clock()),
            )

    def feedback_counts(self) -> dict[str, int]:
        up, down = self._query(
            "SELECT coalesce(sum(CASE WHEN vote > 0 THEN 1 ELSE 0 END), 0), "
            "coalesce(sum(CASE WHEN vote < 0 THEN 1 ELSE 0 END), 0) FROM feedback"
        )[0]
        chosen = self._query("SELECT count(*) FROM inline_choices")[0][0]
        return {"approved": int(up), "rejected": int(down), "inline_chosen": int(chosen)}

    # --- followed feeds ---------------------------------------------------------------------
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

    def article_deleted(self, article: ArticleRow) -> None:
        """Remember that an admin deleted `article` (by its link: what a feed lists), so that
        no feed adds it back (`deleted_links`); and forget the inline answers kept for reuse
        (`cached_inline`, every replica's): one may quote it, and would for a minute more."""
        with self._transaction() as run:
            run("DELETE FROM inline_cache")
            if article.url:
                run("DELETE FROM deleted_articles WHERE url = ?", (article.url,))
                run(
                    "INSERT INTO deleted_articles(url, title, deleted) VALUES (?, ?, ?)",
                    (article.url, article.title, self._clock()),
                )

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

    # --- followed channels ------------------------------------------------------------------
    def add_channel(self, chat_id: int, title: str, username: str | None, added_by: int | None) -> None:
        with self._transaction() as run:
            run(
                "INSERT INTO channels(chat_id, title, username, added_by, created) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET title = excluded.title, username = excluded.username",
                (chat_id, title, username, added_by, self._clock()),
            )

    def channel(self, chat_id: int) -> ChannelRow | None:
        rows = self._query("SELECT chat_id, title, username FROM channels WHERE chat_id = ?", (chat_id,))
        return ChannelRow(*rows[0]) if rows else None

    def channels(self) -> list[ChannelRow]:
        return [ChannelRow(*row) for row in self._query("SELECT chat_id, title, username FROM channels ORDER BY title")]

    def remove_channel(self, chat_id: int) -> ChannelRow | None:
        channel = self.channel(chat_id)
        if channel is not None:
            with self._transaction() as run:
                run("DELETE FROM channels WHERE chat_id = ?", (chat_id,))
        return channel

    # --- statuses under way -----------------------------------------------------------------
    # The status messages of work under way, so that those of a process that died (SIGKILL, a
    # crash, out of memory) are told at the next start rather than left at "⏳" (`bot.telegram.under_way`).
    def status_started(self, bot_id: int, chat_id: int, message_id: int, owner: str, kind: StatusKind) -> None:
        now = self._clock()
        with self._transaction() as run:
            run(
                "INSERT INTO statuses_under_way(bot_id, chat_id, message_id, kind, owner, alive, started) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bot_id, chat_id, message_id) DO NOTHING",
                (bot_id, chat_id, message_id, kind, owner, now, now),
            )

    def ingest_read(
        self, bot_id: int, chat_id: int, message_id: int, hashes: Sequence[str], links: Sequence[str]
    ) -> None:
        """The ingest has read its article, whose keys find it in the library once it is stored."""
        self._status_learnt(bot_id, chat_id, message_id, "keys", json.dumps([list(hashes), list(links)]))

    def feed_followed(self, bot_id: int, chat_id: int, message_id: int, feed_id: int) -> None:
        """The follow has stored its feed: followed, whatever becomes of its first poll."""
        self._status_learnt(bot_id, chat_id, message_id, "feed_id", feed_id)

    def _status_learnt(self, bot_id: int, chat_id: int, message_id: int, column: str, value: object) -> None:
        with self._transaction() as run:
            run(
                f"UPDATE statuses_under_way SET {column} = ? WHERE bot_id = ? AND chat_id = ? AND message_id = ?",
                (value, bot_id, chat_id, message_id),
            )

    def status_ended(self, bot_id: int, chat_id: int, message_id: int) -> None:
        """Its status message says the outcome: nothing left to tell."""
        with self._transaction() as run:
            run(
                "DELETE FROM statuses_under_way WHERE bot_id = ? AND chat_id = ? AND message_id = ?",
                (bot_id, chat_id, message_id),
            )

    def statuses_alive(self, owner: str) -> None:
        """`owner` is running still: its statuses are not another process's to take over."""
        with self._transaction() as run:
            run("UPDATE statuses_under_way SET alive = ? WHERE owner = ?", (self._clock(), owner))

    def take_over_statuses(self, bot_id: int, owner: str, silent_for: float | None) -> list[StatusUnderWay]:
        """The statuses of `bot_id` that another process left, made `owner`'s: those whose process
        has not said it was running for `silent_for` seconds, or all of them (None: `owner` is
        the only process of the bot, any other one is gone). Each is taken by one process."""
        now = self._clock()
        where = "bot_id = ? AND owner <> ?" + ("" if silent_for is None else " AND alive < ?")
        params = (bot_id, owner) + (() if silent_for is None else (now - silent_for,))
        with self._transaction() as run:
            rows = run(f"SELECT {_STATUS_COLUMNS} FROM statuses_under_way WHERE {where} ORDER BY started", params)
            run(f"UPDATE statuses_under_way SET owner = ?, alive = ? WHERE {where}", (owner, now, *params))
        return [_status(*row) for row in rows]


_STATUS_COLUMNS = "chat_id, message_id, started, kind, keys, feed_id"


def _status(
    chat_id: int, message_id: int, started: float, kind: StatusKind, keys: str | None, feed_id: int | None
) -> StatusUnderWay:
    hashes, links = json.loads(keys) if keys else ([], [])
    return StatusUnderWay(chat_id, message_id, started, kind, tuple(hashes), tuple(links), feed_id)


_FEED_COLUMNS = (
    "id, url, title, every_minutes, etag, last_modified, last_polled, last_success, failures, last_error, articles"
)


def _vote(user_id: int, vote: int, question: str, shown: str, created: float) -> Vote:
    data = json.loads(shown)
    results = data["results"] if isinstance(data, dict) else data
    in_conversation = isinstance(data, dict) and data.get("in_conversation", False)
    return Vote(user_id, vote, question, tuple(ShownResult(**r) for r in results), created, in_conversation)


def _result_json(result: ShownResult) -> dict:
    return {
        "article_id": result.article_id,
        "title": result.title,
        "source": result.source,
        "date": result.date,
        "passage": result.passage,
        "quote": result.quote,
    }


def _topic_json(topic: Topic) -> list[int] | dict[str, list[int]]:
    """A topic's articles, and where its reading stopped when it did (the `articles` column;
    a plain list, as states written before "La suite ?" hold, when it did not)."""
    if topic.read_to is None:
        return list(topic.articles)
    return {"articles": list(topic.articles), "read_to": list(topic.read_to)}


def _topic(question: str, stored: list | dict) -> Topic:
    if isinstance(stored, list):
        return Topic(question, tuple(int(i) for i in stored))
    passage, offset = (int(n) for n in stored["read_to"])
    return Topic(question, tuple(int(i) for i in stored["articles"]), (passage, offset))


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


def _delete_feed(run: Callable[..., list[tuple]], feed_id: int) -> None:
    """The feed and what the state holds of it, in the caller's transaction."""
    for table in ("feed_entries", "feed_addresses", "feed_alerts", "feed_not_found"):
        run(f"DELETE FROM {table} WHERE feed_id = ?", (feed_id,))
    run("DELETE FROM feeds WHERE id = ?", (feed_id,))

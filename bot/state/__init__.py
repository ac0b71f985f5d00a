"""The bot's own durable state, beside the library: answers behind buttons, feedback on
answers, what each asker's conversation is about, followed feeds and channels, the per-user
question limit and the inline cache.

It lives in `DATA_DIR/bot.sqlite3`, or with the library in PostgreSQL when `DATABASE_URL`
is set (schema `citebot_bot`), so that every replica of the bot shares it: a button made
by one replica works on another, a user's question limit counts their questions on all,
and each feed is polled by one replica at a time (`bot.state.database`: the tables, and the
two databases that hold them). Every operation here is a few rows.

Each feature keeps its rows and queries in a module of its own (answers, conversations,
question_limit, inline_cache, feedback, feeds, feed_entries, channels, statuses), all on one
database and clock (`bot.state.part`); `BotState` is all of them together, with what spans
several features: forgetting what expired, a chat that moved, an article deleted. Each feature
forgets or moves its own rows, in a transaction `BotState` hands to each in turn.
"""

from __future__ import annotations

from bot.state.answers import AnswersState
from bot.state.channels import ChannelsState
from bot.state.conversations import ConversationsState
from bot.state.feed_entries import FeedEntriesState
from bot.state.feedback import FeedbackState
from bot.state.feeds import FeedsState
from bot.state.inline_cache import InlineCacheState
from bot.state.question_limit import QuestionLimitState
from bot.state.statuses import StatusesState
from index.store import ArticleRow


class BotState(
    AnswersState,
    ConversationsState,
    QuestionLimitState,
    InlineCacheState,
    FeedbackState,
    FeedsState,
    FeedEntriesState,
    ChannelsState,
    StatusesState,
):
    def forget_before(self, moment: float) -> int:
        """Answers older than `moment` go (their buttons then say the search has expired), with
        the conversations last followed before it, the question log and inline cache entries
        no limit or cache still needs: each feature forgets its own, in one transaction."""
        with self._transaction() as run:
            removed = self._forget_answers_before(run, moment)
            self._forget_conversations_before(run, moment)
            self._forget_questions_counted(run)
            self._forget_inline_expired(run)
        return removed

    def move_chat(self, old: int, new: int) -> int:
        """A group moved to a supergroup (Telegram gives it a new id): its answers' buttons and
        its members' conversations follow it, and so does what was asked in the group's own
        name (an anonymous admin asks as the group). How many answers moved."""
        with self._transaction() as run:
            moved = self._move_answers(run, old, new)
            self._move_conversations(run, old, new)
        return moved

    def article_deleted(self, article: ArticleRow) -> None:
        """Remember that an admin deleted `article` (by its link: what a feed lists), so that
        no feed adds it back (`deleted_links`); and forget the inline answers kept for reuse
        (`cached_inline`, every replica's): one may quote it, and would for a minute more."""
        with self._transaction() as run:
            self._forget_inline(run)
            self._remember_deleted(run, article)

"""A member's share of a group's messages. Telegram lets a bot send about 20 messages a minute
in a group, for everyone there; PTB's rate limiter paces the bot's requests but sends every
one it queued, so one member asking, turning pages and pressing buttons on and on would spend
the group's minute and keep the others' answers waiting behind theirs. What the bot sends or
edits for one member in a group (an answer, a page turned, an article's card, what the article
says next, what it says back to "@bot" alone, its reaction to "merci", or /help) is counted here, and refused
beyond `MEMBER_SHARE` within `SHARE_SECONDS`: three members at full pace still leave room for
a fourth.

Kept in the group's `chat_data`, in this process (with replicas, each counts its own), only
what falls within the window: members who stopped are forgotten at the group's next count.
A private chat's messages spend no one else's (Telegram allows about one a second there):
nothing is counted for them. The per-user `QUESTIONS_PER_MINUTE` applies everywhere besides.
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping

from telegram import MaybeInaccessibleMessage
from telegram.constants import ChatType

# An answer, its pages turned there and back, an article's card, and one more question.
MEMBER_SHARE, SHARE_SECONDS = 6, 60.0
_SENT, _TOLD = "sent for members", "members told to wait"


def within(chat_data: MutableMapping, message: MaybeInaccessibleMessage | None, member: int) -> bool:
    """Whether one more message for `member` in `message`'s chat is within their share, counted
    if so: in a group, `take` now; in a private chat, always."""
    if message is None or message.chat.type == ChatType.PRIVATE:
        return True
    return take(chat_data, member, time.monotonic())


def take(chat_data: MutableMapping, member: int, now: float) -> bool:
    """Whether the bot may send (or edit) one more message for `member` in this group at `now`
    (a monotonic clock's seconds); if so, it is counted."""
    sent = _recent(chat_data, _SENT, now)
    mine = sent.setdefault(member, [])
    allowed = len(mine) < MEMBER_SHARE
    if allowed:
        mine.append(now)
    return allowed


def first_refusal(chat_data: MutableMapping, member: int, now: float) -> bool:
    """Whether `member`, refused at `now`, is to be told to wait: once a window, since telling
    them is one more of the group's messages; their later questions meanwhile go unanswered."""
    told = _recent(chat_data, _TOLD, now)
    if member in told:
        return False
    told[member] = [now]
    return True


def _recent(chat_data: MutableMapping, name: str, now: float) -> dict[int, list[float]]:
    """`chat_data[name]`, each member's moments within the window, members with none dropped."""
    kept = {
        member: recent
        for member, moments in chat_data.get(name, {}).items()
        if (recent := [at for at in moments if now - at < SHARE_SECONDS])
    }
    chat_data[name] = kept
    return kept

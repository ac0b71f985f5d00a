"""What a person sends as several messages at once, taken as one: an album's files or photos
(`albums`), a text too long for one message, which Telegram's apps send cut in parts
(`ingest`). Each piece comes as an update of its own, handled one after another: the first
one's handler waits for the others (`gathered`), which the next ones' handlers hand it
(`joined`), until none has come for a moment."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from dataclasses import dataclass

from telegram import Message


@dataclass
class Pieces:
    members: list[Message]
    last_arrival: float  # the event loop's clock


Awaited = dict[Hashable, Pieces]


def expect(awaited: Awaited, key: Hashable, first: Message) -> None:
    """Messages `joined` under `key` from now on are `first`'s pieces: for a first piece whose
    handler runs later than the next pieces' may (in a task of its own)."""
    awaited[key] = Pieces([first], asyncio.get_running_loop().time())


async def gathered(awaited: Awaited, key: Hashable, first: Message, settle_seconds: float) -> list[Message]:
    """`first` and the messages `joined` to it under `key` (from now on, or since `expect`),
    once `settle_seconds` have passed without another."""
    if (pieces := awaited.get(key)) is None or pieces.members[0] is not first:
        expect(awaited, key, first)
    pieces = awaited[key]
    clock = asyncio.get_running_loop().time
    try:
        while (left := pieces.last_arrival + settle_seconds - clock()) > 0:
            await asyncio.sleep(left)
    finally:
        del awaited[key]
    return pieces.members


def joined(awaited: Awaited, key: Hashable, message: Message) -> bool:
    """Whether `message` is a piece of what is `gathered` under `key`: then handed to it."""
    pieces = awaited.get(key)
    if pieces is None:
        return False
    pieces.members.append(message)
    pieces.last_arrival = asyncio.get_running_loop().time()
    return True


def forget(awaited: Awaited, key: Hashable, first: Message) -> None:
    """`first`'s pieces awaited no more, when its handler ended without gathering them."""
    pieces = awaited.get(key)
    if pieces is not None and pieces.members[0] is first:
        del awaited[key]

"""Albums: several files or photos sent at once (a Telegram media group). They arrive as one
message each, and only one of them carries the caption the sender typed: taken one by one,
an album of three documents captioned /ingest added one and answered "renvoyez-le avec la
légende /ingest" to the two others. Answered as one, each of its documents is added (one status
each, as each may fail on its own), or, with no /ingest, one hint is given for the album."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import filters

from bot.permissions import may_ingest
from bot.telegram import messages as msg
from bot.telegram.context import Context
from bot.telegram.ingest import INGEST_CAPTION, asks_another_bot, ingest_message
from bot.telegram.pieces import gathered, joined
from bot.telegram.sending import reply

# Telegram sends an album's messages together (one getUpdates answer, or webhook calls made
# at once): an album is complete once this long has passed without another of its messages.
SETTLE_SECONDS = 1.0


class _InAlbum(filters.MessageFilter):
    def filter(self, message: Message) -> bool:
        return message.media_group_id is not None


IN_ALBUM = _InAlbum(name="IN_ALBUM")


def album_hint(members: Sequence[Message]) -> str:
    """What a private chat's album sent without /ingest is answered: what its sender may do
    with it, as a lone message of its kind is answered."""
    documents = sum(1 for m in members if m.document)
    if documents:
        return msg.DOCUMENTS_HINT if documents > 1 else msg.DOCUMENT_HINT
    if any(m.forward_origin and m.caption for m in members):  # a channel's post and its photos
        return msg.ARTICLE_HINT
    return msg.TEXT_ONLY


async def on_album_member(update: Update, context: Context) -> None:
    """One message of an album: kept with the others; the first one's handler waits until the
    album is complete, then answers for all (`answer_album`)."""
    message = update.effective_message
    albums = context.service.albums
    key = (message.chat_id, message.media_group_id)
    if not joined(albums, key, message):
        await answer_album(await gathered(albums, key, message, SETTLE_SECONDS), context)


async def answer_album(members: Sequence[Message], context: Context) -> None:
    command = next((m for m in members if m.caption and INGEST_CAPTION.match(m.caption)), None)
    first = members[0]
    if command is None:
        if first.chat.type == ChatType.PRIVATE:  # in a group, an album not addressed to the bot is not its business
            await reply(first, album_hint(members))
        return
    if asks_another_bot(command.caption, context):
        return
    if not may_ingest(command.from_user and command.from_user.id, context.service.settings):
        await reply(command, msg.e(msg.INGEST_REFUSED))  # once, not once per file
        return
    # Its documents one after another, in the order sent; an album of photos is its caption's text.
    for member in [m for m in members if m.document] or [command]:
        await ingest_message(member, context)

"""The source `/ingest` gives a message it is replied to: a public `t.me` link, or none."""

import pytest
from telegram import Message

from bot.telegram.ingest import origin_link

CHANNEL = {"id": -100123, "type": "channel", "title": "Ouest Info", "username": "ouestinfo"}
PRIVATE_CHANNEL = {"id": -100124, "type": "channel", "title": "Coulisses"}
ALICE = {"id": 2002, "type": "private", "first_name": "Alice", "username": "alice_fr"}
PUBLIC_GROUP = {"id": -100555, "type": "supergroup", "title": "Lecteurs", "username": "lecteurs_fr"}


def message(chat: dict, **extra) -> Message:
    data = {"message_id": 7, "date": 1_700_000_000, "chat": chat, "text": "Le pont rouvre lundi.", **extra}
    return Message.de_json(data, None)


def forwarded_from(chat: dict) -> dict:
    return {"forward_origin": {"type": "channel", "chat": chat, "message_id": 42, "date": 1_700_000_000}}


def test_a_post_forwarded_from_a_public_channel_links_to_that_post():
    assert origin_link(message(ALICE, **forwarded_from(CHANNEL))) == "https://t.me/ouestinfo/42"


def test_a_message_of_a_public_group_links_to_itself():
    assert origin_link(message(PUBLIC_GROUP)) == "https://t.me/lecteurs_fr/7"


@pytest.mark.parametrize(
    "sent",
    [
        message(ALICE),  # the user's own words in their private chat with the bot
        message(ALICE, forward_origin={"type": "hidden_user", "sender_user_name": "Bob", "date": 1_700_000_000}),
        message(ALICE, **forwarded_from(PRIVATE_CHANNEL)),  # a channel without a public name
    ],
)
def test_a_private_chat_gives_no_link_that_would_name_its_user(sent):
    assert origin_link(sent) is None

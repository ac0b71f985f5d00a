"""Which page a message shares: what `/ingest` in reply to it adds instead of its words."""

import pytest

from bot.chat_input import SHARED_LINK_WORDS, shared_link

PAGE = "https://www.exemple.fr/politique/reforme"


@pytest.mark.parametrize(
    ("text", "links"),
    [
        (PAGE, []),
        (f"À lire : {PAGE}.", [PAGE]),  # the entity's address, and the same one in the text with its full stop
        ("Le Conseil vote la réforme du stationnement", [PAGE]),  # a text link: the address is hidden
        (f"Le Conseil vote la réforme\n\n{PAGE}", []),  # a channel's headline and its link
    ],
)
def test_a_few_words_and_one_link_share_that_page(text, links):
    assert shared_link(text, links) == PAGE


@pytest.mark.parametrize(
    "text",
    [
        "Le Conseil municipal a adopté mardi la réforme du stationnement.",  # no link: the text is the article
        f"Deux pages : {PAGE} et https://www.exemple.fr/sport",
        " ".join(["mot"] * (SHARED_LINK_WORDS + 1)) + f" Source : {PAGE}",  # an article that cites its source
        f"titre: Brève\nurl: {PAGE}\n\nLe marché de Noël ouvre samedi place Kléber.",  # pasted, with its address
    ],
)
def test_a_message_with_no_link_several_links_or_many_words_shares_no_page(text):
    assert shared_link(text, []) is None

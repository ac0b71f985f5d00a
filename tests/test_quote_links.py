"""A source link lands on the quote: a text fragment (`#:~:text=…`) that browsers scroll to
and highlight, encoded so that no quote can break the link or its directive."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.replies import FRAGMENT_EDGE_WORDS, quote_link


def directive(link: str) -> list[str]:
    fragment = link.split("#", 1)[1]
    terms = fragment.split(":~:text=", 1)[1]
    assert "&" not in terms and "#" not in terms and " " not in terms
    return [unquote(term) for term in terms.split(",")]


def test_a_short_quote_is_the_whole_fragment_and_a_long_one_its_first_and_last_words():
    assert quote_link("https://exemple.fr/a", "Le pont sera fermé.") == (
        "https://exemple.fr/a#:~:text=Le%20pont%20sera%20ferm%C3%A9."
    )
    long = "Il faut donc aller vite pour éviter que des nouveaux territoires soient conquis, insiste-t-il."
    assert directive(quote_link("https://exemple.fr/a", long)) == [
        "Il faut donc aller",
        "territoires soient conquis, insiste-t-il.",
    ]


def test_the_link_keeps_its_own_fragment_and_replaces_an_older_directive():
    assert quote_link("https://exemple.fr/a#titre", "Bonjour").startswith("https://exemple.fr/a#titre:~:text=")
    assert directive(quote_link("https://exemple.fr/a#:~:text=ancien", "Bonjour")) == ["Bonjour"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"abcé -,&#%?=«»’'\"/:;.", "😀", "\u00a0"]), min_size=1, max_size=200))
def test_any_quote_gives_a_directive_that_decodes_to_its_words(quote):
    link = quote_link("https://exemple.fr/article?id=3", quote)
    words = quote.split()
    if not words:
        assert link == "https://exemple.fr/article?id=3"
        return
    decoded = directive(link)
    if len(decoded) == 1:
        assert decoded == [" ".join(words)]
    else:  # the syntax's own characters never appear unencoded inside a term
        assert decoded == [" ".join(words[:FRAGMENT_EDGE_WORDS]), " ".join(words[-FRAGMENT_EDGE_WORDS:])]
    assert all("-" not in part and "," not in part for part in link.split(":~:text=", 1)[1].split(","))

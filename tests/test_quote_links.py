"""A source link lands on the quote: a text fragment (`#:~:text=…`) that browsers scroll to
and highlight, encoded so that no quote can break the link or its directive."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.replies import FRAGMENT_EDGE_WORDS, FRAGMENT_WORDS, quote_link


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


def test_no_term_runs_over_a_paragraph_end():
    """A browser matches each term within one block of the page: a short quote of two
    paragraphs ("Fin du match.\n\nLorient 1 - Lyon 1", a short sentence joined with the
    next) or a long one whose first or last paragraph is short is linked by the first words
    of its first paragraph and the last of its last."""
    assert directive(quote_link("https://exemple.fr/a", "Fin du match.\n\nLorient 1 - Lyon 1")) == [
        "Fin du match.",
        "1 - Lyon 1",
    ]
    long = "Seul en Europe.\n\nPour les détracteurs du glyphosate, cette unanimité scientifique est suspecte."
    assert directive(quote_link("https://exemple.fr/a", long)) == [
        "Seul en Europe.",
        "unanimité scientifique est suspecte.",
    ]
    ending = "Le portier a perdu trop de temps avant de jouer un coup-franc.\n\nCarton jaune."
    assert directive(quote_link("https://exemple.fr/a", ending)) == ["Le portier a perdu", "Carton jaune."]


def test_what_the_reading_added_before_a_paragraph_is_left_out():
    """A page's list item is read "- item" (its mark is the browser's, not the page's text),
    and a live report's entry opens on its time ("16h45 – ", shown apart on the page)."""
    assert directive(quote_link("https://exemple.fr/a", "- STADE : Stade Yves Allainmat - Le Moustoir")) == [
        "STADE : Stade Yves Allainmat - Le Moustoir"
    ]
    assert directive(quote_link("https://exemple.fr/a", "- DATE : 27/09/2020\n\n- Horaires : 17h00")) == [
        "DATE : 27/09/2020",
        "Horaires : 17h00",
    ]
    entry = "16h45 – Le président a pris la parole.\n\n16h50 – Fin de la séance."
    assert directive(quote_link("https://exemple.fr/a", entry)) == ["Le président a pris", "Fin de la séance."]
    # A dash inside a sentence, or a number's sign, is the page's own.
    assert directive(quote_link("https://exemple.fr/a", "Lorient 1 - Lyon 0")) == ["Lorient 1 - Lyon 0"]
    assert directive(quote_link("https://exemple.fr/a", "-5 % sur un an")) == ["-5 % sur un an"]


def _paragraphs(quote: str) -> list[list[str]]:
    stripped = [line.strip() for line in quote.split("\n")]
    marked = [line[2:] if line[:1] in "-–—•·*" and line[1:2].isspace() else line for line in stripped]
    return [words for line in marked if (words := line.split())]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from([*"abcé -,&#%?=«»’'\"/:;.\n", "😀", "\u00a0"]), min_size=1, max_size=200))
def test_any_quote_gives_a_directive_that_decodes_to_its_words(quote):
    link = quote_link("https://exemple.fr/article?id=3", quote)
    paragraphs = _paragraphs(quote)
    if not paragraphs:
        assert link == "https://exemple.fr/article?id=3"
        return
    decoded = directive(link)
    if len(paragraphs) == 1 and len(paragraphs[0]) <= FRAGMENT_WORDS:
        assert decoded == [" ".join(paragraphs[0])]
    else:  # the syntax's own characters never appear unencoded inside a term
        assert decoded == [
            " ".join(paragraphs[0][:FRAGMENT_EDGE_WORDS]),
            " ".join(paragraphs[-1][-FRAGMENT_EDGE_WORDS:]),
        ]
    assert all("-" not in part and "," not in part for part in link.split(":~:text=", 1)[1].split(","))

"""A source link lands on the quote: a text fragment (`#:~:text=…`) that browsers scroll to
and highlight, encoded so that no quote can break the link or its directive."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC
from html import escape
from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.replies.json_forms import answer_json
from bot.replies.quote_links import FRAGMENT_EDGE_WORDS, FRAGMENT_WORDS, quote_link
from bot.telegram.inline import inline_results
from bot.telegram.messages import answer_pages
from index.documents import Block, Document


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
    """Its first paragraph's first words (at least FRAGMENT_EDGE_WORDS, more when the first
    ones recur), its last paragraph's last words; the whole quote when short. A browser
    highlights the quote on a page of its paragraphs, unless its last paragraph is said whole
    before its end, which no end term can tell apart."""
    link = quote_link("https://exemple.fr/article?id=3", quote)
    paragraphs = _paragraphs(quote)
    if not paragraphs:
        assert link == "https://exemple.fr/article?id=3"
        return
    decoded = directive(link)
    if len(paragraphs) == 1 and len(paragraphs[0]) <= FRAGMENT_WORDS:
        assert decoded == [" ".join(paragraphs[0])]
    elif len(decoded) == 1:  # a long paragraph whose first words recur in it: linked whole
        assert len(paragraphs) == 1 and decoded == [" ".join(paragraphs[0])]
    else:  # the syntax's own characters never appear unencoded inside a term
        start, end = decoded[0].split(), decoded[1].split()
        assert len(start) >= min(FRAGMENT_EDGE_WORDS, len(paragraphs[0])) and paragraphs[0][: len(start)] == start
        assert len(end) >= min(FRAGMENT_EDGE_WORDS, len(paragraphs[-1])) and paragraphs[-1][-len(end) :] == end
    assert all("-" not in part and "," not in part for part in link.split(":~:text=", 1)[1].split(","))
    page = [" ".join(words) for words in paragraphs]
    if shown(page).lower().count(page[-1].lower()) == 1:
        assert highlight(page, link) == (0, len(shown(page)))


# --- A link lands on the quote, not on the same words said earlier ---------------------------
URL = "https://exemple.fr/article"


def highlight(page: list[str], link: str) -> tuple[int, int] | None:
    """Where a browser that follows `link` highlights a page of these blocks (offsets in the
    blocks joined by line breaks, spaces collapsed): the WICG Text Fragments algorithm ("find a
    range from a text directive"), case-insensitive, each term within one block and at word
    boundaries, a prefix followed by nothing but spaces; None when nothing matches."""
    raw = link.split(":~:text=", 1)[1].split(",")
    prefix = unquote(raw.pop(0)[:-1]) if raw[0].endswith("-") else None
    start, end = unquote(raw[0]), (unquote(raw[1]) if len(raw) > 1 else None)
    text = shown(page).lower()

    def find(term: str, at: int, *, bounded_end: bool = True) -> re.Match | None:
        term = " ".join(term.split()).lower()
        opens = r"(?<!\w)" if re.match(r"\w", term) else ""
        closes = r"(?!\w)" if bounded_end and re.search(r"\w$", term) else ""
        return re.compile(opens + re.escape(term) + closes).search(text, at)

    searched = 0
    while True:
        if prefix is not None:
            before = find(prefix, searched, bounded_end=False)
            if before is None:
                return None
            searched = before.start() + 1
            at = before.end()
            while at < len(text) and text[at] in " \n":  # the next non-whitespace position
                at += 1
            match = find(start, at)
            if match is None or match.start() != at:
                continue
        else:
            match = find(start, searched)
            if match is None:
                return None
            searched = match.start() + 1
        if end is None:
            return match.span()
        last = find(end, match.end())
        return (match.start(), last.end()) if last is not None else None


def shown(page: list[str]) -> str:
    return "\n".join(" ".join(block.split()) for block in page)


def last_place(page: list[str], quote: str) -> tuple[int, int]:
    """Where the page shows `quote` the last time (where it is quoted from, in these tests)."""
    at = shown(page).rindex(" ".join(quote.split()))
    return at, at + len(" ".join(quote.split()))


def link_on(page: list[str], quote: str) -> str:
    """The link to the last `quote` of a page of these blocks (its title first, then the
    article's paragraphs), with what the page says above it as the bot reads it from the
    stored article: its title, and its text up to the quote."""
    title, text = page[0], "\n\n".join(page[1:])
    return quote_link(URL, quote, f"{title}\n\n{text[: text.rindex(quote)]}")


def test_a_quote_whose_first_words_were_said_earlier_is_highlighted_where_it_is():
    """A standfirst that repeats the sentence, the same phrase said before in lower case: a
    browser starts at the first place its start term occurs, so the link takes more of the
    quote's words until they occur nowhere above it."""
    page = [
        "Trottinettes : la Ville serre la vis",
        "Le règlement de la Ville interdit désormais les trottinettes sur les trottoirs.",
        "Le conseil municipal a adopté mardi soir une mesure attendue. Selon le maire, le règlement de la "
        "ville interdit désormais les trottinettes, mais aussi les vélos.",
        "Le règlement de la Ville interdit désormais les trottinettes sur les trottoirs du centre, sauf la nuit.",
    ]
    quote = page[-1]
    assert highlight(page, quote_link(URL, quote)) != last_place(page, quote)  # by its first words: the standfirst
    assert highlight(page, link_on(page, quote)) == last_place(page, quote)
    assert directive(link_on(page, quote)) == [
        "Le règlement de la Ville interdit désormais les trottinettes sur les trottoirs du",
        "centre, sauf la nuit.",
    ]


def test_a_title_that_says_the_quote_s_first_words_is_read_above_it():
    page = ["Le pont Wilson sera fermé tout l'été", "Le pont Wilson sera fermé tout l'été pour des travaux urgents."]
    quote = page[-1]
    assert highlight(page, link_on(page, quote)) == last_place(page, quote)
    assert directive(link_on(page, quote))[0] == "Le pont Wilson sera fermé tout l'été pour"


def test_a_short_quote_said_earlier_is_told_apart_by_the_words_before_it():
    """A quote of a few words, linked whole, said word for word above it: the link adds the
    words just before it (the spec's prefix), from its own paragraph or else the one above."""
    page = [
        "Travaux sur la Loire",
        "Le pont sera fermé. Les travaux dureront trois mois.",
        "Les travaux commencent lundi. Le pont sera fermé.",
    ]
    quote = "Le pont sera fermé."
    assert highlight(page, quote_link(URL, quote)) != last_place(page, quote)
    assert directive(link_on(page, quote)) == ["lundi.-", "Le pont sera fermé."]
    assert highlight(page, link_on(page, quote)) == last_place(page, quote)
    opening = [*page, "Le pont sera fermé.", "Les bus seront déviés."]  # opens its paragraph: the one above's end
    assert directive(link_on(opening[:-1], quote)) == ["fermé.-", "Le pont sera fermé."]
    assert highlight(opening, link_on(opening[:-1], quote)) == last_place(opening[:-1], quote)


def test_a_first_paragraph_said_whole_earlier_is_told_apart_by_the_end_of_the_one_above():
    """A standfirst that is the article's first paragraph word for word: the quote's own
    words cannot tell them apart; the end of the block above the quote can."""
    lead = "Le gouvernement a présenté mercredi un plan de rénovation des écoles, chiffré à deux milliards."
    page = ["Écoles : deux milliards", lead, "Par notre correspondant", lead, "Les travaux commenceront en 2025."]
    quote = f"{lead}\n\nLes travaux commenceront en 2025."
    link = quote_link(URL, quote, f"{page[0]}\n\n{lead}\n\nPar notre correspondant\n\n")
    assert directive(link)[0] == "correspondant-"
    start, end = highlight(page, link)
    assert shown(page)[start:end] == shown(page[-2:]) and start > len(lead)


def test_an_end_said_twice_in_the_quote_ends_the_highlight_at_the_quote_s_end():
    """A browser ends the highlight at the first place the end term occurs after the start:
    the end term takes more words until that place is the quote's end."""
    quote = "Il faut aller vite, a dit le ministre. Il faudra aller plus vite encore, a dit le ministre."
    assert directive(quote_link(URL, quote))[1] == "encore, a dit le ministre."
    assert highlight([quote], quote_link(URL, quote)) == (0, len(quote))


def test_what_the_reading_added_is_not_taken_for_the_page_s_words():
    """An entry's time ("16h45 – ") above a quote is not on the page where it reads, nor a
    list's "- ": the start term is checked against the words the page shows."""
    before = "Direct\n\n16h45 – Le président a pris la parole, sous les huées.\n\n"
    quote = "16h50 – Le président a pris la parole une seconde fois, et la salle s'est tue."
    page = ["Direct", "16h45", "Le président a pris la parole, sous les huées.", "16h50", quote[len("16h50 – ") :]]
    link = quote_link(URL, quote, before)
    assert directive(link) == ["Le président a pris la parole une", "la salle s'est tue."]
    assert highlight(page, link) == last_place(page, quote[len("16h50 – ") :])
    # Nor is a prefix taken above an entry's time, which the page shows between.
    entry = quote_link(URL, "16h50 – Le président a pris la parole.", before)
    assert not directive(entry)[0].endswith("-")


def test_an_embedded_tweet_s_signature_is_left_out_of_the_terms():
    """The reading joins a tweet's signature ("— Name (@handle) date", a block of its own on
    the page) to the tweet's words: the link ends with the tweet's words."""
    tweet = "Nous livrerons les premières voitures européennes dès le mois de mars"
    page = ["Tesla à Berlin", tweet, "— Elon Musk (@elonmusk) March 16, 2020"]
    assert directive(quote_link(URL, f"{tweet} — Elon Musk")) == ["Nous livrerons les premières", "le mois de mars"]
    assert highlight(page, quote_link(URL, f"{tweet} — Elon Musk")) == last_place(page, tweet)
    assert directive(quote_link(URL, "On y va ! — Elon Musk")) == ["On y va !"]
    # A sentence's own dash, or a paragraph ending on its punctuation, stays.
    assert directive(quote_link(URL, "Il a gagné — de peu.")) == ["Il a gagné — de peu."]
    assert directive(quote_link(URL, "Lorient 1 - Lyon 0")) == ["Lorient 1 - Lyon 0"]


def test_an_answer_s_links_land_on_its_quotes_in_their_articles(fast_library):
    """The answer's links are made with what the stored article says above each quote
    (`Library.texts_before`, read once for the answer): the quote whose first words the
    standfirst says too is highlighted where it is, in `ask --json` as in the bot."""
    paragraphs = [
        "Le règlement de la Ville interdit désormais les trottinettes sur les trottoirs.",
        *(
            f"Le conseil municipal en a débattu pendant {n} heures, entre élus de la majorité et de l'opposition, "
            "sans que les commerçants du quartier soient consultés sur les horaires de livraison."
            for n in range(2, 6)
        ),
        "Le règlement de la Ville interdit désormais les trottinettes sur les trottoirs du centre, sauf la nuit.",
    ]
    title = "Trottinettes : la Ville serre la vis"
    document = Document(title, tuple(Block("paragraph", p) for p in paragraphs), url=URL)
    fast_library.ingest([document])
    answer = fast_library.ask("trottinettes trottoirs du centre la nuit", top_k=3, mode="lexical")
    before_passages = fast_library.texts_before([r.passage_id for r in answer.results])
    result = next(r for r in answer.results if r.quote.endswith("sauf la nuit."))
    text = "\n\n".join(paragraphs)
    assert before_passages[result.passage_id] and text.startswith(before_passages[result.passage_id] + result.passage)
    page = [title, *paragraphs]
    link = next(r["link"] for r in answer_json(answer, 0.5, before_passages)["results"] if r["quote"] == result.quote)
    assert highlight(page, link) == last_place(page, result.quote)
    without = next(r["link"] for r in answer_json(answer, 0.5)["results"] if r["quote"] == result.quote)
    assert highlight(page, without) != last_place(page, result.quote)
    # The bot's answer, and an inline result, carry the same link.
    pages = answer_pages(answer, 5, 0.5, before_passages)
    assert any(f'href="{escape(link)}"' in page.text for page in pages)
    found = replace(answer, found=True)  # however sure the test's hashed vectors make it
    chosen = next(r for r in inline_results(found, 0.5, before_passages, zone=UTC) if r["id"] == str(result.passage_id))
    assert f'href="{escape(link)}"' in chosen["text"]


words_said_again = st.lists(st.sampled_from(["le", "chat", "l'eau", "é", "a-t-il", "2020,", "_x"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(words_said_again, words_said_again, st.integers(0, 60), st.booleans())
def test_a_term_is_found_where_the_spec_s_word_bounded_match_finds_it(text_words, term_words, start, bounded_end):
    """The page is searched for a term as the spec's word-bounded match reads it (a regular
    expression here: `(?<!\\w)term(?!\\w)`), without compiling one for each term tried: a quote
    said again and again tries hundreds of them."""
    from bot.replies.quote_links import _first_match

    text, term = " ".join(text_words), " ".join(term_words)
    opens = r"(?<!\w)" if re.match(r"\w", term) else ""
    closes = r"(?!\w)" if bounded_end and re.search(r"\w$", term) else ""
    expected = re.compile(opens + re.escape(term) + closes).search(text, min(start, len(text)))
    found = _first_match(text, term, min(start, len(text)), bounded_end=bounded_end)
    assert found == (expected.start() if expected else -1)


def test_a_quote_said_again_and_again_is_highlighted_at_its_place():
    """Hundreds of words said over and over, above and in the quote: its end tells it apart."""
    page = ["Le chat", "le chat " * 60, ("le chat " * 200) + "dort."]
    quote = page[-1].strip()
    assert highlight(page, link_on(page, quote)) == last_place(page, quote)

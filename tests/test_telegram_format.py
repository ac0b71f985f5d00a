"""Telegram messages: valid HTML, escaped, under 4096 characters, cut between passages."""

from datetime import UTC

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.permissions import is_admin, may_ingest, may_start_ingest
from bot.settings import Settings
from bot.telegram import messages as fmt
from bot.telegram.app import ADMIN_COMMANDS
from bot.telegram.inline import inline_results, posted_quote, posted_quote_topic
from bot.telegram.typography import french_spacing_html
from index.conversation import Topic
from index.library import Answer, LibraryStats, Result
from index.store import ArticleRow
from tests.telegram_html import check_telegram_html, visible_text


def article(**kwargs) -> ArticleRow:
    values = {"id": 7, "title": "Titre", "date": "2023-02", "author": None, "url": None, "source": None}
    return ArticleRow(**(values | kwargs), added_at="2026-11-25T10:00:00Z", passages=3)


def result(passage: str, quote: str, rank: int = 1, **kwargs) -> Result:
    start = passage.index(quote)
    return Result(rank, 0.1, rank, article(**kwargs), None, passage, start, start + len(quote))


def test_the_answering_sentence_is_highlighted_inside_a_blockquote_and_everything_is_escaped():
    passage = "Avant <script>. La société A&B a dit « 3 < 4 ». Après."
    html = fmt.result_html(
        result(passage, "La société A&B a dit « 3 < 4 ».", title="<b>Titre</b>", url='https://x.fr/?a=1&b="2"')
    )
    check_telegram_html(html)
    assert (
        "<blockquote expandable>Avant &lt;script&gt;. <b>La société A&amp;B a dit « 3 &lt; 4 ».</b> Après.</blockquote>"
        in html
    )
    assert (
        '<i>&lt;b&gt;Titre&lt;/b&gt;</i> — février 2023 — <a href="https://x.fr/?a=1&amp;b=&quot;2&quot;'
        '#:~:text=La%20soci%C3%A9t%C3%A9%20A%26B%20a,3%20%3C%204%20%C2%BB.">source</a>' in html  # lands on the quote
    )


def test_an_inline_answer_that_quotes_someone_s_words_shows_one_pair_of_guillemets():
    passage = "Avant. « Notre règlement n’a pas été respecté. » Après."
    html = fmt.inline_quote_html(result(passage, "« Notre règlement n’a pas été respecté. »"))
    check_telegram_html(html)
    assert html.startswith("<blockquote>« <b>Notre règlement n’a pas été respecté.</b> »</blockquote>")


@pytest.mark.parametrize(
    ("source", "origin"),
    [
        ("flux:Brèves de l'Ouest", "flux « Brèves de l'Ouest »"),
        ("telegram:rapport.pdf", "rapport.pdf"),
        (None, "ajouté le 25 novembre 2026"),  # pasted in a chat: the day it came
    ],
)
def test_a_quote_posted_inline_from_an_undated_article_without_link_says_where_it_comes_from(source, origin):
    """Posted in another chat, the reference is all a reader has of the article: never a title alone."""
    passage = "Avant. La digue sera relevée de deux mètres. Après."
    quoted = result(passage, "La digue sera relevée de deux mètres.", date=None, source=source)
    html = fmt.inline_quote_html(quoted, zone=UTC)
    check_telegram_html(html)
    assert visible_text(html).splitlines()[-1] == f"Titre — {origin}"
    assert posted_quote(visible_text(html)) == "La digue sera relevée de deux mètres."
    dated = fmt.inline_quote_html(result(passage, "La digue sera relevée de deux mètres.", source=source))
    assert visible_text(dated).splitlines()[-1] == "Titre — février 2023"  # a date says enough


def test_an_uncertain_answer_says_so_under_the_question_on_every_page():
    passages = [f"Passage {i}. La réponse {i} est ici." for i in range(4)]
    results = [result(p, f"La réponse {i} est ici.", rank=i + 1) for i, p in enumerate(passages)]
    uncertain = Answer("Quelle réponse ?", True, results, relevance=0.6)
    pages = fmt.answer_pages(uncertain, per_page=2, sure_from=0.9)
    assert len(pages) == 2
    for page in pages:
        check_telegram_html(page.text)
        assert page.text.splitlines()[1] == f"<i>{fmt.UNSURE_HEADER}</i>"
    assert "incertaine" not in fmt.answer_pages(uncertain, per_page=2, sure_from=0.5)[0].text


def test_inline_results_of_an_uncertain_answer_are_marked_so():
    passage = "Avant. La réponse est ici. Après."
    answer = Answer("Quelle réponse ?", True, [result(passage, "La réponse est ici.")], relevance=0.6)
    assert (
        inline_results(answer, sure_from=0.9, zone=UTC)[0]["description"] == f"{fmt.INLINE_UNSURE}La réponse est ici."
    )
    assert inline_results(answer, sure_from=0.5, zone=UTC)[0]["description"] == "La réponse est ici."


def test_a_source_link_is_shown_only_when_the_article_has_one():
    assert "<a " not in fmt.reference_html(article(source="/home/me/article.txt"))
    assert 'href="https://t.me/infogers/42"' in fmt.reference_html(article(source="https://t.me/infogers/42"))


def test_long_answers_are_cut_between_passages_and_stay_under_the_limit():
    passage = ("Une phrase de remplissage & de test < ici. " * 40).strip()
    answer = Answer(
        "Question ?", True, [result(passage, "Une phrase de remplissage & de test < ici.", rank=i) for i in range(1, 6)]
    )
    pages = fmt.answer_pages(answer, per_page=5, sure_from=0.9)
    for page in pages:
        check_telegram_html(page.text)
        assert len(page.text) <= fmt.MESSAGE_LIMIT
        assert page.text.count("<blockquote") == len(page.results) >= 1
    assert [r.rank for page in pages for r in page.results] == [1, 2, 3, 4, 5]  # nothing lost, in order
    assert len(pages) > 1 and "suite (2)" in pages[1].text


# Text that escapes at its longest (`&` → `&amp;`), emoji counted twice by Telegram, and plain words.
HOSTILE_TEXT = st.text(st.sampled_from("&<é🔎 a"), min_size=1, max_size=400)


@settings(max_examples=60, deadline=None)
@given(
    question=HOSTILE_TEXT,
    followed=st.one_of(st.none(), HOSTILE_TEXT),
    typos=st.integers(0, 150),
    title=HOSTILE_TEXT,
    query=HOSTILE_TEXT,
    passage=st.text(st.sampled_from("&<é a."), min_size=1, max_size=3000),
    relevance=st.sampled_from([0.6, 0.99]),
)
def test_every_answer_fits_a_message_whatever_its_question_notes_title_and_link(
    question, followed, typos, title, query, passage, relevance
):
    respelled = tuple((f"mot{i}x", f"mot{i}") for i in range(typos))
    url = "https://exemple.fr/article?" + query.replace(" ", "&")[:1000]
    found = Result(1, 0.1, 1, article(title=title, url=url), None, passage, 0, len(passage))
    answer = Answer(
        question, True, [found, found], relevance, topic=Topic(followed or question), follows=followed is not None,
        respelled=respelled,
    )  # fmt: skip
    for page in fmt.answer_pages(answer, per_page=2, sure_from=0.9):
        check_telegram_html(page.text)
        assert fmt.fits(page.text) and page.results


def test_a_very_long_passage_is_trimmed_around_the_quote():
    passage = "Début. " + "Mot " * 2000 + "La phrase qui répond est ici. " + "Fin " * 2000
    text, start, end = fmt.excerpt(passage, passage.index("La phrase"), passage.index("ici.") + 4)
    assert text[start:end] == "La phrase qui répond est ici."
    assert len(text) <= 1500 + 4 and text.startswith("… ") and text.endswith(" …")


def test_a_quote_longer_than_the_excerpt_is_cut_as_the_passage_writes_it():
    """What is shown in bold is the passage's own text, paragraph breaks kept, its "…" after it."""
    passage = "Avant. " + "Premier paragraphe du discours tenu hier.\n\nSecond paragraphe. " * 10 + "Fin."
    start = len("Avant. ")
    text, bold_start, bold_end = fmt.excerpt(passage, start, len(passage), 150)
    shown = text[bold_start:bold_end]
    assert passage[start : start + len(shown)] == shown and "\n\n" in shown
    assert len(text) <= 150 + 2 and text.startswith("… ") and text.endswith(" …") and text[bold_end:] == " …"


@pytest.mark.parametrize("page", [0, 1, 2])
def test_every_page_of_articles_is_valid_html(page):
    articles = [article(id=i, title=f"Article <{i}> & co") for i in range(1, 21)]
    html = fmt.articles_page_html(articles, page, 60, 20)
    check_telegram_html(html)
    assert f"page {page + 1}/3" in html and "&lt;1&gt; &amp; co" in html


def test_admins_and_ingest_permissions():
    settings = Settings(_env_file=None, admin_user_ids="1,2", ingest_admins_only=True)
    assert is_admin(1, settings) and not is_admin(3, settings) and not is_admin(None, settings)
    assert may_ingest(2, settings) and not may_ingest(3, settings)
    assert may_ingest(3, Settings(_env_file=None))


def test_ten_articles_being_added_at_once_is_a_users_most_but_not_an_admins():
    settings = Settings(_env_file=None, admin_user_ids="1")
    assert may_start_ingest(3, 9, settings) and not may_start_ingest(3, 10, settings)
    assert may_start_ingest(1, 10, settings)


def test_questions_are_limited_per_user_per_sliding_minute(two_bot_processes):
    state, other_process, now = two_bot_processes
    assert state.allow_question(1, 2) and other_process.allow_question(1, 2)
    assert not state.allow_question(1, 2) and not other_process.allow_question(1, 2)  # counted over both
    assert state.allow_question(2, 2)  # other users are not affected
    now[0] += 60.5
    assert state.allow_question(1, 2)


def test_an_article_deleted_on_one_replica_is_quoted_by_no_inline_answer_kept_for_reuse(two_bot_processes):
    state, other_process, _ = two_bot_processes
    quoted = ArticleRow(7, "Le pont", None, None, "https://journal.example/pont", None, "2025-01-01")
    results = [{"id": "7-1", "title": quoted.title, "text": "Le pont sera fermé du 3 au 7 mars."}]
    state.cache_inline("quand le pont ferme-t-il ?", results)
    assert other_process.cached_inline("quand le pont ferme-t-il ?", 60) == results  # shared by the replicas
    other_process.article_deleted(quoted)  # `/delete 7` on the other replica, which returned
    assert state.cached_inline("quand le pont ferme-t-il ?", 60) is None
    without_link = ArticleRow(8, "Collé", None, None, None, None, "2025-01-01")
    state.cache_inline("quand le pont ferme-t-il ?", results)
    other_process.article_deleted(without_link)
    assert state.cached_inline("quand le pont ferme-t-il ?", 60) is None


def test_a_quote_posted_from_inline_mode_is_read_back_from_its_text_and_found_in_its_passage():
    """What Telegram gives back of a posted quote is its text alone: the quote is read from it
    (its own guillemets, a long one cut with "…" and its spaces as shown), and the passage that
    holds it gives the topic a follow-up reads in, read on from the end of its sentence."""
    passage = "Avant.\n« Notre règlement n’a pas été   respecté », a dit la présidente. Après."
    quoted = result(passage, "« Notre règlement n’a pas été   respecté », a dit la présidente.", url="https://x.fr/a")
    posted = visible_text(french_spacing_html(fmt.inline_quote_html(quoted)))
    quote = posted_quote(posted)
    assert quote == "« Notre règlement n’a pas été respecté », a dit la présidente."
    assert posted_quote_topic(quote, Answer("", True, [quoted])) == Topic(quote, (7,), (1, quoted.quote_end))
    cut = posted_quote("« « Notre règlement n’a pas été… »\nTitre")
    assert posted_quote_topic(cut, Answer("", True, [quoted])) == Topic(cut, (7,), (1, quoted.quote_end))
    elsewhere = result("Un autre passage. Rien de tel.", "Rien de tel.")
    assert posted_quote_topic(quote, Answer("", True, [elsewhere])) == Topic(quote)  # its words alone
    card = fmt.detail_card_html(quoted.article, "author", zone=UTC)
    assert posted_quote(visible_text(card)) is None and posted_quote("« Rien »") is None


def test_admins_read_of_the_library_being_rebuilt_never_of_an_index():
    """ "Réindexation", "l'index": the engine's words; the command keeps its name, /reindex."""
    stats = LibraryStats(2, 9, "intfloat/multilingual-e5-small", 384, 120, 3_400_000, "/srv/citebot/data/index")
    said = [
        fmt.ADMIN_HELP.replace("/reindex", "/COMMANDE"),
        *(command.description for command in ADMIN_COMMANDS),
        fmt.INDEXING,
        fmt.ingest_progress_html(12, 40),
        fmt.REINDEX_STARTED,
        fmt.REINDEX_RUNNING,
        fmt.REINDEX_FAILED,
        fmt.reindex_progress_html(12, 40),
        fmt.reindex_done_html(2, 9, 1, 1),
        fmt.reindex_error_html("cette bibliothèque est déjà en cours de reconstruction"),
        fmt.stats_html(stats),
    ]
    assert [text for text in said if "index" in text.lower()] == []
    assert fmt.reindex_done_html(2, 9) == "✅ Bibliothèque reconstruite : 2 articles, 9 passages."
    assert fmt.stats_html(stats).endswith("Place occupée : 3,4 Mo")


def test_an_answer_s_source_link_to_a_host_that_could_pass_for_another_site_s_opens_its_ascii_form():
    spoof = "https://l\u0435monde.fr/politique/article"  # a Cyrillic « е »
    html = fmt.result_html(result("Le pont rouvrira en mai.", "Le pont rouvrira en mai.", url=spoof))
    assert 'href="https://xn--lmonde-3of.fr/politique/article#:~:text=' in html and "l\u0435monde" not in html
    french = "https://\u00e9lys\u00e9e.fr/actualites"
    assert f'href="{french}' in fmt.reference_html(article(url=french))

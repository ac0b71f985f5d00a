"""Hostile input, generated: whatever users send and articles hold, text processing
keeps its invariants and every message the bot can send is one Telegram accepts.

Example counts are bounded so that the module stays fast in the default run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.feeds import PollReport
from bot.state.answers import ShownResult
from bot.state.channels import ChannelRow
from bot.state.feedback import Vote
from bot.state.feeds import DroppedFeed, FeedRow
from bot.telegram import feed_messages as fmsg
from bot.telegram import messages as fmt
from index.chunking import CHARACTERS_PER_WORD, chunk_blocks, word_count
from index.conversation import Topic
from index.documents import Document, parse_text
from index.errors import InputError
from index.library import Answer, LibraryStats, Result
from index.sentences import sentence_spans
from index.sources import parse_bytes
from index.store import ArticleRow
from tests.telegram_html import check_telegram_html

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that break naive code: HTML specials, quotes, astral emoji (two UTF-16
# units), NUL and controls, combining accents, spaces of every width.
nasty_char = st.sampled_from([*"&<>\"'«»…—.!?:;,-/\\\n\t\x00\x07\u00a0\u202f\u200b\u0301", "😀", "𝒜", "é", " "])
word_char = st.characters(codec="utf-8", exclude_categories=["Cs"])
nasty_text = st.lists(st.one_of(nasty_char, word_char, st.just("Le vote. "), st.just("M. ")), max_size=300).map("".join)
long_text = st.builds(
    lambda unit, n: unit * n, st.sampled_from(["&", "😀", "<b>", "a", "é ", "&amp; "]), st.integers(0, 6000)
)
field = st.one_of(nasty_text, long_text)
url = st.one_of(
    st.none(),
    st.just('https://exemple.fr/a?x=1&y="2"'),
    st.builds(lambda path: "https://exemple.fr/" + path, field),
    st.sampled_from(["javascript:alert(1)", "ftp://x.fr/a", "/srv/citebot/data/article.txt", "telegram:notes.txt"]),
)


@st.composite
def articles(draw) -> ArticleRow:
    return ArticleRow(
        id=draw(st.integers(1, 10**12)),
        title=draw(field),
        date=draw(st.one_of(st.none(), st.sampled_from(["2023-02", "2023-02-01", "1999-12-31", "n'importe"]))),
        author=draw(st.one_of(st.none(), field)),
        url=draw(url),
        source=draw(url),
        added_at="2026-11-25T10:00:00Z",
        passages=draw(st.integers(0, 10**6)),
    )


@st.composite
def results(draw, rank: int = 1) -> Result:
    passage = draw(st.one_of(nasty_text, long_text).filter(bool))
    start = draw(st.integers(0, len(passage) - 1))
    end = draw(st.integers(start + 1, len(passage)))
    heading = draw(st.one_of(st.none(), field))
    alone = draw(st.one_of(st.none(), st.floats(0.0, 1.0)))  # another article's, marked less related below 0.9
    return Result(rank, 0.5, rank, draw(articles()), heading, passage, start, end, alone)


@st.composite
def answers(draw) -> Answer:
    count = draw(st.integers(1, 6))
    topic = draw(st.one_of(st.none(), st.builds(Topic, field)))  # a follow-up says what it followed
    relevance = draw(st.floats(0.5, 1.0))
    results_ = [draw(results(rank)) for rank in range(1, count + 1)]
    return Answer(draw(field), True, results_, relevance, topic=topic, follows=topic is not None)


@FAST
@given(answers(), st.integers(1, 5), st.sampled_from([0.0, 0.9, 1.0]))
def test_every_answer_page_is_valid_telegram_html_and_nothing_is_lost(answer, per_page, sure_from):
    pages = fmt.answer_pages(answer, per_page, sure_from)
    for page in pages:
        check_telegram_html(page.text)
        assert fmt.fits(page.text) and 1 <= len(page.results) <= per_page
    assert [r.rank for page in pages for r in page.results] == [r.rank for r in answer.results]


@FAST
@given(articles(), st.sampled_from(["added", "duplicate"]))
def test_every_article_message_is_valid_telegram_html(article, status):
    for html in (
        fmt.article_card_html(article, zone=UTC),
        fmt.ingest_html(status, article),
        fmt.deleted_html(article),
        fmt.articles_page_html([article] * 20, 0, 10**6, 20),
    ):
        check_telegram_html(html)
        assert fmt.fits(html)
    card = fmt.article_card_html(article, zone=UTC)
    assert "/srv/" not in card and "telegram:" not in card  # a file name at most, never a server path


@FAST
@given(field, field, st.integers(0, 10**9), st.integers(0, 10**9))
def test_every_other_message_is_valid_telegram_html(text, model, count, other):
    stats = LibraryStats(count, count, model, 384, 200, count, "/srv/citebot/data/index")
    for html in (
        fmt.error_html(text),
        fmt.ingest_error_html(text),
        fmt.reindex_error_html(text),
        fmt.failure_note_html(RuntimeError(text)),
        fmt.no_such_article_html(text),
        fmt.stats_html(stats),
        fmt.ingest_progress_html(min(count, other), max(count, other)),
        fmt.reindex_progress_html(min(count, other), max(count, other)),
        fmt.reindex_done_html(count, other, count % 7, other % 5),
        fmt.nothing_found_html(),
        fmt.empty_library_html(),
        fmt.inline_nothing_found_html(text),
        fmt.help_html(text, admin=True),
        fmt.feedback_html(
            {"approved": count, "rejected": other, "inline_chosen": count},
            [Vote(1, -1, text, (ShownResult(1, model, None, None, text, text),), 0.0)] * 5,
        ),
    ):
        check_telegram_html(html)
        assert fmt.fits(html)


# An article of neither date nor link whose source's name is 4,000 "&": 20,000 characters escaped.
NAMED_OF_AMPERSANDS = ArticleRow(1, "", None, None, None, "https://exemple.fr/" + "&" * 4000, "2026-11-25T10:00:00Z", 0)


@FAST
@given(results())
@example(Result(1, 0.5, 1, NAMED_OF_AMPERSANDS, None, "&", 0, 1))
def test_every_inline_result_message_is_valid_telegram_html(result):
    html = fmt.inline_quote_html(result)
    check_telegram_html(html)
    assert fmt.fits(html)


AMPERSANDS = ArticleRow(1, "&" * 585, None, None, None, 'https://exemple.fr/a?x=1&y="2"', "2026-11-25T10:00:00Z", 10)


@FAST
@given(st.lists(results(), min_size=1, max_size=5), st.sampled_from(["date", "author", "source", "title"]))
@example([Result(1, 0.5, 1, AMPERSANDS, None, "&", 0, 1)], "title")  # 585 "&" escaped: 2,925 characters
def test_every_article_details_message_is_valid_telegram_html(shown, detail):
    answer = Answer("Qui a écrit l'article ?", True, shown, 1.0, detail=detail)
    for html in fmt.details_html(answer, zone=UTC):
        check_telegram_html(html)
        assert fmt.fits(html)


@st.composite
def feeds(draw) -> FeedRow:
    return FeedRow(
        id=draw(st.integers(1, 10**12)),
        url=draw(url) or "https://exemple.fr/rss",
        title=draw(field),
        every_minutes=draw(st.floats(0.01, 10**5)),
        etag=None,
        last_modified=None,
        last_polled=draw(st.one_of(st.none(), st.floats(0, 2e9))),
        last_success=None,
        failures=draw(st.integers(0, 10**6)),
        last_error=draw(st.one_of(st.none(), field)),
        articles=draw(st.integers(0, 10**9)),
    )


@FAST
@given(
    st.lists(feeds(), max_size=60),
    st.lists(st.builds(ChannelRow, st.integers(), field, st.one_of(st.none(), field)), max_size=10),
    field,
)
@example([], [], "&" * 299)  # a title, an error and a reason of 299 "&": three times 1,495 characters escaped
def test_every_feed_message_is_valid_telegram_html(rows, channels, text):
    feed = rows[0] if rows else FeedRow(1, "https://exemple.fr/rss", text, 30, None, None, None, None, 0, None, 0)
    failed = text if len(text) % 2 else None
    report = PollReport(feed, [1, 2], 3, [(text, text)] * 7, error=failed, dropped=failed)
    for html in (
        fmsg.feeds_html(rows, channels, now=2e9),
        fmsg.followed_html(report),
        fmsg.already_followed_html(feed),
        fmsg.follow_error_html(text, text),
        fmsg.not_an_address_html(text),
        fmsg.not_an_interval_html(text),
        fmsg.unfollowed_html(feed),
        fmsg.not_followed_html(text),
        fmsg.channel_unknown_html(text),
        fmsg.channel_not_admin_html(text),
        fmsg.channel_followed_html(text),
        fmsg.channel_unfollowed_html(text),
        fmsg.feed_failing_html(replace(feed, last_error=text)),
        fmsg.feed_recovered_html(feed),
        fmsg.feed_dropped_html(DroppedFeed(feed.id, feed.url, feed.title, text, None)),
        fmsg.entries_given_up_html(feed, report.given_up),
        *(value for name, value in vars(fmsg).items() if name.isupper() and isinstance(value, str)),
    ):
        check_telegram_html(html)
        assert fmt.fits(html)


def test_every_fixed_message_is_valid_telegram_html():
    fixed = [value for name, value in vars(fmt).items() if name.isupper() and isinstance(value, str)]
    assert len(fixed) > 15
    for text in [*fixed, fmt.HELP + fmt.ADMIN_HELP]:
        check_telegram_html(text)


@FAST
@given(nasty_text)
def test_sentence_spans_are_ordered_trimmed_slices(text):
    previous = 0
    for start, end in sentence_spans(text):
        assert previous <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        previous = end


def _check_document(document: Document) -> None:
    text = document.text
    assert "\x00" not in text and document.title.strip()
    for max_words in (20, 200):
        for chunk in chunk_blocks(text, list(document.blocks), max_words):
            passage = text[chunk.start : chunk.end]
            assert passage.strip() and word_count(passage) <= max_words
            assert len(passage) <= max_words * CHARACTERS_PER_WORD


@FAST
@given(st.one_of(nasty_text, long_text), st.sampled_from([None, "notes.txt", "page.html", "a.md"]))
def test_any_text_is_parsed_into_bounded_passages_or_refused_clearly(text, name):
    for data in (text.encode("utf-8", "surrogatepass"), text.encode("utf-16") if text else b""):
        try:
            document = parse_bytes(data, name=name, source=None, max_bytes=1_000_000)
        except InputError as exc:
            assert str(exc)  # a French message, never a crash
            continue
        _check_document(document)


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_are_parsed_or_refused_clearly(data):
    try:
        document = parse_bytes(data, name=None, source=None, max_bytes=1_000_000)
    except InputError as exc:
        assert str(exc)
        return
    _check_document(document)


@FAST
@given(st.lists(st.sampled_from(["---\n", "title: ", "date: ", "2023-13-01", "[", "{", "&", "\n", "x"]), max_size=40))
def test_any_front_matter_is_read_or_left_as_text(parts):
    try:
        document = parse_text("".join(parts) + "\n\nLe conseil a voté la mesure mardi soir.")
    except InputError:
        return
    _check_document(document)

"""Telegram HTML for answers and lists: everything from users and articles is
escaped, every message stays under Telegram's 4096 characters, and long answers
are cut between passages, never inside a tag."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.replies import EMPTY_LIBRARY, NOTHING_FOUND, french_date, link_of
from index.library import Answer, LibraryStats, Result
from index.store import ArticleRow

MESSAGE_LIMIT = 4096
# Room kept for the question header and page marker around the passages.
_HEADER_ROOM = 400
_PASSAGE_LIMIT = 1500  # characters of passage shown around the quote


def e(text: str) -> str:
    return escape(text, quote=False)


def attribute(text: str) -> str:
    return escape(text, quote=True)


def excerpt(passage: str, start: int, end: int, limit: int = _PASSAGE_LIMIT) -> tuple[str, int, int]:
    """The passage, trimmed around the quote (with …) when longer than `limit`."""
    if len(passage) <= limit:
        return passage, start, end
    room = max(limit - (end - start), 0)
    left = max(start - room // 2, 0)
    right = min(end + (room - (start - left)), len(passage))
    left = max(min(left, right - limit), 0)
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(passage) else ""
    text = prefix + passage[left:right] + suffix
    shift = len(prefix) - left
    return text, max(start + shift, len(prefix)), min(end + shift, len(text) - len(suffix))


def reference_html(article: ArticleRow) -> str:
    parts = [f"<i>{e(article.title)}</i>"]
    if date := french_date(article.date):
        parts.append(e(date))
    if link := link_of(article):
        parts.append(f'<a href="{attribute(link)}">source</a>')
    return " — ".join(parts)


def result_html(result: Result) -> str:
    text, start, end = excerpt(result.passage, result.quote_start, result.quote_end)
    quoted = e(text[:start]) + "<b>" + e(text[start:end]) + "</b>" + e(text[end:])
    return f"<blockquote expandable>{quoted}</blockquote>\n{reference_html(result.article)}"


@dataclass(frozen=True)
class AnswerPage:
    text: str
    results: list[Result]


def answer_pages(answer: Answer, per_page: int) -> list[AnswerPage]:
    """The answer's results as messages of at most `per_page` passages, each under
    the limit; a passage that does not fit starts the next page."""
    pages: list[AnswerPage] = []
    header = f"🔎 <b>{e(answer.question[:300])}</b>"
    current: list[tuple[Result, str]] = []

    def close() -> None:
        number = len(pages)
        title = header + (f" — suite ({number + 1})" if number else "")
        pages.append(AnswerPage("\n\n".join([title, *(block for _, block in current)]), [r for r, _ in current]))
        current.clear()

    for result in answer.results:
        block = result_html(result)
        size = len(header) + _HEADER_ROOM + sum(len(b) + 2 for _, b in current) + len(block) + 2
        if current and (len(current) >= per_page or size > MESSAGE_LIMIT):
            close()
        current.append((result, block))
    if current:
        close()
    return pages


def nothing_found_html() -> str:
    return e(NOTHING_FOUND)


def empty_library_html() -> str:
    return e(EMPTY_LIBRARY)


def article_card_html(article: ArticleRow) -> str:
    lines = [f"<b>{e(article.title)}</b>"]
    if date := french_date(article.date):
        lines.append(f"Date : {e(date)}")
    if article.author:
        lines.append(f"Auteur : {e(article.author)}")
    if link := link_of(article):
        lines.append(f'Source : <a href="{attribute(link)}">{e(link)}</a>')
    elif article.source:
        lines.append(f"Source : {e(article.source)}")
    lines.append(f"Article {article.id} — {article.passages} passages, ajouté le {e(article.added_at[:10])}")
    return "\n".join(lines)


def ingest_html(status: str, article: ArticleRow) -> str:
    date = french_date(article.date)
    what = f"« {e(article.title)} »" + (f" ({e(date)})" if date else "")
    if status == "duplicate":
        return f"Cet article est déjà dans la bibliothèque : {what}, article {article.id}."
    return f"✅ Ajouté : {what}\n{article.passages} passages, article {article.id}."


def articles_page_html(articles: list[ArticleRow], page: int, total: int, per_page: int) -> str:
    if not articles:
        return empty_library_html()
    pages = max((total + per_page - 1) // per_page, 1)
    lines = [f"<b>Articles</b> ({total}) — page {page + 1}/{pages}"]
    for article in articles:
        date = french_date(article.date)
        lines.append(f"<code>{article.id}</code> {e(article.title)}" + (f" ({e(date)})" if date else ""))
    return "\n".join(lines)[:MESSAGE_LIMIT]


def stats_html(stats: LibraryStats) -> str:
    return (
        f"<b>Bibliothèque</b>\nArticles : {stats.articles}\nPassages : {stats.passages}\n"
        f"Modèle : {e(stats.model)} (dimension {stats.dimension})\n"
        f"Taille de l'index : {stats.index_bytes / 1_000_000:.1f} Mo"
    )


def error_html(message: str) -> str:
    return f"⚠️ {e(message)}"[:MESSAGE_LIMIT]

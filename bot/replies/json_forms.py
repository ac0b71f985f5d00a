"""The objects `--json` prints: an answer with its links, an article, the library's figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

from bot.native_libraries import Computing
from bot.replies.answers import is_less_related, is_unsure
from bot.replies.cards import link_of
from bot.replies.quote_links import quote_context, quote_link
from index.library import Answer, LibraryStats
from index.store import ArticleRow


def answer_json(answer: Answer, sure_from: float, before_passages: Mapping[int, str] | None = None) -> dict:
    """`ask --json`'s object for `answer`; `before_passages`: each passage's article before
    it (`Library.texts_before`), for links that land on the quote (`quote_link`)."""
    return {
        "question": answer.question,
        "found": answer.found,
        "relevance": round(answer.relevance, 4),  # the probability that the first result answers
        "sure": answer.found and not is_unsure(answer, sure_from),
        "detail": answer.detail,  # "date", "author", "source" or "title" when asked for (its card's)
        "read_on": answer.read_on,  # "read", "end", "gone" or "nowhere" for "La suite ?"
        "says_more": answer.says_more,  # whether "La suite ?" would read on after the first quote
        "respelled": [{"typed": typed, "read": read} for typed, read in answer.respelled],  # typos read through
        "results": [
            {
                "rank": r.rank,
                "score": round(r.score, 6),
                "article_id": r.article.id,
                "title": r.article.title,
                "date": r.article.date,
                "source": r.article.source or r.article.url,
                "passage": r.passage,
                "quote": r.quote,
                "link": quote_link(link, r.quote, quote_context(r, before_passages or {}))
                if (link := link_of(r.article))
                else None,
                # Another article's passage after a sure answer, less related than it (`is_less_related`).
                "less_related": is_less_related(answer, r, sure_from),
            }
            for r in answer.results
        ],
    }


def article_json(article: ArticleRow) -> dict:
    return {
        "article_id": article.id,
        "title": article.title,
        "date": article.date,
        "author": article.author,
        "url": article.url,
        "source": article.source,
        "passages": article.passages,
        "added_at": article.added_at,
    }


def stats_json(stats: LibraryStats, computing: Computing) -> dict:
    return asdict(stats) | {"computing": asdict(computing)}

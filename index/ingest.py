"""The ingest pipeline's pure parts: a document becomes an article ready to store
(chunked into passages, each split into sentences with the text embedded for each),
and the counting of embedded sentences for progress reports.

Each sentence is embedded on its own, read under its article's title and its section
heading: a question is then compared with every sentence, which finds the passage that
answers more often than one vector per passage, and says which sentence answers
(README, "How it works")."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

import numpy as np

from index.analysis import sentence_lines
from index.batching import Progress
from index.chunking import chunk_blocks
from index.cleaning import Block
from index.decoding import readable
from index.documents import META_VALUE_CHARS, Document
from index.embeddings import Embedder
from index.sentences import sentence_spans
from index.store import NewArticle, NewPassage, StoredArticle


@dataclass(frozen=True)
class Prepared:
    """An article ready to store, and what is embedded for each sentence of its passages
    (passage after passage)."""

    article: NewArticle
    contexts: list[str]

    @property
    def keys(self) -> list[str]:
        """What makes two articles the same one: their text, or their URL."""
        return [k for k in (self.article.content_hash, self.article.url) if k]


def content_hash(text: str) -> str:
    normalised = " ".join(text.casefold().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


def normalise_url(url: str | None) -> str | None:
    """Same page, same key: no fragment, no tracking parameters, no trailing slash."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (an unreadable port fails here)
    except ValueError:  # "http://[castor": not a page's address, kept as written
        return url.strip()
    if not parts.scheme or not parts.netloc:
        return url.strip()
    kept = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)  # SPIP's pages: "spip.php?article1234"
        if k and not k.lower().startswith(("utm_", "fbclid", "gclid"))
    ]
    query = "&".join(urlencode([(k, v)]) if v else quote_plus(k) for k, v in kept)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, query, ""))


# A title or a heading is read, before each sentence, to its first this many words: a longer
# one (a pasted line, a page's whole headline block) would leave the model no room for the
# sentence, and every sentence of the article the same vector.
CONTEXT_WORDS = 32


def passage_context(title: str, heading: str | None, passage: str) -> str:
    """What is embedded for a sentence, and searched for a passage: read under its title and heading."""
    return "\n".join(part for part in (_lead(title), _lead(heading), passage) if part)


def _lead(text: str | None) -> str | None:
    if not text or text.count(" ") < CONTEXT_WORDS:
        return text
    return " ".join(text.split()[:CONTEXT_WORDS])


def storable(document: Document) -> Document:
    """`document` as text a database stores: half of an emoji ("\\ud83d", a page's JSON-LD cut
    it) cannot be written, and failed the whole batch it came in (`readable` makes it U+FFFD);
    a title is at most `META_VALUE_CHARS`."""

    def text(value: str | None) -> str | None:
        return readable(value) if value else value

    title = readable(document.title)
    if len(title) > META_VALUE_CHARS:
        title = title[:META_VALUE_CHARS].rsplit(" ", 1)[0] + "…"
    return replace(
        document,
        title=title,
        blocks=tuple(replace(block, text=readable(block.text)) for block in document.blocks),
        date=text(document.date),
        author=text(document.author),
        url=text(document.url),
        source=text(document.source),
    )


def prepare(
    document: Document,
    max_words: int,
    *,
    article_id: int | None = None,
    added_at: str | None = None,
    latest_date: str | None = None,
) -> Prepared:
    """`latest_date` (ISO, "2026-12-06"): a publication date after it is none (a feed's
    "2099", an event's day read as the page's), and is dropped: it would head "Quoi de neuf ?"
    for years."""
    document = storable(document)
    if latest_date is not None and document.date is not None and document.date > latest_date:
        document = replace(document, date=None)
    text = document.text
    passages, contexts = [], []
    for position, chunk in enumerate(chunk_blocks(text, list(document.blocks), max_words)):
        passage = text[chunk.start : chunk.end]
        sentences = tuple(sentence_spans(passage)) or ((0, len(passage)),)
        # Searched under its title and heading (`passage_context`), their terms on the first line.
        terms_of_passage = sentence_lines(passage_context(document.title, chunk.heading, ""), passage, sentences)
        passages.append(NewPassage(position, chunk.start, chunk.end, chunk.heading, terms_of_passage, sentences))
        contexts.extend(passage_context(document.title, chunk.heading, passage[a:b]) for a, b in sentences)
    article = NewArticle(
        title=document.title,
        date=document.date,
        author=document.author,
        url=normalise_url(document.url),
        source=document.source,
        content_hash=content_hash(text),
        text=text,
        layout=tuple(block.kind for block in document.blocks),
        passages=tuple(passages),
        article_id=article_id,
        added_at=added_at,
    )
    return Prepared(article, contexts)


def prepare_stored(stored: StoredArticle, max_words: int) -> Prepared:
    """A stored article prepared again (a reindex), keeping its id, date of addition and link
    as stored: its link was made a key when it was added, and made again under today's rule
    it could meet another article's (which the copy would then take for a duplicate)."""
    row = stored.row
    blocks = tuple(Block(kind, part) for kind, part in zip(stored.layout, stored.text.split("\n\n")))
    document = Document(row.title, blocks, row.date, row.author, row.url, row.source)
    prepared = prepare(document, max_words, article_id=row.id, added_at=row.added_at)
    return replace(prepared, article=replace(prepared.article, url=row.url))


class SentenceCounter:
    """Progress in embedded sentences over several embedding calls: `progress(done, total)`."""

    def __init__(self, progress: Progress | None, total: int = 0) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def expect(self, passages: int) -> None:
        """More passages to come: shown at once, so the total is there before any work."""
        self.total += passages
        if self.progress:
            self.progress(self.done, self.total)

    def advance(self, passages: int) -> None:
        self.done += passages
        self.total = max(self.total, self.done)
        if self.progress:
            self.progress(self.done, self.total)

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts`, reporting progress as each batch of the model is done."""
        if not texts:
            return np.empty((0, embedder.dimension), dtype=np.float32)
        base = self.done

        def report(done: int, _total: int) -> None:
            if self.progress:
                self.progress(base + done, max(self.total, base + done))

        vectors = embedder.embed_passages(list(texts), report if self.progress else None)
        self.done = base
        self.advance(len(texts))
        return vectors

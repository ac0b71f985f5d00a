"""The ingest pipeline's pure parts: a document becomes an article ready to store
(chunked into passages, each split into sentences with the text embedded for each),
and the counting of embedded sentences for progress reports.

Each sentence is embedded on its own, read under its article's title and its section
heading: a question is then compared with every sentence, which finds the passage that
answers more often than one vector per passage, and says which sentence answers
(README, "How it works")."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from index.analysis import passage_context, stored_terms
from index.batching import Progress
from index.chunking import CHARACTERS_PER_WORD, chunk_blocks, word_count
from index.cleaning import Block
from index.decoding import readable
from index.documents import META_VALUE_CHARS, Document
from index.embeddings import Embedder
from index.errors import ArticleTooLong
from index.sentences import sentence_spans
from index.store import NewArticle, NewPassage, StoredArticle
from index.web_addresses import same_page_links


@dataclass(frozen=True)
class Prepared:
    """An article ready to store, and what is embedded for each sentence of its passages
    (passage after passage)."""

    article: NewArticle
    contexts: list[str]

    @property
    def keys(self) -> list[str]:
        """What makes two articles the same one: their text, or their URL (however written)."""
        article = self.article
        return [k for k in (article.content_hash, *article.text_hashes, article.url, *article.url_variants) if k]


def content_hash(text: str) -> str:
    """The same text, the same hash, however it is typed: case, spacing and punctuation aside
    (’ or ', « » or "", a non-breaking space, a dash), its words in their order."""
    normalised = " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))
    return hashlib.sha256(normalised.encode()).hexdigest()


def earlier_content_hash(text: str) -> str:
    """The hash earlier versions gave a text (its case and spacing aside): the key of the
    articles they added, looked for too."""
    normalised = " ".join(text.casefold().split())
    return hashlib.sha256(normalised.encode()).hexdigest()


_WORD = re.compile(r"\w+")


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


def within_article_words(document: Document, max_words: int) -> Document:
    """`document`, unless its text has more than `max_words` words (`ArticleTooLong`): checked
    before it is embedded, which costs a sentence's worth of model time for every twenty words
    or so, where counting them costs a split of the text (under a second for 20 MB). Text
    without spaces counts a word every `CHARACTERS_PER_WORD` characters, as passages are cut in
    it: 20 MB of it, one "word", was 5,000 passages to embed (French averages 6 characters a word,
    so this never counts a text of words otherwise)."""
    words = sum(max(word_count(b.text), len(b.text) // CHARACTERS_PER_WORD) for b in document.blocks)
    if words > max_words:
        raise ArticleTooLong(words, max_words)
    return document


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
        terms_of_passage = stored_terms(document.title, chunk.heading, passage, sentences)
        passages.append(NewPassage(position, chunk.start, chunk.end, chunk.heading, terms_of_passage, sentences))
        contexts.extend(passage_context(document.title, chunk.heading, passage[a:b]) for a, b in sentences)
    (stored_hash, *other_hashes), links = _keys(document)
    url, *other_urls = links or [None]
    article = NewArticle(
        title=document.title,
        date=document.date,
        author=document.author,
        url=url,
        source=document.source,
        content_hash=stored_hash,
        url_variants=tuple(other_urls),
        text_hashes=tuple(other_hashes),
        text=text,
        layout=tuple(block.kind for block in document.blocks),
        passages=tuple(passages),
        article_id=article_id,
        added_at=added_at,
    )
    return Prepared(article, contexts)


def article_keys(document: Document) -> tuple[list[str], list[str]]:
    """The text hashes and links the library will know `document` by once stored, as
    `NewArticle.duplicate_keys` gives them, without cutting it into passages: what finds its
    article again without the document (`Library.stored_under`), after a crash in its ingest."""
    return _keys(storable(document))


def _keys(document: Document) -> tuple[list[str], list[str]]:
    """`article_keys` of a document made `storable` already: the stored hash and link first."""
    text = document.text
    return [content_hash(text), earlier_content_hash(text)], same_page_links(document.url)


def prepare_stored(stored: StoredArticle, max_words: int) -> Prepared:
    """A stored article prepared again (a reindex), keeping its id, date of addition and keys
    (its link and its text's hash) as stored: they were made when it was added, and made
    again under today's rules they could meet another article's (two articles an earlier rule
    told apart, "http://" and "https://", ’ and '), which the copy would then take for a
    duplicate. A copy looks for no other way of writing them."""
    row = stored.row
    blocks = tuple(Block(kind, part) for kind, part in zip(stored.layout, stored.text.split("\n\n")))
    document = Document(row.title, blocks, row.date, row.author, row.url, row.source)
    prepared = prepare(document, max_words, article_id=row.id, added_at=row.added_at)
    kept = replace(prepared.article, url=row.url, content_hash=stored.content_hash, url_variants=(), text_hashes=())
    return replace(prepared, article=kept)


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

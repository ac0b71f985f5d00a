"""The peers measured in the same run: txtai (hybrid faiss + BM25) and bm25s (lexical baseline).

Both index exactly the passages our library holds (each passage read under its
title and heading, as we embed and search it) and answer with our passage ids,
so that hits are scored by the same function as ours.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

Ranked = list[int]  # passage ids, best first


class TxtaiPeer:
    """txtai's `Embeddings(hybrid=True)`: faiss dense index + its BM25 scoring, fused by txtai.

    `model_folder`: txtai loads the same sentence-transformers folder itself, with
    the E5 prompts. `vectors`: instead, a function giving vectors for passages and
    questions (used at scale, where the passages carry recycled vectors)."""

    name = "txtai"

    def __init__(self, *, model_folder: Path | None = None, vectors: Callable | None = None) -> None:
        from txtai import Embeddings

        # On the CPU, as citebot: txtai would take a GPU it finds (`gpu` defaults to true).
        config: dict = {"hybrid": True, "content": False, "backend": "faiss", "gpu": False}
        if vectors is not None:
            self._transform = _Switch(vectors)
            config |= {
                "method": "external",
                "transform": lambda texts: self._transform(texts),
            }  # txtai wants a function
        else:
            config |= {
                "path": str(model_folder),
                "method": "sentence-transformers",
                "instructions": {"query": "query: ", "data": "passage: "},
            }
        self._embeddings = Embeddings(config)

    def index(self, ids: Sequence[int], texts: Sequence[str]) -> float:
        started = time.perf_counter()
        self._embeddings.index([(int(i), text, None) for i, text in zip(ids, texts)])
        if hasattr(self, "_transform"):
            self._transform.querying = True
        return time.perf_counter() - started

    def search(self, question: str, k: int = 5) -> Ranked:
        return [int(i) for i, _ in self._embeddings.search(question, k)]

    def embed_questions_with(self, vectors) -> None:
        """At scale: which encoder embeds the questions (`vectors.embed_queries`)."""
        self._transform.vectors = _Questions(vectors, self._transform.vectors)


class _Questions:
    def __init__(self, questions, passages) -> None:
        self.questions, self.passages = questions, passages

    def embed_queries(self, texts):
        return self.questions.embed_queries(texts)

    def embed_passages(self, texts):
        return self.passages.embed_passages(texts)


class _Switch:
    """txtai's external transform sees only texts: passages while indexing, questions after."""

    def __init__(self, vectors) -> None:
        self.vectors = vectors
        self.querying = False

    def __call__(self, texts):
        texts = list(texts)
        return self.vectors.embed_queries(texts) if self.querying else self.vectors.embed_passages(texts)


class Bm25sPeer:
    """bm25s with the same French Snowball stemmer and French stop words."""

    name = "bm25s"

    def __init__(self) -> None:
        import bm25s
        import Stemmer

        self._bm25s = bm25s
        self._stemmer = Stemmer.Stemmer("french")
        self._retriever = bm25s.BM25()
        self._ids = np.empty(0, np.int64)

    def _tokens(self, texts: Sequence[str]):
        return self._bm25s.tokenize(list(texts), stopwords="fr", stemmer=self._stemmer, show_progress=False)

    def index(self, ids: Sequence[int], texts: Sequence[str]) -> float:
        started = time.perf_counter()
        self._retriever.index(self._tokens(texts), show_progress=False)
        self._ids = np.asarray(ids, dtype=np.int64)
        return time.perf_counter() - started

    def search(self, question: str, k: int = 5) -> Ranked:
        tokens = self._tokens([question])
        if not len(tokens.vocab):
            return []
        k = min(k, len(self._ids))
        documents, scores = self._retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [int(self._ids[d]) for d, score in zip(documents[0], scores[0]) if score > 0]

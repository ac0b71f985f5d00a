"""Scale corpora for the benchmark: real French text recombined, real vectors recycled.

The lexical side must index real French text, so scale articles are made of
paragraphs of the eval articles (and the sample) drawn at random: every passage
is real prose, every article a new combination. The dense side reuses the real
model's vectors of the eval passages with a small perturbation (embedding a
million passages would take hours here), which keeps the geometry of real
vectors: clusters, norms, neighbours.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from index.cleaning import Block
from index.documents import Document
from index.embeddings import Embedder, Progress
from tests.conftest import SAMPLE, SHARED_EVAL


def eval_paragraphs(articles_path: Path = SHARED_EVAL / "articles.jsonl") -> list[str]:
    paragraphs = []
    for line in articles_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            paragraphs += [p.strip() for p in json.loads(line)["text"].split("\n\n") if len(p.split()) >= 20]
    paragraphs += [p.strip() for p in SAMPLE.read_text(encoding="utf-8").split("\n") if len(p.split()) >= 20]
    return paragraphs


def scale_documents(paragraphs: Sequence[str], count: int, seed: int = 0) -> Iterator[Document]:
    """`count` articles of 4 to 8 random real paragraphs each."""
    rng = random.Random(seed)
    for number in range(count):
        chosen = rng.sample(range(len(paragraphs)), rng.randint(4, 8))
        blocks = tuple(Block("paragraph", paragraphs[i]) for i in chosen)
        yield Document(f"Article de charge {number}", blocks, source=f"bench:{number}")


class RecycledVectors:
    """An `Embedder` whose passage vectors are real ones, perturbed; queries use the real model."""

    def __init__(self, real: Embedder, pool: np.ndarray, noise: float = 0.02) -> None:
        self.name, self.dimension = real.name, real.dimension
        self._real, self._pool, self._noise = real, pool, noise

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._real.embed_queries(texts)

    def prepare_for_questions(self, closing: Callable[[], bool]) -> None:
        """The real model's way for questions asked alone, as the bot's library readies it."""
        prepare = getattr(self._real, "prepare_for_questions", None)
        if prepare is not None:
            prepare(closing)

    def embed_passages(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            vector = self._pool[seed % len(self._pool)] + rng.normal(0, self._noise, self.dimension)
            out[row] = vector / np.linalg.norm(vector)
        return out

"""The vector store seam: arrays in, arrays out; it never sees text or models.

`VectorStore` is what the library needs from any engine (FAISS here; a vector
database when one machine is not enough). Ids are the passages' stable SQLite
ids, so adding or deleting an article never renumbers anything.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path

import faiss
import numpy as np


class VectorStore(ABC):
    dimension: int

    @abstractmethod
    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add unit vectors (float32, n × dimension) under int64 ids."""

    @abstractmethod
    def remove(self, ids: np.ndarray) -> None: ...

    @abstractmethod
    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Inner-product scores and ids (−1 where fewer than k exist), each n × k."""

    @abstractmethod
    def get(self, ids: np.ndarray) -> np.ndarray:
        """The stored vectors of `ids` (n × dimension)."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def save(self, path: Path) -> None: ...


class FaissVectorStore(VectorStore):
    """Exact inner-product search over an id-mapped FAISS flat index."""

    def __init__(self, dimension: int, index: faiss.Index | None = None) -> None:
        self.dimension = dimension
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))

    @classmethod
    def load(cls, path: Path) -> FaissVectorStore:
        index = faiss.read_index(str(path))
        return cls(index.d, index)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of dimension {self.dimension}, got shape {vectors.shape}")
        self._index.add_with_ids(vectors, np.ascontiguousarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> None:
        if len(ids):
            self._index.remove_ids(np.ascontiguousarray(ids, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if len(self) == 0:
            n = queries.shape[0]
            return np.zeros((n, k), np.float32), np.full((n, k), -1, np.int64)
        return self._index.search(queries, k)

    def get(self, ids: np.ndarray) -> np.ndarray:
        return np.vstack([self._index.reconstruct(int(i)) for i in ids]).astype(np.float32)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def save(self, path: Path) -> None:
        faiss.write_index(self._index, str(path))

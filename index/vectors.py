"""The vector store seam: arrays in, arrays out; it never sees text or models.

`VectorStore` is what the library needs from any engine (FAISS here; a vector
database when one machine is not enough). Ids are the passages' stable SQLite
ids, so adding or deleting an article never renumbers anything.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

# FAISS is imported in the functions that use it: a command that only reads the bot's state or
# copies its files (feeds, unfollow, feedback, backup) imports this module without loading it.
if TYPE_CHECKING:
    import faiss


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
    def __len__(self) -> int: ...

    @abstractmethod
    def save(self, path: Path) -> None:
        """Write the store to `path`, whole: what `load` reads back."""

    @classmethod
    @abstractmethod
    def load(cls, path: Path) -> VectorStore:
        """The store `save` wrote to `path`."""


# Below this many vectors, search is exact. A flat scan is memory-bandwidth bound and
# grows with the library (README, "Performance", has its times).
APPROXIMATE_FROM = 50_000
# A single question's scan of an approximate index is split over the cores (FAISS's
# `parallel_mode` 1: the probed cells shared out) once it reads about this many vectors; below,
# what splitting saves is small (README, "How it works", step 4, has the times).
SPLIT_SCAN_FROM = 4_000
# Cells probed by the approximate index (`probes_for`): at least 32.
MIN_NPROBE = 32
SMALL_IVF_CELLS = 1024


def cells_for(count: int) -> int:
    """IVF cells for `count` vectors: about 4·√n, a power of two."""
    return 1 << max(4, round(math.log2(4 * math.sqrt(max(count, 1)))))


def probes_for(cells: int) -> int:
    """Cells a search probes: one in 8 of a small index (its cells hold few vectors each, so
    recall needs more of them and the scan stays cheap), one in 64 of a larger one. Recall@10
    against exact search is in the README ("Performance"): a sentence index of 90k vectors
    (1,024 cells) found 0.90 of the exact top 10 with 32 probes, 0.96 with 128."""
    if cells <= SMALL_IVF_CELLS:
        return max(MIN_NPROBE, cells // 8)
    return max(64, cells // 64)


def training_size(count: int) -> int:
    """Vectors an IVF layout for `count` vectors is trained on: 64 a cell, as FAISS advises."""
    return min(count, 64 * cells_for(count))


class FaissVectorStore(VectorStore):
    """Exact inner-product search while the library is small, then an inverted-file
    index with 8-bit scalar quantisation (IVF-SQ8): a quarter of the memory, and a
    search that reads a few cells instead of every vector. `build` chooses the layout
    for a number of vectors; adding never retrains: `layout_outdated` says when the
    library has grown enough to need a new layout, which its owner builds aside
    (`index.live_vectors`), so that questions never wait for a training."""

    def __init__(
        self,
        dimension: int,
        index: faiss.Index | None = None,
        *,
        approximate_from: int = APPROXIMATE_FROM,
        mapped: bool = False,
        source: Path | None = None,
        split_scan_from: int = SPLIT_SCAN_FROM,
    ) -> None:
        self.dimension = dimension
        self.approximate_from = approximate_from
        self.split_scan_from = split_scan_from
        self.mapped = mapped  # a read-only view of a snapshot file ...
        self.source = source  # ... this one
        self._index = index if index is not None else _exact(dimension)
        if self.approximate:
            _tune_ivf(self._index, mapped)

    @classmethod
    def load(cls, path: Path, *, approximate_from: int = APPROXIMATE_FROM, mapped: bool = False) -> FaissVectorStore:
        """The index saved in `path`: read into memory, or `mapped` read-only from the file
        (opens in milliseconds whatever its size; pages are read as searches touch them; it
        must not be changed: FAISS aborts the process on a change to a mapped index)."""
        import faiss

        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC if mapped else 0)
        return cls(index.d, index, approximate_from=approximate_from, mapped=mapped, source=path if mapped else None)

    @classmethod
    def build(
        cls, dimension: int, ids: np.ndarray, vectors: np.ndarray, *, approximate_from: int = APPROXIMATE_FROM
    ) -> FaissVectorStore:
        """An index of these vectors in the layout their number calls for (IVF: trained on them)."""
        count = len(ids)
        sample = None
        if count >= approximate_from:
            picked = np.random.default_rng(0).choice(count, min(count, training_size(count)), replace=False)
            sample = vectors[np.sort(picked)]
        return cls.build_from(dimension, count, sample, [(ids, vectors)], approximate_from=approximate_from)

    @classmethod
    def build_from(
        cls,
        dimension: int,
        count: int,
        sample: np.ndarray | None,
        batches: Iterable[tuple[np.ndarray, np.ndarray]],
        *,
        approximate_from: int = APPROXIMATE_FROM,
    ) -> FaissVectorStore:
        """An index of `count` vectors given in `batches`, laid out for their number; an IVF
        layout is trained on `sample` first (`training_size(count)` of them), so that the
        vectors never have to be held in memory all at once (at a million passages they
        would take over 10 GB as float32)."""
        import faiss

        if count < approximate_from or sample is None:
            store = cls(dimension, approximate_from=approximate_from)
        else:
            index = faiss.index_factory(dimension, f"IVF{cells_for(count)},SQ8", faiss.METRIC_INNER_PRODUCT)
            index.train(np.ascontiguousarray(sample, dtype=np.float32))
            store = cls(dimension, index, approximate_from=approximate_from)
        for ids, vectors in batches:
            if len(ids):
                store.add(ids, vectors)
        return store

    @property
    def raw(self) -> faiss.Index:
        """The FAISS index itself (to serialise a snapshot)."""
        return self._index

    @property
    def approximate(self) -> bool:
        import faiss

        return isinstance(self._index, faiss.IndexIVF)

    @property
    def kind(self) -> str:
        return f"IVF{self._index.nlist},SQ8 (nprobe {self._index.nprobe})" if self.approximate else "Flat (exact)"

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self._writable()
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of dimension {self.dimension}, got shape {vectors.shape}")
        if len(ids) != len(vectors):  # FAISS would read past the end of the ids
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        self._index.add_with_ids(vectors, np.ascontiguousarray(ids, dtype=np.int64))

    def layout_outdated(self, count: int | None = None) -> bool:
        """Whether the library (of `count` vectors: by default, this index's) has outgrown this
        layout (exact → IVF, or IVF → twice the cells)."""
        count = len(self) if count is None else count
        if count < self.approximate_from:
            return False
        return not self.approximate or cells_for(count) > 2 * self._index.nlist

    def remove(self, ids: np.ndarray) -> None:
        self._writable()
        if len(ids):
            self._index.remove_ids(np.ascontiguousarray(ids, dtype=np.int64))

    def _writable(self) -> None:
        if self.mapped:
            raise ValueError("a mapped snapshot is read-only (FAISS would abort the process)")

    def search(
        self, queries: np.ndarray, k: int, excluded: faiss.IDSelector | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """`excluded`: ids left out of the results (an overlay's removed vectors)."""
        import faiss

        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if len(self) == 0:
            n = queries.shape[0]
            return np.zeros((n, k), np.float32), np.full((n, k), -1, np.int64)
        params = None
        if excluded is not None:
            selector = faiss.IDSelectorNot(excluded)
            if self.approximate:
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        with _threads(None if queries.shape[0] >= 20 or self._long_scan() else 1):
            return self._index.search(queries, k, params=params)

    def _long_scan(self) -> bool:
        """Whether one question's search reads enough vectors to be worth splitting."""
        return self.approximate and self._index.nprobe * len(self) / self._index.nlist >= self.split_scan_from

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        import faiss

        if not self.approximate:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        lists = self._index.invlists
        parts = [
            faiss.rev_swig_ptr(lists.get_ids(cell), lists.list_size(cell)).copy()
            for cell in range(lists.nlist)
            if lists.list_size(cell)
        ]
        return np.sort(np.concatenate(parts)).astype(np.int64) if parts else np.empty(0, np.int64)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self._index, str(path))


@contextmanager
def _threads(count: int | None) -> Iterator[None]:
    """One OpenMP thread for a question or a few, unless the scan is long: splitting little
    work costs more than it saves, and spinning threads fight the query encoder's (a flat
    search's p95 fell tenfold at 16k vectors: README, "Performance")."""
    import faiss

    if count is None:
        yield
        return
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(count)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)


def _exact(dimension: int) -> faiss.Index:
    import faiss

    return faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))


def _tune_ivf(index: faiss.Index, mapped: bool) -> None:
    """Search settings. No direct map from id to cell: removing (deletions only) scans the
    cells' ids instead, and in exchange the index is lighter in memory, and loads and maps
    faster (README, "The index directory")."""
    import faiss

    index.nprobe = probes_for(index.nlist)
    index.parallel_mode = 1  # threads share out a question's cells (one question at a time, mostly)
    if index.direct_map.type != faiss.DirectMap.NoMap and not mapped:
        index.set_direct_map_type(faiss.DirectMap.NoMap)


class SnapshotOverlay:
    """A snapshot mapped read-only, with the changes made since on top: the vectors added
    since in a small exact index, the vectors removed since masked out of the snapshot's
    results. It answers from the moment a library opens, whatever the snapshot's size; it is
    never saved itself: the next snapshot is made aside and replaces it, mapped in turn, and a
    new layout replaces it too (`index.live_vectors`)."""

    def __init__(self, base: FaissVectorStore) -> None:
        self.base = base
        self.dimension = base.dimension
        self.added = FaissVectorStore(base.dimension, approximate_from=2**62)  # exact: it stays small
        self._removed = np.empty(0, np.int64)
        self._excluded: faiss.IDSelector | None = None

    @property
    def approximate(self) -> bool:
        return self.base.approximate

    @property
    def kind(self) -> str:
        return self.base.kind

    def layout_outdated(self) -> bool:
        return self.base.layout_outdated(len(self.base) + len(self.added))  # removals aside: an upper bound

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.added.add(ids, vectors)

    def remove(self, ids: np.ndarray) -> None:
        import faiss

        if not len(ids):
            return
        self.added.remove(ids)
        self._removed = np.union1d(self._removed, np.asarray(ids, dtype=np.int64))
        self._excluded = faiss.IDSelectorBatch(self._removed)  # copies the ids into its own set

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        base_scores, base_ids = self.base.search(queries, k, excluded=self._excluded)
        if len(self.added) == 0:
            return base_scores, base_ids
        added_scores, added_ids = self.added.search(queries, k)
        scores = np.concatenate([base_scores, added_scores], axis=1)
        ids = np.concatenate([base_ids, added_ids], axis=1)
        scores = np.where(ids < 0, -np.inf, scores)  # empty slots never outrank a vector
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(scores, order, axis=1), np.take_along_axis(ids, order, axis=1)

    def ids(self) -> np.ndarray:
        held = np.setdiff1d(self.base.ids(), self._removed, assume_unique=True)
        return np.union1d(held, self.added.ids())

    def __len__(self) -> int:
        return len(self.ids())

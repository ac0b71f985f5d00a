"""The next snapshot of an approximate index, written from the previous one list by list.

FAISS saves an inverted-file index as a header (the trained coarse quantizer and scalar
quantiser, the vector count) followed by its inverted lists: "ilar", the number of lists and
the code size, every list's size (or the non-empty lists' numbers and sizes, when they are
few), then each non-empty list's codes and ids, list after list (`write_InvertedLists` in
FAISS's `impl/index_write.cpp`). Changes since a snapshot touch only the lists, so the next
snapshot is the previous file's header with its count updated, then each of its lists less
the vectors removed since, plus those added since, encoded as `add_with_ids` would encode
them. Read from the old file and written to the new one a list at a time, a save holds one
list and the added vectors' codes in memory: reading the old snapshot in to bring it up to
date held the whole index once more (2 GB at a million passages; README, "The index
directory"). The result is byte for byte what `faiss.write_index` writes of the same index.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

# FAISS is imported in the functions that use it: a command that only reads the bot's state or
# copies its files (feeds, unfollow, feedback, backup) imports this module without loading it.
if TYPE_CHECKING:
    import faiss

# Bytes of the previous file's header copied at a time.
COPY_CHUNK = 8 << 20
_ID_BYTES = 8
_LISTS = b"ilar"
_ALL_SIZES, _SOME_SIZES = b"full", b"sprs"
_COUNT_AT = 8  # the vector count (int64) follows the index's fourcc and its dimension (int32)


class NotMergeable(ValueError):
    """The snapshot file is not laid out as this module reads it (another FAISS format, a
    direct map to keep up to date): the caller saves the index another way."""


@dataclass(frozen=True)
class Additions:
    """Vectors added since a snapshot, encoded for its lists and sorted by list."""

    lists: np.ndarray  # the list of each vector (int64, ascending)
    codes: np.ndarray  # their codes (uint8, n × code size)
    ids: np.ndarray  # their ids (int64)

    def bounds(self, nlist: int) -> np.ndarray:
        """Where each list's additions start in the arrays (nlist + 1 offsets)."""
        return np.searchsorted(self.lists, np.arange(nlist + 1))


def encode_additions(index: faiss.IndexIVF, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> Additions:
    """The (ids, vectors) of `batches` encoded for `index`'s lists, as adding them would:
    each vector's nearest cell by the coarse quantizer, its code (of the residual, when the
    index encodes residuals). Only codes are kept: a quarter of the vectors' memory."""
    import faiss

    lists, codes, ids = [np.empty(0, np.int64)], [np.empty((0, index.code_size), np.uint8)], [np.empty(0, np.int64)]
    for batch_ids, vectors in batches:
        if not len(batch_ids):
            continue
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        cells = np.ascontiguousarray(index.quantizer.assign(vectors, 1).ravel(), dtype=np.int64)
        encoded = np.empty((len(vectors), index.code_size), np.uint8)
        index.encode_vectors(len(vectors), faiss.swig_ptr(vectors), faiss.swig_ptr(cells), faiss.swig_ptr(encoded))
        lists.append(cells)
        codes.append(encoded)
        ids.append(np.asarray(batch_ids, dtype=np.int64))
    cells, encoded, keys = np.concatenate(lists), np.concatenate(codes), np.concatenate(ids)
    order = np.argsort(cells, kind="stable")  # within a list, in the order they were given
    return Additions(cells[order], encoded[order], keys[order])


@dataclass(frozen=True)
class _Layout:
    header_end: int  # where the inverted lists start (the header is copied up to there)
    data_start: int  # where the first non-empty list's codes start
    sizes: np.ndarray  # every list's size


def _layout(index: faiss.IndexIVF, file: int, file_size: int) -> _Layout:
    """Where the previous file's header ends and its lists' data begin, found from the
    index's list sizes (the lists are the file's last section) and checked against the
    file's own bytes."""
    import faiss

    if index.direct_map.type != faiss.DirectMap.NoMap:
        raise NotMergeable("the index keeps a direct map from ids to lists")
    lists = index.invlists
    nlist, code_size = lists.nlist, lists.code_size
    sizes = np.array([lists.list_size(cell) for cell in range(nlist)], dtype=np.int64)
    size_words = nlist if _sizes_kind(sizes) == _ALL_SIZES else 2 * int(np.count_nonzero(sizes))
    table = 4 + 8 + 8 + 4 + 8 + 8 * size_words
    data = int(sizes.sum()) * (code_size + _ID_BYTES)
    header_end = file_size - table - data
    if header_end <= _COUNT_AT + 8:
        raise NotMergeable("the file is shorter than its lists")
    head = os.pread(file, table, header_end)
    if (
        head[:4] != _LISTS
        or struct.unpack_from("=QQ", head, 4) != (nlist, code_size)
        or head[20:24] != _sizes_kind(sizes)
        or not np.array_equal(np.frombuffer(head, np.uint64, offset=32).astype(np.int64), _size_table(sizes))
    ):
        raise NotMergeable("the file's inverted lists are not where the index says")
    (count,) = struct.unpack("=q", os.pread(file, 8, _COUNT_AT))
    if count != index.ntotal:
        raise NotMergeable("the file's vector count is not the index's")
    return _Layout(header_end, header_end + table, sizes)


def _sizes_kind(sizes: np.ndarray) -> bytes:
    """FAISS lists every size when more than half the lists hold vectors, else only those."""
    return _ALL_SIZES if np.count_nonzero(sizes) > len(sizes) // 2 else _SOME_SIZES


def _size_table(sizes: np.ndarray) -> np.ndarray:
    if _sizes_kind(sizes) == _ALL_SIZES:
        return sizes
    held = np.flatnonzero(sizes)
    return np.column_stack([held, sizes[held]]).ravel().astype(np.int64)


def write_merged(
    source: Path,
    index: faiss.IndexIVF,
    additions: Additions,
    removed: Callable[[np.ndarray], np.ndarray] | None,
    out: BinaryIO,
) -> int:
    """Write to `out` the snapshot at `source` (opened as `index`, mapped: only its list
    sizes and quantizers are read from it) less the vectors whose ids `removed` marks (a
    boolean mask for an array of ids; None: nothing removed), plus `additions` (encoded for
    `index`). The number of vectors written."""
    file = os.open(source, os.O_RDONLY)
    try:
        layout = _layout(index, file, os.fstat(file).st_size)
        code_size, nlist = index.code_size, len(layout.sizes)
        bounds = additions.bounds(nlist)
        starts = layout.data_start + np.concatenate([[0], np.cumsum(layout.sizes)[:-1]]) * (code_size + _ID_BYTES)

        def kept(cell: int) -> tuple[np.ndarray, np.ndarray]:
            """The ids of `cell` in the old file and which of them stay."""
            size = int(layout.sizes[cell])
            ids = np.frombuffer(os.pread(file, size * _ID_BYTES, int(starts[cell]) + size * code_size), np.int64)
            return ids, np.ones(size, bool) if removed is None else ~np.asarray(removed(ids), dtype=bool)

        new_sizes = layout.sizes + np.diff(bounds)
        if removed is not None:  # a first pass over the ids alone, for the new sizes
            for cell in np.flatnonzero(layout.sizes):
                new_sizes[cell] -= layout.sizes[cell] - int(np.count_nonzero(kept(cell)[1]))
        count = int(new_sizes.sum())

        _copy_header(file, layout.header_end, count, out)
        out.write(_LISTS + struct.pack("=QQ", nlist, code_size) + _sizes_kind(new_sizes))
        table = _size_table(new_sizes)
        out.write(struct.pack("=Q", len(table)) + table.astype(np.uint64).tobytes())
        for cell in np.flatnonzero(new_sizes):
            added = slice(bounds[cell], bounds[cell + 1])
            size = int(layout.sizes[cell])
            if size:
                ids, keep = kept(cell)
                codes = np.frombuffer(os.pread(file, size * code_size, int(starts[cell])), np.uint8)
                out.write(codes.reshape(size, code_size)[keep].tobytes())
                out.write(additions.codes[added].tobytes())
                out.write(ids[keep].tobytes())
            else:
                out.write(additions.codes[added].tobytes())
            out.write(additions.ids[added].tobytes())
        return count
    finally:
        os.close(file)


def _copy_header(file: int, end: int, count: int, out: BinaryIO) -> None:
    """The previous file's bytes up to its lists, with the new vector count."""
    at = 0
    for _ in range(end // COPY_CHUNK + 1):
        chunk = os.pread(file, min(COPY_CHUNK, end - at), at)
        if at == 0:
            chunk = chunk[:_COUNT_AT] + struct.pack("=q", count) + chunk[_COUNT_AT + 8 :]
        out.write(chunk)
        at += len(chunk)
        if at >= end:
            return
    raise NotMergeable("the file ended inside its header")

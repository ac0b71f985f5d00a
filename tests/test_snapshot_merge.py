"""The next snapshot of an approximate index is written from the previous file and the
changes since, a list at a time: the same bytes FAISS writes of the index brought up to
date, so that every process opens it as any other snapshot."""

from __future__ import annotations

import io
from pathlib import Path

import faiss
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.directory import DATABASE, snapshots
from index.library import Library
from index.snapshot_merge import NotMergeable, encode_additions, write_merged
from index.storage import LocalBackend
from index.store import SENTENCE_SLOTS, Store
from tests.conftest import HashingEmbedder
from tests.test_atomic_writes import article, consistent
from tests.test_vectors import unit_vectors

DIMENSION, CELLS = 32, 64


@pytest.fixture(scope="module")
def trained_layout() -> bytes:
    """An IVF-SQ8 layout as the library trains it (inner product), empty, serialised."""
    index = faiss.index_factory(DIMENSION, f"IVF{CELLS},SQ8", faiss.METRIC_INNER_PRODUCT)
    index.train(unit_vectors(4000, DIMENSION, seed=3))
    index.nprobe = 8
    return faiss.serialize_index(index)


def filled(layout: bytes, ids: np.ndarray, vectors: np.ndarray) -> faiss.IndexIVF:
    index = faiss.deserialize_index(layout)
    if len(ids):
        index.add_with_ids(vectors, ids)
    return index


def merged(path: Path, added_ids: np.ndarray, added: np.ndarray, gone: set[int]) -> tuple[bytes, int]:
    """The snapshot at `path` less `gone`, plus the added vectors (given in two batches)."""
    mapped = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    half = len(added_ids) // 2
    additions = encode_additions(mapped, [(added_ids[:half], added[:half]), (added_ids[half:], added[half:])])
    removed = (lambda ids: np.isin(ids, sorted(gone))) if gone else None
    out = io.BytesIO()
    count = write_merged(path, mapped, additions, removed, out)
    return out.getvalue(), count


@settings(max_examples=40, deadline=None)
@given(
    old=st.integers(0, 600),
    new=st.integers(0, 80),
    removed_share=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    seed=st.integers(0, 2**16),
)
def test_a_merged_snapshot_is_byte_for_byte_what_faiss_writes_of_the_index_brought_up_to_date(
    trained_layout, tmp_path_factory, old, new, removed_share, seed
):
    """Whatever the old lists hold, whatever is removed (whole lists emptied, the size table
    switching between FAISS's full and sparse forms) and added: the old vectors that stay, in
    their order, then the added ones, as `add_with_ids` would have laid them out."""
    rng = np.random.default_rng(seed)
    old_ids = rng.permutation(10**6)[:old].astype(np.int64)
    old_vectors = unit_vectors(old, DIMENSION, seed=seed)
    new_ids = np.arange(new, dtype=np.int64) + 2 * 10**6
    new_vectors = unit_vectors(new, DIMENSION, seed=seed + 1)
    gone = set(old_ids[rng.random(old) < removed_share].tolist())
    path = tmp_path_factory.mktemp("merge") / "base.faiss"
    faiss.write_index(filled(trained_layout, old_ids, old_vectors), str(path))

    written, count = merged(path, new_ids, new_vectors, gone)

    stays = np.array([i not in gone for i in old_ids], dtype=bool)
    expected = filled(trained_layout, old_ids[stays], old_vectors[stays])
    if new:
        expected.add_with_ids(new_vectors, new_ids)
    assert count == expected.ntotal == old - len(gone) + new
    assert written == faiss.serialize_index(expected).tobytes()


def test_the_merged_file_opens_mapped_and_finds_the_added_vectors_and_not_the_removed(trained_layout, tmp_path):
    vectors = unit_vectors(700, DIMENSION, seed=11)
    path = tmp_path / "base.faiss"
    faiss.write_index(filled(trained_layout, np.arange(500), vectors[:500]), str(path))
    written, _ = merged(path, np.arange(500, 700), vectors[500:], gone={3, 4})
    (tmp_path / "next.faiss").write_bytes(written)
    index = faiss.read_index(str(tmp_path / "next.faiss"), faiss.IO_FLAG_MMAP_IFC)
    index.nprobe = CELLS
    found = index.search(vectors[[3, 4, 600, 650]], 5)[1]
    assert 600 in found[2] and 650 in found[3]  # 8-bit codes: among the closest, not always first
    assert not {3, 4} & set(found.ravel().tolist())


def test_a_file_not_laid_out_as_its_index_says_is_refused_and_the_output_left_unwritten(trained_layout, tmp_path):
    vectors = unit_vectors(300, DIMENSION)
    path = tmp_path / "base.faiss"
    faiss.write_index(filled(trained_layout, np.arange(300), vectors), str(path))
    mapped = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC)
    additions = encode_additions(mapped, [])
    other = tmp_path / "other.faiss"  # another snapshot's bytes: its lists are not where `mapped` has them
    faiss.write_index(filled(trained_layout, np.arange(200), vectors[:200]), str(other))
    out = io.BytesIO()
    with pytest.raises(NotMergeable):
        write_merged(other, mapped, additions, None, out)
    assert out.getvalue() == b""


def test_a_library_saves_its_next_approximate_snapshot_from_the_previous_one_and_the_log(tmp_path, caplog):
    """Written and deleted after the first snapshot, saved by merging: a new process opens
    the merged snapshot and holds exactly the stored passages' vectors; and without deletions
    it is the file FAISS writes of the previous snapshot brought up to date in memory."""
    caplog.set_level("INFO", logger="index.live_vectors")
    backend = LocalBackend(tmp_path / "idx", approximate_from=200, snapshot_every=(3, 3))
    with Library(backend, HashingEmbedder(), max_words=60) as library:
        library.ingest([article(n) for n in range(150)])  # an approximate layout, snapshotted
        library.vector_index.wait()
        library.ingest([article(n) for n in range(600, 605)])
        library.vector_index.wait()
        store = library._current().store
        with store.read():
            (newest, newest_path), (previous, previous_path) = snapshots(tmp_path / "idx", store.library_id())[:2]
            assert newest == store.last_change()  # the newest holds every change: it is the one compared
            added = store.changes_after(previous).added
            keys, vectors = store.sentence_vectors(added, HashingEmbedder.dimension)
        brought_up_to_date = faiss.read_index(str(previous_path))
        brought_up_to_date.add_with_ids(vectors, keys)
        assert newest_path.read_bytes() == faiss.serialize_index(brought_up_to_date).tobytes()

        library.delete(library.ask("conseil numéro 7").results[0].article.id)
        library.ingest([article(n) for n in range(700, 704)])
        library.vector_index.wait()
        written = library.vector_index.snapshots_written
    assert written >= 3  # the layout, then two merged
    assert "not merged" not in caplog.text  # none saved from a copy instead
    reopened = LocalBackend(tmp_path / "idx", approximate_from=200)
    with Library(reopened, HashingEmbedder(), max_words=60) as library:
        held = {int(k) // SENTENCE_SLOTS for k in library.vector_index.held_keys()}
        assert library.ask("conseil numéro 702").results[0].article.title == "Article 702"
        assert all(r.article.title != "Article 7" for r in library.ask("conseil numéro 7").results)
    store = Store(tmp_path / "idx" / DATABASE)
    with store.read():
        assert held == set(store.passage_ids())
    store.close()
    consistent(tmp_path / "idx")

"""The vector store picks exact or approximate search by size, and keeps ids stable either way."""

import numpy as np
import pytest

from index.vectors import FaissVectorStore, SnapshotOverlay, cells_for


def unit_vectors(count: int, dimension: int = 32, seed: int = 0) -> np.ndarray:
    clusters = np.random.default_rng(seed).normal(size=(40, dimension))
    rng = np.random.default_rng(seed + 1)
    vectors = clusters[rng.integers(0, 40, count)] + rng.normal(0, 0.3, (count, dimension))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_a_small_library_is_searched_exactly():
    store = FaissVectorStore(32, approximate_from=1000)
    vectors = unit_vectors(500)
    store.add(np.arange(10, 510), vectors)
    scores, ids = store.search(vectors[:3], 1)
    assert not store.approximate and ids[:, 0].tolist() == [10, 11, 12]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)


def test_past_the_threshold_the_layout_is_ivf_with_high_recall_and_the_same_ids(tmp_path):
    vectors = unit_vectors(6000)
    exact = FaissVectorStore(32, approximate_from=10**9)
    exact.add(np.arange(6000) * 3, vectors)
    growing = FaissVectorStore(32, approximate_from=4000)
    growing.add(np.arange(4500) * 3, vectors[:4500])
    assert not growing.approximate and growing.layout_outdated()  # adding never retrains
    store = FaissVectorStore.build(32, np.arange(6000) * 3, vectors, approximate_from=4000)
    assert store.approximate and store.kind.startswith(f"IVF{cells_for(6000)},SQ8") and not store.layout_outdated()
    queries = unit_vectors(100, seed=7)
    truth, found = exact.search(queries, 10)[1], store.search(queries, 10)[1]
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found)])
    assert recall >= 0.9
    assert sorted(store.ids().tolist()) == (np.arange(6000) * 3).tolist()
    scores, ids = store.search(vectors[3:4], 1)
    assert ids[0, 0] == 9 and abs(scores[0, 0] - 1.0) < 0.02  # 8-bit codes: close, not equal

    store.remove(np.array([0, 3, 6]))
    store.save(tmp_path / "v.faiss")
    loaded = FaissVectorStore.load(tmp_path / "v.faiss", approximate_from=4000)
    assert loaded.approximate and len(loaded) == 5997
    assert not {0, 3, 6} & set(loaded.search(vectors[:3], 5)[1].ravel().tolist())


def test_a_long_scan_split_over_the_cores_finds_what_one_thread_finds():
    vectors = unit_vectors(6000)
    built = FaissVectorStore.build(32, np.arange(6000) * 7, vectors, approximate_from=4000)
    one_thread = FaissVectorStore(32, built.raw, approximate_from=4000)
    split = FaissVectorStore(32, built.raw, approximate_from=4000, split_scan_from=0)  # every scan is long
    assert split.approximate and split._long_scan() and not one_thread._long_scan()
    for question in vectors[:25:5]:  # one question at a time, as they are asked
        scores, ids = split.search(question[None], 40)
        expected_scores, expected_ids = one_thread.search(question[None], 40)
        assert ids.tolist() == expected_ids.tolist() and np.array_equal(scores, expected_scores)


def test_an_approximate_index_is_outgrown_when_the_library_needs_twice_the_cells():
    store = FaissVectorStore.build(32, np.arange(1000), unit_vectors(1000), approximate_from=1000)
    store.add(np.arange(1000, 3000), unit_vectors(2000, seed=3))
    assert not store.layout_outdated()
    store.add(np.arange(3000, 9000), unit_vectors(6000, seed=4))
    assert store.layout_outdated() and cells_for(9000) > 2 * cells_for(1000)


def test_a_mapped_snapshot_answers_with_the_changes_made_since_on_top(tmp_path):
    vectors = unit_vectors(3000)
    FaissVectorStore.build(32, np.arange(3000), vectors, approximate_from=1000).save(tmp_path / "v.faiss")
    mapped = FaissVectorStore.load(tmp_path / "v.faiss", approximate_from=1000, mapped=True)
    with pytest.raises(ValueError, match="read-only"):  # FAISS itself would abort the process
        mapped.add(np.array([5000]), vectors[:1])
    overlay = SnapshotOverlay(mapped)
    newcomers = unit_vectors(20, seed=9)
    overlay.add(np.arange(5000, 5020), newcomers)
    overlay.remove(np.array([1, 2, 5003, 99_999]))  # from the snapshot, from the newcomers, and unknown
    assert len(overlay) == 3000 - 2 + 20 - 1
    assert overlay.search(newcomers[4:5], 1)[1][0, 0] == 5004
    found = overlay.search(vectors[:3], 10)[1]
    assert found[0, 0] == 0 and not {1, 2, 5003} & set(found.ravel().tolist())
    scores, ids = overlay.search(vectors[:1], 3100)
    assert (ids[0] >= 0).sum() <= len(overlay) and np.all(np.diff(scores[0][ids[0] >= 0]) <= 1e-6)  # best first

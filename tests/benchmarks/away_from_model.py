"""Our answers against txtai's index given our question encoder ("away from the model"), on a
library the benchmark built, in one process: each system's questions in a block of their own
(as the benchmark's main figures are timed, minutes apart), then, on other questions, question
by question alternately, so that both see the same machine whatever it does meanwhile (a shared
host's speed drifts within a run: two whole runs on one CPU class gave 0.76× and 0.91×). The
library is readied for questions as the bot's is (`prepare_for_questions`: the question network
and the in-memory lexicon; the bot's switch interval matters only beside writes, and there are
none), with the benchmark's recycled vectors, as the benchmark's own answer timings are.
`python -m tests.benchmarks.run` reports the alternate figures beside its own; this command
measures them alone, in about three minutes.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.away_from_model /tmp/bench-work
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.evaluation import load_questions
from index.library import Library
from tests.benchmarks.corpus import SHARED_EVAL, RecycledVectors
from tests.benchmarks.peers import TxtaiPeer
from tests.benchmarks.readied import readied_as_the_bot
from tests.benchmarks.work import recycled_vectors, scale_library, work_arguments

WARMUP = 20


def timed(ask: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    ask(question)
    return time.perf_counter() - started


def milliseconds(seconds: Sequence[float]) -> dict[str, float]:
    return {f"p{p}": round(float(np.percentile(seconds, p)) * 1000, 2) for p in (50, 95)}


def paired_timings(
    directory: Path,
    embedder: RecycledVectors,
    txtai_search: Callable[[str], object],
    in_blocks: Sequence[str],
    in_turn: Sequence[str],
    max_words: int,
) -> dict:
    """Answer latencies (p50 / p95 ms) of the library at `directory`, readied for questions,
    and of `txtai_search`, after both answered `WARMUP` questions of `in_blocks` (or of `in_turn`
    when there are none): on `in_blocks` each system's in a block, then on `in_turn` (other
    questions: one asked again finds its terms' counts, stems and pages in caches) question by
    question, who goes first alternating too."""
    with Library(directory, embedder, max_words=max_words) as library:
        readied_as_the_bot(library)

        def ours(question: str) -> object:
            return library.ask(question, top_k=5)

        for question in list(in_blocks or in_turn)[:WARMUP]:
            ours(question), txtai_search(question)
        blocks = [[timed(ours, q) for q in in_blocks], [timed(txtai_search, q) for q in in_blocks]]
        alternate: list[list[float]] = [[], []]
        for i, question in enumerate(in_turn):
            for who in (0, 1) if i % 2 == 0 else (1, 0):
                alternate[who].append(timed(ours if who == 0 else txtai_search, question))
    return {
        name: {"citebot": milliseconds(mine), "txtai, our question encoder": milliseconds(theirs)}
        for name, (mine, theirs) in (("in blocks", blocks), ("alternately", alternate))
        if mine
    }


def main() -> None:
    # Imported here: the benchmark's run module imports this one for `paired_timings`.
    from tests.benchmarks.run import MAX_WORDS, StolenTime, all_passages, machine

    parser = work_arguments(__doc__)
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    recycled = recycled_vectors(args.work)
    drawn = random.Random(0).sample(load_questions(SHARED_EVAL / "questions.jsonl"), 2 * args.questions)
    questions = [q.question for q in drawn]
    directory = scale_library(args.work, args.size)
    ids, contexts, _, _ = all_passages(directory)
    txtai = TxtaiPeer(vectors=recycled)
    txtai.index(ids, contexts)
    del contexts
    stolen = StolenTime()
    figures = paired_timings(
        directory, recycled, txtai.search, questions[: args.questions], questions[args.questions :], MAX_WORDS
    )
    taken = stolen.share()
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); hypervisor took {taken or 0:.1%} meanwhile")
    print(f"{len(ids):,} passages, {args.questions} questions each way, p50 / p95 ms:")
    for name, timing in figures.items():
        mine, theirs = timing["citebot"], timing["txtai, our question encoder"]
        print(
            f"  {name:12s} citebot {mine['p50']:6.2f} / {mine['p95']:6.2f}   txtai, our encoder "
            f"{theirs['p50']:6.2f} / {theirs['p95']:6.2f}   ratio {mine['p50'] / theirs['p50']:.3f} / "
            f"{mine['p95'] / theirs['p95']:.3f}"
        )


if __name__ == "__main__":
    main()

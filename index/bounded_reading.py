"""Reading a file whose reader may take without bound, in a process of its own
(`index/reading_process.py`) ended at a time limit, with a memory limit too: a PDF (pypdf), a
heavy web page (lxml and trafilatura), a heavy Word or OpenDocument file. A thread cannot be
stopped, a process can, whatever its reader is doing; and while it reads, the bot's own process
goes on answering.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from index.errors import InputError, InputTooLarge
from index.numbers import french

# What reading a file may cost. An article's PDF, even a long report's, reads in seconds, a
# page in a fraction of one; what takes longer is built to: a PDF of pages sharing one stream
# (README, "Article formats"), a page of a million paragraphs (200 s), a page stating a 7.6 MB
# JSON-LD article (29 s and 813 MB). Text drawn or stated again and again piles up in memory.
READING_MAX_SECONDS = 90.0
READING_MAX_MEMORY_BYTES = 2_000_000_000
# How often a file being read asks whether to go on (the readers' `checkpoint`).
CHECK_EVERY_SECONDS = 0.25
Checkpoint = Callable[[], None]


def read_in_own_process(
    kind: str, data: bytes, arguments: dict, *, too_long: str, too_heavy: str, checkpoint: Checkpoint | None
) -> dict:
    """What `index/reading_process.py`'s reader of `kind` answers for `data`, within
    `READING_MAX_SECONDS` and `READING_MAX_MEMORY_BYTES`: `InputTooLarge` past them (`too_long`,
    `too_heavy`, French, with `{seconds}` and `{memory}` in them), or the input error the reader
    raised; a `RuntimeError` when it failed otherwise (what it said, for the log).
    `checkpoint` is called every `CHECK_EVERY_SECONDS`: what it raises ends the reading process."""
    command = [
        sys.executable,
        "-P",  # not index/ first in its path: index/numbers.py would stand for the standard library's
        str(Path(__file__).with_name("reading_process.py")),
        kind,
        str(READING_MAX_MEMORY_BYTES),
        json.dumps(arguments),
    ]
    limits = {"seconds": f"{READING_MAX_SECONDS:g}", "memory": french(READING_MAX_MEMORY_BYTES)}
    try:
        done = _run_checked(command, data, READING_MAX_SECONDS, checkpoint)
    except subprocess.TimeoutExpired:  # the reading process is ended (and waited for)
        raise InputTooLarge(too_long.format(**limits)) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise RuntimeError(f"the {kind} reading process ended without an answer: {said[0]}") from None
    if answer.get("refused") == "memory":
        raise InputTooLarge(too_heavy.format(**limits))
    if "input_error" in answer:
        raise input_error_named(answer["input_error"], answer["message"])
    if "failed" in answer:
        raise RuntimeError(answer["failed"])  # what the reader said, logged by the caller
    return answer


def input_error_named(name: str, message: str) -> InputError:
    """The refusal a reading process answered with (its class's name and French message), as
    it was raised there: any `InputError` known here by its name, else the base `InputError`
    with its message, so that a refusal is never taken for a failure of the bot."""
    kinds, known = [InputError], {}
    while kinds:
        kind = kinds.pop()
        known[kind.__name__] = kind
        kinds.extend(kind.__subclasses__())
    return known.get(name, InputError)(message)


def _run_checked(
    command: list[str], data: bytes, seconds: float, checkpoint: Checkpoint | None
) -> subprocess.CompletedProcess:
    """`subprocess.run(command, input=data, timeout=seconds)`, output captured, with `checkpoint`
    called every `CHECK_EVERY_SECONDS` as it runs: the process is ended (and waited for) if it
    raises, as at the time limit. A bot told to stop waited for the whole reading (up to
    `READING_MAX_SECONDS`) before it could exit."""
    if checkpoint is None:
        return subprocess.run(command, input=data, capture_output=True, timeout=seconds, check=False)
    end = time.monotonic() + seconds
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as reading:
        given: bytes | None = data  # sent once: a later `communicate` goes on sending it
        try:
            while True:
                try:
                    out, err = reading.communicate(
                        given, timeout=max(min(CHECK_EVERY_SECONDS, end - time.monotonic()), 0)
                    )
                    return subprocess.CompletedProcess(command, reading.returncode, out, err)
                except subprocess.TimeoutExpired:
                    given = None
                    if time.monotonic() >= end:
                        raise subprocess.TimeoutExpired(command, seconds) from None
                    checkpoint()
        except BaseException:
            reading.kill()  # waited for on leaving `with`
            raise

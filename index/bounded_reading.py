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
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from index.errors import InputError, InputTooLarge
from index.numbers import french


@dataclass(frozen=True)
class ReadingLimits:
    """What reading one file may cost, and which files are read in a process of their own,
    where those limits hold whatever the reader is doing. Given by the caller (the application
    from its settings, a test its own) down to the readers."""

    # What reading a file may cost. An article's PDF, even a long report's, reads in seconds, a
    # page in a fraction of one; what takes longer is built to: a PDF of pages sharing one stream
    # (README, "Article formats"), a page of a million paragraphs (200 s), a page stating a 7.6 MB
    # JSON-LD article (29 s and 813 MB). Text drawn or stated again and again piles up in memory.
    seconds: float = 90.0
    memory_bytes: int = 2_000_000_000
    # A page this long, or with this many tags ("<" counted, in a blink), is read in a process of
    # its own rather than in the caller's (`index.documents.is_heavy_page`). Starting that
    # process, trafilatura imported, takes 0.5 to 0.9 s, forty times what reading a page of
    # tests/data/news-pages takes (0.02 s; the longest of shared/eval/news: 153 KB, 2,700 "<"),
    # so a page under both is read here: the slowest pages built under them (5,000 inline tags
    # in one paragraph, 500 KB of one paragraph or of stated JSON-LD) read in 1 to 2.5 s, while
    # one paragraph's 10,000 inline tags took 8 s and a million paragraphs 200 s.
    # What its scripts and styles hold is not counted (JSON-LD apart, which `index.metadata`
    # reads): the reader takes each body as one text, 0.15 s a megabyte, and pages ship 500 KB of
    # inline script, which paid 0.5 to 0.9 s for a process of their own. Past
    # `page_all_chars` characters in all, a page is read in its own process whatever they are.
    page_chars: int = 500_000
    page_tags: int = 5_000
    page_all_chars: int = 3_000_000
    # A Word or OpenDocument file whose XML unpacks past this is read in a process of its own,
    # as a heavy page is; starting it costs some 0.5 s. Under the XML cap
    # (`index.formats.MAX_UNPACKED_XML_BYTES`), tables nested 80 deep whose rows are read again
    # at each level (2.5 MB of XML in a 45 KB Word file) took 13 s, 5 MB of OpenDocument
    # paragraphs 8.6 s; under this, 1 to 3 s at most. An article's, styles included, is a few
    # hundred kilobytes at most.
    office_xml_bytes: int = 500_000
    # What drawing a PDF's pages may take. pypdf bounds each page's operators, not its time:
    # pages may share one stream, and a 4 KB file of five pages sharing a 1 MB stream of text
    # took 9 s to read (a thousand such pages, hours); one page of 10 MB of text and images
    # drawn in turn took 266 s, and one that draws a form thousands of times, or whose fonts
    # share one large character map, hours (the form's and the map's bytes are not the page's).
    # An article's pages, even a long report's, hold a few tens of kilobytes of drawing each.
    # The time limit holds whatever pypdf is doing (text drawn again and again piles up).
    pdf_drawing_bytes: int = 25_000_000


READING_LIMITS = ReadingLimits()
# How often a file being read asks whether to go on (the readers' `checkpoint`).
CHECK_EVERY_SECONDS = 0.25
Checkpoint = Callable[[], None]


def read_in_own_process(
    kind: str,
    data: bytes,
    arguments: dict,
    *,
    too_long: str,
    too_heavy: str,
    checkpoint: Checkpoint | None,
    limits: ReadingLimits,
) -> dict:
    """What `index/reading_process.py`'s reader of `kind` answers for `data`, within
    `limits.seconds` and `limits.memory_bytes`: `InputTooLarge` past them (`too_long`,
    `too_heavy`, French, with `{seconds}` and `{memory}` in them), or the input error the reader
    raised; a `RuntimeError` when it failed otherwise (what it said, for the log).
    `checkpoint` is called every `CHECK_EVERY_SECONDS`: what it raises ends the reading process."""
    command = [
        sys.executable,
        "-P",  # not index/ first in its path: index/numbers.py would stand for the standard library's
        str(Path(__file__).with_name("reading_process.py")),
        kind,
        str(limits.memory_bytes),
        json.dumps(arguments),
    ]
    in_words = {"seconds": f"{limits.seconds:g}", "memory": french(limits.memory_bytes)}
    try:
        done = _run_checked(command, data, limits.seconds, checkpoint)
    except subprocess.TimeoutExpired:  # the reading process is ended (and waited for)
        raise InputTooLarge(too_long.format(**in_words)) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
        raise RuntimeError(f"the {kind} reading process ended without an answer: {said[0]}") from None
    if answer.get("refused") == "memory":
        raise InputTooLarge(too_heavy.format(**in_words))
    if "input_error" in answer:
        raise input_error_named(answer["input_error"], answer["message"])
    if "failed" in answer:
        raise RuntimeError(answer["failed"])  # what the reader said, logged by the caller
    return answer


def input_error_named(name: str, message: str) -> InputError:
    """The refusal a reading process answered with (its class's name and French message), as
    it was raised there: any `InputError` known here by its name, else the base `InputError`
    with its message (also for a known kind made from data, not from a message alone), so that
    a refusal is never taken for a failure of the bot."""
    kinds, known = [InputError], {}
    while kinds:
        kind = kinds.pop()
        known[kind.__name__] = kind
        kinds.extend(kind.__subclasses__())
    try:
        return known.get(name, InputError)(message)
    except TypeError:  # a kind whose refusal carries data besides its message (ArticleTooLong)
        return InputError(message)


def _run_checked(
    command: list[str], data: bytes, seconds: float, checkpoint: Checkpoint | None
) -> subprocess.CompletedProcess:
    """`subprocess.run(command, input=data, timeout=seconds)`, output captured, with `checkpoint`
    called every `CHECK_EVERY_SECONDS` as it runs: the process is ended (and waited for) if it
    raises, as at the time limit. A bot told to stop waited for the whole reading (up to
    its time limit) before it could exit."""
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


def read_at_most(stream: BinaryIO, *, max_bytes: int, named: str) -> bytes:
    """All of `stream` (standard input, a pipe, a device, a file), refused once it passes
    `max_bytes`: `yes | python -m bot ingest -` or `ask --batch /dev/zero` never end, and read
    whole they took the machine's memory until the system killed the process."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge(f"{named} dépasse la limite de {french(max_bytes)} octets")
    return data

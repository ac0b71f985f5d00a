"""Reading a file in a process of its own, started by `index.bounded_reading`
(`python reading_process.py KIND MAX_MEMORY_BYTES ARGUMENTS_JSON`, the file on standard input,
JSON on standard output), so that its time limit can end it whatever the reader is doing, and
its memory limit holds what the reader piles up. KIND is "pdf" (pypdf: its own limits bound a
page's operators, not its time: a form drawn thousands of times, fonts sharing one large
character map), "page" (an HTML page read by `index.documents.read_page`: lxml and
trafilatura took 200 s for a page of a million paragraphs), "office" (a Word or OpenDocument
file: tables nested 80 deep took 13 s for a 45 KB file) or "feed" (a feed that is not
well-formed XML, which feedparser's loose parser reads: 1 MB of tags that never close took
21 s). A PDF needs only the standard library and pypdf here: the process starts in a fraction
of a second.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

_PROPERTIES = ("/Title", "/Author", "/CreationDate", "/Creator", "/Producer")


def read_pdf(data: bytes, max_content_bytes: int) -> dict:
    """{"pages": [text, …], "properties": {name: text or None}}, or {"refused": why} ("encrypted",
    "drawing"), or {"failed": what pypdf said} for a damaged file."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return {"refused": "encrypted"}
        drawn = 0
        for page in reader.pages:  # measured before any is read: unpacking costs little, reading much
            contents = page.get_contents()
            drawn += len(contents.get_data()) if contents is not None else 0
            if drawn > max_content_bytes:
                return {"refused": "drawing"}
        pages = [(page.extract_text() or "").replace("\r", "\n") for page in reader.pages]
        info = reader.metadata or {}
        properties = {name: None if info.get(name) is None else str(info.get(name)) for name in _PROPERTIES}
    except MemoryError:
        return {"refused": "memory"}
    except Exception as exc:  # a damaged or encrypted file: what pypdf said, for the log
        return {"failed": f"{type(exc).__name__}: {exc}"}
    return {"pages": pages, "properties": properties}


def read_page(data: bytes, url: str | None, source: str | None) -> dict:
    """{"document": the page's `Document` as a dict}, or what `_answered` says went wrong."""
    _index_importable()
    from dataclasses import asdict

    from index.documents import read_page as read

    return _answered(lambda: {"document": asdict(read(data.decode("utf-8", "surrogatepass"), url=url, source=source))})


def read_office(data: bytes, suffix: str) -> dict:
    """{"markdown": the text, "metadata": its title, author, date} of a Word (".docx") or
    OpenDocument (".odt") file, or what `_answered` says went wrong."""
    _index_importable()
    from index.formats import read_office_here

    return _answered(lambda: read_office_here(data, suffix))


def read_feed(data: bytes, url: str, today: str) -> dict:
    """{"feed": the feed as a dict} for a malformed feed (`index.feeds.parse_feed`), or what
    `_answered` says went wrong."""
    _index_importable()
    from index.feeds import read_feed_answer

    return _answered(lambda: read_feed_answer(data, url, today))


def _index_importable() -> None:
    # Not index/ itself (index/numbers.py would stand for the standard library's): its parent,
    # first, so that the index this process was started from is the one read, installed or not.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _answered(read: Callable[[], dict]) -> dict:
    """What `read` answers, or {"input_error": its class name, "message": its French message}
    for an input refused as an article, or {"refused": "memory"}, or {"failed": what went wrong}."""
    from index.errors import InputError

    try:
        return read()
    except InputError as exc:
        return {"input_error": type(exc).__name__, "message": str(exc)}
    except MemoryError:
        return {"refused": "memory"}
    except Exception as exc:  # what the reader said, for the log
        return {"failed": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    kind, max_memory_bytes, arguments = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_memory_bytes, max_memory_bytes))
    except (ImportError, ValueError, OSError):  # no such limit here (Windows), or a lower one already
        pass
    reader = {"pdf": read_pdf, "page": read_page, "office": read_office, "feed": read_feed}[kind]
    answer = reader(sys.stdin.buffer.read(), **arguments)
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()

"""Real HTTP servers on 127.0.0.1 for tests: the base every fake server stands on, and
a site serving canned pages, for fetching tests."""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # clients that time out on purpose close the connection early


class LoopbackServer:
    """A threaded HTTP server on a free port of 127.0.0.1, running inside `with`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = _QuietServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class Site(LoopbackServer):
    """Canned pages by path. `/slow` is answered after 2 s, or, inside `slow_pages_held`, once
    the test lets it through: a test that needs a page still coming while it checks something
    waits for that, not for a clock."""

    SLOW_SECONDS = 2.0
    HELD_AT_MOST_SECONDS = 60.0  # bounded: a test that fails before letting the page through ends

    def __init__(self, pages: dict[str, tuple[int, str, bytes]]) -> None:
        self.pages = pages  # path -> (status, content type, body)
        self._slow_gate: threading.Event | None = None
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/slow":
                    site._wait_for_slow_page()
                if self.path == "/trickle":  # a byte every 0.1 s, for 30 s at most
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    for _ in range(300):
                        self.wfile.write(b" ")
                        self.wfile.flush()
                        time.sleep(0.1)
                    return
                status, content_type, body = site.pages.get(self.path, (404, "text/plain", b"absent"))
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                if content_type:  # "": a server that names no type
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        super().__init__(Handler)

    def _wait_for_slow_page(self) -> None:
        gate = self._slow_gate
        if gate is None:
            time.sleep(self.SLOW_SECONDS)
        else:
            gate.wait(self.HELD_AT_MOST_SECONDS)

    @contextlib.contextmanager
    def slow_pages_held(self) -> Iterator[threading.Event]:
        """`/slow` held until the event yielded is set (then answered at once), at the latest
        when the block ends."""
        gate = threading.Event()
        self._slow_gate = gate
        try:
            yield gate
        finally:
            gate.set()
            self._slow_gate = None


class FeedSite(LoopbackServer):
    """A news site with feeds whose content the test changes while the bot follows them.
    It answers conditional requests as a real server does (`ETag` from the content,
    `Last-Modified` from when it last changed: 304 when nothing changed), records every
    request's path and headers, fails a path with 500 while it is in `failing`, sends a
    path in `moved` elsewhere (`moved[path] = (301, "/new")`: its status and `Location`), and
    answers a path in `refused` with its status alone (`refused[path] = 410`: removed)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes, float]] = {}  # path -> (content type, body, changed at)
        self.failing: set[str] = set()
        self.moved: dict[str, tuple[int, str]] = {}
        self.refused: dict[str, int] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site._lock:
                    site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                    # A query it does not use ("?utm_source=…") changes no page, as on real sites.
                    page = site.pages.get(self.path) or site.pages.get(self.path.partition("?")[0])
                    failing = self.path in site.failing
                    moved = site.moved.get(self.path)
                    refused = site.refused.get(self.path)
                if refused is not None:
                    self._send(refused, "text/plain", b"refus")
                    return
                if moved is not None:
                    status, location = moved
                    self._send(status, "text/html", b"", {"Location": location})
                    return
                if failing or page is None:
                    self._send(500 if failing else 404, "text/plain", b"erreur" if failing else b"absent")
                    return
                content_type, body, changed = page
                etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
                modified = formatdate(changed, usegmt=True)
                if self.headers.get("If-None-Match") is not None:  # it takes precedence, as in HTTP
                    unchanged = self.headers["If-None-Match"] == etag
                else:
                    unchanged = self.headers.get("If-Modified-Since") == modified
                if unchanged:
                    self._send(304, content_type, b"", {"ETag": etag, "Last-Modified": modified})
                    return
                self._send(200, content_type, body, {"ETag": etag, "Last-Modified": modified})

            def _send(self, status: int, content_type: str, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        super().__init__(Handler)

    def publish(self, path: str, content_type: str, body: str | bytes) -> None:
        data = body.encode() if isinstance(body, str) else body
        with self._lock:
            previous = self.pages.get(path)
            changed = time.time() if previous is None or previous[1] != data else previous[2]
            self.pages[path] = (content_type, data, changed)

    def unpublish(self, path: str) -> None:
        with self._lock:
            self.pages.pop(path, None)

    def requests_to(self, path: str) -> list[dict[str, str]]:
        with self._lock:
            return [headers for p, headers in self.requests if p == path]

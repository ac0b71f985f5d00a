"""Reading what users give us (files, directories, URLs, bytes) into `Document`s.

URL fetching is careful because the bot fetches what strangers send it: a
timeout, a size cap, a content-type check, and no loopback or private address
(checked at every redirect) unless the deployment allows it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from index.documents import Document, decode_text, looks_like_html, parse_html, parse_text
from index.errors import EmptyInput, FetchError, InputTooLarge, UnsupportedInput

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
_MAX_REDIRECTS = 5
USER_AGENT = "citebot/0.1 (+https://github.com/; article ingestion)"


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def parse_bytes(data: bytes, *, name: str | None, source: str | None, max_bytes: int) -> Document:
    """A document from raw bytes: HTML when it looks like (or is named) HTML, text otherwise."""
    if not data.strip():
        raise EmptyInput("le contenu est vide")
    if len(data) > max_bytes:
        raise InputTooLarge(f"le contenu fait {len(data):,} octets, au-delà de la limite de {max_bytes:,} octets")
    suffix = Path(name).suffix.lower() if name else ""
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedInput(
            f"type de fichier non pris en charge ({suffix}) : envoyez un texte (.txt, .md) ou une page HTML (.html)"
        )
    text = decode_text(data)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and looks_like_html(text)):
        return parse_html(text, source=source)
    return parse_text(text, name=name, source=source)


def read_file(path: Path, *, max_bytes: int) -> Document:
    if not path.is_file():
        raise UnsupportedInput(f"fichier introuvable : {path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLarge(f"{path.name} fait {size:,} octets, au-delà de la limite de {max_bytes:,} octets")
    return parse_bytes(path.read_bytes(), name=path.name, source=str(path), max_bytes=max_bytes)


def expand_paths(path: Path) -> Iterator[Path]:
    """A file as itself; a directory as its supported files, recursively, in name order."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and not child.name.startswith("."):
                yield child
    else:
        yield path


def _check_address(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"adresse refusée : {url} (seules les URL http et https sont acceptées)")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"nom de domaine introuvable : {parts.hostname}") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(
                f"adresse refusée : {parts.hostname} désigne une adresse locale ou privée ({address}). "
                "Seules les adresses publiques sont autorisées."
            )


def fetch_url(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False) -> Document:
    """Download an article page (or text) and parse it."""
    current = url
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": USER_AGENT}) as client:
            for _ in range(_MAX_REDIRECTS + 1):
                _check_address(current, allow_private)
                with client.stream("GET", current) as response:
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"le site a répondu {response.status_code} pour {current}")
                    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                    if content_type not in _HTML_TYPES | _TEXT_TYPES:
                        raise FetchError(
                            f"{current} n'est pas une page d'article (type « {content_type or 'inconnu'} »)"
                        )
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body.extend(chunk)
                        if len(body) > max_bytes:
                            raise InputTooLarge(f"la page dépasse la limite de {max_bytes:,} octets")
                    charset = response.charset_encoding or "utf-8"
                    try:
                        text = bytes(body).decode(charset, errors="replace")
                    except LookupError:
                        text = bytes(body).decode("utf-8", errors="replace")
                    if content_type in _HTML_TYPES:
                        return parse_html(text, url=current, source=url)
                    document = parse_text(text, name=urlsplit(current).path, source=url)
                    return replace(document, url=document.url or current)
            raise FetchError(f"trop de redirections pour {url}")
    except httpx.TimeoutException as exc:
        raise FetchError(f"délai dépassé ({timeout:g} s) en téléchargeant {current}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"impossible de télécharger {current} : {exc}") from exc

"""Fetching what a link names, carefully, because the bot fetches what strangers send it: one
time limit for the whole download, a size cap, a content-type check, and no loopback or private
address unless the deployment allows it. The name is resolved once per request and the
connection goes to the address that was checked, at every redirect, so a DNS answer that
changes between check and connection (rebinding) gains nothing. The name's lookup counts in
the time limit too: a DNS server that never answers fails the download at its deadline, as an
unreachable site does. What the response holds is read by `index.sources`, as a file's bytes are.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from index.bounded_reading import READING_LIMITS, ReadingLimits
from index.documents import Document
from index.errors import FetchError, InputTooLarge, PrivateAddress
from index.formats import DOCUMENT_TYPES
from index.numbers import french
from index.sources import (
    HTML_TYPES,
    SNIFFED_BYTES,
    TEXT_SUFFIXES,
    UNLABELLED_TYPES,
    is_article_type,
    parse_bytes,
    sniffed_type,
)
from index.web_addresses import article_source, ascii_host, shown_host, without_credentials

_MAX_REDIRECTS = 5
_MOVED_PERMANENTLY = (301, 308)  # the redirects that say to ask the new address from now on
# What an HTTP error's number means, said beside it: "404" alone tells a chat user nothing.
_STATUS_MEANINGS = {
    401: "accès réservé",
    403: "accès refusé",
    404: "page introuvable",
    410: "page supprimée",
    429: "trop de demandes : réessayez plus tard",
}
USER_AGENT = "citebot/0.1 (+https://github.com/; article ingestion)"


Resolver = Callable[[str, int], list[str]]
"""A host name (in its ASCII form) and port to the IP addresses to connect to, none for a
name unknown (the DNS seam, for tests)."""

_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def system_resolver(host: str, port: int) -> list[str]:
    """The system's addresses for `host`; none when it knows no such name (the refusal, which
    names the host as the user typed it, is `_resolve_checked`'s)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, Teredo, compatible):
    packets to it may end at that IPv4 host, so it is what must be judged."""
    if address.version == 4:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if any(address in network for network in _NAT64) or address in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    embedded = embedded_ipv4(address)
    return (embedded or address).is_global


@dataclass(frozen=True)
class _Target:
    """Where one request goes: the URL with the checked IP in place of the name, and the
    name it stands for (Host header and TLS server name, so certificates still match)."""

    addresses: list[str]
    host: str
    host_header: str

    def url_for(self, url: str, address: str) -> str:
        parts = urlsplit(url)
        literal = f"[{address}]" if ":" in address else address
        netloc = literal + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


# Name lookups under way at once, at most. `getaddrinfo` cannot be interrupted: a lookup still
# unanswered at its fetch's deadline is left to end in its own thread (at the system resolver's
# own time limit), and a DNS server that never answers must not pile such threads up. Past
# this many, a fetch waits for one to end, within its own deadline.
_LOOKUPS_AT_ONCE = 8
_lookups = threading.BoundedSemaphore(_LOOKUPS_AT_ONCE)


def _resolved_within(resolver: Resolver, host: str, port: int, deadline: _Deadline) -> list[str]:
    """`resolver(host, port)`, or `httpx.TimeoutException` when it has not answered by the
    deadline (the fetch then fails as for a site that does not answer)."""
    if not _lookups.acquire(timeout=deadline.remaining()):
        raise httpx.TimeoutException(f"no free DNS lookup for {host}")
    answer: list[list[str] | BaseException] = []
    answered = threading.Event()

    def look_up() -> None:
        try:
            answer.append(resolver(host, port))
        except BaseException as exc:  # raised again in the fetch's own thread
            answer.append(exc)
        finally:
            _lookups.release()
            answered.set()

    threading.Thread(target=look_up, name=f"dns {host}", daemon=True).start()
    if not answered.wait(deadline.remaining()):
        raise httpx.TimeoutException(f"no DNS answer for {host}")
    if isinstance(answer[0], BaseException):
        raise answer[0]
    return answer[0]


def _resolve_checked(url: str, allow_private: bool, resolver: Resolver, deadline: _Deadline) -> _Target:
    """Resolve the URL's host once, within `deadline`, and judge every address; the request
    then connects to one of these very addresses, so a second DNS answer (rebinding) is
    never consulted."""
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 (a malformed IPv6 address fails here, not at the split)
    except ValueError as exc:  # "http://[2001:db8::1/rss": Python says why in English
        raise FetchError(f"adresse illisible : {url}") from exc
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"adresse refusée : {url} (seules les URL http et https sont acceptées)")
    if not parts.hostname:  # "https://" alone: told only http and https were taken, it was one
        raise FetchError(f"adresse incomplète : {url} (il y manque le nom du site)")
    # Looked up, and named to the site, in its ASCII form; named to the user as links are shown
    # (`shown_host`): as typed ("mairie-épinal.fr", never "xn--mairie-pinal-heb.fr"), but a host
    # that could pass for another site's in its ASCII form ("xn--lmonde-3of.fr" for "lеmonde.fr"
    # with a Cyrillic « е »), whoever named it: the user, a redirect, a page declaring a feed.
    typed, host = shown_host(parts.hostname), _ascii_host(parts.hostname, url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError(f"adresse refusée : {url} (port invalide)") from exc
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = _resolved_within(resolver, host, port, deadline)
    if not addresses:
        raise FetchError(f"nom de domaine introuvable : {typed}")
    if not allow_private:
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%")[0])):
                raise PrivateAddress(_private_address_refusal(typed, address))
    host_header = (f"[{host}]" if ":" in host else host) + (f":{parts.port}" if parts.port else "")
    return _Target(addresses, host, host_header)


def _ascii_host(host: str, url: str) -> str:
    """`host` in its ASCII form (`index.web_addresses.ascii_host`): httpx takes no other in a
    header: such an address failed with an error of the bot's own. Only for them: messages
    name the host as it was typed."""
    try:
        return ascii_host(host)
    except UnicodeError as exc:  # a label too long, or of characters no name may hold
        raise FetchError(f"adresse illisible : {url}") from exc


def _private_address_refusal(host: str, address: str) -> str:
    """Why a URL's host is refused, in French: a name with the address it leads to, an address
    typed as such once ("127.0.0.1 désigne … (127.0.0.1)" said it twice)."""
    if host == address:
        said = f"{host} est une adresse locale ou privée"
    else:
        said = f"{host} désigne une adresse locale ou privée ({address})"
    return f"adresse refusée : {said}. Seules les adresses publiques sont autorisées."


class _Deadline:
    """One time limit for the whole download: every name lookup, every redirect and every byte;
    and `checkpoint` called at each of them, which ends the download by raising."""

    def __init__(self, seconds: float, checkpoint: Callable[[], None] | None = None) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds
        self._checkpoint = checkpoint

    def remaining(self) -> float:
        if self._checkpoint is not None:
            self._checkpoint()
        left = self._end - time.monotonic()
        if left <= 0:
            raise httpx.TimeoutException("deadline")
        return left


def _send(
    client: httpx.Client, url: str, target: _Target, deadline: _Deadline, headers: Mapping[str, str]
) -> httpx.Response:
    """The request to the first of the checked addresses that accepts a connection."""
    for position, address in enumerate(target.addresses):
        request = client.build_request(
            "GET",
            target.url_for(url, address),
            headers={**headers, "Host": target.host_header},
            extensions={"sni_hostname": target.host, "timeout": httpx.Timeout(deadline.remaining()).as_dict()},
        )
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError:
            if position == len(target.addresses) - 1:
                raise
    raise AssertionError("unreachable: a target has at least one address")


@dataclass(frozen=True)
class Fetched:
    """A response read whole: `status` 304 (not modified) comes with an empty body."""

    url: str  # after redirects
    status: int
    content_type: str  # lower case, without parameters
    charset: str | None
    body: bytes
    etag: str | None
    last_modified: str | None
    # Where the address asked for has moved for good: the last of the permanent redirects
    # (301, 308) the answer began with; None when it began with none. A temporary redirect
    # (302, 307) says nothing of where to ask next time, nor do those after it.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow_private: bool = False,
    headers: Mapping[str, str] | None = None,
    accept: Callable[[str], bool] | None = None,
    wanted: str = "une page d'article",
    resolver: Resolver = system_resolver,
    transport: httpx.BaseTransport | None = None,
    checkpoint: Callable[[], None] | None = None,
) -> Fetched:
    """GET `url` within `timeout` seconds in all (redirects and every byte), at most
    `max_bytes`, connecting only to addresses that were checked. `headers` may make the
    request conditional (`If-None-Match`, `If-Modified-Since`). `accept(content_type)`
    refuses other types before their body is downloaded, saying the URL is not `wanted`; a
    response that names no type (or `application/octet-stream`) is judged by the type its first
    bytes show (`sniffed_type`, its own when they show none), before the rest is downloaded.
    Statuses of 400 and over are a `FetchError`. `checkpoint` is called before each name
    lookup and request and after each piece of the body: what it raises ends the download
    there (a bot that stops gives it up, rather than wait for the rest of the page)."""
    url = without_credentials(url)
    current = url
    moved_to: str | None = None
    permanent_so_far = True
    deadline = _Deadline(timeout, checkpoint)
    try:
        # An explicit transport: no proxy from the environment, so requests go to the checked
        # address and nowhere else (certificate settings from the environment still apply).
        transport = transport or httpx.HTTPTransport()
        # Only the encodings `_decoded` inflates piece by piece (httpx would offer brotli and
        # zstd too, were their packages installed, and decode them whole).
        asked = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
        with httpx.Client(transport=transport, headers=asked) as client:
            for _ in range(_MAX_REDIRECTS + 1):
                target = _resolve_checked(current, allow_private, resolver, deadline)
                with contextlib.closing(_send(client, current, target, deadline, headers or {})) as response:
                    if response.is_redirect and "location" in response.headers:
                        try:
                            current = without_credentials(urljoin(current, response.headers["location"]))
                        except ValueError as exc:
                            raise FetchError(f"{current} redirige vers une adresse illisible") from exc
                        permanent_so_far = permanent_so_far and response.status_code in _MOVED_PERMANENTLY
                        moved_to = current if permanent_so_far else moved_to
                        continue
                    fetched = _read_response(response, current, max_bytes, deadline, accept, wanted)
                    return replace(fetched, moved_to=moved_to)
            raise FetchError(f"trop de redirections pour {url}")
    except httpx.TimeoutException as exc:
        raise FetchError(f"délai dépassé ({timeout:g} s) en téléchargeant {current}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"impossible de télécharger {current} : {_failure(exc)}") from exc


def _failure(exc: httpx.HTTPError) -> str:
    """What went wrong, in French, for the person who sent the link (httpx says it in English,
    from the system's own words): the kinds people meet, else httpx's words as they are."""
    said = str(exc) or type(exc).__name__
    lowered = said.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return f"la connexion sécurisée (HTTPS) au site a échoué, son certificat n'est pas valide ({said})"
    if isinstance(exc, httpx.ConnectError):
        if "refused" in lowered:
            return "le site refuse la connexion"
        if "unreachable" in lowered:
            return "le site est injoignable depuis ce serveur"
        return f"le site est injoignable ({said})"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return "le site a coupé la connexion avant la fin de la page"
    if isinstance(exc, httpx.TooManyRedirects):
        return "le site redirige sans fin"
    return said


def _read_response(
    response: httpx.Response,
    current: str,
    max_bytes: int,
    deadline: _Deadline,
    accept: Callable[[str], bool] | None,
    wanted: str,
) -> Fetched:
    if response.status_code >= 400:
        code = response.status_code
        meaning = _STATUS_MEANINGS.get(code, "erreur du site" if code >= 500 else "demande refusée")
        # A page not found or removed: what the reader can do is check the link they gave.
        check = " ; vérifiez le lien" if code in (404, 410) else ""
        raise FetchError(f"le site a répondu {code} ({meaning}) pour {current}{check}", status=code)
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    # An unlabelled response is judged by what its first bytes show, before the rest is read.
    to_sniff = response.status_code != 304 and accept is not None and content_type in UNLABELLED_TYPES

    def refuse_unless_accepted(shown: str) -> None:
        if accept is not None and not accept(shown):
            raise FetchError(f"{current} n'est pas {wanted} (type « {content_type or 'inconnu'} »)")

    if response.status_code != 304 and not to_sniff:
        refuse_unless_accepted(content_type)
    body = bytearray()
    if response.status_code != 304:
        if response.is_stream_consumed:  # read already by the transport (a test's): decoded by httpx
            chunks: Iterable[bytes] = [response.content]
        else:
            chunks = _decoded(response.iter_raw(), response.headers.get("content-encoding", ""), current)
        for chunk in chunks:
            body.extend(chunk)
            if to_sniff and len(body) >= SNIFFED_BYTES:
                refuse_unless_accepted(sniffed_type(bytes(body[:SNIFFED_BYTES]), whole=False) or content_type)
                to_sniff = False
            if len(body) > max_bytes:
                raise InputTooLarge(f"{current} dépasse la limite de {french(max_bytes)} octets")
            deadline.remaining()
        if to_sniff:  # the whole of it shorter than what is sniffed
            refuse_unless_accepted(sniffed_type(bytes(body)) or content_type)
    return Fetched(
        url=current,
        status=response.status_code,
        content_type=content_type,
        charset=response.charset_encoding,
        body=bytes(body),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


# Decoded a piece of this size at most at a time: httpx's own decoding inflates each piece the
# server sends whole, and a 2 KB body compressed twice ("Content-Encoding: gzip, gzip") took
# 2 GB of memory before the size cap could count a byte of it.
_DECODED_PIECE = 65_536


def _decoded(raw: Iterable[bytes], encodings: str, current: str) -> Iterator[bytes]:
    """The body as sent before its `Content-Encoding`s (gzip, deflate), in pieces of at most
    `_DECODED_PIECE` bytes, so that the size cap and the deadline are checked as it inflates."""
    chunks: Iterable[bytes] = raw
    for encoding in reversed([part.strip().lower() for part in encodings.split(",")]):
        if encoding in ("", "identity"):
            continue
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"{current} est envoyé compressé d'une façon que je ne sais pas lire ({encoding})")
        chunks = _inflated(chunks, encoding, current)
    return iter(chunks)


def _inflated(chunks: Iterable[bytes], encoding: str, current: str) -> Iterator[bytes]:
    # "deflate" is zlib's format, but some servers send raw deflate: read as httpx reads it.
    wbits = zlib.MAX_WBITS | 16 if encoding != "deflate" else zlib.MAX_WBITS
    decompressor, started = zlib.decompressobj(wbits), False
    try:
        for chunk in chunks:
            data = chunk
            while data and not decompressor.eof:
                try:
                    piece = decompressor.decompress(data, _DECODED_PIECE)
                except zlib.error:
                    if encoding != "deflate" or started:
                        raise
                    decompressor, started = zlib.decompressobj(-zlib.MAX_WBITS), True
                    continue
                started = True
                data = decompressor.unconsumed_tail
                if piece:
                    yield piece
        if not decompressor.eof:
            yield decompressor.flush()
    except zlib.error as exc:
        raise FetchError(f"{current} est envoyé compressé, mais illisible ({encoding})") from exc


def fetch_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow_private: bool = False,
    resolver: Resolver = system_resolver,
    transport: httpx.BaseTransport | None = None,
    checkpoint: Callable[[], None] | None = None,
    limits: ReadingLimits = READING_LIMITS,
) -> Document:
    """Download an article page (or text, or document) and parse it, within `timeout` seconds
    in all (and reading it within `limits`); `checkpoint` as `fetch` calls it. `fetch` leaves
    a name and password in `url` out of what it sends and shows; its article's source is `url`
    as `article_source` makes any link one."""
    fetched = fetch(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        allow_private=allow_private,
        accept=is_article_type,
        resolver=resolver,
        transport=transport,
        checkpoint=checkpoint,
    )
    return document_of(fetched, source=article_source(url), max_bytes=max_bytes, checkpoint=checkpoint, limits=limits)


def document_of(
    fetched: Fetched,
    *,
    source: str,
    max_bytes: int,
    checkpoint: Callable[[], None] | None = None,
    limits: ReadingLimits = READING_LIMITS,
) -> Document:
    """The article a fetched page, text or document holds (`checkpoint`, `limits`: as `parse_bytes` takes them)."""
    content_type, current = fetched.content_type, fetched.url
    if content_type in UNLABELLED_TYPES:
        content_type = sniffed_type(fetched.body) or content_type
    if not is_article_type(content_type):
        raise FetchError(f"{current} n'est pas une page d'article (type « {fetched.content_type or 'inconnu'} »)")
    name = urlsplit(current).path.rsplit("/", 1)[-1] or None
    if content_type in DOCUMENT_TYPES:
        name = Path(name or "document").with_suffix(DOCUMENT_TYPES[content_type]).name
    elif content_type in HTML_TYPES:
        name = "page.html"
    elif name and Path(name).suffix.lower() not in TEXT_SUFFIXES:
        name = None  # plain text under a path such as /notes: a text, whatever its ending
    document = parse_bytes(
        fetched.body,
        name=name,
        source=source,
        max_bytes=max_bytes,
        charset=fetched.charset,
        url=current,
        checkpoint=checkpoint,
        limits=limits,
    )
    if content_type in HTML_TYPES:
        return document
    return replace(document, url=document.url or current)

"""Reading what users give us (files, directories, URLs, bytes) into `Document`s.

URL fetching is careful because the bot fetches what strangers send it: one time
limit for the whole download, a size cap, a content-type check, and no loopback or
private address unless the deployment allows it. The name is resolved once per
request and the connection goes to the address that was checked, at every redirect,
so a DNS answer that changes between check and connection (rebinding) gains nothing. The
name's lookup counts in the time limit too: a DNS server that never answers fails the
download at its deadline, as an unreachable site does.
"""

from __future__ import annotations

import codecs
import contextlib
import ipaddress
import mimetypes
import os
import re
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
from index.decoding import BINARY_CONTENT, decode_document, readable
from index.documents import Document, looks_like_html, parse_html, parse_text
from index.errors import EmptyInput, FetchError, InputTooLarge, PrivateAddress, UnsupportedInput
from index.formats import DOCUMENT_SUFFIXES, DOCUMENT_TYPES, parse_document
from index.numbers import french
from index.web_addresses import article_source, without_credentials

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES
SUPPORTED_TYPES_TEXT = (
    "un texte (.txt, .md), une page HTML (.html), un PDF, un document Word (.docx) ou OpenDocument (.odt)"
)
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
# Types that say nothing of what a response holds: none named (a misconfigured server), or
# "bytes" (a storage bucket's default). Its first bytes say whether it is a page, a document or a
# text (`sniffed_type`).
_UNLABELLED_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
# What is read of such a response before it is judged: a Word file's first members say what it
# is within a few kilobytes, a text's first lines; its rest is not downloaded when they say it
# is none of ours.
_SNIFFED_BYTES = 65_536
# What plain text never holds: the control characters other than tabs and line breaks.
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
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


def parse_bytes(
    data: bytes,
    *,
    name: str | None,
    source: str | None,
    max_bytes: int,
    charset: str | None = None,
    url: str | None = None,
    checkpoint: Callable[[], None] | None = None,
    limits: ReadingLimits = READING_LIMITS,
) -> Document:
    """A document from raw bytes, by what it holds (a PDF, Word or OpenDocument file, an HTML
    page) and else by its name's suffix. A name without a suffix of ours (lost by a phone or a
    mail program: "article", "compte-rendu 12.03") says nothing: its file is read as text unless
    it is binary; one naming another format ("photo.jpg", "rapport.bin") is refused unless its
    content is one of ours. `charset`: as a server declared it. `checkpoint`: as
    `parse_document` calls it while a PDF is read, `parse_html` a heavy page; `limits`: what
    reading it may cost."""
    if not data.strip():
        raise EmptyInput("le contenu est vide")
    if len(data) > max_bytes:
        raise InputTooLarge(
            f"le contenu fait {french(len(data))} octets, au-delà de la limite de {french(max_bytes)} octets"
        )
    suffix = Path(name).suffix.lower() if name else ""
    named_otherwise = suffix not in SUPPORTED_SUFFIXES and _names_another_format(name)
    if suffix not in SUPPORTED_SUFFIXES:
        suffix = ""
    # What the bytes are, when they say it, before what the name says: a Word file named .odt, an
    # HTML page saved as .pdf are read as what they are rather than refused as damaged.
    sniffed_html = looks_like_html(data[:2048].decode("latin-1"))
    kind = _document_kind(data)
    if kind and _went_through_text(data):
        raise UnsupportedInput(BINARY_CONTENT)
    kind = kind or (suffix if suffix in DOCUMENT_SUFFIXES and not sniffed_html else None)
    if kind:
        return parse_document(data, kind, name=name, source=source, checkpoint=checkpoint, limits=limits)
    if named_otherwise and not sniffed_html:
        raise _unsupported(name)
    html = suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and sniffed_html)
    try:
        text = decode_document(data, declared=charset, html=html)
    except UnsupportedInput:
        if name and not suffix:  # none of what we read, by its content as by its name
            raise _unsupported(name) from None
        raise
    if html:
        return parse_html(text, url=url, source=source, checkpoint=checkpoint, limits=limits)
    return parse_text(text, name=name, source=source)


def _names_another_format(name: str | None) -> bool:
    """Whether `name` says its file is of a format that holds no article we read (a photo, a
    video, an archive, an old .doc, JSON): such a file is read only when its content says it is
    one of ours. A name that says nothing ("article", "compte-rendu 12.03") leaves it to the
    content."""
    kind = file_type(name or "")
    return kind is not None and not kind.startswith("text/")


# Python's own table of file types, not the host's `/etc/mime.types` (which `mimetypes.guess_type`
# reads when there is one): a slim container image has none, and with one ".xml", ".org" or
# ".asc" read as another format, so the same file was refused on one machine and read on another.
_BUILT_IN_TYPES = mimetypes.MimeTypes()


def file_type(name: str) -> str | None:
    """The type of file `name` says it is ("photo.jpg": image/jpeg), by Python's own table, the
    same on every machine; None for a name no type is known by ("article", "lemonde.fr")."""
    return _BUILT_IN_TYPES.guess_type(name, strict=False)[0]


def _unsupported(name: str) -> UnsupportedInput:
    return UnsupportedInput(f"type de fichier non pris en charge ({name}) ; envoyez {SUPPORTED_TYPES_TEXT}")


def _document_kind(data: bytes) -> str | None:
    """A PDF, DOCX or ODT file recognised by its first `_SNIFFED_BYTES` (a name is not always
    given, nor a type by every server)."""
    head = data[:_SNIFFED_BYTES]
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if not head.startswith(_LOCAL_HEADER):
        return None
    members = list(_zip_members(head))
    first_name, first_method, first_data = members[0] if members else ("", 0, b"")
    # OpenDocument: its first member, stored uncompressed, is "mimetype", its type as it is.
    if first_name == "mimetype" and first_method == 0 and first_data.startswith(_ODT_MIMETYPE):
        return ".odt"
    # Word: its parts under "word/", or its `[Content_Types].xml` naming a Word document's part
    # (Word writes that member first, and a part's name may be anything it declares there).
    for name, method, content in members:
        if name.startswith("word/") or (
            name == "[Content_Types].xml" and _WORD_MAIN_PART in _member_start(method, content)
        ):
            return ".docx"
    return None


def _went_through_text(data: bytes) -> bool:
    """Whether a document's bytes (`_document_kind`) went through text: pasted as a message
    ("%PDF-1.7 …"), or saved by a text editor in a .txt. Its other bytes than ASCII then make
    valid UTF-8, as a document's own never do (a PDF's binary comment, its compressed streams):
    they were read as characters and written back, the rest of the document lost with them. A
    PDF had its text read as mojibake ("votï¿½") and stored as an article, another was said to
    be a scan. A document all in ASCII is the document itself, whatever it came through."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_LOCAL_HEADER = b"PK\x03\x04"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_WORD_MAIN_PART = b"wordprocessingml.document.main+xml"


def _zip_members(head: bytes) -> Iterator[tuple[str, int, bytes]]:
    """The members of a zip file whose local header `head` holds, in order: each one's name,
    compression method and what `head` holds of its data from its start. Found by their
    signature, not by each one's declared size: a streamed zip declares none before its data."""
    for found in re.finditer(re.escape(_LOCAL_HEADER), head):
        start = found.start()
        if len(head) < start + 30:
            return
        method, name_length, extra_length = (
            int.from_bytes(head[start + 8 : start + 10], "little"),
            int.from_bytes(head[start + 26 : start + 28], "little"),
            int.from_bytes(head[start + 28 : start + 30], "little"),
        )
        name = head[start + 30 : start + 30 + name_length]
        if len(name) < name_length:
            return
        yield name.decode("utf-8", "replace"), method, head[start + 30 + name_length + extra_length :]


def _member_start(method: int, data: bytes) -> bytes:
    """The first bytes a member's data unpacks to (stored, or deflated as zip files mostly are);
    empty for another method or data damaged or cut short before any of it."""
    if method == 0:
        return data[:_SNIFFED_BYTES]
    if method != 8:
        return b""
    try:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, _SNIFFED_BYTES)
    except zlib.error:
        return b""


def read_file(path: Path, *, max_bytes: int, limits: ReadingLimits = READING_LIMITS) -> Document:
    if not path.is_file():
        if path.exists():  # /dev/null, a named pipe, a socket: nothing to read as an article
            raise UnsupportedInput(f"pas un fichier ordinaire : {path} (périphérique, tube ou socket)")
        raise UnsupportedInput(f"fichier introuvable : {path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputTooLarge(
            f"{path.name} fait {french(size)} octets, au-delà de la limite de {french(max_bytes)} octets"
        )
    return parse_bytes(
        path.read_bytes(), name=readable(path.name), source=readable(str(path)), max_bytes=max_bytes, limits=limits
    )


def expand_paths(path: Path) -> Iterator[Path]:
    """A file as itself; a directory as its supported files, recursively, in name order,
    leaving out hidden files and whatever hidden folders hold (`.git`, `.venv`, `.cache`: a
    home folder given whole would otherwise add their thousands of licences and manuals; they
    are not even walked through). Linked folders are not entered (a link back up would loop)."""
    if not path.is_dir():
        yield path
        return
    found = []
    for folder, subfolders, names in os.walk(path):  # hidden folders are never entered
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES
        ]
    yield from sorted(child for child in found if child.is_file())


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
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"adresse refusée : {url} (seules les URL http et https sont acceptées)")
    # Looked up, and named to the site, in its ASCII form; named to the user as they typed it
    # ("mairie-épinal.fr", never "xn--mairie-pinal-heb.fr").
    typed, host = parts.hostname, _ascii_host(parts.hostname, url)
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
    """`host` as DNS, the `Host` header and TLS name it: a name in accented letters
    ("élysée.fr", as French sites may be named) in its ASCII form ("xn--lyse-9oad.fr"). httpx
    takes no other in a header: such an address failed with an error of the bot's own. Only
    for them: messages name the host as it was typed."""
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
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
    to_sniff = response.status_code != 304 and accept is not None and content_type in _UNLABELLED_TYPES

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
            if to_sniff and len(body) >= _SNIFFED_BYTES:
                refuse_unless_accepted(sniffed_type(bytes(body[:_SNIFFED_BYTES]), whole=False) or content_type)
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


def is_article_type(content_type: str) -> bool:
    """Whether a response of this type can hold an article (page, text or document). An
    unlabelled one is judged by the type its first bytes show (`sniffed_type`), as `fetch`
    reads them."""
    return content_type in _HTML_TYPES | _TEXT_TYPES | DOCUMENT_TYPES.keys()


_DOCUMENT_TYPE_OF = {suffix: content_type for content_type, suffix in DOCUMENT_TYPES.items()}
# At most this share of a text not in UTF-8 is other than ASCII, and mostly French letters and
# typography, for it to be read as one (in Windows-1252, ISO-8859-1's superset, as French files
# written on Windows are): French writes "é", "à", "ç" here and there between plain letters, and
# a word processor's quotes, dashes and spaces ("l’opposition", « … », "–", "…", a non-breaking
# space before ":"); anything else so decoded is noise.
_MOST_NON_ASCII_SHARE = 0.2
_NOT_ASCII = re.compile("[^\x00-\x7f]")
_FRENCH_TYPOGRAPHY = frozenset("’‘“”«»–—…\u00a0\u202f€°œæŒÆ")


def _written_in_french(character: str) -> bool:
    """Whether a character other than ASCII is one French text is made of: a letter, or a
    mark of French typography (a Word text's "’", « », "–", "…", non-breaking spaces)."""
    return character.isalpha() or character in _FRENCH_TYPOGRAPHY


def sniffed_type(body: bytes, *, whole: bool = True) -> str | None:
    """The type an unlabelled response's first bytes show (`body`, or its start when not
    `whole`): a PDF, a Word or OpenDocument file, an HTML page, or plain text (valid UTF-8, or
    what reads as text as `decode_document` reads it: Windows-1252, UTF-8 with a stray byte;
    without control characters); None for anything else (an image, another archive, noise)."""
    head = body[:_SNIFFED_BYTES]
    kind = _document_kind(head)
    if kind:
        return _DOCUMENT_TYPE_OF[kind]
    if looks_like_html(head.decode("latin-1")):
        return "text/html"
    try:  # a character cut at the end of the head is not an invalid one
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=whole and len(head) == len(body))
    except UnicodeDecodeError:
        try:  # as it is read then: Windows-1252, or UTF-8 with a stray byte
            text = decode_document(head)
        except UnsupportedInput:
            return None
        others = _NOT_ASCII.findall(text)
        if len(others) > _MOST_NON_ASCII_SHARE * len(text) or 2 * sum(map(_written_in_french, others)) < len(others):
            return None
    return "text/plain" if _NOT_IN_TEXT.search(text) is None else None


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
    if content_type in _UNLABELLED_TYPES:
        content_type = sniffed_type(fetched.body) or content_type
    if not is_article_type(content_type):
        raise FetchError(f"{current} n'est pas une page d'article (type « {fetched.content_type or 'inconnu'} »)")
    name = urlsplit(current).path.rsplit("/", 1)[-1] or None
    if content_type in DOCUMENT_TYPES:
        name = Path(name or "document").with_suffix(DOCUMENT_TYPES[content_type]).name
    elif content_type in _HTML_TYPES:
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
    if content_type in _HTML_TYPES:
        return document
    return replace(document, url=document.url or current)

"""Reading what users give us (files, directories, bytes: a message's, an upload's, a fetched
response's) into `Document`s, and telling from its first bytes what a file or an unlabelled
response holds (`sniffed_type`). Fetching a link is `index.fetching`'s."""

from __future__ import annotations

import codecs
import mimetypes
import os
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from index.bounded_reading import READING_LIMITS, ReadingLimits
from index.decoding import BINARY_CONTENT, FRENCH_TYPOGRAPHY, decode_document, readable
from index.documents import Document, looks_like_html, parse_html, parse_text
from index.errors import EmptyInput, InputTooLarge, UnsupportedInput
from index.formats import DOCUMENT_SUFFIXES, DOCUMENT_TYPES, parse_document
from index.numbers import french

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | DOCUMENT_SUFFIXES
SUPPORTED_TYPES_TEXT = (
    "un texte (.txt, .md), une page HTML (.html), un PDF, un document Word (.docx) ou OpenDocument (.odt)"
)
HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain", "text/markdown", "text/x-markdown"}
# Types that say nothing of what a response holds: none named (a misconfigured server), or
# "bytes" (a storage bucket's default). Its first bytes say whether it is a page, a document or a
# text (`sniffed_type`).
UNLABELLED_TYPES = {"", "application/octet-stream", "binary/octet-stream"}
# What is read of such a response before it is judged: a Word file's first members say what it
# is within a few kilobytes, a text's first lines; its rest is not downloaded when they say it
# is none of ours.
SNIFFED_BYTES = 65_536
# What plain text never holds: the control characters other than tabs and line breaks.
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


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
    """A PDF, DOCX or ODT file recognised by its first `SNIFFED_BYTES` (a name is not always
    given, nor a type by every server)."""
    head = data[:SNIFFED_BYTES]
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
        return data[:SNIFFED_BYTES]
    if method != 8:
        return b""
    try:
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(data, SNIFFED_BYTES)
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


def is_article_type(content_type: str) -> bool:
    """Whether a response of this type can hold an article (page, text or document). An
    unlabelled one is judged by the type its first bytes show (`sniffed_type`), as `fetch`
    reads them."""
    return content_type in HTML_TYPES | _TEXT_TYPES | DOCUMENT_TYPES.keys()


_DOCUMENT_TYPE_OF = {suffix: content_type for content_type, suffix in DOCUMENT_TYPES.items()}
# At most this share of a text not in UTF-8 is other than ASCII, and mostly French letters and
# typography, for it to be read as one (in Windows-1252, ISO-8859-1's superset, as French files
# written on Windows are): French writes "é", "à", "ç" here and there between plain letters, and
# a word processor's quotes, dashes and spaces ("l’opposition", « … », "–", "…", a non-breaking
# space before ":"); anything else so decoded is noise.
_MOST_NON_ASCII_SHARE = 0.2
_NOT_ASCII = re.compile("[^\x00-\x7f]")


def _written_in_french(character: str) -> bool:
    """Whether a character other than ASCII is one French text is made of: a letter, or a
    mark of French typography (a Word text's "’", « », "–", "…", non-breaking spaces)."""
    return character.isalpha() or character in FRENCH_TYPOGRAPHY


def sniffed_type(body: bytes, *, whole: bool = True) -> str | None:
    """The type an unlabelled response's first bytes show (`body`, or its start when not
    `whole`): a PDF, a Word or OpenDocument file, an HTML page, or plain text (valid UTF-8, or
    what reads as text as `decode_document` reads it: Windows-1252, UTF-8 with a stray byte;
    without control characters); None for anything else (an image, another archive, noise)."""
    head = body[:SNIFFED_BYTES]
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

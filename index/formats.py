"""Office documents and PDFs as articles: PDF (`pypdf`), Word (`python-docx`), OpenDocument
text (`odfpy`).

Each becomes the text a reader reads, in reading order, as paragraphs and headings (then
cleaned like any article), with the title, author and date its metadata give. PDFs need
more repair than the others: words hyphenated at line ends are joined again, lines are
joined into paragraphs, and running headers, footers and page numbers (lines repeated on
most pages, numbers alone on a line) are not part of the text. A PDF without text (a scan)
gets a clear refusal: no text can be quoted from an image.
"""

from __future__ import annotations

import copy
import io
import logging
import re
import statistics
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from index.bounded_reading import READING_LIMITS, Checkpoint, ReadingLimits, read_in_own_process
from index.cleaning import table_row
from index.documents import Document, normalise_date, parse_text
from index.errors import InputTooLarge, UnsupportedInput
from index.numbers import french

PDF_SUFFIXES = {".pdf"}
WORD_SUFFIXES = {".docx"}
ODT_SUFFIXES = {".odt"}
DOCUMENT_SUFFIXES = PDF_SUFFIXES | WORD_SUFFIXES | ODT_SUFFIXES
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}
_PAGE_NUMBER = re.compile(r"^\s*(?:page|p\.)?\s*\d{1,4}\s*(?:/\s*\d{1,4}|sur\s+\d{1,4})?\s*$", re.IGNORECASE)
# A word cut at a line end ("gouverne-\nment") is joined again, but not a compound that keeps
# its hyphen: by its second half ("peut-\nêtre", "a-\nt-il") or by its first ("porte-\nparole",
# "vice-\nprésident", "week-\nend", "au-\ndelà", "vingt-\ntrois").
# A second half in capitals or figures is a name's or a code's ("Jean-\nPierre", "Saint-\nÉtienne",
# "Covid-\n19"): its hyphen stays. So does a pronoun's after a verb ("pensez-\nvous", "est-\nce",
# "allons-\ny") and "à"'s ("c'est-à-\ndire", "vis-à-\nvis"). A word the document writes elsewhere
# on one line, with its hyphen or without, is written so at a line end too.
_HYPHENATED = re.compile(r"((?:\w+-)*\w+)-\n(\w+(?:-\w+)*)")  # whole compounds on either side
_COMPOUND_TAILS = frozenset(
    """
    être il ils elle elles on ci là même mêmes t dessus dessous delà deçà ce je tu nous vous moi toi
    lui leur leurs y en
    """.split()
)
_COMPOUND_HEADS = frozenset(
    """
    porte vice week au là ci ex non demi mi semi sous arrière avant après grand grande beau belle
    chef chefs garde pare vingt trente quarante cinquante soixante quatre dix sans état états à
    nord sud franco germano italo anglo russo sino plus moins libre
    """.split()
)


def _rejoined(match: re.Match, written: set[str]) -> str:
    head, tail = match[1], match[2]
    if not tail[0].islower() or f"{head}-{tail}".lower() in written:
        keeps_hyphen = True
    elif (head + tail).lower() in written:
        keeps_hyphen = False
    else:
        last, first = head.rsplit("-", 1)[-1].lower(), tail.split("-", 1)[0].lower()
        keeps_hyphen = last in _COMPOUND_HEADS or first in _COMPOUND_TAILS
    return f"{head}-{tail}" if keeps_hyphen else head + tail


_ENDS_SENTENCE = re.compile(r"[.!?:»”)\]]$")


log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Metadata:
    title: str | None = None
    author: str | None = None
    date: str | None = None


def parse_document(
    data: bytes,
    suffix: str,
    *,
    name: str | None,
    source: str | None,
    checkpoint: Checkpoint | None = None,
    limits: ReadingLimits = READING_LIMITS,
) -> Document:
    """A PDF, DOCX or ODT file as a `Document`, within `limits`. `checkpoint` is called every
    `index.bounded_reading.CHECK_EVERY_SECONDS` while a PDF or a heavy Word or OpenDocument
    file is read: what it raises ends the reading process."""
    try:
        if suffix == ".pdf":
            markdown, metadata = _read_pdf(data, checkpoint, limits)
        else:
            markdown, metadata = _read_office(data, suffix, checkpoint, limits)
    except (UnsupportedInput, InputTooLarge):
        raise
    except Exception as exc:  # a damaged or encrypted file: the library's own error, in French
        kind = {".pdf": "PDF", ".docx": "Word", ".odt": "OpenDocument"}[suffix]
        # What the reader said (in English) goes to the log; the user is told what to do.
        log.info("%s file not read: %s: %s", kind, type(exc).__name__, exc)
        raise UnsupportedInput(
            f"le document {suffix} est illisible : ce n'est pas un fichier {kind} valide, ou il est endommagé "
            "(réenregistrez-le depuis son logiciel, ou envoyez le texte)"
        ) from exc
    title = _useful_title(metadata.title)
    if title:  # the document names itself: its first heading is a section heading, not the title
        markdown = f"titre: {title}\n\n{markdown}"
    document = parse_text(markdown, name=name, source=source)
    blocks = document.blocks
    if blocks[0].kind == "heading" and blocks[0].text.casefold() == document.title.casefold():
        blocks = blocks[1:]  # the title set again in the text (Word's "Title" style): no section's name
    return replace(
        document,
        blocks=blocks,
        author=metadata.author or document.author,
        date=normalise_date(metadata.date) or document.date,
    )


# The XML a Word or OpenDocument file may unpack to. It compresses a hundredfold or more: a
# 9 KB file of empty paragraphs unpacks to 4 MB, which took 318 MB of memory to read. An
# article's, even a long report's, is well under (its pictures are not counted). A part's
# relationships (`.rels`) are XML too, and read as such; so is a part whatever its name when it
# holds XML (`_is_markup`): the readers find the document by the package's own references, and
# a 62 KB Word file whose document was stored as "word/document.bin" unpacked to 42 MB of XML,
# which took 20 s and 1 GB of memory to read, in the bot's own process.
MAX_UNPACKED_XML_BYTES = 5_000_000
# Everything the file may unpack to, pictures included: the readers load every part (python-docx
# each part the document refers to, odfpy each one its manifest lists), and a 1 MB file whose
# "picture" unpacked to 1 GB of zeros took 2 GB of memory. Pictures barely compress: a file of
# the 20 MB Telegram serves bots unpacks to about as much.
MAX_UNPACKED_BYTES = 50_000_000
_MARKUP_SUFFIXES = (".xml", ".rels")


# Unpacked this many bytes at a time when a part's size is checked.
_UNPACKED_PIECE = 65_536


def _read_office(
    data: bytes, suffix: str, checkpoint: Checkpoint | None, limits: ReadingLimits
) -> tuple[str, _Metadata]:
    """A Word or OpenDocument file's text (Markdown) and properties, within the size limits
    (`_check_unpacked_size`), read here when its XML is light (`ReadingLimits.office_xml_bytes`),
    else in a process of its own."""
    if _check_unpacked_size(data, suffix) <= limits.office_xml_bytes:
        return _OFFICE_READERS[suffix](data)
    answer = read_in_own_process(
        "office",
        data,
        {"suffix": suffix},
        too_long=f"le document {suffix} demande plus de {{seconds}} secondes de lecture : "
        "trop volumineux pour un article",
        too_heavy=f"le document {suffix} demande plus de {{memory}} octets de mémoire à lire : "
        "trop volumineux pour un article",
        checkpoint=checkpoint,
        limits=limits,
    )
    return answer["markdown"], _Metadata(**answer["metadata"])


def read_office_here(data: bytes, suffix: str) -> dict:
    """`_read_office`'s reading in this process, as the reading process answers it (JSON)."""
    markdown, metadata = _OFFICE_READERS[suffix](data)
    return {"markdown": markdown, "metadata": asdict(metadata)}


def _check_unpacked_size(data: bytes, suffix: str) -> int:
    """The bytes of XML the file unpacks to; `InputTooLarge` past the caps, a damaged file's
    error for a part that unpacks past its declared size. The parts named as XML are counted
    before any is unpacked; the others are told by their first bytes as they are checked."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        unpacked = sum(info.file_size for info in parts)
        _check_caps(sum(info.file_size for info in parts if _named_markup(info)), unpacked, suffix)
        markup = sum(info.file_size for info in parts if _checked_part_is_markup(archive, info))
        _check_caps(markup, unpacked, suffix)
    return markup


def _check_caps(markup: int, unpacked: int, suffix: str) -> None:
    if markup > MAX_UNPACKED_XML_BYTES:
        raise InputTooLarge(
            f"le document {suffix} se décompresse en {french(markup)} octets de texte balisé, au-delà de la "
            f"limite de {french(MAX_UNPACKED_XML_BYTES)} octets : trop volumineux pour un article"
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputTooLarge(
            f"le document {suffix} se décompresse en {french(unpacked)} octets, au-delà de la "
            f"limite de {french(MAX_UNPACKED_BYTES)} octets : trop volumineux pour un article"
        )


def _named_markup(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith(_MARKUP_SUFFIXES)


# What may come before an XML part's first "<": a byte-order mark, the zeros of UTF-16 or
# UTF-32, white space. A picture's or a font's first bytes are others ("\x89PNG", "\xff\xd8").
_BEFORE_MARKUP = b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"


def _checked_part_is_markup(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part is XML, by its name or else by its first bytes (the readers parse the
    parts the package's references name, whatever their names' extensions), once it is checked
    to unpack to no more than the size it declares (the sizes the caps count are the declared
    ones). zipfile's own reading of a part cuts its text at that size, but only after inflating
    all the compressed bytes in one piece: a 1 MB Word file whose document declared its few
    kilobytes, and held a gigabyte of spaces after them, took 1.9 GB of memory to read. Here the
    part is unpacked a piece at a time, one byte past its declared size at most."""
    one_byte_more = copy.copy(info)
    one_byte_more.file_size = info.file_size + 1
    unpacked, opening = 0, b""  # its first bytes past white space: megabytes of it may come before XML
    with archive.open(one_byte_more) as part:
        while piece := part.read(_UNPACKED_PIECE):
            opening = opening or piece.lstrip(_BEFORE_MARKUP)
            unpacked += len(piece)
            if unpacked > info.file_size:
                raise zipfile.BadZipFile(f"{info.filename} unpacks to more than its declared {info.file_size} bytes")
    return _named_markup(info) or opening.startswith(b"<")


_PLACEHOLDER_TITLE = re.compile(
    r"^(?:microsoft word - .*|document\s*\d*|untitled.*|sans titre.*|.*\.(?:docx?|odt|pdf|rtf))$", re.IGNORECASE
)


def _useful_title(title: str | None) -> str | None:
    """A title from document properties, unless it is a word processor's placeholder."""
    if not title or _PLACEHOLDER_TITLE.match(title.strip()):
        return None
    return title


# --- PDF --------------------------------------------------------------------------------
def _read_pdf(data: bytes, checkpoint: Checkpoint | None, limits: ReadingLimits) -> tuple[str, _Metadata]:
    pages, info = _pdf_pages_and_properties(data, checkpoint, limits)
    if sum(len(p.strip()) for p in pages) < 20 * max(len(pages), 1) and sum(len(p.split()) for p in pages) < 20:
        raise UnsupportedInput(
            "ce PDF ne contient pas de texte (document numérisé ?) : seuls les PDF dont le texte est "
            "sélectionnable peuvent être cités"
        )
    metadata = _Metadata(
        title=_clean_field(info.get("/Title")),
        author=_clean_field(info.get("/Author")),
        date=None if _printed_by_a_browser(info) else _pdf_date(info.get("/CreationDate")),
    )
    return _pdf_text(pages), metadata


def _pdf_pages_and_properties(
    data: bytes, checkpoint: Checkpoint | None, limits: ReadingLimits
) -> tuple[list[str], dict[str, str | None]]:
    """Each page's text and the document's properties, within `limits.pdf_drawing_bytes` of
    drawing instructions in all (a page's own, counted at each page that draws them), and
    `limits`' time and memory."""
    answer = read_in_own_process(
        "pdf",
        data,
        {"max_content_bytes": limits.pdf_drawing_bytes},
        too_long="le PDF demande plus de {seconds} secondes de lecture : trop volumineux pour un article",
        too_heavy="le PDF demande plus de {memory} octets de mémoire à lire : trop volumineux pour un article",
        checkpoint=checkpoint,
        limits=limits,
    )
    refused = answer.get("refused")
    if refused == "encrypted":
        raise UnsupportedInput("ce PDF est protégé par un mot de passe : enregistrez-en une copie sans protection")
    if refused == "drawing":
        raise InputTooLarge(
            f"le PDF dessine plus de {french(limits.pdf_drawing_bytes)} octets d'instructions : "
            "trop volumineux pour un article"
        )
    return answer["pages"], answer["properties"]


def _pdf_text(pages: list[str]) -> str:
    """Paragraphs of the PDF's pages, without running headers, footers or page numbers. A
    paragraph goes on over a page break until a line ends its sentence; a heading (a short
    line without final punctuation, after a sentence's end) is a paragraph of its own."""
    from index.cleaning import is_heading

    page_lines = [[line.strip() for line in page.split("\n")] for page in pages]
    running = _running_lines(page_lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for lines in page_lines:
        kept = [line for line in lines if line and not _PAGE_NUMBER.match(line) and _shape(line) not in running]
        if not kept:
            continue
        typical = statistics.median(len(line) for line in kept)
        for at, line in enumerate(kept):
            after_a_sentence = not current or _ENDS_SENTENCE.search(current[-1])
            next_line = kept[at + 1] if at + 1 < len(kept) else ""
            goes_on = line.endswith("-") or next_line[:1].islower()  # a sentence's start, not a heading
            if after_a_sentence and len(line) < 0.8 * typical and is_heading(line) and not goes_on:
                if current:
                    paragraphs.append("\n".join(current))
                paragraphs.append(line)
                current = []
                continue
            current.append(line)
            if _ENDS_SENTENCE.search(line) and len(line) < 0.8 * typical:  # a paragraph's last, short line
                paragraphs.append("\n".join(current))
                current = []
        if current and _ENDS_SENTENCE.search(current[-1]):  # a page's last line that ends its sentence
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    written = {word.lower() for p in paragraphs for line in p.split("\n") for word in re.findall(r"\w+(?:-\w+)*", line)}
    return "\n\n".join(_HYPHENATED.sub(lambda match: _rejoined(match, written), p) for p in paragraphs)


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines (digits aside) that start or end most pages: headers and footers."""
    if len(page_lines) < 3:
        return set()
    edges = Counter(_shape(line) for lines in page_lines for line in {*(lines[:2]), *(lines[-2:])} if line.strip())
    return {shape for shape, count in edges.items() if count >= max(3, 0.6 * len(page_lines))}


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


# What a web browser, or a system's "print to PDF", writes as the PDF's creator or producer.
_BROWSER_PRINT = re.compile(r"Mozilla/|Chrome|Chromium|Firefox|Safari|Skia/PDF|Print To PDF|\bEdg/", re.IGNORECASE)


def _printed_by_a_browser(info) -> bool:
    """Whether the PDF is a web page printed to a file: its creation date is then the day it
    was printed, not the article's, and it is better shown undated."""
    return bool(_BROWSER_PRINT.search(f"{info.get('/Creator') or ''} {info.get('/Producer') or ''}"))


def _pdf_date(value) -> str | None:
    """`D:20240305120000+01'00'` → `2024-03-05`."""
    match = re.match(r"^D:(\d{4})(\d{2})?(\d{2})?", str(value or ""))
    if not match:
        return None
    return "-".join(part for part in match.groups() if part)


# --- Word --------------------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Inside a paragraph, what is not its text: what a reviewer deleted or moved away (still
# there for "track changes"), a text box's paragraphs (read after it), a drawing's fallback
# copy, a field's code.
_DOCX_UNREAD = {f"{_W}del", f"{_W}moveFrom", f"{_W}txbxContent", _FALLBACK, f"{_W}instrText", f"{_W}rPr", f"{_W}pPr"}
_DOCX_CHARACTERS = {f"{_W}tab": " ", f"{_W}br": " ", f"{_W}cr": " ", f"{_W}noBreakHyphen": "-"}


def _read_docx(data: bytes) -> tuple[str, _Metadata]:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document(io.BytesIO(data))
    # Style names by id, read once: `paragraph.style` looks its style up among all of them,
    # about a millisecond a paragraph.
    names = {style.style_id: (style.name or "").lower() for style in document.styles}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = (default.name or "").lower() if default is not None else ""

    def style_of(element) -> str:
        # The paragraph's own style id, read from the Office Open XML itself (`w:pPr/w:pStyle`,
        # empty for the default style): python-docx keeps that id behind a private attribute only.
        found = element.find(f"{_W}pPr/{_W}pStyle")
        style_id = found.get(f"{_W}val") if found is not None else None
        return names.get(style_id, "") if style_id else default_name

    blocks = [block for element in document.element.body for block in _docx_blocks(element, style_of)]
    notes = [
        block
        for note in _docx_footnotes(document)
        if note.get(f"{_W}type") in (None, "normal")
        for element in note
        for block in _docx_blocks(element, style_of)
    ]
    if notes:  # footnotes, read after the text rather than lost
        blocks += ["# Notes", *notes]
    properties = document.core_properties
    # A file a program wrote with python-docx and left its template's properties in says it was
    # written by "python-docx" on 23 December 2013: neither is the article's.
    template = _clean_field(properties.author) == "python-docx"
    metadata = _Metadata(
        title=_clean_field(properties.title),
        author=None if template else _clean_field(properties.author),
        date=None if template and _iso(properties.created) == "2013-12-23" else _iso(properties.created),
    )
    return "\n\n".join(blocks), metadata


def _docx_blocks(element, style_of) -> list[str]:
    """The body's headings and paragraphs in order, with what Word shows of them: text added
    with "track changes" on, in content controls, smart tags and fields, in tables (a row as
    one paragraph) and text boxes; a list's items opening on "- "."""
    tag = element.tag
    if tag == f"{_W}p":
        text = " ".join(_docx_text(element).split())
        style = style_of(element)
        boxes = [
            block
            for box in element.iter(f"{_W}txbxContent")
            if not any(ancestor.tag == _FALLBACK for ancestor in box.iterancestors())
            for child in box
            for block in _docx_blocks(child, style_of)
        ]
        if not text:
            return boxes
        if style.startswith(("heading", "titre")) or style == "title":
            return [f"# {text}", *boxes]
        if style.startswith("list") or element.find(f"{_W}pPr/{_W}numPr") is not None:
            return [f"- {text}", *boxes]  # an item as a text writes it: text, never a heading
        return [text, *boxes]
    if tag == f"{_W}tr":
        cells = [
            " ".join(block.removeprefix("# ") for child in cell for block in _docx_blocks(child, style_of))
            for cell in element.iter(f"{_W}tc")
            if next(cell.iterancestors(f"{_W}tr"), None) is element  # not a nested table's
        ]
        row = table_row(cells)
        return [row] if row else []
    if tag in (f"{_W}tbl", f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"):
        return [block for child in element for block in _docx_blocks(child, style_of)]
    return []


def _docx_text(element) -> str:
    parts = []
    for child in element:
        tag = child.tag
        if tag in _DOCX_UNREAD or not isinstance(tag, str):
            continue
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in _DOCX_CHARACTERS:
            parts.append(_DOCX_CHARACTERS[tag])
        elif tag == f"{_W}r" and _hidden(child):
            continue
        else:
            parts.append(_docx_text(child))
    return "".join(parts)


def _hidden(run) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(f"{_W}val", "true").lower() not in ("0", "false", "off")


def _docx_footnotes(document) -> list:
    from lxml import etree

    for relationship in document.part.rels.values():
        if relationship.reltype.endswith("/footnotes") and not relationship.is_external:
            root = etree.fromstring(relationship.target_part.blob, etree.XMLParser(resolve_entities=False))
            return root.findall(f"{_W}footnote")
    return []


# --- OpenDocument ---------------------------------------------------------------------------
def _read_odt(data: bytes) -> tuple[str, _Metadata]:
    from odf import dc, meta, teletype
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    notes: list[str] = []
    blocks = [block for element in document.text.childNodes for block in _odt_blocks(element, notes)]
    if notes:  # a page's footnotes, read after its text rather than inside the sentence that calls them
        blocks += ["# Notes", *notes]

    def first(kind) -> str | None:
        found = document.meta.getElementsByType(kind)
        return teletype.extractText(found[0]) if found else None

    metadata = _Metadata(
        title=_clean_field(first(dc.Title)),
        author=_clean_field(first(dc.Creator) or first(meta.InitialCreator)),
        date=(first(meta.CreationDate) or first(dc.Date) or "")[:10] or None,
    )
    return "\n\n".join(blocks), metadata


_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
# What a reader never reads as the text: the text a reviewer deleted (kept for "track
# changes"), comments, a table of contents or an index (the headings again, with page numbers).
_ODT_UNREAD = {
    (_TEXT, "tracked-changes"),
    (_OFFICE, "annotation"),
    (_OFFICE, "annotation-end"),
    (_TEXT, "note-citation"),
    *((_TEXT, index) for index in ("table-of-content", "alphabetical-index", "illustration-index")),
    *((_TEXT, index) for index in ("table-index", "object-index", "user-index", "bibliography")),
}


def _odt_blocks(element, notes: list[str]) -> list[str]:
    """Headings and paragraphs in document order, looking inside sections and lists (an item
    opens on "- "); a table's row as one paragraph; footnotes added to `notes`."""
    qname = getattr(element, "qname", None)
    if qname in _ODT_UNREAD:
        return []
    if qname in ((_TEXT, "h"), (_TEXT, "p")):
        inside: list[str] = []  # a text box's paragraphs, after the one that holds it
        content = " ".join(_odt_text(element, notes, inside).split())
        return ([("# " if qname[1] == "h" else "") + content] if content else []) + inside
    if qname == (_TEXT, "list-item"):  # an item as a text writes it ("- …"): text, never a heading
        blocks = [block for child in element.childNodes for block in _odt_blocks(child, notes)]
        return [f"- {blocks[0]}", *blocks[1:]] if blocks and not blocks[0].startswith("# ") else blocks
    if qname == (_TABLE, "table-row"):
        cells = [
            " ".join(block.removeprefix("# ") for block in _odt_blocks(cell, notes)) for cell in element.childNodes
        ]
        row = table_row(cells)
        return [row] if row else []
    return [block for child in getattr(element, "childNodes", []) for block in _odt_blocks(child, notes)]


def _odt_text(element, notes: list[str], inside: list[str]) -> str:
    """A paragraph's own text; its footnotes go to `notes`, a text box's paragraphs to `inside`."""
    parts = []
    for child in element.childNodes:
        qname = getattr(child, "qname", None)
        if child.nodeType == child.TEXT_NODE:
            parts.append(child.data)
        elif qname in _ODT_UNREAD:
            continue
        elif qname in ((_TEXT, "s"), (_TEXT, "tab"), (_TEXT, "line-break")):
            parts.append(" ")
        elif qname == (_TEXT, "note-body"):
            notes.extend(block for part in child.childNodes for block in _odt_blocks(part, notes))
        elif qname in ((_TEXT, "h"), (_TEXT, "p"), (_TABLE, "table")):
            inside.extend(_odt_blocks(child, notes))
        else:
            parts.append(_odt_text(child, notes, inside))
    return "".join(parts)


_OFFICE_READERS = {".docx": _read_docx, ".odt": _read_odt}  # by suffix, for `_read_office`


def _clean_field(value) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _iso(value) -> str | None:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return None

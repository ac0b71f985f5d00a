"""Bytes to text as a reader's browser or editor would decode them: never refuse readable text.

In order: a byte-order mark; UTF-8 when the bytes are valid UTF-8 (whatever a page
declares: mislabelled pages are common, and valid UTF-8 by accident is not); the charset
the server declared, then the one the page declares (`<meta charset>`, `http-equiv`, else an
XHTML page's XML declaration, `<?xml … encoding="iso-8859-15"?>`), read
as browsers read it (ISO-8859-1 as Windows-1252, its superset) and never refused for a
stray byte; UTF-8 with a stray byte or two, when that reads more of it; Windows-1252 (French files written on
Windows); detection (`charset_normalizer`). Only binary data (NUL bytes outside UTF-16/32)
is refused.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

from index.errors import UnsupportedInput

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# An XHTML page (an older CMS's, a `.xhtml` file) may declare its encoding only there.
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Labels browsers read as another, larger encoding (WHATWG Encoding Standard).
_BROWSER_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso-8859-9": "cp1254", "tis-620": "cp874"}  # fmt: skip


# What a person is told of data that is no text, whatever shows it (a NUL byte, control
# characters, a document's bytes that went through text: `index.sources.parse_bytes`).
BINARY_CONTENT = "le contenu semble binaire ; seuls les textes, pages HTML et documents sont acceptés"


def decode_document(data: bytes, *, declared: str | None = None, html: bool = False) -> str:
    """The text of `data`; `declared`: the charset a server announced, if any."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding))
            except UnicodeDecodeError as exc:
                raise UnsupportedInput(f"le texte {encoding.upper()} est illisible (octet {exc.start})") from exc
    if b"\x00" in data:
        raise UnsupportedInput(BINARY_CONTENT)
    try:
        return _checked(data.decode("utf-8"))  # valid UTF-8 is UTF-8, whatever a page declares
    except UnicodeDecodeError:
        pass
    for label in (declared, _meta_charset(data) if html else None):
        encoding = _codec(label)
        if encoding and encoding != "utf-8":
            try:
                return _checked(data.decode(encoding, errors="replace"))
            except UnicodeError:  # a label no text is written in ("idna"): as if none were given
                continue
    if _written_in_utf8(data):  # UTF-8 with a stray byte or two
        return _checked(data.decode("utf-8", errors="replace"))
    try:
        return _checked(data.decode("cp1252"))  # French text written on Windows
    except UnicodeDecodeError:
        return _checked(data.decode(_detected(data), errors="replace"))


# The signs French typography writes after a letter or among words, a word processor's: "’",
# « », "–", "…", non-breaking spaces. Windows-1252 writes most with bytes 0x80-0xBF, the
# bytes UTF-8 continues a character with.
FRENCH_TYPOGRAPHY = frozenset("’‘“”«»–—…\u00a0\u202f€°œæŒÆ")

# Bytes UTF-8 could not read, as decoding with "surrogateescape" keeps them (one a byte).
_INVALID_RUN = re.compile("[\udc80-\udcff]+")
# What UTF-8 writes with a first byte Windows-1252 reads as a letter no French word has before a
# sign (Â Ã Ä Å, â, ð): the letters of Latin alphabets (U+0080-017F: "é" is "Ã©" in
# Windows-1252), « », non-breaking spaces, "’ “ ” – — … €" and other signs (U+2000-2FFF: "’" is
# "â€™"), emoji (U+10000-3FFFF). A French text written on Windows never makes one.
_UNMISTAKABLE_UTF8 = re.compile("[\x80-\u017f\u2000-\u2fff\U00010000-\U0003ffff]")
# The other characters UTF-8 writes in several bytes: letters of other scripts (Cyrillic, Greek,
# Chinese…), but also what French written on Windows makes by accident, an accented letter
# directly followed by one sign or more: « Ç’a » is "ǒa" read as UTF-8, « ÉTÉ » (a non-breaking
# space before the guillemet) "ÉTɠ»", « c'est réglé » "c'est régl顛".
_AMBIGUOUS_UTF8 = re.compile("[\u0180-\u1fff\u3000-\ud7ff\ue000-\uffff\U00040000-\U0010ffff]")
_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _written_in_utf8(data: bytes) -> bool:
    """Whether `data`, not valid UTF-8, is UTF-8 with stray bytes rather than text written on
    Windows: the reading that damages fewer characters. Read in Windows-1252, each character
    UTF-8 writes in several bytes is garbled ("cafÃ©"); read as UTF-8, each run of bytes it cannot
    read is lost ("caf\ufffd"), when it is an accent or a sign in Windows-1252. A character
    Windows-1252 French never makes (`_UNMISTAKABLE_UTF8`) counts twice, a run once: the one is
    certainly a letter, the other may be a stray byte that only reads as one ("þ", the "Ã" of a
    cut "é"). So a question's one accent outweighs the stray byte or two it picked up, and a
    Windows page is not taken for UTF-8 for an accented letter that, with the sign after it,
    makes a valid character by accident. Ties go to UTF-8: stray bytes that read as no text in
    Windows-1252 either (a UTF-16 byte-order mark "ÿþ", an unassigned byte) favour neither.
    Counted run by run of non-ASCII bytes, each different one read once: UTF-8 writes no
    character with an ASCII byte, and a text repeats its accents and its words (a 5 MB file
    written on Windows is not decoded whole)."""
    for_utf8 = for_windows = 0
    for written, count in Counter(_NOT_ASCII_RUN.findall(data)).items():
        utf8, windows = _votes(written.decode("utf-8", "surrogateescape"))
        for_utf8 += count * utf8
        for_windows += count * windows
    return for_utf8 >= for_windows


_NOT_ASCII_RUN = re.compile(rb"[\x80-\xff]+")


def _votes(text: str) -> tuple[int, int]:
    """What `text`, bytes decoded with "surrogateescape", counts for UTF-8 and for Windows-1252
    (`_written_in_utf8`)."""
    for_utf8 = 2 * len(_UNMISTAKABLE_UTF8.findall(text))
    for_windows = 0
    for character in _AMBIGUOUS_UTF8.findall(text):
        if _an_accent_and_its_signs(character.encode()):  # « Ç’a », read as Windows-1252 wrote it
            for_windows += 1
        else:  # a letter of another script
            for_utf8 += 1
    for run in _INVALID_RUN.findall(text):
        unread = run.encode("utf-8", "surrogateescape")
        read = unread.decode("cp1252", "replace")
        if unread not in _UTF16_MARKS and all(c.isalpha() or c in FRENCH_TYPOGRAPHY for c in read):
            for_windows += 1  # an accent or a sign, lost as "\ufffd" if read as UTF-8
    return for_utf8, for_windows


def _an_accent_and_its_signs(written: bytes) -> bool:
    """Whether a character's UTF-8 bytes read in Windows-1252 as a letter followed by signs of
    French typography ("Ç’", "É\u00a0", "é\u00a0»"), as a French text may write them."""
    letter, *signs = written.decode("cp1252", "replace")
    return letter.isalpha() and all(sign in FRENCH_TYPOGRAPHY for sign in signs)


def readable(text: str) -> str:
    """`text` as Unicode that can be stored and printed: bytes a terminal, an argument or a
    file name passed undecoded (Python keeps them as lone surrogates, "\\udce9") read as
    UTF-8 where they are, else as "\ufffd"."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no undecoded byte stands for (half of an emoji)
        return re.sub("[\ud800-\udfff]", "\ufffd", text)


# The letters a phone's "fancy fonts" type: mathematical bold, italic, script, double-struck…
# (U+1D400-1D7FF, "𝐐𝐮𝐢 𝐝𝐢𝐫𝐢𝐠𝐞"), with the letters that block leaves to Letterlike Symbols (the
# italic "ℎ" of "𝑐ℎ𝑒𝑟𝑐ℎ𝑒", script "ℯ", double-struck "ℕ"…), and full width (U+FF01-FF5E,
# "ｑｕｉ ？"). Only these: the other compatibility forms an article writes ("m²", "½", "ﬁ") keep
# their meaning as they are.
_STYLED_LETTERS = re.compile("[\U0001d400-\U0001d7ff\uff01-\uff5eℎℬℰℱℋℐℒℳℛℯℊℴℭℌℑℜℨℂℍℕℙℚℝℤ]+")


def plain_letters(text: str) -> str:
    """`text` with letters, digits and signs typed in a styled font as the plain ones they
    stand for ("𝐐𝐮𝐢 𝐝𝐢𝐫𝐢𝐠𝐞 ?" -> "Qui dirige ?"), their accents composed: the articles are
    written in plain letters, and a question in styled ones found none of their words."""
    if _STYLED_LETTERS.search(text) is None:
        return text
    plain = _STYLED_LETTERS.sub(lambda styled: unicodedata.normalize("NFKC", styled[0]), text)
    return unicodedata.normalize("NFC", plain)


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096]) or _XML_ENCODING.match(data[:1024])
    return match.group(1).decode("ascii", "replace") if match else None


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, as browsers map it; None when unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _BROWSER_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    # "base64", "rot13", "zlib"…: codecs of Python's, not encodings a text is written in.
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _detected(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    encoding = _codec(best.encoding) if best is not None else None
    return encoding or "cp1252"


# Control characters a text holds besides its white space: a stray one or two (an escape, a
# bell) in a text, a sizeable share of any binary file's bytes (an eighth of random bytes). A
# binary file without a NUL byte (compressed or encrypted data, cut short) decoded to millions
# of characters of noise, and was added as an article.
_CONTROLS = "".join(map(chr, [*range(1, 9), *range(0x0E, 0x20), 0x7F]))  # \t \n \v \f \r aside
_MOST_STRAY_CONTROLS = 64
_MOST_CONTROLS_SHARE = 0.01


def _checked(text: str) -> str:
    if "\x00" in text:
        raise UnsupportedInput("le contenu semble binaire : il contient des caractères nuls")
    controls = sum(text.count(control) for control in _CONTROLS)  # one pass of C code each: linear
    if controls > max(_MOST_STRAY_CONTROLS, _MOST_CONTROLS_SHARE * len(text)):
        raise UnsupportedInput(
            "le contenu semble binaire : il contient des caractères de contrôle ; "
            "seuls les textes, pages HTML et documents sont acceptés"
        )
    return text

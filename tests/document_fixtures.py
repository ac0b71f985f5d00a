"""PDF, Word and OpenDocument files made for the tests, as their writers would make them."""

from __future__ import annotations

import io


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi encoding (what the standard fonts read)."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(
    pages: list[list[str]],
    *,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    creator: str | None = None,
    producer: str | None = None,
) -> bytes:
    """A PDF whose pages show these lines, top to bottom, in Helvetica (no page: a scan)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    pages_id = len(objects) + 2 * len(pages) + 1  # the Pages object comes after every page and content
    for lines in pages:
        stream = b"BT /F1 11 Tf 14 TL 56 780 Td " + b" ".join(_pdf_string(line) + b" Tj T*" for line in lines) + b" ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
            )
        )
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info_fields = [
        (b"/Title", title),
        (b"/Author", author),
        (b"/CreationDate", f"D:{date}" if date else None),
        (b"/Creator", creator),
        (b"/Producer", producer),
    ]
    info = add(b"<< " + b" ".join(k + b" " + _pdf_string(v) for k, v in info_fields if v) + b" >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    return out.getvalue()


def make_docx(blocks: list[tuple[str, str]], *, title: str | None = None, author: str | None = None) -> bytes:
    """A Word file of ("heading" | "paragraph", text) blocks."""
    import docx

    document = docx.Document()
    for kind, text in blocks:
        if kind == "heading":
            document.add_heading(text, level=1)
        else:
            document.add_paragraph(text)
    if title:
        document.core_properties.title = title
    if author:
        document.core_properties.author = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(blocks: list[tuple[str, str]], *, title: str | None = None, author: str | None = None) -> bytes:
    """An OpenDocument text of ("heading" | "paragraph", text) blocks."""
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for kind, text in blocks:
        document.text.addElement(H(outlinelevel=1, text=text) if kind == "heading" else P(text=text))
    if title:
        document.meta.addElement(dc.Title(text=title))
    if author:
        document.meta.addElement(meta.InitialCreator(text=author))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

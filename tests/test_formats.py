"""PDF, Word and OpenDocument files, and texts written on Windows: read as a reader reads them."""

import io
import struct
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from index.bounded_reading import ReadingLimits
from index.errors import InputTooLarge, UnsupportedInput
from index.fetching import fetch_url
from index.sources import parse_bytes
from tests.document_fixtures import make_docx, make_odt, make_pdf
from tests.http_fixtures import Site
from tests.stopping import GivenUp, stop_asked_after

HEADER = "Ville de Lyon — Rapport annuel 2024"
PAGES = [
    [
        HEADER,
        "Le budget de la ville",
        "Le conseil municipal a adopté le budget de la ville pour 2024. Il prévoit",
        "des investissements de 320 millions d'euros, dont une grande part pour le renouvel-",
        "lement des écoles et des gymnases.",
        "Page 1 / 3",
    ],
    [HEADER, "La piscine du Rhône rouvrira en juin après deux ans de travaux,", "a annoncé la maire.", "Page 2 / 3"],
    [HEADER, "Le tramway T10 desservira Vénissieux à partir de l'automne prochain.", "Page 3 / 3"],
]


def test_a_pdf_is_read_in_order_without_running_headers_footers_or_cut_words():
    document = parse_bytes(
        make_pdf(PAGES, title="Rapport annuel 2024", author="Service de presse", date="20240305120000"),
        name="rapport.pdf",
        source="rapport.pdf",
        max_bytes=10**6,
    )
    assert (document.title, document.author, document.date) == (
        "Rapport annuel 2024",
        "Service de presse",
        "2024-03-05",
    )
    text = document.text
    assert "renouvellement des écoles et des gymnases." in text
    assert text.index("budget de la ville pour 2024") < text.index("piscine du Rhône") < text.index("tramway T10")
    assert HEADER not in text and "Page 2" not in text
    assert "La piscine du Rhône rouvrira en juin après deux ans de travaux, a annoncé la maire." in text


def test_a_compound_cut_at_a_pdf_line_end_keeps_its_hyphen():
    lines = [
        "Selon la porte-",
        "parole du gouvernement, vingt-",
        "trois personnes ont été interpellées au-",
        "delà du périmètre pendant le week-",
        "end, a-t-il ajouté, et le gouverne-",
        "ment a promis une enquête.",
    ]
    text = parse_bytes(make_pdf([lines]), name="note.pdf", source=None, max_bytes=10**6).text
    assert "la porte-parole du gouvernement, vingt-trois personnes" in text
    assert "au-delà du périmètre pendant le week-end, a-t-il ajouté, et le gouvernement a promis" in text


def test_a_pdf_s_bytes_pasted_as_text_or_saved_in_a_txt_are_refused_as_binary_not_stored(settings):
    """A PDF opened in a text editor and pasted into the chat ("%PDF-1.4 …"), or saved from it as
    a .txt: its bytes that are not ASCII were read as characters and written back ("é" as "�"),
    the rest of the document lost with them. It was stored as an article of mojibake ("votï¿½");
    it is refused as the other binary contents are. The PDF itself, whatever its name, is read."""
    from bot.service import read_text

    pdf = make_pdf([["Le conseil municipal a voté le budget de la métropole mardi soir, par 32 voix contre 11."]])
    pasted = pdf.decode("utf-8", "replace")
    with pytest.raises(UnsupportedInput, match="le contenu semble binaire"):
        read_text(pasted, settings)
    for saved in (pasted.encode(), pdf.decode("cp1252", "replace").encode()):
        with pytest.raises(UnsupportedInput, match="le contenu semble binaire"):
            parse_bytes(saved, name="budget.txt", source=None, max_bytes=10**6)
    assert "par 32 voix contre 11" in parse_bytes(pdf, name="budget.txt", source=None, max_bytes=10**6).text


def test_a_pdf_sentence_goes_on_over_a_page_break_and_a_heading_is_not_run_into_the_text():
    header = "La Gazette — 5 mars 2024"
    pages = [
        [
            header,
            "Le plan énergie du gouvernement",
            "Le gouvernement a présenté mercredi son projet de loi sur l'énergie, qui",
            "prévoit la construction de six réacteurs et la prolongation des centrales",
            "existantes, malgré les critiques de l'opposition sur le coût pour le gouverne-",
            "1",
        ],
        [
            header,
            "ment et sur les délais annoncés, jugés trop longs par les industriels du secteur.",
            "Les syndicats saluent le projet",
            "La CGT a salué une annonce attendue depuis longtemps par les salariés du secteur,",
            "tout en réclamant des embauches massives dans les centrales existantes.",
            "2",
        ],
        [header, "Le texte sera examiné au Sénat en juin, a précisé Matignon dans un communiqué.", "3"],
    ]
    document = parse_bytes(make_pdf(pages, title="Le plan énergie"), name="plan.pdf", source=None, max_bytes=10**6)
    blocks = [(block.kind, block.text) for block in document.blocks]
    assert blocks[:2] == [
        ("heading", "Le plan énergie du gouvernement"),
        (
            "paragraph",
            "Le gouvernement a présenté mercredi son projet de loi sur l'énergie, qui prévoit la construction de six "
            "réacteurs et la prolongation des centrales existantes, malgré les critiques de l'opposition sur le coût "
            "pour le gouvernement et sur les délais annoncés, jugés trop longs par les industriels du secteur.",
        ),
    ]
    assert blocks[2] == ("heading", "Les syndicats saluent le projet")
    assert blocks[3][1].startswith("La CGT a salué")


def test_a_pronoun_a_name_or_a_word_the_pdf_writes_whole_elsewhere_keeps_its_hyphen_at_a_line_end():
    lines = [
        "Le ministre, c'est-à-",
        "dire Jean-",
        "Pierre Martin, a demandé : « Que pensez-",
        "vous de la Covid-",
        "19 ? Est-",
        "ce un plan franco-",
        "allemand ? » Le rendez-",
        "vous est pris au rez-de-chaussée, au rez-",
        "de-chaussée de la mairie, pour le gouverne-",
        "ment.",
    ]
    text = parse_bytes(make_pdf([lines]), name="note.pdf", source=None, max_bytes=10**6).text
    assert (
        "Le ministre, c'est-à-dire Jean-Pierre Martin, a demandé : « Que pensez-vous de la Covid-19 ? Est-ce un "
        "plan franco-allemand ? » Le rendez-vous est pris au rez-de-chaussée, au rez-de-chaussée de la mairie, "
        "pour le gouvernement."
    ) in text


@pytest.mark.parametrize(
    ("creator", "producer"),
    [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0", "Skia/PDF m131"),
        ("Mozilla Firefox 133.0", "Mozilla Firefox 133.0"),
        (None, "Microsoft: Print To PDF"),
    ],
)
def test_a_web_page_printed_to_pdf_is_not_dated_the_day_it_was_printed(creator, producer):
    printed = make_pdf(PAGES, title="Le budget 2024", date="20241203101500", creator=creator, producer=producer)
    assert parse_bytes(printed, name="article.pdf", source="article.pdf", max_bytes=10**6).date is None
    exported = make_pdf(PAGES, title="Le budget 2024", date="20240305120000", creator="Writer", producer="LibreOffice")
    assert parse_bytes(exported, name="rapport.pdf", source="rapport.pdf", max_bytes=10**6).date == "2024-03-05"


def test_a_pdf_without_text_is_refused_as_a_scan():
    with pytest.raises(UnsupportedInput, match="numérisé"):
        parse_bytes(make_pdf([[], []]), name="scan.pdf", source=None, max_bytes=10**6)


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [(b"%PDF-1.4\n garbage", "casse.pdf", "PDF"), (b"PK\x03\x04 broken zip", "casse.docx", "Word")],
)
def test_a_damaged_document_gets_a_clear_french_refusal(data, name, kind):
    with pytest.raises(UnsupportedInput) as refused:
        parse_bytes(data, name=name, source=None, max_bytes=10**6)
    said = str(refused.value)
    assert f"ce n'est pas un fichier {kind} valide, ou il est endommagé" in said
    assert "Error" not in said and "zip" not in said  # the reader's own English stays in the log


BLOCKS = [
    ("heading", "Le marché de Noël"),
    ("paragraph", "Le marché de Noël ouvre samedi place Kléber, avec trois cents chalets."),
    ("heading", "Les horaires"),
    ("paragraph", "Il sera ouvert tous les jours de 11 heures à 20 heures jusqu'au 24 décembre."),
]


@pytest.mark.parametrize(("make", "name"), [(make_docx, "marche.docx"), (make_odt, "marche.odt")])
def test_word_and_opendocument_files_keep_headings_and_metadata(make, name):
    document = parse_bytes(
        make(BLOCKS, title="Noël à Strasbourg", author="Jeanne Martin"), name=name, source=name, max_bytes=10**6
    )
    assert (document.title, document.author) == ("Noël à Strasbourg", "Jeanne Martin")
    assert [(b.kind, b.text) for b in document.blocks] == BLOCKS
    # recognised by their content too, when the name says nothing
    unnamed = parse_bytes(make(BLOCKS, title="Noël à Strasbourg"), name=None, source=None, max_bytes=10**6)
    assert unnamed.text == document.text


@pytest.mark.parametrize(("make", "name"), [(make_docx, "marche.docx"), (make_odt, "marche.odt")])
def test_a_document_s_title_set_again_at_the_top_of_its_text_is_no_section_heading(make, name):
    titled = [("heading", "Noël à Strasbourg"), *BLOCKS]
    document = parse_bytes(make(titled, title="Noël à Strasbourg"), name=name, source=name, max_bytes=10**6)
    assert [(b.kind, b.text) for b in document.blocks] == BLOCKS


def test_a_word_file_a_program_wrote_without_properties_has_no_author_or_date_from_its_template():
    document = parse_bytes(make_docx(BLOCKS), name="marche.docx", source="marche.docx", max_bytes=10**6)
    assert (document.author, document.date) == (None, None)  # not "python-docx", 23 December 2013


def repacked(data: bytes, part: str, after: str, padding: str) -> bytes:
    """The same zip with `padding` put after `after` in its `part`."""
    return with_part(data, None, b"", part=part, after=after, entry=padding)


@pytest.mark.parametrize(
    ("document", "name"),
    [
        (lambda: repacked(make_docx(BLOCKS), "word/document.xml", "<w:body>", "<w:p/>" * 1_000_000), "vide.docx"),
        (lambda: repacked(make_odt(BLOCKS), "content.xml", "<office:text>", "<text:p/>" * 700_000), "vide.odt"),
    ],
)
def test_a_small_file_that_unpacks_to_millions_of_paragraphs_is_refused_before_it_is_read(document, name):
    data = document()
    assert len(data) < 100_000  # what the user sent is small: it is what it unpacks to that is not
    with pytest.raises(InputTooLarge, match="décompresse"):
        parse_bytes(data, name=name, source=None, max_bytes=10**6)


def with_document_stored_as(data: bytes, stored_as: str, *, spaces_before: int = 0) -> bytes:
    """The Word file with its document stored under another name ("word/document.bin"), the
    package's references renamed with it: Word and python-docx find it by those, not by its name.
    `spaces_before`: white space before its XML (its declaration left out), as XML allows."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            kept, name = original.read(info), info.filename
            if name == "word/_rels/document.xml.rels":
                name = f"word/_rels/{Path(stored_as).name}.rels"
            elif name in ("[Content_Types].xml", "_rels/.rels"):
                kept = kept.replace(b"word/document.xml", stored_as.encode())
            if name == "word/document.xml" and spaces_before:
                kept = b" " * spaces_before + kept[kept.index(b"?>") + 2 :]
            copy.writestr(stored_as if name == "word/document.xml" else name, kept)
    return out.getvalue()


@pytest.mark.parametrize("spaces_before", [0, 200_000], ids=["xml", "xml-after-white-space"])
def test_a_word_file_whose_document_is_not_named_as_xml_is_held_to_the_same_caps(spaces_before):
    """Its 6 MB of empty paragraphs stored as "word/document.bin": the XML cap counted parts by
    their names' extensions, and 42 MB of them took 20 s and 1 GB of memory, in the bot's process."""
    padded = repacked(make_docx(BLOCKS), "word/document.xml", "<w:body>", "<w:p/>" * 1_000_000)
    data = with_document_stored_as(padded, "word/document.bin", spaces_before=spaces_before)
    assert len(data) < 100_000
    with pytest.raises(InputTooLarge, match=r"décompresse en .* octets de texte balisé"):
        parse_bytes(data, name="vide.docx", source=None, max_bytes=10**6)
    light = with_document_stored_as(make_docx(BLOCKS), "word/document.bin")  # read as before
    assert parse_bytes(light, name="a.docx", source=None, max_bytes=10**6) == parse_bytes(
        make_docx(BLOCKS), name="a.docx", source=None, max_bytes=10**6
    )


def with_part(
    data: bytes, name: str | None, content: bytes, *, part: str | None = None, after: str = "", entry: str = ""
) -> bytes:
    """The file with one more part `name` if given (compressed: zeros shrink a thousandfold), and
    `entry` written after `after` in `part` (where the document or its manifest refers to it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            kept = original.read(info)
            if info.filename == part:
                kept = kept.decode().replace(after, after + entry, 1).encode()
            copy.writestr(info.filename, kept)
        if name is not None:
            copy.writestr(name, content)
    return out.getvalue()


_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_ZEROS = b"\0" * 60_000_000


@pytest.mark.parametrize(
    ("document", "name"),
    [
        (
            lambda: with_part(
                make_docx(BLOCKS),
                "word/media/image1.png",
                _ZEROS,
                part="word/_rels/document.xml.rels",
                after='<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">',
                entry=f'<Relationship Id="rIdBig" Type="{_IMAGE}" Target="media/image1.png"/>',
            ),
            "image.docx",
        ),
        (
            lambda: with_part(
                make_odt(BLOCKS),
                "Pictures/big.png",
                _ZEROS,
                part="META-INF/manifest.xml",
                after="<manifest:file-entry",
                entry=' manifest:full-path="Pictures/big.png" manifest:media-type="image/png"/><manifest:file-entry',
            ),
            "image.odt",
        ),
        (  # a relationships part is XML, read as such
            lambda: repacked(make_docx(BLOCKS), "word/_rels/document.xml.rels", "?>", " " * 6_000_000),
            "relations.docx",
        ),
    ],
)
def test_a_small_file_whose_picture_or_relationships_unpack_to_megabytes_is_refused_before_it_is_read(document, name):
    data = document()
    assert len(data) < 200_000
    with pytest.raises(InputTooLarge, match="décompresse"):
        parse_bytes(data, name=name, source=None, max_bytes=10**6)


def hiding_more_than_declared(data: bytes, part: str, hidden: bytes) -> bytes:
    """The same zip, its `part` followed by `hidden` bytes in its compressed stream while its
    declared size and checksum stay those of the part alone: what zipfile reads of it is the
    part as it was, and what it inflates to get there is all of it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        declared = original.getinfo(part)
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info) + (hidden if info.filename == part else b""))
    raw = bytearray(out.getvalue())
    with zipfile.ZipFile(out) as lying:
        local_header = lying.getinfo(part).header_offset
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(part)] != part.encode():  # the part's central directory entry
        central = raw.index(b"PK\x01\x02", central + 4)
    for crc, size in ((local_header + 14, local_header + 22), (central + 16, central + 24)):
        struct.pack_into("<I", raw, crc, declared.CRC)
        struct.pack_into("<I", raw, size, declared.file_size)
    return bytes(raw)


@pytest.mark.parametrize(
    ("document", "part", "name"),
    [(make_docx, "word/document.xml", "cache.docx"), (make_odt, "content.xml", "cache.odt")],
)
def test_a_file_whose_text_hides_more_than_its_declared_size_is_refused_without_unpacking_it(document, part, name):
    data = hiding_more_than_declared(document(BLOCKS), part, b" " * 60_000_000)
    assert len(data) < 500_000  # a small file; its sizes, as declared, are those of the article alone
    tracemalloc.start()
    try:
        with pytest.raises(UnsupportedInput, match="illisible"):
            parse_bytes(data, name=name, source=None, max_bytes=10**6)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # not the 60 MB hidden, inflated in one piece before being cut to size


def test_a_text_file_written_on_windows_is_read():
    data = "titre: Élections à Montréal\n\nLes électeurs ont élu leur maire dimanche, à 52 %.".encode("cp1252")
    document = parse_bytes(data, name="elections.txt", source=None, max_bytes=10**6)
    assert document.title == "Élections à Montréal" and "électeurs ont élu" in document.text


LATIN_PAGE = (
    "<html><body><article><h1>Élu</h1><p>Le maire a été élu à Montréal dimanche soir, "
    "avec 52 % des voix exprimées au second tour.</p></article></body></html>"
)


def test_documents_are_fetched_by_url_by_their_content_type():
    pages = {
        "/rapport": (200, "application/pdf", make_pdf(PAGES, title="Rapport annuel 2024")),
        "/marche": (200, "application/vnd.oasis.opendocument.text", make_odt(BLOCKS, title="Noël")),
        "/latin": (200, "text/html; charset=iso-8859-1", LATIN_PAGE.encode("cp1252")),
    }
    with Site(pages) as site:
        options = {"timeout": 5, "max_bytes": 10**6, "allow_private": True}
        assert fetch_url(site.origin + "/rapport", **options).title == "Rapport annuel 2024"
        assert "trois cents chalets" in fetch_url(site.origin + "/marche", **options).text
        assert "élu à Montréal" in fetch_url(site.origin + "/latin", **options).text


def _odt_as_written_by_a_word_processor() -> bytes:
    """An OpenDocument article as LibreOffice writes one that was reviewed: a deleted paragraph
    kept for "track changes", a table of contents, a footnote, a comment, a list and a table."""
    from odf import dc, office
    from odf import table as odt_table
    from odf import text as odt
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Budget 2024 : la ville investit dans ses écoles"))
    changes, region, deletion = odt.TrackedChanges(), odt.ChangedRegion(check_grammar=False), odt.Deletion()
    region.setAttrNS("urn:oasis:names:tc:opendocument:xmlns:text:1.0", "id", "ct1")
    info = office.ChangeInfo()
    info.addElement(dc.Creator(text="Relecteur"))
    info.addElement(dc.Date(text="2024-01-16T10:00:00"))
    deletion.addElement(info)
    deletion.addElement(odt.P(text="Ce paragraphe supprimé ne doit jamais être cité."))
    region.addElement(deletion)
    changes.addElement(region)
    document.text.addElement(changes)
    contents, entries = odt.TableOfContent(name="Sommaire"), odt.IndexBody()
    entries.addElement(odt.P(text="Les écoles\t2"))
    contents.addElement(entries)
    document.text.addElement(contents)
    document.text.addElement(odt.H(outlinelevel=1, text="Les écoles"))
    paragraph = odt.P(text="Le conseil municipal a voté un budget de 12 millions d'euros")
    note, body = odt.Note(id="ftn1", noteclass="footnote"), odt.NoteBody()
    note.addElement(odt.NoteCitation(text="1"))
    body.addElement(odt.P(text="Selon le rapport de la commission des finances."))
    note.addElement(body)
    paragraph.addElement(note)
    paragraph.addText(" pour rénover les écoles.")
    document.text.addElement(paragraph)
    paragraph = odt.P(text="Le maire a salué un effort historique.")
    comment = office.Annotation()
    comment.addElement(dc.Creator(text="Relecteur"))
    comment.addElement(odt.P(text="vérifier ce chiffre"))
    paragraph.addElement(comment)
    paragraph.addText(" Il sera présenté aux habitants le 3 février.")
    document.text.addElement(paragraph)
    items = odt.List()
    for name in ("École Jules-Ferry", "École Victor-Hugo"):
        item = odt.ListItem()
        item.addElement(odt.P(text=name))
        items.addElement(item)
    document.text.addElement(items)
    table = odt_table.Table(name="Montants")
    table.addElement(odt_table.TableColumn(numbercolumnsrepeated=2))
    for cells in (("Écoles", "Huit millions d'euros seront consacrés aux écoles primaires."),):
        row = odt_table.TableRow()
        for value in cells:
            cell = odt_table.TableCell()
            cell.addElement(odt.P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_opendocument_s_deleted_text_comments_and_contents_are_not_read_and_its_footnotes_stay_out_of_sentences():
    document = parse_bytes(_odt_as_written_by_a_word_processor(), name="budget.odt", source=None, max_bytes=10**6)
    blocks = [(block.kind, block.text) for block in document.blocks]
    assert blocks == [
        ("heading", "Les écoles"),
        ("paragraph", "Le conseil municipal a voté un budget de 12 millions d'euros pour rénover les écoles."),
        ("paragraph", "Le maire a salué un effort historique. Il sera présenté aux habitants le 3 février."),
        ("paragraph", "- École Jules-Ferry"),
        ("paragraph", "- École Victor-Hugo"),
        ("paragraph", "Écoles – Huit millions d'euros seront consacrés aux écoles primaires."),
        ("heading", "Notes"),
        ("paragraph", "Selon le rapport de la commission des finances."),
    ]


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_as_word_writes_a_reviewed_one() -> bytes:
    """A Word article as Word writes one that was reviewed: text added and deleted with "track
    changes" on, a content control, a smart tag, a field, a table, a list and a footnote."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.title = "Le budget de Rennes"
    document.add_paragraph("Le conseil municipal s'est réuni lundi soir.")
    document.add_paragraph("Trois écoles seront rénovées :")
    document.add_paragraph("l'école Jules-Ferry", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "TER"
    table.cell(0, 1).text = "Deux trains sur trois seront supprimés."
    end = document.element.body[-1]
    for xml in (
        '<w:p {w}><w:r><w:t xml:space="preserve">Le budget atteint </w:t></w:r>'
        '<w:ins w:id="1" w:author="R"><w:r><w:t xml:space="preserve">douze millions d\'euros, </w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="R"><w:r><w:delText>dix millions, </w:delText></w:r></w:del>'
        '<w:r><w:t>selon la mairie</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p>',
        "<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Le vote a eu lieu à main levée.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>",
        '<w:p {w}><w:r><w:t xml:space="preserve">La séance s\'est tenue à </w:t></w:r>'
        '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="City"><w:r><w:t>Rennes</w:t>'
        '</w:r></w:smartTag><w:r><w:t xml:space="preserve"> le </w:t></w:r><w:fldSimple w:instr=" DATE ">'
        "<w:r><w:t>3 mars 2025</w:t></w:r></w:fldSimple><w:r><w:t>.</w:t></w:r></w:p>",
    ):
        end.addprevious(parse_xml(xml.format(w=_W)))
    out = io.BytesIO()
    document.save(out)
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {_W}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Chiffre voté en commission des finances.</w:t></w:r></w:p></w:footnote>'
        "</w:footnotes>"
    )
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        files = {info.filename: source.read(info) for info in source.infolist()}
    files["word/footnotes.xml"] = footnotes.encode()
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    )
    files["word/_rels/document.xml.rels"] = files["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdNotes" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'footnotes" Target="footnotes.xml"/></Relationships>',
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_word_file_s_tracked_insertions_content_controls_fields_tables_and_footnotes_are_read():
    document = parse_bytes(_docx_as_word_writes_a_reviewed_one(), name="budget.docx", source=None, max_bytes=10**6)
    assert [block.text for block in document.blocks] == [
        "Le conseil municipal s'est réuni lundi soir.",
        "Trois écoles seront rénovées :",
        "- l'école Jules-Ferry",
        "TER – Deux trains sur trois seront supprimés.",
        "Le budget atteint douze millions d'euros, selon la mairie.",
        "Le vote a eu lieu à main levée.",
        "La séance s'est tenue à Rennes le 3 mars 2025.",
        "Notes",
        "Chiffre voté en commission des finances.",
    ]


def pdf_of_pages_sharing_one_stream(pages: int, content: bytes) -> bytes:
    """A PDF whose every page draws the same compressed stream: small, but each page is read."""
    import zlib

    stream = zlib.compress(content, 9)
    kids = b" ".join(b"%d 0 R" % (5 + page) for page in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ] + [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents 4 0 R >>"
    ] * pages
    return pdf_file(objects)


def pdf_of_one_page_drawing_a_form(times: int, form: bytes) -> bytes:
    """A PDF of one page that draws the same compressed form `times` times: the form's
    instructions are not the page's own, and each time it is drawn it is read again."""
    import zlib

    stream = zlib.compress(form, 9)
    page = b"BT ET\n" + b"/Fm1 Do\n" * times
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
        b"/XObject << /Fm1 4 0 R >> >> /Contents 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream",
    ]
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the catalog first)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_small_pdf_whose_pages_draw_megabytes_is_refused_before_its_text_is_read():
    # 20 pages of 400 KB of drawing each: about half a second of reading a page or more. Read before
    # being measured, the pages would outlast the time limit and be refused for their time
    # ("secondes"); measured first, they are refused for their drawing, however busy the machine.
    data = pdf_of_pages_sharing_one_stream(20, b"BT /F1 12 Tf (Bonjour le monde) Tj ET\n" * 10_000)
    assert len(data) < 10_000
    limits = ReadingLimits(pdf_drawing_bytes=10**6, seconds=5.0)
    with pytest.raises(InputTooLarge, match="instructions"):
        parse_bytes(data, name="bombe.pdf", source=None, max_bytes=10**6, limits=limits)


def test_one_page_that_would_take_hours_to_read_is_given_up_at_the_time_limit():
    # The time limit was checked between pages: a page drawing a form of 40 000 lines 5 000
    # times (40 KB of its own instructions, a 43 KB file) took a second and more a drawing,
    # hours in all, before it was checked.
    data = pdf_of_one_page_drawing_a_form(
        5_000, b"BT /F1 12 Tf 72 720 Td\n" + b"(abcdefgh) Tj 0 -1 Td\n" * 40_000 + b"ET"
    )
    assert len(data) < 50_000
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            parse_bytes(data, name="formulaire.pdf", source=None, max_bytes=10**6, limits=ReadingLimits(seconds=1.0))
        except Exception as exc:
            outcome.append(exc)

    reading = threading.Thread(target=read, daemon=True)
    reading.start()
    reading.join(120)  # bounded: the reading returns, or the test fails
    assert not reading.is_alive(), "the page was read past the time limit"
    (refused,) = outcome
    assert isinstance(refused, InputTooLarge) and "secondes de lecture" in str(refused)


# A PDF whose one page would take hours to read (`pdf_of_one_page_drawing_a_form`).
ENDLESS_PDF_FORM = b"BT /F1 12 Tf 72 720 Td\n" + b"(abcdefgh) Tj 0 -1 Td\n" * 40_000 + b"ET"


def child_processes() -> set[int]:
    return {int(pid) for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()}


def test_a_pdf_being_read_is_given_up_at_its_checkpoint_and_its_reading_process_ended():
    """A stopping bot gives up a PDF being read within its grace (its checkpoint raises), rather
    than wait up to its time limit; the process reading it ends with it."""

    data = pdf_of_one_page_drawing_a_form(5_000, ENDLESS_PDF_FORM)
    before = child_processes()
    checkpoint = stop_asked_after(1.0)
    started = time.monotonic()
    with pytest.raises(GivenUp):
        parse_bytes(data, name="formulaire.pdf", source=None, max_bytes=10**6, checkpoint=checkpoint)
    # Given up (`GivenUp`, not the time limit's refusal) and before the limit: a bound that only
    # catches a wait for it (30 times the 1 s before the stop, a third of the 90 s), not a speed target.
    assert time.monotonic() - started < 30.0
    assert child_processes() == before


def test_a_pdf_that_takes_too_long_to_read_is_refused():
    no_time = ReadingLimits(seconds=0.0)
    with pytest.raises(InputTooLarge, match="secondes"):
        parse_bytes(make_pdf(PAGES), name="rapport.pdf", source=None, max_bytes=10**6, limits=no_time)


def tables_nested(depth: int, rows: int) -> str:
    """Word XML: a table in a table… `depth` deep, each with `rows` rows of one paragraph more."""
    cell = "<w:p><w:r><w:t>Le conseil a voté la mesure.</w:t></w:r></w:p>"
    row = f"<w:tr><w:tc>{cell}</w:tc></w:tr>"
    nested = cell
    for _ in range(depth):
        nested = f"<w:tbl><w:tr><w:tc>{nested}</w:tc></w:tr>{row * rows}</w:tbl>{cell}"
    return nested


def test_a_word_file_that_would_take_minutes_to_read_is_refused_at_the_time_limit():
    """Tables nested 80 deep, each row read again at every level: a 45 KB file took 13 s to read
    (its XML, 2.5 MB, under the cap), in the bot's own process; this one, 3 MB of XML, 16 s."""
    base = make_docx([("paragraph", "Le conseil municipal a voté.")])
    data = with_part(base, None, b"", part="word/document.xml", after="<w:body>", entry=tables_nested(80, 500))
    assert len(data) < 100_000
    # Refused: read here, it was read whole after 16 s and more.
    with pytest.raises(InputTooLarge, match=r"^le document \.docx demande plus de 2 secondes de lecture"):
        parse_bytes(data, name="tableaux.docx", source=None, max_bytes=10**6, limits=ReadingLimits(seconds=2.0))


@pytest.mark.parametrize("document", [make_docx, make_odt], ids=["docx", "odt"])
def test_a_long_document_read_in_its_own_process_is_read_as_it_is_here(document):
    blocks = [("heading", "Le budget de la ville")] + [
        ("paragraph", f"Le conseil municipal a voté la mesure numéro {i} à une large majorité.") for i in range(6_000)
    ]
    data = document(blocks, title="Le budget de la ville", author="Claire Petit")
    name = "budget.docx" if document is make_docx else "budget.odt"
    there = parse_bytes(data, name=name, source=name, max_bytes=10**7)  # 6,000 paragraphs: over 500 KB of XML
    here = parse_bytes(data, name=name, source=name, max_bytes=10**7, limits=ReadingLimits(office_xml_bytes=10**9))
    assert there == here
    assert there.author == "Claire Petit" and "mesure numéro 5999" in there.text


def test_a_reading_process_refusal_of_any_kind_is_raised_again_as_a_refusal_with_its_french_message():
    """A reader's refusal travels from its process by class name: a kind the table did not list
    (a fetch refusal, one defined where the reader lives) raised a KeyError, a bot failure."""
    from index.bounded_reading import input_error_named
    from index.errors import EmptyInput, FetchError, InputError

    assert type(input_error_named("EmptyInput", "le contenu est vide")) is EmptyInput
    assert type(input_error_named("FetchError", "page introuvable")) is FetchError
    unknown = input_error_named("NotAnErrorHere", "ce flux est illisible")
    assert type(unknown) is InputError and str(unknown) == "ce flux est illisible"
    made_from_data = input_error_named("ArticleTooLong", "ce texte compte 60 000 mots")
    assert type(made_from_data) is InputError and str(made_from_data) == "ce texte compte 60 000 mots"

"""Fetching and reading what users point at: pages, files, directories."""

import io
import os
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from index.bounded_reading import ReadingLimits
from index.documents import is_heavy_page
from index.errors import EmptyInput, FetchError, InputTooLarge, UnsupportedInput
from index.fetching import fetch_url
from index.numbers import french
from index.sources import expand_paths, parse_bytes, read_file
from tests.document_fixtures import make_docx, make_odt, make_pdf
from tests.http_fixtures import LoopbackServer, Site
from tests.stopping import GivenUp, stop_asked_after
from tests.test_documents import ARTICLE_PAGE
from tests.test_formats import child_processes

WORD_BLOCKS = [
    ("heading", "Le marché couvert"),
    ("paragraph", "Le marché couvert rouvre samedi après six mois de travaux."),
]
ATTRIBUTES_20000 = "<article " + " ".join(f'data-a{i}="x"' for i in range(20_000)) + ">"
ATTRIBUTES_200 = "<article " + " ".join(f'data-a{i}="x"' for i in range(200)) + ">"
PAGES = {
    "/article": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode()),
    "/moved": (302, "text/html", b"/article"),
    "/image.png": (200, "image/png", b"\x89PNG...."),
    "/big": (200, "text/html", b"<html><body>" + b"<p>mot </p>" * 20_000 + b"</body></html>"),
    "/notes.txt": (200, "text/plain; charset=utf-8", "Titre: Notes\n\nLe texte brut est accepté aussi.".encode()),
    "/empty": (200, "text/html", b"<html><body><nav>Accueil</nav></body></html>"),
    # 160 KB: a tag of 20,000 attributes, which a parser compares each with those before it.
    "/crowded": (200, "text/html", ARTICLE_PAGE.replace("<article>", ATTRIBUTES_20000, 1).encode()),
    # Widgets carry a few dozen: such a page is read.
    "/widget": (200, "text/html", ARTICLE_PAGE.replace("<article>", ATTRIBUTES_200, 1).encode()),
}


@pytest.fixture(scope="module")
def site():
    with Site(PAGES) as running:
        yield running


def fetch(url, **kwargs):
    options = {"timeout": 5.0, "max_bytes": 100_000, "allow_private": True} | kwargs
    return fetch_url(url, **options)


def test_an_article_page_is_fetched_and_parsed(site):
    document = fetch(site.origin + "/article")
    assert document.title == "Le Conseil vote la réforme"
    assert document.source == site.origin + "/article"
    assert "32 voix contre 11" in document.text


def test_redirects_are_followed(site):
    assert "32 voix contre 11" in fetch(site.origin + "/moved").text


def test_plain_text_urls_are_accepted(site):
    document = fetch(site.origin + "/notes.txt")
    assert document.title == "Notes" and document.url == site.origin + "/notes.txt"


def test_loopback_and_private_addresses_are_refused_by_default(site):
    with pytest.raises(FetchError, match="locale ou privée"):
        fetch(site.origin + "/article", allow_private=False)


def test_other_content_types_are_refused(site):
    with pytest.raises(FetchError, match="image/png"):
        fetch(site.origin + "/image.png")


@pytest.mark.parametrize("content_type", ["", "application/octet-stream"])
def test_a_response_that_names_no_type_is_read_by_its_first_bytes_when_they_are_a_page_a_document_or_a_text(
    site, content_type
):
    """A misconfigured server, a storage bucket: no Content-Type, or one that says only "bytes".
    They were refused as no article page; what their first bytes say is read as it would be
    labelled (a page, a PDF, a Word or OpenDocument file, a text in UTF-8 or written on Windows),
    and anything else (an image, a zip, noise) still refused, saying what the server said."""
    pdf = make_pdf([["Les membres de l'OTAN sont réunis à Bruxelles ce mardi, en Belgique, pour parler de l'Ukraine."]])
    text = "Titre: Notes\n\nLe texte brut est accepté aussi, même envoyé sans type.".encode()
    latin = "Titre : Compte rendu\n\nLe conseil a voté la rénovation de l'école, à l'unanimité.".encode("cp1252")
    site.pages |= {
        "/unlabelled/page": (200, content_type, ARTICLE_PAGE.encode()),
        "/unlabelled/rapport": (200, content_type, pdf),
        "/unlabelled/marche": (200, content_type, make_docx(WORD_BLOCKS)),
        "/unlabelled/marche-odt": (200, content_type, make_odt(WORD_BLOCKS)),
        "/unlabelled/notes.txt": (200, content_type, text),
        "/unlabelled/latin-1": (200, content_type, latin),
        "/unlabelled/photo": (200, content_type, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        "/unlabelled/archive": (200, content_type, b"PK\x03\x04\x14\x00" + b"\x00" * 64),
        "/unlabelled/noise": (200, content_type, bytes(range(0xA0, 0x100)) * 40),  # no control, no text
    }
    assert "32 voix contre 11" in fetch(site.origin + "/unlabelled/page").text
    assert "réunis à Bruxelles" in fetch(site.origin + "/unlabelled/rapport").text
    for word_processed in ("/unlabelled/marche", "/unlabelled/marche-odt"):
        assert "Le marché couvert rouvre samedi" in fetch(site.origin + word_processed).text
    notes = fetch(site.origin + "/unlabelled/notes.txt")
    assert notes.title == "Notes" and "même envoyé sans type" in notes.text
    latin_text = fetch(site.origin + "/unlabelled/latin-1")
    assert latin_text.title == "Compte rendu" and "la rénovation de l'école, à l'unanimité" in latin_text.text
    said = "application/octet-stream" if content_type else "inconnu"
    for refused in ("/unlabelled/photo", "/unlabelled/archive", "/unlabelled/noise"):
        with pytest.raises(FetchError, match=rf"n'est pas une page d'article \(type « {said} »\)"):
            fetch(site.origin + refused)


def test_an_unlabelled_text_typed_in_word_on_windows_is_read_with_its_french_typography(site):
    """A text saved from Word in Windows-1252 and served as "bytes": its apostrophes, « »,
    dashes, ellipses and non-breaking spaces are French typography, not noise, and it is read
    as the same text in UTF-8 is (it was refused: fewer than half of its accents are letters)."""
    typed = (
        "Titre : Budget 2026\n\nL’opposition a dénoncé « un budget d’austérité » – sans surprise… "
        "Le maire lui répond : « Nous tenons nos engagements, c’est l’essentiel. » Vote jeudi\u00a0soir."
    )
    site.pages["/unlabelled/word-cp1252"] = (200, "application/octet-stream", typed.encode("cp1252"))
    site.pages["/unlabelled/word-utf8"] = (200, "application/octet-stream", typed.encode())
    for path in ("/unlabelled/word-cp1252", "/unlabelled/word-utf8"):
        document = fetch(site.origin + path)
        assert document.title == "Budget 2026"
        assert "L’opposition a dénoncé « un budget d’austérité » – sans surprise…" in document.text


def with_parts_renamed(data: bytes, old: str, new: str, *, content_types_last: bool = False) -> bytes:
    """A Word file with its parts' folder `old` renamed `new` (in names and in the package's
    references to them), `[Content_Types].xml` written first as Word writes it, or last as
    other word processors do."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = [(info.filename.replace(old, new, 1), source.read(info)) for info in source.infolist()]
    references = ("[Content_Types].xml", "_rels/.rels")
    members = [
        (name, content.replace(old.encode(), new.encode()) if name in references else content)
        for name, content in members
    ]
    members.sort(key=lambda member: (member[0] == "[Content_Types].xml") == content_types_last)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        for name, content in members:
            packed.writestr(name, content)
    return out.getvalue()


def test_an_unlabelled_word_file_is_known_by_its_parts_or_by_its_declared_types_whatever_their_order(site):
    """Word writes `[Content_Types].xml` first, which names its document's part whatever that
    part is called; other programs write it last, after the parts under "word/"."""
    site.pages |= {
        "/unlabelled/renamed": (200, "", with_parts_renamed(make_docx(WORD_BLOCKS), "word/", "texte/")),
        "/unlabelled/types-last": (
            200,
            "",
            with_parts_renamed(make_docx(WORD_BLOCKS), "word/", "word/", content_types_last=True),
        ),
    }
    for path in ("/unlabelled/renamed", "/unlabelled/types-last"):
        assert "Le marché couvert rouvre samedi" in fetch(site.origin + path).text


class ServerThatHolds(LoopbackServer):
    """Sends the first 100 KB of a photo, no type named and a size of 10 MB declared, then
    holds the connection (until `released`, 10 s at most) as a slow or hostile server would."""

    def __init__(self) -> None:
        self.released = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(10_000_000))
                self.end_headers()
                self.wfile.write(b"\x89PNG\r\n\x1a\n" + bytes(100_000))
                self.wfile.flush()
                server.released.wait(10)

            def log_message(self, *args) -> None:
                pass

        super().__init__(Handler)


def test_an_unlabelled_download_is_refused_by_its_first_bytes_without_the_rest_being_read(site):
    """A photo served without a type is known by its first bytes: it is refused as no article
    then, neither downloaded to the size cap (and refused as too large, which says nothing
    useful) nor waited for to the time limit."""
    site.pages["/unlabelled/large-photo"] = (200, "application/octet-stream", b"\x89PNG\r\n\x1a\n" + bytes(300_000))
    with pytest.raises(FetchError, match=r"n'est pas une page d'article \(type « application/octet-stream »\)"):
        fetch(site.origin + "/unlabelled/large-photo", max_bytes=200_000)
    with ServerThatHolds() as holding:
        try:
            with pytest.raises(FetchError, match=r"n'est pas une page d'article \(type « inconnu »\)"):
                fetch(holding.origin + "/photo", timeout=5.0, max_bytes=20_000_000)
        finally:
            holding.released.set()


def test_pages_over_the_size_cap_are_refused(site):
    with pytest.raises(InputTooLarge):
        fetch(site.origin + "/big")


def test_missing_pages_and_slow_sites_get_clear_errors(site):
    with pytest.raises(FetchError, match=r"le site a répondu 404 \(page introuvable\) pour .* ; vérifiez le lien$"):
        fetch(site.origin + "/nowhere")
    with pytest.raises(FetchError, match="délai dépassé"):
        fetch(site.origin + "/slow", timeout=0.5)


def test_pages_without_article_text_are_refused(site):
    with pytest.raises(EmptyInput):
        fetch(site.origin + "/empty")


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="http"):
        fetch("file:///etc/passwd")


@pytest.mark.parametrize("text", ["?", "... !!! ???", "— — —\n\n* * *", "👍 !"])
def test_a_text_without_a_word_is_refused_rather_than_added_as_an_article(text):
    """An /ingest of "?" typed by mistake was added as an article titled "?", and any other text
    without a letter or a digit was then said to be in the library already (the same text of
    no words)."""
    with pytest.raises(EmptyInput, match=r"aucun paragraphe d'article dans ce texte \(.*ou ne contient aucun mot\)"):
        parse_bytes(text.encode(), name=None, source=None, max_bytes=1_000)
    assert "2 mars" in parse_bytes(b"Le 2 mars.", name=None, source=None, max_bytes=1_000).text  # a word or a figure


def test_direction_marks_and_overrides_in_an_article_are_read_as_the_invisible_characters_they_are():
    """Copied from a page or typed on a phone set to Arabic or Hebrew: a direction mark inside a
    word made it one no question found ("vo\u200fté"), and a right-to-left override showed the
    article's title and quotes backwards in every answer that named it."""
    title = "titre: \u202eLe conseil vote\u202c"
    text = f"{title}\n\nLe con\u200eseil municipal a vo\u200fté mardi le budget\u2066 de l'école."
    document = parse_bytes(text.encode(), name=None, source=None, max_bytes=1_000)
    assert document.title == "Le conseil vote"
    assert document.text == "Le conseil municipal a voté mardi le budget de l'école."


def test_files_are_read_by_type_and_checked(tmp_path, sample_text):
    (tmp_path / "a.txt").write_text(sample_text, encoding="utf-8")
    (tmp_path / "page.html").write_text(ARTICLE_PAGE, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Titre\n\nUn paragraphe d'article.", encoding="utf-8")
    for hidden in (".git", ".venv/lib"):  # a folder's hidden folders are none of its articles
        (tmp_path / hidden).mkdir(parents=True)
        (tmp_path / hidden / "LICENSE.txt").write_text("Permission is hereby granted", encoding="utf-8")
    (tmp_path / ".brouillon.txt").write_text(sample_text, encoding="utf-8")
    assert [p.name for p in expand_paths(tmp_path)] == ["a.txt", "page.html", "b.md"]
    assert [p.name for p in expand_paths(tmp_path / ".git")] == ["LICENSE.txt"]  # named itself: read
    assert read_file(tmp_path / "page.html", max_bytes=100_000).title == "Le Conseil vote la réforme"
    with pytest.raises(UnsupportedInput, match=r"\.jpg"):
        read_file(tmp_path / "photo.jpg", max_bytes=100_000)
    with pytest.raises(InputTooLarge):
        read_file(tmp_path / "a.txt", max_bytes=1_000)


@pytest.mark.parametrize("name", ["compte-rendu.xml", "notes.org", "cle.asc"])
def test_a_text_file_named_by_a_suffix_of_text_is_read_whatever_the_machine_s_table_of_types(name):
    """Whether a name says "another format" was read from the host's /etc/mime.types when there
    is one (there, .xml, .org and .asc are no text): the same file was refused on one machine
    and read in a slim container. Python's own table decides, the same everywhere."""
    text = "Le conseil vote\n\nLe conseil municipal a voté le budget de la piscine lundi soir.".encode()
    assert parse_bytes(text, name=name, source=None, max_bytes=100_000).title == "Le conseil vote"


def test_a_device_or_a_pipe_is_said_not_to_be_a_file_rather_than_missing(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # never opened: reading it would wait for a writer
    for path in (Path("/dev/null"), tmp_path / "pipe"):
        with pytest.raises(UnsupportedInput, match="pas un fichier ordinaire"):
            read_file(path, max_bytes=100_000)
    with pytest.raises(UnsupportedInput, match="introuvable"):
        read_file(tmp_path / "absent.txt", max_bytes=100_000)


# --- what an attacker tries: the DNS seam and the transport are fakes, nothing leaves the machine


class StubDNS:
    """Answers each name from a script of successive answers, and counts the questions."""

    def __init__(self, answers: dict[str, list[list[str]]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        script = self.answers[host]
        return script[min(self.asked.count(host), len(script)) - 1]


class _Streamed(httpx.SyncByteStream):
    """A body as a server sends it: streamed as it is, compressed or not (a `content=` response
    is read, and decoded, before the fetching code sees it)."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self):
        for start in range(0, len(self.body), 65_536):
            yield self.body[start : start + 65_536]


def recording_transport(pages: dict[str, tuple[int, dict, bytes]]) -> tuple[httpx.MockTransport, list]:
    """A transport that answers by Host header and path, recording where each request went."""
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        status, headers, body = pages[request.headers["host"] + request.url.path]
        return httpx.Response(status, headers=headers, stream=_Streamed(body))

    return httpx.MockTransport(handle), requests


HTML = {"content-type": "text/html; charset=utf-8"}
PUBLIC = "93.184.216.34"
NOTES = "Titre: Notes\n\nLe texte brut est accepté aussi.".encode()


def test_the_connection_goes_to_the_address_that_was_checked_with_the_name_kept():
    dns = StubDNS({"news.example": [[PUBLIC], ["127.0.0.1"]]})  # a rebinding name: public, then loopback
    transport, requests = recording_transport({"news.example/article": (200, HTML, ARTICLE_PAGE.encode())})
    document = fetch_url(
        "https://news.example/article", timeout=5, max_bytes=100_000, resolver=dns, transport=transport
    )
    assert "32 voix contre 11" in document.text
    assert dns.asked == ["news.example"]  # resolved once
    (request,) = requests
    assert request.url.host == PUBLIC and request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"  # the certificate is checked for the name


def test_an_address_in_accented_letters_is_looked_up_and_asked_for_by_its_ascii_name():
    """ "https://élysée.example/…", as French sites may be named: the name is looked up, and
    sent as the `Host` and the TLS server name, in its ASCII form, as browsers do (it failed
    with an error of the bot's own); the article keeps the address as it was given."""
    ascii_name = "xn--lyse-9oad.example"
    dns = StubDNS({ascii_name: [[PUBLIC]]})
    transport, requests = recording_transport({f"{ascii_name}/notes": (200, {"content-type": "text/plain"}, NOTES)})
    document = fetch_url(
        "https://élysée.example/notes", timeout=5, max_bytes=100_000, resolver=dns, transport=transport
    )
    assert document.title == "Notes" and document.source == "https://élysée.example/notes"
    (request,) = requests
    assert request.headers["host"] == ascii_name and request.extensions["sni_hostname"] == ascii_name


def test_an_address_with_a_name_and_password_is_fetched_and_kept_without_them():
    """A link pasted with its login in it ("https://moi:secret@…", a redirect's too): they are
    never sent, and the article's source and address, which every user of the library may be
    shown, do not show them; nor does its source show the tracking parameters the link was
    shared with, as a feed's links do not (`article_source`)."""
    dns = StubDNS({"news.example": [[PUBLIC]]})
    transport, requests = recording_transport(
        {
            "news.example/moved": (302, {"location": "https://autre:motdepasse@news.example/notes"}, b""),
            "news.example/notes": (200, {"content-type": "text/plain"}, NOTES),
        }
    )
    for given, source in (
        ("https://lecteur:secret@news.example/notes", "https://news.example/notes"),
        ("https://lecteur:secret@news.example/moved", "https://news.example/moved"),
        ("https://lecteur:secret@news.example/notes?utm_source=partage", "https://news.example/notes"),
    ):
        document = fetch_url(given, timeout=5, max_bytes=100_000, resolver=dns, transport=transport)
        assert document.title == "Notes" and document.source == source
        assert document.url.startswith("https://news.example/notes")
    assert all("authorization" not in request.headers for request in requests)


def test_a_redirect_to_a_name_that_rebinds_to_loopback_is_refused_before_connecting():
    dns = StubDNS({"news.example": [[PUBLIC]], "rebind.example": [["127.0.0.1"]]})
    transport, requests = recording_transport(
        {"news.example/moved": (302, {"location": "http://rebind.example/admin"}, b"")}
    )
    with pytest.raises(FetchError, match="locale ou privée"):
        fetch_url("http://news.example/moved", timeout=5, max_bytes=100_000, resolver=dns, transport=transport)
    assert [r.headers["host"] for r in requests] == ["news.example"]  # nothing was sent to the loopback name


def test_a_look_alike_host_a_redirect_leads_to_is_named_in_its_ascii_form_when_unknown_or_refused():
    """A redirect (or a page declaring a feed) may name a host that passes for another site's
    ("lеmonde.example", with a Cyrillic « е »), which the user never typed: the error names it
    as links are shown, "xn--lmonde-3of.example", never in the letters that pass for "lemonde"."""
    dns = StubDNS(
        {"news.example": [[PUBLIC]], "xn--lmonde-3of.example": [[]], "xn--intrnte-5fg.example": [["10.0.0.8"]]}
    )
    transport, _ = recording_transport(
        {
            # As UTF-8 bytes: a header's value is bytes, and a server may send them so.
            "news.example/unknown": (302, [(b"location", "https://l\u0435monde.example/rss".encode())], b""),
            "news.example/private": (302, [(b"location", "https://intr\u0430nte.example/rss".encode())], b""),
        }
    )
    options = {"timeout": 5, "max_bytes": 100_000, "resolver": dns, "transport": transport}
    with pytest.raises(FetchError) as unknown:
        fetch_url("http://news.example/unknown", **options)
    assert str(unknown.value) == "nom de domaine introuvable : xn--lmonde-3of.example"
    with pytest.raises(FetchError) as private:
        fetch_url("http://news.example/private", **options)
    assert str(private.value).startswith("adresse refusée : xn--intrnte-5fg.example désigne une adresse locale")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.8",
        "169.254.169.254",  # cloud metadata
        "::1",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "64:ff9b::7f00:1",  # NAT64
        "64:ff9b:1::a00:1",  # local-use NAT64
        "2002:7f00:1::",  # 6to4
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "::7f00:1",  # IPv4-compatible
    ],
)
def test_addresses_that_lead_to_private_hosts_are_refused(address):
    dns = StubDNS({"evil.example": [[PUBLIC, address]]})
    transport, requests = recording_transport({})
    with pytest.raises(FetchError, match="locale ou privée"):
        fetch_url("http://evil.example/", timeout=5, max_bytes=100_000, resolver=dns, transport=transport)
    literal = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchError, match="locale ou privée"):
        fetch_url(f"http://{literal}/", timeout=5, max_bytes=100_000, resolver=dns, transport=transport)
    assert requests == []


def test_a_refused_address_typed_as_such_is_named_once_and_a_name_with_where_it_leads():
    dns = StubDNS({"intranet.example": [["10.0.0.8"]]})
    transport, requests = recording_transport({})
    options = {"timeout": 5, "max_bytes": 100_000, "resolver": dns, "transport": transport}
    with pytest.raises(FetchError) as typed:
        fetch_url("http://127.0.0.1:8080/admin", **options)
    assert str(typed.value) == (
        "adresse refusée : 127.0.0.1 est une adresse locale ou privée. Seules les adresses publiques sont autorisées."
    )
    with pytest.raises(FetchError) as named:
        fetch_url("http://intranet.example/", **options)
    assert str(named.value) == (
        "adresse refusée : intranet.example désigne une adresse locale ou privée (10.0.0.8). "
        "Seules les adresses publiques sont autorisées."
    )
    assert requests == []


def test_a_name_in_accented_letters_is_named_as_typed_when_it_is_unknown_or_refused():
    """ "https://mairie-épinal.fr/actu": looked up in its ASCII form, but the user who typed
    it is told of "mairie-épinal…", never of "xn--mairie-pinal-heb…", which they never wrote."""
    dns = StubDNS({"xn--mairie-pinal-heb.example": [[]], "xn--intranet-pinal-jkb.example": [["10.0.0.8"]]})
    transport, requests = recording_transport({})
    options = {"timeout": 5, "max_bytes": 100_000, "transport": transport}
    with pytest.raises(FetchError) as unknown:
        fetch_url("https://mairie-épinal.example/actu", resolver=dns, **options)
    assert str(unknown.value) == "nom de domaine introuvable : mairie-épinal.example"
    with pytest.raises(FetchError) as private:
        fetch_url("https://intranet-épinal.example/", resolver=dns, **options)
    assert str(private.value) == (
        "adresse refusée : intranet-épinal.example désigne une adresse locale ou privée (10.0.0.8). "
        "Seules les adresses publiques sont autorisées."
    )
    assert requests == []


def test_public_addresses_written_in_ipv6_forms_are_allowed():
    for address in ["64:ff9b::5db8:d822", "2001:4860:4860::8888", "::ffff:93.184.216.34"]:
        dns = StubDNS({"news.example": [[address]]})
        transport, requests = recording_transport({"news.example/article": (200, HTML, ARTICLE_PAGE.encode())})
        fetch_url("http://news.example/article", timeout=5, max_bytes=100_000, resolver=dns, transport=transport)
        assert requests[0].url.host == address


class SilentDNS:
    """A DNS server that does not answer: each lookup waits until the test releases it (10 s
    at most), then answers a public address."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.answered = threading.Event()

    def __call__(self, host: str, port: int) -> list[str]:
        self.released.wait(10)
        self.answered.set()
        return [PUBLIC]


def test_a_dns_server_that_never_answers_fails_the_fetch_at_its_deadline_as_an_unreachable_site():
    # The system resolver may wait far longer than the fetch's time limit (tries, servers and
    # search domains): the worker fetching would be held as long.
    dns = SilentDNS()
    transport, requests = recording_transport({"news.example/article": (200, HTML, ARTICLE_PAGE.encode())})
    try:
        with pytest.raises(FetchError, match=r"délai dépassé \(0.2 s\) en téléchargeant http://news.example/article"):
            fetch_url("http://news.example/article", timeout=0.2, max_bytes=100_000, resolver=dns, transport=transport)
        assert not dns.answered.is_set()  # the fetch gave up on the lookup, rather than waiting for it
    finally:
        dns.released.set()
    assert requests == []


def test_a_server_trickling_bytes_is_cut_off_at_the_deadline(site):
    started = time.monotonic()
    with pytest.raises(FetchError, match="délai dépassé"):
        fetch(site.origin + "/trickle", timeout=1.0)
    # One time limit for the whole download, not one per read: the site trickles a byte every
    # 0.1 s for 30 s, which a limit per read would have let through whole. A bound that only
    # catches that (10 times the limit, a third of the trickle), not a speed target.
    assert time.monotonic() - started < 10


def test_sizes_in_messages_are_written_as_french_writes_numbers(tmp_path):
    big = tmp_path / "dossier.txt"
    big.write_text("Le conseil a voté. " * 2000)
    with pytest.raises(InputTooLarge) as refused:
        read_file(big, max_bytes=1_000)
    assert str(refused.value) == "dossier.txt fait 40\u202f000 octets, au-delà de la limite de 1\u202f000 octets"
    assert french(0.1, 1) == "0,1"


def _gzip(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", _gzip),
        ("deflate", __import__("zlib").compress),  # zlib's format, as "deflate" says
        ("deflate", lambda data: __import__("zlib").compress(data, wbits=-15)),  # raw deflate, as some servers send
        ("gzip, gzip", lambda data: _gzip(_gzip(data))),
        ("identity", lambda data: data),
    ],
)
def test_a_compressed_page_is_read(encoding, encode):
    headers = HTML | {"content-encoding": encoding}
    transport, _ = recording_transport({"news.example/article": (200, headers, encode(ARTICLE_PAGE.encode()))})
    dns = StubDNS({"news.example": [[PUBLIC]]})
    document = fetch_url(
        "https://news.example/article", timeout=5, max_bytes=100_000, resolver=dns, transport=transport
    )
    assert "32 voix contre 11" in document.text


def test_a_page_compressed_twice_is_refused_past_the_cap_without_inflating_it_whole():
    import tracemalloc

    bomb = _gzip(_gzip(b"\0" * 200_000_000))  # 200 MB in a few hundred kilobytes, then in a few hundred bytes
    assert len(bomb) < 10_000
    headers = HTML | {"content-encoding": "gzip, gzip"}
    transport, _ = recording_transport({"news.example/bomb": (200, headers, bomb)})
    dns = StubDNS({"news.example": [[PUBLIC]]})
    tracemalloc.start()
    try:
        with pytest.raises(InputTooLarge):
            fetch_url("https://news.example/bomb", timeout=30, max_bytes=1_000_000, resolver=dns, transport=transport)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # httpx's own decoding held the 200 MB at once


def test_a_page_with_a_tag_of_thousands_of_attributes_is_refused_at_once_rather_than_parsed_for_minutes(site):
    crowded = PAGES["/crowded"][2].decode()
    assert not is_heavy_page(crowded)  # read in this thread: its time is this thread's
    started = time.thread_time()  # this thread's work, whatever else the machine runs
    with pytest.raises(UnsupportedInput, match=r"20.000 attributs"):
        fetch(site.origin + "/crowded", max_bytes=1_000_000)
    # A blow-up guard, not a speed target: parsed, it held one of the two ingest threads for 15 s.
    assert time.thread_time() - started < 6
    assert "32 voix contre 11" in fetch(site.origin + "/widget").text


# A page of 100,000 short paragraphs (4 MB): 20 s and more to read (a million: 200 s).
ENDLESS_PAGE = (
    "<html><head><title>Le conseil</title></head><body><article>"
    + "".join(f"<p>Le conseil municipal a voté la mesure numéro {i}.</p>" for i in range(100_000))
    + "</article></body></html>"
).encode()


def test_a_page_that_would_take_minutes_to_read_is_refused_at_the_time_limit_in_french():
    # Refused: read here, it was read whole after holding its thread for 20 s and more.
    with pytest.raises(InputTooLarge, match=r"^cette page est trop longue à lire \(plus de 2 secondes\)"):
        parse_bytes(ENDLESS_PAGE, name="conseil.html", source=None, max_bytes=10**8, limits=ReadingLimits(seconds=2.0))


def test_a_heavy_page_being_read_is_given_up_at_its_checkpoint_and_its_reading_process_ended():
    """A stopping bot gives up a heavy page being read within its grace, as it does a PDF."""
    before = child_processes()
    with pytest.raises(GivenUp):  # unchecked, the page was read whole
        parse_bytes(ENDLESS_PAGE, name="conseil.html", source=None, max_bytes=10**8, checkpoint=stop_asked_after(1))
    assert child_processes() == before


def test_a_page_heavy_with_scripts_and_styles_is_read_here_as_the_same_page_without_them():
    """Pages ship hundreds of kilobytes of inline script and style, which the reader takes as one
    text each (0.15 s a megabyte): counted, they sent the page to a process of its own, 0.5 to
    0.9 s to start. Read here, their article is the same, title, date, byline and paragraphs."""
    script = "<script>window.__STATE__ = {" + "if(a<b){c=d>e;} " * 40_000 + "};</script>"
    style = "<STYLE media='all'>" + ".a>b{color:red} " * 20_000 + "</STYLE>"
    scripted = ARTICLE_PAGE.replace("</head>", script + style + "</head>", 1)
    assert len(scripted) > 900_000 and scripted.count("<") > 40_000
    assert not is_heavy_page(scripted)
    read = parse_bytes(scripted.encode(), name="page.html", source="page.html", max_bytes=10**7)
    assert read == parse_bytes(ARTICLE_PAGE.encode(), name="page.html", source="page.html", max_bytes=10**7)
    assert read.author == "Claire Petit" and "32 voix contre 11" in read.text


def test_a_page_of_many_paragraphs_or_of_a_long_stated_article_is_still_heavy_among_scripts():
    """What the reader parses still counts: paragraphs (a million took a thread 200 s), JSON-LD
    (read as the article's text), a page whose script never ends; and past 3 MB, anything."""
    paragraphs = "".join(f"<p>Le conseil a voté la mesure {i}.</p>" for i in range(6_000))
    assert is_heavy_page(ARTICLE_PAGE.replace("<article>", "<article>" + paragraphs, 1))
    assert is_heavy_page(ENDLESS_PAGE.decode())
    stated = '<script type="application/ld+json">{"articleBody": "' + "Le conseil a voté. " * 30_000 + '"}</script>'
    assert is_heavy_page(ARTICLE_PAGE.replace("</head>", stated + "</head>", 1))
    assert is_heavy_page(ARTICLE_PAGE + "<script>" + "<p>a</p>" * 100_000)  # never closed: all read as markup
    assert is_heavy_page(ARTICLE_PAGE + "<script>" + "x" * 3_000_000 + "</script>")
    started = time.thread_time()  # counted in one pass, whatever the openings
    for endless in ("<script " * 200_000, "<script>" * 200_000, "<style></style>" * 150_000):
        is_heavy_page(endless)
    assert time.thread_time() - started < 1  # a blow-up guard (quadratic would take minutes), not a speed target


def test_a_compression_that_cannot_be_read_is_refused():
    headers = HTML | {"content-encoding": "br"}
    transport, _ = recording_transport({"news.example/article": (200, headers, b"\x1b\x00\x00")})
    dns = StubDNS({"news.example": [[PUBLIC]]})
    with pytest.raises(FetchError, match="compressé"):
        fetch_url("https://news.example/article", timeout=5, max_bytes=100_000, resolver=dns, transport=transport)


def failing_transport(error: Exception) -> httpx.MockTransport:
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    return httpx.MockTransport(fail)


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"),
            "la connexion sécurisée (HTTPS) au site a échoué, son certificat n'est pas valide",
        ),
        (httpx.ConnectError("[Errno 111] Connection refused"), "le site refuse la connexion"),
        (httpx.ConnectError("[Errno 101] Network is unreachable"), "le site est injoignable depuis ce serveur"),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            "le site a coupé la connexion avant la fin de la page",
        ),
    ],
)
def test_a_site_that_cannot_be_read_is_said_why_in_french(error, said):
    dns = StubDNS({"news.example": [[PUBLIC]]})
    with pytest.raises(FetchError) as raised:
        fetch_url(
            "https://news.example/article",
            timeout=5,
            max_bytes=100_000,
            resolver=dns,
            transport=failing_transport(error),
        )
    assert str(raised.value).startswith(f"impossible de télécharger https://news.example/article : {said}")


def test_a_download_is_given_up_at_its_checkpoint_without_waiting_for_its_deadline(site):
    """A stopping bot gives up a page being downloaded within its grace (its checkpoint raises),
    rather than wait for the rest of the page up to FETCH_TIMEOUT_SECONDS."""

    checkpoint = stop_asked_after(0.5)
    started = time.monotonic()
    with pytest.raises(GivenUp):
        fetch(site.origin + "/trickle", timeout=20.0, checkpoint=checkpoint)
    # Given up (`GivenUp`, not the deadline's refusal) and before the deadline: a bound that only
    # catches a wait for it (30 times the 0.5 s before the stop, under the 20 s), not a speed target.
    assert time.monotonic() - started < 15.0

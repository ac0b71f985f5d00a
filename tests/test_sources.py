"""Fetching and reading what users point at: pages, files, directories."""

import pytest

from index.errors import EmptyInput, FetchError, InputTooLarge, UnsupportedInput
from index.sources import expand_paths, fetch_url, read_file
from tests.http_fixtures import Site
from tests.test_documents import ARTICLE_PAGE

PAGES = {
    "/article": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode()),
    "/moved": (302, "text/html", b"/article"),
    "/image.png": (200, "image/png", b"\x89PNG...."),
    "/big": (200, "text/html", b"<html><body>" + b"<p>mot </p>" * 20_000 + b"</body></html>"),
    "/notes.txt": (200, "text/plain; charset=utf-8", "Titre: Notes\n\nLe texte brut est accepté aussi.".encode()),
    "/empty": (200, "text/html", b"<html><body><nav>Accueil</nav></body></html>"),
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


def test_pages_over_the_size_cap_are_refused(site):
    with pytest.raises(InputTooLarge):
        fetch(site.origin + "/big")


def test_missing_pages_and_slow_sites_get_clear_errors(site):
    with pytest.raises(FetchError, match="404"):
        fetch(site.origin + "/nowhere")
    with pytest.raises(FetchError, match="délai dépassé"):
        fetch(site.origin + "/slow", timeout=0.5)


def test_pages_without_article_text_are_refused(site):
    with pytest.raises(EmptyInput):
        fetch(site.origin + "/empty")


def test_only_http_urls_are_fetched():
    with pytest.raises(FetchError, match="http"):
        fetch("file:///etc/passwd")


def test_files_are_read_by_type_and_checked(tmp_path, sample_text):
    (tmp_path / "a.txt").write_text(sample_text, encoding="utf-8")
    (tmp_path / "page.html").write_text(ARTICLE_PAGE, encoding="utf-8")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# Titre\n\nUn paragraphe d'article.", encoding="utf-8")
    assert [p.name for p in expand_paths(tmp_path)] == ["a.txt", "page.html", "b.md"]
    assert read_file(tmp_path / "page.html", max_bytes=100_000).title == "Le Conseil vote la réforme"
    with pytest.raises(UnsupportedInput, match=r"\.jpg"):
        read_file(tmp_path / "photo.jpg", max_bytes=100_000)
    with pytest.raises(InputTooLarge):
        read_file(tmp_path / "a.txt", max_bytes=1_000)

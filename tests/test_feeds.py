"""Following feeds: RSS and Atom served by a local site, read with conditional requests,
new entries ingested once, through the same careful fetching as /ingest."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from zoneinfo import ZoneInfo

import pytest

from bot.feeds import FeedFollower, gone_for_good, poll_due, poll_minutes, unfollowed_from
from bot.replies.wording import french_date
from bot.service import delete_article, ingest_documents, read_input
from bot.settings import Settings
from bot.state import BotState
from bot.state.channels import ChannelRow
from bot.state.database import open_database
from bot.state.feeds import DroppedFeed, FeedRow
from bot.telegram import feed_messages as fmsg
from bot.telegram.follow import schedule_feeds, sync_feeds
from index.documents import parse_html
from index.errors import InputError
from index.feeds import NotAFeed, declared_feeds, earlier_keys, parse_feed
from index.fetching import fetch
from index.web_addresses import typed_address
from tests.fake_telegram import FakeTelegram
from tests.feed_fixtures import STORIES, Story, atom, home_page, publish_site, rss
from tests.http_fixtures import FeedSite
from tests.telegram_in_process import (
    PREFECT_QUESTION,
    TOKEN,
    bot_in_process,
    handle,
    private_message,
    two_article_library,
)


@pytest.fixture
def site():
    with FeedSite() as running:
        publish_site(running, STORIES[:2])
        yield running


@pytest.fixture
def follower(tmp_path, library, model_cache):
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        model_cache_dir=model_cache,
        ingest_allow_private_urls=True,  # the test site is on 127.0.0.1
        feed_poll_minutes=30,
    )
    state = BotState.open(settings.state_file)
    yield FeedFollower(library, state, settings)
    state.close()


def titles(library) -> set[str]:
    return {a.title for a in library.articles()}


def test_rss_and_atom_entries_are_read_in_order_with_their_links_and_dates():
    feed = parse_feed(rss("https://gazette.example", STORIES).encode(), "https://gazette.example/rss")
    assert feed.title == "La Gazette de l'Ouest - Région"
    assert [e.title for e in feed.entries] == [s.title for s in reversed(STORIES)]  # newest first, as published
    assert feed.entries[0].link == "https://gazette.example/articles/marais-salants"
    assert feed.entries[0].published == "2025-03-06"
    # The day as the feed writes it, not in UTC: a French story just after midnight is of its day.
    late = rss("https://gazette.example", STORIES[:1]).replace(
        "Mon, 03 Mar 2025 07:30:00 +0000", "Tue, 04 Mar 2025 00:30:00 +0100"
    )
    assert (
        "+0100" in late
        and parse_feed(late.encode(), "https://gazette.example/rss").entries[0].published == "2025-03-04"
    )
    full = parse_feed(atom("https://gazette.example", STORIES).encode(), "https://gazette.example/atom.xml")
    assert full.entries[-1].key == "tag:gazette-ouest.example,2025:pont-de-saint-nazaire"
    assert "30 000 véhicules" in full.entries[-1].content


def test_an_entry_dated_by_a_placeholder_has_no_date_rather_than_a_wrong_one():
    story = rss("https://gazette.example", STORIES[:1])
    for placeholder in ("Mon, 1 Jan 0001 00:00:00 +0000", "Thu, 01 Jan 1970 00:00:00 GMT"):
        feed = parse_feed(story.replace("Mon, 03 Mar 2025 07:30:00 +0000", placeholder).encode(), "https://g.example")
        assert feed.entries[0].published is None, placeholder  # not 2001, nor 1970
    two_digits = story.replace("Mon, 03 Mar 2025 07:30:00 +0000", "Mon, 03 Mar 25 07:30:00 +0000")
    assert parse_feed(two_digits.encode(), "https://g.example").entries[0].published == "2025-03-03"


def test_an_entry_dated_after_tomorrow_has_no_date_rather_than_one_to_come():
    """A feed's clock set wrong, or a date made up: "2999" would have dated an article
    published centuries from now. Tomorrow is a day ahead of UTC's today somewhere."""
    story = rss("https://gazette.example", STORIES[:1])
    written = "Mon, 03 Mar 2025 07:30:00 +0000"
    for future, published in [
        ("Fri, 07 Mar 2999 00:30:00 +0100", None),
        ("Wed, 05 Mar 2025 23:00:00 +0000", None),
        ("Tue, 04 Mar 2025 23:30:00 +0100", "2025-03-04"),  # tomorrow, in France
        (written, "2025-03-03"),
    ]:
        feed = parse_feed(story.replace(written, future).encode(), "https://g.example", today=date(2025, 3, 3))
        assert feed.entries[0].published == published, future


def test_a_feed_s_entities_are_neither_read_from_disk_nor_expanded_a_billion_times():
    """XML external entities ("file:///etc/passwd") and entities of entities (the billion
    laughs: 10^9 "lol" from a few hundred bytes) come back as written, at once."""
    outside = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><title>Flux &secret;</title>'
        "<item><title>Un &secret;</title><link>https://g.example/a</link><description>&secret;</description></item>"
        "</channel></rss>"
    )
    laughs = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    billion = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{laughs}]><rss version="2.0"><channel><title>&lol9;</title>'
        "<item><title>&lol9;</title><link>https://g.example/b</link></item></channel></rss>"
    )
    started = time.thread_time()  # this thread's CPU: not the other threads' a test may have left
    read = parse_feed(outside.encode(), "https://g.example/rss")
    expanded = parse_feed(billion.encode(), "https://g.example/rss")
    # A blow-up guard, no speed target: expanded, the laughs take minutes and gigabytes.
    assert time.thread_time() - started < 10
    assert "root:" not in repr(read) and "root:" not in repr(expanded)
    assert len(expanded.title) + sum(len(e.title) for e in expanded.entries) < 1000


def test_a_site_answering_a_file_s_path_is_followed_as_no_feed_and_the_file_is_never_read(site, follower, tmp_path):
    """A feed's site (its own, or a hijacked one) answering a local path ("/dev/zero",
    "/etc/…") gets its answer read as a document, never the file it names: feedparser takes a
    short string for a file's name when one is there."""
    local = tmp_path / "flux-local.xml"
    local.write_text(rss("https://local.example", STORIES[:1], title="Un fichier du serveur"), encoding="utf-8")
    site.publish("/rss/chemin.xml", "application/rss+xml", str(local).encode())
    with pytest.raises(NotAFeed):
        follower.follow(site.origin + "/rss/chemin.xml")
    assert follower.state.feeds() == []


def test_an_entry_s_link_is_kept_only_when_it_is_a_web_page_s_address():
    links = ["javascript:alert(document.cookie)", "file:///etc/hostname", "mailto:a@b.fr", "/articles/castor"]
    items = "".join(f"<item><link>{link}</link><guid>g{n}</guid></item>" for n, link in enumerate(links))
    document = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bizarre</title>{items}</channel></rss>'
    feed = parse_feed(document.encode(), "https://gazette.example/rss")
    assert [e.link for e in feed.entries] == [None, None, None, "https://gazette.example/articles/castor"]
    # The text a feed gives for such an entry is an article without a link, not one to a script.
    page = parse_html("<html><body><article><p>Le castor revient.</p></article></body></html>", url=links[0])
    assert page.url is None


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (20, "relevé à l'instant"),
        (100, "relevé il y a 1 minute"),
        (3000, "relevé il y a 50 minutes"),
        (3 * 3600, "relevé il y a 3 heures"),
        (3 * 86400, "relevé il y a 3 jours"),
    ],
)
def test_the_list_of_feeds_says_when_each_was_last_polled_as_people_say_it(seconds, said):
    row = FeedRow(1, "https://exemple.fr/rss", "La Gazette", 30, None, None, 1e9, 1e9, 0, None, 3)
    assert f"{said}, 3 articles" in fmsg.feeds_html([row], [], now=1e9 + seconds)


def test_a_list_of_feeds_too_long_for_a_message_says_how_many_it_leaves_out_and_where_to_see_them():
    title = "La Gazette de l'Ouest, édition de Loire-Atlantique et de Vendée, rubrique "
    rows = [
        FeedRow(n, f"https://exemple.fr/rss/{n}", f"{title}{n}", 30, None, None, 1e9, 1e9, 0, None, n)
        for n in range(1, 41)
    ]
    channels = [ChannelRow(-1001, "Les Nouvelles", "nouvelles"), ChannelRow(-1002, "Le Fil", None)]
    listed = fmsg.feeds_html(rows, channels, now=1e9 + 60)
    shown = sum(f"<code>{n}</code>" in listed for n in range(1, 41))
    assert 0 < shown < 40 and f"… et {40 - shown} de plus." in listed
    assert "Liste complète : <code>python -m bot feeds</code>" in listed and "« Le Fil »" in listed
    assert "de plus" not in fmsg.feeds_html(rows[:3], channels, now=1e9 + 60)  # a short list is whole
    feed = rows[0]
    notice = fmsg.entries_given_up_html(feed, [(f"https://exemple.fr/a/{n}", "page introuvable") for n in range(7)])
    assert notice.count("• ") == 5 and "… et 2 de plus." in notice
    assert "7 articles illisibles, abandonnés :" in notice
    one = fmsg.entries_given_up_html(feed, [("https://exemple.fr/a/1", "page introuvable")])
    assert "1 article illisible, abandonné :" in one  # agreed with one article


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (1, "toutes les minutes"),
        (1.5, "toutes les 90 secondes"),  # never "toutes les 1,5 minute"
        (2.5, "toutes les 2 minutes 30"),
        (90.25, "toutes les 90 minutes 15"),
        (90, "toutes les 90 minutes"),
        (30, "toutes les 30 minutes"),
        (60, "toutes les heures"),  # never "toutes les 1 heure"
        (120, "toutes les 2 heures"),
        (1440, "tous les jours"),
        (10080, "tous les 7 jours"),
        (1 / 30, "toutes les 2 secondes"),
    ],
)
def test_a_feed_s_interval_is_said_as_french_says_how_often(minutes, said):
    feed = FeedRow(3, "https://exemple.fr/rss", "La Gazette", minutes, None, None, None, None, 0, None, 0)
    assert f"relevé {said}." in fmsg.already_followed_html(feed)


def test_a_feed_that_fails_is_said_to_have_failed_its_last_polls_in_the_singular_for_one():
    feed = FeedRow(3, "https://exemple.fr/rss", "La Gazette", 30, None, None, None, None, 1, "HTTP 503", 0)
    assert "a échoué au dernier relevé : HTTP 503" in fmsg.feed_failing_html(feed)
    assert "a échoué aux 3 derniers relevés" in fmsg.feed_failing_html(replace(feed, failures=3))


def test_a_page_that_is_not_a_feed_is_refused_and_declared_feeds_are_found():
    with pytest.raises(NotAFeed):
        parse_feed(b"<html><body><p>Bonjour</p></body></html>", "https://gazette.example/")
    page = home_page("https://gazette.example")
    assert declared_feeds(page, "https://gazette.example/") == [
        "https://gazette.example/rss/region.xml",
        "https://gazette.example/atom.xml",
    ]


def test_following_a_feed_ingests_its_entries_and_polls_only_what_is_new(site, follower, library):
    feed, new = follower.follow(site.origin + "/rss/region.xml")
    assert new and feed.title == "La Gazette de l'Ouest - Région"
    first = follower.poll(feed.id)
    assert len(first.added) == 2 and not first.error
    assert titles(library) == {STORIES[0].title, STORIES[1].title}  # the page's title, not the site's
    answer = library.ask("Combien de bagadoù au festival de Cornouaille ?")
    assert answer.found and "quarante bagadoù" in answer.results[0].quote

    unchanged = follower.poll(feed.id)
    assert unchanged.not_modified  # the site answered 304 to the conditional request
    assert site.requests_to("/rss/region.xml")[-1]["if-none-match"].startswith('"')

    publish_site(site, STORIES)  # a third story appears in the feed
    third = follower.poll(feed.id)
    assert [library.article(i).title for i in third.added] == [STORIES[2].title]
    assert len(site.requests_to(f"/articles/{STORIES[0].slug}")) == 1  # entries already ingested are not fetched again
    assert follower.state.feed(feed.id).articles == 3


def test_a_site_page_that_declares_its_feed_can_be_followed_and_twice_is_once(site, follower):
    feed, new = follower.follow(site.origin + "/")
    assert new and feed.url == site.origin + "/rss/region.xml"
    again, new_again = follower.follow(site.origin + "/rss/region.xml")
    assert again.id == feed.id and not new_again and again.every_minutes == 30
    faster, _ = follower.follow(site.origin + "/rss/region.xml", every_minutes=1.5)  # `/follow URL 1,5`
    assert faster.id == feed.id and follower.state.feed(feed.id).every_minutes == 1.5
    assert "relevé toutes les 90 secondes." in fmsg.already_followed_html(faster)


def test_a_feed_followed_by_its_site_s_page_is_named_by_that_page_too_with_or_without_its_slash(site, follower):
    feed, _ = follower.follow(site.origin + "/")
    for named in (site.origin + "/", site.origin, feed.url):  # `/unfollow` with what was typed to follow
        assert follower.state.feed_by_url(named).id == feed.id, named
    follower.state.remove_feed(feed.id)
    assert follower.state.feed_by_url(site.origin) is None and follower.state.feeds() == []
    again, new = follower.follow(site.origin)  # followed anew after: named by it again
    assert new and follower.state.feed_by_url(site.origin + "/").id == again.id


def test_the_list_of_feeds_says_nothing_is_followed_in_words_true_before_a_first_follow_and_after_the_last_unfollow(
    site, follower
):
    before = fmsg.feeds_html(follower.state.feeds(), [])
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    follower.state.remove_feed(feed.id)  # what `/unfollow ID` does
    after = fmsg.feeds_html(follower.state.feeds(), [])
    assert before == after and after.startswith("Je ne suis aucun flux ni aucune chaîne en ce moment : ")
    assert " encore " not in after and " plus " not in after  # "encore" is false after an unfollow


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_feed_followed_through_http_then_https_or_with_a_slash_is_one_feed(backend, tmp_path, request):
    url = request.getfixturevalue("database_url") if backend == "postgresql" else None
    state = BotState.open(tmp_path / "bot.sqlite3", url)
    feed, _ = state.add_feed("http://exemple.fr/rss", "Exemple", 10, None)
    for spelt in ("https://exemple.fr/rss", "https://exemple.fr/rss/", "HTTP://exemple.fr/rss"):
        again, new_again = state.add_feed(spelt, "Exemple", 10, None)
        assert (again.id, new_again) == (feed.id, False), spelt
        assert state.feed_by_url(spelt).id == feed.id  # `/unfollow` with it
    site_feed, _ = state.add_feed("https://site.fr/flux.xml", "Site", 10, None, followed_as="https://site.fr/")
    assert state.feed_by_url("http://site.fr").id == site_feed.id  # named by its page, spelt otherwise
    assert state.add_feed("https://exemple.fr/rss.xml", "Autre", 10, None)[1]  # another address: another feed
    assert state.feed_by_url("https://exemple.fr") is None
    assert [f.url for f in state.feeds()] == [
        "http://exemple.fr/rss",
        "https://site.fr/flux.xml",
        "https://exemple.fr/rss.xml",
    ]
    state.close()


def test_an_article_in_two_feeds_is_added_once(site, follower, library):
    rss_feed, _ = follower.follow(site.origin + "/rss/region.xml")
    atom_feed, _ = follower.follow(site.origin + "/atom.xml")
    assert len(follower.poll(rss_feed.id).added) == 2
    report = follower.poll(atom_feed.id)
    assert not report.added and report.duplicates == 2
    assert len(library.articles()) == 2


def test_an_unreadable_page_falls_back_to_the_full_text_the_feed_carries(site, follower, library):
    site.failing.update(f"/articles/{s.slug}" for s in STORIES)
    feed, _ = follower.follow(site.origin + "/atom.xml")
    report = follower.poll(feed.id)
    assert len(report.added) == 2 and STORIES[0].title in titles(library)  # from the Atom entries' content


def test_an_unreadable_page_is_tried_again_then_given_up(site, follower, library):
    failing = f"/articles/{STORIES[1].slug}"
    site.failing.add(failing)
    feed, _ = follower.follow(site.origin + "/rss/region.xml")  # teasers only: the page is needed
    reports = [follower.poll(feed.id) for _ in range(3)]
    assert [len(r.added) for r in reports] == [1, 0, 0] and not any(r.error for r in reports)
    assert len(site.requests_to(failing)) == 3  # tried at each poll, though the feed did not change
    [(link, why)] = reports[-1].given_up
    assert link == site.origin + failing and "500" in why and why.endswith("(3 essais)")
    assert [link for r in reports[:-1] for link, _ in r.given_up] == []  # reported once, when given up
    site.failing.clear()
    assert follower.poll(feed.id).not_modified and len(site.requests_to(failing)) == 3


def test_an_entry_whose_page_cannot_be_read_at_all_never_blocks_the_others(site, library, follower):
    broken = site.origin + f"/articles/{STORIES[1].slug}"

    def fetching(url, **options):  # as a bug in reading one page would fail: not an input error
        if url == broken:
            raise RecursionError("maximum recursion depth exceeded")
        return fetch(url, **options)

    reader = FeedFollower(library, follower.state, follower.settings, fetcher=fetching)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    reports = [reader.poll(feed.id) for _ in range(3)]
    assert not any(r.error for r in reports) and [len(r.added) for r in reports] == [1, 0, 0]
    assert STORIES[0].title in titles(library)
    assert [link for link, _ in reports[-1].given_up] == [broken]  # given up and reported, as a failing page is


def test_entries_beyond_one_poll_s_share_are_added_by_the_next_polls_newest_first(site, follower, library):
    publish_site(site, STORIES[:1])
    one_by_one = FeedFollower(library, follower.state, follower.settings.model_copy(update={"feed_max_entries": 1}))
    feed, _ = one_by_one.follow(site.origin + "/rss/region.xml")
    assert len(one_by_one.poll(feed.id).added) == 1
    publish_site(site, STORIES)  # two stories at once: more than a poll takes
    reports = [one_by_one.poll(feed.id) for _ in range(3)]
    assert [[library.article(i).title for i in r.added] for r in reports[:2]] == [
        [STORIES[2].title],  # the newest first: the news of the day does not wait behind older
        [STORIES[1].title],
    ]
    assert not any(r.not_modified for r in reports[:2]) and reports[2].not_modified  # read whole until none waits


def test_a_feed_that_lists_its_oldest_entries_first_still_gives_its_newest(site, follower, library):
    site.publish("/rss/region.xml", "application/rss+xml", rss(site.origin, STORIES, oldest_first=True))
    two = FeedFollower(library, follower.state, follower.settings.model_copy(update={"feed_max_entries": 2}))
    feed, _ = two.follow(site.origin + "/rss/region.xml")
    assert [library.article(i).title for i in two.poll(feed.id).added] == [STORIES[1].title, STORIES[2].title]


def test_an_entry_that_left_the_feed_before_its_page_could_be_read_is_given_up(site, follower):
    failing = f"/articles/{STORIES[1].slug}"
    site.failing.add(failing)
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    assert [link for link, _ in follower.poll(feed.id).given_up] == []  # to be tried again
    publish_site(site, [STORIES[0], STORIES[2]])  # the site took it out of its feed
    report = follower.poll(feed.id)
    assert [(link, why) for link, why in report.given_up] == [
        (site.origin + failing, "retirée du flux avant d'avoir pu être lue")
    ]
    assert follower.poll(feed.id).not_modified  # and the polls are conditional again
    assert len(site.requests_to(failing)) == 1


def test_following_a_site_follows_the_first_feed_it_declares_that_can_be_read(site, follower):
    page = (
        "<!doctype html><html><head><title>La Gazette</title>"
        '<link rel="alternate" type="application/feed+json" href="/feed.json">'  # no reader for it
        '<link rel="alternate" type="application/rss+xml" href="/ancien-flux.xml">'  # gone: 404
        '<link rel="alternate" type="application/rss+xml" href="/rss/region.xml">'
        "</head><body><h1>La Gazette</h1></body></html>"
    )
    site.publish("/accueil", "text/html; charset=utf-8", page)
    feed, new = follower.follow(site.origin + "/accueil")
    assert new and feed.url == site.origin + "/rss/region.xml"


def test_following_what_is_no_feed_says_so_in_a_feed_s_words(site, follower):
    site.publish("/logo.png", "image/png", b"\x89PNG\r\n")
    with pytest.raises(InputError, match=r"/logo\.png n'est pas un flux RSS ou Atom \(type « image/png »\)"):
        follower.follow(site.origin + "/logo.png")


def test_a_feed_larger_than_followed_feeds_may_be_is_refused_when_followed_not_at_each_poll(site, follower):
    size = len(rss(site.origin, STORIES[:2]).encode())
    small = FeedFollower(
        follower.library, follower.state, follower.settings.model_copy(update={"feed_max_bytes": size // 2})
    )
    with pytest.raises(InputError, match="FEED_MAX_BYTES"):
        small.follow(site.origin + "/rss/region.xml")
    assert small.state.feeds() == []


def test_a_feed_larger_than_followed_feeds_may_be_is_refused_before_it_is_parsed(site, follower):
    """A page may be as large as INGEST_MAX_BYTES, and the address followed may be a site's page:
    a feed beyond FEED_MAX_BYTES was parsed whole before its size was refused (6 MB of 30,000
    entries, 9 CPU s)."""
    items = "".join(
        f"<item><title>Brève {n}</title><link>{site.origin}/articles/breve</link><guid>b{n}</guid></item>"
        for n in range(40_000)
    )
    site.publish("/rss/tout.xml", "application/rss+xml", f'<rss version="2.0"><channel>{items}</channel></rss>')
    small = FeedFollower(
        follower.library, follower.state, follower.settings.model_copy(update={"feed_max_bytes": 10_000})
    )
    # This thread's CPU, where `follow` parses: not the site's thread serving the 6 MB, nor the
    # library's own threads, which the process's CPU time counted as the feed's.
    started = time.thread_time()
    with pytest.raises(InputError, match="FEED_MAX_BYTES"):
        small.follow(site.origin + "/rss/tout.xml")
    assert time.thread_time() - started < 2  # a blow-up guard, no speed target: parsed, 4-9 CPU s here
    assert small.state.feeds() == []


def test_an_article_an_admin_deleted_is_not_added_back_by_another_feed_listing_it(site, follower, library):
    region, _ = follower.follow(site.origin + "/rss/region.xml")
    assert len(follower.poll(region.id).added) == 2
    unwanted = next(a for a in library.articles() if a.title == STORIES[0].title)
    delete_article(library, follower.state, unwanted.id)  # /delete, or python -m bot delete
    culture, _ = follower.follow(site.origin + "/atom.xml")  # the same stories
    report = follower.poll(culture.id)
    assert report.added == [] and report.given_up == []
    assert STORIES[0].title not in titles(library)
    assert follower.poll(culture.id).not_modified  # done with: not tried at each poll
    # Someone adding it by hand gets it back.
    page = site.origin + f"/articles/{STORIES[0].slug}"
    assert (
        ingest_documents(
            library, read_input(page, follower.settings), article_max_words=follower.settings.article_max_words
        )[0].status
        == "added"
    )


def test_a_feed_response_cut_short_gives_up_none_of_the_entries_it_no_longer_lists(site, follower):
    waiting = f"/articles/{STORIES[1].slug}"
    site.failing.add(waiting)
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    assert len(follower.poll(feed.id).added) == 1 and len(site.requests_to(waiting)) == 1  # one to try again
    listing_one = rss(site.origin, STORIES[:1])
    cut = listing_one[: listing_one.index("</item>") + len("</item>")]  # the connection dropped after an entry
    site.publish("/rss/region.xml", "application/rss+xml; charset=utf-8", cut)
    assert follower.poll(feed.id).given_up == []
    site.failing.clear()
    publish_site(site, STORIES[:2])  # the feed whole again
    assert len(follower.poll(feed.id).added) == 1  # the entry that waited, added at last
    assert len(site.requests_to(waiting)) == 2


def test_a_feed_that_fails_in_an_unexpected_way_counts_as_a_failed_poll(site, library, follower):
    def fetching(url, **options):  # as a bug in reading the feed would fail: not an input error
        if url.endswith("/rss/region.xml") and options.get("headers") is not None:
            raise RecursionError("maximum recursion depth exceeded")
        return fetch(url, **options)

    reader = FeedFollower(library, follower.state, follower.settings, fetcher=fetching)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    report = reader.poll(feed.id)
    assert report.error == "le flux n'a pas pu être lu (RecursionError)" and reader.state.feed(feed.id).failures == 1


def test_an_address_python_cannot_split_is_refused_in_french():
    for url in ("http://[2001:db8::1/rss", "http://exemple.fr:99999999/rss"):
        with pytest.raises(InputError, match=r"adresse (illisible|refusée)"):
            fetch(url, timeout=5, max_bytes=1000)


def test_a_feed_unfollowed_while_it_is_polled_ends_its_poll_quietly(site, library, follower):
    feed_id: list[int] = []

    def fetching(url, **options):  # an admin sends /unfollow while an entry's page downloads
        if "/articles/" in url and feed_id:
            follower.state.remove_feed(feed_id.pop())
        return fetch(url, **options)

    reader = FeedFollower(library, follower.state, follower.settings, fetcher=fetching)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    feed_id.append(feed.id)
    report = reader.poll(feed.id)
    assert len(report.added) == 2 and not report.error
    assert reader.state.feeds() == [] and reader.poll(feed.id) is None


def test_a_page_whose_json_ld_nests_past_what_a_parser_reads_is_still_read():
    paragraphs = "".join(f"<p>Paragraphe {i} : le conseil a voté le budget mardi soir.</p>" for i in range(4))
    for depth in (100_000, 900):
        stated = "[" * depth + '{"@type": "NewsArticle", "headline": "Le budget"}' + "]" * depth
        page = f'<html><head><script type="application/ld+json">{stated}</script></head><body><article>{paragraphs}'
        assert "Paragraphe 3 : le conseil" in parse_html(page + "</article></body></html>").text


def test_a_failing_feed_counts_its_failures_and_recovers(site, follower):
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    site.failing.add("/rss/region.xml")
    reports = [follower.poll(feed.id) for _ in range(3)]
    assert all(r.error and "500" in r.error for r in reports)
    assert follower.state.feed(feed.id).failures == 3
    site.failing.clear()
    recovered = follower.poll(feed.id)
    assert not recovered.error and follower.state.feed(feed.id).failures == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_admins_hear_once_that_a_feed_fails_and_once_that_it_works_again_whoever_polled_it(backend, tmp_path, request):
    """A command-line `feeds --poll` may be the poll that crosses the threshold, or the one
    that finds the feed working again: the bot tells the admins all the same, once."""
    url = request.getfixturevalue("database_url") if backend == "postgresql" else None
    bot, command_line = (BotState.open(tmp_path / "bot.sqlite3", url) for _ in range(2))
    feed, _ = bot.add_feed("https://exemple.fr/rss", "Exemple", 10, None)
    bot.feed_polled(feed.id, error="HTTP 500")
    assert bot.alerts_due(2) == []  # one failure: not yet
    command_line.feed_polled(feed.id, error="HTTP 503")
    [(told, failing)] = bot.alerts_due(2)
    assert failing and told.failures == 2 and told.last_error == "HTTP 503"
    assert "a échoué aux 2 derniers relevés : HTTP 503" in fmsg.feed_failing_html(told)
    bot.feed_polled(feed.id, error="HTTP 503")
    assert bot.alerts_due(2) == [] and command_line.alerts_due(2) == []  # told already, by either
    command_line.feed_polled(feed.id)  # works again
    assert [(f.id, failing) for f, failing in bot.alerts_due(2, feed.id)] == [(feed.id, False)]
    assert bot.alerts_due(2) == []
    other, _ = bot.add_feed("https://exemple.fr/autre", "Autre", 10, None)
    for _ in range(3):
        bot.feed_polled(other.id, error="HTTP 404")
    assert bot.alerts_due(2, feed.id) == []  # another feed's alert waits for its own turn
    bot.remove_feed(other.id)  # unfollowed: nothing to tell
    assert bot.alerts_due(2) == []
    for state in (bot, command_line):
        state.close()


def test_what_is_not_a_feed_gets_a_clear_error(site, follower):
    site.publish("/plain", "text/html", "<html><body><p>Aucun flux ici.</p></body></html>")
    with pytest.raises(InputError, match="aucun flux RSS ou Atom"):
        follower.follow(site.origin + "/plain")
    with pytest.raises(InputError, match="404"):
        follower.follow(site.origin + "/absent.xml")
    assert follower.state.feeds() == []


def test_an_interval_between_polls_is_a_number_of_minutes_from_one_to_a_week():
    assert [poll_minutes(text) for text in ("15", "1,5", "1", "10080")] == [15.0, 1.5, 1.0, 10080.0]
    assert all(poll_minutes(text) is None for text in ("0", "-5", "0.5", "10081", "abc", "nan", "inf", ""))


def test_unfollowing_keeps_the_articles(site, follower, library):
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    follower.poll(feed.id)
    follower.state.remove_feed(feed.id)
    assert follower.poll(feed.id) is None and len(library.articles()) == 2


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_each_poll_of_a_feed_is_taken_by_one_process_only(backend, tmp_path, request):
    """Replicas sharing the state each run a job for every feed: one of them polls it each time."""
    now = [1000.0]
    url = request.getfixturevalue("database_url") if backend == "postgresql" else None
    replicas = [BotState.open(tmp_path / "bot.sqlite3", url, clock=lambda: now[0]) for _ in range(2)]
    feed, _ = replicas[0].add_feed("https://exemple.fr/rss", "Exemple", 10, None)
    assert [r.claim_poll(feed.id, 10) for r in replicas] == [True, False]
    now[0] += 5 * 60  # half the interval later: still taken
    assert [r.claim_poll(feed.id, 10) for r in replicas] == [False, False]
    now[0] += 5 * 60
    assert [r.claim_poll(feed.id, 10) for r in reversed(replicas)] == [True, False]
    for replica in replicas:
        replica.close()


def test_a_feed_followed_is_polled_by_its_follower_not_by_the_bot_s_job_meanwhile(site, follower):
    feed, _ = follower.follow(site.origin + "/rss/region.xml")  # `/follow` polls it at once itself
    assert not follower.state.claim_poll(feed.id, feed.every_minutes)  # a job due meanwhile skips it


@pytest.mark.parametrize("when", ["as the feed downloads", "as its articles download"])
def test_a_poll_given_up_is_taken_at_once_by_the_next_process(site, follower, when):
    """The bot stopping while a feed downloads or is read, or while its articles are added:
    its poll is given up and released, so the bot back polls it at once instead of waiting
    most of an interval for the dead process's claim ("ses articles seront ajoutés dès son
    retour")."""
    from bot.service import Abandoned

    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    follower.state.release_poll(feed.id)  # the follow's own poll is over
    assert follower.state.claim_poll(feed.id, feed.every_minutes)  # a job of the bot takes the next

    def stopping() -> None:
        articles_asked = any(path.startswith("/articles/") for path, _ in site.requests)
        if when == "as the feed downloads" or articles_asked:
            raise Abandoned

    stopped = FeedFollower(follower.library, follower.state, follower.settings, checkpoint=stopping)
    with pytest.raises(Abandoned):
        stopped.poll(feed.id)
    assert follower.state.claim_poll(feed.id, feed.every_minutes)  # the next process polls it at once
    assert follower.library.stats().articles == 0  # its articles wait for that poll


def test_after_a_restart_each_feed_is_polled_when_due_from_its_last_poll(tmp_path):
    from tests.fake_telegram import FakeTelegram
    from tests.telegram_in_process import TOKEN, bot_in_process

    shift = [0.0]  # how long the bot was away

    async def scheduled(telegram: FakeTelegram) -> dict[str, float]:
        clock = lambda: time.time() + shift[0]  # noqa: E731
        async with bot_in_process(telegram, object(), tmp_path, clock=clock) as (application, state):
            for url, minutes in (("quotidien", 24 * 60), ("horaire", 60)):
                feed, _ = state.add_feed(f"https://exemple.fr/{url}.xml", url, minutes, None)
                state.feed_polled(feed.id)
            state.add_feed("https://exemple.fr/nouveau.xml", "nouveau", 60, None)  # never polled
            shift[0] = (24 * 60 - 5) * 60  # restarted a day less five minutes later
            await schedule_feeds(application)
            return {
                job.name: (job.next_t.timestamp() - time.time()) / 60
                for job in application.job_queue.jobs()
                if job.name.startswith("feed-")
            }

    with FakeTelegram(TOKEN) as telegram:
        minutes = asyncio.run(scheduled(telegram))
    assert 4 < minutes["feed-1"] <= 5  # the daily feed: due in five minutes, not in a day
    assert minutes["feed-2"] < 1  # the hourly one: overdue, polled at once
    assert minutes["feed-3"] < 1  # never polled: at once


def test_the_feeds_sync_waiting_for_another_process_s_write_keeps_no_chat_waiting(tmp_path):
    """Another process holding the state's write lock (`python -m bot follow`, another bot) makes
    the bot's own writes wait for it, up to SQLite's busy timeout (10 s): the minute's sync of
    the feeds reads them meanwhile, and every other chat is answered all the same."""
    library = two_article_library(tmp_path)
    asker, other = 51, 52

    async def scenario(telegram: FakeTelegram) -> float:
        async with bot_in_process(telegram, library, tmp_path) as (application, state):
            await asyncio.to_thread(state.add_feed, "https://exemple.fr/rss", "Exemple", 30, None)
            other_process = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
            other_process.execute("BEGIN IMMEDIATE")
            try:
                # The asker's question limit is a write: it waits for the lock.
                asked = asyncio.create_task(handle(application, private_message(asker, PREFECT_QUESTION)))
                await asyncio.sleep(0.5)  # for the asker's update to reach its write
                assert not asked.done()
                started = time.monotonic()
                application.job_queue.run_once(sync_feeds, 0, name="sync-now")
                for _ in range(200):  # bounded: until the sync is under way
                    if not application.job_queue.get_jobs_by_name("sync-now"):
                        break
                    await asyncio.sleep(0.01)
                await handle(application, private_message(other, "/help"))
                answered_in = time.monotonic() - started
            finally:
                other_process.execute("ROLLBACK")
                other_process.close()
            await asyncio.wait_for(asked, 30)
            for _ in range(200):  # bounded: the sync scheduled the feed
                if application.job_queue.get_jobs_by_name("feed-1"):
                    break
                await asyncio.sleep(0.05)
            assert application.job_queue.get_jobs_by_name("feed-1")
            return answered_in

    with FakeTelegram(TOKEN) as telegram:
        answered_in = asyncio.run(scenario(telegram))
        assert answered_in < 2, answered_in  # not held until the lock is released or the busy timeout
        assert "Je réponds à vos questions" in telegram.calls_to("sendMessage", other)[0].params["text"]
        assert "Marie Dupont" in telegram.calls_to("sendMessage", asker)[-1].params["text"]  # answered once released
    library.close()


def test_a_state_write_waiting_for_another_process_holds_up_no_other_thread_s_reads(tmp_path):
    state = BotState.open(tmp_path / "bot.sqlite3")
    state.add_feed("https://exemple.fr/rss", "Exemple", 30, None)
    other_process = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    try:
        with ThreadPoolExecutor(2) as pool:
            waiting = pool.submit(state.add_feed, "https://exemple.fr/autre", "Autre", 30, None)
            time.sleep(0.3)
            assert not waiting.done()  # the write waits for the other process's lock
            started = time.monotonic()
            read = pool.submit(state.feeds).result(timeout=15)
            read_in = time.monotonic() - started
            other_process.execute("ROLLBACK")
            waiting.result(timeout=15)
    finally:
        other_process.close()
    assert read_in < 1, read_in  # not held behind the waiting write (10 s: SQLite's busy timeout)
    assert [f.url for f in read] == ["https://exemple.fr/rss"]
    assert [f.url for f in state.feeds()] == ["https://exemple.fr/rss", "https://exemple.fr/autre"]  # then written
    state.close()


def test_a_long_feed_s_pending_entries_are_those_not_done_among_all_it_lists(tmp_path):
    state = BotState.open(tmp_path / "bot.sqlite3")
    feed, _ = state.add_feed("https://exemple.fr/rss", "Exemple", 30, None)
    keys = [f"https://exemple.fr/articles/{n}" for n in range(1200)]  # more than one lookup's worth
    for key in keys[::2]:
        state.entry_done(feed.id, key, None)
    assert state.pending_entries(feed.id, keys + keys[:3]) == set(keys[1::2])
    state.close()


class RefusingOneArticle:
    """The library, but one article (by its title) cannot be stored: as one a bug would fail."""

    def __init__(self, library, title: str) -> None:
        self.library, self.title = library, title

    def ingest(self, documents, progress=None, committed=None):
        if any(document.title == self.title for document in documents):
            raise RuntimeError("cannot store this one")
        return self.library.ingest(documents, progress, committed)

    def stored_under(self, hashes, links):
        return self.library.stored_under(hashes, links)


def test_an_article_the_library_cannot_store_never_keeps_the_others_of_its_feed_out(site, follower, library):
    refusing = RefusingOneArticle(library, STORIES[0].title)
    reader = FeedFollower(refusing, follower.state, follower.settings)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    reports = [reader.poll(feed.id) for _ in range(3)]
    assert [len(r.added) for r in reports] == [1, 0, 0] and not any(r.error for r in reports)
    assert titles(library) == {STORIES[1].title}
    assert reports[-1].given_up == [
        (site.origin + f"/articles/{STORIES[0].slug}", "l'article n'a pas pu être ajouté (RuntimeError) (3 essais)")
    ]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_feed_s_id_is_never_given_to_another_feed(backend, tmp_path, request):
    url = request.getfixturevalue("database_url") if backend == "postgresql" else None
    state = BotState.open(tmp_path / "bot.sqlite3", url)
    first, _ = state.add_feed("https://exemple.fr/a.xml", "A", 30, None)
    second, _ = state.add_feed("https://exemple.fr/b.xml", "B", 30, None)
    state.remove_feed(second.id)  # the latest one unfollowed: a late `/unfollow` of it must find nothing
    third, _ = state.add_feed("https://exemple.fr/c.xml", "C", 30, None)
    assert third.id not in (first.id, second.id)
    state.close()


class FullDisk:
    """The library, on a disk that is full for a while: nothing can be stored."""

    def __init__(self, library) -> None:
        self.library, self.full = library, True

    def ingest(self, documents, progress=None, committed=None):
        if self.full:
            raise OSError(28, "No space left on device")
        return self.library.ingest(documents, progress, committed)

    def stored_under(self, hashes, links):  # reading still works on a full disk
        return self.library.stored_under(hashes, links)


def test_a_full_disk_fails_the_poll_and_gives_up_no_entry(site, follower, library):
    disk = FullDisk(library)
    reader = FeedFollower(disk, follower.state, follower.settings)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    reports = [reader.poll(feed.id) for _ in range(4)]  # more polls than an entry's attempts
    assert all(r.error == "les articles n'ont pas pu être enregistrés (OSError)" for r in reports)
    assert not any(r.given_up for r in reports) and reader.state.feed(feed.id).failures == 4
    disk.full = False
    recovered = reader.poll(feed.id)
    assert len(recovered.added) == 2 and not recovered.error  # the entries waited, the validators too


def test_a_postgres_library_out_of_reach_fails_the_poll_and_gives_up_no_entry(
    site, follower, postgres_server, database_url
):
    """The PostgreSQL server refusing the library's sessions (restarting, no room for one more,
    an administrator closing the database) while a poll downloads its pages is no fault of the
    articles: the poll fails and its entries wait, as on a full disk. Each such poll counted an
    attempt against every entry, and the third gave them up for good."""
    from urllib.parse import urlsplit

    from index.library import Library
    from index.pg_backend import PgBackend
    from tests.conftest import HashingEmbedder

    name = urlsplit(database_url).path.lstrip("/")
    pages: list[str] = []

    def closing_the_database_at_the_last_page(url, **options):
        pages.extend([url] if "/articles/" in url else [])  # not the feed's own download
        if "/articles/" in url and len(pages) <= 6 and len(pages) % 2 == 0:  # both links looked up by now
            postgres_server.psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false;")
            postgres_server.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';")
        return fetch(url, **options)

    library = Library(PgBackend(database_url), HashingEmbedder(), max_words=60)
    reader = FeedFollower(library, follower.state, follower.settings, fetcher=closing_the_database_at_the_last_page)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    reports = []
    for _ in range(3):  # as many polls as an entry's attempts, the server back after each
        try:
            reports.append(reader.poll(feed.id))
        finally:
            postgres_server.psql(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true;")
    assert [r.error for r in reports] == ["les articles n'ont pas pu être enregistrés (DatabaseUnavailable)"] * 3
    assert [r.given_up for r in reports] == [[]] * 3 and reader.state.feed(feed.id).failures == 3
    recovered = reader.poll(feed.id)
    assert len(recovered.added) == 2 and not recovered.error  # the entries waited
    library.close()


def test_a_bot_state_made_before_ids_were_never_reused_is_rebuilt_with_its_feeds_and_entries(tmp_path):
    import sqlite3

    from bot.state.database import _SCHEMA

    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:  # the tables as they were made before: ids SQLite may give again
        db.executescript(_SCHEMA.format(integer="INTEGER", real="REAL", serial="INTEGER PRIMARY KEY"))
        for url in ("https://exemple.fr/a.xml", "https://exemple.fr/b.xml"):
            db.execute("INSERT INTO feeds(url, title, every_minutes, created) VALUES (?, 'A', 30, 0)", (url,))
        db.execute("INSERT INTO feed_entries(feed_id, key, seen) VALUES (1, 'entrée', 0)")

    state = BotState.open(path)
    assert [(feed.id, feed.url) for feed in state.feeds()] == [
        (1, "https://exemple.fr/a.xml"),
        (2, "https://exemple.fr/b.xml"),
    ]
    state.remove_feed(2)  # the latest one unfollowed: its id must not come back
    again, _ = state.add_feed("https://exemple.fr/c.xml", "C", 30, None)
    assert again.id == 3
    state.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM feed_entries WHERE feed_id = 1").fetchone() == (1,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_entries_a_feed_no_longer_lists_are_forgotten_after_a_month(tmp_path):
    now = [0.0]
    state = BotState.open(tmp_path / "bot.sqlite3", clock=lambda: now[0])
    feed, _ = state.add_feed("https://exemple.fr/a.xml", "A", 30, None)
    for key in ("ancienne", "toujours listée"):
        state.entry_done(feed.id, key, None)
    now[0] = 31 * 86_400
    state.entry_done(feed.id, "récente", None)
    assert state.forget_entries_not_in(feed.id, ["toujours listée"], 30 * 86_400) == 1
    assert state.pending_entries(feed.id, ["ancienne", "toujours listée", "récente"]) == {"ancienne"}
    state.close()


def test_an_article_read_from_the_feed_s_own_text_has_the_feed_s_date_and_author_not_a_date_it_speaks_of():
    from bot.feeds import feed_text_document

    content = (
        "<p>Le conseil municipal de Rennes a adopté mardi soir le budget 2025, en hausse de 4 %, après un débat de "
        "cinq heures. L'opposition a voté contre.</p><p>Ce budget prolonge le plan adopté le 12 janvier 2021, qui "
        "prévoyait la rénovation de vingt écoles d'ici la fin du mandat. Dix-huit sont déjà livrées.</p>"
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Ouest</title>'
        "<link>https://ouest.example/</link><item><title>Rennes adopte son budget</title>"
        '<guid isPermaLink="false">budget-rennes</guid><dc:creator>Anne Le Goff</dc:creator>'
        f"<pubDate>Tue, 04 Mar 2025 22:10:00 +0100</pubDate><content:encoded><![CDATA[{content}]]></content:encoded>"
        "</item></channel></rss>"
    )
    entry = parse_feed(rss.encode(), "https://ouest.example/rss").entries[0]
    document = feed_text_document(entry)
    assert (document.title, document.date, document.author) == (
        "Rennes adopte son budget",
        "2025-03-04",
        "Anne Le Goff",
    )


def test_a_feed_entry_s_author_is_a_name_never_an_email_address():
    items = "".join(
        f"<item><title>{n}</title><link>https://ouest.example/{n}</link><author>{author}</author></item>"
        for n, author in enumerate(["jdupont@ouest.fr (Jean Dupont)", "redaction@ouest.fr"])
    )
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ouest</title>{items}</channel></rss>'
    entries = parse_feed(rss.encode(), "https://ouest.example/rss").entries
    assert [entry.author for entry in entries] == ["Jean Dupont", None]


def test_a_feed_that_carries_its_articles_whole_in_their_description_gives_them_and_a_teaser_gives_none():
    from bot.feeds import feed_text_document

    whole = (
        "&lt;p&gt;Le conseil municipal de Rennes a adopté mardi soir le budget 2025, en hausse de 4 %, après un "
        "débat de cinq heures. L'opposition a voté contre.&lt;/p&gt;&lt;p&gt;Ce budget prolonge le plan de "
        "rénovation de vingt écoles d'ici la fin du mandat. Dix-huit sont déjà livrées, et les deux dernières "
        "ouvriront à la rentrée, selon l'adjointe à l'éducation.&lt;/p&gt;"
    )
    items = "".join(
        f"<item><title>{title}</title><guid>{title}</guid><description>{text}</description></item>"
        for title, text in [("Rennes adopte son budget", whole), ("Un teaser", "Le budget est adopté.")]
    )
    rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Ouest</title>{items}</channel></rss>'
    carried, teaser = parse_feed(rss.encode(), "https://ouest.example/rss").entries
    assert feed_text_document(carried).text.startswith("Le conseil municipal de Rennes a adopté mardi soir")
    assert feed_text_document(teaser) is None


def test_a_feed_s_whole_article_reaches_the_page_reader_as_the_feed_gave_it_which_leaves_its_scripts_out():
    """The HTML an entry carries is the feed's own, read by the page reader alone: feedparser's
    sanitizing and link resolving (an HTML parse each of every entry, seen or not, 60% of a
    poll) are not run, so its relative link and its script are there as written; the page
    reader leaves scripts and styles out of the article all the same."""
    from bot.feeds import feed_text_document

    paragraphs = (
        "<p>Le conseil municipal de Rennes a adopté mardi soir le budget 2025, en hausse de 4 %, après un "
        "débat de cinq heures. <a href='/budget'>L'opposition</a> a voté contre.</p><p>Ce budget prolonge le "
        "plan de rénovation de vingt écoles d'ici la fin du mandat. Dix-huit sont déjà livrées, et les deux "
        "dernières ouvriront à la rentrée, selon l'adjointe à l'éducation.</p>"
    )
    hidden = "<script>document.write('Offre spéciale abonnement')</script><style>p { color: red }</style>"
    rss = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>Ouest</title><item><title>Rennes adopte son budget</title><guid>budget</guid>"
        f"<content:encoded><![CDATA[{hidden}{paragraphs}]]></content:encoded></item></channel></rss>"
    )
    (entry,) = parse_feed(rss.encode(), "https://ouest.example/rss").entries
    assert entry.content == hidden + paragraphs
    document = feed_text_document(entry)
    assert document.text.startswith("Le conseil municipal de Rennes a adopté mardi soir le budget 2025")
    assert "L'opposition a voté contre." in document.text
    assert "Offre" not in document.text and "color" not in document.text


def test_a_page_of_link_tags_that_never_close_is_read_in_linear_time():
    page = '<link rel="alternate" type="application/rss+xml" href="/rss">' + "<link " * 40_000
    started = time.thread_time()  # CPU time: a loaded machine's waits are no blow-up
    assert declared_feeds(page, "https://gazette.example/") == ["https://gazette.example/rss"]
    assert time.thread_time() - started < 1  # 6.7 s when each "<link" was read to the page's end


POLL_SECONDS = 1  # the shortest interval the wording says ("toutes les secondes"): every wait below counts in it


async def _until(condition, timeout: float = 60.0, said=lambda: ""):
    for _ in range(int(timeout / 0.1)):  # bounded by the timeout
        if value := condition():
            return value
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out {said()}")


def test_the_bot_polls_a_followed_feed_at_its_interval_tells_failures_once_and_stops_when_unfollowed(tmp_path, site):
    """The bot's own feed jobs, in this process, at an interval the test passes in (1 s): a user
    may ask for one a minute at the fastest, and FEED_POLL_MINUTES is bounded so too."""
    from index.library import Library
    from tests.conftest import HashingEmbedder
    from tests.telegram_in_process import ADMIN

    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)

    def sent(after: int = 0) -> list[str]:
        return [call.params["text"] for call in telegram.calls_to("sendMessage", ADMIN)[after:]]

    async def scenario() -> None:
        settings = {"ingest_allow_private_urls": True, "feed_failures_before_alert": 2}
        async with bot_in_process(telegram, library, tmp_path, **settings) as (application, state):
            for path in ("/rss/region.xml", "/atom.xml"):
                await handle(application, private_message(ADMIN, f"/follow {site.origin}{path}"))
            region, culture = await asyncio.to_thread(state.feeds)
            assert region.articles == 2
            for feed in (region, culture):
                await asyncio.to_thread(state.set_feed_interval, feed.id, POLL_SECONDS / 60)
            await schedule_feeds(application)

            publish_site(site, STORIES)  # a new story appears between two polls
            # Added by whichever feed is polled first (both list it), a duplicate for the other.
            await _until(lambda: sum(feed.articles for feed in state.feeds()) == 3, said=lambda: f"{state.feeds()}")
            await handle(application, private_message(ADMIN, "/feeds"))
            assert "toutes les secondes" in sent()[-1]
            # Each feed polled again with a conditional request, whichever of them came first.
            await _until(lambda: any("if-none-match" in headers for headers in site.requests_to("/rss/region.xml")))

            told = len(sent())
            site.failing.add("/atom.xml")
            await _until(lambda: any("a échoué aux 2 derniers relevés" in text for text in sent(told)))
            await asyncio.sleep(4 * POLL_SECONDS)  # more failed polls: no more messages
            assert sum("a échoué aux" in text for text in sent(told)) == 1
            assert any("500" in text for text in sent(told) if "a échoué aux" in text)
            site.failing.clear()
            await _until(lambda: any("fonctionne de nouveau" in text for text in sent(told)))

            await handle(application, private_message(ADMIN, f"/unfollow {culture.id}"))
            polls = len(site.requests_to("/atom.xml"))
            await asyncio.sleep(3 * POLL_SECONDS)
            assert len(site.requests_to("/atom.xml")) == polls

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario())
    library.close()


def _rss_with_links(origin: str, stories, tracking: str) -> str:
    """An RSS feed without guids whose links carry tracking parameters, as many French sites' do."""
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{origin}/articles/{s.slug}?{tracking}</link>"
        f"<pubDate>{format_datetime(s.published)}</pubDate><description>{escape(s.teaser)}</description></item>"
        for s in stories
    )
    channel = f"<channel><title>Région</title>{items}</channel>"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'


def _publish_tracked(site, stories, tracking: str) -> None:
    for story in stories:
        site.publish(f"/articles/{story.slug}?{tracking}", "text/html; charset=utf-8", story.page())
    site.publish(
        "/rss/tracked.xml", "application/rss+xml; charset=utf-8", _rss_with_links(site.origin, stories, tracking)
    )


def test_an_entry_whose_link_changes_only_by_tracking_parameters_between_polls_is_not_new(site, follower, library):
    _publish_tracked(site, STORIES[:1], "utm_source=rss&utm_campaign=lundi")
    feed, _ = follower.follow(site.origin + "/rss/tracked.xml")
    assert len(follower.poll(feed.id).added) == 1
    _publish_tracked(site, STORIES[:1], "utm_source=rss&utm_campaign=mardi")  # the day's campaign
    again = follower.poll(feed.id)
    assert again.added == [] and again.duplicates == 0  # the same entry: not fetched again
    assert site.requests_to(f"/articles/{STORIES[0].slug}?utm_source=rss&utm_campaign=mardi") == []
    assert library.stats().articles == 1


def test_a_deleted_article_is_not_added_back_by_a_feed_linking_it_with_tracking_parameters(site, follower, library):
    region, _ = follower.follow(site.origin + "/rss/region.xml")
    assert len(follower.poll(region.id).added) == 2
    unwanted = next(a for a in library.articles() if a.title == STORIES[0].title)
    delete_article(library, follower.state, unwanted.id)
    _publish_tracked(site, STORIES[:1], "utm_source=rss&utm_medium=flux")  # the page states no address of its own
    tracked, _ = follower.follow(site.origin + "/rss/tracked.xml")
    report = follower.poll(tracked.id)
    assert report.added == [] and STORIES[0].title not in titles(library)


def test_a_feed_moved_for_good_is_read_at_its_new_address_from_then_on(site, follower, library):
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    follower.poll(feed.id)
    site.publish("/flux/region.xml", "application/rss+xml", rss(site.origin, STORIES))
    site.moved["/rss/region.xml"] = (301, "/flux/region.xml")  # the site moved its feed
    assert [library.article(i).title for i in follower.poll(feed.id).added] == [STORIES[2].title]
    assert follower.state.feed(feed.id).url == site.origin + "/flux/region.xml"  # `/feeds` lists where it is
    asked_before = len(site.requests_to("/rss/region.xml"))
    assert follower.poll(feed.id).not_modified and len(site.requests_to("/rss/region.xml")) == asked_before
    again, new = follower.follow(site.origin + "/flux/region.xml")
    assert (again.id, new) == (feed.id, False)  # the same feed, not a second one polled beside it
    assert follower.state.feed_by_url(site.origin + "/rss/region.xml").id == feed.id  # `/unfollow` the old address


def test_a_feed_followed_through_a_permanent_redirect_is_followed_where_it_leads_not_a_temporary_one(site, follower):
    site.moved["/rss"] = (301, "/rss/region.xml")
    site.moved["/du-jour.xml"] = (302, "/atom.xml")  # only for now: the address given stays the feed's
    moved, _ = follower.follow(site.origin + "/rss")
    assert moved.url == site.origin + "/rss/region.xml"
    assert follower.follow(site.origin + "/rss/region.xml") == (moved, False)
    assert follower.state.feed_by_url(site.origin + "/rss").id == moved.id
    assert follower.follow(site.origin + "/du-jour.xml")[0].url == site.origin + "/du-jour.xml"


def test_a_feed_whose_address_now_leads_to_a_page_keeps_its_address_and_fails(site, follower):
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    site.moved["/rss/region.xml"] = (301, "/")  # a redesigned site sends its old feed to its home page
    report = follower.poll(feed.id)
    assert report.error and follower.state.feed(feed.id).url == site.origin + "/rss/region.xml"


def test_a_feed_followed_again_through_a_link_with_tracking_parameters_is_the_same_feed(site, follower):
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    shared = site.origin + "/rss/region.xml?utm_source=twitter&utm_medium=social&xtor=RSS-3"
    assert follower.follow(shared) == (feed, False)  # not a second feed polling the same one
    assert follower.state.feed_by_url(shared).id == feed.id  # `/unfollow` with it
    follower.state.remove_feed(feed.id)
    again, new = follower.follow(shared)
    assert new and again.url == site.origin + "/rss/region.xml"  # polled without the tags


def _back_catalogue(count: int) -> list[Story]:
    """A blog's feed listing its whole past, one post a day: posts told apart by their text."""
    return [
        Story(
            f"billet-{n}",
            f"Chronique du port, jour {n}",
            datetime(2025, 3, 6, 8, tzinfo=UTC) - timedelta(days=n),
            (f"Le chalutier numéro {n} est rentré au port de Lorient avec {n * 7 + 3} caisses de merlu ce matin.",),
            f"Le chalutier {n}.",
        )
        for n in range(count)
    ]


def test_following_a_feed_that_lists_its_whole_past_adds_its_newest_entries_and_says_it_leaves_the_rest(tmp_path, site):
    from index.library import Library
    from tests.conftest import HashingEmbedder
    from tests.telegram_in_process import ADMIN

    posts = _back_catalogue(60)
    for post in posts:
        site.publish(f"/articles/{post.slug}", "text/html; charset=utf-8", post.page())
    site.publish("/blog.xml", "application/rss+xml", rss(site.origin, posts[1:]))
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)

    async def scenario() -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_allow_private_urls=True) as (application, state):
            await handle(application, private_message(ADMIN, f"/follow {site.origin}/blog.xml"))
            said = telegram.calls_to("editMessageText", ADMIN)[-1].params["text"]
            assert "20 articles ajoutés, 39 plus anciens laissés de côté." in said
            assert "seulement ses nouveautés" in said
            assert len(library.articles()) == 20 and posts[1].title in titles(library)  # the newest
            [feed] = await asyncio.to_thread(state.feeds)
            follower = application.bot_data["service"].follower
            site.publish("/blog.xml", "application/rss+xml", rss(site.origin, posts))  # today's post
            report = await asyncio.to_thread(follower.poll, feed.id)
            assert [library.article(i).title for i in report.added] == [posts[0].title]  # not 20 old ones
            assert report.left_aside == 0 and len(library.articles()) == 21
            assert len(site.requests_to(f"/articles/{posts[-1].slug}")) == 0  # the old ones never fetched

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario())
    library.close()


def test_a_feed_failing_past_the_alert_waits_twice_as_long_after_each_failure_up_to_a_day():
    def feed(failures: int, every_minutes: float = 30) -> FeedRow:
        return FeedRow(1, "https://exemple.fr/rss", "La Gazette", every_minutes, None, None, 0.0, 0.0, failures, "", 0)

    def due_after(row: FeedRow, minutes: float) -> bool:
        return poll_due(row, minutes * 60, failures_before_alert=3)

    assert due_after(feed(0), 30) and due_after(feed(2), 30)  # working, or not yet reported: at its interval
    assert not due_after(feed(3), 40) and due_after(feed(3), 60)  # told: twice the wait
    assert not due_after(feed(4), 100) and due_after(feed(4), 120)
    assert not due_after(feed(20), 20 * 60) and due_after(feed(20), 24 * 60)  # once a day at the least
    assert due_after(feed(20, every_minutes=7 * 24 * 60), 7 * 24 * 60)  # a weekly feed stays weekly


def test_the_bot_polls_a_feed_gone_404_less_and_less_often_and_tells_admins_how_to_stop_following_it(tmp_path, site):
    from index.library import Library
    from tests.conftest import HashingEmbedder
    from tests.telegram_in_process import ADMIN

    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)
    later = [0.0]

    def sent() -> list[str]:
        return [call.params["text"] for call in telegram.calls_to("sendMessage", ADMIN)]

    async def scenario() -> None:
        settings = {"ingest_allow_private_urls": True, "feed_failures_before_alert": 2}
        clock = lambda: time.time() + later[0]  # noqa: E731
        async with bot_in_process(telegram, library, tmp_path, clock=clock, **settings) as (application, state):
            await handle(application, private_message(ADMIN, f"/follow {site.origin}/rss/region.xml"))
            [feed] = await asyncio.to_thread(state.feeds)
            await asyncio.to_thread(state.set_feed_interval, feed.id, POLL_SECONDS / 60)
            site.unpublish("/rss/region.xml")  # the site took its feed down: 404 at every poll
            await schedule_feeds(application)
            alert = await _until(lambda: next((text for text in sent() if "a échoué aux 2" in text), None))
            assert "404" in alert and f"<code>/unfollow {feed.id}</code>" in alert
            polls = len(site.requests_to("/rss/region.xml"))
            await asyncio.sleep(5 * POLL_SECONDS)
            assert len(site.requests_to("/rss/region.xml")) - polls <= 2  # not 5: 2 intervals, then 4, between polls
            publish_site(site, STORIES[:2])
            later[0] = 24 * 3600  # a day later it is polled, whatever its failures
            await _until(lambda: any("fonctionne de nouveau" in text for text in sent()))

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario())
    library.close()


def test_an_entry_with_no_link_and_only_a_headline_is_left_aside_at_once_not_retried_nor_reported(site, follower):
    flash = "<item><title>Flash : la RN165 rouverte</title><guid isPermaLink='false'>flash-1</guid></item>"
    site.publish(
        "/rss/region.xml", "application/rss+xml", rss(site.origin, STORIES[:1]).replace("<item>", flash + "<item>")
    )
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    first = follower.poll(feed.id)
    assert len(first.added) == 1 and first.given_up == []
    assert follower.poll(feed.id).not_modified  # nothing waits to be tried again: the polls stay conditional
    assert follower.poll(feed.id).given_up == []  # and no admin hears of an "unreadable article"


def test_a_feed_followed_with_tracking_parameters_before_they_were_left_out_is_still_found_by_them(tmp_path):
    state = BotState.open(tmp_path / "bot.sqlite3")
    shared = "https://exemple.fr/rss?utm_source=twitter"
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:  # as `add_feed` stored it then
        db.execute("INSERT INTO feeds(url, title, every_minutes, created) VALUES (?, 'Exemple', 30, 0)", (shared,))
    assert state.feed_by_url(shared) is not None  # `/unfollow` with the address it was followed by
    assert state.add_feed(shared, "Exemple", 30, None)[1] is False
    state.close()


def _rss_items(title: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS feed of `(title, link, guid)` items, teasers only."""
    listed = "".join(
        f"<item><title>{escape(headline)}</title><link>{escape(link)}</link>"
        f"<guid isPermaLink='false'>{escape(guid)}</guid><description>Lire la suite.</description></item>"
        for headline, link, guid in items
    )
    channel = f"<channel><title>{escape(title)}</title>{listed}</channel>"
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">{channel}</rss>'


def _downloads_of(site, story: Story) -> int:
    """Requests for the story's page, whatever the parameters its link carried."""
    with site._lock:
        return sum(path.partition("?")[0] == f"/articles/{story.slug}" for path, _ in site.requests)


def test_a_page_linked_by_two_entries_or_by_a_feed_polled_after_is_downloaded_once(site, follower, library):
    story = STORIES[0]
    page = f"{site.origin}/articles/{story.slug}"
    # The story at the top of the front page and in its section: two ids, its link tagged otherwise.
    front_page = [(story.title, f"{page}?utm_source=une", "une-1"), (story.title, f"{page}?xtor=RSS-3", "region-1")]
    site.publish("/rss/une.xml", "application/rss+xml", _rss_items("À la une", front_page))
    une, _ = follower.follow(site.origin + "/rss/une.xml")
    first = follower.poll(une.id)
    assert (len(first.added), first.duplicates) == (1, 1) and _downloads_of(site, story) == 1

    region, _ = follower.follow(site.origin + "/rss/region.xml")  # lists it too, and another story
    then = follower.poll(region.id)
    assert (len(then.added), then.duplicates) == (1, 1)
    assert _downloads_of(site, story) == 1  # in the library already: not asked again
    assert len(library.articles()) == 2


def test_an_article_a_feed_links_with_tracking_parameters_or_through_a_tagged_redirect_is_stored_without_them(
    site, follower, library
):
    bridge, festival = STORIES[0], STORIES[1]
    tags = "utm_source=rss&utm_medium=flux&xtor=RSS-3&at_medium=rss"
    site.moved["/clic/1"] = (302, f"/articles/{bridge.slug}?{tags}")  # a feed's click counter
    tagged = [
        (bridge.title, f"{site.origin}/clic/1", "pont"),
        (festival.title, f"{site.origin}/articles/{festival.slug}?{tags}", "festival"),
    ]
    site.publish("/rss/tagged.xml", "application/rss+xml", _rss_items("Région", tagged))
    feed, _ = follower.follow(site.origin + "/rss/tagged.xml")
    assert len(follower.poll(feed.id).added) == 2
    stored = {a.title: a for a in library.articles()}
    assert stored[bridge.title].url == f"{site.origin}/articles/{bridge.slug}"  # shown without the tags
    assert stored[festival.title].url == f"{site.origin}/articles/{festival.slug}"
    assert stored[festival.title].source == f"{site.origin}/articles/{festival.slug}"
    assert not any("utm_" in (a.url or "") + (a.source or "") for a in library.articles())

    # The same pages untagged are the same articles: for a user adding one, and for another feed.
    page = f"{site.origin}/articles/{bridge.slug}"
    assert (
        ingest_documents(
            library, read_input(page, follower.settings), article_max_words=follower.settings.article_max_words
        )[0].status
        == "duplicate"
    )
    region, _ = follower.follow(site.origin + "/rss/region.xml")
    assert follower.poll(region.id).duplicates == 2 and len(library.articles()) == 2


def test_a_name_and_password_in_a_feed_s_address_or_its_entries_links_are_shown_to_no_one(site, follower, library):
    """A feed followed by an address with its login in it, entries linking pages so
    ("http://moi:secret@…"): the feed's address that `/feeds` lists, and the articles' source
    and link, are kept without them, as a page a user adds is."""
    bridge, festival = STORIES[0], STORIES[1]
    logged_in = site.origin.replace("://", "://moi:secret@")
    listed = [
        (bridge.title, f"{logged_in}/articles/{bridge.slug}", f"{logged_in}/articles/{bridge.slug}"),
        (festival.title, f"{logged_in}/articles/{festival.slug}", "festival"),
    ]
    site.publish("/rss/abonnes.xml", "application/rss+xml", _rss_items("Abonnés", listed))
    feed, _ = follower.follow(logged_in + "/rss/abonnes.xml")
    assert feed.url == site.origin + "/rss/abonnes.xml"
    assert "secret" not in fmsg.feeds_html(follower.state.feeds(), [])
    assert len(follower.poll(feed.id).added) == 2
    stored = {a.title: a for a in library.articles()}
    assert stored[bridge.title].source == stored[bridge.title].url == f"{site.origin}/articles/{bridge.slug}"
    assert stored[festival.title].source == f"{site.origin}/articles/{festival.slug}"
    (entry, _) = parse_feed(site.pages["/rss/abonnes.xml"][1], site.origin + "/rss/abonnes.xml").entries
    assert entry.key == entry.link == f"{site.origin}/articles/{bridge.slug}"


def test_a_feed_is_followed_no_more_when_its_site_says_it_is_gone_or_not_found_for_days_not_at_a_first_404():
    day = 86_400.0
    assert gone_for_good(410, None, 0) == "le site indique l'avoir supprimé (410)"  # at once: the site says so
    assert gone_for_good(404, (1, 0.0), 0) is None  # once: a bad hour, a redesign under way
    assert gone_for_good(404, (4, 0.0), 10 * day) is None  # a weekly feed: four polls are not enough
    assert gone_for_good(404, (30, 0.0), 2 * day) is None  # polled often: not for days yet
    said = gone_for_good(404, (5, 0.0), 3.5 * day)
    assert said == "introuvable (404) à chacun de ses 5 derniers relevés, depuis 3 jours"
    assert gone_for_good(500, (5, 0.0), 9 * day) is None and gone_for_good(None, None, 9 * day) is None


def test_a_feed_answering_404_at_every_poll_for_days_is_unfollowed_and_one_404_between_successes_is_not(
    tmp_path, site, library, follower
):
    now = [time.time()]
    state = BotState.open(tmp_path / "clocked.sqlite3", clock=lambda: now[0])
    reader = FeedFollower(library, state, follower.settings)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    assert len(reader.poll(feed.id).added) == 2

    def poll_after(hours: float):
        now[0] += hours * 3600
        return reader.poll(feed.id)

    site.unpublish("/rss/region.xml")
    assert poll_after(1).error and not poll_after(20).dropped  # down for a while
    publish_site(site, STORIES[:2])
    assert not poll_after(20).error  # back: the 404s in a row start again from none
    site.unpublish("/rss/region.xml")
    reports = [poll_after(18) for _ in range(5)]
    assert [r.dropped is not None for r in reports] == [False, False, False, False, True]  # 5 polls, 3 days
    assert state.feed(feed.id) is None and len(library.articles()) == 2  # its articles stay
    [dropped] = state.dropped_feeds()
    assert dropped.id == feed.id and "404" in dropped.reason and state.dropped_feeds() == []  # told once
    state.close()


def test_a_feed_its_site_removed_410_is_unfollowed_and_the_admin_who_followed_it_is_told_in_french(tmp_path, site):
    from index.library import Library
    from tests.conftest import HashingEmbedder
    from tests.telegram_in_process import ADMIN

    other_admin = 1002
    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)

    def sent(to: int) -> list[str]:
        return [call.params["text"] for call in telegram.calls_to("sendMessage", to)]

    async def scenario() -> None:
        settings = {"ingest_allow_private_urls": True, "admin_user_ids": f"{ADMIN},{other_admin}"}
        async with bot_in_process(telegram, library, tmp_path, **settings) as (application, state):
            await handle(application, private_message(ADMIN, f"/follow {site.origin}/rss/region.xml"))
            [feed] = await asyncio.to_thread(state.feeds)
            await asyncio.to_thread(state.set_feed_interval, feed.id, POLL_SECONDS / 60)
            site.refused["/rss/region.xml"] = 410  # the site removed its feed, and says so
            await schedule_feeds(application)
            told = await _until(lambda: next((text for text in sent(ADMIN) if "🗑" in text), None))
            assert told == (
                f"🗑 Je ne suis plus le flux {feed.id} « La Gazette de l'Ouest - Région » : le site indique "
                "l'avoir supprimé (410). Ses articles restent dans la bibliothèque.\n"
                f"S'il revient, suivez-le de nouveau : <code>/follow {site.origin}/rss/region.xml</code>"
            )
            assert not any("🗑" in text for text in sent(other_admin))  # the one who followed it
            asked = len(site.requests_to("/rss/region.xml"))
            await asyncio.sleep(3 * POLL_SECONDS)
            assert len(site.requests_to("/rss/region.xml")) == asked  # polled no more
            await handle(application, private_message(ADMIN, "/feeds"))
            assert "aucun flux" in sent(ADMIN)[-1] and len(library.articles()) == 2

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario())
    library.close()


def test_admins_told_a_feed_is_not_found_hear_from_which_day_it_will_be_followed_no_more(tmp_path, site):
    from index.library import Library
    from tests.conftest import HashingEmbedder
    from tests.telegram_in_process import ADMIN

    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)

    def sent() -> list[str]:
        return [call.params["text"] for call in telegram.calls_to("sendMessage", ADMIN)]

    async def scenario() -> None:
        settings = {"ingest_allow_private_urls": True, "feed_failures_before_alert": 2, "time_zone": "Europe/Paris"}
        async with bot_in_process(telegram, library, tmp_path, **settings) as (application, state):
            await handle(application, private_message(ADMIN, f"/follow {site.origin}/rss/region.xml"))
            [feed] = await asyncio.to_thread(state.feeds)
            await asyncio.to_thread(state.set_feed_interval, feed.id, POLL_SECONDS / 60)
            site.unpublish("/rss/region.xml")  # 404: maybe a redesign under way, maybe gone
            await schedule_feeds(application)
            told = await _until(lambda: next((text for text in sent() if "⚠️" in text), None))
            _, since = await asyncio.to_thread(state.not_found_streak, feed.id)
            day = datetime.fromtimestamp(since + 3 * 86_400, ZoneInfo("Europe/Paris")).date().isoformat()
            assert told.endswith(
                f"S'il reste introuvable (404), je ne le suivrai plus à partir du {french_date(day)} "
                "(introuvable à 5 relevés d'affilée sur 3 jours au moins) ; "
                "ses articles resteront dans la bibliothèque."
            ), told

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario())
    library.close()


def test_a_feed_failing_otherwise_than_404_is_not_said_to_be_unfollowed():
    feed = FeedRow(1, "https://exemple.fr/rss", "Exemple", 30, None, None, 0.0, None, 3, "le site a répondu 503", 0)
    assert "je ne le suivrai plus" not in fmsg.feed_failing_html(feed, unfollowed_from(None))


def test_a_feed_dropped_is_told_once_whichever_process_asks_and_its_404s_in_a_row_are_counted(two_bot_processes):
    state, other_process, now = two_bot_processes
    feed, _ = state.add_feed("https://exemple.fr/rss", "Exemple", 30, 1001)
    for _ in range(2):
        state.feed_polled(feed.id, error="le site a répondu 404", not_found=True)
        now[0] += 3600
    assert other_process.not_found_streak(feed.id) == (2, 1000.0)
    state.feed_polled(feed.id, error="le site a répondu 500")  # another failure: no longer in a row
    assert state.not_found_streak(feed.id) is None
    state.drop_feed(feed.id, "le site indique l'avoir supprimé (410)")
    assert state.feeds() == [] and other_process.feed_by_url("https://exemple.fr/rss") is None
    [told] = other_process.dropped_feeds()
    assert (told.id, told.title, told.added_by) == (feed.id, "Exemple", 1001)
    assert state.dropped_feeds() == []


def test_an_article_a_feed_carries_whole_under_no_link_is_said_to_come_from_that_feed_not_from_a_file(
    site, follower, library
):
    from zoneinfo import ZoneInfo

    from bot.replies.cards import detail_sentence, format_article_card

    text = "".join(f"<p>{escape(p)}</p>" for p in STORIES[1].paragraphs)
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Brèves de l\'Ouest'
        "</title><id>urn:uuid:breves</id><updated>2025-03-06T00:00:00Z</updated><entry>"
        f"<title>{escape(STORIES[1].title)}</title><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>"
        f'<updated>2025-03-04T09:00:00Z</updated><content type="html">{escape(text)}</content></entry></feed>'
    )
    site.publish("/breves.xml", "application/atom+xml", atom)
    feed, _ = follower.follow(site.origin + "/breves.xml")
    [added] = follower.poll(feed.id).added
    article, zone = library.article(added), ZoneInfo("Europe/Paris")
    assert "Source : flux « Brèves de l'Ouest »" in format_article_card(article, zone=zone)
    assert detail_sentence(article, "source", zone=zone) == (
        f"L'article « {STORIES[1].title} » vient du flux « Brèves de l'Ouest », sans lien vers une page."
    )
    assert "urn:uuid" not in format_article_card(article, zone=zone)


def test_a_site_s_address_typed_without_https_is_read_with_it_and_no_address_is_said_to_be_none():
    assert typed_address("lemonde.fr/rss/une.xml") == "https://lemonde.fr/rss/une.xml"
    assert typed_address("www.ouest-france.fr/rss") == "https://www.ouest-france.fr/rss"
    assert typed_address("http://exemple.fr/rss") == "http://exemple.fr/rss"  # its own scheme kept
    for no_address in ("lemonde", "flux-du-monde", "12", "exemple.fr/a b", "javascript:alert(1)"):
        assert typed_address(no_address) is None, no_address


def test_a_follow_with_no_address_or_no_interval_says_which_of_them_is_wrong_in_french(tmp_path, site):
    from index.library import Library
    from tests.conftest import HashingEmbedder
    from tests.telegram_in_process import ADMIN

    library = Library(tmp_path / "index", HashingEmbedder(), max_words=30)

    async def scenario() -> None:
        async with bot_in_process(telegram, library, tmp_path, ingest_allow_private_urls=True) as (application, state):

            async def said_to(command: str) -> str:
                await handle(application, private_message(ADMIN, command))
                return telegram.calls_to("sendMessage", ADMIN)[-1].params["text"]

            assert (await said_to("/follow lemonde")).startswith("« lemonde » n'est pas une adresse web")
            # Text that is not Unicode (a lone surrogate, which Telegram's UTF-8 never carries):
            # refused in French, never a crash.
            for undecodable in ("l\u0435monde\udcff.fr", "https://exemple\udcff.fr/rss"):
                assert "n'est pas une adresse web" in await said_to(f"/follow {undecodable}")
                assert (await said_to(f"/unfollow {undecodable}")).startswith("Rien de suivi ne correspond à « ")
            for interval in ("0", "abc", "20000"):
                said = await said_to(f"/follow {site.origin}/rss/region.xml {interval}")
                assert said.startswith(f"« {interval} » n'est pas un intervalle de relevés"), said
                assert "de 1 à 10 080" in said
            assert await asyncio.to_thread(state.feeds) == []  # nothing followed on a wrong command
            await said_to(f"/follow {site.origin}/rss/region.xml 60")
            [feed] = await asyncio.to_thread(state.feeds)
            assert feed.every_minutes == 60

    with FakeTelegram(TOKEN) as telegram:
        asyncio.run(scenario())
    library.close()


def test_polling_when_no_feed_is_followed_says_so_as_listing_does(monkeypatch, tmp_path, capsys):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    for command in (["feeds"], ["feeds", "--poll"]):
        assert main(command) == 0
        said = capsys.readouterr()
        assert said.out == "" and said.err == "aucun flux suivi (python -m bot follow URL)\n", command
    no_model_yet = tmp_path / "cache"  # polling none neither prepares nor loads the model
    monkeypatch.setenv("MODEL_CACHE_DIR", str(no_model_yet))
    assert main(["feeds", "--poll", "--json"]) == 0 and capsys.readouterr() == ("", "")  # JSON lines: none
    assert not no_model_yet.exists()


def test_a_feed_whose_host_could_pass_for_another_site_s_is_listed_in_its_ascii_form(monkeypatch, tmp_path, capsys):
    from bot.cli import main
    from bot.service import open_state

    spoof, ascii_form = "https://l\u0435monde.fr/rss/une.xml", "https://xn--lmonde-3of.fr/rss/une.xml"
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    state = open_state(Settings(_env_file=None, data_dir=tmp_path / "data"))
    try:
        feed, _ = state.add_feed(spoof, "Le Monde", 30, None)
    finally:
        state.close()
    listed = fmsg.feeds_html([feed], [], now=1e9)
    assert f'<a href="{ascii_form}">' in listed and "l\u0435monde" not in listed
    dropped = fmsg.feed_dropped_html(DroppedFeed(feed.id, spoof, "Le Monde", "introuvable", None))
    assert f"/follow {ascii_form}" in dropped
    given_up = fmsg.entries_given_up_html(feed, [("https://l\u0435monde.fr/a/1", "page introuvable")])
    assert "xn--lmonde-3of.fr/a/1" in given_up and "l\u0435monde" not in given_up
    assert main(["feeds"]) == 0
    said = capsys.readouterr().out
    assert ascii_form in said and spoof not in said


def test_a_feed_with_no_title_and_its_errors_show_a_look_alike_address_in_its_ascii_form(monkeypatch, tmp_path, capsys):
    """A feed with no title is named by its address, and an error may name it: shown as its
    link is, wherever a person reads them (what is stored is left as it is)."""
    from bot.cli import main
    from bot.service import open_state

    spoof, ascii_form = "https://l\u0435monde.fr/rss/une.xml", "https://xn--lmonde-3of.fr/rss/une.xml"
    untitled = parse_feed(b'<rss version="2.0"><channel><item><link>/a/1</link></item></channel></rss>', spoof)
    assert untitled.title == spoof
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    state = open_state(Settings(_env_file=None, data_dir=tmp_path / "data"))
    try:
        feed, _ = state.add_feed(spoof, untitled.title, 30, None)
        error = f"{spoof} est un flux RSS ou Atom mal formé, où je ne lis aucun article"
        feed = state.feed_polled(feed.id, error=error)
    finally:
        state.close()
    assert feed.title == spoof and feed.last_error == error  # stored as it was
    shown = [
        fmsg.feeds_html([feed], [], now=1e9),
        fmsg.feed_failing_html(feed),
        fmsg.feed_recovered_html(feed),
        fmsg.feed_dropped_html(DroppedFeed(feed.id, spoof, spoof, "introuvable", None)),
        fmsg.follow_error_html(error, spoof),
    ]
    assert main(["feeds"]) == 0
    shown.append(capsys.readouterr().out)
    for said in shown:
        assert ascii_form in said and "l\u0435monde" not in said, said


def test_an_error_that_names_a_look_alike_host_alone_shows_it_in_its_ascii_form(monkeypatch, tmp_path, capsys):
    """ "nom de domaine introuvable : lеmonde.fr" names the typed address by its host, which no
    link in the text shows: `/follow`'s refusals, a failing feed's alerts and `feeds` show it
    as the feed's link is shown, never in the letters that pass for another site's."""
    from bot.cli import main
    from bot.feeds import PollReport
    from bot.service import open_state

    typed, error = "l\u0435monde.fr/rss", "nom de domaine introuvable : l\u0435monde.fr"
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    state = open_state(Settings(_env_file=None, data_dir=tmp_path / "data"))
    try:
        feed, _ = state.add_feed(f"https://{typed}", "Le Monde", 30, None)
        feed = state.feed_polled(feed.id, error=error)
    finally:
        state.close()
    shown = [
        fmsg.follow_error_html(error, typed),
        fmsg.follow_error_html(error, f"https://{typed}"),
        fmsg.not_an_address_html(typed),
        fmsg.not_followed_html(typed),
        fmsg.feed_failing_html(feed),
        fmsg.followed_html(PollReport(feed, error=error)),
    ]
    assert main(["feeds"]) == 0
    shown.append(capsys.readouterr().out)
    for said in shown:
        assert "xn--lmonde-3of.fr" in said and "l\u0435monde" not in said, said


def _broken(feed: str) -> str:
    """`feed` as many sites break theirs: an HTML entity XML does not know, and a bare "&"."""
    return feed.replace("<channel><title>", "<channel><title>Actus&nbsp;& co — ", 1)


def test_a_broken_feed_that_still_lists_readable_entries_is_followed_and_polled_with_them(site, follower, library):
    """Not well-formed XML (feedparser's `bozo`, read again by its loose parser, in a process
    of its own): its entries are read as a well-formed feed's are, and its whole list, read to
    its end, lets entries that left it be forgotten as usual."""
    site.publish("/rss/casse.xml", "application/rss+xml", _broken(rss(site.origin, STORIES[:2])))
    feed, new = follower.follow(site.origin + "/rss/casse.xml")
    assert new and feed.title.startswith("Actus & co — ")
    report = follower.poll(feed.id)
    assert report.error is None and len(report.added) == 2
    assert {STORIES[0].title, STORIES[1].title} <= titles(library)
    parsed = parse_feed(_broken(rss(site.origin, STORIES[:2])).encode(), site.origin + "/rss/casse.xml")
    assert parsed.whole and {e.link for e in parsed.entries} == {
        f"{site.origin}/articles/{STORIES[0].slug}",
        f"{site.origin}/articles/{STORIES[1].slug}",
    }
    cut = _broken(rss(site.origin, STORIES[:2]))
    cut = cut[: cut.index("</item>") + len("</item>")]  # and cut short: its first entry, and partial
    (entry,) = parse_feed(cut.encode(), site.origin + "/rss/casse.xml").entries
    assert entry == parsed.entries[0] and not parse_feed(cut.encode(), site.origin).whole


@pytest.mark.parametrize("unclosed", ["<![CDATA[", "<!--"], ids=["cdata", "comment"])
def test_a_broken_feed_that_hides_its_later_entries_from_its_reader_gives_none_of_them_up(
    site, follower, library, unclosed
):
    """An unclosed "<![CDATA[" or "<!--" in an entry hides every entry after it from the loose
    parser, though the document ends as a whole one does: the entries it does not list may be
    in the feed still, and are neither given up ("retirée du flux") nor forgotten."""
    oldest = min(STORIES, key=lambda s: s.published)  # the feed's last item
    site.failing.add(f"/articles/{oldest.slug}")
    feed, _ = follower.follow(site.origin + "/rss/region.xml")
    assert follower.poll(feed.id).given_up == []  # to be tried again
    hiding = rss(site.origin, STORIES).replace("</item><item>", f"</item><item><description>{unclosed} à suivre", 1)
    site.publish("/rss/region.xml", "application/rss+xml", hiding)
    assert not parse_feed(hiding.encode(), site.origin + "/rss/region.xml").whole
    report = follower.poll(feed.id)
    assert report.error is None and report.given_up == []
    site.failing.discard(f"/articles/{oldest.slug}")
    publish_site(site, STORIES)  # well-formed again: the entry is read at last
    assert [library.article(i).title for i in follower.poll(feed.id).added] == [oldest.title]


def test_an_entry_keeps_its_identity_on_a_day_its_feed_is_broken(site, follower, library):
    """An id holding an entity ("&amp;") is the same entry's, whether the feed is well-formed or
    read by the loose parser: its page, still unread, is tried again, not given up."""

    def with_ids(feed: str) -> str:
        return feed.replace('<guid isPermaLink="true">', '<guid isPermaLink="false">gazette?t=1&amp;u=', -1)

    failing = f"/articles/{STORIES[0].slug}"
    site.failing.add(failing)
    site.publish("/rss/ids.xml", "application/rss+xml", with_ids(rss(site.origin, STORIES)))
    feed, _ = follower.follow(site.origin + "/rss/ids.xml")
    assert follower.poll(feed.id).given_up == []
    broken = _broken(with_ids(rss(site.origin, STORIES)))
    assert {e.key for e in parse_feed(broken.encode(), site.origin).entries} == {
        e.key for e in parse_feed(with_ids(rss(site.origin, STORIES)).encode(), site.origin).entries
    }
    site.publish("/rss/ids.xml", "application/rss+xml", broken)
    site.failing.discard(failing)
    report = follower.poll(feed.id)
    assert report.given_up == [] and [library.article(i).title for i in report.added] == [STORIES[0].title]


@pytest.mark.parametrize(
    ("guid", "suffix", "now", "recorded", "broken"),
    [  # how a feed writes its ids, how they are read now, and what a version before stop 74 recorded
        ("gazette?t=1&amp;u=", "", "gazette?t=1&u=", "gazette?t=1&amp;u=", _broken),  # before stop 73
        ("gazette?t=1&u=", "", "gazette?t=1&u=", "gazette?t=1&u;=", str),  # broken by its bare "&" alone
        ("", "?id=1&section=sport", "?id=1&section=sport", "?id=1§ion;=sport", str),  # stop 73
        ("", "?id=1&section=sport", "?id=1&section=sport", "?id=1&section;=sport", _broken),  # before stop 73
        ("", "?id=1&amp;utm_source=rss", "?id=1", "?id=1&amp;utm_source=rss", _broken),
        ("", "?utm_source=rss&amp;id=1", "?id=1", "?amp%3Bid=1", _broken),
        ("gazette&quot;", "", 'gazette"', "gazette&quot;", _broken),
    ],
    ids=["amp", "bare", "bare-stop-73", "bare-before-73", "amp-tracking-after", "amp-tracking-before", "quot"],
)
def test_entries_an_earlier_version_recorded_under_their_ids_read_otherwise_are_not_added_nor_told_twice(
    site, follower, library, two_bot_processes, request, tmp_path, guid, suffix, now, recorded, broken
):
    """A version before stop 74 recorded a broken feed's entries under their ids as the loose
    parser read them, bare "&" and all ("gazette?t=1&u=" as "gazette?t=1&u;=", "&section=sport"
    as "§ion;=sport"), entities left ("&amp;", "&quot;"), tracking parameters dropped as now;
    read now as the well-formed feed writes them, they are the same entries: the one added is
    not added again, the one set aside (the feed's back catalogue) is never fetched, and the one
    whose page fails keeps its attempts, given up once, at its third (in SQLite and PostgreSQL)."""

    def with_ids(feed: str) -> str:
        feed = feed.replace('<guid isPermaLink="true">', f'<guid isPermaLink="false">{guid}', -1)
        return feed.replace("</guid>", f"{suffix}</guid>", -1)

    state, _, _ = two_bot_processes
    site.publish("/rss/ids.xml", "application/rss+xml", broken(with_ids(rss(site.origin, STORIES))))
    failing = f"/articles/{STORIES[1].slug}"
    site.failing.add(failing)
    two = FeedFollower(library, state, follower.settings.model_copy(update={"feed_max_entries": 2}))
    feed, _ = two.follow(site.origin + "/rss/ids.xml")
    first = two.poll(feed.id)
    assert [library.article(i).title for i in first.added] == [STORIES[2].title]
    assert (first.left_aside, first.given_up) == (1, [])
    assert not state.rekey_due(feed.id)  # followed by this version: nothing recorded otherwise
    postgresql = request.node.callspec.params["two_bot_processes"] == "postgresql"
    url = request.getfixturevalue("database_url") if postgresql else None
    earlier = open_database(tmp_path / "bot.sqlite3", url)
    with contextlib.closing(earlier), earlier.transaction() as run:  # as the earlier version recorded them
        assert run("UPDATE feed_entries SET key = replace(key, ?, ?)", (now, recorded)) == [(3,)]
        run("DROP TABLE feeds_to_rekey")  # in a database of a version before stop 75
    open_database(tmp_path / "bot.sqlite3", url).close()  # a process of this version starting on it
    assert state.rekey_due(feed.id)
    reports = [two.poll(feed.id) for _ in range(2)]
    assert [(r.error, r.added, r.duplicates) for r in reports] == [(None, [], 0), (None, [], 0)]
    assert reports[0].given_up == []  # neither "retirée du flux" nor tried from its first attempt
    assert [(link, why.endswith("(3 essais)")) for link, why in reports[1].given_up] == [(site.origin + failing, True)]
    assert site.requests_to(f"/articles/{STORIES[0].slug}") == []
    assert [a.title for a in library.articles()] == [STORIES[2].title]
    assert two.poll(feed.id).not_modified  # nothing waits to be tried again: the polls are conditional
    assert not state.rekey_due(feed.id)  # re-keyed once, at the first poll that read the feed whole
    open_database(tmp_path / "bot.sqlite3", url).close()  # the next start: not listed again
    assert not state.rekey_due(feed.id)


def test_a_feed_followed_before_stop_75_that_lists_nothing_for_a_while_is_re_keyed_once_it_lists_entries_again(
    site, follower
):
    """An empty feed read whole (a site's feed emptied for a while) lists no entry to re-key:
    it says nothing, as it says nothing of what left the feed, and the re-keying waits for the
    first whole reading that lists entries."""
    site.publish("/rss/news.xml", "application/rss+xml", rss(site.origin, STORIES[:1]))
    feed, _ = follower.follow(site.origin + "/rss/news.xml")
    assert follower.poll(feed.id).added
    with contextlib.closing(open_database(follower.settings.state_file)) as earlier, earlier.transaction() as run:
        run("DROP TABLE feeds_to_rekey")  # in a database of a version before stop 75
    open_database(follower.settings.state_file).close()  # a process of this version starting on it
    assert follower.state.rekey_due(feed.id)
    site.publish("/rss/news.xml", "application/rss+xml", rss(site.origin, []))
    emptied = follower.poll(feed.id)
    assert (emptied.error, emptied.added, emptied.not_modified) == (None, [], False)
    assert follower.state.rekey_due(feed.id)  # nothing listed: nothing re-keyed yet
    site.publish("/rss/news.xml", "application/rss+xml", rss(site.origin, STORIES[:1]))
    listed = follower.poll(feed.id)
    assert (listed.error, listed.added, listed.duplicates) == (None, [], 0)  # the same entry, not a new one
    assert not follower.state.rekey_due(feed.id)


def test_a_database_before_stop_75_whose_first_opening_failed_midway_lists_its_feeds_when_opened_again(tmp_path):
    """A database made before stop 75 and before its feed ids were AUTOINCREMENT: its first
    opening by this version fails while rebuilding its feeds (an entry of a feed gone), the
    admin deletes that entry, and the next opening lists its feeds to re-key all the same.
    The table of the feeds to re-key is made in the transaction that lists them: made before,
    on its own, that failed opening left it made and empty, and the feeds were never listed."""
    path = tmp_path / "bot.sqlite3"
    state = BotState.open(path, None)
    feed, _ = state.add_feed("https://exemple.fr/rss", "Exemple", 30, None)
    state.close()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as earlier:  # as that version left it
        earlier.executescript(
            """PRAGMA foreign_keys=OFF;
            DROP TABLE feeds_to_rekey;
            CREATE TABLE feeds_plain AS SELECT * FROM feeds;
            DROP TABLE feeds;
            ALTER TABLE feeds_plain RENAME TO feeds;
            INSERT INTO feed_entries(feed_id, key, seen) VALUES (999, 'https://exemple.fr/perdu', 1.0);"""
        )
    with pytest.raises(sqlite3.IntegrityError):
        open_database(path).close()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as repaired:
        repaired.execute("DELETE FROM feed_entries WHERE feed_id = 999")
    state = BotState.open(path, None)
    try:
        assert state.rekey_due(feed.id)
        assert [f.url for f in state.feeds()] == ["https://exemple.fr/rss"]
    finally:
        state.close()


def test_an_entry_recorded_under_both_spellings_of_its_id_is_one_entry_done_when_either_was(two_bot_processes):
    """Polled since its ids were read ("&") after a version that recorded them as written
    ("&amp;"): the entry it had added is done, not tried again under its id read now (in
    SQLite and in PostgreSQL)."""
    state, _, _ = two_bot_processes
    feed, _ = state.add_feed("https://exemple.fr/rss", "Exemple", 30, None)
    state.entry_done(feed.id, "gazette?t=1&amp;u=pont", 7)  # added by the earlier version
    state.entry_failed(feed.id, "gazette?t=1&u=pont", "le site a répondu 500", 3)  # tried since
    state.entry_failed(feed.id, "gazette?t=1&amp;u=port", "le site a répondu 500", 3)
    state.entry_failed(feed.id, "gazette?t=1&amp;u=port", "le site a répondu 500", 3)
    renamed = {"gazette?t=1&amp;u=pont": "gazette?t=1&u=pont", "gazette?t=1&amp;u=port": "gazette?t=1&u=port"}
    assert state.entries_rekeyed(feed.id, renamed) == 2
    assert state.pending_entries(feed.id, list(renamed.values())) == {"gazette?t=1&u=port"}
    assert state.entry_failed(feed.id, "gazette?t=1&u=port", "le site a répondu 500", 3)  # its third attempt
    assert not state.has_retries(feed.id) and state.entries_rekeyed(feed.id, renamed) == 0


@pytest.mark.parametrize(
    "guid",
    [
        "https://exemple.fr/article?id=1&section=sport",  # the loose parser read "&section;", then « § »
        "https://exemple.fr/article?id=1&copy=2",  # « ©=2 »
        "tag:exemple.fr,2026:match&lt=1",
        "<![CDATA[https://exemple.fr/article?id=1&section=sport]]>",  # as written in either reading
    ],
)
def test_an_id_with_a_bare_ampersand_is_the_key_its_well_formed_feed_gives(guid):
    """`<guid>…?id=1&section=sport</guid>` is not well-formed, read by the loose parser; the
    site's well-formed feed writes `&amp;section=sport`: the same entry, by the same key."""

    def feed(guid: str, title: str) -> bytes:
        item = f"<item><title>Le match</title><link>https://exemple.fr/article</link><guid>{guid}</guid></item>"
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{item}</channel></rss>'.encode()

    written = guid if guid.startswith("<![CDATA[") else escape(guid, quote=False)
    (well_formed,) = parse_feed(feed(written, "Sport"), "https://exemple.fr/rss").entries
    (broken,) = parse_feed(feed(guid, "Sport & co"), "https://exemple.fr/rss").entries
    assert broken.key == well_formed.key == guid.removeprefix("<![CDATA[").removesuffix("]]>")


def test_an_id_with_an_uppercase_hexadecimal_reference_is_the_key_its_well_formed_feed_gives():
    """« &#X26; », HTML's spelling of « &#x26; » (an "&"), breaks the feed's XML but is a
    reference all the same: the loose parser reads it as an "&", so the entry's key is the one
    its well-formed feed gives (« &#x26; », « &amp; »), and the key a version before stop 74
    recorded (the loose parser's reading as it was, « &amp; ») is one of those it is re-keyed
    from, not a bare "&" followed by "#X26;"."""

    def feed(guid: str, title: str) -> bytes:
        item = f"<item><title>Le match</title><link>https://exemple.fr/article</link><guid>{guid}</guid></item>"
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{item}</channel></rss>'.encode()

    meant = "https://exemple.fr/article?id=1&section=sport"
    for written in ("&#x26;", "&amp;"):
        (well_formed,) = parse_feed(feed(meant.replace("&", written), "Sport"), "https://exemple.fr/rss").entries
        assert well_formed.key == meant
    for title in ("Sport", "Sport & co"):  # broken by the reference alone, or by a bare "&" too
        (broken,) = parse_feed(feed(meant.replace("&", "&#X26;"), title), "https://exemple.fr/rss").entries
        assert broken.key == meant
        assert "https://exemple.fr/article?id=1&amp;section=sport" in earlier_keys(broken.identity or "")


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
def test_a_broken_feed_in_utf_16_or_32_is_read_in_its_byte_order_and_one_that_lists_no_entry_yet_is_followed(
    encoding,
):
    """A broken feed in UTF-16 or UTF-32, its byte order mark first, in either byte order: its
    entries read, an id's bare "&" as the well-formed feed writes it."""
    items = "".join(
        f"<item><title>Article {n}</title><link>https://exemple.fr/{n}</link><guid>https://exemple.fr/{n}?a=1&b=2</guid></item>"
        for n in (1, 2)
    )
    channel = f"<channel><title>A & B</title>{items}</channel>"
    declared = encoding.upper().replace("-BE", "BE").replace("-LE", "LE")  # "UTF-16BE"
    wide = f'\ufeff<?xml version="1.0" encoding="{declared}"?><rss version="2.0">{channel}</rss>'.encode(encoding)
    read = parse_feed(wide, "https://exemple.fr/rss")
    assert read.whole and [(e.title, e.key) for e in read.entries] == [
        ("Article 1", "https://exemple.fr/1?a=1&b=2"),
        ("Article 2", "https://exemple.fr/2?a=1&b=2"),
    ]
    new_blog = parse_feed(b"<rss><channel><title>Tom & Jerry</title></channel></rss>", "https://exemple.fr/rss")
    assert (new_blog.title, new_blog.entries, new_blog.whole) == ("Tom & Jerry", [], True)


def test_a_broken_feed_s_entries_that_say_nothing_are_left_out_and_its_titles_lose_control_characters():
    items = (
        "<item><title>\x01\x02</title><link>javascript:alert(1)</link></item>"  # nothing: no page, no words
        "<item><title>Le pont\x00 rouvre</title><link>https://exemple.fr/pont</link></item>"
    )
    broken = f'<?xml version="1.0"?><rss version="2.0"><channel><title>A & B</title>{items}</channel></rss>'
    (entry,) = parse_feed(broken.encode(), "https://exemple.fr/rss").entries
    assert (entry.title, entry.link) == ("Le pont rouvre", "https://exemple.fr/pont")


def test_a_broken_feed_with_nothing_readable_is_refused_on_follow_in_french(site, follower):
    nothing = '<?xml version="1.0"?><rss version="2.0"><channel><title>A & B</title><item><title>\x01</title>'
    site.publish("/rss/vide.xml", "application/rss+xml", nothing + "<link>javascript:x</link></item><item>" * 50)
    with pytest.raises(NotAFeed) as refused:
        follower.follow(site.origin + "/rss/vide.xml")
    assert (
        str(refused.value)
        == f"{site.origin}/rss/vide.xml est un flux RSS ou Atom mal formé, où je ne lis aucun article"
    )
    assert follower.state.feeds() == []


def test_a_poll_of_a_broken_feed_too_long_to_read_ends_at_its_limit_as_a_failed_poll(tmp_path, site, library, follower):
    """A broken feed feedparser's loose parser reads slowly (tags that never close: 1 MB took
    21 s and 280 MB in the bot's own process): ended at the reading time limit, a failed poll
    that says why, the feed followed still."""
    settings = follower.settings.model_copy(update={"reading_timeout_seconds": 1.0})
    reader = FeedFollower(library, follower.state, settings)
    feed, _ = reader.follow(site.origin + "/rss/region.xml")
    flood = '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>x</title>'
    site.publish("/rss/region.xml", "application/rss+xml", flood + "<b>" * 300_000)  # 5 s and more, unbounded
    report = reader.poll(feed.id)
    assert report.error == "le flux est mal formé et le lire prendrait plus de 1 secondes : il n'est pas lu"
    assert reader.state.feed(feed.id).failures == 1 and not report.dropped

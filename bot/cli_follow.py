"""`python -m bot follow | unfollow | feeds`: followed feeds from the command line. A feed
followed here is polled by a running `serve` too (it looks for new feeds every minute)."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from bot.replies.wording import every, left_aside, plural
from bot.service import open_state
from bot.settings import Settings
from bot.state.feeds import FeedRow
from bot.terminal import open_for_terminal
from index.decoding import readable
from index.errors import InputError, NotFound
from index.web_addresses import shown_link, shown_links, shown_typed, typed_address

if TYPE_CHECKING:
    from bot.feeds import FeedFollower, PollReport
    from bot.state import BotState
    from index.library import Library


def _follower(library: Library, state: BotState, settings: Settings) -> FeedFollower:
    """Imported when a feed is followed or polled: other commands do not load the feed reader."""
    from bot.feeds import FeedFollower

    return FeedFollower(library, state, settings)


def _typed_address(text: str) -> str:
    """ "lemonde.fr/rss" read as "https://lemonde.fr/rss", as `/follow` reads it; anything else
    as given, for the fetching to refuse in its words, but an argument holding bytes that are no
    UTF-8 (a terminal's in another encoding), which no address, no database, holds: InputError."""
    if readable(text) != text:
        raise InputError(
            f"« {shown_typed(text, text)} » n'est pas une adresse web : des octets n'y sont pas de l'UTF-8"
        )
    return typed_address(text) or text


def _named(feed: FeedRow) -> str:
    """ "flux 3 « Le Monde »": its title, its address when it has none, shown as a link is."""
    return f"flux {feed.id} « {shown_links(feed.title)} »"


def _report_line(report: PollReport) -> str:
    feed = report.feed
    if report.dropped:
        return f"{_named(feed)} : n'est plus suivi, {report.dropped} (ses articles restent dans la bibliothèque)"
    if report.error:
        return f"{_named(feed)} : échec ({shown_typed(report.error, feed.url)})"
    if report.not_modified:
        return f"{_named(feed)} : inchangé depuis le dernier relevé"
    line = f"{_named(feed)} : {plural(len(report.added), 'article ajouté', 'articles ajoutés')}"
    if report.duplicates:
        line += f", {plural(report.duplicates, 'déjà présent', 'déjà présents')}"
    if report.left_aside:
        line += f", {left_aside(report.left_aside)}"
    for link, reason in report.given_up:
        line += f"\n  abandonné : {shown_link(link)} ({reason})"
    return line


def feed_json(feed: FeedRow) -> dict:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "every_minutes": feed.every_minutes,
        "last_polled": feed.last_polled,
        "failures": feed.failures,
        "last_error": feed.last_error,
        "articles": feed.articles,
    }


def report_json(report: PollReport) -> dict:
    """A poll, as `feeds --poll --json` prints it: the feed after it, and what it did."""
    return {
        **feed_json(report.feed),
        "added": report.added,
        "duplicates": report.duplicates,
        "given_up": [{"entry": link, "why": why} for link, why in report.given_up],
        "left_aside": report.left_aside,
        "not_modified": report.not_modified,
        "error": report.error,
        "dropped": report.dropped,
    }


def cmd_follow(args: argparse.Namespace, settings: Settings) -> int:
    # The state first (quick to open, or to refuse), closed whatever the library does: one that
    # does not open (held by a restore, made with other settings) left it open, and a restore
    # run next in the same process was refused as if another program had it.
    with contextlib.closing(open_state(settings)) as state, open_for_terminal(settings) as library:
        follower = _follower(library, state, settings)
        try:
            feed, new = follower.follow(_typed_address(args.url), args.every)
        except InputError as exc:  # said with the address as links are shown: a look-alike host in its xn-- form
            raise InputError(shown_typed(str(exc), args.url)) from exc
        polled = f"relevé {every(feed.every_minutes)}"
        if not new:
            print(f"déjà suivi : {_named(feed)} ({shown_link(feed.url)}), {polled}")
            return 0
        print(f"suivi : {_named(feed)} ({shown_link(feed.url)}), {polled}")
        report = follower.poll(feed.id)
        if report is not None:
            print(_report_line(report))
        return 1 if report is not None and report.error else 0


def cmd_unfollow(args: argparse.Namespace, settings: Settings) -> int:
    state = open_state(settings)
    try:
        if args.feed.isdecimal():  # an id; none beyond what SQLite can even look up
            feed = state.feed(int(args.feed)) if int(args.feed) < 2**63 else None
        else:
            feed = state.feed_by_url(_typed_address(args.feed))
        if feed is None:
            named = f"à « {shown_typed(args.feed, args.feed)} »" if args.feed.strip() else "à une adresse vide"
            raise NotFound(f"aucun flux suivi ne correspond {named} (voir python -m bot feeds)")
        state.remove_feed(feed.id)
        print(f"n'est plus suivi : {_named(feed)} (ses articles restent dans la bibliothèque)")
        return 0
    finally:
        state.close()


def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    state = open_state(settings)
    try:
        feeds = state.feeds()
        if not feeds:  # no library to open, no model to load to poll none
            if not args.json:  # said whether asked to list or to poll: silence reads as a hang or a bug
                print("aucun flux suivi (python -m bot follow URL)", file=sys.stderr)
            return 0  # as JSON lines, none
        if args.poll:
            library = open_for_terminal(settings)
            try:
                follower = _follower(library, state, settings)
                reports = [r for feed in feeds if (r := follower.poll(feed.id)) is not None]
            finally:
                library.close()
            for report in reports:
                print(json.dumps(report_json(report), ensure_ascii=False) if args.json else _report_line(report))
            return 1 if any(r.error for r in reports) else 0
        if args.json:
            for feed in feeds:
                print(json.dumps(feed_json(feed), ensure_ascii=False))
            return 0
        for feed in feeds:
            polled = (
                datetime.fromtimestamp(feed.last_polled, settings.zone).strftime("%Y-%m-%d %H:%M")
                if feed.last_polled
                else "jamais"
            )
            status = (
                "ok"
                if not feed.failures
                else f"{plural(feed.failures, 'échec')} : {shown_typed(feed.last_error or '', feed.url)}"
            )
            print(
                f"{feed.id:>4}  {shown_links(feed.title)} — {shown_link(feed.url)}\n      {every(feed.every_minutes)}, "
                f"dernier relevé {polled}, {plural(feed.articles, 'article')}, {status}"
            )
        return 0
    finally:
        state.close()

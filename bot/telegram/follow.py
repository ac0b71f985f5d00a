"""Followed sources (admins): `/follow URL [MINUTES]` for an RSS or Atom feed (or a news
site whose page declares one), `/follow @channel` for a Telegram channel the bot
administers, `/unfollow`, `/feeds`. JobQueue jobs poll each feed on its own interval;
admins hear about a feed that keeps failing once, and once when it works again."""

from __future__ import annotations

import asyncio
import logging
import re
from functools import partial

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application

from bot.chat_input import shared_link
from bot.feeds import PollReport, poll_due, poll_minutes, unfollowed_from
from bot.service import Abandoned, ingest_documents
from bot.telegram import feed_messages as fmsg
from bot.telegram import under_way
from bot.telegram.admin import admin_only
from bot.telegram.context import BotService, Context
from bot.telegram.errors import tell_admins
from bot.telegram.ingest import as_channel_post, message_links, page_reader
from bot.telegram.sending import edit, reply
from index.errors import InputError, LibraryError
from index.sources import parse_bytes
from index.web_addresses import typed_address

log = logging.getLogger("bot.telegram")
CHANNEL = re.compile(r"^(?:@|(?:https?://)?t\.me/)([A-Za-z]\w{3,31})/?$")
SYNC_EVERY_SECONDS = 60  # feeds followed from the command line or another process are picked up


@admin_only
async def cmd_follow(update: Update, context: Context) -> None:
    message = update.effective_message
    args = context.args or []
    if not args or len(args) > 2:
        await reply(message, fmsg.FOLLOW_USAGE)
        return
    if channel := CHANNEL.match(args[0]):
        await follow_channel(update, context, channel[1])
        return
    address = typed_address(args[0])
    if address is None:
        await reply(message, fmsg.not_an_address_html(args[0]))
        return
    every = poll_minutes(args[1]) if len(args) == 2 else None
    if len(args) == 2 and every is None:
        await reply(message, fmsg.not_an_interval_html(args[1]))
        return
    service = context.service
    status = await reply(message, fmsg.FOLLOW_STARTED)
    # Remembered until its status says the outcome: told by the next process if this one dies.
    async with under_way.remembered(service, status, "follow") as remembered:
        try:
            feed, new = await service.run_feed(service.follower.follow, address, every, update.effective_user.id)
        except InputError as exc:
            await edit(status, fmsg.follow_error_html(str(exc), args[0]))
            return
        if not new:
            await edit(status, fmsg.already_followed_html(feed))
            return
        await remembered.feed_followed(feed.id)
        await edit(status, fmsg.FIRST_POLL)
        try:
            report = await service.run_feed(service.follower.poll, feed.id)
        except Abandoned:
            await edit(status, fmsg.FIRST_POLL_ABANDONED)
            return
        await schedule_feeds(context.application)
        await edit(status, fmsg.followed_html(report or PollReport(feed)))


async def follow_channel(update: Update, context: Context, username: str) -> None:
    message = update.effective_message
    try:
        chat = await context.bot.get_chat(f"@{username}")
        member = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError:
        await reply(message, fmsg.channel_unknown_html(username))
        return
    if chat.type != ChatType.CHANNEL:
        await reply(message, fmsg.channel_unknown_html(username))
        return
    if member.status not in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER):
        await reply(message, fmsg.channel_not_admin_html(chat.title or username))
        return
    await asyncio.to_thread(
        context.service.state.add_channel, chat.id, chat.title or username, chat.username, update.effective_user.id
    )
    await reply(message, fmsg.channel_followed_html(chat.title or username))


@admin_only
async def cmd_unfollow(update: Update, context: Context) -> None:
    message = update.effective_message
    args = context.args or []
    if len(args) != 1:
        await reply(message, fmsg.UNFOLLOW_USAGE)
        return
    state = context.service.state
    if channel := CHANNEL.match(args[0]):
        followed = [
            c for c in await asyncio.to_thread(state.channels) if (c.username or "").lower() == channel[1].lower()
        ]
        if followed:
            await asyncio.to_thread(state.remove_channel, followed[0].chat_id)
            await reply(message, fmsg.channel_unfollowed_html(followed[0].title))
            return
    else:
        feed = None
        if args[0].isdecimal() and len(args[0]) <= 18:
            feed = await asyncio.to_thread(state.feed, int(args[0]))
        elif address := typed_address(args[0]):
            feed = await asyncio.to_thread(state.feed_by_url, address)
        if feed is not None:
            await asyncio.to_thread(state.remove_feed, feed.id)
            await schedule_feeds(context.application)
            await reply(message, fmsg.unfollowed_html(feed))
            return
    await reply(message, fmsg.not_followed_html(args[0]))


@admin_only
async def cmd_feeds(update: Update, context: Context) -> None:
    state = context.service.state
    feeds, channels = await asyncio.to_thread(state.feeds), await asyncio.to_thread(state.channels)
    await reply(update.effective_message, fmsg.feeds_html(feeds, channels))


# --- polling ---------------------------------------------------------------------------------
async def schedule_feeds(application: Application) -> None:
    """One repeating job per followed feed, on its own interval: jobs for feeds followed
    since are added, jobs for feeds no longer followed removed, changed intervals applied.

    The feeds are read in a worker thread, as every database call of the bot: on the event
    loop, a read that waited (behind the one connection the state once had, while another
    process held its write lock: up to SQLite's 10 s busy timeout) held every chat. One
    scheduling at a time, so that one that read the feeds earlier (the minute's sync
    beside an `/unfollow`) never applies its older list after a newer one."""
    service: BotService = application.bot_data["service"]
    queue = application.job_queue
    async with service.feeds_scheduling:
        wanted = {f"feed-{feed.id}": feed for feed in await asyncio.to_thread(service.state.feeds)}
        for job in queue.jobs():
            if job.name and job.name.startswith("feed-"):
                feed = wanted.pop(job.name, None)
                if feed is None or job.data["every"] != feed.every_minutes:
                    job.schedule_removal()
                    if feed is not None:
                        wanted[job.name] = feed
        now = service.state.now()
        for position, (name, feed) in enumerate(sorted(wanted.items())):
            seconds = feed.every_minutes * 60
            # When it is due from its last poll (a restart neither delays nor skips a poll), the
            # first polls spread a few seconds apart.
            due_in = feed.last_polled + seconds - now if feed.last_polled else 0.0
            first = min(seconds, max(due_in, 5 + 5 * position))
            queue.run_repeating(
                poll_feed, interval=seconds, first=first, name=name, data={"id": feed.id, "every": feed.every_minutes}
            )


async def sync_feeds(context: Context) -> None:
    await schedule_feeds(context.application)
    await tell_admins_of_feeds(context)  # polls of other processes (`feeds --poll`) included


async def tell_admins_of_feeds(context: Context, feed_id: int | None = None) -> None:
    """The admins told of the feeds (all, or `feed_id`) that now fail, or work again, since
    they were last told: once each, whichever process polled. Recorded as told before it is
    sent, so that two replicas never both send it: a message Telegram refuses then is lost
    (the feed's state stays in `/feeds`)."""
    service = context.service
    threshold = service.settings.feed_failures_before_alert
    for feed, failing in await asyncio.to_thread(service.state.alerts_due, threshold, feed_id):
        if not failing:
            await tell_admins(context, fmsg.feed_recovered_html(feed))
            continue
        dropped_from = unfollowed_from(await asyncio.to_thread(service.state.not_found_streak, feed.id))
        await tell_admins(context, fmsg.feed_failing_html(feed, dropped_from, zone=service.settings.zone))
    # Feeds their sites removed, followed no more: the admin who followed one hears of it (all
    # of them when it was followed from the command line, or by one no longer an admin).
    for dropped in await asyncio.to_thread(context.service.state.dropped_feeds):
        await tell_admins(context, fmsg.feed_dropped_html(dropped), only=dropped.added_by)


async def poll_feed(context: Context) -> None:
    service = context.service
    feed_id, every = context.job.data["id"], context.job.data["every"]
    feed = await asyncio.to_thread(service.state.feed, feed_id)
    if feed is not None and not poll_due(feed, service.state.now(), service.settings.feed_failures_before_alert):
        return  # failing for a while: polled less often until it works again
    if not await asyncio.to_thread(service.state.claim_poll, feed_id, every):
        return  # another process of the bot (a replica) polls it this time
    try:
        report = await service.run_feed(service.follower.poll, feed_id)
    except Abandoned:
        log.info("feed %s: poll given up as the bot stops; its new entries wait for the next one", feed_id)
        return
    if report is None or report.dropped:
        context.job.schedule_removal()
    if report is None:
        return
    if report.added:
        log.info("feed %s: %d new articles", report.feed.id, len(report.added))
    await tell_admins_of_feeds(context, feed_id)
    if report.given_up:  # in the same poll as a recovery too: each is told once only
        await tell_admins(context, fmsg.entries_given_up_html(report.feed, report.given_up))


def _given_up(post: Message, source: str | None) -> None:
    """A channel's post given up as the bot stops: told to no one, the log names it, for an
    admin to add by hand."""
    log.warning(
        "channel post %s/%s (%s) not ingested: the bot stopped first; forward it to the bot, /ingest in reply",
        post.chat.id,
        post.message_id,
        source or "no public link",
    )


def _quiet(done: int, total: int) -> None:
    """The progress of work that shows none (a channel's post)."""


# --- channels --------------------------------------------------------------------------------
async def on_channel_post(update: Update, context: Context) -> None:
    """A post in a followed channel becomes an article, its t.me link as source. Nothing is
    said in the channel: its readers are not the bot's users."""
    post: Message = update.channel_post
    service = context.service
    if await asyncio.to_thread(service.state.channel, post.chat.id) is None:
        return
    text = post.text or post.caption
    if not text:
        return
    if post.via_bot is not None and post.via_bot.id == context.bot.id:
        # A quote an admin of the channel posted from our inline results: its words are in the
        # library already, and added again they would be quoted beside the article they come from.
        log.info("channel post %s/%s not ingested: posted through the bot", post.chat.id, post.message_id)
        return
    source = f"https://t.me/{post.chat.username}/{post.message_id}" if post.chat.username else None
    settings = service.settings
    try:
        if link := shared_link(text, message_links(post)):
            # A headline and its link, as news channels post: the page it links to is the article,
            # as `/ingest` in reply to the post adds it (a headline alone is no article).
            document = await service.run_long(page_reader(link, settings, service.stop.check))
        else:
            limit = settings.ingest_max_bytes
            document = await asyncio.to_thread(parse_bytes, text.encode(), name=None, source=source, max_bytes=limit)
            document = as_channel_post(
                document,
                link=source,
                posted=post.date,
                channel=post.chat.title,
                signed=post.author_signature,
                zone=settings.zone,
            )
    except InputError as exc:
        log.info("channel post %s/%s not ingested: %s", post.chat.id, post.message_id, exc)
        return
    except Abandoned:  # its page's download given up
        _given_up(post, source)
        return
    try:
        labelled = [(source or "post", document)]
        ingest = partial(ingest_documents, article_max_words=settings.article_max_words, in_chat=True)
        outcome = (await service.run_long(ingest, service.library, labelled, service.stop.checked(_quiet)))[0]
    except Abandoned:
        _given_up(post, source)
        return
    except LibraryError as exc:
        log.warning("channel post %s/%s not ingested: %s", post.chat.id, post.message_id, exc)
        return
    if outcome.article is None:  # refused as it was to be added (longer than an article may be)
        log.info("channel post %s/%s not ingested: %s", post.chat.id, post.message_id, outcome.error)
        return
    log.info("channel post %s/%s: %s (article %s)", post.chat.id, post.message_id, outcome.status, outcome.article.id)

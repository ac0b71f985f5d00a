"""Messages about followed feeds and channels, as Telegram HTML (escaped, within 4096
characters; `tests/test_fuzz.py` holds them to it like every other message)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, tzinfo

from bot.feeds import (
    FAILING_POLL_MAX_MINUTES,
    NOT_FOUND_DAYS_BEFORE_UNFOLLOW,
    NOT_FOUND_POLLS_BEFORE_UNFOLLOW,
    POLL_MINUTES_RANGE,
    PollReport,
)
from bot.replies.wording import every, french_date, left_aside, plural
from bot.state.channels import ChannelRow
from bot.state.feeds import DroppedFeed, FeedRow
from bot.telegram.messages import FIELD_CHARS, e, error_html, fit_list, fits, safe_link, shorten
from index.numbers import french
from index.web_addresses import shown_link, shown_links, shown_typed

FOLLOW_USAGE = (
    "Utilisation : <code>/follow URL</code> (un flux RSS ou Atom, ou la page d'un site qui en déclare un), "
    "<code>/follow URL MINUTES</code> pour choisir l'intervalle des relevés "
    f"(de {french(POLL_MINUTES_RANGE[0])} à {french(POLL_MINUTES_RANGE[1])} minutes), "
    "ou <code>/follow @chaine</code> pour une chaîne Telegram dont je suis administrateur."
)
UNFOLLOW_USAGE = (
    "Utilisation : <code>/unfollow ID</code>, <code>/unfollow URL</code> ou <code>/unfollow @chaine</code> "
    "(voir /feeds)."
)
FOLLOW_STARTED = "⏳ Lecture du flux…"
FIRST_POLL = "⏳ Flux trouvé : ajout de ses articles…"
FIRST_POLL_ABANDONED = "✅ Flux suivi. Le bot redémarre : ses articles seront ajoutés dès son retour."
# Said both before anything was ever followed and after the last `/unfollow`: true of both
# ("encore" was wrong after an unfollow, "plus" before a first follow).
NOTHING_FOLLOWED = (
    "Je ne suis aucun flux ni aucune chaîne en ce moment : ajoutez-en avec <code>/follow URL</code> "
    "ou <code>/follow @chaine</code>."
)


def _feed_name(feed: FeedRow | DroppedFeed) -> str:
    """The feed's title, its address when it has none: shown as a link is (`shown_links`)."""
    return f"« {e(shorten(shown_links(feed.title), FIELD_CHARS))} »"


def followed_html(report: PollReport) -> str:
    feed = report.feed
    lines = [f"✅ Flux suivi : {_feed_name(feed)} (flux {feed.id}), relevé {every(feed.every_minutes)}."]
    if report.error:
        lines.append(f"Le premier relevé a échoué : {e(shorten(shown_typed(report.error, feed.url), FIELD_CHARS))}")
        if report.dropped:
            lines.append(f"Je ne le suis donc plus : {e(shorten(report.dropped, FIELD_CHARS))}.")
    else:
        lines.append(
            f"{plural(len(report.added), 'article ajouté', 'articles ajoutés')}"
            + (f", {plural(report.duplicates, 'déjà présent', 'déjà présents')}" if report.duplicates else "")
            + (f", {plural(len(report.given_up), 'illisible', 'illisibles')}" if report.given_up else "")
            + (f", {left_aside(report.left_aside)}" if report.left_aside else "")
            + "."
        )
        if report.left_aside:
            lines.append(
                "Les articles plus anciens du flux ne sont pas ajoutés : seulement ses nouveautés, à chaque relevé."
            )
    return "\n".join(lines)


def not_an_address_html(text: str) -> str:
    """`text` said back as links are shown (`shown_typed`): "lеmonde.fr/rss" is no address."""
    return (
        f"« {e(shorten(shown_typed(text, text), 100))} » n'est pas une adresse web : "
        "donnez celle du flux ou de la page du site, "
        "par exemple <code>/follow https://www.exemple.fr/rss.xml</code>, ou <code>/follow @chaine</code> "
        "pour une chaîne Telegram."
    )


def not_an_interval_html(text: str) -> str:
    low, high = POLL_MINUTES_RANGE
    return (
        f"« {e(shorten(text, 40))} » n'est pas un intervalle de relevés : donnez un nombre de minutes "
        f"de {french(low)} à {french(high)}, par exemple <code>/follow URL 60</code> pour un relevé par heure."
    )


# A /follow whose process died (SIGKILL, a crash, out of memory) before its status said how it
# ended: what that status says once the bot is back (`bot.telegram.under_way`).
FOLLOW_INTERRUPTED = "⚠️ Le bot s'est arrêté pendant la lecture du flux : il n'est pas suivi. Renvoyez /follow."


def follow_interrupted_html(feed: FeedRow | None) -> str:
    """The feed as followed still (the death came during its first poll), or not followed."""
    if feed is None:
        return FOLLOW_INTERRUPTED
    return (
        f"⚠️ Le bot s'est arrêté pendant le premier relevé du flux {_feed_name(feed)} (flux {feed.id}) : "
        "il est suivi, ses articles seront ajoutés à son prochain relevé."
    )


def already_followed_html(feed: FeedRow) -> str:
    return f"Ce flux est déjà suivi : {_feed_name(feed)} (flux {feed.id}), relevé {every(feed.every_minutes)}."


def follow_error_html(reason: str, typed: str) -> str:
    """Why the address a user typed (`typed`) cannot be followed: it, its host and every link
    said as links are shown (`shown_typed`)."""
    return error_html(f"Je ne peux pas suivre cette adresse : {shown_typed(reason, typed)}")


def unfollowed_html(feed: FeedRow) -> str:
    return f"Le flux {feed.id} {_feed_name(feed)} n'est plus suivi ; ses articles restent dans la bibliothèque."


def not_followed_html(what: str) -> str:
    return e(f"Rien de suivi ne correspond à « {shorten(shown_typed(what, what), 100)} » : voir /feeds.")


def channel_unknown_html(username: str) -> str:
    return e(f"Je ne trouve pas de chaîne @{shorten(username, 40)} : vérifiez son nom.")


def channel_not_admin_html(title: str) -> str:
    return e(
        f"Je ne suis pas administrateur de la chaîne « {shorten(title, FIELD_CHARS)} » : ajoutez-moi comme "
        "administrateur pour que je reçoive ses publications, puis recommencez."
    )


def channel_followed_html(title: str) -> str:
    return (
        f"✅ Chaîne suivie : « {e(shorten(title, FIELD_CHARS))} ». Ses nouvelles publications seront ajoutées "
        "à la bibliothèque, avec leur lien t.me comme source."
    )


def channel_unfollowed_html(title: str) -> str:
    return (
        f"La chaîne « {e(shorten(title, FIELD_CHARS))} » n'est plus suivie ; ses articles restent dans la bibliothèque."
    )


def feed_failing_html(feed: FeedRow, unfollowed_from: float | None = None, *, zone: tzinfo = UTC) -> str:
    """`unfollowed_from`: when the feed, not found (404), is followed no more if it stays so
    (`bot.feeds.unfollowed_from`), said so that its admins are not surprised by it; `zone`:
    TIME_ZONE, for that day."""
    slower = (
        ", de moins en moins souvent (jusqu'à une fois par jour),"
        if feed.every_minutes < FAILING_POLL_MAX_MINUTES
        else ""
    )
    lines = [
        f"⚠️ Le flux {feed.id} {_feed_name(feed)} a échoué {_last_polls(feed.failures)} : "
        f"{e(shorten(shown_typed(feed.last_error or '', feed.url), 400))}",
        f"Je continue d'essayer{slower} et vous préviendrai quand il fonctionnera de nouveau. "
        f"Pour ne plus le suivre : <code>/unfollow {feed.id}</code>",
    ]
    if unfollowed_from is not None:
        day = datetime.fromtimestamp(unfollowed_from, zone).date().isoformat()
        lines.append(
            f"S'il reste introuvable (404), je ne le suivrai plus à partir du {french_date(day)} "
            f"(introuvable à {french(NOT_FOUND_POLLS_BEFORE_UNFOLLOW)} relevés d'affilée sur "
            f"{french(NOT_FOUND_DAYS_BEFORE_UNFOLLOW)} jours au moins) ; ses articles resteront dans la bibliothèque."
        )
    return "\n".join(lines)


def _last_polls(count: int) -> str:
    """ "au dernier relevé", "aux 3 derniers relevés"."""
    return "au dernier relevé" if count < 2 else f"aux {plural(count, 'dernier relevé', 'derniers relevés')}"


def feed_dropped_html(feed: DroppedFeed) -> str:
    """To the admin who followed it: a feed its site removed, followed no more (`bot.feeds.gone_for_good`)."""
    return (
        f"🗑 Je ne suis plus le flux {feed.id} {_feed_name(feed)} : "
        f"{e(shorten(feed.reason, 300))}. Ses articles restent dans la bibliothèque.\n"
        f"S'il revient, suivez-le de nouveau : <code>/follow {e(shorten(shown_link(feed.url), 300))}</code>"
    )


def feed_recovered_html(feed: FeedRow) -> str:
    return f"✅ Le flux {feed.id} {_feed_name(feed)} fonctionne de nouveau."


GIVEN_UP_LISTED = 5  # entries a notice of entries given up names; it says how many more


def entries_given_up_html(feed: FeedRow, given_up: list[tuple[str, str]]) -> str:
    count = plural(len(given_up), "article illisible, abandonné", "articles illisibles, abandonnés")
    head = [f"⚠️ Flux {feed.id} {_feed_name(feed)} : {count} :"]
    entries = [
        f"• {e(shorten(shown_link(link), 120))} : {e(shorten(reason, 200))}"
        for link, reason in given_up[:GIVEN_UP_LISTED]
    ]
    return fit_list(head, entries, [], not_shown=len(given_up) - len(entries))


def feeds_html(feeds: list[FeedRow], channels: list[ChannelRow], now: float | None = None) -> str:
    if not feeds and not channels:
        return NOTHING_FOLLOWED
    now = time.time() if now is None else now
    # Channels first: few, and a long list of feeds would push them out of the message.
    lines = [f"<b>Chaînes suivies</b> ({len(channels)})"] if channels else []
    lines += [
        f"• « {e(shorten(c.title, FIELD_CHARS))} »" + (f" (@{e(c.username)})" if c.username else "") for c in channels
    ]
    if feeds:
        lines.append(f"<b>Flux suivis</b> ({len(feeds)})")
    for feed in feeds:
        state = "✅" if not feed.failures else f"⚠️ {plural(feed.failures, 'échec')}"
        polled = _polled(now - feed.last_polled) if feed.last_polled else "pas encore relevé"
        link = safe_link(shown_link(feed.url))
        name = f'<a href="{link}">{_feed_name(feed)}</a>' if link else _feed_name(feed)
        lines.append(
            f"<code>{feed.id}</code> {name} — {every(feed.every_minutes)}, {polled}, "
            f"{plural(feed.articles, 'article')} {state}"
        )
    tail = ["Arrêter : <code>/unfollow ID</code> ou <code>/unfollow @chaine</code>."]
    if not fits("\n".join([*lines, *tail])):  # the whole list is the command line's
        tail.insert(0, "Liste complète : <code>python -m bot feeds</code>")
    return fit_list([], lines, tail)


def _polled(seconds: float) -> str:
    """When a feed was last polled, `seconds` ago: "relevé à l'instant", "relevé il y a 5
    minutes", "… 3 heures", "… 2 jours" (never "il y a 100 secondes")."""
    if seconds < 60:
        return "relevé à l'instant"
    if seconds < 7200:
        return f"relevé il y a {plural(int(seconds // 60), 'minute')}"
    if seconds < 172800:
        return f"relevé il y a {plural(int(seconds // 3600), 'heure')}"
    return f"relevé il y a {plural(int(seconds // 86400), 'jour')}"

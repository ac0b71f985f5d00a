"""What the library knows of an article, as replies show it: its card, its details asked for
("Qui a écrit l'article ?"), its line in a list, its link and source, and finding it by words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import PurePath
from urllib.parse import urlsplit

from bot.replies.quote_links import fold
from bot.replies.wording import french_date, in_guillemets, passages, shorten
from index.article_questions import Detail
from index.store import ArticleRow
from index.web_addresses import shown_link


def link_of(article: ArticleRow) -> str | None:
    """The link every reply shows of `article` (its source line, its card, its site named), as
    a person may safely read it (`shown_link`: a look-alike host in its `xn--` form)."""
    link = article.url or (article.source if article.source and "://" in article.source else None)
    return shown_link(link) if link else None


# A title or an author named in a sentence is cut to this many characters (the card below
# has them whole, or as long as a chat message allows), and the title asked for to the second.
SENTENCE_FIELD_CHARS = 120
TITLE_ASKED_CHARS = 1000


def detail_sentence(article: ArticleRow, detail: Detail, *, zone: tzinfo) -> str:
    """The answer to a question on an article's `detail` ("Qui a écrit l'article ?"), from
    what the library recorded of it, saying so when it recorded nothing; short, since the
    article's card follows it (`zone`: TIME_ZONE, for the day it was added)."""
    # "L'article « … »": the verbs agree with "article", whatever the title's gender ("« La
    # guerre » est signé" read wrong), and a title that is one word is not taken for a name.
    named = in_guillemets(shorten(article.title, SENTENCE_FIELD_CHARS) or "Sans titre")
    title = f"L'article {named}"
    match detail:
        case "date":
            date = french_date(article.date)
            if date is None:
                added = day_added(article, zone=zone)
                return f"{title} n'est pas daté ; il a été ajouté à la bibliothèque le {added}."
            on_a_day = len((article.date or "").split("-")) == 3  # "daté du 14 février 2023"
            return f"{title} est daté {'du' if on_a_day else 'de'} {date}."
        case "author":
            if not article.author:
                return f"L'auteur de l'article {named} n'est pas indiqué."
            return f"{title} est signé {shorten(article.author, SENTENCE_FIELD_CHARS)}."
        case "source":
            if (link := link_of(article)) and (site := urlsplit(link).hostname):
                return f"{title} a été publié sur {site.removeprefix('www.')}."
            if feed := feed_named(article.source):
                return f"{title} vient du flux « {shorten(feed, SENTENCE_FIELD_CHARS)} », sans lien vers une page."
            if name := source_name(article.source):
                return f"{title} vient du fichier {shorten(name, SENTENCE_FIELD_CHARS)}."
            return f"{title} a été ajouté comme texte collé, sans lien."
        case "title":
            return f"Titre : {in_guillemets(shorten(article.title, TITLE_ASKED_CHARS) or 'Sans titre')}"


# The source of an article a feed carried whole under no link: the feed's title after it.
FEED_SOURCE = "flux:"


def feed_named(source: str | None) -> str | None:
    """The title of the feed an article without a link came from (`FEED_SOURCE`)."""
    if not source or not source.startswith(FEED_SOURCE):
        return None
    return source.removeprefix(FEED_SOURCE).strip() or None


def source_name(source: str | None) -> str | None:
    """What a chat user may see of where an article came from: its file name (never a path
    on the server), NAME of `telegram:NAME`, as the bot records uploaded documents, or the
    feed that carried it (`FEED_SOURCE`), named so: "flux « Brèves »"; shortened as a field
    of a sentence is (a file's name may be 255 characters, each "&" of it five in a message)."""
    if not source:
        return None
    if feed := feed_named(source):
        return f"flux « {shorten(feed, SENTENCE_FIELD_CHARS)} »"
    return shorten(PurePath(source.removeprefix("telegram:")).name, SENTENCE_FIELD_CHARS) or None


def format_details(articles: list[ArticleRow], detail: Detail, *, zone: tzinfo) -> str:
    """An answer to a question on its articles' details: for each, the detail asked for, then
    what the library knows of it (`zone`: TIME_ZONE)."""
    return "\n\n".join(
        f"{detail_sentence(a, detail, zone=zone)}\n{format_article_card(a, zone=zone)}" for a in articles
    )


def card_fields(article: ArticleRow) -> list[tuple[str, str]]:
    """What an article's card says of it, labelled, in order, between its title and
    `card_footer`: the one card, rendered plain (`format_article_card`) or for Telegram
    (`bot.telegram.messages.article_card_html`). Its source is its link, or a file's name,
    never a path on the server."""
    fields = []
    if date := french_date(article.date):
        fields.append(("Date", date))
    if article.author:
        fields.append(("Auteur", article.author))
    link = link_of(article)
    web = link if link and link.lower().startswith(("http://", "https://")) else None
    if source := web or source_name(article.source):
        fields.append(("Source", source))
    return fields


def day_added(article: ArticleRow, *, zone: tzinfo) -> str:
    """The day `article` was added to the library, in French, as the clock of `zone`
    (TIME_ZONE) read it: the library records the moment in UTC, and an article added at
    half past midnight in Paris was added the day before by UTC's clock."""
    try:
        moment = datetime.fromisoformat(article.added_at.replace("Z", "+00:00"))
    except ValueError:  # not a moment: its day as written
        return french_date(article.added_at[:10]) or article.added_at
    day = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone).date()
    return french_date(day.isoformat()) or day.isoformat()


def card_footer(article: ArticleRow, *, zone: tzinfo) -> str:
    return f"Article {article.id} — {passages(article.passages)}, ajouté le {day_added(article, zone=zone)}"


def format_article_card(article: ArticleRow, *, zone: tzinfo) -> str:
    """What the library knows of an article, for the console and the command line (`zone`:
    TIME_ZONE, for the day it was added)."""
    lines = [in_guillemets(article.title or "Sans titre")]
    lines += [f"{label} : {value}" for label, value in card_fields(article)]
    lines.append(card_footer(article, zone=zone))
    return "\n".join(f"    {line}" for line in lines)


def articles_matching(articles: Sequence[ArticleRow], words: str) -> list[ArticleRow]:
    """The `articles` whose title, link or source (a file's name) holds each of `words`,
    compared without case or accents: how an admin finds an article's id (to delete it) in a
    library of hundreds, by what they remember of it."""
    wanted = fold(words).split()
    return [a for a in articles if all(w in fold(f"{a.title} {a.url or ''} {a.source or ''}") for w in wanted)]


def no_article_matching(words: str) -> str:
    return f"Aucun article ne contient « {words} » dans son titre ou son adresse."


def format_article_line(article: ArticleRow) -> str:
    date = french_date(article.date)
    return f"{article.id:>5}  {article.title}" + (f" ({date})" if date else "") + f" — {passages(article.passages)}"

"""Every message the bot sends, as Telegram HTML: everything from users and articles is
escaped, every message stays within Telegram's 4096 characters (counted as Telegram
counts them, and before its tags are removed), and long answers are cut between
passages, never inside a tag: fields are shortened as plain text, then escaped."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, tzinfo
from html import escape

from bot.replies.answers import (
    ASK_IN_FRENCH,
    LESS_RELATED,
    NOTHING_FOUND,
    answered_articles,
    is_less_related,
    is_unsure,
    respelled_note,
    suggests_french,
    which_article,
)
from bot.replies.cards import (
    card_fields,
    card_footer,
    day_added,
    detail_sentence,
    link_of,
    no_article_matching,
    source_name,
)
from bot.replies.quote_links import quote_context, quote_link
from bot.replies.upkeep import INLINE_CHOSEN, other_version
from bot.replies.wording import french_date, passages, plural, quotation_body, shorten
from bot.state.feedback import Vote
from index.article_questions import Detail
from index.errors import database_unavailable, no_space_left
from index.library import Answer, LibraryStats, Result
from index.numbers import french
from index.store import ArticleRow

MESSAGE_LIMIT = 4096  # Telegram's, in UTF-16 code units
# Caps on what users and articles put in a message, in characters shown. With every
# character escaped at its longest (`&amp;`), the header, one reference and the
# shortest excerpt still fit one message, so every formatter below fits by construction.
QUESTION_CHARS = 200
TITLE_CHARS = 200
SHORT_TITLE_CHARS = 20
NOTE_CHARS = 100  # the words of a question read as others
FIELD_CHARS = 200  # author, file name, link text, model name
ERROR_CHARS = 600
LINK_CHARS = 1024  # longer (escaped) URLs are not linked at all
# Characters of passage shown around the quote, tried in turn until the block fits.
PASSAGE_LIMITS = (1500, 800, 400, 150)


HELP = """<b>Je réponds à vos questions en citant des articles de presse.</b>
Je ne rédige rien moi-même : chaque réponse est une citation exacte d'un article de la bibliothèque, \
avec son titre, sa date et sa source. Quand rien dans la bibliothèque ne répond, je le dis ; quand je ne \
suis pas sûr que les passages trouvés répondent à la question, je le signale.

<b>Poser une question</b>
{asking}
Pour savoir de quoi parle un article ou qui l'a écrit, demandez-le : <code>De quoi parle l'article ?</code>, \
<code>Qui a écrit l'article ?</code> ; pour lire la suite d'une citation : <code>La suite ?</code> ; \
pour les derniers articles : <code>Quoi de neuf ?</code>
{elsewhere}

<b>Dans n'importe quelle conversation</b>
Tapez <code>@{bot} votre question</code> puis choisissez un passage : je le cite avec sa source.

<b>Ajouter un article</b>
• <code>/ingest https://exemple.fr/article</code>
• <code>/ingest</code> suivi du texte collé (la première ligne peut être le titre, \
ou des lignes <code>titre:</code>, <code>date:</code>, <code>url:</code>)
• <code>/ingest</code> en réponse à un message, un message transféré d'une chaîne ou un document
• un document (texte, page HTML, PDF, Word .docx ou OpenDocument .odt) envoyé avec la légende \
<code>/ingest</code>"""
ADMIN_HELP = """

<b>Administration</b>
/articles — liste des articles (<code>/articles mots</code> : les chercher) · /delete ID — supprimer
/reindex — reconstruire la bibliothèque · /stats — chiffres
/follow URL — suivre un flux RSS ou Atom (ou <code>/follow @chaine</code>) · /unfollow ID, URL ou @chaine
/feeds — flux et chaînes suivis · /feedback — les 👍 et 👎 des utilisateurs"""
REFUSED = "Désolé, cette commande est réservée aux administrateurs de la bibliothèque."
# An anonymous group admin writes as the group: Telegram does not say who they are.
REFUSED_ANONYMOUS = (
    "Vous écrivez anonymement au nom du groupe : je ne peux pas savoir qui vous êtes. "
    "Pour les commandes d'administration, écrivez-moi en privé."
)
INGEST_REFUSED = "Désolé, seuls les administrateurs peuvent ajouter des articles ici."
INGEST_SLOW_DOWN = (
    "Vous avez déjà {count} articles en cours d'ajout : attendez qu'ils soient ajoutés, puis renvoyez celui-ci."
)
SLOW_DOWN = "Vous posez beaucoup de questions d'un coup : patientez une minute, puis réessayez."
APOLOGY = "Désolé, une erreur inattendue m'a empêché de répondre. Réessayez dans un instant."
# A database out of reach (locked, its disk away, a PostgreSQL server down): nothing the user did.
LIBRARY_UNAVAILABLE = "La bibliothèque est momentanément indisponible : réessayez dans quelques minutes."
ASK_USAGE = "Posez votre question après la commande, par exemple : <code>/ask Qui préside l'OTAN ?</code>"
INGEST_USAGE = (
    "Envoyez l'article avec la commande : <code>/ingest https://exemple.fr/article</code>, ou <code>/ingest</code> "
    "suivi du texte collé. Vous pouvez aussi répondre <code>/ingest</code> à un message, ou envoyer un document "
    "avec la légende <code>/ingest</code>."
)
DELETE_USAGE = (
    "Utilisation : <code>/delete ID</code> (les identifiants sont dans /articles ; "
    "<code>/articles mots du titre</code> retrouve un article)."
)
ARTICLE_HINT = (
    "Ce message ressemble à un article plutôt qu'à une question. Pour l'ajouter à la bibliothèque, "
    "répondez-y avec <code>/ingest</code> ; pour poser une question, écrivez-la en une phrase."
)
DOCUMENT_HINT = "Pour ajouter ce document, renvoyez-le avec la légende <code>/ingest</code>."
DOCUMENTS_HINT = (
    "Pour ajouter ces documents, renvoyez-les avec la légende <code>/ingest</code> (sur l'un d'eux : elle vaut "
    "pour tous)."
)
UNKNOWN_COMMAND = "Je ne connais pas cette commande : /help dit ce que je sais faire."
EDITED_COMMAND = "Je ne relance pas une commande modifiée : envoyez-la de nouveau, corrigée, dans un nouveau message."
TEXT_ONLY = (
    "Je ne lis que du texte : écrivez votre question, ou ajoutez un article avec <code>/ingest</code> "
    "(un lien, le texte, ou un fichier envoyé avec cette légende)."
)
# What the console's "empty library" says, less a file path (a chat user has none on the server).
EMPTY_LIBRARY = (
    "La bibliothèque est vide. Ajoutez un premier article avec <code>/ingest</code> suivi d'une URL ou "
    "du texte de l'article, ou envoyez un fichier avec la légende <code>/ingest</code>."
)
EXPIRED = "Cette recherche a expiré : posez de nouveau la question."
INLINE_HINT = "Tapez une question : je cite les articles qui y répondent"
# A web address typed inline: the page is added in the conversation with the bot (`/ingest`).
INLINE_LINK_HINT = "Ajouter cette page : /ingest et son adresse, dans la conversation avec le bot"
INLINE_SLOW_DOWN = "Beaucoup de questions d'un coup : patientez une minute"
UNSURE_HEADER = (
    "⚠️ Réponse incertaine : voici les passages les plus proches, qui ne répondent peut-être pas à la question."
)
# Before each inline result's sentence when the answer is uncertain.
INLINE_UNSURE = "(incertain) "
INLINE_LESS_RELATED = "(moins lié) "  # before an inline result `is_less_related` marks
# An uncertain answer to a question in English (`bot.replies.answers.suggests_french`): under the uncertainty
# in a chat (`bot.replies.answers.ASK_IN_FRENCH`); inline, on the button above the results, read before any is
# chosen and never posted with one.
ASK_IN_FRENCH_NOTE = "💡 " + ASK_IN_FRENCH
INLINE_ASK_IN_FRENCH = "Posez-la en français : réponses plus sûres (Ask in French)"
INLINE_NOTHING_TITLE = "Rien trouvé dans la bibliothèque"
INLINE_NOTHING_DESCRIPTION = "Aucun passage ne répond à cette question : essayez d'autres mots."
# A question in English, or in another alphabet, that found nothing (`bot.small_talk.not_in_french`): both
# lines are read before anything is chosen, and a description is cut after two lines or so.
INLINE_IN_ENGLISH_TITLE = "Questions en français seulement (French only)"
INLINE_IN_ENGLISH_DESCRIPTION = (
    "Je ne comprends que les questions en français, la langue des articles : posez-la en français."
)
# "La suite ?" typed inline: there is no conversation there to read on in.
INLINE_READ_ON_TITLE = "Rien à poursuivre ici"
INLINE_READ_ON_DESCRIPTION = "« La suite ? » se demande dans la conversation avec le bot, après une réponse."
INLINE_WHICH_ARTICLE_TITLE = "De quel article ?"
INLINE_WHICH_ARTICLE_DESCRIPTION = "Nommez son sujet : « Qui a écrit l'article sur le castor ? »"
# What "merci", "ok" or "au revoir" said to the bot in a group gets: a reaction on the message, no
# message of its own ("Avec plaisir ! Une autre question ?" was read by every member, and took one
# of the group's 20 messages a minute). Each among the emoji Telegram takes as reactions.
GROUP_ACKNOWLEDGEMENTS = {"thanks": "🤗", "parting": "🤗", "agreement": "👌", "farewell": "🤗"}
THANKS_UP = "Merci ! Votre 👍 est noté."
THANKS_DOWN = "Merci ! Votre 👎 est noté : il aidera à améliorer les réponses."
OTHER_CHAT = "Ce bouton appartient à une autre conversation."
ARTICLE_GONE = "Cet article a été retiré de la bibliothèque."
PAGE_GONE = "Un article de cette page a été retiré de la bibliothèque depuis : posez la question à nouveau."
GROUP_SLOW_DOWN = "Doucement : vous avez fait beaucoup de demandes d'un coup dans ce groupe ; patientez une minute."
INGEST_STARTED = "⏳ Ajout de l'article…"
DOWNLOADING = "⏳ Téléchargement de la page…"
INDEXING = "⏳ Découpage en passages…"
INGEST_FAILED = "L'ajout a échoué à cause d'une erreur inattendue ; rien n'a été modifié."
# The admins' note when the library answers again after an outage (`errors.report_library_back`).
LIBRARY_BACK = "✅ Bibliothèque de nouveau joignable."
INGEST_LIBRARY_UNAVAILABLE = (
    "L'ajout n'a pas pu se faire : la bibliothèque est momentanément indisponible. Renvoyez l'article dans "
    "quelques minutes."
)
INGEST_NO_SPACE = (
    "L'ajout a échoué : le disque du serveur est plein. Rien n'a été modifié ; les administrateurs sont "
    "prévenus. Renvoyez l'article plus tard."
)
REINDEX_STARTED = "🔄 Reconstruction de la bibliothèque : préparation…"
REINDEX_RUNNING = "La bibliothèque est déjà en cours de reconstruction."
REINDEX_FAILED = "La reconstruction a échoué ; la bibliothèque reste telle qu'elle était."
REINDEX_NO_SPACE = (
    "plus de place sur le disque de la bibliothèque (la reconstruction en écrit une copie entière à côté) ; "
    "la bibliothèque reste telle qu'elle était. Libérez de la place, puis relancez /reindex."
)
ANOTHER_POLLER = (
    "⚠️ Un autre processus reçoit les messages de ce bot (le même TELEGRAM_BOT_TOKEN, sur une autre machine "
    "ou avec un autre DATA_DIR) : Telegram les lui donne une fois sur deux. Arrêtez l'un des deux."
)
# Work under way when the bot is stopped (a restart, an update) and that could not finish in time.
INGEST_ABANDONED = "⚠️ Le bot redémarre : cet article n'a pas été ajouté. Renvoyez-le dans une minute."
# Work whose process died (SIGKILL, a crash, out of memory) before it ended (an ingest, before its
# article was stored): what its status message says once the bot is back (`bot.telegram.under_way`).
INGEST_INTERRUPTED = "⚠️ Le bot s'est arrêté pendant l'ajout : cet article n'a pas été ajouté. Renvoyez-le."
REINDEX_INTERRUPTED = (
    "⚠️ Le bot s'est arrêté pendant la reconstruction : la bibliothèque est restée telle qu'elle était. "
    "Relancez /reindex."
)
REINDEX_ABANDONED = (
    "⚠️ Le bot redémarre : reconstruction interrompue, la bibliothèque reste telle qu'elle était. "
    "Relancez /reindex dans une minute."
)


def mention_usage_html(bot_username: str) -> str:
    """What the bot's name alone in a group is told: the question goes after the name."""
    mention = e("@" + shorten(bot_username, 32)) if bot_username else "/ask"
    return f"Posez votre question après mon nom, par exemple : <code>{mention} Qui préside l'OTAN ?</code>"


# How to ask, in a private chat and in a group: with privacy mode on (README, "Setup"), a
# group's message reaches the bot only as a command, a mention or a reply to one of its own,
# and "écrivez-la simplement ici" read there went unanswered.
ASKING_PRIVATE = """Écrivez-la simplement ici, par exemple :
<code>Qui est le secrétaire général de l'OTAN ?</code>
Puis enchaînez sur le même article : <code>Que dit-il de Poutine ?</code>"""
ASKING_ELSEWHERE_PRIVATE = (
    "Dans un groupe : <code>/ask votre question</code>, mentionnez-moi, ou répondez à l'un de mes messages."
)
ASKING_GROUP = """Dans un groupe, je ne réponds qu'aux messages qui me sont adressés : commencez par /ask ou par \
mon nom, par exemple :
<code>/ask Qui est le secrétaire général de l'OTAN ?</code>
Puis enchaînez en répondant à ma réponse : <code>Que dit-il de Poutine ?</code>"""
ASKING_ELSEWHERE_GROUP = "En privé, écrivez-moi simplement la question."
# What the bot says once, when added to a group (or a group is created with it): its members
# would otherwise type questions there that it never answers (`ASKING_GROUP`).
GROUP_WELCOME = (
    "Bonjour ! Je réponds aux questions sur les articles de la bibliothèque en les citant, avec leur source. "
    "Ici, commencez par /ask ou par mon nom, par exemple : <code>/ask Qui est le secrétaire général de "
    "l'OTAN ?</code> ; pour enchaîner, répondez à ma réponse. /help en dit plus."
)


def help_html(bot_username: str, admin: bool, in_group: bool = False) -> str:
    """/help: in a group, how to ask there (`ASKING_GROUP`); an admin's adds their commands."""
    asking, elsewhere = (
        (ASKING_GROUP, ASKING_ELSEWHERE_GROUP) if in_group else (ASKING_PRIVATE, ASKING_ELSEWHERE_PRIVATE)
    )
    text = HELP.replace("{asking}", asking).replace("{elsewhere}", elsewhere)
    return text.replace("{bot}", e(shorten(bot_username, 32) or "bot")) + (ADMIN_HELP if admin else "")


def e(text: str) -> str:
    return escape(text, quote=False)


def attribute(text: str) -> str:
    return escape(text, quote=True)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji can count two)."""
    return len(text.encode("utf-16-le")) // 2


def fits(html: str) -> bool:
    """Whether a message is within Telegram's limit even before its tags are removed."""
    return telegram_length(html) <= MESSAGE_LIMIT


def title_of(article: ArticleRow, limit: int = TITLE_CHARS) -> str:
    return shorten(article.title, limit) or "Sans titre"


def safe_link(url: str | None) -> str | None:
    """An http(s) URL fit for an `href`, escaped; None for anything else."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    if any(c.isspace() or ord(c) < 32 for c in url):
        return None
    escaped = attribute(url)
    return escaped if len(escaped) <= LINK_CHARS else None


def excerpt(passage: str, start: int, end: int, limit: int = PASSAGE_LIMITS[0]) -> tuple[str, int, int]:
    """The passage, trimmed around the quote (with …) when longer than `limit`; a quote
    longer than `limit` is itself cut, at a word's end when one is near, its "…" after it:
    what is shown of the quote is always the passage's own text."""
    if len(passage) <= limit:
        return passage, start, end
    if end - start > limit:
        kept = passage[start : start + limit - 2]
        space = max(kept.rfind(" "), kept.rfind("\n"))
        kept = (kept[:space] if space > limit * 0.6 else kept).rstrip()
        prefix = "… " if start > 0 else ""
        return f"{prefix}{kept} …", len(prefix), len(prefix) + len(kept)
    room = limit - (end - start)
    left = max(start - room // 2, 0)
    right = min(end + (room - (start - left)), len(passage))
    left = max(min(left, right - limit), 0)
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(passage) else ""
    text = prefix + passage[left:right] + suffix
    shift = len(prefix) - left
    return text, max(start + shift, len(prefix)), min(end + shift, len(text) - len(suffix))


def reference_html(
    article: ArticleRow,
    quote: str | None = None,
    *,
    linked: bool = True,
    title_chars: int = TITLE_CHARS,
    before: str = "",
) -> str:
    """Title, date and source link; with a `quote`, the link opens the page at the quote
    (`before`: what the page says above it, `bot.replies.quote_links.quote_context`, so that the link is not
    mistaken for the same words said earlier). `linked` False and a shorter `title_chars`: for
    a message left with little room."""
    parts = [f"<i>{e(title_of(article, title_chars))}</i>"]
    if date := french_date(article.date):
        parts.append(e(date))
    url = link_of(article) if linked else None
    link = (safe_link(quote_link(url, quote, before)) if quote else None) or safe_link(url) if url else None
    if link:
        parts.append(f'<a href="{link}">source</a>')
    return " — ".join(parts)


def result_html(
    result: Result,
    limit: int = PASSAGE_LIMITS[0],
    *,
    linked: bool = True,
    title_chars: int = TITLE_CHARS,
    before: str = "",
) -> str:
    """The passage (trimmed to `limit` around the quote) with the quote in bold, then its
    reference (`linked`, `title_chars`, `before`: as `reference_html` takes them)."""
    text, start, end = excerpt(result.passage, result.quote_start, result.quote_end, limit)
    quoted = e(text[:start]) + "<b>" + e(text[start:end]) + "</b>" + e(text[end:])
    reference = reference_html(result.article, result.quote, linked=linked, title_chars=title_chars, before=before)
    return f"<blockquote expandable>{quoted}</blockquote>\n{reference}"


@dataclass(frozen=True)
class AnswerPage:
    text: str
    results: list[Result]


def answer_pages(
    answer: Answer, per_page: int, sure_from: float, before_passages: Mapping[int, str] | None = None
) -> list[AnswerPage]:
    """The answer's results as messages of at most `per_page` passages, each within
    Telegram's limit; a passage that does not fit starts the next page, and one that
    does not fit a page alone is shown shorter. Below `sure_from` (SURE_ANSWER_THRESHOLD),
    marked uncertain; above it, a sure answer's passage of another article less related than
    the answer (`is_less_related`) is marked so. `before_passages`: each passage's article before it
    (`Library.texts_before`), for links that land on their quotes."""
    question = f"🔎 <b>{e(shorten(answer.question, QUESTION_CHARS))}</b>"
    notes = ""  # under the question (and its page number), on every page
    if answer.follows and answer.topic is not None:  # say what it was read with
        notes += f"\n<i>↪ suite de « {e(shorten(answer.topic.question, QUESTION_CHARS))} »</i>"
    if answer.respelled:  # a question of many typos names only the first few
        notes += f"\n<i>✏️ {e(shorten(respelled_note(answer), NOTE_CHARS))}</i>"
    if is_unsure(answer, sure_from):
        notes += f"\n<i>{e(UNSURE_HEADER)}</i>"
    if suggests_french(answer, sure_from):
        notes += f"\n<i>{e(ASK_IN_FRENCH_NOTE)}</i>"
    room = MESSAGE_LIMIT - telegram_length(question + " — suite (99)" + notes + "\n\n")
    marked = f"<i>{e(LESS_RELATED)}</i>\n"  # above a passage less related than the answer, on whichever page
    blocks = [
        marked + _fitting_block(result, room - telegram_length(marked), quote_context(result, before_passages or {}))
        if is_less_related(answer, result, sure_from)
        else _fitting_block(result, room, quote_context(result, before_passages or {}))
        for result in answer.results
    ]
    pages: list[AnswerPage] = []
    current: list[tuple[Result, str]] = []

    def close() -> None:
        number = len(pages)
        title = question + (f" — suite ({number + 1})" if number else "") + notes
        pages.append(AnswerPage("\n\n".join([title, *(block for _, block in current)]), [r for r, _ in current]))
        current.clear()

    for result, block in zip(answer.results, blocks, strict=True):
        size = sum(telegram_length(b) + 2 for _, b in current) + telegram_length(block)
        if current and (len(current) >= per_page or size > room):
            close()
        current.append((result, block))
    if current:
        close()
    return pages


def _fitting_block(result: Result, room: int, before: str) -> str:
    """The result at the longest excerpt that fits `room`; when even the shortest does not
    (a long link beside a long question, its follow-up's and notes), without the link, then
    with a shorter title. `before`: as `reference_html` takes it."""
    for limit in PASSAGE_LIMITS:
        block = result_html(result, limit, before=before)
        if telegram_length(block) <= room:
            return block
    for title_chars in (TITLE_CHARS, SHORT_TITLE_CHARS):
        block = result_html(result, PASSAGE_LIMITS[-1], linked=False, title_chars=title_chars)
        if telegram_length(block) <= room:
            return block
    raise AssertionError("the shortest excerpt always fits")  # guaranteed by the caps above


def inline_quote_html(result: Result, before: str = "", *, zone: tzinfo = UTC) -> str:
    """The message an inline result posts: the quote alone, and where it comes from
    (`before`: as `reference_html` takes it). Posted in another chat, with no button to the
    article's card, its reference is all a reader gets: an article with neither date nor link
    is said, as its card says, to come from its file or feed, or to have been added on a day
    (`zone`: TIME_ZONE, for that day)."""
    reference = reference_html(result.article, result.quote, before=before)
    article = result.article
    if not french_date(article.date) and not safe_link(link_of(article)):
        origin = source_name(article.source) or f"ajouté le {day_added(article, zone=zone)}"
        reference += f" — {e(origin)}"
    for limit in PASSAGE_LIMITS:
        quote = shorten(quotation_body(result.quote), limit)  # in guillemets once, even if it is a quotation
        html = f"<blockquote>« <b>{e(quote)}</b> »</blockquote>\n{reference}"
        if fits(html):
            return html
    raise AssertionError("the shortest quote always fits")  # guaranteed by the caps above


def inline_nothing_found_html(question: str) -> str:
    return e(f"Je n'ai rien trouvé dans la bibliothèque sur « {shorten(question, QUESTION_CHARS)} ».")


def nothing_found_html(question: str | None = None, said: str = NOTHING_FOUND) -> str:
    """`question`: named above, when the message asked several; `said`: why nothing is
    quoted (nothing found, or "La suite ?" with nothing to read: `bot.replies.answers.declined_reply`)."""
    found_nothing = e(said)
    return f"🔎 <b>{e(shorten(question, QUESTION_CHARS))}</b>\n{found_nothing}" if question else found_nothing


def details_html(answer: Answer, *, zone: tzinfo) -> list[str]:
    """An answer to a question on its articles' details ("Qui a écrit l'article ?"): under the
    question, for each article the detail asked for, then its card; as many messages as the
    cards need (five articles with long links do not fit one). `zone`: TIME_ZONE."""
    question = f"🔎 <b>{e(shorten(answer.question, QUESTION_CHARS))}</b>"
    if not answer.found or answer.detail is None:
        return [f"{question}\n{e(which_article(answer))}"]
    messages = [question]
    for card in (detail_card_html(a, answer.detail, zone=zone) for a in answered_articles(answer)):
        joined = f"{messages[-1]}\n\n{card}"
        if fits(joined):
            messages[-1] = joined
        else:
            messages.append(card)
    return messages


def detail_card_html(article: ArticleRow, detail: Detail, *, zone: tzinfo) -> str:
    """The detail of `article` asked for, said in a sentence, above the article's card; the
    card alone when both would not fit a message (a title of a thousand "&", escaped).
    `zone`: TIME_ZONE."""
    card = article_card_html(article, zone=zone)
    html = f"{e(detail_sentence(article, detail, zone=zone))}\n\n{card}"
    return html if fits(html) else card


def empty_library_html() -> str:
    return EMPTY_LIBRARY


def article_card_html(article: ArticleRow, *, zone: tzinfo) -> str:
    """An article's card for chat users (`bot.replies.cards.card_fields`): its link linked, long
    fields shortened; the day it was added as `zone` (TIME_ZONE) reads it."""
    lines = [f"<b>{e(title_of(article))}</b>"]
    for label, value in card_fields(article):
        href = safe_link(value) if label == "Source" else None
        shown = e(shorten(value, FIELD_CHARS))
        lines.append(f'{label} : <a href="{href}">{shown}</a>' if href else f"{label} : {shown}")
    lines.append(e(card_footer(article, zone=zone)))
    return "\n".join(lines)


def ingest_html(status: str, article: ArticleRow, *, text_differs: bool = False) -> str:
    """An ingest's outcome; `text_differs`: a duplicate whose stored text is another version."""
    date = french_date(article.date)
    what = f"« {e(title_of(article))} »" + (f" ({e(date)})" if date else "")
    if status == "duplicate":
        line = f"Cet article est déjà dans la bibliothèque : {what}, article {article.id}."
        if text_differs:
            replacing = (
                "Pour garder plutôt celui-ci, un administrateur supprime d'abord l'article "
                f"(/delete {article.id}), puis il est renvoyé."
            )
            line += "\n" + e(other_version(replacing))
        return line
    return f"✅ Ajouté : {what}\n{passages(article.passages)}, article {article.id}."


def deleted_html(article: ArticleRow) -> str:
    return f"🗑 Supprimé : « {e(title_of(article))} », article {article.id}."


def delete_question_html(article: ArticleRow, *, zone: tzinfo) -> str:
    """What /delete ID asks before deleting: the article's card, for the admin to recognise it."""
    return f"<b>Supprimer cet article ?</b> Ce sera définitif.\n\n{article_card_html(article, zone=zone)}"


def no_admin_yet_html(user_id: int) -> str:
    return (
        "Cette commande est réservée aux administrateurs, et ce bot n'en a pas encore. Si c'est le vôtre, "
        f"ajoutez votre identifiant Telegram, <code>{user_id}</code>, à <code>ADMIN_USER_IDS</code> "
        "(environnement ou fichier .env), puis redémarrez-le."
    )


def kept_html(article_id: int) -> str:
    return f"Suppression annulée : l'article {article_id} reste dans la bibliothèque."


def articles_page_html(articles: list[ArticleRow], page: int, total: int, per_page: int) -> str:
    if not articles:
        return empty_library_html()
    pages = max((total + per_page - 1) // per_page, 1)
    return articles_list_html(f"<b>Articles</b> ({french(total)}) — page {page + 1}/{french(pages)}", articles)


def articles_found_html(words: str, found: list[ArticleRow], shown: int) -> str:
    """/articles WORDS: the first `shown` articles `found`, and how many more there are."""
    if not found:
        return e(no_article_matching(shorten(words, QUESTION_CHARS)))
    head = f"<b>Articles</b> contenant « {e(shorten(words, QUESTION_CHARS))} » ({french(len(found))})"
    more = f"… et {french(len(found) - shown)} de plus : précisez la recherche." if len(found) > shown else ""
    return articles_list_html(head, found[:shown], more)


def articles_list_html(head: str, articles: list[ArticleRow], tail: str = "") -> str:
    """`head`, a line for each article (its id, title and date) and `tail`, within one message."""
    lines = [head]
    room = (MESSAGE_LIMIT - telegram_length(head) - telegram_length(tail) - 1) // max(len(articles), 1) - 1
    for article in articles:
        date = french_date(article.date)
        suffix = f" ({e(date)})" if date else ""
        for limit in (TITLE_CHARS, 80, 20):  # shorter for titles made of characters that escape long
            line = f"<code>{article.id}</code> {e(title_of(article, limit))}{suffix}"
            if telegram_length(line) <= room:
                break
        lines.append(line)
    return "\n".join([*lines, tail] if tail else lines)


def stats_html(stats: LibraryStats) -> str:
    return (
        f"<b>Bibliothèque</b>\nArticles : {french(stats.articles)}\nPassages : {french(stats.passages)}\n"
        f"Modèle : {e(shorten(stats.model, FIELD_CHARS))} (dimension {stats.dimension})\n"
        f"Place occupée : {french(stats.index_bytes / 1_000_000, 1)} Mo"
    )


def feedback_html(counts: dict[str, int], rejected: list[Vote]) -> str:
    """/feedback: how answers were judged, and the latest 👎 with the quote that was shown
    (as many as fit one message)."""
    head = [
        "<b>Retours des utilisateurs</b>",
        f"👍 {counts['approved']} · 👎 {counts['rejected']} · {INLINE_CHOSEN} : {counts['inline_chosen']}",
    ]
    tail = ["\nExporter : <code>python -m bot feedback export FICHIER</code>"]
    entries = []
    for vote in rejected:
        entry = f"• {e(shorten(vote.question, 150))}"
        if vote.shown:
            entry += f"\n  → « {e(shorten(vote.shown[0].quote, 200))} » ({e(shorten(vote.shown[0].title, 60))})"
        entries.append(entry)
    return fit_list(head, ["\n<b>Derniers 👎</b>", *entries] if entries else [], tail)


def fit_list(head: list[str], entries: list[str], tail: list[str], *, not_shown: int = 0) -> str:
    """Lines of a message within Telegram's limit: the last entries go first, then an
    entry too long alone is dropped, and head and tail always stay (callers keep them short).
    The entries left out (`not_shown` left out already by the caller) are said to be, with
    how many: a list that ends without it reads as the whole list."""
    shown = len(entries)
    while True:  # one entry fewer each time: ends at none at most
        left_out = len(entries) - shown + not_shown
        more = [f"… et {french(left_out)} de plus."] if left_out else []
        text = "\n".join([*head, *entries[:shown], *more, *tail])
        if fits(text) or shown == 0:
            return text
        shown -= 1


def percent(done: int, total: int) -> str:
    """ "42 %", as French writes a share (`typography` keeps its space from breaking)."""
    return f"{round(100 * done / max(total, 1))} %"


def error_html(message: str) -> str:
    return f"⚠️ {e(shorten(message, ERROR_CHARS))}"


def no_such_article_html(article_id: str) -> str:
    return e(f"Aucun article n'a l'identifiant {shorten(article_id, 30)} : /articles les liste avec le leur.")


def ingest_progress_html(done: int, total: int) -> str:
    return f"⏳ Ajout : {french(done)} / {plural(total, 'phrase')} ({percent(done, total)})"


def reindex_progress_html(done: int, total: int) -> str:
    return f"🔄 Reconstruction : {french(done)} / {plural(total, 'phrase')} ({percent(done, total)})"


def reindex_done_html(articles: int, passage_count: int, added_meanwhile: int = 0, deleted_meanwhile: int = 0) -> str:
    text = f"✅ Bibliothèque reconstruite : {plural(articles, 'article')}, {passages(passage_count)}."
    if added_meanwhile or deleted_meanwhile:
        text += (
            "\nLes changements reçus pendant la reconstruction y figurent "
            f"({plural(added_meanwhile, 'ajout')}, {plural(deleted_meanwhile, 'suppression')})."
        )
    return text


def reindex_error_html(reason: str) -> str:
    return error_html(f"Reconstruction impossible : {reason}")


def not_an_address(word: str) -> str:
    """Why one word after /ingest that is no web address ("lemonde", "127.0.0.1:8080/page") is not
    added: a word is no article, and what to send instead (told it held no paragraph, its sender
    would not know that a page's whole address was wanted)."""
    return (
        f"« {shorten(word, 60)} » n'est pas l'adresse d'une page. Envoyez son adresse entière "
        "(https://…), ou le texte de l'article après /ingest"
    )


def ingest_error_html(reason: str, what: str | None = None) -> str:
    """Why an article (`what`, when it must be named: a file among others) was not added."""
    return error_html(f"Je n'ai pas pu ajouter {what or 'cet article'} : {reason}")


def pages_left_out(count: int, most: int) -> str:
    """What a message listing more links than `most` (the pages added from one message) is told
    of the `count` others: not added, and how to have them added."""
    if count == 1:
        return f"⚠️ Le dernier lien n'a pas été ajouté : j'ajoute {most} pages au plus par message. Renvoyez-le."
    return (
        f"⚠️ Les {french(count)} derniers liens n'ont pas été ajoutés : j'ajoute {most} pages au plus par message. "
        "Renvoyez-les dans un autre message."
    )


def failure_note_html(error: BaseException, secret: str = "") -> str:
    """The short note admins get when a handler fails (the traceback is in the log; once per
    outage for a database out of reach, `errors.report_library_outage`), `secret`
    (the bot's token, which an error may quote in a Bot API address) written "<token>"."""
    if no_space_left(error):  # the admins' to free, not a fault to debug
        said = (
            f"Plus de place sur le disque de la bibliothèque ({error}) : les ajouts échouent jusqu'à ce que "
            "vous en libériez ; ce qui a été enregistré reste."
        )
    elif database_unavailable(error):  # not a fault to debug either: a database to bring back
        said = (
            f"Bibliothèque injoignable ({type(error).__name__}: {error}) : les utilisateurs sont invités à "
            "réessayer dans quelques minutes ; vous serez prévenus quand elle répondra de nouveau."
        )
    else:
        said = f"Erreur dans le bot : {type(error).__name__}: {error}"
    return error_html(said.replace(secret, "<token>") if secret else said)

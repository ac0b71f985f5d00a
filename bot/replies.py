"""French replies in plain text (console and CLI), article cards and details, and JSON shapes for `--json`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, tzinfo
from pathlib import PurePath
from urllib.parse import quote as quote_url
from urllib.parse import urlsplit

from bot.native_libraries import Computing
from bot.small_talk import reads_as_english
from index.article_questions import Detail
from index.cleaning import ENTRY_TIME
from index.library import Answer, LibraryStats, Result
from index.numbers import french
from index.store import ArticleRow

NOTHING_FOUND = (
    "Je n'ai rien trouvé sur ce sujet dans la bibliothèque. "
    "Essayez de reformuler la question, ou ajoutez un article qui en parle avec /ingest."
)
EMPTY_LIBRARY = (
    "La bibliothèque est vide. Ajoutez un premier article avec /ingest suivi d'une URL, "
    "d'un chemin de fichier ou du texte de l'article."
)
# The same, said by the one-shot commands (`python -m bot ask`, `articles`), where /ingest is
# not a command the reader can type.
NOTHING_FOUND_COMMAND_LINE = (
    "Je n'ai rien trouvé sur ce sujet dans la bibliothèque. Essayez de reformuler la question, "
    "ou ajoutez un article qui en parle avec python -m bot ingest."
)
EMPTY_LIBRARY_COMMAND_LINE = (
    "La bibliothèque est vide. Ajoutez un premier article avec python -m bot ingest suivi d'un "
    "fichier, d'un dossier ou d'une URL (- pour le texte de l'entrée standard)."
)
NO_QUESTION = (
    "Je ne vois pas de question dans ce message : posez-la avec des mots, "
    "par exemple « Qui est le secrétaire général de l'OTAN ? »."
)
PASTED_ARTICLE = (
    "Ce texte ressemble à un article plutôt qu'à une question : pour l'ajouter, tapez /ingest suivi "
    "du texte ; pour poser une question, écrivez-la en une phrase."
)
BARE_LINK = (
    "Pour ajouter cette page à la bibliothèque, envoyez /ingest suivi de son adresse ; pour poser "
    "une question sur ce qu'elle dit, écrivez-la en une phrase."
)
WHICH_ARTICLE = (
    "De quel article ? Nommez son sujet (par exemple « Qui a écrit l'article sur le castor ? »), "
    "ou posez d'abord une question sur ce sujet, puis redemandez."
)
# "La suite ?" with no quote to read on from, and at the end of the article read.
NOTHING_TO_READ_ON = (
    "Je ne sais pas quelle lecture poursuivre : posez d'abord une question, puis demandez « La suite ? » "
    "pour lire ce que l'article dit après la citation."
)
# A question in English that found nothing (`bot.small_talk.reads_as_english`).
IN_ENGLISH = (
    "Je n'ai rien trouvé : je ne comprends que les questions en français, la langue des articles. "
    "Posez-la en français. (I only understand questions in French.)"
)
# Under the uncertainty of an answer to a question in English (`suggests_french`): the same
# question in French, the articles' language, is likelier to be answered surely.
ASK_IN_FRENCH = (
    "Les articles sont en français : posez la question en français pour une réponse plus sûre. "
    "(Ask in French for better answers.)"
)
# After a follow-up whose own words its article does not hold ("Et en 2020 ?").
ASK_IT_WHOLE = "Posez la question en entier pour chercher dans toute la bibliothèque."
END_OF_ARTICLE = "C'est tout : l'article s'arrête là. Posez une autre question pour en savoir plus."
# "La suite ?" after a quote whose article was deleted since.
READ_ON_GONE = (
    "L'article que je citais a été retiré de la bibliothèque depuis : je ne peux plus en lire la suite. "
    "Posez une autre question."
)
# Said before an answer less likely to answer than SURE_ANSWER_THRESHOLD: on the development
# questions, most such answers are to questions the library cannot answer (README, "How it
# works", step 8).
UNSURE = "(réponse incertaine : voici les passages les plus proches de la question, qui n'y répondent peut-être pas)"
# /feedback and `python -m bot feedback`: quotes users posted from inline mode (`@bot question`).
INLINE_CHOSEN = "citations publiées dans d'autres conversations"
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def shorten(text: str, limit: int) -> str:
    """Plain `text` cut to `limit` characters, at a word boundary when one is near, with …"""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 passage`, `0 passage`, `4 passages`, `1 234 passages`: French uses the singular below
    two, and separates thousands (`index.numbers.french`)."""
    return f"{french(count)} {singular if abs(count) < 2 else plural_form or singular + 's'}"


def passages(count: int) -> str:
    return plural(count, "passage")


def left_aside(count: int) -> str:
    """A feed's older entries its first poll does not add, as the bot and the command line say it."""
    return plural(count, "plus ancien laissé de côté", "plus anciens laissés de côté")


def every(minutes: float) -> str:
    """How often a feed is polled, as French says it: "toutes les minutes", "toutes les 30
    minutes", "toutes les heures", "toutes les 2 heures", "tous les jours", "tous les 7 jours"
    (never "toutes les 1 heure"); a part of a minute in seconds, as a clock reads it: "toutes
    les 90 secondes" (never "toutes les 1,5 minute"), "toutes les 2 minutes 30"; below a
    minute (tests), seconds."""
    seconds = max(round(minutes * 60), 1)
    if seconds % 86400 == 0:
        days = seconds // 86400
        return "tous les jours" if days == 1 else f"tous les {plural(days, 'jour')}"
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return "toutes les heures" if hours == 1 else f"toutes les {plural(hours, 'heure')}"
    if seconds == 1:
        return "toutes les secondes"
    if seconds < 120 and seconds % 60:  # "toutes les 1 minute 30" reads wrong
        return f"toutes les {plural(seconds, 'seconde')}"
    whole, rest = divmod(seconds, 60)
    if rest:
        return f"toutes les {plural(whole, 'minute')} {rest:02d}"
    return "toutes les minutes" if whole == 1 else f"toutes les {plural(whole, 'minute')}"


def french_date(iso: str | None) -> str | None:
    """`2023-02` -> `février 2023`, `2023-02-14` -> `14 février 2023`."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        day = int(parts[2]) if len(parts) == 3 else None
    except (ValueError, IndexError):
        return iso
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):  # "2023-00" is no December
        return iso
    if day is not None:
        return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"
    return f"{MONTHS[month - 1]} {year}"


def link_of(article: ArticleRow) -> str | None:
    return article.url or (article.source if article.source and "://" in article.source else None)


# A quote longer than this many words, or of more than one paragraph, is linked by its first
# and last words (textStart, textEnd), which browsers match as a range: the link stays short
# whatever the quote.
FRAGMENT_WORDS = 8
FRAGMENT_EDGE_WORDS = 4
# What opens a paragraph of the text read but not of the page's: a list item's mark (the
# extractor writes a page's <li> as "- …") and a live report's entry time ("16h45 – …",
# `index.cleaning.ENTRY_TIME`), which the page shows apart.
_NOT_ON_PAGE = re.compile(rf"{ENTRY_TIME.pattern}|^[-–—•·*]\s")
# What ends a paragraph of the text read but is another block of the page: an embedded tweet's
# signature, "— Name (@handle) March 16, 2020" under the tweet's words, which the reading joins
# to them as "… — Name" (`index.cleaning`). Recognised by the em dash of Twitter's embed code
# and a name of at most 50 characters (Twitter's limit) with no parenthesis, dash or closing
# punctuation: a French incise that ends a paragraph ends with a sentence's punctuation. Left
# out of the quote's terms as an entry time is; a sentence mistaken for one only ends the
# highlight a few words early.
_SIGNATURE = re.compile(r"(?<=\S)\s+—\s*[^\s()—][^()—]{0,49}(?<![\s.!?…»\"”])$")
# A browser's search ignores case, and Chrome's also accents and the kind of apostrophe
# ("find in page"): our checks of where a term occurs ignore them all, so that a term is
# never taken for unique where a browser would find it earlier (at worst, a word longer).
_APOSTROPHES = re.compile("[’‘ʼ]")
# The combining marks a decomposed letter's accents are (Unicode's combining blocks): removed
# by one substitution, ten times faster than asking `unicodedata.combining` of each character.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def quote_link(url: str, quote: str, before: str = "") -> str:
    """`url` with a text fragment (`#:~:text=…`): browsers that support it scroll to the
    quote and highlight it; others open the page as usual. Each term is percent-encoded,
    `-`, `,` and `&` included, since they are the directive's own syntax. A browser matches
    each term within one block of the page (WICG Text Fragments, "find a range from a text
    directive"): a quote of several paragraphs is linked by the first words of its first and
    the last words of its last, never by words on both sides of a paragraph's end.

    `before`: what the page shows above the quote, as far as we know it (the article's title
    and text up to the quote: `quote_context`). A browser highlights from the FIRST place on
    the page where the start term occurs: when the quote's first words are also said earlier
    (a standfirst that repeats the sentence, "le règlement de la Ville" twice), the start term
    takes more of the quote's first paragraph, word by word, until it occurs nowhere before
    the quote; the end term grows backwards alike, until the first place it occurs after the
    start is the quote's end. That uses only the quote's own words, which must be on the page
    for any link to work, and a longer term is read by every browser that reads fragments.
    Only when the quote's words cannot tell it apart (a short quote, linked whole, or a first
    paragraph said whole before) is context added, the spec's `prefix-,`: the words just
    before the quote, in the block it continues or else the one above. A browser takes a
    prefix only if nothing but spaces and a paragraph's end lies between it and the quote on
    the page: what our reading left out there (a caption, a "Lire aussi") makes the browser
    highlight nothing, which is better than highlighting the wrong place; so the prefix is a
    last resort, and as short as will do. When nothing tells the quote apart, the link is
    its first and last words, as without `before`."""
    paragraphs = _page_paragraphs(quote)
    if not paragraphs:
        return url
    above = _page_paragraphs(before)
    continued = bool(above) and not before.rstrip(" \t\u00a0").endswith("\n")  # the quote starts mid-paragraph
    # A prefix is taken from the block above only if the page shows nothing between: not
    # above a live report's entry, whose time the page shows before it.
    apart = not continued and ENTRY_TIME.match(quote.strip()) is not None
    prefix, start, end = _Page(above, paragraphs, continued, apart).directive(paragraphs)
    terms = [_fragment_term(" ".join(prefix)) + "-"] if prefix else []
    terms += [_fragment_term(" ".join(words)) for words in (start, end) if words]
    base, _, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0]  # a link that already had a directive gets ours instead
    return f"{base}#{fragment}:~:text={','.join(terms)}"


def quote_context(result: Result, before_passages: Mapping[int, str]) -> str:
    """What the page of `result`'s article shows above its quote, for `quote_link`: the
    article's title (the page's heading), its text before the passage (`before_passages`, by
    passage id: `Library.texts_before`; nothing for an article deleted since) and the
    passage's before the quote."""
    before_passage = before_passages.get(result.passage_id, "")
    return f"{result.article.title}\n\n{before_passage}{result.passage[: result.quote_start]}"


def _page_paragraphs(text: str) -> list[list[str]]:
    """The words of each paragraph of `text` as the page shows them: without what the
    reading added before a paragraph (`_NOT_ON_PAGE`) or after it (`_SIGNATURE`)."""
    lines = (_NOT_ON_PAGE.sub("", line.strip()) for line in text.split("\n"))
    return [words for line in lines if (words := _SIGNATURE.sub("", line).split())]


class _Page:
    """The text a browser searches for a quote's terms, as far as we know it: the blocks
    above the quote, then the quote's, one a line (a term never spans two), folded as the
    browser's search compares (`_fold`)."""

    def __init__(self, above: list[list[str]], quote: list[list[str]], continued: bool, apart: bool) -> None:
        """`continued`: the quote starts inside the last block `above`; `apart`: the page
        shows something between the block above and the quote (no prefix from it)."""
        head = _fold("\n".join(" ".join(words) for words in above) + (" " if continued else "\n")) if above else ""
        self.text = head + _fold("\n".join(" ".join(words) for words in quote))
        self.at = len(head)  # where the quote starts
        # What a prefix may take: the words before the quote in its block, or the block above.
        self.context = above[-1] if above and not apart else []

    def directive(self, quote: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
        """The words of the link's prefix, start and end terms (each may be empty but the
        start): see `quote_link`."""
        first, last, alone = quote[0], quote[-1], len(quote) == 1
        if alone and len(first) <= FRAGMENT_WORDS:  # linked whole
            for taken in range(len(self.context) + 1):
                prefix = self.context[len(self.context) - taken :]
                if self._start_end(prefix, first) is not None:
                    return prefix, first, []
            return [], first, []
        edge = FRAGMENT_EDGE_WORDS
        # The quote's own words first: from the fewest first words found first at its start.
        unique = _fewest(min(edge, len(first)), len(first), lambda n: self._start_end([], first[:n]) is not None)
        if unique is not None and not alone:  # the end term is found sooner the later it starts
            ending = _fewest(unique, len(first), lambda n: bool(self._ending(first[:n], last)))
            if ending is not None:
                return [], first[:ending], self._ending(first[:ending], last)
        for count in range(unique or len(first) + 1, len(first) + 1) if alone else ():
            if count == len(first):
                return [], first, []  # unique only whole: linked whole
            if end := self._ending(first[:count], last[count:]):
                return [], first[:count], end
        start = first[:edge]
        for taken in range(1, len(self.context) + 1):
            prefix = self.context[len(self.context) - taken :]
            after = self._start_end(prefix, start)
            if after is not None and (end := self._end(after, last[len(start) :] if alone else last)):
                return prefix, start, end
        return [], start, last[-edge:]

    def _start_end(self, prefix: list[str], start: list[str]) -> int | None:
        """Where the browser's first match of `start` (right after `prefix`) ends, if it is the
        quote's start; None if it is elsewhere."""
        term = _fold(" ".join(start))
        if not prefix:
            found = _first_match(self.text, term)
            return found + len(term) if found == self.at else None
        # Only spaces, or a block's end, between (the spec's "next non-whitespace position").
        before = _fold(" ".join(prefix))
        found = _first_match(self.text, before, bounded_end=False)
        while found != -1:
            at = found + len(before) + 1
            if self.text[at - 1 : at] in (" ", "\n") and _matches_at(self.text, term, at):
                return at + len(term) if at == self.at else None
            found = _first_match(self.text, before, found + 1, bounded_end=False)
        return None

    def _ending(self, start: list[str], words: list[str]) -> list[str]:
        """The end term (`_end`) after the start term `start`, found first at the quote's start."""
        after = self._start_end([], start)
        return self._end(after, words) if after is not None else []

    def _end(self, after: int, words: list[str]) -> list[str]:
        """The fewest last `words` (`FRAGMENT_EDGE_WORDS` at least) that the browser, searching
        from `after`, finds first at the quote's end; [] when none does.

        Found by halving: when some last words are found first at the end, so are any more of
        them (an earlier place holding more would hold those too). A quote of hundreds of words
        said again and again ("le chat le chat…") was tried word by word, each a pattern
        compiled, for a third of a second; hypothesis found quotes that took minutes."""
        low = min(FRAGMENT_EDGE_WORDS, len(words))
        if not low or not self._found_first_at_end(after, words):
            return []
        high = len(words)  # found first at the end: the answer is at most this many
        while low < high:
            middle = (low + high) // 2
            if self._found_first_at_end(after, words[-middle:]):
                high = middle
            else:
                low = middle + 1
        return words[-high:]

    def _found_first_at_end(self, after: int, words: list[str]) -> bool:
        term = _fold(" ".join(words))
        return _first_match(self.text, term, after) == len(self.text) - len(term)


def _fewest(low: int, high: int, holds: Callable[[int], bool]) -> int | None:
    """The least count in `low`..`high` for which `holds`, which holds for every count above
    one it holds for (a term found first at the quote holds more of it: an earlier place
    holding more would hold the fewer words too); None if it holds for none."""
    if low > high or not holds(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if holds(middle):
            high = middle
        else:
            low = middle + 1
    return high


def _first_match(text: str, term: str, start: int = 0, *, bounded_end: bool = True) -> int:
    """Where the browser's first match of the folded `term` in `text` from `start` begins, or
    -1: starting (and, `bounded_end`, ending) at a word's boundary (the spec's "word start/end
    bounded"; what is before `start` still tells a boundary, as a browser reads on)."""
    found = text.find(term, start)
    while found != -1 and not _matches_at(text, term, found, bounded_end=bounded_end):
        found = text.find(term, found + 1)
    return found


def _matches_at(text: str, term: str, at: int, *, bounded_end: bool = True) -> bool:
    """Whether `term` is in `text` at `at`, at a word's boundary (and ends at one, `bounded_end`)."""
    if not text.startswith(term, at):
        return False
    if not term:
        return True
    end = at + len(term)
    if _is_word(term[0]) and at > 0 and _is_word(text[at - 1]):
        return False
    return not (bounded_end and _is_word(term[-1]) and end < len(text) and _is_word(text[end]))


def _is_word(character: str) -> bool:
    """A character of a word, as regular expressions' `\\w` reads it."""
    return character.isalnum() or character == "_"


def _fold(text: str) -> str:
    """`text` as a browser's search compares it (`_APOSTROPHES`): without case or accents."""
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", _APOSTROPHES.sub("'", text).casefold()))


def _fragment_term(text: str) -> str:
    return quote_url(text, safe="").replace("-", "%2D")


def reference(article: ArticleRow) -> str:
    """`« Title », février 2023 — https://…`"""
    parts = [f"« {article.title} »"]
    if date := french_date(article.date):
        parts.append(date)
    line = ", ".join(parts)
    if link := link_of(article):
        line += f" — {link}"
    return line


def quotation_body(text: str) -> str:
    """`text` without its outer guillemets when it is one quotation from end to end (a quote
    of someone's words, « … »), so that showing it in guillemets does not double them;
    otherwise `text` as it is ("« Il faut aller vite », a-t-il dit." keeps its own)."""
    stripped = text.strip()
    if not (stripped.startswith("«") and stripped.endswith("»")):
        return text
    depth = 0
    for position, character in enumerate(stripped):
        depth += (character == "«") - (character == "»")
        if depth == 0 and position < len(stripped) - 1:  # the first quotation closes before the end
            return text
    return stripped[1:-1].strip() if depth == 0 else text


def in_guillemets(text: str) -> str:
    """`« text »`, its own outer guillemets not doubled (`quotation_body`)."""
    return f"« {quotation_body(text)} »"


def format_result(result: Result) -> str:
    return f"{in_guillemets(result.quote)}\n    — {reference(result.article)} [article {result.article.id}]"


def is_unsure(answer: Answer, sure_from: float) -> bool:
    """Whether `answer` is shown as the closest passages rather than as an answer: found, but
    less likely than `sure_from` (SURE_ANSWER_THRESHOLD) to answer."""
    return answer.found and answer.relevance < sure_from


def suggests_french(answer: Answer, sure_from: float) -> bool:
    """Whether `answer` is told, in one line, that asked in French its question would find
    better: an uncertain answer (`is_unsure`) to a question in English (`reads_as_english`).
    A declined one says it instead of "rien trouvé" (`IN_ENGLISH`); a sure one needs nothing
    more. Each place that shows answers says it in its own way: the console and the command
    line, Telegram's chats, inline mode."""
    return is_unsure(answer, sure_from) and reads_as_english(answer.question)


def respelled_note(answer: Answer) -> str:
    """Which words of the question were read as others (`Answer.respelled`): « lu « Stutthof »
    pour « Strutthof » »."""
    return "lu " + ", ".join(f"« {read} » pour « {typed} »" for typed, read in answer.respelled)


def format_answer(
    answer: Answer,
    *,
    shown: int = 3,
    empty_library: bool = False,
    sure_from: float,
    command_line: bool = False,
    zone: tzinfo,
) -> str:
    """`command_line`: for a one-shot command, whose reader adds articles with `python -m bot
    ingest` rather than /ingest; `zone`: TIME_ZONE, for the days shown."""
    if empty_library:
        return EMPTY_LIBRARY_COMMAND_LINE if command_line else EMPTY_LIBRARY
    if answer.detail is not None:
        return format_details(answered_articles(answer), answer.detail, zone=zone) if answer.found else WHICH_ARTICLE
    if not answer.found:
        return declined_reply(answer) or (NOTHING_FOUND_COMMAND_LINE if command_line else NOTHING_FOUND)
    lines = []
    if answer.follows and answer.topic is not None:  # say what it was read with
        lines.append(f"(suite de « {answer.topic.question} »)")
    if answer.respelled:
        lines.append(f"({respelled_note(answer)})")
    if is_unsure(answer, sure_from):
        lines.append(UNSURE)
    if suggests_french(answer, sure_from):
        lines.append(f"({ASK_IN_FRENCH})")
    return "\n".join([*lines, "\n\n".join(format_result(r) for r in answer.results[:shown])])


def declined_reply(answer: Answer) -> str | None:
    """Why a declined answer quotes nothing, when more is known than that nothing answers:
    "La suite ?" at the end of the article or with no quote to read on from, a follow-up whose
    own numbers or names its articles do not hold ("Et en 2020 ?"), or that its articles do not
    answer; None otherwise."""
    meant = set(answer.topic.articles) if answer.topic else set()
    if answer.unheld:
        named = " ni ".join(in_guillemets(shorten(word, SENTENCE_FIELD_CHARS)) for word in answer.unheld)
        if not meant:  # its topic was declined: it was searched in the whole library
            return f"Je n'ai rien trouvé sur {named} dans la bibliothèque."
        return f"Je n'ai rien trouvé sur {named} dans {_searched_in(answer, meant)}. {ASK_IT_WHOLE}"
    if answer.read_on:
        return {"end": END_OF_ARTICLE, "gone": READ_ON_GONE, "nowhere": NOTHING_TO_READ_ON}.get(answer.read_on)
    if reads_as_english(answer.question):
        return IN_ENGLISH
    if answer.follows and meant:
        # Read in its topic's article only ("Elle enseigne quoi ?"): "rien trouvé dans la
        # bibliothèque" would be untrue, and would not say that asking it whole searches more.
        return f"Je n'ai rien trouvé qui y réponde dans {_searched_in(answer, meant)}. {ASK_IT_WHOLE}"
    return None


def _searched_in(answer: Answer, meant: set[int]) -> str:
    """The article a follow-up was read in, named by its title when one of its passages was
    weighed, or "les articles de cette conversation" when it was read in several."""
    if len(meant) > 1:
        return "les articles de cette conversation"
    titles = [a.title for a in answered_articles(answer) if a.id in meant]
    return f"l'article {in_guillemets(shorten(titles[0], SENTENCE_FIELD_CHARS))}" if titles else "l'article cité"


def answered_articles(answer: Answer) -> list[ArticleRow]:
    """The articles of `answer`'s results, each once, in their order."""
    return list({r.article.id: r.article for r in answer.results}.values())


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
    feed that carried it (`FEED_SOURCE`), named so: "flux « Brèves »"."""
    if not source:
        return None
    if feed := feed_named(source):
        return f"flux « {feed} »"
    return PurePath(source.removeprefix("telegram:")).name or None


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


def answer_json(answer: Answer, sure_from: float, before_passages: Mapping[int, str] | None = None) -> dict:
    """`ask --json`'s object for `answer`; `before_passages`: each passage's article before
    it (`Library.texts_before`), for links that land on the quote (`quote_link`)."""
    return {
        "question": answer.question,
        "found": answer.found,
        "relevance": round(answer.relevance, 4),  # the probability that the first result answers
        "sure": answer.found and not is_unsure(answer, sure_from),
        "detail": answer.detail,  # "date", "author", "source" or "title" when asked for (its card's)
        "read_on": answer.read_on,  # "read", "end", "gone" or "nowhere" for "La suite ?"
        "says_more": answer.says_more,  # whether "La suite ?" would read on after the first quote
        "respelled": [{"typed": typed, "read": read} for typed, read in answer.respelled],  # typos read through
        "results": [
            {
                "rank": r.rank,
                "score": round(r.score, 6),
                "article_id": r.article.id,
                "title": r.article.title,
                "date": r.article.date,
                "source": r.article.source or r.article.url,
                "passage": r.passage,
                "quote": r.quote,
                "link": quote_link(link, r.quote, quote_context(r, before_passages or {}))
                if (link := link_of(r.article))
                else None,
            }
            for r in answer.results
        ],
    }


def article_json(article: ArticleRow) -> dict:
    return {
        "article_id": article.id,
        "title": article.title,
        "date": article.date,
        "author": article.author,
        "url": article.url,
        "source": article.source,
        "passages": article.passages,
        "added_at": article.added_at,
    }


def articles_matching(articles: Sequence[ArticleRow], words: str) -> list[ArticleRow]:
    """The `articles` whose title, link or source (a file's name) holds each of `words`,
    compared without case or accents: how an admin finds an article's id (to delete it) in a
    library of hundreds, by what they remember of it."""
    wanted = _fold(words).split()
    return [a for a in articles if all(w in _fold(f"{a.title} {a.url or ''} {a.source or ''}") for w in wanted)]


def no_article_matching(words: str) -> str:
    return f"Aucun article ne contient « {words} » dans son titre ou son adresse."


def said_yes(answer: str) -> bool:
    """A yes to a question asked at the terminal ("[o/N]": no unless said), in French or English."""
    return answer.strip().casefold() in {"o", "oui", "y", "yes"}


def format_article_line(article: ArticleRow) -> str:
    date = french_date(article.date)
    return f"{article.id:>5}  {article.title}" + (f" ({date})" if date else "") + f" — {passages(article.passages)}"


def format_stats(stats: LibraryStats, computing: Computing) -> str:
    return (
        f"Articles : {french(stats.articles)}\n"
        f"Passages : {french(stats.passages)}\n"
        f"Modèle : {stats.model} (dimension {stats.dimension})\n"
        f"Passages de {stats.max_words} mots au plus\n"
        f"Place occupée : {french(stats.index_bytes / 1_000_000, 1)} Mo ({stats.directory})"
        f"\nCalcul : modèle en {computing.precision or 'précision inconnue'}, "
        f"noyaux BLAS de FAISS {computing.faiss_blas or 'inconnus'}"
    )


def stats_json(stats: LibraryStats, computing: Computing) -> dict:
    return asdict(stats) | {"computing": asdict(computing)}


def format_ingest(outcome_status: str, label: str, article: ArticleRow | None, error: str | None) -> str:
    if outcome_status == "error" or article is None:
        return f"Erreur ({label}) : {error}"
    date = french_date(article.date)
    what = f"« {article.title} »" + (f" ({date})" if date else "")
    if outcome_status == "duplicate":
        return f"Déjà présent : {what}, article {article.id}."
    return f"Ajouté : {what}, {passages(article.passages)}, article {article.id}."

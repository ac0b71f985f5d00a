"""`python -m bot chat`: the library in a terminal, or in a pipe.

A line is a question; `/ingest`, `/ask`, `/articles`, `/stats`, `/help` and `/quit` are
commands, typed as to the bot (`/help@citebot_bot` too). In a terminal, lines pasted
together are one input (an article after `/ingest`), as they are one message to the bot;
when standard input is not a terminal, each line is answered in turn and the chat ends
with the input.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import shlex
import sys
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.chat_input import shared_link, typed, what_is_said
from bot.native_libraries import computing
from bot.replies.answers import BARE_LINK, EMPTY_LIBRARY, NO_QUESTION, PASTED_ARTICLE, format_answer, questions_left
from bot.replies.cards import articles_matching, format_article_line, no_article_matching
from bot.replies.upkeep import format_ingest, format_stats
from bot.replies.wording import passages, plural
from bot.service import ingest_documents, read_input, read_pasted, ready_to_answer_for_long
from bot.settings import Settings
from bot.small_talk import REPLIES
from bot.terminal import open_for_terminal, progress_bar
from index.conversation import Topic
from index.decoding import readable
from index.errors import InputError, LibraryError
from index.library import Library
from index.web_addresses import is_url

SAMPLE_NAME = "otan-bruxelles-2023-02.txt"
# Lines already waiting this soon after one is read in a terminal were pasted with it.
PASTE_GAP_SECONDS = 0.05
MAX_PASTED_READS = 100_000
HELP = """Posez une question en français, par exemple : Qui est le secrétaire général de l'OTAN ?
puis enchaînez sur le même article : Que dit-il de Poutine ?
ou demandez : La suite ? De quoi parle l'article ? Qui a écrit l'article ? Quoi de neuf ?
Commandes :
  /ingest CHEMIN_OU_URL   ajouter un article (texte, page HTML, PDF, Word ou OpenDocument ; dossier ou URL)
  /ingest TEXTE           ajouter le texte collé comme article
  /articles [MOTS]        lister les articles (ceux dont le titre ou l'adresse contient ces mots)
  /stats                  chiffres de la bibliothèque
  /help                   cette aide
  /quit                   quitter"""

# The bot's admin commands the console does not have, and the command line that does it: typed
# here by someone who read the bot's /help, they were "Commande inconnue", with no way named.
ON_THE_COMMAND_LINE = {
    "/delete": ("delete", "ID"),
    "/reindex": ("reindex", ""),
    "/follow": ("follow", "URL"),
    "/unfollow": ("unfollow", "ID_OU_URL"),
    "/feeds": ("feeds", ""),
    "/feedback": ("feedback", ""),
}


def sample_path() -> Path:
    return Path(str(files("bot") / "samples" / SAMPLE_NAME))


# A progress display for a long ingest's stage, named and counted in its unit, entered around
# it (`bot.terminal.progress_bar`).
ProgressDisplay = Callable[[str, str], contextlib.AbstractContextManager[Callable[[int, int], None] | None]]


def no_progress(stage: str, unit: str) -> contextlib.AbstractContextManager[None]:
    """Nothing shown (a pipe, a test)."""
    return contextlib.nullcontext()


def ingest_line(library: Library, argument: str, settings: Settings, progress: ProgressDisplay = no_progress) -> str:
    """`/ingest …` in the console: the articles added, each on its line; `progress` shows the
    work meanwhile (a folder's files read, then every sentence of them read by the model)."""
    argument = argument.strip()
    if not argument:
        return "Utilisation : /ingest suivi d'un chemin, d'une URL ou du texte de l'article."
    if argument == "-":  # the command line's standard input; here it would be the chat's own
        return (
            "« - » (l'entrée standard) ne se lit qu'en ligne de commande : python -m bot ingest - ; "
            "ici, collez le texte de l'article après /ingest, ou donnez un chemin ou une URL."
        )
    # "À lire : https://…", a link ending a sentence: the page it shares, as on Telegram.
    dropped = typed_path(argument)
    target = shared_link(argument) or dropped or argument
    if target.startswith("~"):
        with contextlib.suppress(RuntimeError):  # "~nobody/x.txt": no such user, the path as typed
            target = str(Path(target).expanduser())
    # One word is a path or a URL, never an article: a mistyped path is said to be missing
    # rather than read as a text too short to be one ("-" would read the console's own input).
    one_word = target != "-" and not any(c.isspace() for c in target)
    if is_url(target) or one_word or dropped or _names_a_file(target):
        with progress("Lecture", "fichier") as update:
            labelled = read_input(target, settings, update)
    else:
        try:
            document = read_pasted(argument, settings)
            labelled = [("texte collé", document)]
        except InputError as exc:
            labelled = [("texte collé", exc)]
    with progress("Ajout", "phrase") as update:
        outcomes = ingest_documents(library, labelled, update, article_max_words=settings.article_max_words)
    return "\n".join(
        format_ingest(o.status, o.input, o.article, o.error, text_differs=o.text_differs) for o in outcomes
    )


def typed_path(argument: str) -> str | None:
    """The path a file dropped on the terminal, or copied from a file manager, is typed as:
    quoted ('/home/léa/mon article.txt'), its spaces escaped (mon\\ article.txt) or as a file://
    address. Such a path, taken as it came, was read as a pasted text and refused as one
    with no paragraph ("aucun paragraphe d'article"). None for anything else."""
    if "\n" in argument:  # a pasted article, whose quotes are its own
        return None
    if argument.startswith("file://"):
        return unquote(urlsplit(argument).path) or None
    try:
        words = shlex.split(argument)
    except ValueError:  # an apostrophe left open: words, not a quoted path
        return None
    if len(words) != 1 or words[0] == argument or not words[0].startswith(("/", "~", ".")):
        return None
    return words[0]


def _names_a_file(text: str) -> bool:
    """Whether `text` is the path of something on disk; a pasted text longer than any file
    name ("File name too long") is not."""
    try:
        return Path(text).exists()
    except OSError:
        return False


class Conversation:
    """What the console's conversation is about (`index.conversation`): its last topic and
    when a question last followed it."""

    def __init__(self, follow_up_minutes: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.clock = follow_up_minutes * 60, clock
        self.topic: Topic | None = None
        self.asked = 0.0

    def current(self) -> Topic | None:
        return self.topic if self.seconds > 0 and self.clock() - self.asked <= self.seconds else None

    def follow(self, topic: Topic | None) -> None:
        self.topic, self.asked = topic, self.clock()


def respond(
    library: Library,
    line: str,
    settings: Settings,
    conversation: Conversation | None = None,
    progress: ProgressDisplay = no_progress,
) -> str | None:
    """The reply to one line; None means the user wants to leave. A question may refer back
    to the one before it in `conversation`; `progress` shows a long `/ingest`'s work."""
    command, argument = _command(line)
    match command:
        case "/quit" | "/exit" | "/q":
            return None
        case "/help" | "/start" | "/aide":
            return HELP
        case "/ingest":
            return ingest_line(library, argument, settings, progress)
        case "/ask":  # as typed to the bot in a group
            line = argument
        case "/stats":
            return format_stats(library.stats(), computing(library.embedder))
        case "/articles":  # "/articles castor": those whose title or link holds the words
            articles = library.articles()
            if argument.strip():
                found = articles_matching(articles, argument)
                return "\n".join(map(format_article_line, found)) or no_article_matching(argument)
            return "\n".join(map(format_article_line, articles)) or EMPTY_LIBRARY
        case _ if command in ON_THE_COMMAND_LINE:
            return on_the_command_line(command, argument)
        case _ if command.startswith("/"):
            return f"Commande inconnue : {command}. Tapez /help pour l'aide."
    said = what_is_said(line, may_be_article=True)
    match said.aside:
        case None:
            pass
        case "blank" | "no words":
            return NO_QUESTION
        case "pasted article":
            return PASTED_ARTICLE
        case "link":
            return BARE_LINK
        case "help":
            return HELP
        case talk:
            return REPLIES[talk]
    if len(said.questions) == 1:
        return answer_line(library, said.questions[0], settings, conversation)
    # Several questions in a row: each answered in turn, under its own words.
    answers = [f"❓ {q}\n{answer_line(library, q, settings, conversation)}" for q in said.questions]
    return "\n\n".join([*answers, questions_left(said.left)] if said.left else answers)


def on_the_command_line(command: str, argument: str) -> str:
    """Where the bot's `command` is done from a terminal, with what was typed after it."""
    name, placeholder = ON_THE_COMMAND_LINE[command]
    given = " ".join(argument.split()) or placeholder
    return (
        f"{command} n'est pas une commande de la conversation : dans un autre terminal, "
        f"tapez python -m bot {name}{' ' + given if given else ''}"
    )


def _command(line: str) -> tuple[str, str]:
    """A command as Telegram users type it ("/ingest@citebot_bot texte", "/ask\tquestion"),
    lowercased without its bot's name, and what follows it; ("", line) for anything else.
    Characters no one sees may come before it: a file's byte order mark on the first line of
    a pipe (Windows' editors write one), a zero-width space copied with it; each made the
    command a question."""
    stripped = line.strip()
    slash = stripped.find("/")
    if slash < 0 or typed(stripped[:slash]):
        return "", line
    stripped = stripped[slash:]
    head, *rest = stripped.split(maxsplit=1)
    return head.partition("@")[0].lower(), rest[0] if rest else ""


def answer_line(library: Library, question: str, settings: Settings, conversation: Conversation | None) -> str:
    answer = library.ask(question, top_k=settings.top_k, topic=conversation.current() if conversation else None)
    if conversation is not None:
        conversation.follow(answer.topic)
    return format_answer(
        answer,
        empty_library=not answer.results and library.stats().articles == 0,
        sure_from=settings.sure_answer_threshold,
        zone=settings.zone,
    )


def greeting(articles: int, passage_count: int) -> str:
    """The chat's first line at a terminal: what the library holds, or, empty (`chat` run without
    `--sample`), how to put a first article in it, rather than "0 article" and a prompt."""
    if articles == 0:
        return (
            "La bibliothèque est vide : ajoutez un article avec /ingest suivi d'un chemin, d'une URL ou du texte, "
            "ou relancez avec python -m bot chat --sample pour l'article d'exemple. Tapez /help pour l'aide."
        )
    return f"Bibliothèque : {plural(articles, 'article')}, {passages(passage_count)}. Tapez /help pour l'aide."


def run_console(settings: Settings, *, sample: bool = False) -> int:
    if sys.stdin is None:  # started with standard input closed (`<&-`)
        raise LibraryError("pas d'entrée standard : lancez la conversation dans un terminal ou donnez-lui un fichier")
    interactive = sys.stdin.isatty()
    if interactive:
        # Lines are edited by readline, not by the terminal, whose lines stop at 4,095 bytes:
        # a longer paste after `/ingest` was cut there, and the article stored half.
        import readline  # noqa: F401
    library = open_for_terminal(settings)
    ready_to_answer_for_long(library)
    if sample:
        sample_read = read_input(str(sample_path()), settings)
        outcome = ingest_documents(library, sample_read, article_max_words=settings.article_max_words)[0]
        print(format_ingest(outcome.status, "exemple", outcome.article, outcome.error), file=sys.stderr)
        if outcome.status == "error":  # asked to chat about the sample, which is not there
            library.close()
            return 1
    conversation = Conversation(settings.follow_up_minutes)
    # In a terminal, a bar on stderr while articles are added (nothing in a pipe: the replies alone).
    ingest_progress = progress_bar if interactive else no_progress
    if interactive:
        stats = library.stats()
        print(greeting(stats.articles, stats.passages))
    while True:
        try:
            line = readable(_pasted(input("> ")) if interactive else sys.stdin.readline())
        except EOFError:
            print()
            break
        if not interactive and not line:
            break
        if not line.strip():
            continue
        try:
            reply = respond(library, line, settings, conversation, ingest_progress)
        except LibraryError as exc:
            reply = f"Erreur : {exc}"
        if reply is None:
            break
        print(reply, end="\n\n", flush=True)  # a program reading the replies gets each at once
    library.close()
    return 0


def _pasted(line: str) -> str:
    """`line` with the lines pasted with it: in a terminal, a paste of several lines (an
    article after `/ingest`, a forwarded post) reaches the chat as one input, as it reaches the
    bot in one message; the lines already waiting when it is read are its continuation.

    They are read from the terminal as bytes: a terminal sends a paste's line ends as carriage
    returns, which readline, reading the first line, leaves as they are, and a text reader that
    meets one last waits for what follows it (a line feed would make one line end of the two):
    the chat then hung after a paste until a key was pressed, and the next line typed, a
    question, was stored in the article."""
    fd = sys.stdin.fileno()
    waiting: list[bytes] = []
    for _ in range(MAX_PASTED_READS):
        if not select.select([fd], [], [], PASTE_GAP_SECONDS)[0]:
            break
        more = os.read(fd, 65536)
        if not more:
            break
        waiting.append(more)
    if not waiting:
        return line
    rest = b"".join(waiting).decode(sys.stdin.encoding or "utf-8", "surrogateescape")
    return line + "\n" + re.sub("\r\n?", "\n", rest).removesuffix("\n")

"""`python -m bot …`: the command line of the article library."""

from __future__ import annotations

import argparse
import errno
import importlib
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from bot.cli_parsing import FrenchArgumentParser
from bot.native_libraries import load_faiss
from bot.postgres_refusals import postgres_refusal
from bot.settings import TOP_K_MAX, Settings, settings_errors
from index.errors import LibraryError, ModelUnavailable, PrecisionUnsupported, RebuildNeeded, no_space_left

Command = Callable[[argparse.Namespace, Settings], int]
# Where the commands are, each module imported only when one of its commands runs.
LIBRARY_COMMANDS = "bot.cli_library"
BACKUP_COMMANDS = "bot.cli_backup"
FOLLOW_COMMANDS = "bot.cli_follow"


def command_of(module: str, name: str) -> Command:
    """The command `name` of `module`, which is imported only as the command runs: a command
    loads what it uses and no more. `health`, which Docker runs every 30 s, and `--help` load
    neither the library nor the model's libraries (NumPy, FAISS, OpenVINO…), nor Telegram."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        return getattr(importlib.import_module(module), name)(args, settings)

    return run


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    return run_console(settings, sample=args.sample)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.app import serve

    return serve(settings, webhook=args.webhook)


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """Whether `serve` is alive and working, from its heartbeat alone (a health check's command:
    no model, no library, no Telegram). 0 healthy (serving, or starting with its beats coming:
    `bot.heartbeat.judge`), 1 not, with the reason."""
    from bot.heartbeat import health, heartbeat_file

    token = settings.token
    verdict = health(heartbeat_file(settings.data_dir, token, settings.replica), time.time(), settings.zone)
    print(verdict.said, file=sys.stdout if verdict.healthy else sys.stderr)
    return 0 if verdict.healthy else 1


def top_k_argument(text: str) -> int:
    """`--top-k`: an integer within what the TOP_K setting accepts."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= TOP_K_MAX:
        raise argparse.ArgumentTypeError(f"un entier de 1 à {TOP_K_MAX} est attendu, pas {text!r}")
    return value


def every_argument(text: str) -> float:
    """`--every`: minutes within what `/follow URL MINUTES` accepts."""
    from bot.feeds import POLL_MINUTES_RANGE, poll_minutes  # the feed reader, only for `follow`

    minutes = poll_minutes(text)
    if minutes is None:
        low, high = POLL_MINUTES_RANGE
        raise argparse.ArgumentTypeError(f"un nombre de minutes de {low:g} à {high:g} est attendu, pas {text!r}")
    return minutes


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m bot",
        description="Bibliothèque d'articles : répond aux questions en citant les passages exacts.",
        # Where a newcomer's library went, and what changes it: the first thing `--help` is asked for.
        epilog="Réglages : l'environnement, ou le fichier .env du dossier courant (modèle : .env.example). "
        "La bibliothèque est dans DATA_DIR (par défaut : ./data). Pour commencer : python -m bot chat --sample",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    p = sub.add_parser("ingest", help="ajouter des articles (fichiers, dossiers, URL, '-' pour l'entrée standard)")
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="CHEMIN_OU_URL",
        help="fichier, dossier (ses textes, pages HTML, PDF et documents Word ou OpenDocument, sous-dossiers compris, "
        "sauf les fichiers cachés ; les autres sont laissés de côté), URL http(s), ou - : entrée standard",
    )
    p.add_argument("--json", action="store_true", help="une ligne JSON par article")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_ingest"))

    p = sub.add_parser("ask", help="poser une question")
    p.add_argument("question", nargs="*", metavar="QUESTION", help="la question, entre guillemets ou non")
    p.add_argument(
        "--top-k", type=top_k_argument, metavar="N", help=f"nombre de passages, 1 à {TOP_K_MAX} (par défaut : TOP_K)"
    )
    p.add_argument("--batch", metavar="FICHIER", help="une question par ligne ('-' : entrée standard)")
    p.add_argument("--json", action="store_true", help="un objet JSON par question")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_ask"))

    p = sub.add_parser("chat", help="discuter avec la bibliothèque dans le terminal")
    p.add_argument("--sample", action="store_true", help="ajouter d'abord l'article d'exemple")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("articles", help="lister les articles, ou ceux dont le titre ou l'adresse contient ces mots")
    p.add_argument("words", nargs="*", metavar="MOT", help="des mots du titre ou de l'adresse (sans casse ni accents)")
    p.add_argument("--json", action="store_true", help="la liste en JSON")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_articles"))

    p = sub.add_parser("delete", help="supprimer un article")
    p.add_argument("id", type=int, metavar="ID", help="son identifiant (python -m bot articles les donne)")
    p.add_argument("--yes", action="store_true", help="sans demander de confirmation (dans un terminal)")
    p.add_argument("--json", action="store_true", help="l'article supprimé (ou l'erreur) en JSON")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_delete"))

    p = sub.add_parser(
        "reindex", help="reconstruire la bibliothèque à partir des articles enregistrés, avec les réglages actuels"
    )
    p.add_argument(
        "--json", action="store_true", help="les chiffres de la bibliothèque reconstruite en JSON (comme stats)"
    )
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_reindex"))

    p = sub.add_parser("stats", help="chiffres de la bibliothèque")
    p.add_argument("--json", action="store_true", help="les chiffres en JSON")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_stats"))

    p = sub.add_parser(
        "eval", help="mesurer la recherche sur un fichier de questions (exemple : tests/data/small-library)"
    )
    p.add_argument(
        "questions", metavar="QUESTIONS.jsonl", help="une question JSON par ligne, avec ses réponses attendues"
    )
    p.add_argument("--articles", metavar="ARTICLES.jsonl", help="par défaut : articles.jsonl à côté")
    p.add_argument("--database", metavar="postgresql://…", help="mesurer sur PostgreSQL (une base vide, de travail)")
    p.add_argument("--json", action="store_true", help="le rapport en JSON")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_eval"))

    p = sub.add_parser(
        "eval-extraction", help="mesurer la lecture des pages d'un dossier (exemple : tests/data/news-pages)"
    )
    p.add_argument("folder", metavar="DOSSIER", help="les pages, avec manifest.jsonl et les extraits attendus")
    p.add_argument("--json", action="store_true", help="le rapport en JSON")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_eval_extraction"))

    p = sub.add_parser("follow", help="suivre un flux RSS ou Atom (ou le flux que déclare la page d'un site)")
    p.add_argument("url", metavar="URL", help="l'adresse du flux, ou d'une page qui en déclare un")
    p.add_argument(
        "--every",
        type=every_argument,
        metavar="MINUTES",
        help="intervalle des relevés, de 1 à 10080 minutes (par défaut : FEED_POLL_MINUTES)",
    )
    p.set_defaults(func=command_of(FOLLOW_COMMANDS, "cmd_follow"))

    p = sub.add_parser("unfollow", help="ne plus suivre un flux (ses articles restent)")
    p.add_argument("feed", metavar="ID_OU_URL", help="son identifiant (python -m bot feeds les donne) ou son adresse")
    p.set_defaults(func=command_of(FOLLOW_COMMANDS, "cmd_unfollow"))

    p = sub.add_parser("feeds", help="les flux suivis ; --poll : les relever maintenant")
    p.add_argument(
        "--poll", action="store_true", help="relever chaque flux maintenant et ajouter ses nouveaux articles"
    )
    p.add_argument("--json", action="store_true", help="un objet JSON par flux (et par relevé, avec --poll)")
    p.set_defaults(func=command_of(FOLLOW_COMMANDS, "cmd_feeds"))

    p = sub.add_parser("feedback", help="les 👍/👎 des utilisateurs ; export FICHIER : en jeu d'évaluation")
    p.add_argument(
        "action",
        nargs="?",
        choices=["export"],
        metavar="export",
        help="écrire les réponses approuvées en jeu d'évaluation (sinon, les compter)",
    )
    p.add_argument(
        "file", nargs="?", metavar="FICHIER.jsonl", help="les questions ; articles.jsonl et FICHIER.review.jsonl à côté"
    )
    p.add_argument("--force", action="store_true", help="remplacer les fichiers d'un export précédent")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_feedback"))

    p = sub.add_parser(
        "serve",
        help="lancer le bot Telegram (il demande ses messages à Telegram, ou les reçoit avec --webhook)",
        description="Lance le bot Telegram. Par défaut, il demande ses messages à Telegram et attend "
        "qu'il en arrive (« long polling ») ; avec --webhook, Telegram les lui envoie à WEBHOOK_URL.",
    )
    p.add_argument(
        "--webhook", action="store_true", help="recevoir les messages que Telegram envoie à WEBHOOK_URL (webhook)"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "health",
        help="le bot (serve) fonctionne-t-il ? (code 0 : oui, 1 : non, avec la raison ; pour HEALTHCHECK)",
        description="Lit le battement que « serve » écrit dans DATA_DIR toutes les HEARTBEAT_SECONDS : "
        "sans charger le modèle ni ouvrir la bibliothèque.",
    )
    p.set_defaults(func=cmd_health)

    p = sub.add_parser("migrate", help="copier la bibliothèque intégrée dans PostgreSQL (sans recalculer)")
    p.add_argument("--to", required=True, metavar="postgresql://…", help="la base de destination (avec pgvector)")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_migrate"))

    p = sub.add_parser(
        "backup", help="sauvegarder la bibliothèque et l'état du bot dans un dossier (même bot en marche)"
    )
    p.add_argument(
        "destination", metavar="DOSSIER", help="où écrire library.sqlite3 et bot.sqlite3 (pas dans DATA_DIR/index)"
    )
    p.add_argument("--force", action="store_true", help="remplacer une sauvegarde déjà dans le dossier")
    p.add_argument("--json", action="store_true", help="ce qui a été copié, en JSON")
    p.set_defaults(func=command_of(BACKUP_COMMANDS, "cmd_backup"))

    p = sub.add_parser("restore", help="remettre une sauvegarde en place (le bot arrêté)")
    p.add_argument("source", metavar="DOSSIER", help="le dossier écrit par python -m bot backup")
    p.set_defaults(func=command_of(BACKUP_COMMANDS, "cmd_restore"))

    p = sub.add_parser("prepare-model", help="préparer le modèle de langue hors ligne (une fois)")
    p.set_defaults(func=command_of(LIBRARY_COMMANDS, "cmd_prepare_model"))

    return parser


# What to do when the disk is full: nothing stored is lost (a write that did not fit is undone
# whole), so only what was not said to be added must be tried again.
SPACE_REMEDY = (
    "libérez de la place puis relancez ; ce qui a été enregistré avant reste dans la bibliothèque "
    "(une ingestion relancée signale comme « déjà présent » ce qui l'est)"
)


def system_error(exc: OSError) -> str:
    """What the system refused, in French, with the path it concerns (Python's own message is
    in English: "[Errno 2] No such file or directory")."""
    where = f" : {exc.filename}" if exc.filename else ""
    if isinstance(exc, FileNotFoundError):
        return f"introuvable{where}"
    if isinstance(exc, IsADirectoryError):
        return f"c'est un dossier, pas un fichier{where}"
    if isinstance(exc, NotADirectoryError):
        return f"un élément du chemin n'est pas un dossier{where}"
    if isinstance(exc, PermissionError):
        return f"permission refusée{where}"
    if isinstance(exc, FileExistsError):  # a folder was to be made where a file is (DATA_DIR)
        kind = "c'est un fichier, pas un dossier" if exc.filename and os.path.isfile(exc.filename) else "existe déjà"
        return f"{kind}{where}"
    if exc.errno == errno.ENOSPC:
        return f"plus de place sur le disque{where} : {SPACE_REMEDY}"
    if exc.errno == errno.EROFS:
        return f"système de fichiers en lecture seule{where}"
    return f"le système a refusé l'opération ({exc.strerror or exc}){where}"


# apscheduler (PTB's JobQueue) says each job's every run at INFO: the feeds' two a minute.
# faiss.loader says at INFO each of its builds this CPU does not load, a ModuleNotFoundError
# each: ten lines that read like a failure at every start of `serve` (`stats` names the kernels).
_NOISY_LOGGERS = ("httpx", "sentence_transformers", "transformers", "apscheduler", "faiss")
# Their warnings are about the page ("discarding data: None"), which the French message that
# follows says better; LOG_LEVEL=DEBUG shows them.
_EXTRACTOR_LOGGERS = ("trafilatura", "htmldate")
# Every logger `configure_logging` sets the level of ("": the root's), for whoever has to put
# them back: a test running commands in its own process.
CONFIGURED_LOGGERS = ("", *_NOISY_LOGGERS, *_EXTRACTOR_LOGGERS)


def configure_logging(log_level: str, command: str) -> None:
    """The process's log for `command`: LOG_LEVEL (`log_level`) is the bot's log (`serve`); the
    commands a person runs at a terminal say only warnings and errors beside their output (a
    chat's prompt stays clean), unless DEBUG."""
    level = logging.getLevelName(log_level)
    if command != "serve" and level > logging.DEBUG:
        level = max(level, logging.WARNING)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    root_level = logging.getLogger().level
    for noisy in _NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root_level))
    for extractor in _EXTRACTOR_LOGGERS:
        logging.getLogger(extractor).setLevel(root_level if root_level <= logging.DEBUG else logging.ERROR)


def opens_vectors(args: argparse.Namespace) -> bool:
    """Whether the command `args` names may open the library's vectors (FAISS, loaded first by
    `load_faiss`): all but those that read or change only the bot's state, or copy files,
    which do not pay for loading it: `health`, `backup`, `unfollow`, `feeds` but to poll them,
    `feedback` but to export it."""
    if args.command in ("health", "backup", "unfollow"):
        return False
    if args.command == "feeds":
        return args.poll
    if args.command == "feedback":
        return args.action == "export"
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        lines = "\n".join(f"  {line}" for line in settings_errors(exc))
        print(f"erreur : réglages invalides (environnement ou fichier .env) :\n{lines}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:  # python-dotenv reads the file as UTF-8
        print(f"erreur : le fichier .env n'est pas en UTF-8 (octet {exc.start}) : réenregistrez-le", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"erreur : le fichier .env est illisible ({system_error(exc)})", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, args.command)
    if opens_vectors(args):
        load_faiss(os.environ)
    try:
        return args.func(args, settings)
    except LibraryError as exc:
        print(f"erreur : {error_said(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`… | head`): nothing more to say
        # Standard output's file replaced by nothing, as Python's documentation advises: the
        # bytes still buffered are then flushed there at exit instead of failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"erreur : {system_error(exc)}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:  # a database file damaged, or something else by that name
        if no_space_left(exc):
            # Not a damaged file: the write was undone whole, and restoring a backup, as said
            # below, would lose every write made since it.
            print(f"erreur : plus de place sur le disque de la bibliothèque ({exc}) : {SPACE_REMEDY}", file=sys.stderr)
        elif isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc)):
            print(
                f"erreur : la bibliothèque est occupée par un autre programme ({exc}) : réessayez dans un moment",
                file=sys.stderr,
            )
        else:
            print(f"erreur : base de données illisible ({exc}) : restaurez DATA_DIR d'une sauvegarde", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrompu.", file=sys.stderr)
        return 130
    except Exception as exc:
        refusal = postgres_refusal(exc)
        if refusal is None:
            raise
        print(f"erreur : {refusal}", file=sys.stderr)
        return 2


def error_said(exc: LibraryError) -> str:
    """A deliberate error of the library as the command line says it: its own words, and the
    command or the setting that resolves it where there is one (the library names neither)."""
    if isinstance(exc, RebuildNeeded):
        return f"{exc} : lancez `python -m bot reindex`"
    if isinstance(exc, ModelUnavailable):
        return f"{exc} ; vérifiez EMBEDDING_MODEL (un identifiant sentence-transformers ou un dossier local)"
    if isinstance(exc, PrecisionUnsupported):
        return f"{exc} (réglage EMBEDDING_PRECISION)"
    return str(exc)

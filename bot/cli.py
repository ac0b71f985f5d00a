"""`python -m bot …`: the command line of the article library."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import SecretStr, ValidationError

from bot.chat_input import holds_words, typed
from bot.cli_follow import add_commands as add_follow_commands
from bot.cli_parsing import FrenchArgumentParser
from bot.native_libraries import computing
from bot.postgres_refusals import postgres_refusal
from bot.replies.answers import EMPTY_LIBRARY_COMMAND_LINE, format_answer
from bot.replies.cards import articles_matching, format_article_line, no_article_matching
from bot.replies.json_forms import answer_json, article_json, stats_json
from bot.replies.upkeep import INLINE_CHOSEN, format_ingest, format_stats
from bot.replies.wording import passages, plural, said_yes
from bot.service import (
    IngestOutcome,
    delete_article,
    ingest_documents,
    library_options,
    open_library,
    open_state,
    read_input,
    rebuild_library,
)
from bot.settings import TOP_K_MAX, Settings, settings_errors
from bot.terminal import embedder_for_terminal, open_for_terminal, progress_bar
from index.background import french_background
from index.decoding import decode_document, readable
from index.errors import (
    EmptyInput,
    LibraryError,
    ModelUnavailable,
    NotFound,
    PrecisionUnsupported,
    RebuildNeeded,
    UnsupportedInput,
    no_space_left,
)
from index.library import Library
from index.numbers import french
from index.search import Answer

log = logging.getLogger("bot")


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False))


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    with progress_bar("Lecture", "fichier") as progress:
        labelled = [item for value in args.inputs for item in read_input(value, settings, progress)]
    library = open_for_terminal(settings)
    stored: list[IngestOutcome] = []  # the batches committed so far, kept whatever follows
    try:
        with progress_bar("Ajout", "phrase") as progress:
            outcomes = ingest_documents(library, labelled, progress, stored.extend)
    except BaseException:  # a full disk, Ctrl-C…: what was stored before is said, then the error
        if stored:
            _print_outcomes(stored, args.json)
            print(stopped_ingest(stored, [label for label, _ in labelled[len(stored) :]]), file=sys.stderr)
        raise
    _print_outcomes(outcomes, args.json)
    return 1 if any(o.status == "error" for o in outcomes) else 0


def _print_outcomes(outcomes: Sequence[IngestOutcome], as_json: bool) -> None:
    for outcome in outcomes:
        if as_json:
            _print_json(
                {
                    "input": outcome.input,
                    "status": outcome.status,
                    **(article_json(outcome.article) if outcome.article else {}),
                    **({"error": outcome.error} if outcome.error else {}),
                }
            )
        else:
            line = format_ingest(outcome.status, outcome.input, outcome.article, outcome.error)
            print(line, file=sys.stderr if outcome.status == "error" else sys.stdout)


def stopped_ingest(stored: Sequence[IngestOutcome], left: Sequence[str]) -> str:
    """What an ingest stopped by an error kept (the batches committed before it, listed above
    this line), and where to take it up again."""
    added = sum(outcome.status == "added" for outcome in stored)
    if added:
        verb = "reste" if added < 2 else "restent"
        articles = plural(added, "article ajouté", "articles ajoutés")
        kept = f"{articles} avant l'erreur (ci-dessus) {verb} dans la bibliothèque"
    else:
        kept = "aucun article ajouté avant l'erreur"
    if not left:
        return f"ingestion arrêtée : {kept}"
    return f"ingestion arrêtée : {kept} ; à relancer : {plural(len(left), 'entrée')}, à partir de {left[0]}"


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.batch and args.question:
        print("erreur : donnez une question ou --batch FICHIER, pas les deux", file=sys.stderr)
        return 2
    if args.batch:
        questions = batch_questions(args.batch)
    else:
        question = typed(readable(" ".join(args.question or [])))
        questions = [question] if holds_words(question) else []
    if not questions:
        print("erreur : donnez une question, ou --batch FICHIER (une question par ligne)", file=sys.stderr)
        return 2
    library = open_for_terminal(settings)
    top_k = args.top_k or settings.top_k
    # A batch's line without a word ("?", "…") asks nothing, as a question typed alone: its
    # answer finds nothing, in its place, rather than whatever a search for "?" comes upon.
    asked = iter(library.ask_many([q for q in questions if holds_words(q)], top_k=top_k))
    answers = [next(asked) if holds_words(q) else Answer(question=q, found=False) for q in questions]
    empty = not any(a.results for a in answers) and library.stats().articles == 0
    for answer in answers:
        if args.json:
            before_passages = library.texts_before([r.passage_id for r in answer.results])  # for the links
            _print_json(answer_json(answer, settings.sure_answer_threshold, before_passages))
        else:
            if len(answers) > 1:
                print(f"? {answer.question}")
            print(
                format_answer(
                    answer,
                    shown=top_k,
                    empty_library=empty,
                    sure_from=settings.sure_answer_threshold,
                    command_line=True,
                    zone=settings.zone,
                )
            )
            print()
    return 0


def batch_questions(source: str) -> list[str]:
    """The questions of `ask --batch FILE` ('-': standard input), one a line, blank lines left
    out; an error naming the file when it holds none, or is no text. Read as an ingested text
    file is: a file saved in Windows-1252 is read, a binary one refused."""
    named = "l'entrée standard" if source == "-" else source
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    try:
        text = decode_document(data)
    except UnsupportedInput as exc:  # its own words name the formats an ingest takes, not a batch's
        raise UnsupportedInput(f"{named} ne se lit pas comme un texte : {BATCH_FORMAT}") from exc
    questions = [typed(line) for line in text.splitlines() if typed(line)]
    if not questions:
        raise EmptyInput(f"aucune question dans {named} : {BATCH_FORMAT}")
    return questions


BATCH_FORMAT = "--batch attend un fichier texte, une question par ligne"


def cmd_articles(args: argparse.Namespace, settings: Settings) -> int:
    articles = open_for_terminal(settings).articles()
    words = " ".join(args.words)
    if words:
        articles = articles_matching(articles, words)
    if args.json:
        _print_json([article_json(a) for a in articles])
    elif not articles:
        print(no_article_matching(words) if words else EMPTY_LIBRARY_COMMAND_LINE)
    else:
        for article in articles:
            print(format_article_line(article))
    return 0


def cmd_delete(args: argparse.Namespace, settings: Settings) -> int:
    library = open_for_terminal(settings)
    try:
        # At a terminal, the article is shown and the deletion asked for, as /delete does: a
        # mistyped id, once deleted, is an article lost. A script (no terminal) is not asked.
        if not args.yes and sys.stdin.isatty():
            print(format_article_line(library.article(args.id)), file=sys.stderr)
            print("Supprimer cet article ? Ce sera définitif. [o/N] ", end="", file=sys.stderr, flush=True)
            if not said_yes(sys.stdin.readline()):
                if args.json:
                    _print_json({"article_id": args.id, "status": "kept"})
                else:
                    print(f"Suppression annulée : l'article {args.id} reste dans la bibliothèque.")
                return 1
        state = open_state(settings)
        try:
            article = delete_article(library, state, args.id)
        finally:
            state.close()
    except NotFound as exc:
        if not args.json:
            raise
        # As `ingest --json` says an input it could not add: in the JSON, with the exit code
        # the error has without --json (README, "Exit codes").
        _print_json({"article_id": args.id, "status": "error", "error": str(exc)})
        return 2
    if args.json:
        _print_json({"article_id": article.id, "status": "deleted", **article_json(article)})
    else:
        print(f"Supprimé : « {article.title} », article {article.id}.")
    return 0


def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    embedder = embedder_for_terminal(settings)
    with progress_bar("Reconstruction", "phrase") as progress:
        library = rebuild_library(settings, progress, embedder)
    stats = library.stats()
    if args.json:  # the library rebuilt, as `stats --json` says it
        _print_json(stats_json(stats, computing(embedder)))
        return 0
    print(f"Bibliothèque reconstruite : {plural(stats.articles, 'article')}, {passages(stats.passages)}.")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    library = open_for_terminal(settings)
    stats = library.stats()
    machine = computing(library.embedder)
    if args.json:
        _print_json(stats_json(stats, machine))
    else:
        print(format_stats(stats, machine))
    return 0


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.console import run_console

    return run_console(settings, sample=args.sample)


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from index.evaluation import run_evaluation

    embedder = embedder_for_terminal(settings)
    with tempfile.TemporaryDirectory(prefix="citebot-eval-") as scratch:
        # A scratch library, never the user's: embedded, or the (empty) database given with --database.
        scratch_settings = settings.model_copy(
            update={"data_dir": Path(scratch), "database_url": SecretStr(args.database) if args.database else None}
        )
        library = open_library(scratch_settings, embedder)
        if library.stats().articles:
            library.close()
            raise LibraryError("la base donnée à --database n'est pas vide : l'évaluation a besoin d'une base vide")
        report = run_evaluation(
            library,
            Path(args.questions),
            Path(args.articles) if args.articles else None,
            progress=lambda message: print(f"… {message}", file=sys.stderr),
        )
        library.close()
    if args.json:
        _print_json(report.to_dict())
        return 0
    print(
        f"{'mode':<10}{'hit@1':>8}{'hit@5':>8}{'quote@1':>9}{'précision':>11}"
        f"   ({report.retrieval[0].questions} questions ; précision : quote@1 parmi les hit@1)"
    )
    for figures in report.retrieval:
        print(
            f"{figures.mode:<10}{figures.hit_at_1:>8.3f}{figures.hit_at_5:>8.3f}"
            f"{figures.quote_at_1:>9.3f}{figures.sentence_precision:>11.3f}"
        )
    if report.by_size:
        print(f"\n{'articles':>8}{'bibliothèques':>15}{'trouvées':>18}{'déclinées':>18}{'passage absent':>18}")
        for size in report.by_size:
            found = f"{size.found:.1%} ({size.questions_in})"
            declined = f"{size.declined:.1%} ({size.questions_out})"
            near = f"{size.near_miss_declined:.1%} ({size.near_misses})"
            print(f"{size.articles:>8}{size.libraries:>15}{found:>18}{declined:>18}{near:>18}")
        print("(passage absent : les questions sur ses articles, jugées sans les passages qui y répondent, déclinées)")
    for problem in report.unreadable:
        print(f"non ingéré : {problem}", file=sys.stderr)
    return 0


def cmd_eval_extraction(args: argparse.Namespace, settings: Settings) -> int:
    from index.extraction_report import as_dicts, extraction_report

    pages = extraction_report(Path(args.folder), settings.passage_max_words)
    if args.json:
        _print_json(as_dicts(pages))
        return 0

    def mark(ok: bool | None) -> str:
        return "—" if ok is None else ("oui" if ok else "NON")

    for page in pages:
        if page.error:
            print(f"{page.file} : non ingéré ({page.error})")
            continue
        print(
            f"{page.file}\n  titre {mark(page.title_ok)} « {page.title} » ; "
            f"date {mark(page.date_ok)} {page.date or 'aucune'} ; "
            f"auteur {mark(page.author_ok)} {page.author or 'aucun'}\n"
            f"  extraits attendus {page.with_found}/{page.with_total}, "
            f"réponses gardées {page.answers_kept}/{page.answers_total}, "
            f"hors-texte présents {len(page.without_found)}, passages de moins de 3 mots {len(page.short_passages)}, "
            f"ordre {mark(page.with_in_order)}, paragraphes répétés {len(page.repeated_paragraphs)}"
        )
        for snippet in page.without_found:
            print(f"  ! hors-texte : {snippet}")
        for passage in page.short_passages:
            print(f"  ! passage court : {passage!r}")
        for paragraph in page.repeated_paragraphs:
            print(f"  ! paragraphe répété : {paragraph[:80]}")
    read = [p for p in pages if not p.error]

    def share(values: list[bool | None]) -> str:
        judged = [v for v in values if v is not None]
        return f"{sum(judged)}/{len(judged)}"

    print(
        f"\n{len(read)}/{len(pages)} pages lues ; titres exacts {share([p.title_ok for p in read])}, "
        f"dates justes {share([p.date_ok for p in read])}, auteurs justes {share([p.author_ok for p in read])} ; "
        f"extraits attendus {sum(p.with_found for p in read)}/{sum(p.with_total for p in read)}, "
        f"hors-texte présents {sum(len(p.without_found) for p in read)}, "
        f"réponses gardées {sum(p.answers_kept for p in read)}/{sum(p.answers_total for p in pages)}, "
        f"passages de moins de 3 mots {sum(len(p.short_passages) for p in read)}, "
        f"ordre respecté {share([p.with_in_order for p in read])}, "
        f"paragraphes répétés {sum(len(p.repeated_paragraphs) for p in read)}"
    )
    return 0


def cmd_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from bot.feedback import export_feedback

    state = open_state(settings)
    try:
        if args.action == "export":
            if not args.file:
                raise LibraryError("indiquez le fichier : python -m bot feedback export FICHIER.jsonl")
            library = open_for_terminal(settings)
            try:
                export = export_feedback(state, library, Path(args.file), replace=args.force)
            finally:
                library.close()
            approved = plural(export.approved, "réponse approuvée", "réponses approuvées")
            print(f"{approved} → {export.questions} (articles : {export.articles})")
            print(f"{plural(export.rejected, 'réponse rejetée', 'réponses rejetées')} → {export.review}")
            if export.approved_in_conversation:
                in_conversation = plural(export.approved_in_conversation, "réponse approuvée", "réponses approuvées")
                print(
                    f"{in_conversation} à des questions qui suivaient la conversation "
                    f"(« La suite ? », « Et en 2020 ? ») → {export.review}, à relire"
                )
            print(f"Mesurer : python -m bot eval {export.questions}")
            return 0
        counts = state.feedback_counts()
        print(f"👍 {counts['approved']}  👎 {counts['rejected']}  {INLINE_CHOSEN} : {counts['inline_chosen']}")
        return 0
    finally:
        state.close()


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.app import serve

    return serve(settings, webhook=args.webhook)


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    """Whether `serve` is alive and working, from its heartbeat alone (a health check's command:
    no model, no library, no Telegram). 0 healthy, 1 not, with the reason."""
    from bot.heartbeat import health, heartbeat_file

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    verdict = health(heartbeat_file(settings.data_dir, token), time.time(), settings.zone)
    print(verdict.said, file=sys.stdout if verdict.healthy else sys.stderr)
    return 0 if verdict.healthy else 1


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the embedded library (DATA_DIR) into PostgreSQL, keeping ids and vectors."""
    from index.errors import AlreadyCopied
    from index.pg_backend import PgBackend
    from index.reindex import copy_articles
    from index.storage import LocalBackend

    if not args.to.startswith(("postgresql://", "postgres://")):
        raise LibraryError("indiquez la base de destination : --to postgresql://utilisateur:motdepasse@hôte/base")
    if not (settings.index_dir / "manifest.json").exists():
        raise LibraryError(f"aucune bibliothèque à copier dans {settings.index_dir}")
    embedder = embedder_for_terminal(settings)
    library = Library(settings.index_dir, embedder, **library_options(settings))  # checks it is up to date
    config = library.config
    library.close()
    target = PgBackend(args.to)
    try:
        with progress_bar("Copie", "phrase") as progress:
            report = copy_articles(LocalBackend(settings.index_dir), target, embedder, config, progress)
    except AlreadyCopied as done:  # a run stopped after its copy (killed, the server lost): the state may follow
        print(
            f"Bibliothèque déjà copiée dans {target.location} : {plural(done.articles, 'article')}, "
            "les mêmes qu'ici ; rien n'a été recopié."
        )
    else:
        print(
            f"Copié dans {target.location} : {plural(report.articles, 'article')}, "
            f"{passages(report.passages)}, {plural(report.reused, 'vecteur')} repris, "
            f"{plural(report.embedded, 'phrase recalculée', 'phrases recalculées')}."
        )
    finally:
        target.close()
    if settings.state_file.exists():  # followed feeds, deleted articles' links, feedback…
        from bot.state.database import copy_state

        copied = copy_state(settings.state_file, args.to)
        if copied is None:
            print(
                f"État du bot non copié : la base en a déjà un (flux suivis, retours…) ; {settings.state_file} reste",
                file=sys.stderr,
            )
        else:
            print(
                f"État du bot copié : {plural(copied['feeds'], 'flux suivi', 'flux suivis')}, "
                f"{plural(copied['channels'], 'chaîne suivie', 'chaînes suivies')}, "
                f"{plural(copied['deleted_articles'], 'article supprimé', 'articles supprimés')} "
                f"à ne pas reprendre, {plural(copied['feedback'], 'vote', 'votes')} 👍/👎."
            )
    where = target.location.replace("@", ":…@", 1) if "@" in target.location else target.location
    print(
        f"Utilisez-la avec DATABASE_URL={where}" + ("" if "@" in where else " (et son mot de passe, s'il en faut un)")
    )
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import NOT_COPIED, back_up

    if settings.database_url is not None:
        raise LibraryError(postgres_backup(settings))
    destination = Path(args.destination)
    copied = back_up(settings.data_dir, destination, replace=args.force)
    if args.json:
        _print_json(
            {
                "destination": str(destination),
                "copied": [{"database": c.path.name, "file": str(c.path), "bytes": c.size} for c in copied],
            }
        )
        return 0
    for copy in copied:
        size = french(copy.size / 1_000_000, 1)
        print(f"Sauvegardé : {copy.label} → {copy.path} ({size} Mo, intégrité vérifiée)")
    print(NOT_COPIED)
    print(f"Restaurer, le bot arrêté : python -m bot restore {destination}")
    return 0


def postgres_backup(settings: Settings) -> str:
    """What `backup` says with the library in PostgreSQL: its tool to use, with the URL without
    its password (pg_dump asks for it). DATA_DIR then holds nothing to keep: the serve lock, and
    what `migrate` left of the embedded library it copied, which no command reads any more."""
    from index.pg_backend import url_without_password

    url = url_without_password(settings.database_url.get_secret_value())
    left = settings.index_dir / "library.sqlite3"
    return (
        "la bibliothèque et l'état du bot sont dans PostgreSQL (DATABASE_URL), que cette commande ne copie "
        f"pas : sauvegardez la base avec pg_dump, par exemple\n  pg_dump --format=custom --file=citebot.dump '{url}'\n"
        "(pg_dump demande le mot de passe, ou le lit dans PGPASSWORD ; pg_restore le remet dans un serveur "
        f"avec pgvector). {settings.data_dir} ne contient rien d'autre à garder"
        + (f" ({left} est l'ancienne bibliothèque intégrée, que le bot ne lit plus)" if left.exists() else "")
    )


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from bot.backup import restore

    if settings.database_url is not None:
        raise LibraryError(
            "la bibliothèque est dans PostgreSQL (DATABASE_URL) : restaurez la base avec pg_restore "
            "(README, « Backups and upgrades »)"
        )
    if os.name != "posix":
        raise LibraryError("restore ne sait pas ici si le bot tourne : restaurez à la main (README, « Backups »)")

    def check_opens() -> None:
        open_for_terminal(settings).close()
        open_state(settings).close()

    restored = restore(settings.data_dir, Path(args.source), check_opens)
    print(f"Restauré depuis {args.source} : {', '.join(restored.labels)}.")
    if "état du bot" not in restored.labels:
        print("La sauvegarde n'avait pas d'état du bot : le bot en recommence un vide.")
    if restored.set_aside:
        kept = restored.set_aside
        print(f"Les fichiers d'avant sont gardés dans {kept} : supprimez-le quand vous n'en aurez plus besoin.")
    if restored.rebuild_needed:
        print(
            f"La bibliothèque restaurée est à reconstruire ({restored.rebuild_needed}) : lancez python -m bot reindex"
        )
    return 0


def cmd_prepare_model(args: argparse.Namespace, settings: Settings) -> int:
    embedder = embedder_for_terminal(settings)
    # Embedding once checks that the model runs; where passages go through OpenVINO (bfloat16,
    # float32) it also compiles their network for this CPU and keeps it (OpenVINO's cache),
    # which the first ingest would otherwise wait for.
    embedder.embed_passages(["Le modèle est prêt."])
    # The French word frequencies too (built from wordfreq once): a bot whose model cache is
    # read-only at run time, as in the Docker image, never has to write it.
    french_background(settings.model_cache_dir)
    print(f"Modèle prêt : {embedder.name} (dimension {embedder.dimension})")
    return 0


def top_k_argument(text: str) -> int:
    """`--top-k`: an integer within what the TOP_K setting accepts."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= TOP_K_MAX:
        raise argparse.ArgumentTypeError(f"un entier de 1 à {TOP_K_MAX} est attendu, pas {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m bot",
        description="Bibliothèque d'articles : répond aux questions en citant les passages exacts.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    p = sub.add_parser("ingest", help="ajouter des articles (fichiers, dossiers, URL, '-' pour l'entrée standard)")
    p.add_argument(
        "inputs",
        nargs="+",
        metavar="CHEMIN_OU_URL",
        help="fichier, dossier (parcouru en entier, sauf les fichiers cachés), URL http(s), ou - : entrée standard",
    )
    p.add_argument("--json", action="store_true", help="une ligne JSON par article")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="poser une question")
    p.add_argument("question", nargs="*", metavar="QUESTION", help="la question, entre guillemets ou non")
    p.add_argument(
        "--top-k", type=top_k_argument, metavar="N", help=f"nombre de passages, 1 à {TOP_K_MAX} (par défaut : TOP_K)"
    )
    p.add_argument("--batch", metavar="FICHIER", help="une question par ligne ('-' : entrée standard)")
    p.add_argument("--json", action="store_true", help="un objet JSON par question")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="discuter avec la bibliothèque dans le terminal")
    p.add_argument("--sample", action="store_true", help="ajouter d'abord l'article d'exemple")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("articles", help="lister les articles, ou ceux dont le titre ou l'adresse contient ces mots")
    p.add_argument("words", nargs="*", metavar="MOT", help="des mots du titre ou de l'adresse (sans casse ni accents)")
    p.add_argument("--json", action="store_true", help="la liste en JSON")
    p.set_defaults(func=cmd_articles)

    p = sub.add_parser("delete", help="supprimer un article")
    p.add_argument("id", type=int, metavar="ID", help="son identifiant (python -m bot articles les donne)")
    p.add_argument("--yes", action="store_true", help="sans demander de confirmation (dans un terminal)")
    p.add_argument("--json", action="store_true", help="l'article supprimé (ou l'erreur) en JSON")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser(
        "reindex", help="reconstruire la bibliothèque à partir des articles enregistrés, avec les réglages actuels"
    )
    p.add_argument(
        "--json", action="store_true", help="les chiffres de la bibliothèque reconstruite en JSON (comme stats)"
    )
    p.set_defaults(func=cmd_reindex)

    p = sub.add_parser("stats", help="chiffres de la bibliothèque")
    p.add_argument("--json", action="store_true", help="les chiffres en JSON")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("eval", help="mesurer la recherche sur un fichier de questions (format de shared/eval)")
    p.add_argument(
        "questions", metavar="QUESTIONS.jsonl", help="une question JSON par ligne, avec ses réponses attendues"
    )
    p.add_argument("--articles", metavar="ARTICLES.jsonl", help="par défaut : articles.jsonl à côté")
    p.add_argument("--database", metavar="postgresql://…", help="mesurer sur PostgreSQL (une base vide, de travail)")
    p.add_argument("--json", action="store_true", help="le rapport en JSON")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("eval-extraction", help="mesurer la lecture des pages d'un dossier (format de shared/eval/news)")
    p.add_argument("folder", metavar="DOSSIER", help="les pages, avec manifest.jsonl et les extraits attendus")
    p.add_argument("--json", action="store_true", help="le rapport en JSON")
    p.set_defaults(func=cmd_eval_extraction)

    add_follow_commands(sub)

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
    p.set_defaults(func=cmd_feedback)

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
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "backup", help="sauvegarder la bibliothèque et l'état du bot dans un dossier (même bot en marche)"
    )
    p.add_argument(
        "destination", metavar="DOSSIER", help="où écrire library.sqlite3 et bot.sqlite3 (pas dans DATA_DIR/index)"
    )
    p.add_argument("--force", action="store_true", help="remplacer une sauvegarde déjà dans le dossier")
    p.add_argument("--json", action="store_true", help="ce qui a été copié, en JSON")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="remettre une sauvegarde en place (le bot arrêté)")
    p.add_argument("source", metavar="DOSSIER", help="le dossier écrit par python -m bot backup")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("prepare-model", help="préparer le modèle de langue hors ligne (une fois)")
    p.set_defaults(func=cmd_prepare_model)

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
    # LOG_LEVEL is the bot's log (`serve`); the commands a person runs at a terminal say only
    # warnings and errors beside their output (a chat's prompt stays clean), unless DEBUG.
    level = logging.getLevelName(settings.log_level)
    if args.func is not cmd_serve and level > logging.DEBUG:
        level = max(level, logging.WARNING)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # apscheduler (PTB's JobQueue) says each job's every run at INFO: the feeds' two a minute.
    for noisy in ("httpx", "sentence_transformers", "transformers", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    # Their warnings are about the page ("discarding data: None"), which the French message
    # that follows says better; LOG_LEVEL=DEBUG shows them.
    for extractor in ("trafilatura", "htmldate"):
        level = logging.getLogger().level
        logging.getLogger(extractor).setLevel(level if level <= logging.DEBUG else logging.ERROR)
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

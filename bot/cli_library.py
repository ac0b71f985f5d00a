"""`python -m bot` commands that read or change the library, the model or the bot's state:
imported (by `bot.cli`) only when one of them runs, with all they load."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import SecretStr

from bot.chat_input import holds_words, typed
from bot.native_libraries import computing
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
    refused,
)
from bot.settings import Settings
from bot.terminal import embedder_for_terminal, open_for_terminal, progress_bar
from index.background import french_background
from index.bounded_reading import read_at_most
from index.decoding import decode_document, readable
from index.errors import EmptyInput, InputError, LibraryError, NotFound, UnsupportedInput
from index.library import Library
from index.search import Answer


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False))


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    with progress_bar("Lecture", "fichier") as progress:
        labelled = [item for value in args.inputs for item in read_input(value, settings, progress)]
    if all(isinstance(item, InputError) for _, item in labelled):
        # Nothing to add (`ingest -` given nothing, or a picture): said without preparing or
        # loading the model, nor opening the library.
        _print_outcomes([refused(label, error) for label, error in labelled], args.json)
        return 1
    stored: list[IngestOutcome] = []  # the batches committed so far, kept whatever follows
    try:
        with open_for_terminal(settings) as library, progress_bar("Ajout", "phrase") as progress:
            outcomes = ingest_documents(
                library, labelled, progress, stored.extend, article_max_words=settings.article_max_words
            )
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
                    **({"text_differs": True} if outcome.text_differs else {}),
                }
            )
        else:
            line = format_ingest(
                outcome.status, outcome.input, outcome.article, outcome.error, text_differs=outcome.text_differs
            )
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
        questions = batch_questions(args.batch, max_bytes=settings.ingest_max_bytes)
    else:
        question = typed(readable(" ".join(args.question or [])))
        questions = [question] if holds_words(question) else []
    if not questions:
        print("erreur : donnez une question, ou --batch FICHIER (une question par ligne)", file=sys.stderr)
        return 2
    with open_for_terminal(settings) as library:
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


def batch_questions(source: str, *, max_bytes: int) -> list[str]:
    """The questions of `ask --batch FILE` ('-': standard input), one a line, blank lines left
    out; an error naming the file when it holds none, is no text, or is longer than `max_bytes`
    (INGEST_MAX_BYTES: a pipe or a device may never end). Read as an ingested text file is: a
    file saved in Windows-1252 is read, a binary one refused."""
    named = "l'entrée standard" if source == "-" else source
    with contextlib.nullcontext(sys.stdin.buffer) if source == "-" else open(source, "rb") as stream:
        data = read_at_most(stream, max_bytes=max_bytes, named=named)
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
    with open_for_terminal(settings, embeds=False, updates_lexicon=False) as library:
        articles = library.articles()
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
    with open_for_terminal(settings, embeds=False) as library:
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
    with library:
        stats = library.stats()
    if args.json:  # the library rebuilt, as `stats --json` says it
        _print_json(stats_json(stats, computing(embedder)))
        return 0
    print(f"Bibliothèque reconstruite : {plural(stats.articles, 'article')}, {passages(stats.passages)}.")
    return 0


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_for_terminal(settings, embeds=False, updates_lexicon=False) as library:
        stats = library.stats()
        machine = computing(library.embedder)
    if args.json:
        _print_json(stats_json(stats, machine))
    else:
        print(format_stats(stats, machine))
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from index.embeddings import RememberingEmbedder
    from index.evaluation import load_eval_set, run_evaluation

    eval_set = load_eval_set(Path(args.questions), Path(args.articles) if args.articles else None)
    embedder = RememberingEmbedder(embedder_for_terminal(settings))  # each question embedded once, not per mode
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
            eval_set,
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
            library = open_for_terminal(settings, embeds=False, updates_lexicon=False)
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
            if export.approved:
                print(f"Mesurer : python -m bot eval {export.questions}")
            else:  # `eval` refuses a file without questions: suggesting it would send the user to an error
                print("Rien à mesurer encore : il faut au moins une réponse approuvée (👍) dans le bot.")
            return 0
        counts = state.feedback_counts()
        print(f"👍 {counts['approved']}  👎 {counts['rejected']}  {INLINE_CHOSEN} : {counts['inline_chosen']}")
        return 0
    finally:
        state.close()


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
    # Opened to check its model and passage size are the settings'; a lexicon an earlier analysis
    # made is left as it is: the copy analyses every passage again anyway.
    library = Library(settings.index_dir, embedder, update_lexicon=False, **library_options(settings))
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

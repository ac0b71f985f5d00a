"""What the library's upkeep commands say: its figures (`stats`), an ingest's outcome, and the
feedback counts' label for quotes posted from inline mode."""

from __future__ import annotations

from bot.native_libraries import Computing
from bot.replies.wording import french_date, passages
from index.analysis import ANALYZER_VERSION
from index.library import LexiconUpdate, LibraryStats
from index.numbers import french
from index.store import ArticleRow

# /feedback and `python -m bot feedback`: quotes users posted from inline mode (`@bot question`).
INLINE_CHOSEN = "citations publiées dans d'autres conversations"


def format_stats(stats: LibraryStats, computing: Computing) -> str:
    return (
        f"Articles : {french(stats.articles)}\n"
        f"Passages : {french(stats.passages)}\n"
        f"Modèle : {stats.model} (dimension {stats.dimension})\n"
        f"Passages de {stats.max_words} mots au plus\n"
        f"Place occupée : {french(stats.index_bytes / 1_000_000, 1)} Mo ({stats.directory})"
        f"\nCalcul : modèle en {computing.precision or 'précision inconnue'}, "
        f"noyaux BLAS de FAISS {computing.faiss_blas or 'inconnus'}"
        + ("" if stats.outdated_analyzer is None else f"\n{lexicon_update_pending(stats.outdated_analyzer)}")
    )


def lexicon_update_pending(outdated_analyzer: int) -> str:
    """What `stats` says of a library whose lexicon an earlier analysis made: it counts and lists
    without it, and the commands that search or write bring it up to date as they open it."""
    return (
        f"Index lexical à mettre à jour (analyse version {outdated_analyzer} → {ANALYZER_VERSION}) : "
        "la prochaine commande qui cherche ou écrit (ask, ingest, chat, serve…) le fera, sans le modèle"
    )


def lexicon_update_step(update: LexiconUpdate) -> str:
    """What the update of a lexicon an earlier analysis made is called: in the line said as it
    starts (`lexicon_update_said`), and in `health`'s while a starting bot makes it."""
    return f"mise à jour de l'index lexical (analyse version {update.from_version} → {update.to_version})"


def lexicon_update_said(update: LexiconUpdate) -> str:
    """The line the console or the log shows as a library opens with a lexicon an earlier
    analysis made, when its update starts, then when it is done."""
    if update.seconds is None:
        step = lexicon_update_step(update)
        return f"{step[0].upper()}{step[1:]}…"
    took = "moins d'une seconde" if update.seconds < 0.05 else f"{french(update.seconds, 1)} s"
    return f"Index lexical à jour : {passages(update.passages or 0)} en {took}."


def other_version(to_keep_this_one: str) -> str:
    """What a duplicate whose stored text differs from the one sent is told (`to_keep_this_one`:
    how its reader has the stored one deleted and this one added): the library keeps the version
    it has (README, *Article formats*)."""
    return f"Le texte enregistré est une autre version de l'article : c'est lui qui est gardé. {to_keep_this_one}"


def format_ingest(
    outcome_status: str, label: str, article: ArticleRow | None, error: str | None, *, text_differs: bool = False
) -> str:
    if outcome_status == "error" or article is None:
        return f"Erreur ({label}) : {error}"
    date = french_date(article.date)
    what = f"« {article.title} »" + (f" ({date})" if date else "")
    if outcome_status == "duplicate":
        line = f"Déjà présent : {what}, article {article.id}."
        if not text_differs:
            return line
        replacing = f"Pour garder plutôt celui-ci : python -m bot delete {article.id}, puis relancez l'ingestion."
        return f"{line} {other_version(replacing)}"
    return f"Ajouté : {what}, {passages(article.passages)}, article {article.id}."

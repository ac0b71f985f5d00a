"""What the library's upkeep commands say: its figures (`stats`), an ingest's outcome, and the
feedback counts' label for quotes posted from inline mode."""

from __future__ import annotations

from bot.native_libraries import Computing
from bot.replies.wording import french_date, passages
from index.library import LibraryStats
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
    )


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

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


def format_ingest(outcome_status: str, label: str, article: ArticleRow | None, error: str | None) -> str:
    if outcome_status == "error" or article is None:
        return f"Erreur ({label}) : {error}"
    date = french_date(article.date)
    what = f"« {article.title} »" + (f" ({date})" if date else "")
    if outcome_status == "duplicate":
        return f"Déjà présent : {what}, article {article.id}."
    return f"Ajouté : {what}, {passages(article.passages)}, article {article.id}."

"""Who may do what, and how often: pure rules, tested without Telegram."""

from __future__ import annotations

from bot.settings import Settings


def is_admin(user_id: int | None, settings: Settings) -> bool:
    return user_id is not None and user_id in settings.admin_user_ids


def may_ingest(user_id: int | None, settings: Settings) -> bool:
    return user_id is not None and (not settings.ingest_admins_only or is_admin(user_id, settings))


# Articles one person may have being added at once: an album's ten documents, each an ingest.
# The bot adds two at a time for everyone (`LONG_WORK_THREADS`): without a bound, one person's
# hundred /ingest, each a page that takes its whole time limit to come, kept everyone else's
# articles waiting behind them for as long.
MAX_INGESTS_UNDER_WAY = 10


def may_start_ingest(user_id: int, under_way: int, settings: Settings) -> bool:
    """Whether `user_id`, who has `under_way` ingests started and not ended, may start one more
    (admins always may)."""
    return under_way < MAX_INGESTS_UNDER_WAY or is_admin(user_id, settings)

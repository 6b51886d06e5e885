"""The `kapida` command: one entry point for caseworkers, dispatchers and administrators."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
import typer.main
from typer._click.core import Command
from typer.exceptions import TyperException

from api import (
    cli_audit,
    cli_cases,
    cli_demo,
    cli_dispatch,
    cli_import,
    cli_map,
    cli_privacy,
    cli_reports,
    cli_statistics,
    cli_users,
)
from api.cli_help import localized
from api.cli_support import LANGUAGE, words
from api.i18n import LANG_VARIABLE, LANGUAGES, normalize
from domain.errors import N_, DomainError, InvalidValue

app = typer.Typer(
    help="Kapıda — social-service applications, beneficiaries and door-to-door delivery.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def choose_language(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", envvar=LANG_VARIABLE, help="Language of tables, messages and help: tr (default) or en."
        ),
    ] = None,
) -> None:
    """Kapıda — social-service applications, beneficiaries and door-to-door delivery."""
    if lang and normalize(lang) is None:
        raise InvalidValue(
            "lang",
            N_("{language!r} is not one of {languages}"),
            language=lang,
            languages=", ".join(LANGUAGES),
        )
    LANGUAGE.set(normalize(lang))


app.add_typer(cli_cases.households, name="households")
app.add_typer(cli_cases.applications, name="applications")
app.add_typer(cli_cases.enrolments, name="enrolments")
app.command("caseload")(cli_reports.caseload)
app.command("manifest")(cli_reports.manifest)
app.add_typer(cli_reports.projections_cli, name="projections")
app.add_typer(cli_reports.events_cli, name="events")
app.add_typer(cli_demo.demo, name="demo")
app.command("plan")(cli_dispatch.plan)
app.add_typer(cli_dispatch.plans, name="plans")
app.add_typer(cli_dispatch.trips, name="trips")
app.add_typer(cli_map.app, name="map")
app.add_typer(cli_users.users, name="users")
app.add_typer(cli_privacy.keys, name="keys")
app.add_typer(cli_audit.audit, name="audit")
app.add_typer(cli_statistics.reports, name="reports")
app.add_typer(cli_import.import_cli, name="import")
app.add_typer(cli_import.export_cli, name="export")


def command_tree() -> Command:
    """The click commands typer builds from `app` (a fresh tree each time, with the English help)."""
    return typer.main.get_command(app)


def run(args: list[str]) -> int:
    """Run one CLI command; refusals print a message naming the field and return 2, writing nothing."""
    chosen = LANGUAGE.set(None)  # `--lang` sets it for this run only
    try:
        result = localized(command_tree(), args).main(args, standalone_mode=False)
    except TyperException as error:  # usage errors and bad parameters, which name the option
        show = getattr(error, "show", None)
        if show is not None:
            show()
        return int(getattr(error, "exit_code", 2))
    except DomainError as error:
        language = words()
        typer.echo(language.gettext(N_("Error: {message}")).format(message=language.error(error)), err=True)
        return 2
    finally:
        LANGUAGE.reset(chosen)
    return result if isinstance(result, int) else 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))

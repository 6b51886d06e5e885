"""`kapida import households FILE` and `kapida export caseload`: the lists offices keep, in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from api.cli_support import JsonOption, parse_date, services, words
from api.exporting import FORMATS, export_caseload
from api.formatting import format_number
from api.i18n import _
from api.importing.mapping import load_mapping_file, parse_overrides
from api.importing.readers import read_table
from api.importing.workflow import choose_mapping, commit, dry_run, plan_report
from domain.errors import N_, InvalidValue
from domain.service import today_in_istanbul
from domain.values import Actor, Role

import_cli = typer.Typer(help="Import existing lists (households and their needs).", no_args_is_help=True)
export_cli = typer.Typer(help="Export the caseload.", no_args_is_help=True)

STATUS_TR = {
    "create": _("to create"),
    "add": _("programme to add"),
    "unchanged": _("already present, unchanged"),
    "error": _("wrong"),
    "to_place": _("to place by hand"),
    "created": _("created"),
    "added": _("programme added"),
}
COLUMNS = (_("Row"), _("Status"), _("Household"), _("T.C."), _("Neighbourhood"), _("Place"), _("Programmes"),
           _("Problems"))  # fmt: skip


def _placements(pairs: list[str]) -> dict[int, tuple[float, float]]:
    """`--place 12=41.02,40.52`: coordinates a person chose for the household starting on row 12."""
    found = {}
    for pair in pairs:
        row, _, where = pair.partition("=")
        lat, _, lon = where.partition(",")
        try:
            found[int(row)] = (float(lat), float(lon))
        except ValueError:
            raise InvalidValue("place", N_("{pair!r} should be ROW=LAT,LON"), pair=pair) from None
    return found


@import_cli.command("households")
def households(
    file: Annotated[Path, typer.Argument(help="CSV or .xlsx list.", exists=True, dir_okay=False)],
    commit_: Annotated[
        bool, typer.Option("--commit/--dry-run", help="Write (--commit) or only report (--dry-run, default).")
    ] = False,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help='"Column=field", e.g. "Adı Soyadı=name".')
    ] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="Saved mapping (JSON).")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet (default: the first).")] = None,
    place: Annotated[
        list[str] | None, typer.Option(help="ROW=LAT,LON for a household placed by hand.")
    ] = None,
    save_mapping: Annotated[
        Path | None, typer.Option(help="Write the mapping used to this JSON file.")
    ] = None,
    actor: Annotated[str, typer.Option("--actor", envvar="KAPIDA_ACTOR", help="Who imports.")] = "",
    role: Annotated[Role | None, typer.Option("--role", envvar="KAPIDA_ROLE", help="Their role.")] = None,
    as_json: JsonOption = False,
) -> int:
    """Check a list row by row (dry run), then write it with --commit. Exit 1 if rows were left out."""
    table = read_table(file.read_bytes(), file.name, sheet)
    overrides = load_mapping_file(mapping.read_text(encoding="utf-8")) if mapping else {}
    overrides.update(parse_overrides(map_ or []))
    chosen = choose_mapping(table, overrides)
    if save_mapping:
        save_mapping.write_text(json.dumps(chosen.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    who = Actor(actor, role) if commit_ and role is not None else None
    if commit_ and who is None:
        raise InvalidValue("actor", N_("--commit needs --actor and --role"))
    with services() as s:
        plan = dry_run(
            lambda q: (s.catch_up(), q(s.views))[1],
            s.national_id_key,
            table,
            chosen,
            _placements(place or []),
        )
        if who is not None:
            commit(plan, s.app, who)
            s.catch_up()
    report = plan_report(plan, committed=who is not None)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print(report, table.headers)
    left_out = sum(n for k, n in report["totals"].items() if k in ("error", "to_place"))
    return 1 if left_out else 0


def _print(report: dict[str, Any], headers: tuple[str, ...]) -> None:
    console = Console(width=None if Console().is_terminal else 200)
    language = words()
    mapped = report["mapping"]
    ignored = language.gettext(_("ignored"))
    lines = [f"  {h} → {mapped.get(h, f'— ({ignored})')}" for h in headers]
    console.print(language.gettext(_("Column mapping:")) + "\n" + "\n".join(lines), markup=False)
    done = language.gettext(_("imported") if report["committed"] else _("dry run"))
    table = RichTable(title=f"{report['source']}: {done}")
    for column in COLUMNS:
        table.add_column(language.gettext(column), overflow="fold")
    for h in report["households"]:
        where = h["placed_by"] + (f": {h['placed_at']}" if h["placed_at"] else "")
        programmes = ", ".join(
            f"{p['programme']} {p['start'] or ''} {p['step']}".strip() for p in h["programmes"]
        )
        problems = "; ".join(f"{p['row']} {p['field']}: {p['message']}" for p in h["problems"])
        problems += "".join(f"; {w}" for w in h["warnings"])
        table.add_row(
            ",".join(str(r) for r in h["rows"]),
            language.gettext(STATUS_TR.get(h["result"] or h["status"], h["status"])),
            h["name"],
            h["national_id"],
            f"{h['neighbourhood']}, {h['district']}",
            where,
            programmes,
            problems.strip("; "),
        )
    console.print(table)
    totals = ", ".join(
        f"{language.gettext(STATUS_TR.get(k, k))}: {n}" for k, n in sorted(report["totals"].items())
    )
    heading = language.gettext(_("Totals"))
    console.print(f"{heading}: {totals}", markup=False)


@export_cli.command("caseload")
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write.", dir_okay=False)],
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv.")] = "xlsx",
    delimiter: Annotated[str, typer.Option(help="CSV delimiter: ';' (default), ',' or 'tab'.")] = ";",
    on: Annotated[
        str, typer.Option(help="Enrolments not ended by this day (YYYY-MM-DD); default today.")
    ] = "",
) -> None:
    """The caseload (households, contacts, members, needs, programmes, dates) as .xlsx or CSV."""
    if fmt not in FORMATS:
        raise InvalidValue("format", N_("{fmt!r}: xlsx or csv"), fmt=fmt)
    day = parse_date("on", on) if on else today_in_istanbul()
    with services() as s:
        s.catch_up()
        data = export_caseload(s.views, day, fmt, delimiter)
    out.write_bytes(data)
    language = words()
    size = format_number(len(data), language.lang)
    typer.echo(language.gettext(_("Exported: {out} ({size} bytes)")).format(out=out, size=size))

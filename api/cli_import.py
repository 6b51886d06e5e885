"""`kapida import households FILE` and `kapida export caseload`: the lists offices keep, in and out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable

from api.cli_support import JsonOption, parse_date, services
from api.exporting import FORMATS, export_caseload
from api.importing.mapping import load_mapping_file, parse_overrides
from api.importing.readers import read_table
from api.importing.workflow import choose_mapping, commit, dry_run, plan_report
from domain.errors import InvalidValue
from domain.service import today_in_istanbul
from domain.values import Actor, Role

import_cli = typer.Typer(help="Mevcut listeleri içe aktar / import existing lists.", no_args_is_help=True)
export_cli = typer.Typer(help="Dışa aktar / export.", no_args_is_help=True)

STATUS_TR = {
    "create": "eklenecek / to create",
    "add": "programı eklenecek / programme to add",
    "unchanged": "zaten var, değişmedi / already present, unchanged",
    "error": "hatalı / wrong",
    "to_place": "elle yerleştirilecek / to place by hand",
    "created": "eklendi / created",
    "added": "programı eklendi / programme added",
}


def _placements(pairs: list[str]) -> dict[int, tuple[float, float]]:
    """`--place 12=41.02,40.52`: coordinates a person chose for the household starting on row 12."""
    found = {}
    for pair in pairs:
        row, _, where = pair.partition("=")
        lat, _, lon = where.partition(",")
        try:
            found[int(row)] = (float(lat), float(lon))
        except ValueError:
            raise InvalidValue(
                "place", f"{pair!r}: SATIR=ENLEM,BOYLAM olmalı / should be ROW=LAT,LON"
            ) from None
    return found


@import_cli.command("households")
def households(
    file: Annotated[Path, typer.Argument(help="CSV or .xlsx list.", exists=True, dir_okay=False)],
    commit_: Annotated[
        bool, typer.Option("--commit/--dry-run", help="Write (--commit) or only report (--dry-run, default).")
    ] = False,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help='"Sütun=alan", e.g. "Adı Soyadı=name".')
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
        raise InvalidValue(
            "actor", "--commit için --actor ve --role gerekli / --commit needs --actor and --role"
        )
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
    mapped = report["mapping"]
    lines = [f"  {h} → {mapped.get(h, '— (kullanılmıyor / ignored)')}" for h in headers]
    console.print("Sütun eşlemesi / column mapping:\n" + "\n".join(lines), markup=False)
    done = "içe aktarıldı / imported" if report["committed"] else "deneme / dry run"
    table = RichTable(title=f"{report['source']}: {done}")
    for column in ("Satır", "Durum", "Hane", "T.C.", "Mahalle", "Konum", "Programlar", "Sorunlar"):
        table.add_column(column, overflow="fold")
    for h in report["households"]:
        where = h["placed_by"] + (f": {h['placed_at']}" if h["placed_at"] else "")
        programmes = ", ".join(
            f"{p['programme']} {p['start'] or ''} {p['step']}".strip() for p in h["programmes"]
        )
        problems = "; ".join(f"{p['row']} {p['field']}: {p['message']}" for p in h["problems"])
        problems += "".join(f"; {w}" for w in h["warnings"])
        table.add_row(
            ",".join(str(r) for r in h["rows"]),
            STATUS_TR.get(h["result"] or h["status"], h["status"]),
            h["name"],
            h["national_id"],
            f"{h['neighbourhood']}, {h['district']}",
            where,
            programmes,
            problems.strip("; "),
        )
    console.print(table)
    totals = ", ".join(f"{STATUS_TR.get(k, k)}: {n}" for k, n in sorted(report["totals"].items()))
    console.print(f"Toplam / totals: {totals}", markup=False)


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
        raise InvalidValue("format", f"{fmt!r}: xlsx ya da csv / xlsx or csv")
    day = parse_date("on", on) if on else today_in_istanbul()
    with services() as s:
        s.catch_up()
        data = export_caseload(s.views, day, fmt, delimiter)
    out.write_bytes(data)
    typer.echo(f"Dışa aktarıldı / exported: {out} ({len(data):,} bayt / bytes)")

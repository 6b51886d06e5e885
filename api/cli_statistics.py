"""`kapida reports`: the monthly and yearly figures municipalities publish, as a table or a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli_support import JsonOption, rows_of, services, show, words
from api.i18n import _
from api.report_tables import csv_text, readable
from projections.report_queries import ReportRow, report

reports = typer.Typer(help="Reports: monthly and yearly published figures.", no_args_is_help=True)
YearOption = Annotated[int, typer.Option(min=2000, max=2100, help="Year (YYYY).")]
CsvOption = Annotated[Path | None, typer.Option("--csv", help="Also write the rows to this CSV file.")]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text(csv_text(rows), encoding="utf-8", newline="")


def _publish(
    rows: list[ReportRow], as_json: bool, csv_path: Path | None, title: str, **params: object
) -> None:
    table = readable(rows, words().lang)
    if csv_path is not None:
        write_csv(csv_path, table)
    show(rows_of(rows) if as_json else table, as_json, title, **params)


@reports.command("monthly")
def monthly(
    year: YearOption,
    month: Annotated[
        int | None, typer.Option(min=1, max=12, help="Month (1-12); default every month.")
    ] = None,
    csv_path: CsvOption = None,
    as_json: JsonOption = False,
) -> None:
    """Per month, programme and district: applications, households and people served, amounts delivered."""
    months = [month] if month else list(range(1, 13))
    with services() as s:
        s.catch_up()
        rows = [row for m in months for row in report(s.views, year, m)]
    period = f"{month:02d}.{year}" if month else str(year)
    _publish(rows, as_json, csv_path, _("Monthly report {period}"), period=period)


@reports.command("yearly")
def yearly(year: YearOption, csv_path: CsvOption = None, as_json: JsonOption = False) -> None:
    """The year's figures per programme and district, with each programme's total."""
    with services() as s:
        s.catch_up()
        rows = report(s.views, year)
    _publish(rows, as_json, csv_path, _("Yearly report {year}"), year=year)

"""The published report as people read it: columns and labels from the catalogues, and as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from api.wording import label, say
from projections.report_queries import ReportRow

COLUMNS = (
    "period",
    "programme",
    "district",
    "applications_received",
    "applications_assessed",
    "approved",
    "rejected",
    "households_served",
    "people_served",
    "delivered",
    "unit",
)


def readable(rows: list[ReportRow], lang: str = "tr") -> list[dict[str, Any]]:
    """Rows with the catalogue's column names and labels (programme, unit, "all districts")."""
    return [
        {say(f"report.{column}", lang): _cell(column, getattr(row, column), lang) for column in COLUMNS}
        for row in rows
    ]


def _cell(column: str, value: Any, lang: str) -> Any:
    if column == "programme":
        return label("programme", value, lang)
    if column == "unit":
        return label("report.unit", value, lang)
    if column == "district" and not value:
        return say("report.all_districts", lang)
    return value


def csv_text(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV, starting with a byte-order mark so spreadsheets read Turkish letters right."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buffer.getvalue()

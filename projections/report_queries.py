"""The figures municipalities publish, per programme and district, for a month or a year (report view).

Applications received, assessed (first home visit), approved and rejected; households and people served
(a household counts once per period, with its size when served); and what was handed over in the unit
the public reads: meals, litres of milk, food and gluten-free parcels, accessible-transport trips.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from domain.programmes import CATALOGUE, Programme
from projections.sql import ViewDatabase

SERVED = ("delivered", "dropped_off")
# What each programme's published figure counts.
UNITS = {
    Programme.HOT_MEAL.value: "meal",
    Programme.MILK.value: "litre",
    Programme.FOOD_PARCEL.value: "parcel",
    Programme.GLUTEN_FREE.value: "parcel",
    Programme.ACCESSIBLE_TRANSPORT.value: "trip",
}


@dataclass(frozen=True)
class ReportRow:
    """One programme in one district (or all districts: `district` empty) for one period."""

    period: str
    programme: str
    district: str
    applications_received: int
    applications_assessed: int
    approved: int
    rejected: int
    households_served: int
    people_served: int
    delivered: int
    unit: str


def period_of(year: int, month: int | None) -> str:
    return f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"


def report(db: ViewDatabase, year: int, month: int | None = None) -> list[ReportRow]:
    """Per programme and district, then each programme's total over all districts (district "")."""
    period = period_of(year, month)
    figures: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * 7)
    for by_district in (True, False):
        _applications(db, period, by_district, figures)
        _served(db, period, by_district, figures)
        _handed_over(db, period, by_district, figures)
    ordered = sorted(figures.items(), key=lambda kv: (kv[0][0], kv[0][1] == "", kv[0][1]))
    return [
        ReportRow(period, programme, district, rec, ass, app, rej, hh, people, out, UNITS.get(programme, ""))
        for (programme, district), (rec, ass, app, rej, hh, people, out) in ordered
    ]


def _group(by_district: bool) -> tuple[str, str]:
    """The district column to select and the GROUP BY for a per-district or an all-district figure."""
    return ("district", "GROUP BY programme, district") if by_district else ("''", "GROUP BY programme")


def _applications(
    db: ViewDatabase, period: str, by_district: bool, figures: dict[tuple[str, str], list[int]]
) -> None:
    district, group = _group(by_district)
    n = len(period)
    rows = db.query(
        f"SELECT programme, {district}, "
        f"SUM(CASE WHEN substr(received_on, 1, {n})=? THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN substr(assessed_on, 1, {n})=? THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN decision='approved' AND substr(decided_on, 1, {n})=? THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN decision='rejected' AND substr(decided_on, 1, {n})=? THEN 1 ELSE 0 END) "
        f"FROM rp_applications {group}",
        (period, period, period, period),
    )
    for programme, dist, received, assessed, approved, rejected in rows:
        if received or assessed or approved or rejected:
            figures[(programme, dist)][0:4] = [int(received), int(assessed), int(approved), int(rejected)]


def _served(
    db: ViewDatabase, period: str, by_district: bool, figures: dict[tuple[str, str], list[int]]
) -> None:
    district, group = _group(by_district)
    inner_district = "district, " if by_district else ""
    rows = db.query(
        f"SELECT programme, {district}, COUNT(*), SUM(members) FROM (SELECT programme, {inner_district}"
        "household_id, MAX(members) AS members FROM rp_deliveries "
        f"WHERE substr(day, 1, {len(period)})=? AND outcome IN (?, ?) "
        f"GROUP BY programme, {inner_district}household_id) AS households {group}",
        (period, *SERVED),
    )
    for programme, dist, households, people in rows:
        figures[(programme, dist)][4:6] = [int(households), int(people or 0)]


def _handed_over(
    db: ViewDatabase, period: str, by_district: bool, figures: dict[tuple[str, str], list[int]]
) -> None:
    district, group = _group(by_district)
    rows = db.query(
        f"SELECT programme, {district}, unit, kind, SUM(quantity), COUNT(*) FROM rp_deliveries "
        f"WHERE substr(day, 1, {len(period)})=? AND outcome IN (?, ?) {group}, unit, kind",
        (period, *SERVED),
    )
    for programme, dist, unit, kind, quantity, stops in rows:
        figures[(programme, dist)][6] += _published_amount(
            programme, str(unit), str(kind), int(quantity), int(stops)
        )


def _published_amount(programme: str, unit: str, kind: str, quantity: int, stops: int) -> int:
    """Meals and litres as delivered; parcels from kilograms; a trip per passenger dropped off."""
    if programme == Programme.ACCESSIBLE_TRANSPORT.value:
        return stops if kind == "dropoff" else 0
    spec = CATALOGUE.get(Programme(programme))
    if unit == "kg" and spec is not None and spec.kg_per_unit:
        return round(quantity / spec.kg_per_unit)
    return quantity

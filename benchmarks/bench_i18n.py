"""What Turkish-first costs: household search, Turkish sorting, translated refusals and the pages' texts.

Each figure is a ratio to an anchor measured in the same run on the same data, so the machine's load
cancels out: search against SQL's own (Turkish-blind) LIKE on the stored name; Turkish sort against
Python's code-point sort; a refusal rendered in Turkish against the same refusal rendered in English.
Households are registered through the normal command (SQLite in a temporary folder). Prints a table;
writes `benchmarks/results/i18n.json`.

    PYTHONPATH=. .venv/bin/python -m benchmarks.bench_i18n [--households 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from api.bootstrap import bootstrap
from api.i18n import catalogue, translator
from domain import turkish
from domain.database import Database
from domain.errors import N_, InvalidValue
from domain.values import Actor, GeoPoint, Member, PersonalDetails, Role
from projections.household_search import search_households
from projections.sql import ViewDatabase

FIRST = [
    "İsmail",
    "Işık",
    "Ilgın",
    "Çiğdem",
    "Şule",
    "Ömer",
    "Ümit",
    "Gökhan",
    "Ayşe",
    "Elif",
    "Zeynep",
    "Can",
]
LAST = ["Işıkçı", "Yılmaz", "Öztürk", "Çelik", "Şahin", "Ilıcak", "İnce", "Güneş", "Kalkavan", "Doğan"]
QUERIES = ["ışık", "isik", "ILIK", "çelik", "celik", "İnce", "ince", "0532 4", "555 12", "ömer"]
RESULT = Path(__file__).resolve().parent / "results" / "i18n.json"
ACTOR = Actor("bench", Role.CASEWORKER)


def median_s(action: Callable[[], object], repeat: int) -> float:
    """The median wall time of `action` over `repeat` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def register(households: int, folder: Path) -> Database:
    database = Database.from_url(str(folder / "kapida.sqlite"))
    services = bootstrap(database)
    rng = random.Random(7)
    try:
        for n in range(households):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            phone = f"0532 {rng.randrange(100, 999)} {rng.randrange(10, 99)} {n % 100:02d}"
            services.app.register_household(
                PersonalDetails(name, phone, f"Cumhuriyet Cd. No:{n}", ""),
                GeoPoint(41.02, 40.52),
                "Rize Merkez",
                rng.choice(["Tophane Mah.", "Çarşı Mah.", "İslampaşa Mah.", "Şehitler Mah."]),
                (Member(name.split()[0], date(1950, 1, 1)),),
                (),
                ACTOR,
            )
        services.catch_up()
    finally:
        services.close()
    return database


def _raw_like(views: ViewDatabase, query: str) -> list[tuple[str, ...]]:
    """The anchor: the same join with SQL's own LIKE on the stored name, sorted by the database."""
    return views.query(
        "SELECT c.household_id, c.name, c.phone, c.address_text, h.district, h.neighbourhood "
        "FROM cl_contacts c JOIN cl_households h ON h.household_id=c.household_id "
        "WHERE c.name LIKE ? OR c.phone LIKE ? ORDER BY c.name LIMIT 50",
        (f"%{query}%", f"%{query}%"),
    )


def measure(households: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        database = register(households, Path(tmp))
        services = bootstrap(database)
        try:
            views = services.views
            search = median_s(lambda: [search_households(views, q) for q in QUERIES], 20) / len(QUERIES)
            raw = median_s(lambda: [_raw_like(views, q) for q in QUERIES], 20) / len(QUERIES)
            names = [row[0] for row in views.query("SELECT name FROM cl_contacts")]
        finally:
            services.close()
    turkish_sort = median_s(lambda: sorted(names, key=turkish.sort_key), 20)
    plain_sort = median_s(lambda: sorted(names), 20)
    error = InvalidValue("end_date", N_("{end_date} is before the start date {start_date}"),
                         end_date=date(2026, 11, 1), start_date=date(2026, 11, 21))  # fmt: skip
    words = translator("tr")
    rendered = median_s(lambda: [words.error(error) for _ in range(1000)], 20) / 1000
    plain = median_s(lambda: [error.render() for _ in range(1000)], 20) / 1000
    catalogue.cache_clear()
    load = median_s(lambda: (catalogue.cache_clear(), catalogue("tr")), 5)
    pages = median_s(lambda: words.pages(), 20)
    return {
        "households": households,
        "search_ms": search * 1000,
        "raw_like_ms": raw * 1000,
        "search_to_raw_like": search / raw,
        "turkish_sort_ms": turkish_sort * 1000,
        "plain_sort_ms": plain_sort * 1000,
        "turkish_to_plain_sort": turkish_sort / plain_sort,
        "translated_error_us": rendered * 1e6,
        "english_error_us": plain * 1e6,
        "turkish_to_english_error": rendered / plain,
        "catalogue_load_ms": load * 1000,
        "page_texts_ms": pages * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=3000)
    args = parser.parse_args()
    figures = measure(args.households)
    figures["load_average"] = os.getloadavg()[0]
    for name, value in figures.items():
        print(f"{name:24s} {value:12.3f}")
    RESULT.parent.mkdir(exist_ok=True)
    RESULT.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()

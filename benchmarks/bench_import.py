"""How long importing an office's list takes, against the same households written by the commands directly.

A list of N households on real Rize addresses (sampled residential buildings of the OSM extract; half the
rows without coordinates, so the geocoder places them from the door or street) is read, mapped, dry-run,
imported, imported again (nothing to do) and exported. The anchor, measured in the same run, is the same
households registered, applied for, assessed and approved through `Kapida` directly into a fresh SQLite
file: the ratio shows what the import adds to the commands it issues.

Prints a table and writes `benchmarks/results/import.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from api.bootstrap import Services, bootstrap
from api.exporting import export_caseload
from api.importing.places import load_places
from api.importing.readers import read_table
from api.importing.workflow import choose_mapping, commit, dry_run
from domain.database import Database
from domain.programmes import Programme
from domain.service import ISTANBUL, today_in_istanbul
from domain.values import Actor, Channel, GeoPoint, Member, PersonalDetails, Role

RESULTS = Path(__file__).resolve().parent / "results" / "import.json"
ACTOR = Actor("bench.import", Role.CASEWORKER)
HEADER = (
    "Adı Soyadı;T.C. Kimlik No;Cep Tel;Adres;İlçe;Mahalle;Enlem;Boylam;Program;Başlangıç Tarihi;Doğum Tarihi"
)
T = TypeVar("T")


def tc(seed: int) -> str:
    digits = [1 + seed % 9, *(int(c) for c in f"{seed:08d}"[-8:])]
    tenth = (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    return "".join(map(str, digits)) + f"{tenth}{(sum(digits) + tenth) % 10}"


def households(n: int, seed: int) -> list[dict[str, Any]]:
    """N households at sampled residential addresses; every other one without coordinates."""
    import maps

    rng = random.Random(seed)
    addresses = [
        a
        for a in maps.sample_residential_addresses(maps.default_roads_source(), n * 2, seed)
        if a.neighbourhood
    ][:n]
    out = []
    for i, a in enumerate(addresses):
        elderly = rng.random() < 0.3
        born = date(rng.randint(1935, 1955) if elderly else rng.randint(1960, 2000), rng.randint(1, 12), 1)
        programmes = ["Gıda kolisi", *(["Sıcak yemek"] if elderly else [])]
        out.append(
            {
                "name": f"Hane {i} Yılmaz",
                "tc": tc(10_000 + i),
                "address": f"{a.street} No:{a.housenumber}",
                "district": a.district,
                "neighbourhood": a.neighbourhood,
                "lat": a.lat if i % 2 == 0 else None,
                "lon": a.lon if i % 2 == 0 else None,
                "programmes": programmes,
                "start": today_in_istanbul() - timedelta(days=rng.randint(0, 400)),
                "born": born,
            }
        )
    return out


def as_csv(rows: list[dict[str, Any]]) -> bytes:
    lines = [HEADER]
    for r in rows:
        where = (f"{r['lat']:.7f}", f"{r['lon']:.7f}") if r["lat"] is not None else ("", "")
        for programme in r["programmes"]:  # one row per programme, as many offices keep them
            cells = (
                r["name"], r["tc"], "0532 123 45 67", r["address"], r["district"], r["neighbourhood"], *where,
                programme, r["start"].strftime("%d.%m.%Y"), r["born"].strftime("%d.%m.%Y"),
            )  # fmt: skip
            lines.append(";".join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def direct(services: Services, rows: list[dict[str, Any]], placed: dict[str, GeoPoint]) -> None:
    """The anchor: the same households through the commands, one by one, as the import issues them."""
    app = services.app
    for r in rows:
        household = app.register_household(
            PersonalDetails(r["name"], "0532 123 45 67", r["address"], r["tc"]),
            placed[r["tc"]],
            r["district"],
            r["neighbourhood"],
            (Member(r["name"], r["born"]),),
            (),
            ACTOR,
        )
        for title in r["programmes"]:
            programme = Programme.HOT_MEAL if title == "Sıcak yemek" else Programme.FOOD_PARCEL
            day = min(r["start"], today_in_istanbul())
            received = datetime.combine(day, datetime.min.time(), ISTANBUL).replace(hour=9)
            application = app.submit_application(household, programme, Channel.IMPORT, ACTOR, received)
            app.assess_application(application, "Mevcut listeden aktarıldı", day, ACTOR)
            app.approve_application(application, ACTOR, decided_on=day, start_date=r["start"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    rows = households(args.households, args.seed)
    data = as_csv(rows)
    measures: list[dict[str, Any]] = []

    def record(name: str, wall: float, cpu: float, count: int) -> None:
        measures.append(
            {"measure": name, "households": count, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}
        )

    places, wall, cpu = timed(load_places)
    record("load places (OSM doors and streets, boundaries)", wall, cpu, 0)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("KAPIDA_SECRET", "bench-import-secret")
        imported = bootstrap(Database.from_url(str(Path(folder) / "import.sqlite")))
        anchor = bootstrap(Database.from_url(str(Path(folder) / "direct.sqlite")))

        def read(query: Callable[[Any], T]) -> T:
            imported.catch_up()
            return query(imported.views)

        table, wall, cpu = timed(lambda: read_table(data, "liste.csv"))
        mapping = choose_mapping(table, {})
        record(f"read + map ({len(table.rows)} rows)", wall, cpu, len(rows))
        plan, wall, cpu = timed(
            lambda: dry_run(read, imported.national_id_key, table, mapping, places=places)
        )
        record("dry run (checks, geocoding, lookups)", wall, cpu, len(rows))
        _, wall, cpu = timed(lambda: commit(plan, imported.app, ACTOR))
        import_wall, import_cpu = wall, cpu
        record("import: commands (register, submit, assess, approve)", wall, cpu, len(rows))
        statuses = {h.result for h in plan.households}
        placed = {h.draft.national_id: h.location for h in plan.households if h.location is not None}
        _, wall, cpu = timed(imported.catch_up)
        record("projections catch up after the import", wall, cpu, len(rows))
        again, wall, cpu = timed(
            lambda: dry_run(read, imported.national_id_key, table, mapping, places=places)
        )
        record("second run: dry run (all unchanged)", wall, cpu, len(rows))
        for fmt in ("xlsx", "csv"):
            out, wall, cpu = timed(lambda fmt=fmt: export_caseload(imported.views, today_in_istanbul(), fmt))
            record(f"export {fmt} ({len(out):,} bytes)", wall, cpu, len(rows))
        todo = [r for r in rows if r["tc"] in placed]
        _, wall, cpu = timed(lambda: direct(anchor, todo, placed))  # type: ignore[arg-type]
        record("ANCHOR: the same commands called directly", wall, cpu, len(todo))
        imported.close()
        anchor.close()
    load = os.getloadavg()
    result = {
        "households": len(rows),
        "placed": len(placed),
        "statuses": sorted(s for s in statuses if s),
        "second_run": sorted({h.status.value for h in again.households}),
        "import_to_anchor_ratio_wall": round(import_wall / max(wall, 1e-9), 2),
        "import_to_anchor_ratio_cpu": round(import_cpu / max(cpu, 1e-9), 2),
        "load_average": [round(x, 2) for x in load],
        "measures": measures,
    }
    print(f"{'measure':58} {'households':>10} {'wall s':>8} {'cpu s':>8} {'per household ms':>17}")
    for m in measures:
        per = 1000 * m["wall_s"] / m["households"] if m["households"] else 0
        print(f"{m['measure']:58} {m['households']:>10} {m['wall_s']:>8.2f} {m['cpu_s']:>8.2f} {per:>17.1f}")
    ratios = f"{result['import_to_anchor_ratio_wall']}x wall, {result['import_to_anchor_ratio_cpu']}x cpu"
    print(f"import / anchor: {ratios}; load average {result['load_average']}")
    print(f"placed {len(placed)} of {len(rows)}; statuses {result['statuses']}", end="; ")
    print(f"second run {result['second_run']}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

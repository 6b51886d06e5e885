"""What the import tests share: valid T.C. numbers, lists as offices write them, and a one-call import."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from api.bootstrap import Services
from api.importing.plan import ImportPlan
from api.importing.readers import read_table
from api.importing.workflow import choose_mapping, commit, dry_run
from domain.service import today_in_istanbul
from domain.values import Actor, Role, is_valid_tc_kimlik

IMPORTER = Actor("ayse.yilmaz", Role.CASEWORKER)
HEADER = (
    "Sıra;Adı Soyadı;T.C. Kimlik No;Cep Tel;Adres;İlçe;Mahalle;Enlem;Boylam;Program;Başlangıç Tarihi;"
    "İhtiyaçlar;Doğum Tarihi"
)


def tc(seed: int) -> str:
    """A T.C. kimlik number with correct check digits, different for each seed."""
    digits = [1 + seed % 9, *(int(c) for c in f"{seed:08d}"[-8:])]
    tenth = (sum(digits[0:9:2]) * 7 - sum(digits[1:8:2])) % 10
    eleventh = (sum(digits) + tenth) % 10
    number = "".join(map(str, digits)) + f"{tenth}{eleventh}"
    assert is_valid_tc_kimlik(number)
    return number


def turkish(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def years_ago(years: int) -> str:
    return turkish(today_in_istanbul() - timedelta(days=365 * years + 30))


def row(
    number: int,
    name: str,
    national_id: str,
    programme: str = "Gıda kolisi",
    born: str = "01.01.1980",
    needs: str = "",
    district: str = "Rize Merkez",
    neighbourhood: str = "Tophane Mah.",
    where: tuple[str, str] = ("41.0249", "40.5218"),
    address: str = "Çanakkale Cad. No:3",
    start: str = "01.10.2026",
) -> str:
    cells = (
        str(number), name, national_id, "0532 123 45 67", address, district, neighbourhood, *where,
        programme, start, needs, born,
    )  # fmt: skip
    return ";".join(cells)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode("utf-8")


def run(
    services: Services,
    data: bytes,
    name: str = "liste.csv",
    actor: Actor | None = None,
    placements: Mapping[int, tuple[float, float]] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> ImportPlan:
    """A dry run (or, with `actor`, a real run) of one file, as the CLI and the page do it."""
    table = read_table(data, name)
    mapping = choose_mapping(table, overrides or {})

    def read(query):  # type: ignore[no-untyped-def]
        services.catch_up()
        return query(services.views)

    plan = dry_run(read, services.national_id_key, table, mapping, placements)
    if actor is not None:
        commit(plan, services.app, actor)
        services.catch_up()
    return plan


def outcome(plan: ImportPlan) -> dict[int, str]:
    """Each household's first row and what happened to it (or would)."""
    return {h.draft.first_row: h.result or h.status.value for h in plan.households}


def problem_fields(plan: ImportPlan, first_row: int) -> list[str]:
    item = next(h for h in plan.households if h.draft.first_row == first_row)
    return [p.field for p in item.problems]


def event_count(services: Services) -> int:
    return int(services.app.recorder.max_notification_id() or 0)

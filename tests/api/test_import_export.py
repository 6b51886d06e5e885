"""Exporting the caseload to .xlsx and CSV, and importing the export back into the same caseload."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from uuid import UUID

import openpyxl
import pytest

from api.bootstrap import Services, bootstrap
from api.exporting import HEADERS, caseload_rows, export_caseload
from domain.database import Database
from domain.programmes import Programme
from domain.service import ISTANBUL, today_in_istanbul
from domain.values import Channel, GeoPoint, Member, Need, PersonalDetails
from projections import queries
from tests.api.import_support import IMPORTER, outcome, run, tc


def _household(services: Services, seed: int, members: tuple[Member, ...], needs: tuple[Need, ...]) -> UUID:
    return services.app.register_household(
        PersonalDetails(f"Hane {seed} Çağlayan", "0532 123 45 67", f"Cumhuriyet Cad. No:{seed}", tc(seed)),
        GeoPoint(41.0201 + seed / 10_000, 40.5234),
        "Rize Merkez",
        "Tophane Mah." if seed % 2 else "Müftü Mh.",
        members,
        needs,
        IMPORTER,
    )


def _enrol(services: Services, household: UUID, programme: Programme, decided: date) -> UUID:
    app = services.app
    received = datetime.combine(decided - timedelta(days=9), datetime.min.time(), ISTANBUL)
    application = app.submit_application(household, programme, Channel.CALL_CENTRE, IMPORTER, received)
    app.assess_application(application, "Ev ziyareti yapıldı", decided - timedelta(days=5), IMPORTER)
    return app.approve_application(application, IMPORTER, decided_on=decided)


def build_caseload(services: Services) -> None:
    """Elderly, a young family on milk, a coeliac household, one ended enrolment, one household with none."""
    today = today_in_istanbul()
    elderly = _household(services, 1, (Member("Fatma", date(1948, 3, 14)),), (Need.BEDRIDDEN, Need.DIABETIC))
    family = _household(
        services, 2, (Member("Elif", date(1994, 6, 1)), Member("Can", today - timedelta(days=400))), ()
    )
    coeliac = _household(services, 3, (Member("Şule", date(1980, 1, 2)),), (Need.COELIAC,))
    _household(services, 4, (Member("İsmail", date(1970, 7, 7)),), ())
    _enrol(services, elderly, Programme.HOT_MEAL, date(2026, 9, 10))
    _enrol(services, elderly, Programme.FOOD_PARCEL, date(2026, 10, 1))
    _enrol(services, family, Programme.MILK, today - timedelta(days=20))
    _enrol(services, coeliac, Programme.GLUTEN_FREE, date(2026, 8, 3))
    ended = _enrol(services, coeliac, Programme.FOOD_PARCEL, date(2026, 8, 3))
    services.app.end_enrolment(ended, date(2026, 10, 31), "Başka ile taşındı / moved away", IMPORTER)
    services.catch_up()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Services]:
    """A second, empty Kapıda: where the export is imported back."""
    wired = bootstrap(Database.from_url(str(tmp_path / "fresh.sqlite")))
    yield wired
    wired.close()


def _personal(services: Services) -> list[tuple[str, ...]]:
    return sorted(
        (r.name, r.national_id, r.phone, r.address, r.members, r.needs, r.programme, str(r.start), str(r.end))
        for r in caseload_rows(services.views, today_in_istanbul())
    )


@pytest.mark.parametrize(("fmt", "delimiter"), [("xlsx", ";"), ("csv", ";"), ("csv", ",")])
def test_an_exported_caseload_imports_back_into_the_same_caseload(
    services: Services, fresh: Services, fmt: str, delimiter: str
) -> None:
    """Households, programmes, start and end dates, areas, contacts, members and needs survive the round
    trip; the caseload of the fresh database equals the original's today and in a month."""
    build_caseload(services)
    data = export_caseload(services.views, today_in_istanbul(), fmt, delimiter)
    plan = run(fresh, data, name=f"vaka.{fmt}", actor=IMPORTER)
    assert sorted(outcome(plan).values()) == ["created"] * 4
    for day in (today_in_istanbul(), today_in_istanbul() + timedelta(days=30)):
        assert queries.caseload(fresh.views, day) == queries.caseload(services.views, day)
    assert _personal(fresh) == _personal(services)
    again = run(fresh, data, name=f"vaka.{fmt}", actor=IMPORTER)
    assert sorted(outcome(again).values()) == ["unchanged"] * 4


def test_csv_export_has_a_byte_order_mark_turkish_headers_and_dates() -> None:
    """Excel needs the BOM to show ç, ğ, ı, İ, ö, ş, ü; dates are written 21.11.2026."""
    from api.exporting import ExportRow, to_csv

    row = ExportRow(
        "9f1c", "Şükrü Çağlayan", tc(1), "0532 123 45 67", "Çarşı", "Rize Merkez", "Çarşı Mh.",
        41.02, 40.52, "Şükrü (01.02.1950)", "yatalak", "Sıcak yemek", date(2026, 11, 21), None,
    )  # fmt: skip
    data = to_csv([row])
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == list(HEADERS)
    assert lines[1].endswith(";Sıcak yemek;21.11.2026;")


def test_xlsx_export_keeps_dates_as_dates_and_numbers_as_text(services: Services) -> None:
    """Start dates are date cells (shown 21.11.2026); the T.C. number stays text, not 1.0E10."""
    build_caseload(services)
    data = export_caseload(services.views, today_in_istanbul(), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADERS
    starts = [r[HEADERS.index("Başlangıç Tarihi")] for r in rows[1:]]
    assert len(starts) == 5 and all(isinstance(s, datetime) for s in starts if s is not None)
    assert starts.count(None) == 1  # the household with no enrolment
    assert all(isinstance(r[HEADERS.index("T.C. Kimlik No")], str) for r in rows[1:])


def test_a_household_whose_personal_rows_are_gone_never_leaves_in_an_export(services: Services) -> None:
    """Erasure deletes the household's contact row; the export reads personal data only from the read
    models, so that household, its number and its members are in no exported byte."""
    build_caseload(services)
    erased = services.views.query("SELECT household_id FROM cl_contacts WHERE name=?", ("Hane 1 Çağlayan",))[
        0
    ][0]
    with services.views.transaction() as cur:  # what the erasure handler does to the view rows
        cur.execute("DELETE FROM cl_contacts WHERE household_id=?", (erased,))
        cur.execute("DELETE FROM hx_people WHERE household_id=?", (erased,))
        cur.execute("DELETE FROM hx_national_ids WHERE household_id=?", (erased,))
    for fmt in ("csv", "xlsx"):
        data = export_caseload(services.views, today_in_istanbul(), fmt)
        text = (
            data.decode("utf-8-sig")
            if fmt == "csv"
            else str(
                list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
            )
        )
        assert "Hane 1 Çağlayan" not in text and tc(1) not in text and "Fatma" not in text
        assert "Hane 2 Çağlayan" in text

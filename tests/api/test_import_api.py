"""The import and export routes: upload, mapping, dry run, import as the signed-in user, download."""

from __future__ import annotations

import io
import json
from uuid import UUID

import openpyxl

from api.bootstrap import Services
from domain.values import Role
from tests.api.import_support import csv_file, event_count, row, tc
from tests.api.test_api_support import NAMES, api_for

LIST = csv_file(
    row(1, "Fatma Kalkavan", tc(1), "Sıcak yemek", born="14.03.1948", needs="yatalak"),
    row(2, "Ali Yılmaz", "12345678901"),
    row(3, "Zeynep Kaya", tc(3), where=("", ""), address="Uydurma Sokak No:3"),
)


def _upload(extra: dict[str, str] | None = None) -> dict[str, object]:
    return {"files": {"file": ("liste.csv", LIST, "text/csv")}, "data": extra or {}}


def test_the_upload_suggests_a_mapping_and_the_dry_run_writes_nothing(services: Services) -> None:
    """The mapping step pre-fills every column from its header; the dry run lists ok, wrong and to place."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        found = api.client.post("/api/imports/households/mapping", headers=headers, **_upload())  # type: ignore[arg-type]
        assert found.status_code == 200
        assert found.json()["suggestion"]["T.C. Kimlik No"] == "national_id"
        assert found.json()["sample"][0][1] == "Fatma Kalkavan"
        before = event_count(services)
        report = api.client.post("/api/imports/households/dry-run", headers=headers, **_upload())  # type: ignore[arg-type]
        assert report.status_code == 200, report.text
        assert event_count(services) == before
        statuses = [(h["rows"], h["status"]) for h in report.json()["households"]]
        assert statuses == [([2], "create"), ([3], "error"), ([4], "to_place")]
        assert report.json()["households"][0]["national_id"] == f"{tc(1)[:3]}******{tc(1)[-2:]}"


def test_the_import_writes_as_the_signed_in_user_and_takes_hand_placed_positions(services: Services) -> None:
    """Positions typed on the page place the third household; the events carry the manager's name."""
    with api_for(services) as api:
        headers = api.as_role(Role.MANAGER)
        placements = json.dumps({"4": [41.024, 40.521]})
        done = api.client.post(
            "/api/imports/households", headers=headers, **_upload({"placements": placements})
        )  # type: ignore[arg-type]
        assert done.status_code == 200, done.text
        assert [h["result"] for h in done.json()["households"]] == ["created", "error", "created"]
        created = done.json()["households"][0]["household_id"]
        events = services.app.events_of(UUID(created))
        assert {(e.actor.user, e.actor.role) for e in events} == {(NAMES[Role.MANAGER], Role.MANAGER)}
        again = api.client.post(
            "/api/imports/households", headers=headers, **_upload({"placements": placements})
        )  # type: ignore[arg-type]
        assert [h["result"] for h in again.json()["households"]] == ["unchanged", "error", "unchanged"]


def test_a_bad_mapping_is_refused_naming_the_field(services: Services) -> None:
    """Ignoring the phone column leaves a required field unmapped: 422 with field "mapping"."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        refused = api.client.post(
            "/api/imports/households/dry-run",
            headers=headers,
            **_upload({"mapping": json.dumps({"Cep Tel": "-"})}),  # type: ignore[arg-type]
        )
        assert refused.status_code == 422
        assert refused.json()["field"] == "mapping" and "phone" in refused.json()["detail"]


def test_export_downloads_for_case_staff_only(services: Services) -> None:
    """Caseworkers and managers download .xlsx and CSV; a driver or dispatcher may not (personal data)."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)
        api.client.post("/api/imports/households", headers=headers, **_upload())  # type: ignore[arg-type]
        xlsx = api.client.get("/api/exports/caseload?format=xlsx", headers=headers)
        assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None and sheet["B2"].value == "Fatma Kalkavan"
        csv = api.client.get("/api/exports/caseload?format=csv&delimiter=,", headers=headers)
        assert csv.content.startswith(b"\xef\xbb\xbfHane No,")
        for role in (Role.DRIVER, Role.DISPATCHER):
            assert api.client.get("/api/exports/caseload", headers=api.as_role(role)).status_code == 403


def test_the_dry_runs_row_problems_are_in_the_readers_language(services: Services) -> None:
    """The bad T.C. number of row 3 reads in Turkish by default and in English for an English browser."""
    with api_for(services) as api:
        headers = api.as_role(Role.CASEWORKER)

        def problem(extra: dict[str, str]) -> str:
            report = api.client.post("/api/imports/households/dry-run", headers=headers | extra, **_upload())  # type: ignore[arg-type]
            wrong = next(h for h in report.json()["households"] if h["status"] == "error")
            return str(wrong["problems"][0]["message"])

        assert problem({}) == "'12345678901' geçerli bir T.C. kimlik no değil"
        assert problem({"Accept-Language": "en"}) == "'12345678901' is not a valid T.C. kimlik number"

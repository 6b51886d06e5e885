"""Published figures over HTTP and the CLI: JSON, a CSV with Turkish column names, a year and its months."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for
from tests.api.test_asof_api import kapida, url_of
from tests.projections.test_reports import november


def test_the_api_gives_monthly_and_yearly_figures_as_json_and_csv(services: Services) -> None:
    """Managers get the month's rows and a CSV whose header is Turkish; drivers are refused."""
    november(services)
    with api_for(services) as api:
        manager, driver = api.as_role(Role.MANAGER), api.as_role(Role.DRIVER)
        rows = api.client.get(
            "/api/reports/monthly", params={"year": 2026, "month": 11}, headers=manager
        ).json()
        meals = next(r for r in rows if (r["programme"], r["district"]) == ("hot_meal", "Rize Merkez"))
        assert (meals["delivered"], meals["unit"], meals["households_served"]) == (2, "meal", 1)
        yearly = api.client.get("/api/reports/yearly", params={"year": 2026}, headers=manager).json()
        assert {r["period"] for r in yearly} == {"2026"}
        response = api.client.get(
            "/api/reports/monthly", params={"year": 2026, "month": 11, "format": "csv"}, headers=manager
        )
        assert response.headers["content-type"].startswith("text/csv")
        table = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
        assert "Hizmet alan hane" in table[0] and any(r["Program"] == "Sıcak yemek" for r in table)
        assert any(r["İlçe"] == "Tüm ilçeler" for r in table)
        assert api.client.get("/api/reports/yearly", params={"year": 2026}, headers=driver).status_code == 403
        bad = api.client.get("/api/reports/monthly", params={"year": 2026, "month": 13}, headers=manager)
        assert bad.status_code == 422


def test_the_cli_prints_the_months_and_writes_the_csv(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`kapida reports monthly --year 2026 --month 11 --csv FILE` and `reports yearly --json`."""
    monkeypatch.setenv("KAPIDA_DB", url_of(services.views.database))
    november(services)
    target = tmp_path / "kasim.csv"
    code, out, err = kapida(
        capsys, "reports", "monthly", "--year", "2026", "--month", "11", "--csv", str(target)
    )
    assert code == 0, err
    assert "Aylık rapor" in out
    assert "Sıcak yemek" in target.read_text(encoding="utf-8-sig")
    code, out, _ = kapida(capsys, "reports", "yearly", "--year", "2026", "--json")
    rows = json.loads(out)
    assert code == 0 and any(r["programme"] == "food_parcel" and r["delivered"] == 2 for r in rows)
    code, _, err = kapida(capsys, "reports", "monthly", "--year", "1999")
    assert code == 2 and "year" in err.lower()

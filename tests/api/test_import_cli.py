"""`kapida import households` and `kapida export caseload` as an office uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import run
from tests.api.import_support import csv_file, row, tc

pytestmark = pytest.mark.usefixtures("cli_store")


@pytest.fixture
def listing(tmp_path: Path) -> Path:
    path = tmp_path / "liste.csv"
    path.write_bytes(
        csv_file(
            row(1, "Fatma Kalkavan", tc(1), "Sıcak yemek", born="14.03.1948", needs="yatalak"),
            row(2, "Ali Yılmaz", "12345678901"),
        )
    )
    return path


def kapida(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_default_is_a_dry_run_that_shows_the_mapping_and_each_row(
    capsys: pytest.CaptureFixture[str], listing: Path
) -> None:
    """Without --commit nothing is written; the mapping and every row's fate are printed; exit 1 because
    a row is wrong."""
    code, out, _ = kapida(capsys, "import", "households", str(listing))
    assert code == 1
    assert "T.C. Kimlik No → national_id" in out and ": deneme" in out and "Toplam: " in out
    assert "eklenecek" in out and "geçerli bir T.C. kimlik no değil" in out
    code, out, _ = kapida(capsys, "caseload", "--json")
    assert json.loads(out) == []


def test_commit_writes_once_and_a_second_run_reports_unchanged(
    capsys: pytest.CaptureFixture[str], listing: Path, tmp_path: Path
) -> None:
    """--commit imports the good row as the acting user; the same file again changes nothing; the mapping
    can be saved and reused."""
    saved = tmp_path / "eslem.json"
    code, out, _ = kapida(
        capsys, "import", "households", str(listing), "--commit", "--json", "--save-mapping", str(saved)
    )
    assert code == 1 and json.loads(out)["totals"] == {"created": 1, "error": 1}
    assert json.loads(saved.read_text(encoding="utf-8"))["Adı Soyadı"] == "name"
    code, out, _ = kapida(
        capsys, "import", "households", str(listing), "--commit", "--json", "--mapping", str(saved)
    )
    assert json.loads(out)["totals"] == {"unchanged": 1, "error": 1}
    code, out, _ = kapida(capsys, "caseload", "--json")
    assert [(r["programme"], r["active"]) for r in json.loads(out)] == [("hot_meal", 1)]


def test_a_required_column_left_unmapped_is_refused_with_exit_2(
    capsys: pytest.CaptureFixture[str], listing: Path
) -> None:
    """--map "Cep Tel=-" leaves no phone column: the refusal names it and nothing is read further."""
    code, _, err = kapida(capsys, "import", "households", str(listing), "--map", "Cep Tel=-")
    assert code == 2 and "phone (Telefon)" in err


def test_export_writes_xlsx_and_csv_that_import_back(
    capsys: pytest.CaptureFixture[str], listing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exported CSV re-imports into a fresh store with the same caseload."""
    kapida(capsys, "import", "households", str(listing), "--commit")
    exported = tmp_path / "vaka.csv"
    code, out, _ = kapida(capsys, "export", "caseload", "--format", "csv", "--out", str(exported))
    assert "Dışa aktarıldı" in out
    assert code == 0 and exported.read_bytes().startswith(b"\xef\xbb\xbfHane No;")
    code, _, _ = kapida(capsys, "export", "caseload", "--out", str(tmp_path / "vaka.xlsx"))
    assert code == 0 and (tmp_path / "vaka.xlsx").read_bytes().startswith(b"PK")
    _, before, _ = kapida(capsys, "caseload", "--json")
    monkeypatch.setenv("KAPIDA_DB", str(tmp_path / "fresh.sqlite"))
    code, _, _ = kapida(capsys, "import", "households", str(tmp_path / "vaka.xlsx"), "--commit")
    assert code == 0
    _, after, _ = kapida(capsys, "caseload", "--json")
    assert json.loads(after) == json.loads(before)
    code, _, err = kapida(capsys, "export", "caseload", "--format", "pdf", "--out", str(tmp_path / "x.pdf"))
    assert code == 2 and "format" in err

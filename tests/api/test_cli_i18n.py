"""The CLI in Turkish by default and in English with `--lang en` or `KAPIDA_LANG=en`: messages, refusals,
tables; and the household search with Turkish letters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.api.test_cli import HOUSEHOLD, kapida
from tests.maps.conftest import tiny_osm_xml

pytestmark = pytest.mark.usefixtures("cli_store")


def with_name(name: str, phone: str) -> tuple[str, ...]:
    args = list(HOUSEHOLD)
    args[args.index("--name") + 1] = name
    args[args.index("--phone") + 1] = phone
    return tuple(args)


def test_messages_and_refusals_are_turkish_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Hane kaydedildi` / `Household registered`; a refusal as `Hata: ...` / `Error: ...` (exit 2)."""
    code, out, _ = kapida(capsys, *HOUSEHOLD)
    assert code == 0 and out.startswith("Hane kaydedildi: ")
    code, out, _ = kapida(capsys, "--lang", "en", *HOUSEHOLD)
    assert code == 0 and out.startswith("Household registered: ")
    missing = ("applications", "approve", "00000000-0000-0000-0000-000000000000")
    code, _, err = kapida(capsys, *missing)
    assert code == 2 and err.strip() == "Hata: başvuru bulunamadı: 00000000-0000-0000-0000-000000000000"
    monkeypatch.setenv("KAPIDA_LANG", "en")
    code, _, err = kapida(capsys, *missing)
    assert code == 2 and err.strip() == "Error: application 00000000-0000-0000-0000-000000000000 not found"
    code, _, err = kapida(capsys, "--lang", "de", "caseload")
    assert code == 2 and "lang" in err


def test_tables_have_turkish_headers_programme_names_and_dates_and_english_ones_on_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The caseload's title, headers and programme names follow the language; JSON stays codes."""
    ident = json.loads(kapida(capsys, *HOUSEHOLD, "--json")[1])["id"]
    assert kapida(capsys, "applications", "submit", "--household", ident, "--programme", "milk",
                  "--channel", "whatsapp")[0] == 0  # fmt: skip
    _, out, _ = kapida(capsys, "caseload", "--on", "2026-11-21")
    assert "Vaka yükü 21.11.2026" in out and "Bekleyen başvuru" in out and "Süt Kuzusu" in out
    _, out, _ = kapida(capsys, "--lang", "en", "caseload", "--on", "2026-11-21")
    assert "Caseload 21/11/2026" in out and "Pending applications" in out and "Milk programme" in out
    _, out, _ = kapida(capsys, "caseload", "--on", "2026-11-21", "--json")
    assert json.loads(out)[0]["programme"] == "milk"


def test_households_search_folds_turkish_letters_and_sorts_alphabetically(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`kapida households search ışık` finds IŞIK and Işık, in Turkish order (Ç after C)."""
    for number, name in enumerate(["Çiğdem IŞIK", "Cem Işık", "Mehmet İlik", "Zeki Işıkçı"]):
        assert kapida(capsys, *with_name(name, f"0532 555 00 {number:02d}"))[0] == 0
    _, out, _ = kapida(capsys, "households", "search", "ışık", "--json")
    assert [row["name"] for row in json.loads(out)] == ["Cem Işık", "Çiğdem IŞIK", "Zeki Işıkçı"]
    _, out, _ = kapida(capsys, "households", "search", "İlik")
    assert "Mehmet İlik" in out and "'İlik' ile eşleşen haneler" in out
    code, _, err = kapida(capsys, "households", "search", "5")
    assert code == 2 and err.startswith("Hata: q: ")


def test_help_is_turkish_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kapida --help` and a sub-command's help: descriptions, option help, panel titles, --help itself."""
    code, out, _ = kapida(capsys, "--help")
    assert code == 0
    assert "sosyal hizmet başvuruları, hak sahipleri ve kapıya teslimat" in out
    assert "Seçenekler" in out and "Komutlar" in out and "Bu yardımı göster ve çık." in out
    assert "Program, ilçe ve mahalle başına aktif, askıdaki ve bekleyen haneler." in out
    assert "Show this message" not in out and "Options" not in out
    code, out, _ = kapida(capsys, "--lang", "en", "--help")
    assert code == 0 and "social-service applications, beneficiaries and door-to-door delivery" in out
    assert "Options" in out and "Commands" in out and "Show this message and exit." in out
    _, out, _ = kapida(capsys, "households", "add", "--help")
    assert "Haneyi fertleri ve ihtiyaçlarıyla kaydet." in out and "İrtibat kişisinin adı soyadı." in out
    assert "[zorunlu]" in out
    monkeypatch.setenv("KAPIDA_LANG", "en")
    _, out, _ = kapida(capsys, "households", "add", "--help")
    assert "Register a household with its members and needs." in out and "Contact person's full name." in out
    _, out, _ = kapida(capsys, "--lang=tr", "map", "matrix", "--help")
    assert "lat,lon sütunlu CSV." in out and "[varsayılan: 1.0]" in out


def test_map_info_speaks_the_readers_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`kapida map info`: what was kept and dropped, in Turkish by default and in English on request."""
    monkeypatch.setenv("KAPIDA_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "tiny.osm"
    source.write_text(tiny_osm_xml(), encoding="utf-8")
    code, out, _ = kapida(capsys, "map", "info", "--source", str(source))
    assert code == 0, out
    assert "kalan: 6 düğüm, 17 kenar (1 tek yön)" in out and "footway=2" in out and "parmak izi: " in out
    code, out, _ = kapida(capsys, "--lang", "en", "map", "info", "--source", str(source))
    assert code == 0 and "kept: 6 nodes, 17 edges (1 one-way)" in out and "fingerprint: " in out
    code, _, err = kapida(capsys, "map", "info", "--source", str(tmp_path / "gone.osm"))
    assert code == 2 and err.startswith("Hata: ") and "gone.osm" in err

"""`kapida audit verify` and `audit head` as an inspector uses them: exit 0 intact, 1 broken, 2 bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from api.cli import run
from tests.api.test_cli import HOUSEHOLD, kapida


@pytest.fixture(autouse=True)
def secret(cli_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `cli_store`: the installation's secret, and English texts, which these tests read."""
    monkeypatch.setenv("KAPIDA_SECRET", "an-installation-secret-long-enough-for-tokens")
    monkeypatch.setenv("KAPIDA_LANG", "en")


def two_households(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        assert run([*HOUSEHOLD, "--json"]) == 0
    capsys.readouterr()


def test_an_intact_log_exits_0_and_names_its_head(capsys: pytest.CaptureFixture[str]) -> None:
    """Two events recorded: JSON says intact, 2 checked, head #2; the table says the same in Turkish first."""
    two_households(capsys)
    code, out, _ = kapida(capsys, "audit", "verify", "--json")
    report = json.loads(out)
    assert code == 0 and report["intact"] and report["checked"] == 2
    assert report["head"]["notification_id"] == 2
    code, out, _ = kapida(capsys, "audit", "verify")
    assert code == 0 and "Chain intact: 2" in out


def test_a_tampered_log_exits_1_naming_the_record(
    capsys: pytest.CaptureFixture[str], cli_store: Path
) -> None:
    """A state edited with the sqlite3 shell: exit code 1 and the id and kind of the break."""
    two_households(capsys)
    with sqlite3.connect(cli_store) as conn:
        conn.execute("UPDATE stored_events SET state = state || x'20' WHERE rowid = 2")
    conn.close()
    code, out, _ = kapida(capsys, "audit", "verify")
    assert code == 1 and "BROKEN at #2 (changed)" in out


def test_bad_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A start id below 1 or an unreadable head file is refused with exit code 2, naming the field."""
    two_households(capsys)
    code, _, err = kapida(capsys, "audit", "verify", "--from-id", "0")
    assert code == 2 and "from_id" in err
    code, _, err = kapida(capsys, "audit", "verify", "--head", str(tmp_path / "missing.json"))
    assert code == 2 and "head" in err


def test_an_exported_head_is_checked_and_a_forged_one_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`audit head --out` then `verify --head`: found (0); the same file with an edited hash: refused (2)."""
    two_households(capsys)
    head = tmp_path / "head.json"
    code, out, _ = kapida(capsys, "audit", "head", "--out", str(head))
    assert code == 0 and "Public key" in out
    code, out, _ = kapida(capsys, "audit", "verify", "--head", str(head), "--json")
    assert code == 0 and json.loads(out)["exported_head"]["found"] is True
    body = json.loads(head.read_text())
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(body | {"hash": "00" * 32}))
    code, _, err = kapida(capsys, "audit", "verify", "--head", str(forged))
    assert code == 2 and "signature does not match" in err


def test_an_inspector_checks_a_head_with_the_public_key_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the installation's secret the head is refused, but `--public-key` from its export is enough."""
    two_households(capsys)
    head = tmp_path / "head.json"
    assert run(["audit", "head", "--out", str(head)]) == 0
    key = json.loads(head.read_text())["public_key"]
    assert run([*HOUSEHOLD, "--json"]) == 0
    monkeypatch.setenv("KAPIDA_SECRET", "an-inspector-has-another-secret-entirely-0000")
    capsys.readouterr()
    code, _, err = kapida(capsys, "audit", "verify", "--head", str(head))
    assert code == 2 and "not by the trusted key" in err
    code, out, _ = kapida(capsys, "audit", "verify", "--head", str(head), "--public-key", key, "--json")
    assert code == 0 and json.loads(out)["checked"] == 3

"""The `kapida` CLI as a caseworker uses it: tables by default, JSON for scripts, exit 2 on refusals."""

import json

import pytest

from api.cli import run

pytestmark = pytest.mark.usefixtures("cli_store")


def kapida(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def new_id(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = kapida(capsys, *args, "--json")
    assert code == 0, err
    return str(json.loads(out)["id"])


HOUSEHOLD = (
    "households",
    "add",
    "--name",
    "Elif Kalkavan",
    "--phone",
    "0532 123 45 67",
    "--address",
    "Cumhuriyet Cd. No:5",
    "--lat",
    "41.0201",
    "--lon",
    "40.5234",
    "--district",
    "Rize Merkez",
    "--neighbourhood",
    "Tophane Mah.",
    "--member",
    "Elif:1994-06-01",
    "--member",
    "Can:2025-02-10",
)


def event_count(capsys: pytest.CaptureFixture[str]) -> int:
    code, out, _ = kapida(capsys, "events", "tail", "--limit", "10000", "--json")
    assert code == 0
    return len(json.loads(out))


def test_a_household_is_enrolled_and_appears_in_the_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    """Register, apply, assess, approve: the caseload counts it and its milk day's manifest lists it."""
    household = new_id(capsys, *HOUSEHOLD)
    application = new_id(
        capsys,
        "applications",
        "submit",
        "--household",
        household,
        "--programme",
        "milk",
        "--channel",
        "whatsapp",
        "--received-at",
        "2026-09-01T10:00",
    )
    new_id(
        capsys,
        "applications",
        "assess",
        application,
        "--note",
        "Ziyaret edildi",
        "--visited-on",
        "2026-09-02",
    )
    enrolment = new_id(capsys, "applications", "approve", application, "--decided-on", "2026-09-05")
    code, out, _ = kapida(capsys, "caseload", "--on", "2026-11-21", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "programme": "milk",
            "district": "Rize Merkez",
            "neighbourhood": "Tophane Mah.",
            "active": 1,
            "suspended": 0,
            "pending": 0,
            "longest_wait_days": 0,
            "mean_wait_days": 0.0,
        }
    ]
    days = [f"2026-11-{d}" for d in range(23, 30)]
    listed = [
        day
        for day in days
        if json.loads(kapida(capsys, "manifest", "--date", day, "--programme", "milk", "--json")[1])
    ]
    assert len(listed) == 1
    code, out, _ = kapida(capsys, "caseload", "--on", "2026-11-21")
    assert code == 0 and "Tophane" in out and "Süt Kuzusu" in out and "Vaka yükü 21.11.2026" in out
    assert (
        kapida(capsys, "enrolments", "suspend", enrolment, "--start", "2026-11-01", "--reason", "Hastanede")[
            0
        ]
        == 0
    )
    assert kapida(capsys, "enrolments", "resume", enrolment, "--on", "2026-11-10")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("applications", "approve", "00000000-0000-0000-0000-000000000000"), "başvuru bulunamadı"),
        (("households", "add", *HOUSEHOLD[2:], "--national-id", "12345678901"), "national_id"),
        (("households", "add", *HOUSEHOLD[2:8], "--lat", "1.5", *HOUSEHOLD[10:]), "location.lat"),
        (("manifest", "--date", "2026-02-30", "--programme", "milk"), "date"),
        (("manifest", "--date", "2026-02-03", "--programme", "coal"), "programme"),
        (("households", "add", *HOUSEHOLD[2:-4], "--member", "Elif-1994"), "member[0]"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    """Unknown ids, bad national ids, points outside Türkiye, impossible dates: exit 2, nothing written."""
    new_id(capsys, *HOUSEHOLD)
    before = event_count(capsys)
    code, _, err = kapida(capsys, *args)
    assert code == 2
    assert message in err
    assert event_count(capsys) == before


def test_a_driver_cannot_register_households(capsys: pytest.CaptureFixture[str]) -> None:
    """The role given with --role is checked by the domain."""
    code, _, err = kapida(capsys, *HOUSEHOLD, "--role", "driver")
    assert code == 2 and "Sürücü rolü sosyal hizmet işlemi yapamaz" in err


def test_events_tail_shows_who_did_what_without_personal_data(capsys: pytest.CaptureFixture[str]) -> None:
    """The tail names events, actors and roles; names and phones stay out of it."""
    new_id(capsys, *HOUSEHOLD)
    _, out, _ = kapida(capsys, "events", "tail", "--json")
    (event,) = json.loads(out)
    assert (event["event"], event["actor"], event["role"]) == (
        "Household.Registered",
        "ayse.yilmaz",
        "caseworker",
    )
    assert "Kalkavan" not in out and "0532" not in out


def test_projections_rebuild_reports_the_events_read(capsys: pytest.CaptureFixture[str]) -> None:
    """Rebuilding reads the whole log and ends at its last position."""
    new_id(capsys, *HOUSEHOLD)
    code, out, _ = kapida(capsys, "projections", "rebuild", "--json")
    assert code == 0 and json.loads(out) == [
        {"view": "caseload", "events_read": 1, "position": 1},
        {"view": "dispatch", "events_read": 1, "position": 1},
        {"view": "reports", "events_read": 1, "position": 1},
        {"view": "household_index", "events_read": 1, "position": 1},
    ]

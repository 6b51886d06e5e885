"""`kapida map` commands: info, matrix from a CSV, render a plan; bad input exits 2 naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli_map import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Matrices computed by the CLI go to a temporary cache, not the repository's var/ folder; output in
    English (the Turkish default is tested in tests/api/test_cli_i18n.py)."""
    monkeypatch.setenv("KAPIDA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KAPIDA_LANG", "en")


def test_info_reports_kept_and_dropped_roads(tiny_path: Path) -> None:
    """`info` names the source and states what was kept and dropped."""
    result = runner.invoke(app, ["info", "--source", str(tiny_path)])
    assert result.exit_code == 0, result.output
    assert "kept: 6 nodes, 17 edges (1 one-way)" in result.output
    assert "footway=2" in result.output


def test_matrix_prints_json_for_a_csv_of_points(tiny_path: Path, tmp_path: Path) -> None:
    """`matrix --json` returns N×N durations and distances with a zero diagonal."""
    csv_path = tmp_path / "points.csv"
    csv_path.write_text("id,lat,lon\na,41.0200000,40.5211900\nb,41.0218000,40.5235800\n", encoding="utf-8")
    result = runner.invoke(app, ["matrix", "--points", str(csv_path), "--json", "--source", str(tiny_path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["duration_s"][0][0] == 0 and payload["duration_s"][0][1] > 0
    assert len(payload["distance_m"]) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("lat,lon\n41.02,abc\n", "line 2"),
        ("x,y\n1,2\n", "'lat' and 'lon'"),
        ("lat,lon\n41.5,40.52\n", "point 0"),
    ],
)
def test_matrix_with_bad_points_exits_2_naming_the_file(
    tiny_path: Path, tmp_path: Path, content: str, message: str
) -> None:
    """Unparsable rows, missing columns and unsnappable points exit 2 and name the CSV."""
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["matrix", "--points", str(csv_path), "--source", str(tiny_path)])
    assert result.exit_code == 2
    assert "bad.csv" in result.output and message in result.output


def test_missing_network_exits_2_naming_it(tmp_path: Path) -> None:
    """A network path that does not exist exits 2 with its name."""
    result = runner.invoke(app, ["info", "--source", str(tmp_path / "gone.osm")])
    assert result.exit_code == 2
    assert "gone.osm" in result.output


def test_render_writes_a_png_of_the_plan(tiny_path: Path, tmp_path: Path) -> None:
    """`render` draws a plan JSON's routes to the PNG named by --out."""
    plan = tmp_path / "plan.json"
    depot = [41.0200000, 40.5211900]
    plan.write_text(
        json.dumps(
            {"depots": [depot], "routes": [{"vehicle": "V1", "points": [depot, [41.0218, 40.52358], depot]}]}
        ),
        encoding="utf-8",
    )
    out = tmp_path / "plan.png"
    result = runner.invoke(
        app, ["render", "--plan", str(plan), "--out", str(out), "--source", str(tiny_path)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_render_with_a_broken_plan_exits_2(tiny_path: Path, tmp_path: Path) -> None:
    """A plan without routes exits 2 naming the plan file."""
    plan = tmp_path / "plan.json"
    plan.write_text('{"depots": []}', encoding="utf-8")
    result = runner.invoke(
        app, ["render", "--plan", str(plan), "--out", str(tmp_path / "x.png"), "--source", str(tiny_path)]
    )
    assert result.exit_code == 2
    assert "plan.json" in result.output

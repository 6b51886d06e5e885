"""`kapida map ...`: inspect the road network, compute matrices for a CSV of points, render a plan.

Every bad input (missing or corrupt network, unreadable CSV or plan, unsnappable point) exits with
code 2 and a message naming the input; the maps package does the validating. The output is in the CLI's
language (`--lang`, else `KAPIDA_LANG`, else Turkish); the maps package's own error texts stay English.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer

import maps
from api.cli_support import words
from api.formatting import format_number
from api.i18n import Translator, _

app = typer.Typer(help="Road network, travel-time matrices and route maps.", no_args_is_help=True)

SourceOption = Annotated[
    Path | None, typer.Option("--source", help="Network file (default: KAPIDA_ROADS or the Rize sample).")
]


def _fail(message: str) -> typer.Exit:
    """Print the message on stderr and return the exit to raise (code 2: bad input)."""
    language = words()
    typer.echo(language.gettext(_("Error: {message}")).format(message=message), err=True)
    return typer.Exit(code=2)


def _network(source: Path | None) -> maps.RoadNetwork:
    """Load the network or exit 2 naming the file."""
    try:
        return maps.load_network(source, cache_dir=maps.default_cache_dir())
    except maps.MapsError as exc:
        raise _fail(str(exc)) from None


@app.command()
def info(source: SourceOption = None) -> None:
    """What the network holds and what loading dropped."""
    network = _network(source)
    language = words()
    for line in report_lines(network.report, language):
        typer.echo(line)
    typer.echo(language.gettext(_("fingerprint: {fingerprint}")).format(fingerprint=network.fingerprint))
    typer.echo(language.gettext(_("metric CRS: {crs}")).format(crs=network.crs_xy))


def report_lines(report: maps.LoadReport, language: Translator) -> list[str]:
    """What loading kept and dropped, one fact per line, in `language` (numbers the language's way)."""
    lang = language.lang

    def n(value: int) -> str:
        return format_number(value, lang)

    dropped = ", ".join(f"{k}={n(v)}" for k, v in sorted(report.dropped_by_highway.items()))
    texts = [
        (_("source: {source} ({kind})"), {"source": report.source, "kind": report.kind}),
        (
            _("read: {nodes} nodes, {edges} edges"),
            {"nodes": n(report.nodes_read), "edges": n(report.edges_read)},
        ),
        (
            _("dropped as not drivable: {edges} edges ({by_class})"),
            {
                "edges": n(report.non_drivable_edges_dropped),
                "by_class": dropped or language.gettext(_("none")),
            },
        ),
        (
            _("dropped outside the largest strongly connected component: {nodes} nodes, {edges} edges"),
            {"nodes": n(report.unconnected_nodes_dropped), "edges": n(report.unconnected_edges_dropped)},
        ),
        (
            _("kept: {nodes} nodes, {edges} edges ({oneway} one-way)"),
            {"nodes": n(report.nodes), "edges": n(report.edges), "oneway": n(report.oneway_edges)},
        ),
        (
            _("speeds imputed from the highway-class table: {edges} edges"),
            {"edges": n(report.imputed_speed_edges)},
        ),
        (
            _("read from the network cache: {answer}"),
            {"answer": language.gettext(_("yes") if report.from_cache else _("no"))},
        ),
    ]
    return [language.gettext(template).format(**params) for template, params in texts]


def read_points_csv(path: Path) -> list[tuple[float, float]]:
    """`(lat, lon)` pairs from a CSV with `lat` and `lon` columns (other columns are ignored)."""
    if not path.is_file():
        raise maps.InvalidPointError(f"points file not found: {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"lat", "lon"} <= set(reader.fieldnames):
            raise maps.InvalidPointError(f"{path} needs a header with 'lat' and 'lon' columns")
        points = []
        for line, row in enumerate(reader, start=2):
            try:
                points.append((float(row["lat"]), float(row["lon"])))
            except (TypeError, ValueError):
                raise maps.InvalidPointError(f"{path} line {line}: lat/lon are not numbers: {row}") from None
    return points


@app.command()
def matrix(
    points: Annotated[Path, typer.Option("--points", help="CSV with lat,lon columns.")],
    source: SourceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    speed_factor: Annotated[float, typer.Option(help="1.0 = van; 0.85 = minibus with lift.")] = 1.0,
) -> None:
    """Travel time (s) and distance (m) between every pair of points, cached for re-plans."""
    try:
        pairs = read_points_csv(points)
        network = _network(source)
        result = maps.travel_matrices(network, pairs, speed_factor, cache_dir=maps.default_cache_dir())
    except maps.MapsError as exc:
        raise _fail(f"{points}: {exc}") from None
    if as_json:
        payload = {
            "duration_s": result.duration_s.tolist(),
            "distance_m": result.distance_m.tolist(),
            "snap_distance_m": [round(float(d), 1) for d in result.snap_distance_m],
            "from_cache": result.from_cache,
        }
        typer.echo(json.dumps(payload))
        return
    language = words()
    heading = language.gettext(_("{count} points; travel time in seconds (rows: from, columns: to)"))
    typer.echo(heading.format(count=len(pairs)))
    for row in result.duration_s.tolist():
        typer.echo(" ".join(f"{v:6d}" for v in row))
    typer.echo(language.gettext(_("distance in metres")))
    for row in result.distance_m.tolist():
        typer.echo(" ".join(f"{v:6d}" for v in row))


def read_plan(path: Path) -> tuple[list[tuple[float, float]], dict[str, list[tuple[float, float]]]]:
    """Depots and routes of a plan JSON: `{"depots": [[lat, lon]], "routes": [{"vehicle", "points"}]}`."""
    if not path.is_file():
        raise maps.InvalidPointError(f"plan file not found: {path}")
    try:
        plan: Any = json.loads(path.read_text(encoding="utf-8"))
        depots = [(float(lat), float(lon)) for lat, lon in plan.get("depots", [])]
        routes = {
            str(r["vehicle"]): [(float(lat), float(lon)) for lat, lon in r["points"]] for r in plan["routes"]
        }
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise maps.InvalidPointError(f"{path} is not a plan JSON ({type(exc).__name__}: {exc})") from None
    return depots, routes


@app.command()
def render(
    plan: Annotated[Path, typer.Option("--plan", help="Plan JSON with depots and routes.")],
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")],
    source: SourceOption = None,
) -> None:
    """Draw a day's routes over the street network as a PNG."""
    try:
        depots, routes = read_plan(plan)
        network = _network(source)
        maps.render_routes_png(network, routes, depots, out, title=plan.stem)
    except maps.MapsError as exc:
        raise _fail(f"{plan}: {exc}") from None
    typer.echo(words().gettext(_("wrote {path}")).format(path=out))

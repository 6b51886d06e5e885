"""A PNG map of a day's routes over the street network: one colour per vehicle, depots marked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from maps.errors import InvalidPointError
from maps.geometry import route_linestring
from maps.network import RoadNetwork
from maps.snapping import DEFAULT_MAX_SNAP_M, Point, check_points

ATTRIBUTION = "© OpenStreetMap contributors"
_STREET_COLOUR = "#c8c8c8"


def render_routes_png(
    network: RoadNetwork,
    routes: Mapping[str, Sequence[Point]],
    depots: Sequence[Point],
    path: Path | str,
    *,
    title: str | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
) -> Path:
    """Draw streets (grey), each vehicle's street-following route and stops, depots as black squares.

    Every route and depot is validated (snapped) before anything is drawn or written.
    """
    if not routes:
        raise InvalidPointError("no routes to draw")
    lines = {vehicle: route_linestring(network, points, max_snap_m) for vehicle, points in routes.items()}
    depot_array = check_points(depots) if len(depots) else np.empty((0, 2))
    figure = Figure(figsize=(10, 10), dpi=110)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    streets = [shapely.get_coordinates(g) for g in network.edge_geom_ll]
    ax.add_collection(LineCollection(streets, colors=_STREET_COLOUR, linewidths=0.6, zorder=1))
    colours = _colours(len(lines))
    for (vehicle, line), colour in zip(lines.items(), colours, strict=True):
        xy = np.asarray(line.coords)
        ax.plot(xy[:, 0], xy[:, 1], color=colour, linewidth=2.2, label=vehicle, zorder=3)
        stops = np.asarray(routes[vehicle], dtype=float)
        ax.scatter(stops[:, 1], stops[:, 0], s=14, color=colour, edgecolors="white", linewidths=0.5, zorder=4)
    if len(depot_array):
        ax.scatter(
            depot_array[:, 1], depot_array[:, 0], marker="s", s=90, color="black", label="depot", zorder=5
        )
    _frame(ax, network, title)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png", bbox_inches="tight")
    return out


def _colours(n: int) -> list[tuple[float, float, float, float]]:
    """Distinct colours: tab10 up to 10 vehicles, tab20 up to 20, then a continuous map."""
    name = "tab10" if n <= 10 else "tab20" if n <= 20 else "turbo"
    cmap = matplotlib.colormaps[name]
    return [cmap(i if n <= 20 else i / max(1, n - 1)) for i in range(n)]


def _frame(ax: Axes, network: RoadNetwork, title: str | None) -> None:
    """Equal-looking axes at the city's latitude, legend, title and the OSM attribution."""
    ax.set_xlim(float(network.node_lon.min()), float(network.node_lon.max()))
    ax.set_ylim(float(network.node_lat.min()), float(network.node_lat.max()))
    ax.set_aspect(1.0 / np.cos(np.radians(float(network.node_lat.mean()))))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.legend(loc="upper left", fontsize=8)
    if title:
        ax.set_title(title)
    ax.annotate(
        ATTRIBUTION,
        xy=(0.995, 0.005),
        xycoords="axes fraction",
        ha="right",
        va="bottom",
        fontsize=8,
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
    )

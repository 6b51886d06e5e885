"""Load a drivable, strongly connected road network and compile it for fast shortest paths.

Sources: OSM XML (`.osm`, `.xml`, also `.bz2`), `.osm.pbf` (through pyosmium), osmnx GraphML (also
`.bz2`), or a place name / polygon downloaded once through osmnx (see `maps._download`).
"""

from __future__ import annotations

import bz2
import contextlib
import dataclasses
import functools
import hashlib
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import osmnx as ox
import pyproj
import shapely
from scipy.sparse import csr_array
from shapely.geometry import LineString, Polygon

from maps.errors import NetworkSourceError, NoDrivableRoadsError
from maps.sources import default_roads_source
from maps.speeds import add_speeds_and_travel_times, highway_classes

# osmnx's "drive" network: public roads a car may use. `service` (driveways, parking aisles) and
# `track` are left out, as osmnx does, so that vans are not routed through car parks.
DRIVABLE_HIGHWAYS = frozenset(
    {
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "primary",
        "primary_link",
        "secondary",
        "secondary_link",
        "tertiary",
        "tertiary_link",
        "unclassified",
        "residential",
        "living_street",
        "road",
    }
)
_NO_ACCESS = frozenset({"no", "private"})
_EXTRA_WAY_TAGS = ("motor_vehicle", "motorcar")
_XML_SUFFIXES = (".osm", ".xml", ".osm.bz2", ".xml.bz2")
_GRAPHML_SUFFIXES = (".graphml", ".graphml.bz2")
_PBF_SUFFIXES = (".pbf",)
# Zero-weight edges (duplicate OSM nodes) would vanish from a sparse matrix; a microsecond keeps them.
MIN_EDGE_TIME_S = 1e-6
FINGERPRINT_VERSION = "kapida-roads-1"


@dataclass(frozen=True)
class LoadReport:
    """What loading kept and dropped, so a surprising network can be explained.

    Counts before simplification are OSM way segments; after it, osmnx edges (street sections).
    """

    source: str
    kind: str
    nodes_read: int
    edges_read: int
    non_drivable_edges_dropped: int
    dropped_by_highway: Mapping[str, int]
    unconnected_nodes_dropped: int
    unconnected_edges_dropped: int
    nodes: int
    edges: int
    oneway_edges: int
    imputed_speed_edges: int
    from_cache: bool = False

    def lines(self) -> list[str]:
        """A human-readable summary, one fact per line (used by `kapida map info`)."""
        dropped = ", ".join(f"{k}={v}" for k, v in sorted(self.dropped_by_highway.items())) or "none"
        return [
            f"source: {self.source} ({self.kind})",
            f"read: {self.nodes_read} nodes, {self.edges_read} edges",
            f"dropped as not drivable: {self.non_drivable_edges_dropped} edges ({dropped})",
            "dropped outside the largest strongly connected component: "
            f"{self.unconnected_nodes_dropped} nodes, {self.unconnected_edges_dropped} edges",
            f"kept: {self.nodes} nodes, {self.edges} edges ({self.oneway_edges} one-way)",
            f"speeds imputed from the highway-class table: {self.imputed_speed_edges} edges",
            f"read from the network cache: {'yes' if self.from_cache else 'no'}",
        ]


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A drivable, strongly connected road graph plus the arrays that make queries fast.

    Node index i (0..V-1) is `node_ids[i]`; edge index e (0..E-1) follows `graph.edges(keys=True)`.
    `edge_tree` indexes the edges a stop may snap to, `snap_edges[k]` being the edge of tree item k.
    `csr_time_s[u, v]` is the fastest parallel edge from u to v (seconds); `pair_*` describe those
    fastest edges sorted by `u * V + v`. Geometries exist in WGS84 (`_ll`) and in a metric UTM CRS (`_xy`).
    """

    graph: nx.MultiDiGraph
    node_ids: np.ndarray
    node_lat: np.ndarray
    node_lon: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_key: np.ndarray
    edge_length_m: np.ndarray
    edge_time_s: np.ndarray
    edge_reverse: np.ndarray
    edge_geom_ll: np.ndarray
    edge_geom_xy: np.ndarray
    edge_tree: shapely.STRtree
    snap_edges: np.ndarray
    csr_time_s: csr_array
    pair_keys: np.ndarray
    pair_length_m: np.ndarray
    pair_edge: np.ndarray
    crs_xy: str
    area_xy: Polygon
    fingerprint: str
    report: LoadReport
    node_index: Mapping[int, int] = field(repr=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes V."""
        return len(self.node_ids)

    def to_xy(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """WGS84 lon/lat to the network's metric CRS (metres)."""
        transformer = _transformer("EPSG:4326", self.crs_xy)
        x, y = transformer.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def to_ll(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Metric CRS back to WGS84 lon/lat."""
        transformer = _transformer(self.crs_xy, "EPSG:4326")
        lon, lat = transformer.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(lon), np.asarray(lat)


@functools.lru_cache(maxsize=16)
def _transformer(source_crs: str, target_crs: str) -> pyproj.Transformer:
    """Building a transformer takes milliseconds; snapping and drawing ask for the same few many times."""
    return pyproj.Transformer.from_crs(source_crs, target_crs, always_xy=True)


def load_network(
    source: str | Path | Polygon | None = None,
    *,
    download_cache_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> RoadNetwork:
    """Read a road network, keep the drivable strongly connected part, and compile it.

    `source` is a file path (OSM XML/PBF/GraphML), a place name or a WGS84 polygon (downloaded once
    through osmnx and cached as GraphML in `download_cache_dir`), or None for `default_roads_source()`.
    With `cache_dir`, the finished graph is kept there, keyed by the file's content, and read back
    next time instead of parsing and simplifying again.
    """
    if source is None:
        source = default_roads_source()
    if isinstance(source, Polygon) or (isinstance(source, str) and not _looks_like_file(source)):
        from maps._download import download_graphml  # the only module that may reach the internet

        source = download_graphml(source, download_cache_dir)
    path = Path(source)
    if cache_dir is not None:
        return _load_with_cache(path, Path(cache_dir))
    graph, kind = read_graph_file(path)
    return compile_network(graph, source=str(path), kind=kind)


def _load_with_cache(path: Path, cache_dir: Path) -> RoadNetwork:
    """Load through the finished-graph cache (see `maps.graph_cache`); a failed load caches nothing."""
    from maps import graph_cache

    if not path.is_file():
        raise NetworkSourceError(f"road network file not found: {path}")
    key = graph_cache.source_key(path)
    hit = graph_cache.read_cached(cache_dir, key)
    if hit is not None:
        graph, fields = hit
        add_speeds_and_travel_times(graph)
        return _compile(graph, LoadReport(**{**fields, "source": str(path), "from_cache": True}))
    graph, kind = read_graph_file(path)
    network = compile_network(graph, source=str(path), kind=kind)
    graph_cache.write_cached(cache_dir, key, network.graph, dataclasses.asdict(network.report))
    return network


def _looks_like_file(text: str) -> bool:
    """A string names a file when it ends in a known suffix or exists; otherwise it is a place name."""
    lowered = text.lower()
    return lowered.endswith(_XML_SUFFIXES + _GRAPHML_SUFFIXES + _PBF_SUFFIXES) or Path(text).exists()


def read_graph_file(path: Path) -> tuple[nx.MultiDiGraph, str]:
    """Parse a network file into an unfiltered osmnx graph; refuse missing or corrupt files by name."""
    name = path.name.lower()
    if not path.is_file():
        raise NetworkSourceError(f"road network file not found: {path}")
    try:
        if name.endswith(_GRAPHML_SUFFIXES):
            return ox.load_graphml(path), "graphml"
        if name.endswith(_PBF_SUFFIXES):
            with _pbf_as_xml(path) as xml_path:
                return _read_osm_xml(xml_path), "osm-pbf"
        if name.endswith(_XML_SUFFIXES):
            return _read_osm_xml(path), "osm-xml"
    except NetworkSourceError:
        raise
    except ImportError:
        raise NetworkSourceError(f"reading {path} needs the 'osmium' package (pip install osmium)") from None
    except (OSError, EOFError, ET.ParseError, ValueError, KeyError, TypeError, RuntimeError) as exc:
        raise NetworkSourceError(f"cannot read road network {path}: {type(exc).__name__}: {exc}") from None
    raise NetworkSourceError(
        f"unknown road network format: {path} (expected .osm/.xml[.bz2], .osm.pbf or .graphml[.bz2])"
    )


def _read_osm_xml(path: Path) -> nx.MultiDiGraph:
    """OSM XML to an unsimplified graph with every way (filtering happens later, on our terms)."""
    if path.name.lower().endswith(".bz2"):
        with bz2.open(path) as handle:
            handle.read(1)  # a truncated or non-bz2 file fails here with a clear OSError
    saved = list(ox.settings.useful_tags_way)
    ox.settings.useful_tags_way = sorted(set(saved) | set(_EXTRA_WAY_TAGS))
    try:
        return ox.graph_from_xml(path, simplify=False, retain_all=True)
    finally:
        ox.settings.useful_tags_way = saved


@contextlib.contextmanager
def _pbf_as_xml(path: Path) -> Iterator[Path]:
    """Rewrite a PBF file as OSM XML in a temporary folder (osmnx reads XML only)."""
    import osmium

    with tempfile.TemporaryDirectory(prefix="kapida-pbf-") as tmp:
        out = Path(tmp) / "extract.osm"
        with osmium.SimpleWriter(str(out)) as writer:
            for obj in osmium.FileProcessor(str(path)):
                writer.add(obj)
        yield out


def is_drivable(data: Mapping[str, object]) -> bool:
    """Whether a car may use an edge: a drivable highway class, not an area, not closed to cars."""
    if not any(c in DRIVABLE_HIGHWAYS for c in highway_classes(data.get("highway"))):
        return False
    if str(data.get("area", "no")) == "yes":
        return False
    return not any(str(data.get(tag, "")) in _NO_ACCESS for tag in ("access", *_EXTRA_WAY_TAGS))


def is_snappable(data: Mapping[str, object]) -> bool:
    """Whether a stop may be placed on an edge: not in a tunnel (a van cannot stop in one, and a house
    above a tunnel is reached from the street on top), not on a motorway (no doors open onto one).
    Passages under buildings are ordinary streets."""
    tunnels = highway_classes(data.get("tunnel"))  # the same list unpacking as for highway values
    if any(t not in ("nan", "no", "building_passage") for t in tunnels):
        return False
    return not set(highway_classes(data.get("highway"))) & {"motorway", "motorway_link"}


def keep_drivable(graph: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, Counter[str]]:
    """A copy without non-drivable edges (and the nodes left bare); counts dropped edges per class."""
    dropped: Counter[str] = Counter()
    drop = []
    for u, v, k, data in graph.edges(keys=True, data=True):
        if not is_drivable(data):
            classes = highway_classes(data.get("highway"))
            dropped["/".join(classes) if classes else "(no highway tag)"] += 1
            drop.append((u, v, k))
    kept = graph.copy()
    kept.remove_edges_from(drop)
    kept.remove_nodes_from([n for n in list(kept.nodes) if kept.degree(n) == 0])
    return kept, dropped


def compile_network(graph: nx.MultiDiGraph, *, source: str, kind: str) -> RoadNetwork:
    """Filter, simplify, keep the largest strongly connected component, add travel times, compile."""
    nodes_read, edges_read = graph.number_of_nodes(), graph.number_of_edges()
    drivable, dropped = keep_drivable(graph)
    if drivable.number_of_edges() == 0:
        raise NoDrivableRoadsError(f"no drivable road in {source} (highway classes found: {dict(dropped)})")
    if not drivable.graph.get("simplified", False):
        # Tunnels stay separate edges, so a house above one snaps to the street, not into the tunnel.
        drivable = ox.simplify_graph(drivable, edge_attrs_differ=["tunnel"])
    strong = ox.truncate.largest_component(drivable, strongly=True)
    if strong.number_of_edges() == 0:
        raise NoDrivableRoadsError(f"no two drivable roads in {source} connect in both directions")
    imputed = add_speeds_and_travel_times(strong)
    report = LoadReport(
        source=source,
        kind=kind,
        nodes_read=nodes_read,
        edges_read=edges_read,
        non_drivable_edges_dropped=sum(dropped.values()),
        dropped_by_highway=dict(dropped),
        unconnected_nodes_dropped=drivable.number_of_nodes() - strong.number_of_nodes(),
        unconnected_edges_dropped=drivable.number_of_edges() - strong.number_of_edges(),
        nodes=strong.number_of_nodes(),
        edges=strong.number_of_edges(),
        oneway_edges=sum(1 for *_, d in strong.edges(data=True) if _is_true(d.get("oneway"))),
        imputed_speed_edges=imputed,
    )
    return _compile(strong, report)


def _is_true(value: object) -> bool:
    """GraphML round-trips booleans as strings; accept both."""
    return value is True or str(value).lower() == "true"


def _compile(graph: nx.MultiDiGraph, report: LoadReport) -> RoadNetwork:
    """Build the index arrays, geometries, sparse matrix and fingerprint of a finished graph."""
    node_ids = np.array(sorted(graph.nodes), dtype=np.int64)
    node_index = {int(n): i for i, n in enumerate(node_ids)}
    lat = np.array([graph.nodes[n]["y"] for n in node_ids], dtype=float)
    lon = np.array([graph.nodes[n]["x"] for n in node_ids], dtype=float)
    edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    edge_u = np.array([node_index[u] for u, _, _, _ in edges], dtype=np.int64)
    edge_v = np.array([node_index[v] for _, v, _, _ in edges], dtype=np.int64)
    edge_key = np.array([k for _, _, k, _ in edges], dtype=np.int64)
    length_m = np.array([float(d["length"]) for *_, d in edges], dtype=float)
    time_s = np.maximum(np.array([float(d["travel_time"]) for *_, d in edges], dtype=float), MIN_EDGE_TIME_S)
    geom_ll = np.array([_edge_line(graph, u, v, d) for u, v, _, d in edges], dtype=object)
    snap_edges = np.flatnonzero([is_snappable(d) for *_, d in edges])
    if len(snap_edges) == 0:  # a network of tunnels only: better to snap into them than refuse all
        snap_edges = np.arange(len(edges))
    crs_xy = _utm_crs(float(np.mean(lon)), float(np.mean(lat)))
    transformer = _transformer("EPSG:4326", crs_xy)
    geom_xy = shapely.transform(geom_ll, lambda c: np.column_stack(transformer.transform(c[:, 0], c[:, 1])))
    csr, pair_keys, pair_length, pair_edge = _fastest_pairs(edge_u, edge_v, time_s, length_m, len(node_ids))
    node_x, node_y = transformer.transform(lon, lat)
    area = shapely.MultiPoint(np.column_stack([node_x, node_y])).convex_hull
    return RoadNetwork(
        graph=graph,
        node_ids=node_ids,
        node_lat=lat,
        node_lon=lon,
        edge_u=edge_u,
        edge_v=edge_v,
        edge_key=edge_key,
        edge_length_m=length_m,
        edge_time_s=time_s,
        edge_reverse=_reverse_twins(edge_u, edge_v, geom_xy),
        edge_geom_ll=geom_ll,
        edge_geom_xy=geom_xy,
        edge_tree=shapely.STRtree(geom_xy[snap_edges]),
        snap_edges=snap_edges,
        csr_time_s=csr,
        pair_keys=pair_keys,
        pair_length_m=pair_length,
        pair_edge=pair_edge,
        crs_xy=crs_xy,
        area_xy=area if isinstance(area, Polygon) else Polygon(area.buffer(1.0).exterior),
        fingerprint=_fingerprint(node_ids, lat, lon, edge_u, edge_v, edge_key, length_m, time_s),
        report=report,
        node_index=node_index,
    )


def _edge_line(graph: nx.MultiDiGraph, u: int, v: int, data: Mapping[str, object]) -> LineString:
    """The edge's street geometry (lon, lat); osmnx omits it on straight edges."""
    geometry = data.get("geometry")
    if isinstance(geometry, LineString):
        return geometry
    nu, nv = graph.nodes[u], graph.nodes[v]
    return LineString([(nu["x"], nu["y"]), (nv["x"], nv["y"])])


def _utm_crs(lon: float, lat: float) -> str:
    """The UTM zone holding a point: metres with little distortion across a city."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def _fastest_pairs(
    edge_u: np.ndarray, edge_v: np.ndarray, time_s: np.ndarray, length_m: np.ndarray, n: int
) -> tuple[csr_array, np.ndarray, np.ndarray, np.ndarray]:
    """Collapse parallel edges to the fastest one: the CSR matrix Dijkstra runs on, and its lookups."""
    keys = edge_u * n + edge_v
    order = np.lexsort((time_s, keys))
    first = np.ones(len(order), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    chosen = order[first]
    csr = csr_array((time_s[chosen], (edge_u[chosen], edge_v[chosen])), shape=(n, n))
    return csr, keys[chosen], length_m[chosen], chosen


def _reverse_twins(edge_u: np.ndarray, edge_v: np.ndarray, geom_xy: np.ndarray) -> np.ndarray:
    """For each edge, the index of the opposite-direction edge along the same street, or -1.

    osmnx stores a two-way street as two edges with reversed geometry; a point on one of them is also
    on the other, which matters for snapping (leave in either direction). Two different one-way
    streets between the same junctions (a divided road) are not twins: their geometries differ.
    """
    by_pair: dict[tuple[int, int], list[int]] = {}
    for e, (u, v) in enumerate(zip(edge_u.tolist(), edge_v.tolist(), strict=True)):
        by_pair.setdefault((u, v), []).append(e)
    twins = np.full(len(edge_u), -1, dtype=np.int64)
    for e, (u, v) in enumerate(zip(edge_u.tolist(), edge_v.tolist(), strict=True)):
        for candidate in by_pair.get((v, u), []):
            if u != v and shapely.equals_exact(
                shapely.reverse(geom_xy[e]), geom_xy[candidate], tolerance=0.05
            ):
                twins[e] = candidate
                break
    return twins


def _fingerprint(
    node_ids: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    edge_u: np.ndarray,
    edge_v: np.ndarray,
    edge_key: np.ndarray,
    length_m: np.ndarray,
    time_s: np.ndarray,
) -> str:
    """A hash of what routes depend on: node positions, edges, their lengths (mm) and times (ms)."""
    digest = hashlib.sha256(FINGERPRINT_VERSION.encode())
    for array in (
        node_ids,
        np.round(lat * 1e7).astype(np.int64),
        np.round(lon * 1e7).astype(np.int64),
        edge_u,
        edge_v,
        edge_key,
        np.round(length_m * 1e3).astype(np.int64),
        np.round(time_s * 1e3).astype(np.int64),
    ):
        digest.update(np.ascontiguousarray(array, dtype=np.int64).tobytes())
    return digest.hexdigest()[:32]

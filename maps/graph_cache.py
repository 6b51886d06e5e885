"""Disk cache of loaded networks: the filtered, simplified, strongly connected graph as GraphML.

Parsing and simplifying the Rize OSM XML takes seconds; reading the finished graph back takes a
fraction of that, so a command-line re-plan or a restarted service starts fast. The key is the
source file's bytes plus a loader version, so an edited extract or a changed loader misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import osmnx as ox

# Bump when filtering, simplification or component selection changes what a source loads to.
LOADER_VERSION = "kapida-loader-2"


def source_key(path: Path) -> str:
    """A key of the loader version and the file's content (streamed, so big files are fine)."""
    digest = hashlib.sha256(LOADER_VERSION.encode())
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:32]


def read_cached(cache_dir: Path, key: str) -> tuple[nx.MultiDiGraph, dict[str, Any]] | None:
    """The cached graph and load-report fields for a key, or None (an unreadable entry counts as a miss)."""
    graph_path, report_path = _paths(cache_dir, key)
    if not (graph_path.is_file() and report_path.is_file()):
        return None
    try:
        return ox.load_graphml(graph_path), json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError, SyntaxError):
        return None


def write_cached(cache_dir: Path, key: str, graph: nx.MultiDiGraph, report: dict[str, Any]) -> None:
    """Store a finished graph and its report; each file is written to a temp name, then renamed."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    graph_path, report_path = _paths(cache_dir, key)
    for target, write in (
        (graph_path, lambda tmp: ox.save_graphml(graph, tmp)),
        (report_path, lambda tmp: Path(tmp).write_text(json.dumps(report), encoding="utf-8")),
    ):
        fd, tmp = tempfile.mkstemp(prefix=".network-", dir=cache_dir)
        os.close(fd)
        try:
            write(tmp)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)


def _paths(cache_dir: Path, key: str) -> tuple[Path, Path]:
    """The GraphML and report file of a key."""
    return cache_dir / f"network-{key}.graphml", cache_dir / f"network-{key}.json"

"""Where the shared data lives and which road network is the default."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RIZE_SAMPLE = Path("osm") / "rize_center_2021-10-29.osm.bz2"
ANTAKYA_SAMPLE = Path("osm") / "antakya_center_drive_osmnx_2026-07-17.graphml.bz2"
DISTRICTS_GPKG = Path("boundaries") / "tr_ilce.gpkg.zip"
NEIGHBOURHOODS_GPKG = Path("boundaries") / "tr_mahalle_7il.gpkg.zip"


def shared_data_dir() -> Path:
    """The read-only shared data folder: `KAPIDA_SHARED_DATA`, else `<repo root>/../shared/data`."""
    override = os.environ.get("KAPIDA_SHARED_DATA")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "data"


def default_roads_source() -> Path:
    """The network every command uses unless told otherwise: `KAPIDA_ROADS`, else the Rize sample."""
    override = os.environ.get("KAPIDA_ROADS")
    return Path(override) if override else shared_data_dir() / RIZE_SAMPLE


def default_boundary_files() -> tuple[Path, Path]:
    """The district (ilçe) and neighbourhood (mahalle) GeoPackages in the shared data."""
    base = shared_data_dir()
    return base / DISTRICTS_GPKG, base / NEIGHBOURHOODS_GPKG

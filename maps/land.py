"""Türkiye's land outline for the domain's "not in the sea" check, made once from the district polygons.

Run `python -m maps.land` to write `domain/data/turkiye_land.json` again (the domain reads it with the
standard library only). Districts are simplified (0.003°), widened by 0.012° (~1.1 km, so seafront houses
and piers stay inside), dissolved, then simplified again (0.006°); small islets under ~1 km² are dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from maps.sources import default_boundary_files

WIDEN_DEG = 0.012
SIMPLIFY_DEG = 0.006
SMALLEST_DEG2 = 1e-4
OUTPUT = Path(__file__).resolve().parent.parent / "domain" / "data" / "turkiye_land.json"


def land_outline(district_file: Path) -> dict[str, Any]:
    """`{"source": ..., "polygons": [{"outer": [[lon, lat], ...], "holes": [...]}, ...]}`."""
    districts = gpd.read_file(district_file, layer="ilce")
    widened = districts.geometry.simplify(0.003).buffer(WIDEN_DEG, quad_segs=2)
    land = shapely.union_all(list(widened)).simplify(SIMPLIFY_DEG).buffer(0)
    parts = list(land.geoms) if land.geom_type == "MultiPolygon" else [land]

    def ring(coords: Any) -> list[list[float]]:
        return [[round(x, 4), round(y, 4)] for x, y in coords]

    return {
        "source": f"{Path(district_file).name}: districts widened {WIDEN_DEG}°, simplified {SIMPLIFY_DEG}°",
        "polygons": [
            {
                "outer": ring(part.exterior.coords),
                "holes": [ring(h.coords) for h in part.interiors if shapely.Polygon(h).area > SMALLEST_DEG2],
            }
            for part in parts
            if part.area >= SMALLEST_DEG2
        ],
    }


if __name__ == "__main__":
    import json

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else default_boundary_files()[0]
    OUTPUT.write_text(json.dumps(land_outline(source), separators=(",", ":")))
    print(f"wrote {OUTPUT}")

"""The land check: houses on the coast and inland are on land, points out at sea or abroad are not."""

from __future__ import annotations

import pytest

from domain.errors import InvalidValue
from domain.land import check_on_land, on_land
from domain.values import GeoPoint

ON_LAND = {
    "Rize seafront": (41.0255, 40.5190),
    "Kaş harbour": (36.2005, 29.6380),
    "Istanbul, Eminönü": (41.0170, 28.9700),
    "Ankara": (39.93, 32.85),
    "Antakya": (36.2, 36.16),
}
AT_SEA = {
    "Black Sea off Rize": (41.45, 40.6),
    "Mediterranean south of Anamur": (35.9, 32.9),
    "Aegean west of Lesbos": (39.2, 25.9),
    "Syria (Aleppo)": (36.2, 37.16),
}


@pytest.mark.parametrize("name", ON_LAND)
def test_places_on_land_are_accepted(name: str) -> None:
    """Each point lies inside the outline."""
    assert on_land(GeoPoint(*ON_LAND[name]))


@pytest.mark.parametrize("name", AT_SEA)
def test_points_at_sea_or_abroad_are_refused_naming_the_field(name: str) -> None:
    """Each point is refused with the field name and both coordinates in the message."""
    with pytest.raises(InvalidValue) as refused:
        check_on_land("location", GeoPoint(*AT_SEA[name]))
    assert refused.value.field == "location" and "sea or outside Türkiye" in refused.value.problem

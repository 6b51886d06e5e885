"""The city's street network over HTTP, for an offline base map: any signed-in user, nobody else."""

from __future__ import annotations

from api.bootstrap import Services
from domain.values import Role
from tests.api.test_api_support import api_for


def test_signed_in_users_get_the_street_network_as_geojson(services: Services) -> None:
    """A driver gets a FeatureCollection of street lines with the OSM attribution; no token is 401."""
    with api_for(services) as api:
        network = api.client.get("/api/map/network", headers=api.as_role(Role.DRIVER))
        assert network.status_code == 200
        body = network.json()
        assert body["type"] == "FeatureCollection" and len(body["features"]) > 100
        assert body["features"][0]["geometry"]["type"] == "LineString"
        assert "OpenStreetMap" in body["attribution"]
        assert api.client.get("/api/map/network").status_code == 401

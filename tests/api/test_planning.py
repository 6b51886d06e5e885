"""Planning on Rize's streets: the manifest becomes routes that keep every promise, recorded as events."""

import shutil
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from uuid import UUID
from xml.etree import ElementTree

import pytest

from api.bootstrap import Services, bootstrap
from api.planning import (
    move_stop,
    plan_day,
    plan_geojson,
    replan_breakdown,
    replan_cancel,
    replan_new_requests,
    route_gpx,
)
from api.planning.day import fleet_for
from api.seed import Seeder, map_addresses, map_destinations
from domain.database import Database
from domain.errors import Conflict, InvalidValue
from domain.programmes import Programme
from domain.route_plan import Round
from domain.service import ISTANBUL
from domain.stop_visit import Outcome
from domain.values import Actor, GeoPoint, LegalBasis, Role
from projections import dispatch_queries as dq
from projections import queries

TODAY = date(2026, 11, 20)
DISPATCHER = Actor("hakan.sahin", Role.DISPATCHER)
LIMIT_S = 1.0


@pytest.fixture(scope="module")
def city_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded Rize (160 households, fleet, the day's trips), built once and copied per test."""
    path = tmp_path_factory.mktemp("city") / "kapida.sqlite"
    services = bootstrap(Database.from_url(str(path)))
    Seeder(services.app, 5, today=TODAY).run(map_addresses(164, seed=5), map_destinations())
    services.catch_up()
    services.close()
    return path


@pytest.fixture
def seeded(tmp_path: Path, city_file: Path) -> Iterator[Services]:
    shutil.copy(city_file, tmp_path / "kapida.sqlite")
    services = bootstrap(Database.from_url(str(tmp_path / "kapida.sqlite")))
    yield services
    services.close()


def test_a_hot_meal_round_serves_every_manifest_household_once_within_window_and_hot(
    seeded: Services,
) -> None:
    """Each dinner on the manifest is on one route or listed with a reason; ETAs keep windows and the hour."""
    plan_id = plan_day(seeded, TODAY, Programme.HOT_MEAL, Round.DINNER, DISPATCHER, LIMIT_S)
    manifest = {line.enrolment_id for line in queries.manifest(seeded.views, TODAY, "hot_meal")}
    stops = dq.plan_stops(seeded.views, plan_id)
    assert sorted(s.key for s in stops) == sorted(f"{e}/dinner" for e in manifest)
    plan = seeded.app.route_plan(plan_id)
    assert plan.routes, "the seeded city has hot-meal households and vans"
    for route in plan.routes:
        for stop in route.stops:
            assert max(stop.eta_s, stop.window_start_s) <= stop.window_end_s
            assert max(stop.eta_s, stop.window_start_s) - route.depart_s <= 3600
    assert all(u.reason for u in plan.unserved)


def test_trips_are_planned_as_pickup_before_dropoff_on_lift_minibuses(seeded: Services) -> None:
    """Every booked trip's pickup precedes its drop-off on the same minibus."""
    plan_id = plan_day(seeded, TODAY, Programme.ACCESSIBLE_TRANSPORT, Round.DAY, DISPATCHER, LIMIT_S)
    plan = seeded.app.route_plan(plan_id)
    assert dq.trips_on(seeded.views, TODAY), "the seed books trips for the day"
    routed = [s.key for r in plan.routes for s in r.stops]
    assert routed, "at least one trip is routed"
    for route in plan.routes:
        keys = [s.key for s in route.stops]
        for position, key in enumerate(keys):
            if key.endswith("/dropoff"):
                assert keys.index(key.rsplit("/", 1)[0] + "/pickup") < position


def test_a_breakdown_moves_the_open_stops_and_keeps_the_delivered_ones(seeded: Services) -> None:
    """After a van's first stop is delivered and it breaks down, that stop stays and the rest move on."""
    plan_id = plan_day(seeded, TODAY, Programme.HOT_MEAL, Round.DINNER, DISPATCHER, LIMIT_S)
    seeded.app.publish_plan(plan_id, DISPATCHER)
    route = max(seeded.app.route_plan(plan_id).routes, key=lambda r: len(r.stops))
    first = route.stops[0]
    at = datetime(2026, 11, 20, 17, 10, tzinfo=ISTANBUL)
    seeded.app.report_stop(plan_id, first.key, Outcome.DELIVERED, at, "k-1", DISPATCHER)
    seeded.catch_up()
    moved = replan_breakdown(
        seeded, plan_id, route.vehicle_id, first.eta_s + 300, "Araç arızası", DISPATCHER, time_limit_s=LIMIT_S
    )
    after = seeded.app.route_plan(plan_id)
    broken = after.route_of(route.vehicle_id)
    assert broken is not None and [s.key for s in broken.stops] == [first.key]
    assert set(moved) <= {s.key for s in route.stops[1:]} and first.key not in moved
    others = {s.key for r in after.routes if r.vehicle_id != route.vehicle_id for s in r.stops}
    assert {s.key for s in route.stops[1:]} <= others | {u.stop.key for u in after.unserved}


def test_a_stop_moved_by_hand_to_a_free_van_gets_new_times(seeded: Services) -> None:
    """Moving a dinner onto an unused van puts it there with a fresh ETA; its old route loses it."""
    plan_id = plan_day(seeded, TODAY, Programme.HOT_MEAL, Round.DINNER, DISPATCHER, LIMIT_S)
    plan = seeded.app.route_plan(plan_id)
    source = plan.routes[0]
    used = {r.vehicle_id for r in plan.routes}
    free = next(v.vehicle_id for v in fleet_for(seeded.views, Programme.HOT_MEAL) if v.vehicle_id not in used)
    key = source.stops[-1].key
    move_stop(seeded, plan_id, key, free, 0, "Komşu sokak", DISPATCHER)
    after = seeded.app.route_plan(plan_id)
    moved = after.route_of(free)
    assert moved is not None and [s.key for s in moved.stops] == [key]
    assert moved.stops[0].eta_s > moved.depart_s
    remaining = after.route_of(source.vehicle_id)
    assert remaining is not None and key not in {s.key for s in remaining.stops}
    by_key = {s.key: s for s in dq.plan_stops(seeded.views, plan_id)}
    assert by_key[key].vehicle_id == free


def test_moving_to_an_unknown_stop_or_a_van_of_another_programme_is_refused(seeded: Services) -> None:
    """A milk van cannot take a hot meal, and a key that is not in the plan is named as wrong."""
    plan_id = plan_day(seeded, TODAY, Programme.HOT_MEAL, Round.DINNER, DISPATCHER, LIMIT_S)
    key = seeded.app.route_plan(plan_id).routes[0].stops[0].key
    milk_van = fleet_for(seeded.views, Programme.MILK)[0].vehicle_id
    before = seeded.app.recorder.max_notification_id()
    with pytest.raises(InvalidValue, match="to_vehicle"):
        move_stop(seeded, plan_id, key, milk_van, 0, "x", DISPATCHER)
    with pytest.raises(InvalidValue, match="key"):
        move_stop(seeded, plan_id, "no-such-stop", milk_van, 0, "x", DISPATCHER)
    assert seeded.app.recorder.max_notification_id() == before


def test_cancelled_stops_leave_the_routes_with_their_reason(seeded: Services) -> None:
    """A household cancels: its stop is unserved as 'cancelled' after the re-plan."""
    plan_id = plan_day(seeded, TODAY, Programme.HOT_MEAL, Round.DINNER, DISPATCHER, LIMIT_S)
    key = seeded.app.route_plan(plan_id).routes[0].stops[0].key
    replan_cancel(seeded, plan_id, [key], "Hane iptal etti", DISPATCHER, time_limit_s=LIMIT_S)
    reasons = {u.stop.key: u.reason for u in seeded.app.route_plan(plan_id).unserved}
    assert reasons[key] == "cancelled"


def test_the_plan_draws_on_streets_and_exports_gpx(seeded: Services) -> None:
    """GeoJSON has a street-following line per route plus stops and depots; GPX is XML with waypoints."""
    day = next(
        TODAY + timedelta(days=n)
        for n in range(7)
        if queries.manifest(seeded.views, TODAY + timedelta(days=n), "milk")
    )
    plan_id = plan_day(seeded, day, Programme.MILK, Round.DAY, DISPATCHER, LIMIT_S)
    plan = seeded.app.route_plan(plan_id)
    geo = plan_geojson(seeded, plan_id)
    lines = [f for f in geo["features"] if f["properties"]["kind"] == "route"]
    assert len(lines) == len([r for r in plan.routes if r.stops]) > 0
    assert len(lines[0]["geometry"]["coordinates"]) > len(plan.routes[0].stops) + 2
    assert {f["properties"]["kind"] for f in geo["features"]} >= {"route", "stop", "depot"}
    gpx = ElementTree.fromstring(route_gpx(seeded, plan_id, plan.routes[0].vehicle_id))
    waypoints = gpx.findall("{http://www.topografix.com/GPX/1/1}wpt")
    assert len(waypoints) == len(plan.routes[0].stops)


def test_an_erased_households_stop_leaves_the_map_the_gpx_and_the_next_replan(seeded: Services) -> None:
    """Once a household is erased its stop reads with no door: no point on the map, no GPX waypoint, and
    re-planning leaves it out while every other stop stays in the plan."""
    plan_id = plan_day(seeded, TODAY, Programme.HOT_MEAL, Round.DINNER, DISPATCHER, LIMIT_S)
    plan = seeded.app.route_plan(plan_id)
    route = next(r for r in plan.routes if len(r.stops) >= 3)
    gone, other = route.stops[0], route.stops[1]
    assert gone.location is not None
    manager = Actor("elif.aydin", Role.MANAGER)
    seeded.app.erase_household(gone.household_id, LegalBasis.DATA_SUBJECT_REQUEST, "istek", manager, True)
    seeded.catch_up()
    assert seeded.app.route_plan(plan_id).find_stop(gone.key)[1].location is None
    geo = plan_geojson(seeded, plan_id)
    keys = {f["properties"].get("key") for f in geo["features"]}
    assert gone.key not in keys and other.key in keys
    gpx = ElementTree.fromstring(route_gpx(seeded, plan_id, route.vehicle_id))
    waypoints = gpx.findall("{http://www.topografix.com/GPX/1/1}wpt")
    assert len(waypoints) == len(route.stops) - 1
    assert f"{gone.location.lat:.6f}" not in {w.get("lat") for w in waypoints}
    replan_cancel(seeded, plan_id, [other.key], "Hane iptal etti", DISPATCHER, time_limit_s=LIMIT_S)
    replanned = seeded.app.route_plan(plan_id)
    assert replanned.stop_keys() == plan.stop_keys() - {gone.key}
    assert all(s.location is not None for r in replanned.routes for s in r.stops)


def test_a_round_that_does_not_exist_is_refused(seeded: Services) -> None:
    """Milk has no breakfast round."""
    with pytest.raises(InvalidValue, match="round"):
        plan_day(seeded, TODAY, Programme.MILK, Round.BREAKFAST, DISPATCHER, LIMIT_S)


def test_an_urgent_trip_booked_after_publishing_is_added_by_a_replan(seeded: Services) -> None:
    """A dialysis trip booked at noon joins the published plan; asking again with nothing new is refused."""
    plan_id = plan_day(seeded, TODAY, Programme.ACCESSIBLE_TRANSPORT, Round.DAY, DISPATCHER, LIMIT_S)
    if seeded.app.route_plan(plan_id).routes:
        seeded.app.publish_plan(plan_id, DISPATCHER)
    rider = seeded.views.query(
        "SELECT household_id FROM cl_enrolments WHERE programme='accessible_transport' AND ended=0 LIMIT 1"
    )[0][0]
    hospital = map_destinations()[0]
    trip = seeded.app.request_trip(
        UUID(rider),
        TODAY,
        GeoPoint(hospital.lat, hospital.lon),
        hospital.name,
        time(15, 0),
        DISPATCHER,
    )
    moved = replan_new_requests(seeded, plan_id, "Acil diyaliz", DISPATCHER, time_limit_s=LIMIT_S)
    plan = seeded.app.route_plan(plan_id)
    new_keys = {f"{trip}/out/pickup", f"{trip}/out/dropoff"}
    assert new_keys <= plan.stop_keys()
    routed = {s.key for r in plan.routes for s in r.stops}
    assert new_keys <= routed or new_keys <= {u.stop.key for u in plan.unserved}
    assert (new_keys <= routed) == (new_keys <= set(moved))
    with pytest.raises(Conflict, match="nothing new"):
        replan_new_requests(seeded, plan_id, "tekrar", DISPATCHER, time_limit_s=LIMIT_S)

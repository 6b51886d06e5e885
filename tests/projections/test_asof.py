"""As-of views: what the live projections showed at a moment, rebuilt from checkpoints and the log."""

from __future__ import annotations

import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Services
from domain.errors import InvalidValue
from domain.programmes import Programme
from domain.service import ISTANBUL
from domain.stop_visit import FailureReason, Outcome
from domain.values import Need
from projections import checkpoints, dispatch_queries, queries
from projections.asof import AsOfStats, views_as_of
from projections.caseload import CaseloadView
from projections.dispatch import DispatchView
from projections.sql import ViewDatabase
from tests.builders import CASEWORKER, DISPATCHER, applied, enrolled, register, young_family
from tests.dispatch_builders import DAY, meal_plan

TODAY = date(2026, 11, 21)
AT = datetime(2026, 11, 20, 17, 5, tzinfo=ISTANBUL)
VIEWS = (CaseloadView(), DispatchView())


def answers(db: ViewDatabase, plan: UUID | None) -> dict[str, Any]:
    """The live questions whose past answers must be reproducible."""
    result: dict[str, Any] = {
        "caseload": queries.caseload(db, TODAY),
        "manifest": queries.manifest(db, DAY, "hot_meal"),
        "milk": queries.manifest(db, date(2026, 11, 24), "milk"),
        "pending": queries.pending_applications(db),
        "plans": dispatch_queries.plans_on(db, DAY),
    }
    if plan is not None:
        result["stops"] = dispatch_queries.plan_stops(db, plan)
        result["progress"] = dispatch_queries.progress(db, plan, 17 * 3600 + 900)
    return result


def story(services: Services) -> tuple[list[tuple[datetime, dict[str, Any]]], UUID]:
    """Build a history step by step, recording the live answers after each step and the moment."""
    app, recorded = services.app, []
    plan: UUID | None = None

    def record() -> None:
        services.catch_up()
        recorded.append((datetime.now(UTC), answers(services.views, plan)))

    record()
    plan, _, stops = meal_plan(app)
    record()
    family = register(app, young_family(), neighbourhood="Müftü Mh.")
    milk = enrolled(app, family, Programme.MILK)
    parcel = applied(app, family, Programme.FOOD_PARCEL, date(2026, 11, 1))
    record()
    app.publish_plan(plan, DISPATCHER)
    app.report_stop(plan, stops[0].key, Outcome.DELIVERED, AT, "k1", DISPATCHER, receiver="Fatma")
    record()
    app.report_stop(plan, stops[1].key, Outcome.FAILED, AT, "k2", DISPATCHER, reason=FailureReason.NOT_HOME)
    app.suspend_enrolment(milk, date(2026, 11, 22), "Hastanede", CASEWORKER, until=date(2026, 11, 30))
    app.reject_application(parcel, "Gelir kriterin üzerinde", CASEWORKER, date(2026, 11, 10))
    record()
    return recorded, plan


def test_every_recorded_moment_is_reproduced_from_checkpoints_and_from_the_whole_log(
    services: Services,
) -> None:
    """At each moment a history was recorded, the as-of copy answers exactly what the live views did."""
    for projector in (services.caseload, services.dispatch):
        projector.checkpoint_every = 5  # several automatic checkpoints in a small log
    recorded, plan = story(services)
    assert len(checkpoints.listing(services.views)) >= 4
    for moment, live in recorded:
        for use_checkpoints in (True, False):
            with views_as_of(
                services.app,
                services.views,
                VIEWS,
                moment,
                with_personal=True,
                use_checkpoints=use_checkpoints,
            ) as past:
                assert answers(past, plan if "stops" in live else None) == live, (moment, use_checkpoints)


def test_a_checkpoint_spares_replaying_the_events_before_it(services: Services) -> None:
    """After a checkpoint, an as-of question at the end replays only the events recorded since it."""
    story(services)
    services.caseload.checkpoint()
    position = services.caseload.position()
    register(services.app)
    services.catch_up()
    made: list[AsOfStats] = []
    with views_as_of(services.app, services.views, VIEWS[:1], datetime.now(UTC), stats=made) as now:
        assert len(queries.pending_applications(now)) == len(queries.pending_applications(services.views))
    assert made[0].checkpoint_position == position and made[0].events_replayed == 1


def test_a_checkpoint_is_not_used_for_a_moment_before_its_events(services: Services) -> None:
    """A moment before the checkpoint's last event falls back to an older checkpoint (here: none)."""
    recorded, _ = story(services)
    services.caseload.checkpoint()
    first_moment, first_answers = recorded[0]
    made: list[AsOfStats] = []
    with views_as_of(services.app, services.views, VIEWS[:1], first_moment, stats=made) as past:
        assert queries.caseload(past, TODAY) == first_answers["caseload"] == []
    assert made[0].checkpoint_position == 0


def test_checkpoints_leave_personal_data_out(services: Services) -> None:
    """Names, a home's coordinates, needs and a suspension's reason never reach a checkpoint image; an
    as-of copy has them only when asked (`with_personal`), from the live view."""
    app = services.app
    household = register(app, needs=(Need.DIABETIC,))
    enrolment = enrolled(app, household, Programme.HOT_MEAL)
    app.suspend_enrolment(enrolment, date(2026, 11, 1), "Hastanede", CASEWORKER, until=date(2026, 11, 3))
    story(services)
    services.caseload.checkpoint()
    services.dispatch.checkpoint()
    rows = services.views.query("SELECT data FROM kapida_checkpoints")
    images = [zlib.decompress(bytes(data)) for (data,) in rows]
    for secret in (b"Fatma", b"diabetic", b"Hastanede", b"0532 123"):  # not b"0532": a timestamp may hold it
        assert all(secret not in image for image in images), secret
    later = datetime.now(UTC) + timedelta(hours=1)
    with views_as_of(services.app, services.views, VIEWS[:1], later) as bare:
        assert bare.query("SELECT COUNT(*) FROM cl_contacts") == [(0,)]
        # lat is nullable (an erased household has no location), so its blank is NULL
        assert bare.query("SELECT needs, lat FROM cl_households WHERE household_id=?", (household.hex,)) == [
            ("", None)
        ]
    with views_as_of(services.app, services.views, VIEWS, later, with_personal=True) as full:
        assert answers(full, None) == answers(services.views, None)
        assert full.query("SELECT DISTINCT reason FROM cl_suspensions") == [("Hastanede",)]


def test_a_moment_without_time_zone_is_refused() -> None:
    """The domain cannot guess a zone: the error names the as_of field."""
    with pytest.raises(InvalidValue, match="as_of"), views_as_of(None, None, (), datetime(2026, 3, 1)):  # type: ignore[arg-type]
        pass


def test_a_rebuild_discards_the_views_checkpoints(services: Services) -> None:
    """Checkpoints made by the old handlers must not seed as-of copies after the view is rebuilt."""
    story(services)
    services.caseload.checkpoint()
    services.dispatch.checkpoint()
    services.caseload.rebuild()
    assert [c["view"] for c in checkpoints.listing(services.views)] == ["dispatch"]

"""The caseload read model: current, exactly once, resumable after a crash, and equal to a rebuild."""

from datetime import date
from typing import Any

import pytest

from api.bootstrap import Services
from domain.programmes import Cadence, Entitlement, Programme
from domain.values import GeoPoint, Member
from projections import queries
from projections.caseload import TABLES, CaseloadView
from projections.runner import Projector
from tests.builders import CASEWORKER, applied, enrolled, register, young_family

TODAY = date(2026, 11, 21)


def snapshot(services: Services) -> dict[str, list[Any]]:
    """Every row of every caseload table, in a stable order."""
    return {table: sorted(services.views.query(f"SELECT * FROM {table}"), key=repr) for table in TABLES}


def small_city(services: Services) -> dict[str, Any]:
    app = services.app
    ids: dict[str, Any] = {}
    ids["grandmother"] = register(app, neighbourhood="Tophane Mah.")
    ids["meals"] = enrolled(app, ids["grandmother"], Programme.HOT_MEAL)
    ids["family"] = register(app, young_family(), neighbourhood="Müftü Mh.")
    ids["milk"] = enrolled(
        app,
        ids["family"],
        Programme.MILK,
        entitlement=Entitlement(Programme.MILK, 3, Cadence.WEEKLY, weekdays=(1,)),
    )
    ids["parcel_application"] = applied(app, ids["family"], Programme.FOOD_PARCEL, date(2026, 11, 1))
    app.suspend_enrolment(ids["meals"], date(2026, 11, 20), "Hastanede", CASEWORKER, until=date(2026, 11, 25))
    return ids


def test_the_caseload_counts_active_suspended_and_waiting_per_neighbourhood(services: Services) -> None:
    """Per programme and neighbourhood: who is served, paused and waiting, and for how long."""
    small_city(services)
    services.caseload.catch_up()
    rows = {(r.programme, r.neighbourhood): r for r in queries.caseload(services.views, TODAY)}
    assert (rows[("hot_meal", "Tophane Mah.")].active, rows[("hot_meal", "Tophane Mah.")].suspended) == (0, 1)
    assert rows[("milk", "Müftü Mh.")].active == 1
    parcel = rows[("food_parcel", "Müftü Mh.")]
    assert (parcel.pending, parcel.longest_wait_days) == (1, 20)
    assert queries.caseload(services.views, date(2026, 11, 26), programme="hot_meal")[0].active == 1


def test_the_manifest_follows_cadence_pauses_and_dates(services: Services) -> None:
    """Hot meals daily except while suspended; milk only on its Tuesday; nothing before enrolment started."""
    ids = small_city(services)
    services.caseload.catch_up()
    assert queries.manifest(services.views, date(2026, 11, 19), "hot_meal")[0].enrolment_id == ids["meals"]
    assert queries.manifest(services.views, date(2026, 11, 22), "hot_meal") == []
    assert len(queries.manifest(services.views, date(2026, 11, 26), "hot_meal")) == 1
    assert len(queries.manifest(services.views, date(2026, 11, 24), "milk")) == 1
    assert queries.manifest(services.views, date(2026, 11, 23), "milk") == []
    assert queries.manifest(services.views, date(2026, 9, 1), "milk") == []
    line = queries.manifest(services.views, date(2026, 11, 24), "milk")[0]
    assert (line.quantity, line.household_id) == (3, ids["family"])


def test_an_ended_enrolment_and_a_move_show_in_the_read_model(services: Services) -> None:
    """Ending stops the manifest after the last day; moving changes the neighbourhood of every row."""
    ids = small_city(services)
    app = services.app
    app.end_enrolment(ids["milk"], date(2026, 11, 30), "Başka ile taşındı", CASEWORKER)
    app.move_household(
        ids["family"], GeoPoint(41.03, 40.51), "Rize Merkez", "Çamlıbel Mh.", "Yeni adres", CASEWORKER
    )
    services.caseload.catch_up()
    assert len(queries.manifest(services.views, date(2026, 11, 24), "milk")) == 1
    assert queries.manifest(services.views, date(2026, 12, 1), "milk") == []
    pending = queries.pending_applications(services.views)
    assert [row[7] for row in pending] == ["Çamlıbel Mh."]


class CrashingView(CaseloadView):
    """The caseload view with a power cut on the n-th event it handles."""

    def __init__(self, crash_at: int) -> None:
        self.calls = 0
        self.handlers = {
            name: self._counting(handler, crash_at) for name, handler in CaseloadView.handlers.items()
        }

    def _counting(self, handler: Any, crash_at: int) -> Any:
        def handle(cur: Any, ident: str, event: dict[str, Any]) -> None:
            self.calls += 1
            if self.calls == crash_at:
                raise RuntimeError("power cut")
            handler(cur, ident, event)

        return handle


def test_a_crash_mid_batch_is_rolled_back_and_resumed_without_double_counting(services: Services) -> None:
    """A handler failing mid-batch leaves the view at the last commit; the next run finishes it."""
    small_city(services)
    projector = Projector(services.app, services.views, CaseloadView(), batch_size=4)
    projector.catch_up(max_batches=1)
    committed, before = projector.position(), snapshot(services)
    crashing = CrashingView(crash_at=3)
    with pytest.raises(RuntimeError, match="power cut"):
        Projector(services.app, services.views, crashing, batch_size=1000).catch_up()
    assert crashing.calls == 3
    assert projector.position() == committed and snapshot(services) == before
    projector.catch_up()
    resumed = snapshot(services)
    projector.rebuild()
    assert snapshot(services) == resumed


@pytest.mark.parametrize("sql_in_worker", [False, True], ids=["in-process", "worker"])
def test_catching_up_step_by_step_equals_a_full_rebuild(services: Services, sql_in_worker: bool) -> None:
    """Incremental catch-ups between commands give exactly the tables a replay from zero gives, whether
    the rebuild runs its SQL in this process or in the worker a long log gets."""
    services.caseload.worker_from = 0 if sql_in_worker else 10**12
    app = services.app
    household = register(app, young_family())
    services.caseload.catch_up()
    enrolment = enrolled(app, household, Programme.MILK)
    services.caseload.catch_up()
    app.suspend_enrolment(enrolment, date(2026, 10, 1), "Seyahatte", CASEWORKER)
    app.resume_enrolment(enrolment, date(2026, 10, 8), CASEWORKER)
    app.change_members(household, (*young_family(), Member("Ece", date(2026, 5, 1))), CASEWORKER)
    services.caseload.catch_up()
    live = snapshot(services)
    assert services.caseload.rebuild() == services.app.recorder.max_notification_id()
    assert snapshot(services) == live


def test_two_projectors_never_apply_an_event_twice(services: Services) -> None:
    """Two processes projecting the same view alternately end with the same tables as one rebuild."""
    small_city(services)
    other = Projector(services.app, services.views, CaseloadView(), batch_size=3)
    mine = Projector(services.app, services.views, CaseloadView(), batch_size=5)
    while other.catch_up(max_batches=1) + mine.catch_up(max_batches=1):
        pass
    together = snapshot(services)
    mine.rebuild()
    assert snapshot(services) == together


@pytest.mark.parametrize("sql_in_worker", [False, True], ids=["in-process", "worker"])
def test_a_crash_during_a_rebuild_leaves_the_live_view_and_its_position(
    services: Services, sql_in_worker: bool
) -> None:
    """A rebuild replays aside and swaps in at the end: failing halfway changes nothing that readers see."""
    small_city(services)
    services.caseload.catch_up()
    before, position = snapshot(services), services.caseload.position()
    crashing = Projector(services.app, services.views, CrashingView(crash_at=5))
    crashing.worker_from = 0 if sql_in_worker else 10**12
    with pytest.raises(RuntimeError, match="power cut"):
        crashing.rebuild()
    assert snapshot(services) == before and services.caseload.position() == position
    assert services.caseload.rebuild() == position
    assert snapshot(services) == before

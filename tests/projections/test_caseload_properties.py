"""Property: whatever valid commands staff issue, the caseload equals what a replay of the log says."""

import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.bootstrap import Services, bootstrap
from domain.database import Database
from domain.errors import DomainError
from domain.programmes import Programme
from domain.values import Member, Need
from projections import queries
from projections.caseload import TABLES
from tests.builders import CASEWORKER, applied, register

BASE = date(2026, 6, 1)
CHECK_DAYS = (date(2026, 6, 15), date(2026, 8, 4), date(2026, 9, 1), date(2026, 11, 21))
PROFILES: tuple[tuple[tuple[Member, ...], tuple[Need, ...]], ...] = (
    ((Member("Fatma", date(1948, 3, 14)),), ()),
    ((Member("Elif", date(1994, 6, 1)), Member("Can", date(2025, 2, 10))), (Need.COELIAC,)),
    ((Member("Ali", date(1980, 1, 1)),), (Need.WHEELCHAIR_USER,)),
)
HOODS = ("Tophane Mah.", "Müftü Mh.", "Çamlıbel Mh.")

# Indices count back from the newest record, so generated staff mostly act on what they just did.
recent = st.integers(0, 3)
command = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(st.sampled_from(["apply", "enrol", "enrol"]), recent, st.sampled_from(list(Programme))),
    st.tuples(st.sampled_from(["assess", "approve", "reject", "withdraw"]), recent),
    st.tuples(st.just("suspend"), recent, st.integers(0, 150), st.one_of(st.none(), st.integers(0, 30))),
    st.tuples(st.just("suspend"), recent, st.integers(0, 150), st.one_of(st.none(), st.integers(0, 30))),
    st.tuples(st.sampled_from(["resume", "resume", "end"]), recent, st.integers(0, 40)),
    st.tuples(st.just("catch_up")),
)


def pick(ids: list[UUID], back: int) -> UUID:
    return ids[-1 - back % len(ids)]


class Staff:
    """Issues the generated commands; refusals are fine (and must write nothing)."""

    def __init__(self, services: Services) -> None:
        self.s = services
        self.households: list[UUID] = []
        self.applications: list[UUID] = []
        self.enrolments: list[UUID] = []

    def do(self, step: tuple[Any, ...]) -> None:
        app, kind = self.s.app, step[0]
        if kind == "enrol":
            for single in (("apply", *step[1:]), ("assess", 0), ("approve", 0)):
                self.do(single)
            return
        before = app.recorder.max_notification_id()
        try:
            if kind == "register":
                members, needs = PROFILES[step[1]]
                self.households.append(register(app, members, needs, neighbourhood=HOODS[step[2]]))
            elif kind == "catch_up":
                self.s.caseload.catch_up()
            elif kind == "apply" and self.households:
                self.applications.append(applied(app, pick(self.households, step[1]), step[2], BASE))
            elif kind in ("assess", "approve", "reject", "withdraw") and self.applications:
                self._decide(kind, pick(self.applications, step[1]))
            elif kind in ("suspend", "resume", "end") and self.enrolments:
                self._pause(step, pick(self.enrolments, step[1]))
        except DomainError:
            assert app.recorder.max_notification_id() == before, f"refused {kind} wrote events"

    def _decide(self, kind: str, application: UUID) -> None:
        app = self.s.app
        if kind == "assess":
            app.assess_application(application, "Ziyaret", BASE + timedelta(days=1), CASEWORKER)
        elif kind == "approve":
            self.enrolments.append(app.approve_application(application, CASEWORKER, BASE + timedelta(days=2)))
        elif kind == "reject":
            app.reject_application(application, "Gelir yüksek", CASEWORKER, BASE + timedelta(days=2))
        else:
            app.withdraw_application(application, "Vazgeçti", CASEWORKER)

    def _pause(self, step: tuple[Any, ...], enrolment: UUID) -> None:
        app, day = self.s.app, BASE + timedelta(days=step[2])
        pauses = app.enrolment(enrolment).suspensions
        if step[0] != "suspend" and pauses:
            day = pauses[-1].start + timedelta(days=step[2])  # staff resume or end relative to the last pause
        if step[0] == "suspend":
            until = None if step[3] is None else day + timedelta(days=step[3])
            app.suspend_enrolment(enrolment, day, "Hastanede", CASEWORKER, until)
        elif step[0] == "resume":
            app.resume_enrolment(enrolment, day, CASEWORKER)
        else:
            app.end_enrolment(enrolment, day, "Taşındı", CASEWORKER)


def replayed_caseload(staff: Staff, on: date) -> Counter[tuple[str, str, str]]:
    """The caseload computed by loading every aggregate from the log: the slow, obvious answer."""
    app, counts = staff.s.app, Counter[tuple[str, str, str]]()
    for enrolment_id in staff.enrolments:
        enrolment = app.enrolment(enrolment_id)
        hood = app.household(enrolment.household_id).neighbourhood
        running = enrolment.start_date <= on and (enrolment.end_date is None or on <= enrolment.end_date)
        if running:
            paused = any(p.covers(on) for p in enrolment.suspensions)
            counts[(enrolment.programme.value, hood, "suspended" if paused else "active")] += 1
    for application_id in staff.applications:
        application = app.aid_application(application_id)
        if application.is_open:
            counts[
                (
                    application.programme.value,
                    app.household(application.household_id).neighbourhood,
                    "pending",
                )
            ] += 1
    return counts


def projected_caseload(staff: Staff, on: date) -> Counter[tuple[str, str, str]]:
    counts = Counter[tuple[str, str, str]]()
    for row in queries.caseload(staff.s.views, on):
        for status in ("active", "suspended", "pending"):
            if getattr(row, status):
                counts[(row.programme, row.neighbourhood, status)] += getattr(row, status)
    return counts


def replayed_manifest(staff: Staff, on: date, programme: Programme) -> set[UUID]:
    return {
        e
        for e in staff.enrolments
        if staff.s.app.enrolment(e).programme is programme and staff.s.app.enrolment(e).is_due_on(on)
    }


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(command, min_size=15, max_size=60))
def test_any_command_sequence_keeps_the_view_equal_to_a_replay(steps: list[tuple[Any, ...]]) -> None:
    """Caseload and manifests from the projection equal those from replaying aggregates, and a rebuild."""
    with tempfile.TemporaryDirectory() as folder:
        services = bootstrap(Database.from_url(str(Path(folder) / "kapida.sqlite")))
        try:
            staff = Staff(services)
            for step in [("register", 0, 0), ("register", 1, 1), ("register", 2, 2), *steps]:
                staff.do(step)
            services.caseload.catch_up()
            for day in CHECK_DAYS:
                assert projected_caseload(staff, day) == replayed_caseload(staff, day)
                for programme in (Programme.HOT_MEAL, Programme.MILK, Programme.FOOD_PARCEL):
                    manifest = {
                        line.enrolment_id for line in queries.manifest(services.views, day, programme)
                    }
                    assert manifest == replayed_manifest(staff, day, programme)
            live = {t: sorted(services.views.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES}
            services.caseload.rebuild()
            assert live == {t: sorted(services.views.query(f"SELECT * FROM {t}"), key=repr) for t in TABLES}
        finally:
            services.close()

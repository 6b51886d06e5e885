"""Two people changing one record at the same moment: one wins, the other gets 409 and a message, never a
silent overwrite. Two app instances (as two server processes would be) share one database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Services, bootstrap
from domain.database import Database
from domain.errors import Conflict
from domain.programmes import Programme
from domain.values import Role
from tests.api.test_api_support import Api, api_for
from tests.builders import CASEWORKER, applied, register
from tests.reliability.support import event_names


@pytest.fixture
def second(database: Database) -> Iterator[Services]:
    """A second, independent set of services on the same database: another server process."""
    wired = bootstrap(database)
    yield wired
    wired.close()


def hold_loads(targets: list[Services], aggregate_id: UUID) -> None:
    """Make each app wait, right after loading `aggregate_id`, until both have loaded it: the worst case."""
    both_loaded = threading.Barrier(len(targets), timeout=10)
    for wired in targets:
        original = wired.app.repository.get

        def get(ident: UUID, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            found = _original(ident, *args, **kwargs)
            if ident == aggregate_id:
                both_loaded.wait()
            return found

        wired.app.repository.get = get  # type: ignore[method-assign]


def test_two_caseworkers_changing_one_household_get_one_success_and_one_conflict(
    services: Services, second: Services
) -> None:
    """Both load version N, both save N+1: the log keeps one change, the other caseworker gets 409 naming
    what happened, and the household's needs are exactly the winner's."""
    household = register(services.app)
    with api_for(services) as one, api_for(second) as two:
        ayse = one.as_role(Role.CASEWORKER)
        mehmet = two.as_role(Role.CASEWORKER, username="mehmet.kaya")
        hold_loads([services, second], household)
        url = f"/api/households/{household}/needs"
        calls = [(one, ayse, ["diabetic"]), (two, mehmet, ["wheelchair_user"])]

        def change(call: tuple[Api, dict[str, str], list[str]]) -> Any:
            api, headers, needs = call
            return api.client.put(url, json={"needs": needs}, headers=headers)

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(change, calls))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409]
    loser = next(a for a in answers if a.status_code == 409)
    assert "aynı anda başka biri değiştirdi" in loser.json()["detail"]
    winner = calls[[a.status_code for a in answers].index(200)][2]
    fresh = bootstrap(services.views.database)
    try:
        assert sorted(fresh.app.household(household).needs) == winner
    finally:
        fresh.close()
    assert event_names(services).count("Household.NeedsChanged") == 1


def test_a_conflicting_command_writes_none_of_its_events(services: Services, second: Services) -> None:
    """The loser's save is all or nothing: a second app approving the same application after the first did
    gets a refusal and the log holds exactly one decision and one enrolment."""
    household = register(services.app)
    application = applied(services.app, household, Programme.HOT_MEAL)
    services.app.assess_application(application, "Ev ziyareti yapıldı", date(2026, 9, 2), CASEWORKER)
    hold_loads([services, second], application)
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda wired: _approve(wired, application), [services, second]))
    assert sorted(outcomes) == ["Conflict", "ok"]
    names = event_names(services)
    assert names.count("AidApplication.Approved") == 1 and names.count("Enrolment.Started") == 1


def _approve(wired: Services, application: UUID) -> str:
    try:
        wired.app.approve_application(application, CASEWORKER)
    except Conflict:
        return "Conflict"
    return "ok"

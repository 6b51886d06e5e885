"""Erasing a household (KVKK): who and why are recorded, the key is destroyed, every domain read shows
placeholders, and nothing personal can be recorded for it again; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from api.bootstrap import Services, bootstrap
from domain.database import Database
from domain.errors import Conflict, IllegalTransition, InvalidValue, PermissionDenied
from domain.programmes import Programme
from domain.service import ISTANBUL, Kapida
from domain.stop_visit import Outcome, stop_visit_id
from domain.values import ERASED, Actor, Channel, GeoPoint, LegalBasis, Member, Need, PersonalDetails, Role
from tests.builders import CASEWORKER, DISPATCHER, RIZE, enrolled
from tests.dispatch_builders import meal_plan

MANAGER = Actor("elif.aydin", Role.MANAGER)
REQUEST = LegalBasis.DATA_SUBJECT_REQUEST
SECRET = PersonalDetails("Zeynep Karadeniz", "0544 987 65 43", "Gül Sk. No:7 Daire 3", "10000000146")


@pytest.fixture
def wired(database: Database) -> Iterator[Services]:
    services = bootstrap(database)
    yield services
    services.close()


def household(app: Kapida) -> UUID:
    members = (Member("Zeynep", date(1950, 5, 5)), Member("Hasan", date(1947, 1, 2)))
    return app.register_household(
        SECRET, RIZE, "Rize Merkez", "Tophane Mah.", members, (Need.DIABETIC,), CASEWORKER
    )


def test_an_erased_household_reads_back_as_placeholders_from_every_domain_path(wired: Services) -> None:
    """The aggregate, its events and a fresh application (no cached key) show only placeholders;
    birth dates, district and neighbourhood stay for statistics; the erasure itself is recorded."""
    app = wired.app
    ident = household(app)
    app.move_household(ident, GeoPoint(41.03, 40.51), "Rize Merkez", "Müftü Mah.", "Yeni Sk. 9", CASEWORKER)
    app.change_contact(ident, "Zeynep Karadeniz", "0544 987 65 44", CASEWORKER)
    app.erase_household(ident, REQUEST, "Dilekçe 2026/118", MANAGER)
    fresh = Kapida(env=app.env)
    for reader in (app, fresh):
        erased = reader.household(ident)
        assert erased.erased and erased.personal == PersonalDetails.erased()
        assert erased.location is None and erased.needs == frozenset()
        assert [(m.name, m.birth_date) for m in erased.members] == [
            (ERASED, date(1950, 5, 5)),
            (ERASED, date(1947, 1, 2)),
        ]
        assert (erased.district, erased.neighbourhood) == ("Rize Merkez", "Müftü Mah.")
        events = reader.events_of(ident)
        text = repr([vars(e) for e in events])
        for secret in ("Zeynep", "0544", "Gül Sk", "10000000146", "Yeni Sk", "41.03", "diabetic"):
            assert secret not in text
        last = events[-1]
        assert type(last).__name__ == "Erased"
        assert (last.basis, last.reason, last.actor) == (REQUEST, "Dilekçe 2026/118", MANAGER)
    fresh.close()


def test_erasing_twice_is_a_conflict(wired: Services) -> None:
    """The second erasure of the same household is refused as a conflict (HTTP 409)."""
    ident = household(wired.app)
    wired.app.erase_household(ident, REQUEST, "istek", MANAGER)
    with pytest.raises(Conflict, match="already erased"):
        wired.app.erase_household(ident, REQUEST, "istek", MANAGER)


def test_an_active_enrolment_blocks_erasure_unless_it_is_ended_with_it(wired: Services) -> None:
    """Erasing an enrolled household is an illegal transition naming the programme; with
    `end_enrolments` the enrolment ends (last day yesterday) in the same write."""
    app = wired.app
    ident = household(app)
    enrolment = enrolled(app, ident, Programme.HOT_MEAL)
    with pytest.raises(IllegalTransition, match="hot_meal"):
        app.erase_household(ident, LegalBasis.PURPOSE_ENDED, "vefat", MANAGER)
    assert not app.household(ident).erased
    app.erase_household(ident, LegalBasis.PURPOSE_ENDED, "vefat", MANAGER, end_enrolments=True)
    ended = app.enrolment(enrolment)
    assert ended.ended and ended.end_date == datetime.now(ISTANBUL).date() - timedelta(days=1)
    assert app.household(ident).active_enrolments == {}


def test_only_managers_and_admins_may_erase_and_they_must_say_why(wired: Services) -> None:
    """A caseworker is refused; a blank reason or an unknown legal basis names the field."""
    ident = household(wired.app)
    with pytest.raises(PermissionDenied):
        wired.app.erase_household(ident, REQUEST, "istek", CASEWORKER)
    with pytest.raises(InvalidValue, match="reason"):
        wired.app.erase_household(ident, REQUEST, "  ", MANAGER)
    with pytest.raises(InvalidValue, match="basis"):
        wired.app.erase_household(ident, "because", "istek", MANAGER)  # type: ignore[arg-type]
    assert wired.app.household(ident).personal == SECRET


def test_nothing_personal_can_be_recorded_for_an_erased_household(wired: Services) -> None:
    """Moving, changing contact or members, or applying is refused; the key store refuses a new key."""
    app = wired.app
    ident = household(app)
    app.erase_household(ident, REQUEST, "istek", MANAGER)
    with pytest.raises(IllegalTransition, match="erased"):
        app.move_household(ident, RIZE, "Rize Merkez", "Tophane Mah.", "Başka Sk.", CASEWORKER)
    with pytest.raises(IllegalTransition, match="erased"):
        app.change_contact(ident, "Yeni Kişi", "0532 000 00 00", CASEWORKER)
    with pytest.raises(IllegalTransition, match="erased"):
        app.submit_application(ident, Programme.HOT_MEAL, Channel.WEB, CASEWORKER)
    with pytest.raises(IllegalTransition, match="erased"):
        app.keys.box(ident, create=True)


def test_an_erasure_interrupted_before_its_key_was_destroyed_is_finished_at_start_up(
    database: Database,
) -> None:
    """Event saved, process dies before the key goes: the next start-up destroys the key. A mark whose
    event never got saved is cleared and the household keeps its data."""
    services = bootstrap(database)
    app = services.app
    interrupted, unsaved = household(app), household(app)
    target = app.household(interrupted)
    target.erase(REQUEST, "istek", MANAGER)
    app.keys.mark_erasing(interrupted)
    app.save(target)  # ... and the process dies here
    app.keys.mark_erasing(unsaved)  # died before even saving the event
    services.close()
    restarted = bootstrap(database)
    try:
        assert restarted.app.keys.box(interrupted) is None
        assert restarted.app.keys.pending() == []
        assert restarted.app.events_of(interrupted)[0].personal == PersonalDetails.erased()
        assert restarted.app.household(unsaved).personal == SECRET
    finally:
        restarted.close()


def test_free_text_of_applications_pauses_and_stop_reports_is_sealed_and_erased(wired: Services) -> None:
    """Application and visit notes, a pause's reason and what the driver wrote at the door read back
    before erasure and as placeholders after; their decisions and outcomes stay."""
    app = wired.app
    plan, _, stops = meal_plan(app)
    owner = stops[0].household_id
    arrived = datetime(2026, 9, 1, 10, tzinfo=ISTANBUL)
    application = app.submit_application(
        owner, Programme.MILK, Channel.WEB, CASEWORKER, arrived, "Şeker hastası"
    )
    app.assess_application(application, "Evde yatalak eşi var", date(2026, 9, 2), CASEWORKER)
    enrolments = app.household(owner).active_enrolments
    enrolment = enrolments[Programme.HOT_MEAL]
    app.suspend_enrolment(enrolment, date(2026, 10, 1), "Hastanede yatıyor", CASEWORKER, date(2026, 10, 5))
    app.publish_plan(plan, DISPATCHER)
    at = datetime.now(ISTANBUL) - timedelta(minutes=1)
    app.report_stop(
        plan, stops[0].key, Outcome.DELIVERED, at, "k1", DISPATCHER, "Komşu Ayşe", note="Kapı kodu 4411"
    )
    visit = app.events_of(stop_visit_id(plan, stops[0].key))[-1]
    assert (visit.receiver, visit.note) == ("Komşu Ayşe", "Kapı kodu 4411")
    app.erase_household(owner, REQUEST, "istek", MANAGER, end_enrolments=True)
    texts = repr(
        [vars(e) for aggregate in (application, enrolment) for e in app.events_of(aggregate)]
        + [vars(e) for e in app.events_of(stop_visit_id(plan, stops[0].key))]
    )
    for secret in ("Şeker", "yatalak", "Hastanede", "Komşu", "4411"):
        assert secret not in texts
    assert app.enrolment(enrolment).suspensions[0].reason == ERASED
    assert app.stop_visit(stop_visit_id(plan, stops[0].key)).outcome is Outcome.DELIVERED


def test_another_process_forgets_its_cached_key_once_a_household_is_erased(wired: Services) -> None:
    """A second application on the same store (the web app while the CLI erases) has the key cached;
    at its next look at the key store it drops it, so neither its aggregates nor its events show data."""
    other = Kapida(env=wired.app.env)
    try:
        other.keys.epoch_check_s = 0.0  # look at every read instead of at most once a second
        ident = household(wired.app)
        assert other.household(ident).personal == SECRET
        wired.app.erase_household(ident, REQUEST, "istek", MANAGER)
        assert other.events_of(ident)[0].personal == PersonalDetails.erased()
        assert other.keys.box(ident) is None
    finally:
        other.close()


def test_no_snapshot_or_aggregate_cache_can_keep_plaintext_past_an_erasure(wired: Services) -> None:
    """Erasure relies on this: no snapshots (they would store unsealed state) and no aggregate cache;
    an aggregate loaded before the erasure blanks itself when it records the erasure."""
    app = wired.app
    assert app.snapshots is None and app.repository.cache is None
    ident = household(app)
    loaded = app.household(ident)
    loaded.erase(REQUEST, "istek", MANAGER)
    assert loaded.personal == PersonalDetails.erased() and loaded.location is None
    assert {m.name for m in loaded.members} == {ERASED}

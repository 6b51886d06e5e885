"""The national-id index: found by a keyed hash, never by the plain number, and gone on erasure."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from api.bootstrap import Services, national_id_key
from domain.errors import Conflict
from domain.values import GeoPoint, Member, PersonalDetails
from projections.household_index import (
    HouseholdIndexView,
    check_key,
    households_with_national_id,
    national_id_hash,
    people,
)
from projections.runner import Projector
from tests.api.import_support import IMPORTER, tc


def _register(services: Services, national_id: str) -> str:
    ident = services.app.register_household(
        PersonalDetails("Fatma Kalkavan", "0532 123 45 67", "Çanakkale Cad. No:3", national_id),
        GeoPoint(41.0249, 40.5218),
        "Rize Merkez",
        "Tophane Mah.",
        (Member("Fatma", date(1948, 3, 14)),),
        (),
        IMPORTER,
    )
    services.catch_up()
    return ident.hex


def test_a_household_is_found_by_its_number_which_the_lookup_table_does_not_hold(services: Services) -> None:
    """The lookup row holds an HMAC of the number under the deployment's key, not the number itself."""
    ident = _register(services, tc(1))
    key = services.national_id_key
    assert households_with_national_id(services.views, key, tc(1)) == [ident]
    assert households_with_national_id(services.views, key, tc(2)) == []
    stored = services.views.query("SELECT id_hash FROM hx_national_ids")
    assert stored == [(national_id_hash(key, tc(1)),)] and tc(1) not in stored[0][0]
    assert national_id_hash(b"another deployment", tc(1)) != stored[0][0]


def test_members_follow_the_household_and_a_household_without_a_number_has_no_lookup_row(
    services: Services,
) -> None:
    """A change of members reaches the index; a household registered without a number is listed but
    cannot be looked up."""
    ident = _register(services, tc(1))
    services.app.change_members(
        UUID(ident),
        (Member("Fatma", date(1948, 3, 14)), Member("Ali", date(1946, 1, 2))),
        IMPORTER,
    )
    services.catch_up()
    national_id, members = people(services.views, [ident])[ident]
    assert national_id == tc(1) and [m.name for m in members] == ["Fatma", "Ali"]
    without = _register(services, "")
    assert services.views.query("SELECT COUNT(*) FROM hx_national_ids") == [(1,)]
    assert people(services.views, [without])[without][0] == ""


def test_the_erasure_event_deletes_both_personal_rows(services: Services) -> None:
    """`Household.Erased` (the erasure command's event) leaves nothing of the household in the index."""
    ident = _register(services, tc(1))
    view = HouseholdIndexView(services.national_id_key)
    with services.views.transaction() as cur:
        view.handlers["Household.Erased"](cur, ident, {})
    assert services.views.query("SELECT COUNT(*) FROM hx_people") == [(0,)]
    assert households_with_national_id(services.views, services.national_id_key, tc(1)) == []


def test_a_rebuild_gives_the_same_index(services: Services) -> None:
    """Replaying the log from zero into the index gives the rows the live projection holds."""
    for seed in (1, 2, 3):
        _register(services, tc(seed))
    tables = ("SELECT * FROM hx_national_ids ORDER BY 1", "SELECT * FROM hx_people ORDER BY 1")
    live = [services.views.query(sql) for sql in tables]
    assert services.household_index is not None and services.household_index.rebuild() > 0
    assert [services.views.query(sql) for sql in tables] == live


def test_every_process_on_a_database_shares_the_key_and_a_changed_key_is_refused(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without KAPIDA_SECRET the key lives in the database (same for the CLI and every server); an index
    built with another key refuses lookups until it is rebuilt, instead of finding no one."""
    monkeypatch.delenv("KAPIDA_SECRET", raising=False)
    assert national_id_key(services.views) == national_id_key(services.views) == services.national_id_key
    _register(services, tc(1))
    monkeypatch.setenv("KAPIDA_SECRET", "a new deployment secret")
    changed = national_id_key(services.views)
    assert changed != services.national_id_key
    with pytest.raises(Conflict, match="rebuild"):
        check_key(services.views, changed)
    check_key(services.views, services.national_id_key)
    Projector(services.app, services.views, HouseholdIndexView(changed)).rebuild()
    check_key(services.views, changed)
    assert households_with_national_id(services.views, changed, tc(1)) != []

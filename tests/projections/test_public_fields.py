"""Handlers marked `public_fields_only` get their events with personal fields still sealed: replaying every
view with the marks honoured must give exactly the tables it gives with every event unsealed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.bootstrap import Services
from domain.values import GeoPoint, LegalBasis, Member, Need
from projections import decoding
from projections.decoding import EventDecoder, public_fields_only
from projections.runner import Replayer
from projections.sql import memory_database
from tests.builders import CASEWORKER, register, young_family
from tests.projections.test_erasure_projection import MANAGER, served_and_erased


def every_kind_of_event(services: Services) -> None:
    """Plans, deliveries, trips, pauses and an erasure, then a household that moves and changes its
    members, needs and contact."""
    _, erased, _, _ = served_and_erased(services)
    services.app.erase_household(erased, LegalBasis.KVKK_ARTICLE_7, "amaç sona erdi", MANAGER, True)
    app = services.app
    family = register(app, members=young_family())
    app.move_household(
        family, GeoPoint(41.0250, 40.5170), "Rize Merkez", "Müftü Mah.", "Atatürk Cd. No:9", CASEWORKER
    )
    app.change_members(family, (*young_family(), Member("Zeynep", date(2026, 1, 5))), CASEWORKER)
    app.change_needs(family, (Need.DIABETIC,), CASEWORKER)
    app.change_contact(family, "Elif Çakır", "0533 765 43 21", CASEWORKER)


def replayed(services: Services, view: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The view's tables after replaying the whole log into a fresh in-memory database."""
    memory = memory_database()
    try:
        cur = memory.cursor()
        view.create(cur)
        replayer = Replayer(services.app, services.views, view)
        replayer.decoder.prepare_for_replay()
        replayer.replay(cur, 0, replayer.last())
        return {table: sorted(cur.execute(f"SELECT * FROM {table}").fetchall()) for table in view.tables}
    finally:
        memory.close()


def test_marked_handlers_build_the_same_tables_as_with_every_event_unsealed(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    every_kind_of_event(services)
    views = [projector.view for projector in services.projectors]
    marked = [
        handler
        for view in views
        for handler in view.handlers.values()
        if getattr(handler, decoding.PUBLIC_FIELDS_ONLY, False)
    ]
    assert marked, "no handler is marked: this test would compare a replay with itself"
    honoured = {view.name: replayed(services, view) for view in views}
    monkeypatch.setattr(decoding, "PUBLIC_FIELDS_ONLY", "kapida_marks_ignored")
    unsealed = {view.name: replayed(services, view) for view in views}
    assert honoured == unsealed
    assert any(rows for tables in honoured.values() for rows in tables.values())


def test_a_marked_handler_that_reads_a_personal_field_fails_loudly(services: Services) -> None:
    """A note is sealed: a handler wrongly marked public finds no `note` key instead of a wrong value."""
    register(services.app)
    decoder = EventDecoder(services.app.mapper)

    @public_fields_only
    def reads_the_contact(cur: Any, ident: str, e: dict[str, Any]) -> None:
        e["personal"]

    (notification,) = services.app.recorder.select_notifications(start=1, limit=1)
    with pytest.raises(KeyError, match="personal"):
        reads_the_contact(None, "", decoder.decoder_for(reads_the_contact)(notification.state))
    assert decoder.decoder_for(lambda cur, ident, e: None) == decoder.decode

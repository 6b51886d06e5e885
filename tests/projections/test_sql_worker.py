"""Rebuilds whose SQL runs in a second process: the same tables as a replay in this one, and failures that
name their cause and leave the live view alone."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from api.bootstrap import Services
from projections.runner import Projector, Replayer
from projections.sql import Cursor, create_tables, drop_tables
from projections.sql_worker import RecordingCursor, WorkerFailed
from tests.projections.test_caseload_view import small_city, snapshot
from tests.projections.test_public_fields import every_kind_of_event, replayed


def replayed_in_worker(services: Services, view: Any) -> dict[str, list[tuple[Any, ...]]]:
    """The view's tables from a worker fed windows of three events: many batches, some of them empty."""
    replayer = Replayer(services.app, services.views, view, batch_size=3)
    replayer.decoder.prepare_for_replay()
    memory = sqlite3.connect(":memory:")
    try:
        memory.deserialize(replayer.replay_in_worker(0, replayer.last()))
        return {table: sorted(memory.execute(f"SELECT * FROM {table}").fetchall()) for table in view.tables}
    finally:
        memory.close()


def test_every_view_replayed_with_its_sql_in_a_worker_equals_the_replay_in_this_process(
    services: Services,
) -> None:
    every_kind_of_event(services)
    for view in (projector.view for projector in services.projectors):
        in_worker = replayed_in_worker(services, view)
        assert in_worker == replayed(services, view), view.name
        assert any(in_worker.values()), view.name


class DuplicatingView:
    """Inserts every registration twice: the worker's SQLite refuses the second row."""

    name = "duplicating"
    tables = ("dup_households",)

    def __init__(self) -> None:
        self.handlers = {"Household.Registered": self.registered}

    def registered(self, cur: Cursor, ident: str, e: dict[str, Any]) -> None:
        cur.execute("INSERT INTO dup_households VALUES (?)", (ident,))
        cur.execute("INSERT INTO dup_households VALUES (?)", (ident,))

    def create(self, cur: Cursor) -> None:
        create_tables(cur, {"dup_households": "household_id TEXT PRIMARY KEY"})

    def drop(self, cur: Cursor) -> None:
        drop_tables(cur, self.tables)


def test_a_statement_the_worker_refuses_fails_the_rebuild_with_its_reason_and_changes_nothing(
    services: Services,
) -> None:
    small_city(services)
    services.caseload.catch_up()
    before, position = snapshot(services), services.caseload.position()
    projector = Projector(services.app, services.views, DuplicatingView())
    projector.worker_from = 0
    with pytest.raises(WorkerFailed, match=r"UNIQUE constraint failed: dup_households\.household_id"):
        projector.rebuild()
    assert services.views.query("SELECT notification_id FROM kapida_tracking WHERE view='duplicating'") == [
        (0,)
    ]
    assert snapshot(services) == before and services.caseload.position() == position


def test_a_handler_that_reads_a_result_cannot_be_pipelined() -> None:
    recorder = RecordingCursor()
    recorder.execute("SELECT 1")
    with pytest.raises(TypeError, match="read a result back"):
        recorder.fetchone()
    assert recorder.take() == [("SELECT 1", (), False)] and recorder.take() == []

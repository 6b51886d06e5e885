"""The read models' SQL adapter: scratch copies for rebuilds and checkpoints, and index rebuilding."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from uuid import uuid4

import pytest

from domain.database import Database
from projections.sql import ScratchCopy, ViewDatabase


@pytest.mark.parametrize("secure_delete", [True, False])
def test_a_checkpoint_copy_keeps_no_trace_of_the_values_it_blanked(
    tmp_path: Path, secure_delete: bool
) -> None:
    """A checkpoint stores its scratch copy's whole image: blanked reasons must be zeroed, not left in
    the pages' free space (they are, without `secure_delete`: the check below can fail)."""
    views = ViewDatabase(Database(sqlite_path=tmp_path / "kapida.sqlite"))
    scratch = ScratchCopy(secure_delete=secure_delete)
    try:
        scratch.connection.execute("CREATE TABLE pauses (id TEXT PRIMARY KEY, reason TEXT NOT NULL)")
        scratch.connection.executemany(  # random keys: pages split, and cells move between them
            "INSERT INTO pauses VALUES (?, ?)",
            [(uuid4().hex, f"Hastanede, ameliyat sonrası {i}") for i in range(3000)],
        )
        with views.attached(scratch), views.transaction() as cur:
            views.blank_in_scratch(cur, scratch, "pauses", {"reason": ""})
        image = scratch.connection.serialize()
        assert scratch.connection.execute("SELECT DISTINCT reason FROM pauses").fetchall() == [("",)]
        assert (b"Hastanede" in image) is not secure_delete
    finally:
        scratch.close()
        views.close()


def test_indexes_dropped_for_a_bulk_copy_come_back_as_they_were(database: Database) -> None:
    """Secondary indexes are created again after the copy; the primary key stays throughout."""
    views = ViewDatabase(database)
    listed = (
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname=current_schema() AND tablename='cases' "
        "ORDER BY 1"
        if database.is_postgres
        else "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name='cases' ORDER BY 1"
    )
    primary_key = "cases_pkey" if database.is_postgres else "sqlite_autoindex_cases_1"
    try:
        with views.transaction() as cur:
            cur.execute("CREATE TABLE cases (id TEXT PRIMARY KEY, status TEXT NOT NULL)")
            cur.execute("CREATE INDEX cases_status ON cases (status)")
        before = views.query(listed)
        with views.transaction() as cur, views.indexes_built_after(cur, ["cases"]):
            cur.execute(listed)
            assert [name for name, _ in cur.fetchall()] == [primary_key]
            cur.executemany("INSERT INTO cases VALUES (?, ?)", [(str(i), "approved") for i in range(50)])
        assert views.query(listed) == before
        assert sorted(name for name, _ in before) == sorted(["cases_status", primary_key])
    finally:
        views.close()


def test_the_log_is_scanned_from_a_folder_whose_name_needs_escaping_in_a_uri(tmp_path: Path) -> None:
    """The scan opens the database read-only by URI: spaces, `#`, `?` and `%` in the path must not matter."""
    folder = tmp_path / "Sosyal Yardım #2 ?%"
    views = ViewDatabase(Database(sqlite_path=folder / "kapida.sqlite"))
    try:
        with views.transaction() as cur:
            cur.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, topic TEXT)")
            cur.execute("INSERT INTO log VALUES (1, 'Household.Registered')")
        assert views.scan("SELECT id, topic FROM log WHERE id > ?", (0,)) == [(1, "Household.Registered")]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            views.scan("INSERT INTO log VALUES (2, 'x')")
    finally:
        views.close()

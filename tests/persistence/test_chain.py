"""The hash chain on SQLite and PostgreSQL: intact logs verify, tampered ones break at the right id."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.audit import ExportedHead, audit_log, export_head, public_key, read_head
from domain.database import Database
from domain.errors import Conflict, InvalidValue
from domain.ledger import CHAIN_TABLE, EPOCH, ChainBroken, Kind, Link, extend
from domain.ledger_audit import verify
from domain.service import Kapida
from domain.values import Actor, LegalBasis, Need, Role
from projections.sql import ViewDatabase
from tests.builders import CASEWORKER, register
from tests.persistence.tamper import RawLog

SECRET = "a-test-secret-that-is-long-enough-for-tokens"
MANAGER = Actor("elif.aydin", Role.MANAGER)


@pytest.fixture
def app(database: Database) -> Kapida:
    ViewDatabase(database).close()  # creates the PostgreSQL schema, as bootstrap does
    return Kapida(env=database.eventsourcing_env())


@pytest.fixture
def raw(app: Kapida, database: Database) -> RawLog:
    return RawLog(database, app.recorder.events_table_name)  # type: ignore[attr-defined]


def small_log(app: Kapida, households: int = 4) -> None:
    """A few households, each registered then changed: two events per household."""
    for _ in range(households):
        household = register(app)
        app.change_needs(household, (Need.DIABETIC,), CASEWORKER)


def walk(app: Kapida, from_id: int = 1, head: ExportedHead | None = None) -> dict:
    return audit_log(app.recorder, from_id, head)


def broken_at(app: Kapida) -> tuple[int, str]:
    """Where and how the walk breaks; walking in batches of 3 rows (across batch edges) must agree."""
    report = walk(app)
    assert not report["intact"], report
    with app.recorder.chain_reader() as reader:  # type: ignore[attr-defined]
        small = verify(reader, batch=3).broken
    found = report["break"]
    assert small is not None and (small.notification_id, small.kind, small.detail) == (
        found["notification_id"],
        found["kind"],
        found["detail"],
    )
    return found["notification_id"], found["kind"]


def test_a_fresh_log_verifies_up_to_its_last_event(app: Kapida) -> None:
    """Every event saved through Kapıda is linked: the walk checks them all and ends at the last one."""
    small_log(app)
    report = walk(app)
    last = app.recorder.max_notification_id()
    assert report["intact"] and report["checked"] == last == 8
    assert report["head"]["notification_id"] == last and report["chain"]["events_before"] == 0


def test_an_empty_log_verifies_with_nothing_checked(app: Kapida) -> None:
    """A new database has a genesis row and no links: intact, zero events."""
    report = walk(app)
    assert report["intact"] and report["checked"] == 0 and report["head"] is None


def test_two_app_instances_writing_at_once_still_make_one_chain(app: Kapida) -> None:
    """Concurrent saves from two processes' worth of applications link to distinct heads, in order."""
    other = Kapida(env=app.env)
    errors: list[BaseException] = []

    def write(instance: Kapida) -> None:
        try:
            small_log(instance, 5)
        except BaseException as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(a,)) for a in (app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = walk(app)
    assert report["intact"] and report["checked"] == 20


def test_a_refused_save_leaves_no_link_behind(app: Kapida) -> None:
    """A version conflict rolls links back with the events; later saves chain on past PostgreSQL's id gap."""
    household = register(app)
    stale = app.household(household)
    app.change_needs(household, (Need.DIABETIC,), CASEWORKER)
    stale.change_needs((Need.BEDRIDDEN,), CASEWORKER)
    with pytest.raises(Conflict):
        app._save(stale)
    register(app)
    report = walk(app)
    assert report["intact"] and report["checked"] == 3


def test_a_changed_state_byte_breaks_the_chain_at_that_record(app: Kapida, raw: RawLog) -> None:
    """One flipped bit in one stored event: the walk stops there, calling it a changed record."""
    small_log(app)
    raw.flip_state_byte(5)
    assert broken_at(app) == (5, Kind.CHANGED)
    assert walk(app)["checked"] == 4


def test_a_deleted_record_is_reported_as_deleted(app: Kapida, raw: RawLog) -> None:
    """An event removed from the log while its link stays: deleted, at its id."""
    small_log(app)
    raw.delete_event(3)
    assert broken_at(app) == (3, Kind.DELETED)


def test_a_record_deleted_with_its_link_shows_as_a_missing_position(app: Kapida, raw: RawLog) -> None:
    """An intruder who removes the link too leaves a hole in the chain's positions: deleted, at that id."""
    small_log(app)
    raw.delete_event(6)
    raw.delete_link(6)
    found = walk(app)["break"]
    assert (found["notification_id"], found["kind"]) == (6, Kind.DELETED)
    assert "1 chain position(s) missing after #5" in found["detail"]


def test_two_swapped_records_are_reported_as_reordered(app: Kapida, raw: RawLog) -> None:
    """Swapping two records' topics and states: the first is found to belong where the second was."""
    small_log(app)
    raw.swap_payloads(2, 7)
    found = walk(app)["break"]
    assert (found["notification_id"], found["kind"]) == (2, Kind.REORDERED)
    assert "belongs at #7" in found["detail"]


def test_a_row_inserted_outside_kapida_is_reported_as_inserted(app: Kapida, raw: RawLog) -> None:
    """A row written straight into the events table has no link: inserted, at its id."""
    small_log(app)
    foreign = raw.insert_foreign(like=1)
    assert broken_at(app) == (foreign, Kind.INSERTED)


def test_a_removed_link_alone_leaves_an_event_without_a_link(app: Kapida, raw: RawLog) -> None:
    """Removing only a link (the event stays) is caught at that event."""
    small_log(app)
    raw.delete_link(4)
    assert broken_at(app) == (4, Kind.INSERTED)


def test_verifying_from_an_id_checks_only_what_follows(app: Kapida, raw: RawLog) -> None:
    """`--from-id` trusts the links before it and still finds a break after it."""
    small_log(app)
    assert walk(app, from_id=5)["checked"] == 4
    raw.flip_state_byte(2)
    assert walk(app, from_id=3)["intact"] and broken_at(app) == (2, Kind.CHANGED)


def test_a_cut_tail_is_caught_by_an_exported_head(app: Kapida, raw: RawLog, database: Database) -> None:
    """Cutting the last records and their links leaves a chain that walks clean, but not the exported head."""
    small_log(app)
    exported = read_head(_head_file(app, database), public_key(SECRET))
    assert walk(app, head=exported)["intact"]
    for notification_id in (8, 7):
        raw.delete_event(notification_id)
        raw.delete_link(notification_id)
    assert walk(app)["intact"]
    found = walk(app, head=exported)["break"]
    assert (found["notification_id"], found["kind"]) == (8, Kind.TRUNCATED)


def test_history_rewritten_with_fresh_hashes_is_caught_by_an_exported_head(
    app: Kapida, raw: RawLog, database: Database
) -> None:
    """An intruder who changes a record and recomputes every later link fools the walk, not the head."""
    small_log(app)
    exported = read_head(_head_file(app, database), public_key(SECRET))
    raw.flip_state_byte(6)
    _rechain_from(app, raw, 6)
    assert walk(app)["intact"]
    found = walk(app, head=exported)["break"]
    assert (found["notification_id"], found["kind"]) == (8, Kind.REWRITTEN)


def test_a_forged_head_is_refused(app: Kapida, database: Database) -> None:
    """A head whose hash was edited, or signed with another key, is refused naming `head`."""
    small_log(app)
    text = _head_file(app, database)
    forged = text.replace('"notification_id": 8', '"notification_id": 7')
    with pytest.raises(InvalidValue, match="signature does not match") as refused:
        read_head(forged, public_key(SECRET))
    assert refused.value.field == "head"
    with pytest.raises(InvalidValue, match="not by the trusted key"):
        read_head(text, public_key("some-other-installation-secret-0123456789"))


def test_events_recorded_before_the_chain_existed_are_chained_on_first_open(
    database: Database, tmp_path: Path
) -> None:
    """A log written by the plain library gets its chain, in order, the first time Kapıda opens it."""
    ViewDatabase(database).close()
    plain = dict(database.eventsourcing_env())
    plain["PERSISTENCE_MODULE"] = plain["PERSISTENCE_MODULE"].replace("domain.chained_", "eventsourcing.")
    small_log(Kapida(env=plain), 2)
    app = Kapida(env=database.eventsourcing_env())
    register(app)
    report = walk(app)
    assert report["intact"] and report["checked"] == 5 and report["chain"]["events_before"] == 4


def _head_file(app: Kapida, database: Database) -> str:
    return json.dumps(export_head(app.recorder, database, SECRET))


def _rechain_from(app: Kapida, raw: RawLog, start: int) -> None:
    """What a careful intruder does: recompute the links from `start` on with the public algorithm."""
    with app.recorder.chain_reader() as reader:  # type: ignore[attr-defined]
        genesis, before = reader.genesis(), reader.link_before(start)
        rows = reader.events(start - 1, 100)
    raw.run("DELETE FROM {chain} WHERE notification_id >= ?", (start,))
    links: list[Link] = []
    head = before
    for row in rows:
        links += extend(head, genesis, [row[0]], [_Stored(row)], datetime.now(UTC))
        head = links[-1]
    for k in links:
        stamp = EPOCH + timedelta(microseconds=k.recorded_us)
        value = stamp if raw.database.is_postgres else stamp.isoformat(sep=" ")
        raw.run(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?, ?)", (k.notification_id, k.seq, value, k.hash))


class _Stored:
    def __init__(self, row: tuple) -> None:
        self.originator_id = row[1].hex()
        self.originator_version, self.topic, self.state = row[2], row[3], bytes(row[4])


def test_a_tampered_tail_stops_new_writes_on_sqlite(app: Kapida, raw: RawLog, database: Database) -> None:
    """SQLite reuses a deleted last rowid: linking past a cut tail is refused instead of hiding the cut."""
    if database.is_postgres:
        pytest.skip("PostgreSQL's sequence never reuses an id")
    small_log(app, 1)
    raw.delete_event(2)
    with pytest.raises(ChainBroken, match="run `kapida audit verify`"):
        register(app)


@pytest.mark.parametrize(
    "change",
    [
        "state = CAST(state AS TEXT)",
        "topic = CAST(topic AS BLOB)",
        "originator_version = originator_version || 'x'",
        "originator_id = CAST(originator_id AS BLOB)",
        "originator_id = originator_id || ' '",
    ],
)
def test_a_stored_value_of_another_type_is_a_changed_record(
    app: Kapida, raw: RawLog, database: Database, change: str
) -> None:
    """SQLite lets an intruder store a value of another type (same bytes): reported, never a crash."""
    if database.is_postgres:
        pytest.skip("PostgreSQL's column types refuse this")
    small_log(app, 2)
    raw.run(f"UPDATE {{events}} SET {change} WHERE rowid = 3")
    assert broken_at(app) == (3, Kind.CHANGED)


def test_the_walk_reads_plain_sql_without_the_domain(app: Kapida) -> None:
    """Verification needs no event classes or keys: the reader's rows are bytes and numbers only."""
    small_log(app, 1)
    with app.recorder.chain_reader() as reader:  # type: ignore[attr-defined]
        verdict = verify(reader)
        (row,) = reader.events(1, 1)
    assert verdict.intact and verdict.checked == 2
    assert isinstance(row[1], bytes) and isinstance(row[4], bytes) and isinstance(row[3], str)


def test_an_encrypted_log_is_verified_without_its_key(database: Database, raw: RawLog) -> None:
    """With the library's cipher on, links cover the ciphertext: an app opened without the key verifies it."""
    from eventsourcing.cipher import AESCipher

    key = {"CIPHER_TOPIC": "eventsourcing.cipher:AESCipher", "CIPHER_KEY": AESCipher.create_key(16)}
    small_log(Kapida(env=database.eventsourcing_env() | key), 2)
    ((state,),) = raw.run("SELECT state FROM {events} WHERE {id} = 1")
    assert b"Kalkavan" not in bytes(state)  # what is stored (and hashed) is ciphertext
    without_key = Kapida(env=database.eventsourcing_env())
    report = walk(without_key)
    assert report["intact"] and report["checked"] == 4
    raw.flip_state_byte(3)
    assert broken_at(without_key) == (3, Kind.CHANGED)


def test_the_chain_still_verifies_after_a_household_is_erased(app: Kapida) -> None:
    """Crypto-shredding destroys a key and records an event; no stored record changes, so the chain holds."""
    small_log(app, 2)
    household = register(app)
    before = walk(app)["checked"]
    app.erase_household(household, LegalBasis.DATA_SUBJECT_REQUEST, "Başvuru sahibinin talebi", MANAGER)
    report = walk(app)
    assert report["intact"] and report["checked"] > before

"""The chain's hashing, without a database: what a link covers, and that no two records encode alike."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from domain.ledger import ChainBroken, Genesis, extend, link, micros

ORIGINATOR = uuid4().bytes
GENESIS = Genesis("db", bytes(32), datetime(2026, 11, 21, tzinfo=UTC), 0)
FIELDS = st.tuples(st.binary(max_size=20), st.binary(max_size=20), st.binary(max_size=20))


@given(FIELDS, FIELDS)
def test_different_splits_of_the_same_bytes_hash_differently(a: tuple, b: tuple) -> None:
    """Moving bytes between originator, topic and state changes the hash (lengths are part of it)."""
    if a != b:
        assert link(bytes(32), 1, a[0], 1, a[1], a[2], 0) != link(bytes(32), 1, b[0], 1, b[1], b[2], 0)


@pytest.mark.parametrize("field", range(7))
def test_every_field_of_a_record_is_covered(field: int) -> None:
    """Changing any one input (previous hash, id, originator, version, topic, state, time) changes it."""
    record = [bytes(32), 7, ORIGINATOR, 2, b"domain.household:Household.Registered", b"state", 1_000_000]
    changed = list(record)
    value = changed[field]
    changed[field] = value + 1 if isinstance(value, int) else bytes([value[0] ^ 1]) + value[1:]
    assert link(*record) != link(*changed)  # type: ignore[arg-type]


def test_links_follow_the_head_and_number_their_positions() -> None:
    """Extending after a head continues its positions; each link chains to the one before."""
    events = [StoredEvent(uuid4(), 1, "t", b"a"), StoredEvent(uuid4(), 1, "t", b"b")]
    at = datetime(2026, 11, 21, 9, 0, 0, 123456, tzinfo=UTC)
    first = extend(None, GENESIS, [1], events[:1], at)
    second = extend(first[-1], GENESIS, [3], events[1:], at)
    assert [(k.notification_id, k.seq) for k in first + second] == [(1, 1), (3, 2)]
    expected = link(first[0].hash, 3, events[1].originator_id.bytes, 1, b"t", b"b", micros(at))
    assert second[0].hash == expected and micros(at) == int(at.timestamp()) * 1_000_000 + 123456


def test_a_new_event_at_or_before_the_head_is_refused() -> None:
    """Ids must grow past the head: a reused id means the log's tail was altered."""
    (head,) = extend(None, GENESIS, [5], [StoredEvent(uuid4(), 1, "t", b"a")], datetime.now(UTC))
    with pytest.raises(ChainBroken, match="not after the chain's head #5"):
        extend(head, GENESIS, [5], [StoredEvent(uuid4(), 1, "t", b"b")], datetime.now(UTC))

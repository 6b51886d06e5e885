"""The event log's hash chain: how each stored event is linked to the one before, and how to check it.

Every stored event has a row in `kapida_chain` written in the transaction that inserts the event:

    hash = SHA-256(previous hash ‖ notification id ‖ originator version ‖ recorded_at (µs since 1970)
                   ‖ the three lengths ‖ originator id (16 bytes) ‖ topic (UTF-8) ‖ stored state bytes)

with the integers as fixed-width big-endian fields and every byte string's length given up front (see
`link`), so no two different records encode alike. The stored state is hashed exactly as stored
(ciphertext when the cipher is on): verifying needs no keys.
The first link's "previous hash" is a random 32-byte salt kept, with the database's id, in the one-row
`kapida_chain_genesis`: two databases never share a chain, and an exported head names its database.
Each link also carries `seq`, its dense position in the chain (1, 2, ...): notification ids may skip
numbers (PostgreSQL sequences do on rollback), positions may not, so a removed event *and* its link show
as a missing position. `seq` is a diagnostic aid; detection rests on the hashes alone.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from hashlib import sha256
from typing import NamedTuple, Protocol
from uuid import UUID

CHAIN_TABLE = "kapida_chain"
GENESIS_TABLE = "kapida_chain_genesis"
HASH_BYTES = 32
BATCH = 20_000  # rows per query while walking the chain
LOOKAHEAD = 5_000  # links searched for a record's true place when a hash does not match
TAMPERED = "\0tampered: "  # the topic given to stored rows that can no longer be read as written
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# notification id, originator version, recorded_at in µs; lengths of originator id, topic and state
_HEADER = struct.Struct(">qqqIII")
_MICROSECOND = timedelta(microseconds=1)


class ChainBroken(RuntimeError):
    """Writing would extend a chain whose tail was tampered with; the log needs an audit first."""


def micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch: the backend-independent form of `recorded_at` that is hashed."""
    return (moment - EPOCH) // _MICROSECOND


def originator_bytes(originator_id: UUID | str) -> bytes:
    """Originator ids as 16 bytes, from a UUID or the 32-hex-digit text SQLite stores."""
    return originator_id.bytes if isinstance(originator_id, UUID) else bytes.fromhex(originator_id)


def link(
    previous: bytes,
    notification_id: int,
    originator: bytes,
    version: int,
    topic: bytes,
    state: bytes,
    recorded_us: int,
) -> bytes:
    """The hash of one record, chained to `previous` (`topic` is UTF-8, `originator` 16 bytes)."""
    header = _HEADER.pack(notification_id, version, recorded_us, len(originator), len(topic), len(state))
    return sha256(b"".join((previous, header, originator, topic, state))).digest()


@dataclass(frozen=True)
class Genesis:
    """Where the chain starts: the database's id, the first link's previous hash, and when it began."""

    database_id: str
    salt: bytes
    created_at: datetime
    events_before: int  # events already in the log when the chain began (chained then, in order)


class Link(NamedTuple):
    """One row of `kapida_chain` (a tuple: a million of them are made per audit)."""

    notification_id: int
    seq: int
    recorded_us: int
    hash: bytes


# (notification id, originator id as 16 bytes, originator version, topic, stored state)
EventRow = tuple[int, bytes, int, str, bytes]
# a `Link` as a plain tuple, as the walk reads a million of them
LinkRow = tuple[int, int, int, bytes]


class NewEvent(Protocol):
    """What the recorders know of an event they insert (eventsourcing's `StoredEvent`)."""

    @property
    def originator_id(self) -> UUID | str: ...
    @property
    def originator_version(self) -> int: ...
    @property
    def topic(self) -> str: ...
    @property
    def state(self) -> bytes: ...


def extend(
    head: Link | None, genesis: Genesis, ids: Sequence[int], events: Sequence[NewEvent], recorded: datetime
) -> list[Link]:
    """The links for `events`, just given `ids`, after the chain's current `head`."""
    if head is not None and ids and min(ids) <= head.notification_id:
        raise ChainBroken(
            f"new event #{min(ids)} is not after the chain's head #{head.notification_id}: the log's tail "
            "was altered; run `kapida audit verify`"
        )
    previous, seq = (head.hash, head.seq) if head is not None else (genesis.salt, 0)
    recorded_us = micros(recorded)
    links = []
    for notification_id, event in sorted(zip(ids, events, strict=True), key=lambda pair: pair[0]):
        seq += 1
        previous = link(
            previous,
            notification_id,
            originator_bytes(event.originator_id),
            event.originator_version,
            event.topic.encode(),
            event.state,
            recorded_us,
        )
        links.append(Link(notification_id, seq, recorded_us, previous))
    return links


class Kind(StrEnum):
    """What a break in the chain means."""

    CHANGED = "changed"  # a record's hash does not match: its bytes (or an earlier link) were altered
    DELETED = "deleted"  # a link without its event, or missing chain positions: records were removed
    INSERTED = "inserted"  # an event without a link: written outside Kapıda (or its link removed)
    REORDERED = "reordered"  # a record's content belongs to another position in the chain
    TRUNCATED = "truncated"  # an exported head is no longer in the log: its tail was cut off
    REWRITTEN = "rewritten"  # an exported head's position holds a different hash: history was rewritten
    NO_CHAIN = "no_chain"  # the genesis row is missing


@dataclass(frozen=True)
class Break:
    """The first place where the log and its chain disagree."""

    notification_id: int
    kind: Kind
    detail: str


@dataclass(frozen=True)
class Verdict:
    """The result of walking the chain: how much was checked, the head reached, and the first break."""

    checked: int
    first_id: int | None
    head: Link | None
    genesis: Genesis | None
    broken: Break | None

    @property
    def intact(self) -> bool:
        return self.broken is None


class ChainReader(Protocol):
    """Plain reads of the events and chain tables inside one consistent snapshot (one per backend)."""

    def genesis(self) -> Genesis | None: ...
    def events(self, after: int, limit: int) -> list[EventRow]: ...
    def links(self, after: int, limit: int) -> list[LinkRow]: ...
    def link_before(self, notification_id: int) -> Link | None: ...
    def link_at(self, notification_id: int) -> Link | None: ...

"""Walking the hash chain: recompute every link in notification order and name the first break.

The walk merges two ordered streams read in large batches with plain SQL (`ChainReader`): the events
table and the chain table. Where they disagree the kind of break says what happened to the log; the
rarer question "where does this record really belong?" is asked only once a hash fails.
"""

from __future__ import annotations

import struct
from itertools import pairwise

from domain.ledger import (
    BATCH,
    LOOKAHEAD,
    Break,
    ChainReader,
    EventRow,
    Genesis,
    Kind,
    Link,
    LinkRow,
    Verdict,
    link,
)


def verify(reader: ChainReader, from_id: int = 1, batch: int = BATCH) -> Verdict:
    """Check every link from notification `from_id` on (earlier links are taken as they are stored)."""
    genesis = reader.genesis()
    if genesis is None:
        return Verdict(0, None, None, None, Break(0, Kind.NO_CHAIN, "the chain's genesis row is missing"))
    start = reader.link_before(from_id) if from_id > 1 else None
    return _Walk(reader, genesis, start).run(max(from_id - 1, 0), batch)


class _Walk:
    """One pass over the log; `run` returns at the first break."""

    def __init__(self, reader: ChainReader, genesis: Genesis, start: Link | None) -> None:
        self.reader = reader
        self.genesis = genesis
        self.head = start
        self.previous = start.hash if start else genesis.salt
        self.seq = start.seq if start else 0
        self.prev_id = start.notification_id if start else 0
        self.checked = 0
        self.first_id: int | None = None
        self._topics: dict[str, bytes] = {}

    def run(self, after: int, size: int) -> Verdict:
        """Batch by batch: the rows of both tables pair up by id in an intact log, so check them pairwise."""
        while True:
            events, links = self.reader.events(after, size), self.reader.links(after, size)
            if not events and not links:
                return Verdict(self.checked, self.first_id, self.head, self.genesis, None)
            done = self._pairs(events, links)
            if isinstance(done, Verdict):
                return done
            if not done == len(events) == len(links):
                return self._unpaired(events[done:], links[done:])
            after = events[-1][0]

    def _pairs(self, events: list[EventRow], links: list[LinkRow]) -> int | Verdict:
        """How many leading (event, link) pairs check out; a failed hash is diagnosed at once."""
        previous, seq, topics, done = self.previous, self.seq, self._topics, 0
        try:
            for event, current in zip(events, links, strict=False):
                if event[0] != current[0] or current[1] != seq + 1:
                    break
                topic = topics.get(event[3]) or topics.setdefault(event[3], event[3].encode())
                if link(previous, event[0], event[1], event[2], topic, event[4], current[2]) != current[3]:
                    self._advance(links, done)
                    return self._diagnose(event)
                previous, seq, done = current[3], seq + 1, done + 1
        except (TypeError, AttributeError, struct.error):  # SQLite let someone store a value of another type
            self._advance(links, done)
            here = events[done][0]
            return self._broken(
                here, Kind.CHANGED, f"#{here} holds a value of another type than Kapıda stored"
            )
        self._advance(links, done)
        return done

    def _advance(self, links: list[LinkRow], done: int) -> None:
        if done:
            last = Link(*links[done - 1])
            self.previous, self.seq, self.prev_id, self.head = last.hash, last.seq, last.notification_id, last
            self.checked += done
            if self.first_id is None:
                self.first_id = links[0][0]

    def _unpaired(self, events: list[EventRow], links: list[LinkRow]) -> Verdict:
        """The first event and link that do not pair up: which side is missing, or a hole in the positions."""
        event, current = (events[0] if events else None), (Link(*links[0]) if links else None)
        if current is None or (event is not None and event[0] < current.notification_id):
            assert event is not None
            return self._broken(
                event[0],
                Kind.INSERTED,
                "an event without a chain link (written outside Kapıda, or its link was removed)",
            )
        if event is None or current.notification_id < event[0]:
            return self._broken(
                current.notification_id, Kind.DELETED, "the chain records an event the log no longer holds"
            )
        return self._broken(self.prev_id + 1, Kind.DELETED, self._gap(current))

    def _gap(self, current: Link) -> str:
        missing = current.seq - self.seq - 1
        after = f"after #{self.prev_id}" if self.prev_id else "at the start of the log"
        return (
            f"{missing} chain position(s) missing {after}, before #{current.notification_id}: "
            "events were removed together with their links"
            if missing > 0
            else f"chain position {current.seq} repeats or goes back at #{current.notification_id}"
        )

    def _diagnose(self, event: EventRow) -> Verdict:
        """A hash failed at `event`: a record moved from another position, or a changed record."""
        here = event[0]
        ahead = {e[0]: e for e in self.reader.events(here - 1, LOOKAHEAD)}
        links = [Link(*row) for row in self.reader.links(here - 1, LOOKAHEAD)]
        for before, candidate in pairwise(links):
            there = candidate.notification_id
            contents = [event[1:]]  # the whole record was moved here
            if (other := ahead.get(there)) is not None:
                contents.append((other[1], other[2], event[3], event[4]))  # only topic and state were swapped
            for originator, version, topic, state in contents:
                if link(
                    before.hash, there, originator, version, topic.encode(), state, candidate.recorded_us
                ) == (candidate.hash):
                    return self._broken(
                        here, Kind.REORDERED, f"the record stored at #{here} belongs at #{there}"
                    )
        return self._broken(
            here, Kind.CHANGED, f"hash mismatch at #{here}: the record's bytes or its chain link were altered"
        )

    def _broken(self, notification_id: int, kind: Kind, detail: str) -> Verdict:
        found = Break(notification_id, kind, detail)
        return Verdict(self.checked, self.first_id, self.head, self.genesis, found)


def check_head(
    reader: ChainReader, verdict: Verdict, database_id: str, notification_id: int, digest: bytes
) -> Break | None:
    """Does the log still hold an exported head, exactly? (Detects a cut tail and rewritten history.)"""
    genesis = verdict.genesis
    if genesis is not None and genesis.database_id != database_id:
        return Break(
            notification_id,
            Kind.REWRITTEN,
            f"the head was exported from chain {database_id}, but this log's chain is {genesis.database_id}: "
            "the chain was started again (or this is another database)",
        )
    found = reader.link_at(notification_id)
    if found is None:
        end = verdict.head.notification_id if verdict.head else 0
        return Break(
            notification_id,
            Kind.TRUNCATED,
            f"the exported head #{notification_id} is gone; the log ends at #{end}",
        )
    if found.hash != digest:
        return Break(
            notification_id,
            Kind.REWRITTEN,
            f"position #{notification_id} now has another hash than the exported head: history was rewritten",
        )
    return None

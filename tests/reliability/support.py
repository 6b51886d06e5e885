"""What the reliability tests share: counting the log, a household body, a published plan for drivers."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.bootstrap import Services
from projections.decoding import event_name
from tests.builders import DISPATCHER
from tests.dispatch_builders import meal_plan

AT = "2026-11-20T17:30:00+03:00"


def event_count(services: Services) -> int:
    """Every event in the log, counted from the notifications (so a rolled-back write cannot count)."""
    return len(event_names(services))


def event_names(services: Services) -> list[str]:
    recorder, names, position = services.app.recorder, [], 0
    while True:
        batch = recorder.select_notifications(start=position, limit=1000, inclusive_of_start=False)
        if not batch:
            return names
        names += [event_name(n.topic) for n in batch]
        position = batch[-1].id


def delivered(key: str, **changes: Any) -> dict[str, Any]:
    return {"outcome": "delivered", "at": AT, "idempotency_key": key, "receiver": "Fatma"} | changes


def published(services: Services) -> tuple[UUID, list[UUID], list[str]]:
    """A published dinner plan on two vans; returns the plan, the vans and the stop keys in route order."""
    plan, vans, stops = meal_plan(services.app)
    services.app.publish_plan(plan, DISPATCHER)
    return plan, vans, [s.key for s in stops]


def report_url(plan: UUID, key: str) -> str:
    return f"/api/plans/{plan}/stops/{key}/report"

"""Which roles may issue which kind of command: the domain refuses the rest, whatever the entry point."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import N_, Listed, PermissionDenied
from domain.values import Actor, Role


class Duty(StrEnum):
    CASEWORK = "casework"
    DECIDE = "decide"
    FLEET = "fleet"
    DISPATCH = "dispatch"
    REPORT = "report"
    TRIPS = "trips"
    ACCOUNTS = "accounts"
    ERASE = "erase"


_ALLOWED: dict[Duty, frozenset[Role]] = {
    Duty.CASEWORK: frozenset({Role.CASEWORKER, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Duty.DECIDE: frozenset({Role.CASEWORKER, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Duty.FLEET: frozenset({Role.DISPATCHER, Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
    Duty.DISPATCH: frozenset({Role.DISPATCHER, Role.ADMIN, Role.SYSTEM}),
    Duty.REPORT: frozenset({Role.DRIVER, Role.DISPATCHER, Role.ADMIN, Role.SYSTEM}),
    Duty.TRIPS: frozenset({Role.CASEWORKER, Role.DISPATCHER, Role.ADMIN, Role.SYSTEM}),
    Duty.ACCOUNTS: frozenset({Role.ADMIN, Role.SYSTEM}),
    Duty.ERASE: frozenset({Role.MANAGER, Role.ADMIN, Role.SYSTEM}),
}


def require(actor: Actor, duty: Duty) -> None:
    """Raise `PermissionDenied` unless the actor's role may perform `duty`."""
    if actor.role not in _ALLOWED[duty]:
        allowed = Listed(sorted(_ALLOWED[duty]))
        raise PermissionDenied(
            N_("role {role} may not do {duty} work (allowed: {allowed})"),
            role=actor.role,
            duty=duty,
            allowed=allowed,
        )

"""The domain's exception tree: every refusal names what was wrong so a person can act on it."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal raised by Kapıda's domain; the message is meant for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(DomainError, ValueError):
    """A field holds a value the domain cannot accept (negative litres, a date in 1900, ...)."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotEligible(InvalidValue):
    """The household does not meet the programme's eligibility rule."""


class NotFound(DomainError, LookupError):
    """No aggregate of that kind has the given id."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(f"{kind} {ident} not found")
        self.kind = kind
        self.ident = ident


class IllegalTransition(DomainError):
    """The command does not apply to the aggregate's current state (decide twice, resume an active one)."""


class Conflict(DomainError):
    """The command clashes with other state: a second active enrolment, a concurrent change."""


class PermissionDenied(DomainError, PermissionError):
    """The actor's role may not issue this command."""


class AlreadyRecorded(DomainError):
    """A keyed request was already carried out: the web layer answers with the stored outcome instead."""

    def __init__(self, key: str) -> None:
        super().__init__(f"Idempotency-Key: the request with key {key!r} was already carried out")
        self.key = key

"""The domain's exception tree: every refusal names what was wrong so a person can act on it.

Messages are English templates marked with `N_` (extracted by Babel into the gettext catalogues) plus
named parameters, so the API and the CLI can show them in the reader's language without the domain
knowing about languages: `str(error)` stays the English text, for logs and tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

Translate = Callable[[str], str]
FormatParam = Callable[[object], object]


def N_(message: str) -> str:
    """Marks `message` for extraction into the catalogues; translated later, where it is shown."""
    return message


class Term(str):
    """A word from the catalogue used as a message parameter ("suspend", "household"): translated too."""

    __slots__ = ()


class Listed(tuple[object, ...]):
    """Several values as one message parameter (`admin, caseworker`), each shown the reader's way."""

    __slots__ = ()
    separator: ClassVar[str] = ", "

    def __str__(self) -> str:
        return self.separator.join(str(item) for item in self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class Clauses(Listed):
    """Several sentences as one message parameter (`stop a: ...; stop b: ...`)."""

    __slots__ = ()
    separator: ClassVar[str] = "; "


class Phrase:
    """A message inside a message: an `N_`-marked template and its parameters, translated with it."""

    __slots__ = ("params", "template")

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params = params

    def render(self, translate: Translate, param: FormatParam) -> str:
        return fill(translate(self.template), {name: param(value) for name, value in self.params.items()})

    def __str__(self) -> str:
        return fill(self.template, self.params)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"


def _english(message: str) -> str:
    return message


def _as_is(value: object) -> object:
    return value


def fill(template: str, params: Mapping[str, object]) -> str:
    """`template` with its `{name}` placeholders filled (a template without parameters is left alone)."""
    return template.format(**params) if params else template


class DomainError(Exception):
    """Base of every refusal raised by Kapıda's domain; the message is meant for people."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params = params
        self.message = fill(template, params)
        super().__init__(self.message)

    def render(self, translate: Translate = _english, param: FormatParam = _as_is) -> str:
        """The message in a language: the translated template, filled with parameters as `param` shows
        them (dates in the reader's format, enumerations by their label)."""
        return fill(translate(self.template), {name: param(value) for name, value in self.params.items()})


class InvalidValue(DomainError, ValueError):
    """A field holds a value the domain cannot accept (negative litres, a date in 1900, ...)."""

    def __init__(self, field: str, problem: str, /, **params: object) -> None:
        super().__init__(problem, **params)
        self.field = field
        self.problem = self.message
        self.message = f"{field}: {self.problem}"
        self.args = (self.message,)

    def render(self, translate: Translate = _english, param: FormatParam = _as_is) -> str:
        return f"{self.field}: {super().render(translate, param)}"


class NotEligible(InvalidValue):
    """The household does not meet the programme's eligibility rule."""


class NotFound(DomainError, LookupError):
    """No aggregate of that kind has the given id; `kind` is an `N_`-marked noun such as "household"."""

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(N_("{kind} {ident} not found"), kind=kind, ident=ident)
        self.kind = kind
        self.ident = ident

    def render(self, translate: Translate = _english, param: FormatParam = _as_is) -> str:
        return fill(translate(self.template), {"kind": translate(self.kind), "ident": param(self.ident)})


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

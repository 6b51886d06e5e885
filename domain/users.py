"""People who sign in to Kapıda: a role each, and for drivers the vehicle whose route they see."""

from __future__ import annotations

import re
import uuid
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import N_, IllegalTransition, InvalidValue
from domain.values import Actor, Role

USER_NAMESPACE = uuid.UUID("0d9b1f6e-8a4b-4c52-9f0e-2c7b5d3a1e44")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
# The interface languages; an account without a choice follows KAPIDA_LANG (Turkish by default).
LANGUAGES = ("tr", "en")


def user_id_for(username: str) -> UUID:
    """A username is unique because it determines the account's id."""
    return uuid.uuid5(USER_NAMESPACE, username)


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise InvalidValue(
            "language",
            N_("{language!r} is not one of {languages}"),
            language=language,
            languages=", ".join(LANGUAGES),
        )
    return language


def check_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise InvalidValue("username", N_("use 3-40 lower-case letters, digits, '.', '_' or '-'"))
    return username


class User(Aggregate):
    """An account; the password is stored only as a hash."""

    @staticmethod
    def create_id(username: str, **_: object) -> UUID:
        return user_id_for(username)

    @event("Registered")
    def __init__(
        self,
        username: str,
        full_name: str,
        role: Role,
        password_hash: str,
        vehicle_id: UUID | None,
        actor: Actor,
    ) -> None:
        self.username = username
        self.full_name = full_name
        self.role = Role(role)
        self.password_hash = password_hash
        self.vehicle_id = vehicle_id
        self.active = True
        self.language: str | None = None

    def change_language(self, language: str, actor: Actor) -> None:
        """The language this person reads the pages, messages and reports in."""
        check_language(language)
        if language != self.language:
            self._language_changed(language, actor)

    @event("LanguageChanged")
    def _language_changed(self, language: str, actor: Actor) -> None:
        self.language = language

    def change_password(self, password_hash: str, actor: Actor) -> None:
        self._password_changed(password_hash, actor)

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str, actor: Actor) -> None:
        self.password_hash = password_hash

    def assign_vehicle(self, vehicle_id: UUID, actor: Actor) -> None:
        if self.role is not Role.DRIVER:
            raise InvalidValue(
                "vehicle",
                N_("only drivers drive; {username} is a {role}"),
                username=self.username,
                role=self.role,
            )
        self._vehicle_assigned(vehicle_id, actor)

    @event("VehicleAssigned")
    def _vehicle_assigned(self, vehicle_id: UUID, actor: Actor) -> None:
        self.vehicle_id = vehicle_id

    def deactivate(self, reason: str, actor: Actor) -> None:
        if not self.active:
            raise IllegalTransition(N_("user {username} is already deactivated"), username=self.username)
        self._deactivated(reason, actor)

    @event("Deactivated")
    def _deactivated(self, reason: str, actor: Actor) -> None:
        self.active = False

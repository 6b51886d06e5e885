"""User accounts: who may sign in, in which role, and which vehicle a driver drives."""

from __future__ import annotations

from uuid import UUID

from domain.app_base import KapidaBase
from domain.errors import N_, Conflict, InvalidValue
from domain.permissions import Duty, require
from domain.users import User, check_username, user_id_for
from domain.values import Actor, Role


class AccountCommands(KapidaBase):
    """Adding users and changing their passwords and vehicles; passwords arrive already hashed."""

    def add_user(
        self,
        username: str,
        full_name: str,
        role: Role,
        password_hash: str,
        actor: Actor,
        vehicle_id: UUID | None = None,
    ) -> UUID:
        require(actor, Duty.ACCOUNTS)
        check_username(username)
        if not full_name.strip():
            raise InvalidValue("full_name", N_("is empty"))
        if role is Role.SYSTEM:
            raise InvalidValue("role", N_("the system role is not for people"))
        if vehicle_id is not None:
            if role is not Role.DRIVER:
                raise InvalidValue("vehicle", N_("only drivers are given a vehicle"))
            self.vehicle(vehicle_id)
        if self.exists(user_id_for(username)):
            raise Conflict(N_("user {username} already exists"), username=username)
        user = User(username, full_name.strip(), Role(role), password_hash, vehicle_id, actor)
        self._save(user)
        return user.id

    def change_password(self, username: str, password_hash: str, actor: Actor) -> None:
        if actor.user != username:
            require(actor, Duty.ACCOUNTS)
        user = self.user(username)
        user.change_password(password_hash, actor)
        self._save(user)

    def change_language(self, username: str, language: str, actor: Actor) -> None:
        """Anyone may choose their own language; an administrator may set anyone's."""
        if actor.user != username:
            require(actor, Duty.ACCOUNTS)
        user = self.user(username)
        user.change_language(language, actor)
        self._save(user)

    def assign_vehicle(self, username: str, vehicle_id: UUID, actor: Actor) -> None:
        require(actor, Duty.FLEET)
        self.vehicle(vehicle_id)
        user = self.user(username)
        user.assign_vehicle(vehicle_id, actor)
        self._save(user)

    def deactivate_user(self, username: str, reason: str, actor: Actor) -> None:
        require(actor, Duty.ACCOUNTS)
        user = self.user(username)
        user.deactivate(reason, actor)
        self._save(user)

"""What every route shares: the command side, the read models behind one lock, and who may do what.

Reads are made current lazily: a successful command only counts itself, and the next read catches the
projections up (under the lock) before it answers. A burst of driver reports therefore costs one
catch-up for the next stop list instead of one per report, and a read right after a write in the same
client flow still sees the write.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Annotated, TypeVar
from uuid import UUID

import anyio
from fastapi import Depends, Request

from api.bootstrap import Services
from api.security import Account, Passwords, SignedIn, Tokens, Unauthorized, require_roles
from api.throttle import LoginThrottle
from domain.errors import N_, NotFound
from domain.service import Kapida
from domain.values import Role
from projections import dispatch_queries
from projections.asof import past_moment, views_as_of
from projections.caseload import CaseloadView
from projections.dispatch import DispatchView
from projections.reports import ReportView
from projections.runner import Projector, View
from projections.sql import ViewDatabase

T = TypeVar("T")
# argon2 is meant to be slow (~0.1-0.3 s of CPU per check): a shift's worth of drivers signing in at
# once must queue for these few slots instead of taking every worker thread from reports.
PASSWORD_CHECKS = 2


class ApiContext:
    """The wired services of one app; one instance per `create_app`."""

    def __init__(self, services: Services, tokens: Tokens, passwords: Passwords | None = None) -> None:
        self.services = services
        self.tokens = tokens
        self.passwords = passwords or Passwords()
        self._decoy: str | None = None
        self.lock = threading.Lock()
        # SQLite has one writer per file: the event store's and the projections' writes queue here, in
        # the process, because SQLite's own busy handler waits by sleeping (up to 100 ms a turn), which
        # under 50 drivers turns millisecond writes into multi-second tails. PostgreSQL needs no queue.
        self._sqlite_writes: AbstractContextManager[object] = (
            nullcontext() if services.views.database.is_postgres else threading.RLock()
        )
        self._writes = 0
        self._caught_up_to = -1
        self._accounts: dict[str, Account] | None = None
        self._accounts_position = -1  # the users view's position when `_accounts` was read
        self._planning_lock = threading.Lock()
        self._limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
            weakref.WeakKeyDictionary()
        )
        self._planning: Services | None = None
        self.throttle = LoginThrottle()

    @property
    def app(self) -> Kapida:
        return self.services.app

    @contextmanager
    def writing(self) -> Iterator[Kapida]:
        """Run commands on the application; on success the read models are due for a catch-up.

        Never read a projection inside the block: the read's catch-up would wait for this write.
        """
        with self._sqlite_writes:
            yield self.services.app
        with self.lock:
            self._writes += 1

    @contextmanager
    def planning(self) -> Iterator[Services]:
        """Services for the planner, one plan at a time, on a read-model connection of their own.

        Solving takes seconds and the planner reads and catches up the views itself; with its own
        connection it never holds the lock drivers' stop lists and reports wait on.
        """
        with self._planning_lock:
            if self._planning is None:
                views = ViewDatabase(self.services.views.database)
                self._planning = Services(
                    self.app,
                    views,
                    Projector(self.app, views, CaseloadView()),
                    Projector(self.app, views, DispatchView()),
                    Projector(self.app, views, ReportView()),
                )
            yield self._planning
        with self.lock:
            self._writes += 1

    def close(self) -> None:
        """Close the planner's connection (the services themselves belong to whoever made them)."""
        with self._planning_lock:
            if self._planning is not None:
                self._planning.views.close()
                self._planning = None

    def catch_up(self) -> int:
        """Bring every read model up to date now (the background worker calls this each second)."""
        with self.lock:
            return self._catch_up_locked()

    def read(self, query: Callable[[ViewDatabase], T]) -> T:
        """Answer `query` from read models that include every command this app has completed."""
        with self.lock:
            if self._caught_up_to < self._writes:
                self._catch_up_locked()
            return query(self.services.views)

    def read_as_of(
        self,
        moment: datetime,
        query: Callable[[ViewDatabase], T],
        views: Sequence[View] = (CaseloadView(), DispatchView()),
        with_personal: bool = False,
    ) -> T:
        """Answer `query` from the read models as they stood at a past `moment` (Istanbul time if naive).

        The copy is built on a connection of its own, so it never holds the lock live reads wait on.
        """
        moment = past_moment(moment)
        connection = ViewDatabase(self.services.views.database)
        try:
            with views_as_of(self.app, connection, views, moment, with_personal) as past:
                return query(past)
        finally:
            connection.close()

    def account(self, username: str) -> Account | None:
        """The account as of the last catch-up, without forcing one: every request asks, and a driver's
        report must not wait for the projections to take in other drivers' reports. Account changes
        made through this API catch up at once (see `accounts_changed`); ones made by another process
        (the CLI) arrive with the background catch-up within a second. An unknown name catches up once.
        """
        accounts = self._accounts
        if accounts is None:
            with self.lock:
                accounts = self._account_table()
        if username not in accounts:
            self.catch_up()
            with self.lock:
                accounts = self._account_table()
        return accounts.get(username)

    def accounts_changed(self) -> None:
        """After deactivating a user or moving a driver: take it in now, so the next request sees it."""
        self.catch_up()

    def check_password(self, username: str, password: str) -> Account:
        """The account if the password matches and the account is active; 401 otherwise, alike for all."""
        try:
            stored = self.app.user(username).password_hash
        except NotFound:
            # The same work as a real check, so response times do not tell which names exist.
            self._decoy = self._decoy or self.passwords.hash("not anyone's password")
            self.passwords.verify(self._decoy, password)
            raise Unauthorized(N_("wrong username or password")) from None
        if not self.passwords.verify(stored, password):
            raise Unauthorized(N_("wrong username or password"))
        account = self.account(username)
        if account is None or not account.active:
            raise Unauthorized(N_("this account has been deactivated"))
        return account

    async def sign_in(self, username: str, password: str) -> Account:
        """`check_password` on a few threads of its own, so a burst of logins cannot starve other routes."""
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            limiter = self._limiters[loop] = anyio.CapacityLimiter(PASSWORD_CHECKS)
        return await anyio.to_thread.run_sync(self.check_password, username, password, limiter=limiter)

    def _catch_up_locked(self) -> int:
        target = self._writes
        with self._sqlite_writes:
            read = self.services.catch_up()
        self._caught_up_to = target
        # Refreshed here, under the lock, so sign-in checks never wait for it. Another process sharing the
        # database (a second worker, the CLI) may have projected an account change already, so the view's
        # position decides, not whether this catch-up read anything.
        if read or self.services.dispatch.position() != self._accounts_position:
            self._accounts = None
            self._account_table()
        return read

    def _account_table(self) -> dict[str, Account]:
        if self._accounts is None:
            self._accounts_position = self.services.dispatch.position()
            self._accounts = {
                row["username"]: Account(
                    row["username"],
                    row["full_name"],
                    Role(row["role"]),
                    UUID(row["vehicle_id"]) if row["vehicle_id"] else None,
                    row["active"],
                    row["language"],
                )
                for row in dispatch_queries.users(self.services.views)
            }
        return self._accounts


def context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.kapida
    return ctx


Ctx = Annotated[ApiContext, Depends(context)]

# Who may reach each part of the API; the domain re-checks every command against its own duties.
CASE_READERS = (Role.CASEWORKER, Role.MANAGER, Role.ADMIN)
FLEET_READERS = (Role.DISPATCHER, Role.MANAGER, Role.ADMIN)
PLAN_READERS = (Role.DISPATCHER, Role.MANAGER, Role.ADMIN)
TRIP_READERS = (Role.CASEWORKER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN)
CASELOAD_READERS = (Role.CASEWORKER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN)
REPORT_READERS = (Role.DISPATCHER, Role.MANAGER, Role.ADMIN)

Caseworker = Annotated[SignedIn, Depends(require_roles(*CASE_READERS))]
FleetUser = Annotated[SignedIn, Depends(require_roles(*FLEET_READERS))]
PlanReader = Annotated[SignedIn, Depends(require_roles(*PLAN_READERS))]
Planner = Annotated[SignedIn, Depends(require_roles(Role.DISPATCHER, Role.ADMIN))]
Reporter = Annotated[SignedIn, Depends(require_roles(Role.DRIVER, Role.DISPATCHER, Role.ADMIN))]
StopListReader = Annotated[
    SignedIn, Depends(require_roles(Role.DRIVER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN))
]
TripUser = Annotated[SignedIn, Depends(require_roles(*TRIP_READERS))]
CaseloadReader = Annotated[SignedIn, Depends(require_roles(*CASELOAD_READERS))]
ReportReader = Annotated[SignedIn, Depends(require_roles(*REPORT_READERS))]
Auditor = Annotated[SignedIn, Depends(require_roles(Role.MANAGER))]
Admin = Annotated[SignedIn, Depends(require_roles(Role.ADMIN))]
Eraser = Annotated[SignedIn, Depends(require_roles(Role.MANAGER, Role.ADMIN))]

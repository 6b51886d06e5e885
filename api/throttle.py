"""Sign-in attempts limited per username and per client address: guessing passwords takes forever.

The counts live in the process (one dict per app): with several uvicorn workers each keeps its own, so the
effective limit is the per-worker limit times the workers. That is enough to stop online guessing (argon2
already costs ~0.1 s a try); a shared store (PostgreSQL or Redis) would make it exact.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import HTTPException, status


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed sign-ins within `window_s` seconds."""

    failures: int
    window_s: float

    def __post_init__(self) -> None:
        if self.failures < 1 or self.window_s <= 0:
            raise ValueError("a limit needs at least one failure and a positive window")


PER_USERNAME = Limit(5, 15 * 60)
PER_ADDRESS = Limit(30, 15 * 60)
MAX_TRACKED = 10_000


class TooManyAttempts(HTTPException):
    """429 with `Retry-After`: the seconds until the oldest counted failure leaves the window."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"too many failed sign-ins; try again in {retry_after_s} seconds",
            headers={"Retry-After": str(retry_after_s)},
        )


@dataclass
class LoginThrottle:
    """Sliding windows of failure times, one per username and one per client address."""

    per_username: Limit = PER_USERNAME
    per_address: Limit = PER_ADDRESS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, username: str, address: str) -> None:
        """Raise `TooManyAttempts` before any password is checked, so a blocked guesser costs nothing."""
        now = self.clock()
        with self._lock:
            waits = [
                self._wait(("user", username.lower()), self.per_username, now),
                self._wait(("addr", address), self.per_address, now),
            ]
        longest = max(waits)
        if longest > 0:
            raise TooManyAttempts(max(1, math.ceil(longest)))

    def failed(self, username: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (("user", username.lower()), ("addr", address)):
                self._failures.setdefault(key, deque()).append(now)
            if len(self._failures) > MAX_TRACKED:  # guessing over many names must not grow memory forever
                window = max(self.per_username.window_s, self.per_address.window_s)
                for key in [k for k, times in self._failures.items() if times[-1] <= now - window]:
                    del self._failures[key]

    def succeeded(self, username: str) -> None:
        """The right password clears the name's failures (not the address's: others may guess from it)."""
        with self._lock:
            self._failures.pop(("user", username.lower()), None)

    def _wait(self, key: tuple[str, str], limit: Limit, now: float) -> float:
        times = self._failures.get(key)
        if not times:
            return 0.0
        while times and times[0] <= now - limit.window_s:
            times.popleft()
        if not times:
            del self._failures[key]
            return 0.0
        if len(times) < limit.failures:
            return 0.0
        return times[-limit.failures] + limit.window_s - now

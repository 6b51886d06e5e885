"""PostgreSQL restarting under a running app: requests fail cleanly with 503 and Retry-After, then succeed
again once it is back (the event store's pool and the read models' connection reconnect), nothing lost.

The test stops and starts a private cluster of its own (initdb into a temporary folder, a free port),
never the shared server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from api.bootstrap import bootstrap
from domain.database import Database
from domain.values import Role
from tests.api.test_api_support import Api
from tests.conftest import TEST_CIPHER_KEY
from tests.dispatch_builders import DAY
from tests.reliability.private_postgres import (
    PrivatePostgres,
    postgres_binaries,
    private_postgres,
    unprivileged_user,
)
from tests.reliability.support import delivered, event_names, published, report_url


@pytest.fixture
def cluster() -> Iterator[PrivatePostgres]:
    bin_dir = postgres_binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/N/bin/initdb, pg_ctl) are not installed")
    run_as = unprivileged_user()
    if run_as == "":
        pytest.skip("running as root with no 'postgres' user to run initdb as")
    with private_postgres(bin_dir, run_as) as started:
        yield started


def _until_not_503(send: object, attempts: int = 40) -> httpx.Response:
    """Retry as a phone would while the pool reconnects; each try itself waits up to the pool timeout."""
    for _ in range(attempts):
        answer: httpx.Response = send()  # type: ignore[operator]
        if answer.status_code != 503:
            return answer
    return answer


def test_a_restarted_database_gives_503_then_service_resumes_with_nothing_lost(
    cluster: PrivatePostgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a report goes in. Down: a report and a stop list are 503 with Retry-After, nothing half-done.
    Back: the same report (same keys) goes in once, the list shows both deliveries."""
    monkeypatch.setenv("KAPIDA_CIPHER_KEY", TEST_CIPHER_KEY)  # PostgreSQL is production: encrypted at rest
    services = bootstrap(Database.from_url(f"{cluster.dsn}?schema=kapida"))
    api = Api(services)
    try:
        plan, vans, keys = published(services)
        driver = api.as_role(Role.DRIVER, vans[0])
        stops = lambda: api.client.get("/api/driver/stops", params={"date": DAY.isoformat()}, headers=driver)  # noqa: E731
        assert stops().status_code == 200
        assert (
            api.client.post(report_url(plan, keys[0]), json=delivered("a"), headers=driver).status_code == 200
        )

        cluster.stop()
        keyed = driver | {"Idempotency-Key": "report-b"}
        report = lambda: api.client.post(report_url(plan, keys[1]), json=delivered("b"), headers=keyed)  # noqa: E731
        for call in (report, stops):
            started = time.monotonic()
            down = call()
            assert down.status_code == 503, down.text
            assert int(down.headers["retry-after"]) >= 1 and "yeniden deneyin" in down.json()["detail"]
            # a phone must hear back while it still waits: the pool gives up after 10 tries of 1 s
            assert time.monotonic() - started < 30

        cluster.start()
        back = _until_not_503(report)
        assert back.status_code == 200 and back.json()["recorded"] is True
        listed = _until_not_503(stops)
        assert [s["outcome"] for s in listed.json()] == ["delivered", "delivered"]
        assert event_names(services).count("StopVisit.Reported") == 2
    finally:
        api.ctx.close()
        services.close()

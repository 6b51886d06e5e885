"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis): whatever a signed-in
client sends, the answer is never a 5xx. In-process over ASGI, on a small seeded city.

`make test` runs a few examples per operation (`KAPIDA_FUZZ_EXAMPLES`, default 4) and leaves out the
operations that solve routes or load the road network (seconds each); `make loadtest` sets
`KAPIDA_FUZZ_EXAMPLES=60 KAPIDA_FUZZ_ALL=1` for the long run over every operation.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from api.bootstrap import Services, bootstrap
from domain.database import Database
from domain.values import Role
from tests.api.test_api_support import Api
from tests.reliability.support import published

EXAMPLES = int(os.environ.get("KAPIDA_FUZZ_EXAMPLES", "4"))
EVERY_OPERATION = os.environ.get("KAPIDA_FUZZ_ALL", "") == "1"
# Operations that run the solver or read the road network: slow, so only in the long run.
SLOW = r"^/api/(map/|plans/?$|plans/\{plan_id\}/(replan|move-stop|geojson)|driver/route\.gpx)"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, dict[str, str]]]:
    """A published plan with two vans and a signed-in admin (the role that reaches the most operations)."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    services: Services = bootstrap(Database.from_url(str(folder / "kapida.sqlite")))
    published(services)
    api = Api(services)
    headers = api.as_role(Role.ADMIN)
    yield api, headers
    api.ctx.close()
    services.close()


def _operations(api: Api) -> list[Any]:
    loaded = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    chosen = loaded if EVERY_OPERATION else loaded.exclude(path_regex=SLOW)
    return [result.ok() for result in chosen.get_all_operations()]


def _server_errors(operation: Any, headers: dict[str, str], calls: list[int]) -> list[str]:
    """Fuzz one operation with schema-valid and schema-breaking requests; describe every 5xx."""
    found: list[str] = []
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case: Any) -> None:
        response = case.call(headers=headers)
        calls.append(response.status_code)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except Exception:
            found.append(f"{operation.label}: {response.status_code} for {case.as_curl_command()}")

    call()
    return found


def test_no_request_gets_a_server_error(city: tuple[Api, dict[str, str]]) -> None:
    """Valid and invalid requests to every operation alike are answered without a 5xx."""
    api, headers = city
    operations = _operations(api)
    assert len(operations) > 30
    calls: list[int] = []
    errors = [error for operation in operations for error in _server_errors(operation, headers, calls)]
    assert not errors, "\n".join(errors[:20])
    assert len(calls) >= len(operations) and any(200 <= status < 300 for status in calls)

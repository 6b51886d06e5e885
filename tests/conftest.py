"""Fixtures every test package shares: where the read-only shared data lives."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.bootstrap import Services, bootstrap
from domain.database import Database

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("KAPIDA_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The `../shared/data` folder (Rize/Antakya networks, boundaries, routing benchmarks)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data folder not found at {SHARED_DATA} (set KAPIDA_SHARED_DATA)")
    return SHARED_DATA


POSTGRES_DSN = os.environ.get("KAPIDA_TEST_POSTGRES", "")


def _drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_DSN, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# The PostgreSQL runs are encrypted at rest (production configuration), the SQLite runs plain, so the
# whole suite exercises both paths. A fixed test key: never use it anywhere else.
TEST_CIPHER_KEY = "a2FwaWRhLXRlc3RzLW9ubHkta2V5LTAxMjM0NTY3ODk="


@pytest.fixture(params=["sqlite", "postgres"])
def database(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The same test against the embedded SQLite store and, when configured, PostgreSQL (encrypted)."""
    for variable in ("KAPIDA_CIPHER_KEY", "KAPIDA_ENCRYPTION", "KAPIDA_KEYSTORE"):
        monkeypatch.delenv(variable, raising=False)
    if request.param == "sqlite":
        yield Database.from_url(str(tmp_path / "kapida.sqlite"))
        return
    if not POSTGRES_DSN:
        pytest.skip("KAPIDA_TEST_POSTGRES is not set")
    monkeypatch.setenv("KAPIDA_CIPHER_KEY", TEST_CIPHER_KEY)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in POSTGRES_DSN else "?"
    try:
        yield Database.from_url(f"{POSTGRES_DSN}{separator}schema={schema}")
    finally:
        _drop_schema(schema)


@pytest.fixture
def services(database: Database) -> Iterator[Services]:
    """The application, read-model database and projector, wired as in production."""
    wired = bootstrap(database)
    yield wired
    wired.close()


@pytest.fixture
def plain(database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    """The store with the payload cipher off, so only field sealing stands between data and disk."""
    monkeypatch.delenv("KAPIDA_CIPHER_KEY", raising=False)
    monkeypatch.setenv("KAPIDA_ENCRYPTION", "off")
    services = bootstrap(database)
    yield services
    services.close()

"""Where the event log lives: a SQLite file by default, or PostgreSQL given a DSN (`KAPIDA_DB`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict

from domain.encryption import configured_key, encryption_env
from domain.errors import N_, InvalidValue

DEFAULT_SQLITE_PATH = Path("var") / "kapida.sqlite"


@dataclass(frozen=True)
class Database:
    """One database holds the events, the tracking records and the read models."""

    sqlite_path: Path | None = None
    dsn: str | None = None
    schema: str = "public"

    @property
    def is_postgres(self) -> bool:
        return self.dsn is not None

    @classmethod
    def from_url(cls, url: str) -> Database:
        """A `postgresql://` DSN (optional `?schema=name`) or a SQLite file path."""
        if url.startswith(("postgresql://", "postgres://")):
            parts = urlsplit(url)
            query = dict(parse_qsl(parts.query))
            schema = query.pop("schema", "public")
            if not schema.replace("_", "").isalnum():
                raise InvalidValue(
                    "KAPIDA_DB", N_("schema {schema!r} must be letters, digits or underscores"), schema=schema
                )
            dsn = urlunsplit(parts._replace(query=urlencode(query)))
            return cls(dsn=dsn, schema=schema)
        if not url.strip():
            raise InvalidValue("KAPIDA_DB", N_("is empty: give a SQLite file path or a postgresql:// DSN"))
        return cls(sqlite_path=Path(url))

    @classmethod
    def from_environment(cls) -> Database:
        return cls.from_url(os.environ.get("KAPIDA_DB", str(DEFAULT_SQLITE_PATH)))

    @property
    def url(self) -> str:
        """The `KAPIDA_DB` form of this database (inverse of `from_url`)."""
        if self.dsn is None:
            return str(self.sqlite_path)
        separator = "&" if "?" in self.dsn else "?"
        return f"{self.dsn}{separator}schema={self.schema}"

    def eventsourcing_env(self) -> dict[str, str]:
        """The library's settings for this database, its payload cipher and the household key store."""
        keystore = os.environ.get("KAPIDA_KEYSTORE", "").strip() or self.url
        return {
            **self._store_env(),
            **encryption_env(self.is_postgres),
            "KAPIDA_KEYSTORE_URL": keystore,
            "KAPIDA_MASTER_KEY": configured_key() or "",
        }

    def _store_env(self) -> dict[str, str]:
        """The `eventsourcing` library's persistence settings for this database."""
        if self.dsn is None:
            assert self.sqlite_path is not None
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            return {
                "PERSISTENCE_MODULE": "domain.chained_sqlite",  # the library's store + the hash chain
                "SQLITE_DBNAME": str(self.sqlite_path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        params = conninfo_to_dict(self.dsn)
        return {
            "PERSISTENCE_MODULE": "domain.chained_postgres",
            "POSTGRES_DBNAME": str(params.get("dbname", "postgres")),
            "POSTGRES_HOST": str(params.get("host", "127.0.0.1")),
            "POSTGRES_PORT": str(params.get("port", "5432")),
            "POSTGRES_USER": str(params.get("user", "postgres")),
            "POSTGRES_PASSWORD": str(params.get("password", "")),
            "POSTGRES_SCHEMA": self.schema,
            "POSTGRES_ENABLE_DB_FUNCTIONS": "",  # the chained recorder needs it off
            "POSTGRES_POOL_SIZE": "5",
            "POSTGRES_LOCK_TIMEOUT": "10",
            # Check a pooled connection before use, so after a server restart the pool drops the dead ones;
            # wait at most 1 s for one (the library tries 10 times), so an outage is a 503 within ~12 s.
            "POSTGRES_PRE_PING": "y",
            "POSTGRES_CONNECT_TIMEOUT": "1",
        }

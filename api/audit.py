"""Tamper evidence for people: the chain walk as a report, and signed heads an inspector can check later.

A head file names the chain (its database id), the last link's notification id and hash, and is
signed with Ed25519. The signing key is derived from the installation's secret (`KAPIDA_SECRET` or the
secret file), so no new key has to be kept; the public key travels in the file and is printed by
`kapida audit head`, so an inspector who noted it can check a head without any secret.
"""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from typing import Any

from Crypto.PublicKey import ECC
from Crypto.Signature import eddsa
from psycopg.conninfo import conninfo_to_dict

from domain.database import Database
from domain.errors import N_, InvalidValue
from domain.ledger import EPOCH, Break, ChainReader, Link, Verdict
from domain.ledger_audit import check_head, verify

ALGORITHM = "Ed25519"
KEY_CONTEXT = b"kapida audit head v1\0"  # a key for this purpose only, never the token secret itself
HEAD_FIELDS = ("database_id", "database", "notification_id", "hash", "recorded_at", "exported_at")
LAST_ID = 2**63 - 1


@dataclass(frozen=True)
class ExportedHead:
    """A head file whose signature has been checked."""

    database_id: str
    notification_id: int
    hash: bytes


def signing_key(secret: str) -> ECC.EccKey:
    return ECC.construct(curve=ALGORITHM, seed=sha256(KEY_CONTEXT + secret.encode()).digest())


def public_key(secret: str) -> str:
    """The hex public key an inspector notes down to check heads without the secret."""
    return bytes(signing_key(secret).public_key().export_key(format="raw")).hex()


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps({k: body[k] for k in HEAD_FIELDS}, sort_keys=True, separators=(",", ":")).encode()


def _reader(recorder: object) -> AbstractContextManager[ChainReader]:
    open_reader = getattr(recorder, "chain_reader", None)
    if open_reader is None:
        raise InvalidValue("KAPIDA_DB", N_("this event store keeps no hash chain (not a Kapıda store)"))
    reader: AbstractContextManager[ChainReader] = open_reader()
    return reader


def describe(database: Database) -> str:
    """Where the log lives, without credentials: the SQLite file, or PostgreSQL host, database and schema."""
    if database.sqlite_path is not None:
        return str(database.sqlite_path.resolve())
    params = conninfo_to_dict(database.dsn or "")
    return f"postgresql://{params.get('host', '')}:{params.get('port', 5432)}/{params.get('dbname', '')}" + (
        f"?schema={database.schema}"
    )


def _moment(micros: int) -> str:
    return (EPOCH + timedelta(microseconds=micros)).isoformat()


def export_head(recorder: object, database: Database, secret: str) -> dict[str, Any]:
    """The chain's current head, signed: what an inspector keeps to check the log later."""
    with _reader(recorder) as reader:
        genesis, head = reader.genesis(), reader.link_before(LAST_ID)
    if genesis is None:
        raise InvalidValue(
            "KAPIDA_DB", N_("the hash chain's genesis row is missing: run `kapida audit verify`")
        )
    if head is None:
        raise InvalidValue("head", N_("the event log is empty: there is no head to export yet"))
    body: dict[str, Any] = {
        "database_id": genesis.database_id,
        "database": describe(database),
        "notification_id": head.notification_id,
        "hash": head.hash.hex(),
        "recorded_at": _moment(head.recorded_us),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    key = signing_key(secret)
    signature = eddsa.new(key, "rfc8032").sign(_canonical(body))
    return body | {"algorithm": ALGORITHM, "public_key": public_key(secret), "signature": signature.hex()}


def read_head(text: str, trusted_key: str) -> ExportedHead:
    """Parse a head file and check it was signed by `trusted_key` (hex); refusals name the field `head`."""
    try:
        body = json.loads(text)
        fields = {k: body[k] for k in (*HEAD_FIELDS, "public_key", "signature")}
        digest, signature = bytes.fromhex(fields["hash"]), bytes.fromhex(fields["signature"])
        notification_id = int(fields["notification_id"])
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidValue("head", N_("is not a Kapıda head file ({error})"), error=error) from None
    if fields["public_key"] != trusted_key.lower():
        raise InvalidValue(
            "head",
            N_("was signed by key {fields}, not by the trusted key {trusted_key}"),
            fields=fields["public_key"],
            trusted_key=trusted_key.lower(),
        )
    try:
        verifier = eddsa.new(eddsa.import_public_key(bytes.fromhex(trusted_key)), "rfc8032")
        verifier.verify(_canonical(fields), signature)
    except ValueError:
        raise InvalidValue(
            "head", N_("its signature does not match its contents: altered or forged")
        ) from None
    return ExportedHead(str(fields["database_id"]), notification_id, digest)


def audit_log(recorder: object, from_id: int = 1, head: ExportedHead | None = None) -> dict[str, Any]:
    """Walk the chain (from `from_id`), then check an exported head; a plain dict for JSON and tables."""
    if from_id < 1:
        raise InvalidValue("from_id", N_("{from_id} must be 1 or more"), from_id=from_id)
    began = time.perf_counter()
    with _reader(recorder) as reader:
        verdict = verify(reader, from_id)
        found = verdict.broken
        if found is None and head is not None:
            found = check_head(reader, verdict, head.database_id, head.notification_id, head.hash)
    return _report(verdict, found, from_id, head, time.perf_counter() - began)


def _link(link: Link | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "notification_id": link.notification_id,
        "hash": link.hash.hex(),
        "recorded_at": _moment(link.recorded_us),
    }


def _report(
    verdict: Verdict, found: Break | None, from_id: int, head: ExportedHead | None, seconds: float
) -> dict[str, Any]:
    genesis = verdict.genesis
    return {
        "intact": found is None,
        "checked": verdict.checked,
        "from_id": from_id,
        "first_id": verdict.first_id,
        "head": _link(verdict.head),
        "chain": None
        if genesis is None
        else {
            "database_id": genesis.database_id,
            "started_at": genesis.created_at.isoformat(),
            "events_before": genesis.events_before,
        },
        "exported_head": None
        if head is None
        else {
            "notification_id": head.notification_id,
            "hash": head.hash.hex(),
            "found": (found is None)
            if verdict.intact
            else None,  # None: the walk broke before the head check
        },
        "break": None
        if found is None
        else {"notification_id": found.notification_id, "kind": found.kind.value, "detail": found.detail},
        "seconds": round(seconds, 3),
    }

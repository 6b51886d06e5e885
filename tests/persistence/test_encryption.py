"""Encryption at rest and field sealing, checked on the bytes the database really holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.utils import Environment

from api.bootstrap import Services, bootstrap
from domain.database import Database
from domain.encryption import AESGCMCipher, new_key
from domain.errors import InvalidValue
from domain.keystore import KeyStore
from domain.values import Actor, LegalBasis, Member, Need, PersonalDetails, Role
from tests.builders import CASEWORKER, RIZE
from tests.persistence.stored import everything_stored, raw_payloads

MANAGER = Actor("elif.aydin", Role.MANAGER)
SECRETS = (b"Zeynep Karadeniz", b"0544 987 65 43", b"10000000146", "Gül Sk".encode(), b"diabetic")
SECRET = PersonalDetails("Zeynep Karadeniz", "0544 987 65 43", "Gül Sk. No:7", "10000000146")
PG = "postgresql://kapida@db.example:5432/kapida"


def register(services: Services) -> UUID:
    return services.app.register_household(
        SECRET,
        RIZE,
        "Rize Merkez",
        "Tophane Mah.",
        (Member("Zeynep", date(1950, 5, 5)),),
        (Need.DIABETIC,),
        CASEWORKER,
    )


def test_stored_events_hold_no_plaintext_personal_data_with_the_cipher_off(plain: Services) -> None:
    """Without payload encryption the events are readable JSON, yet no name, phone, T.C. number,
    address or health need appears in them: those fields are sealed with the household's key."""
    assert plain.app.mapper.cipher is None
    register(plain)
    (payload,) = raw_payloads(plain.app)
    assert b'"district":"Rize Merkez"' in payload
    for secret in SECRETS:
        assert secret not in payload


def test_after_erasure_no_byte_of_the_database_holds_the_personal_data(
    plain: Services, database: Database
) -> None:
    """Before erasure the read model holds the contact (the file shows it); after erasure, catch-up and
    scrub, neither events, read models, the key table nor the SQLite WAL hold it in plaintext."""
    ident = register(plain)
    plain.catch_up()
    assert b"Zeynep Karadeniz" in everything_stored(database)
    plain.app.erase_household(ident, LegalBasis.DATA_SUBJECT_REQUEST, "istek", MANAGER)
    plain.catch_up()
    plain.views.scrub()
    stored = everything_stored(database)
    for secret in SECRETS:
        assert secret not in stored


def test_payloads_are_encrypted_at_rest_when_a_key_is_configured(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `KAPIDA_CIPHER_KEY` even plain fields (the district) are unreadable in the stored bytes,
    and everything reads back; household keys are wrapped with the same master key."""
    monkeypatch.setenv("KAPIDA_CIPHER_KEY", new_key())
    services = bootstrap(database)
    try:
        ident = register(services)
        (payload,) = raw_payloads(services.app)
        assert b"Rize Merkez" not in payload and not payload.startswith(b"{")
        assert services.app.household(ident).personal == SECRET
        services.catch_up()
        assert services.views.query("SELECT district FROM cl_households") == [("Rize Merkez",)]
        (stored_key,) = services.app.keys._run("SELECT key FROM kapida_household_keys")[0]
        assert len(bytes(stored_key)) == 12 + 16 + 32  # nonce, tag and the wrapped key
    finally:
        services.close()


def test_postgres_refuses_to_run_unencrypted_unless_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PostgreSQL store without a key is refused naming KAPIDA_CIPHER_KEY; `KAPIDA_ENCRYPTION=off`
    runs it plain; with a key the library's AES cipher is configured. SQLite encrypts only with a key."""
    for variable in ("KAPIDA_CIPHER_KEY", "KAPIDA_ENCRYPTION", "KAPIDA_KEYSTORE"):
        monkeypatch.delenv(variable, raising=False)
    postgres, sqlite = Database.from_url(PG), Database.from_url("/tmp/never-created/kapida.sqlite")
    with pytest.raises(InvalidValue, match="KAPIDA_CIPHER_KEY"):
        postgres.eventsourcing_env()
    assert sqlite.eventsourcing_env()["CIPHER_TOPIC"] == ""
    monkeypatch.setenv("KAPIDA_ENCRYPTION", "off")
    assert postgres.eventsourcing_env()["KAPIDA_CIPHER_KEY"] == ""
    monkeypatch.setenv("KAPIDA_ENCRYPTION", "on")
    key = new_key()
    monkeypatch.setenv("KAPIDA_CIPHER_KEY", key)
    env = postgres.eventsourcing_env()
    assert (env["CIPHER_TOPIC"], env["CIPHER_KEY"]) == ("domain.encryption:AESGCMCipher", key)


def test_the_payload_cipher_writes_and_reads_the_library_ciphers_format() -> None:
    """Our AES-GCM cipher and the library's `AESCipher` read each other's bytes, so a store can switch
    between them; a changed byte is refused by both."""
    env = Environment(env={"CIPHER_KEY": new_key()})
    ours, library = AESGCMCipher(env), AESCipher(env)
    payload = b'{"district":"Rize Merkez"}'
    assert library.decrypt(ours.encrypt(payload)) == payload
    assert ours.decrypt(library.encrypt(payload)) == payload
    damaged = bytearray(ours.encrypt(payload))
    damaged[-1] ^= 1
    for cipher in (ours, library):
        with pytest.raises(ValueError):
            cipher.decrypt(bytes(damaged))


@pytest.mark.parametrize("bad", ["not base64!", "c2hvcnQ="])
def test_a_key_that_is_not_an_aes_key_is_refused(bad: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not base64, or the wrong length: the error names KAPIDA_CIPHER_KEY."""
    monkeypatch.setenv("KAPIDA_CIPHER_KEY", bad)
    with pytest.raises(InvalidValue, match="KAPIDA_CIPHER_KEY"):
        Database.from_url(PG).eventsourcing_env()


def test_a_wrapped_key_cannot_be_unwrapped_with_another_master_key(tmp_path: Path) -> None:
    """The key table alone (a backup, a copied file) does not give the household keys away."""
    store = Database.from_url(str(tmp_path / "keys.sqlite"))
    writer = KeyStore(store, new_key())
    household = uuid4()
    assert writer.box(household, create=True) is not None
    writer.close()
    thief = KeyStore(store, new_key())
    with pytest.raises(ValueError):
        thief.box(household)
    thief.close()


def test_the_key_store_can_live_in_a_database_apart_from_the_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `KAPIDA_KEYSTORE` the keys go to that file: the events' database holds no key table."""
    for variable in ("KAPIDA_CIPHER_KEY", "KAPIDA_ENCRYPTION"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("KAPIDA_KEYSTORE", str(tmp_path / "keys.sqlite"))
    services = bootstrap(Database.from_url(str(tmp_path / "events.sqlite")))
    try:
        ident = register(services)
        assert services.app.household(ident).personal == SECRET
        assert services.views.query("SELECT name FROM sqlite_master WHERE name='kapida_household_keys'") == []
    finally:
        services.close()
    separate = KeyStore(Database.from_url(str(tmp_path / "keys.sqlite")))
    assert separate.box(ident) is not None
    separate.close()

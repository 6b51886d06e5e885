"""Encryption at rest of whole event payloads: which key, and when running without one is refused."""

from __future__ import annotations

import binascii
import os
from base64 import b64decode
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import Cipher
from eventsourcing.utils import Environment

from domain.errors import N_, InvalidValue

CIPHER_TOPIC = "domain.encryption:AESGCMCipher"
LIBRARY_CIPHER_TOPIC = "eventsourcing.cipher:AESCipher"  # same bytes on disk, 50-100 times slower here
KEY_VARIABLE = "KAPIDA_CIPHER_KEY"
SWITCH_VARIABLE = "KAPIDA_ENCRYPTION"


class AESGCMCipher(Cipher):
    """The library's `AESCipher` format (12-byte nonce, 16-byte tag, ciphertext; AES-GCM under
    `CIPHER_KEY`) with OpenSSL's AES-GCM from `cryptography`: one reusable key object instead of a new
    pycryptodome GCM object per event, which costs more than everything else a rebuild does per event."""

    def __init__(self, environment: Environment) -> None:
        key = environment.get("CIPHER_KEY")
        if not key:
            raise OSError("'CIPHER_KEY' not in env")
        self._aead = AESGCM(b64decode(key))

    def encrypt(self, plaintext: bytes) -> bytes:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext, None)
        return nonce + sealed[-16:] + sealed[:-16]

    def decrypt(self, ciphertext: bytes) -> bytes:
        if len(ciphertext) < 28:
            raise ValueError("Damaged cipher text: too short")
        try:
            return self._aead.decrypt(ciphertext[:12], ciphertext[28:] + ciphertext[12:28], None)
        except InvalidTag:
            raise ValueError("Cipher text is damaged: MAC check failed") from None


def new_key() -> str:
    """A fresh 256-bit AES key, base64, for `KAPIDA_CIPHER_KEY`."""
    return AESCipher.create_key(32)


def configured_key(environ: Mapping[str, str] | None = None) -> str | None:
    """The configured master key, checked (base64 of 16, 24 or 32 bytes), or None when unset."""
    environ = os.environ if environ is None else environ
    key = environ.get(KEY_VARIABLE, "").strip()
    if not key:
        return None
    try:
        size = len(b64decode(key, validate=True))
    except (binascii.Error, ValueError):
        raise InvalidValue(KEY_VARIABLE, N_("is not base64 (make one with `kapida keys new`)")) from None
    if size not in (16, 24, 32):
        raise InvalidValue(
            KEY_VARIABLE, N_("decodes to {size} bytes; an AES key has 16, 24 or 32"), size=size
        )
    return key


def encryption_switched_off(environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    switch = environ.get(SWITCH_VARIABLE, "").strip().lower()
    if switch not in ("", "on", "off"):
        raise InvalidValue(SWITCH_VARIABLE, N_("{switch!r} is neither 'on' nor 'off'"), switch=switch)
    return switch == "off"


def encryption_env(is_postgres: bool, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The library's cipher settings: AES-GCM over each whole payload when a key is configured.

    Production (PostgreSQL) refuses to run without a key unless `KAPIDA_ENCRYPTION=off` says so
    explicitly; the SQLite demo store encrypts only when given a key. The values are always set,
    so a `KAPIDA_CIPHER_KEY` left in the process environment cannot switch the cipher on behind
    `KAPIDA_ENCRYPTION=off` (the library reads `<APP NAME>_CIPHER_KEY` too).
    """
    key = configured_key(environ)
    if encryption_switched_off(environ) or (key is None and not is_postgres):
        return {"CIPHER_TOPIC": "", "KAPIDA_CIPHER_TOPIC": "", "CIPHER_KEY": "", "KAPIDA_CIPHER_KEY": ""}
    if key is None:
        raise InvalidValue(
            KEY_VARIABLE,
            N_(
                "is not set: a PostgreSQL store keeps events encrypted at rest. Give a key (`kapida keys "
                "new` prints one) or set KAPIDA_ENCRYPTION=off explicitly"
            ),
        )
    return {
        "CIPHER_TOPIC": CIPHER_TOPIC,
        "KAPIDA_CIPHER_TOPIC": CIPHER_TOPIC,
        "CIPHER_KEY": key,
        "KAPIDA_CIPHER_KEY": key,
    }

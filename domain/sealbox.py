"""The authenticated encryption of sealed fields: AES-256-GCM, the household id as associated data.

`cryptography`'s AESGCM object is made once per household key and reused with a fresh random nonce per
box (about 2-3 µs per seal or open here); pycryptodome, which the library's payload cipher uses, builds
a new GCM object for every nonce, measured at 50-200 times that, and a rebuild opens every registration.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class SealBox:
    """Seals and opens small payloads under one household's key; a box opens only for its household."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a household key has 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, owner: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, owner)

    def open(self, box: bytes, owner: bytes) -> bytes:
        try:
            return self._aead.decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], owner)
        except InvalidTag:
            raise ValueError("sealed box is damaged or belongs to another household") from None

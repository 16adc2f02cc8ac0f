"""Password hashing (Argon2 for new hashes, bcrypt verified and upgraded) and JWT helpers."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

from opsuite.core.clock import SYSTEM_CLOCK, Clock

JWT_ALGORITHM = "HS256"

_password_hash = PasswordHash((Argon2Hasher(), BcryptHasher()))


def hash_password(password: str) -> str:
    """Hash a password with Argon2."""
    return _password_hash.hash(password)


def verify_password(password: str, stored_hash: str) -> tuple[bool, str | None]:
    """Check a password; the second item is a new hash when the stored one should be upgraded."""
    try:
        return _password_hash.verify_and_update(password, stored_hash)
    except Exception:  # an unknown or corrupt hash format verifies nothing
        return False, None


def fingerprint(value: str) -> str:
    """Lowercase hex SHA-256 of a string (used for password-hash fingerprints in tokens)."""
    return hashlib.sha256(value.encode()).hexdigest()


def encode_token(
    claims: dict[str, Any], key: str, lifetime: timedelta, *, audience: str, now: datetime | None = None
) -> str:
    """Sign `claims` with `aud` (the issuing system), `iat` and `exp` added; `sub` must be a string."""
    issued = now or datetime.now(UTC)
    payload = {
        **claims,
        "aud": audience,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
    }
    return jwt.encode(payload, key, algorithm=JWT_ALGORITHM)


def decode_token(token: str, key: str, *, audience: str) -> dict[str, Any]:
    """Verify signature, expiry and that `aud` names `audience`; raises jwt.InvalidTokenError subclasses.

    The audience keeps one system's token out of another even when both are configured with one secret.
    """
    payload: dict[str, Any] = jwt.decode(
        token, key, algorithms=[JWT_ALGORITHM], audience=audience, options={"require": ["exp", "iat", "aud"]}
    )
    return payload


class TokenCache:
    """Claims of tokens already verified, so that a token's signature is checked once, not per request.

    Expiry is still checked on every use. Bounded: when full, it starts over.
    """

    def __init__(self, key: str, *, audience: str, size: int = 4096, clock: Clock = SYSTEM_CLOCK) -> None:
        self.key = key
        self.audience = audience
        self.size = size
        self._clock = clock
        self._claims: dict[str, dict[str, Any]] = {}

    def decode(self, token: str) -> dict[str, Any]:
        """The token's claims; raises like decode_token."""
        claims = self._claims.get(token)
        if claims is None:
            claims = decode_token(token, self.key, audience=self.audience)
            if len(self._claims) >= self.size:
                self._claims.clear()
            self._claims[token] = claims
        elif claims["exp"] <= self._clock.now().timestamp():
            del self._claims[token]
            raise jwt.ExpiredSignatureError("Signature has expired")
        return claims

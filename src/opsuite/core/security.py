"""Password hashing (Argon2 for new hashes, bcrypt verified and upgraded) and JWT helpers."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from pwdlib.hashers.bcrypt import BcryptHasher

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


def encode_token(claims: dict[str, Any], key: str, lifetime: timedelta, now: datetime | None = None) -> str:
    """Sign `claims` with `iat` and `exp` added; `sub` must already be a string."""
    issued = now or datetime.now(UTC)
    payload = {**claims, "iat": int(issued.timestamp()), "exp": int((issued + lifetime).timestamp())}
    return jwt.encode(payload, key, algorithm=JWT_ALGORITHM)


def decode_token(token: str, key: str) -> dict[str, Any]:
    """Verify signature and expiry; raises jwt.ExpiredSignatureError or jwt.InvalidTokenError."""
    payload: dict[str, Any] = jwt.decode(
        token, key, algorithms=[JWT_ALGORITHM], options={"require": ["exp", "iat"]}
    )
    return payload


class TokenCache:
    """Claims of tokens already verified, so that a token's signature is checked once, not per request.

    Expiry is still checked on every use. Bounded: when full, it starts over.
    """

    def __init__(self, key: str, size: int = 4096, clock: Any = time.time) -> None:
        self.key = key
        self.size = size
        self._clock = clock
        self._claims: dict[str, dict[str, Any]] = {}

    def decode(self, token: str) -> dict[str, Any]:
        """The token's claims; raises like decode_token."""
        claims = self._claims.get(token)
        if claims is None:
            claims = decode_token(token, self.key)
            if len(self._claims) >= self.size:
                self._claims.clear()
            self._claims[token] = claims
        elif claims["exp"] <= self._clock():
            del self._claims[token]
            raise jwt.ExpiredSignatureError("Signature has expired")
        return claims


class AttemptLimiter:
    """Counts failures per key in a sliding window; blocks a key after `limit` failures."""

    def __init__(self, limit: int, window_seconds: float, clock: Any = time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again, or 0 when it is not blocked."""
        with self._lock:
            now = self._clock()
            failures = self._prune(key, now)
            if len(failures) < self.limit:
                return 0
            return max(1, int(failures[0] + self.window - now + 0.999))

    def failed(self, key: str) -> None:
        """Record one failure for `key`."""
        with self._lock:
            now = self._clock()
            self._prune(key, now).append(now)

    def succeeded(self, key: str) -> None:
        """Forget the failures of `key`."""
        with self._lock:
            self._failures.pop(key, None)

    def _prune(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

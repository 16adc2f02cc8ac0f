"""Password hashing with upgrade, JWT with required claims, the attempt limiter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import bcrypt
import jwt
import pytest

from opsuite.core.security import (
    AttemptLimiter,
    TokenCache,
    decode_token,
    encode_token,
    fingerprint,
    hash_password,
    verify_password,
)

KEY = "k" * 40


def test_argon2_hash_verifies_and_needs_no_upgrade() -> None:
    stored = hash_password("secret")
    assert stored.startswith("$argon2id$")
    assert verify_password("secret", stored) == (True, None)
    assert verify_password("wrong", stored) == (False, None)


def test_bcrypt_hash_verifies_and_is_upgraded_to_argon2() -> None:
    stored = bcrypt.hashpw(b"secret", bcrypt.gensalt(rounds=4)).decode()
    valid, upgraded = verify_password("secret", stored)
    assert valid is True
    assert upgraded is not None
    assert upgraded.startswith("$argon2id$")
    assert verify_password("secret", upgraded) == (True, None)


def test_unknown_hash_format_verifies_nothing() -> None:
    assert verify_password("secret", "pbkdf2_sha256$1$salt$hash") == (False, None)


def test_fingerprint_is_sha256_hex() -> None:
    assert fingerprint("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_token_round_trip_adds_iat_and_exp() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    token = encode_token({"sub": "5"}, KEY, timedelta(minutes=60), now=now)
    claims = decode_token(token, KEY)
    assert claims == {"sub": "5", "iat": int(now.timestamp()), "exp": int(now.timestamp()) + 3600}


def test_expired_wrong_key_and_missing_exp_are_refused() -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    with pytest.raises(jwt.ExpiredSignatureError):
        decode_token(encode_token({"sub": "1"}, KEY, timedelta(minutes=1), now=past), KEY)
    with pytest.raises(jwt.InvalidSignatureError):
        decode_token(encode_token({"sub": "1"}, KEY, timedelta(minutes=1)), "other" * 10)
    no_exp = jwt.encode({"sub": "1", "iat": 1}, KEY, algorithm="HS256")
    with pytest.raises(jwt.MissingRequiredClaimError):
        decode_token(no_exp, KEY)
    none_alg = jwt.encode({"sub": "1", "iat": 1, "exp": 2**40}, None, algorithm="none")
    with pytest.raises(jwt.InvalidAlgorithmError):
        decode_token(none_alg, KEY)


def test_attempt_limiter_blocks_after_the_limit_until_the_window_passes() -> None:
    now = [1000.0]
    limiter = AttemptLimiter(limit=3, window_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("a") == 0
        limiter.failed("a")
        now[0] += 1
    assert (
        limiter.retry_after("a") == 57
    )  # now t=1003; the first failure (t=1000) leaves the window at t=1060
    assert limiter.retry_after("b") == 0
    now[0] = 1060.0
    assert limiter.retry_after("a") == 0
    limiter.failed("a")
    limiter.succeeded("a")
    assert limiter.retry_after("a") == 0


def test_token_cache_verifies_once_and_still_expires() -> None:
    now = [datetime.now(UTC).timestamp()]
    cache = TokenCache(KEY, size=2, clock=lambda: now[0])
    token = encode_token({"sub": "1"}, KEY, timedelta(seconds=30))
    assert cache.decode(token)["sub"] == "1"
    assert cache.decode(token) is cache.decode(token)  # served from the cache
    now[0] += 31
    with pytest.raises(jwt.ExpiredSignatureError):
        cache.decode(token)
    with pytest.raises(jwt.InvalidSignatureError):
        cache.decode(encode_token({"sub": "1"}, "x" * 40, timedelta(seconds=30)))

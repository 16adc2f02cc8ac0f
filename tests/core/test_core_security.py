"""Password hashing with upgrade, JWT with required claims and audience."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import bcrypt
import jwt
import pytest
from tests.clock import FakeClock

from opsuite.core.security import (
    TokenCache,
    decode_token,
    encode_token,
    fingerprint,
    hash_password,
    verify_password,
)

KEY = "k" * 40
AUD = "test"


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
    token = encode_token({"sub": "5"}, KEY, timedelta(minutes=60), audience=AUD, now=now)
    claims = decode_token(token, KEY, audience=AUD)
    assert claims == {"sub": "5", "aud": AUD, "iat": int(now.timestamp()), "exp": int(now.timestamp()) + 3600}


def test_expired_wrong_key_and_missing_exp_are_refused() -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    with pytest.raises(jwt.ExpiredSignatureError):
        decode_token(
            encode_token({"sub": "1"}, KEY, timedelta(minutes=1), audience=AUD, now=past), KEY, audience=AUD
        )
    with pytest.raises(jwt.InvalidSignatureError):
        decode_token(
            encode_token({"sub": "1"}, KEY, timedelta(minutes=1), audience=AUD), "other" * 10, audience=AUD
        )
    no_exp = jwt.encode({"sub": "1", "iat": 1}, KEY, algorithm="HS256")
    with pytest.raises(jwt.MissingRequiredClaimError):
        decode_token(no_exp, KEY, audience=AUD)
    none_alg = jwt.encode({"sub": "1", "iat": 1, "exp": 2**40}, None, algorithm="none")
    with pytest.raises(jwt.InvalidAlgorithmError):
        decode_token(none_alg, KEY, audience=AUD)


def test_token_cache_verifies_once_and_still_expires() -> None:
    clock = FakeClock(datetime.now(UTC))
    cache = TokenCache(KEY, audience=AUD, size=2, clock=clock)
    token = encode_token({"sub": "1"}, KEY, timedelta(seconds=30), audience=AUD)
    assert cache.decode(token)["sub"] == "1"
    assert cache.decode(token) is cache.decode(token)  # served from the cache
    clock.advance(seconds=31)
    with pytest.raises(jwt.ExpiredSignatureError):
        cache.decode(token)
    with pytest.raises(jwt.InvalidSignatureError):
        cache.decode(encode_token({"sub": "1"}, "x" * 40, timedelta(seconds=30), audience=AUD))


def test_a_token_is_refused_by_another_audience_and_without_one() -> None:
    token = encode_token({"sub": "1"}, KEY, timedelta(minutes=1), audience="waybills")
    assert decode_token(token, KEY, audience="waybills")["aud"] == "waybills"
    with pytest.raises(jwt.InvalidAudienceError):
        decode_token(token, KEY, audience="scales")
    with pytest.raises(jwt.InvalidAudienceError):
        TokenCache(KEY, audience="scales").decode(token)
    no_aud = jwt.encode({"sub": "1", "iat": 1, "exp": 2**40}, KEY, algorithm="HS256")
    with pytest.raises(jwt.MissingRequiredClaimError):
        decode_token(no_aud, KEY, audience="scales")

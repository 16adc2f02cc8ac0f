"""Create, list and revoke API keys; only a key's SHA-256 is stored, the key is shown once."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from opsuite.production.apikeys.models import ApiKey
from opsuite.production.errors import InvalidValue, NotFound

KEY_PREFIX = "opk_"
# 32 random bytes: a key cannot be guessed, so one fast hash (no salt, no stretching) protects it at rest.
_KEY_BYTES = 32
_SHOWN = 12


@dataclass(frozen=True)
class CreatedKey:
    """A new key's row and the key itself, which exists nowhere else once this is printed."""

    row: ApiKey
    key: str


def hash_key(key: str) -> str:
    """The stored form of a key: its SHA-256 in hex."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_key(session: Session, *, name: str, now: datetime) -> CreatedKey:
    """Create an active key named `name`."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidValue("Имя ключа: от 1 до 100 символов")
    key = KEY_PREFIX + secrets.token_urlsafe(_KEY_BYTES)
    row = ApiKey(name=name, prefix=key[:_SHOWN], key_hash=hash_key(key), created_at=now)
    session.add(row)
    session.flush()
    return CreatedKey(row=row, key=key)


def list_keys(session: Session) -> list[ApiKey]:
    """Every key, active and revoked, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at, ApiKey.uuid)))


def revoke_key(session: Session, *, ref: str, now: datetime) -> ApiKey:
    """Revoke the key whose id, shown prefix or name is `ref` (exactly one must match)."""
    conditions = [ApiKey.prefix == ref, ApiKey.name == ref]
    with contextlib.suppress(ValueError):  # not an id: the prefix or the name may still match
        conditions.append(ApiKey.uuid == uuid.UUID(ref))
    matches = list(session.scalars(select(ApiKey).where(or_(*conditions))))
    if not matches:
        raise NotFound(f"Ключ {ref!r} не найден")
    if len(matches) > 1:
        raise InvalidValue(f"{ref!r} подходит к {len(matches)} ключам: укажите id")
    row = matches[0]
    if row.revoked_at is None:
        row.revoked_at = now
        row.updated_at = now
        session.flush()
    return row


def active_hashes(session: Session) -> frozenset[str]:
    """The hashes of every key not revoked."""
    return frozenset(session.scalars(select(ApiKey.key_hash).where(ApiKey.revoked_at.is_(None))))

"""Station secret keys: one per station (a new one replaces it), stored with MultiFernet, shown as a hint."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller, Permission
from opsuite.powerbank.audit import service as audit
from opsuite.powerbank.crypto import KeyCipher, KeyUnavailable, key_hint
from opsuite.powerbank.errors import BadRequest, NotFound
from opsuite.powerbank.stations.models import StationSecretKey
from opsuite.powerbank.stations.service import get_station

KEY_NOT_FOUND = "Ключ станции не найден"
NO_ENCRYPTION = "Шифрование ключей станций не настроено на сервере"
KEY_SAVED = "Ключ станции сохранен"
KEY_DELETED = "Ключ станции удален"


def save_key(
    session: Session, *, caller: Caller, station_id: int, key_value: str, cipher: KeyCipher, now: datetime
) -> StationSecretKey:
    """Store (or replace) the station's key encrypted; 404 unknown station."""
    access.require(caller, Permission.SERVICE)
    get_station(session, station_id)
    try:
        stored = cipher.encrypt(key_value)
    except KeyUnavailable:
        raise BadRequest(NO_ENCRYPTION) from None
    row = session.scalar(select(StationSecretKey).where(StationSecretKey.station_id == station_id))
    if row is None:
        row = StationSecretKey(station_id=station_id)
        session.add(row)
    row.key_encrypted = stored
    row.key_hint = key_hint(key_value)
    row.created_at = now
    session.flush()
    audit.record(
        session, actor_id=caller.user_id, action="set_key", entity="station", entity_id=station_id, at=now
    )
    return row


def list_keys(session: Session, *, caller: Caller, station_id: int | None) -> list[StationSecretKey]:
    """The keys (hints only on the wire), of one station when given."""
    access.require(caller, Permission.SERVICE)
    query = select(StationSecretKey).order_by(StationSecretKey.id)
    if station_id is not None:
        query = query.where(StationSecretKey.station_id == station_id)
    return list(session.scalars(query))


def delete_key(session: Session, *, caller: Caller, key_id: int, now: datetime) -> None:
    """Remove a key by id; the cabinet can no longer log in."""
    access.require(caller, Permission.SERVICE)
    row = session.get(StationSecretKey, key_id)
    if row is None:
        raise NotFound(KEY_NOT_FOUND)
    _delete(session, caller, row, now)


def delete_station_key(session: Session, *, caller: Caller, station_id: int, now: datetime) -> None:
    """Remove the key of a station; 404 when it has none."""
    access.require(caller, Permission.SERVICE)
    row = session.scalar(select(StationSecretKey).where(StationSecretKey.station_id == station_id))
    if row is None:
        raise NotFound(KEY_NOT_FOUND)
    _delete(session, caller, row, now)


def _delete(session: Session, caller: Caller, row: StationSecretKey, now: datetime) -> None:
    station_id = row.station_id
    session.delete(row)
    audit.record(
        session, actor_id=caller.user_id, action="delete_key", entity="station", entity_id=station_id, at=now
    )
    session.flush()

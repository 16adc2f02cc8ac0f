"""Which cabinets may log in, and the key each must sign its frames with (notes §4.6, `0x60`)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.powerbank.crypto import KeyCipher, KeyUnavailable
from opsuite.powerbank.devices.interface import StationId
from opsuite.powerbank.stations.models import Station, StationSecretKey
from opsuite.powerbank.vocab import StationStatus

log = logging.getLogger(__name__)

UNPLACED_SLOTS = 8
"""Slots a station created from an unknown box starts with, until an admin places it."""
BOX_ID_LENGTH = 64


class DatabaseStationKeys:
    """Implements StationKeys: the station's decrypted key, or None for an unknown, pending or keyless box.

    An unknown box becomes a `pending` station without a unit, for an admin to place (and give a key).
    """

    def __init__(self, database: Database, cipher: KeyCipher, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.database = database
        self.cipher = cipher
        self.clock = clock

    async def __call__(self, station_id: StationId) -> bytes | None:
        """The key `station_id` must sign with, or None to refuse it."""
        return await asyncio.to_thread(self.lookup, station_id)

    def lookup(self, box_id: StationId) -> bytes | None:
        """`__call__` for sync code."""
        try:
            with self.database.session() as session:
                station = session.scalar(select(Station).where(Station.box_id == box_id))
                if station is None:
                    if 0 < len(box_id) <= BOX_ID_LENGTH and box_id.isprintable():
                        session.add(
                            Station(
                                box_id=box_id,
                                slots_declared=UNPLACED_SLOTS,
                                status=StationStatus.PENDING.value,
                                created_at=self.clock.now(),
                            )
                        )
                    log.warning("unknown cabinet %r refused; it waits as a pending station", box_id)
                    return None
                if station.status == StationStatus.PENDING.value:
                    log.info("cabinet %r refused: its station is pending", box_id)
                    return None
                stored = session.scalar(
                    select(StationSecretKey.key_encrypted).where(StationSecretKey.station_id == station.id)
                )
        except IntegrityError:  # the same unknown box dialled twice at once: the other call created it
            return None
        if stored is None:
            log.info("cabinet %r refused: its station has no secret key", box_id)
            return None
        try:
            return self.cipher.decrypt(stored).encode("ascii")
        except (KeyUnavailable, UnicodeEncodeError) as error:
            log.error("cabinet %r refused: its key cannot be read: %s", box_id, error)
            return None

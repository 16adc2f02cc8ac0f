"""The borrow flow across the cabinet wait: reserve (one transaction), eject, settle (another).

No database connection is held while the cabinet answers (up to the eject deadline).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import anyio.to_thread
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.auth import service as auth_service
from opsuite.powerbank.borrow import messages as m
from opsuite.powerbank.borrow.optimal import choose
from opsuite.powerbank.borrow.service import (
    EjectOutcome,
    Reservation,
    ready_station,
    reserve,
    settle,
    slot_of_bank,
)
from opsuite.powerbank.devices.interface import CabinetError, CabinetOffline, CabinetTimeout
from opsuite.powerbank.errors import BadRequest
from opsuite.powerbank.runtime import Runtime

T = TypeVar("T")


async def in_session(runtime: Runtime, work: Callable[[Session], T]) -> T:
    """`work` in one transaction on a worker thread."""

    def run() -> T:
        with runtime.database.session() as session:
            return work(session)

    return await anyio.to_thread.run_sync(run)


async def caller_of_token(runtime: Runtime, token: str | None, signing_key: str) -> Caller:
    """The caller a bearer token names (401 otherwise), read in a short transaction of its own."""
    return await in_session(
        runtime, lambda session: auth_service.authenticate(session, token, signing_key)[1]
    )


async def borrow(
    runtime: Runtime,
    caller: Caller,
    *,
    user_id: int | None,
    station_id: int | None,
    slot: int | None,
    powerbank_id: int | None = None,
    optimal: bool = False,
) -> Reservation:
    """Issue a bank by slot, by bank id (its current slot) or the station's optimal one (then `slot` is
    None); 400 with the cabinet's failure otherwise."""
    deadline = runtime.settings.eject_timeout_s

    def reserve_in(session: Session) -> Reservation:
        acting = access.acting_for(session, caller, user_id)
        where_station, where_slot = station_id, slot
        selection: dict[str, object] | None = None
        if powerbank_id is not None:
            placed = slot_of_bank(session, powerbank_id)
            if station_id is not None and station_id != placed.station_id:
                raise BadRequest(m.NOT_IN_STATION)
            where_station, where_slot = placed.station_id, placed.slot_number
        elif optimal and station_id is not None:
            ready_station(session, caller, station_id)
            choice = choose(session, station_id)
            where_slot = choice.best.slot.slot_number
            selection = choice.info()
        if where_station is None or where_slot is None:
            raise BadRequest(m.NOT_IN_STATION)
        reserved = reserve(
            session,
            caller=caller,
            user_id=acting.user_id,
            station_id=where_station,
            slot=where_slot,
            now=runtime.clock.now(),
            deadline=deadline,
        )
        return replace(reserved, selection=selection)

    reservation = await in_session(runtime, reserve_in)
    outcome = await _eject(runtime, reservation)
    await in_session(runtime, lambda session: settle(session, reservation, outcome, now=runtime.clock.now()))
    if outcome.issued:
        return reservation
    if outcome.result_code is None:
        raise BadRequest(m.EJECT_UNANSWERED)
    raise BadRequest(m.EJECT_FAILED.format(code=outcome.result_code))


async def _eject(runtime: Runtime, reservation: Reservation) -> EjectOutcome:
    try:
        result = await runtime.cabinets.eject(reservation.box_id, reservation.slot)
    except CabinetTimeout:
        return EjectOutcome(False, None, "timeout")
    except CabinetOffline:
        return EjectOutcome(False, None, "offline")
    except CabinetError:
        return EjectOutcome(False, None, "refused")
    if result.result == 1:
        return EjectOutcome(True, 1)
    return EjectOutcome(False, result.result, f"result_{result.result}")

"""`wait-confirmation`: answer as soon as the cabinet's return is recorded, else when the window ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.borrow.flow import in_session
from opsuite.powerbank.borrow.service import usable_station
from opsuite.powerbank.returns import service
from opsuite.powerbank.returns.service import Confirmed
from opsuite.powerbank.runtime import Runtime

POLL_S = 0.25
"""How often the database is asked, each time in a short transaction (no connection held between)."""
EARLY_S = 0.3
"""The client aborts after exactly the window; answer this much before it (notes §3.6)."""


@dataclass(frozen=True)
class Waited:
    """Whose return was awaited, and what came of it (None: not within the window)."""

    user_id: int
    confirmed: Confirmed | None


async def wait_for_return(
    runtime: Runtime, caller: Caller, *, user_id: int | None, station_id: int, powerbank_id: int | None
) -> Waited:
    """Poll for the return until the request time + the window (less `EARLY_S`)."""
    seconds = runtime.settings.return_confirmation_timeout_seconds
    asked_at = runtime.clock.now()
    until = asked_at + timedelta(seconds=max(seconds - EARLY_S, POLL_S))

    def start(session: Session) -> tuple[int, datetime]:
        acting = access.acting_for(session, caller, user_id)
        usable_station(session, caller, station_id)
        opened = service.since(
            session, user_id=acting.user_id, station_id=station_id, asked_at=asked_at, seconds=seconds
        )
        return acting.user_id, opened

    target, opened_at = await in_session(runtime, start)
    while True:
        found = await in_session(
            runtime,
            lambda session: service.confirmed(
                session, user_id=target, station_id=station_id, powerbank_id=powerbank_id, opened_at=opened_at
            ),
        )
        now = runtime.clock.now()
        if found is not None or now >= until:
            return Waited(target, found)
        await runtime.clock.sleep(min(POLL_S, (until - now).total_seconds()))

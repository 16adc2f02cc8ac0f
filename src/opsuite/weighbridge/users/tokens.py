"""The caller of a WebSocket: browsers cannot set headers on one, so the token comes as `?token=`."""

from __future__ import annotations

from opsuite.weighbridge.errors import Unauthorized
from opsuite.weighbridge.runtime import WeighbridgeRuntime
from opsuite.weighbridge.users import service
from opsuite.weighbridge.users.models import User


def user_from_token(runtime: WeighbridgeRuntime, token: str) -> User | None:
    """The active user `token` names (password unchanged since), or None; for `authenticate_websocket`.

    Meant for the event loop, where a WebSocket handshake runs: on SQLite the read takes the database's loop
    connection (core `Database.loop_read_sessions`), so it never waits for a pool that worker threads drained;
    on PostgreSQL it is one primary-key read. The user comes back detached.
    """
    database = runtime.database
    sessions = database.loop_read_sessions if database.is_sqlite else database.read_sessions
    with sessions() as session:
        try:
            return service.authenticate(session, token, runtime.tokens)
        except Unauthorized:
            return None

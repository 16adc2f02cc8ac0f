"""The caller of a WebSocket: browsers cannot set headers on one, so the token comes as `?token=`."""

from __future__ import annotations

from opsuite.weighbridge.errors import Unauthorized
from opsuite.weighbridge.runtime import WeighbridgeRuntime
from opsuite.weighbridge.users import service
from opsuite.weighbridge.users.models import User


def user_from_token(runtime: WeighbridgeRuntime, token: str) -> User | None:
    """The active user `token` names (password unchanged since), or None; for `authenticate_websocket`.

    Reads in a short read-only session of its own; the user comes back detached.
    """
    with runtime.database.session(write=False) as session:
        try:
            return service.authenticate(session, token, runtime.tokens)
        except Unauthorized:
            return None

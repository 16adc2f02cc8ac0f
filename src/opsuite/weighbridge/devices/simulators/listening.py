"""What the simulators share about their listening socket."""

from __future__ import annotations

import asyncio


def bound_port(server: asyncio.Server | None, name: str) -> int:
    """The TCP port `server` listens on; a clear error when the simulator `name` has not started."""
    if server is None:
        raise RuntimeError(f"the {name} simulator is not running")
    port: int = server.sockets[0].getsockname()[1]
    return port

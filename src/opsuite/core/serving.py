"""Serving several apps in one process: ports bound before anything else, one clean stop on Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import signal
import socket
from collections.abc import Generator, Sequence
from dataclasses import dataclass

import uvicorn

from opsuite.core.logs import system_var


@dataclass(frozen=True)
class Listener:
    """One app to serve: who it is, where, and the socket bound for it."""

    name: str
    host: str
    port: int


class PortsBusy(Exception):
    """Some ports could not be bound; `lines` says which, one line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def bind_ports(listeners: Sequence[Listener]) -> list[socket.socket]:
    """A listening socket per listener, in order; PortsBusy naming every port that is taken (none is kept)."""
    bound: list[socket.socket] = []
    problems: list[str] = []
    for listener in listeners:
        family = socket.AF_INET6 if ":" in listener.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((listener.host, listener.port))
            sock.listen(2048)
        except OSError as exc:
            sock.close()
            reason = (
                "is in use (is opsuite already running?)"
                if exc.errno == errno.EADDRINUSE
                else f"cannot be bound: {exc.strerror}"
            )
            problems.append(f"{listener.name}: port {listener.host}:{listener.port} {reason}")
            continue
        sock.set_inheritable(True)
        bound.append(sock)
    if problems:
        for sock in bound:
            sock.close()
        raise PortsBusy(problems)
    return bound


class SharedSignalServer(uvicorn.Server):
    """A uvicorn server that leaves signals to `serve_all`.

    Each uvicorn server installs its own handlers and re-raises the signal when it stops; with several in one
    process, the first to stop re-raised Ctrl-C into the others, which were then cancelled mid-lifespan.
    """

    def __init__(self, config: uvicorn.Config, *, system: str) -> None:
        super().__init__(config)
        self.system = system

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Nothing: `serve_all` owns the signals."""
        yield

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        """Serve, with this server's system on every line it logs."""
        system_var.set(self.system)
        await super().serve(sockets)


async def serve_all(servers: Sequence[tuple[uvicorn.Server, socket.socket]]) -> None:
    """Serve every server on its socket until SIGINT or SIGTERM; a second Ctrl-C forces the exit."""
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for server, _sock in servers:
            if server.should_exit:
                server.force_exit = True
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    try:
        await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in servers))
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)

"""httpx clients whose connections reach only addresses an `AddressPolicy` allows, checked at connect time.

The check sits in the network backend, below httpx's connection pool: each new connection resolves the
URL's host once, checks every address, and opens the socket to a checked address. The URL is untouched, so
the Host header, TLS server name and certificate check stay those of the URL's host, and a pooled
connection is only ever one that was checked. Environment proxies are ignored (a proxy would be the
address checked, not the target).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable

import httpcore
import httpx

from opsuite.core.netguard import AddressPolicy, resolve

SocketOption = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to resolved, checked addresses; raises `AddressRefused` otherwise."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve `host` once, check every address, connect to the first that answers."""
        try:
            addresses = await resolve(host, port, self.policy)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        options = list(socket_options or ())
        error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[SocketOption] | None = None
    ) -> httpcore.AsyncNetworkStream:
        """Refused: a guarded client reaches network addresses only."""
        raise httpcore.ConnectError("unix sockets are not reachable through a guarded client")

    async def sleep(self, seconds: float) -> None:
        """The inner backend's sleep."""
        await self.inner.sleep(seconds)


def guarded_client(policy: AddressPolicy, *, limits: httpx.Limits | None = None) -> httpx.AsyncClient:
    """An AsyncClient that connects only where `policy` allows; no redirects, no environment proxies."""
    limits = limits or httpx.Limits()
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    # httpx has no public way to set the network backend; its transport is a thin adapter over this pool,
    # built with the same arguments httpx would use.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(policy),
    )
    return httpx.AsyncClient(transport=transport, follow_redirects=False, trust_env=False)

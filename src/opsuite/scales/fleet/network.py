"""Where devices may live: a host's syntax, the allowed networks, and the address actually connected to.

A device's host is checked twice. At create/update (a clear 422): an IP address must lie in one of the
allowed networks, and a host name is refused unless host names are allowed. At connect time the host is
resolved and every address it resolves to must lie in an allowed network; the scale is then reached at
that checked address, so a changed setting or a DNS answer cannot point a device elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass

from opsuite.scales import messages

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

PRIVATE_NETWORKS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1/128", "fc00::/7"]
"""The default: private networks and loopback (the simulator and the demo device are at 127.0.0.1)."""

_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
HOST_RULE = messages.HOST_RULE


class DeviceRefused(ValueError):
    """The device's host is not allowed by the network settings; the message says why."""


def _address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_host_syntax(value: str) -> str:
    """Return `value` if it is an IP address or an RFC 1123 host name; ValueError otherwise."""
    if _address(value) is not None:
        return value
    name = value.removesuffix(".")
    labels = name.split(".")
    # An all-digit last label would be read as a number (`2130706433`, `127.1`) by the resolver.
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise ValueError(HOST_RULE)
    return value


@dataclass(frozen=True)
class NetworkPolicy:
    """The networks devices may live in, and whether a device may be given by host name."""

    networks: tuple[IPNetwork, ...]
    host_names: bool = False

    def check_address(self, address: IPAddress) -> None:
        """Refuse an address outside every allowed network."""
        if not any(address.version == net.version and address in net for net in self.networks):
            raise DeviceRefused(messages.OUTSIDE_NETWORKS.format(address=address))

    def check_host(self, host: str) -> None:
        """Refuse, before any lookup, a host name (unless allowed) or an address outside the networks."""
        address = _address(host)
        if address is None:
            if not self.host_names:
                raise DeviceRefused(messages.NO_HOST_NAMES)
            return
        self.check_address(address)

    async def resolve(self, host: str, port: int) -> str:
        """The checked address to connect to: every address `host` resolves to must be allowed."""
        try:
            check_host_syntax(host)  # a host stored before the syntax rule (`a..b`) breaks the resolver
        except ValueError as exc:
            raise DeviceRefused(HOST_RULE) from exc
        self.check_host(host)
        if _address(host) is not None:
            return host
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise DeviceRefused(messages.HOST_UNRESOLVED.format(host=host)) from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        for address in addresses:
            self.check_address(address)
        return str(addresses[0])

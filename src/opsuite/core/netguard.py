"""Which network addresses outbound connections may reach: parse a host, resolve it once, check every address.

Server-side requests to addresses a user chose (webhooks, device hosts) must not reach the server's own
loopback, the cloud metadata address or the site's internal networks unless the operator opened them. The
policy refuses, by default, every address that is not globally routable; `allow_private` opens the private
ranges (RFC 1918, RFC 6598, unique-local IPv6) and `allowed` lists networks opened whatever they are.

A host is checked as the connection will see it: a literal must be in canonical form (no `2130706433`,
`0x7f.1` or `0177.0.0.1`, which resolvers read as 127.0.0.1), a name is resolved once and every address it
gives must pass, and the caller connects to those checked addresses only (so a DNS answer that changes
between check and connect cannot be used).
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

PRIVATE_NETWORKS: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(cidr)
    for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)
"""What `allow_private` opens: site networks, carrier-grade NAT and unique-local IPv6."""

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NUMERIC_LABEL = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_CANONICAL_IPV4 = re.compile(
    r"^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$"
)


class AddressRefused(ValueError):
    """A host or address the policy does not let a connection reach; `reason` names the rule."""

    def __init__(self, host: str, reason: str, address: IPAddress | None = None) -> None:
        self.host = host
        self.reason = reason
        self.address = address
        shown = host if address is None or str(address) == host else f"{host} ({address})"
        super().__init__(f"{shown}: {reason}")


@dataclass(frozen=True)
class AddressPolicy:
    """Refuse what is not globally routable, except private ranges (`allow_private`) and `allowed` ones."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = field(default=())

    @classmethod
    def of(cls, *, allow_private: bool = False, allowed: Iterable[str | IPNetwork] = ()) -> AddressPolicy:
        """A policy from settings values: network strings such as `10.20.0.0/16` or `127.0.0.1`."""
        networks = tuple(ipaddress.ip_network(value, strict=False) for value in allowed)
        return cls(allow_private=allow_private, allowed=networks)

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` is refused (`loopback`, `link-local`, `private`, ...), or None when it is allowed."""
        if any(address.version == net.version and address in net for net in self.allowed):
            return None
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return self.refusal(embedded)
        reason = _special(address)
        if reason is None:
            return None
        if reason == "private" and self.allow_private:
            return None
        return reason

    def check(self, host: str, address: IPAddress) -> None:
        """Raise `AddressRefused` unless `address` (of `host`) may be reached."""
        reason = self.refusal(address)
        if reason is not None:
            raise AddressRefused(host, reason, address)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    # IPv4-mapped (::ffff:a.b.c.d), 6to4 (2002::/16) and NAT64 (64:ff9b::/96) addresses reach an IPv4 host.
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _special(address: IPAddress) -> str | None:
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if any(address.version == net.version and address in net for net in PRIVATE_NETWORKS):
        return "private"
    if address.is_reserved or address.is_private or not address.is_global:
        return "reserved"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "reserved"
    return None


def literal_address(host: str) -> IPAddress | None:
    """The address a host literal names (IPv6 with or without brackets), or None for a name.

    Raises `AddressRefused("numeric-form")` for numeric hosts that are not a canonical dotted quad
    (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`): resolvers read them as addresses, people do not.
    """
    bare = host.strip("[]").split("%", 1)[0] if host.startswith("[") or ":" in host else host
    if ":" in bare:
        try:
            return ipaddress.IPv6Address(bare)
        except ValueError:
            raise AddressRefused(host, "numeric-form") from None
    name = bare.rstrip(".").lower()
    last = name.rsplit(".", 1)[-1]
    if not _NUMERIC_LABEL.match(last):
        return None
    if not _CANONICAL_IPV4.match(name):
        raise AddressRefused(host, "numeric-form")
    return ipaddress.IPv4Address(name)


def _is_localhost_name(host: str) -> bool:
    # RFC 6761: `localhost` and every name under it are the loopback, whatever DNS says.
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def check_host(host: str, policy: AddressPolicy) -> None:
    """Refuse at once what needs no resolution: a refused literal, a numeric form, a `localhost` name."""
    address = literal_address(host)
    if address is not None:
        policy.check(host, address)
    elif _is_localhost_name(host) and policy.refusal(ipaddress.IPv4Address("127.0.0.1")) is not None:
        raise AddressRefused(host, "loopback")


def url_has_credentials(url: str) -> bool:
    """True when the URL carries a user or password (`scheme://user:pass@host`), however it is spelled."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "@" in url
    return parts.username is not None or parts.password is not None or "@" in parts.netloc


def check_url(url: str, policy: AddressPolicy) -> None:
    """Refuse a URL with credentials, a numeric-form host or a refused literal address (no resolution)."""
    if url_has_credentials(url):
        raise AddressRefused(_host_of(url), "credentials")
    check_host(_host_of(url), policy)


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


async def resolve(host: str, port: int, policy: AddressPolicy) -> list[IPAddress]:
    """The addresses of `host`, resolved once, every one allowed by `policy`; connect only to these.

    Raises `AddressRefused` when any address is refused (a name pointing partly inside is refused whole),
    and `OSError` (`socket.gaierror`) when the name does not resolve.
    """
    check_host(host, policy)
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = _addresses(infos)
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    for address in addresses:
        policy.check(host, address)
    return addresses


def _addresses(infos: Iterable[tuple[object, ...]]) -> list[IPAddress]:
    found: list[IPAddress] = []
    for info in infos:
        sockaddr = info[4]
        assert isinstance(sockaddr, tuple)
        # A scoped IPv6 answer (fe80::1%eth0) is checked without its zone.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found

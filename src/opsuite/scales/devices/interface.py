"""What the scales domain may ask of a scale, and the errors it may get back."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

DEFAULT_PORT = 1111
DEFAULT_PASSWORD = "1234"

# The wire carries exactly four ASCII bytes; printable without space keeps it typeable and loggable-safe.
_PASSWORD_PATTERN = re.compile(r"[\x21-\x7e]{4}")


def is_valid_password(password: str) -> bool:
    """Tell whether a scale password fits the wire: exactly 4 printable ASCII characters."""
    return _PASSWORD_PATTERN.fullmatch(password) is not None


@dataclass(frozen=True, kw_only=True)
class ConnectionParams:
    """Where a scale listens and how long to wait for it."""

    host: str
    port: int = DEFAULT_PORT
    password: str = field(repr=False)
    timeout: float = 5.0
    """Seconds for any single network wait: connect, or one reply."""
    deadline: float = 12.0
    """Seconds for a whole operation; below the web client's 15 s so the API can still answer."""

    def __post_init__(self) -> None:
        if not is_valid_password(self.password):
            raise ValueError("scale password must be exactly 4 printable ASCII characters")
        if not 1 <= self.port <= 65535:
            raise ValueError(f"port out of range: {self.port}")
        if self.timeout <= 0 or self.deadline <= 0:
            raise ValueError("timeout and deadline must be positive")


@dataclass(frozen=True)
class DeviceInfo:
    """Identity of a scale as reported by the device-info command (FF 17)."""

    model: str | None
    serial_number: str | None
    manufacturer: str | None
    protocol_version: str | None
    app_version: str | None
    firmware_version: str | None
    raw: Mapping[str, Any]
    """The whole JSON object, for fields not lifted above."""


class ScaleError(Exception):
    """Any failure talking to a scale."""


class ScaleResultError(ScaleError):
    """The scale answered with a non-zero result code."""

    def __init__(self, code: int, text: str, *, command: str = "") -> None:
        self.code = code
        self.text = text
        self.command = command
        where = f" to {command}" if command else ""
        super().__init__(f"scale answered {code} ({text}){where}")


class ScaleWrongPasswordError(ScaleResultError):
    """The scale refused the password (result code 122)."""


class ScaleBusyError(ScaleResultError):
    """The scale is still busy with a previous request (result code 199)."""


class ScaleFileRejectedError(ScaleError):
    """The scale received a product file but refused it, giving its own reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"scale rejected the product file: {reason or 'no reason given'}")


class ScaleTimeoutError(ScaleError):
    """The scale did not answer in time (connect, a reply, or the whole operation)."""


class ScaleUnreachableError(ScaleError):
    """The scale could not be reached or dropped the connection (refused, reset, host down)."""


class ScaleProtocolError(ScaleError):
    """The scale's reply broke the protocol: corrupt frame, wrong echo, bad lengths, MD5 mismatch."""


@runtime_checkable
class ScaleDevice(Protocol):
    """One scale; every call opens and closes its own connection and is bounded in time."""

    async def fetch_products(self) -> dict[str, Any]:
        """Download the scale's whole product file as parsed JSON."""
        ...

    async def push_products(self, data: Mapping[str, Any], *, clear_database: bool = False) -> None:
        """Upload a whole product file; clear_database wipes the scale's products first."""
        ...

    async def device_info(self) -> DeviceInfo:
        """Ask the scale who it is; cheap, needs no password, good as a connection test."""
        ...


ScaleFactory = Callable[[ConnectionParams], ScaleDevice]
"""Builds a device for given connection params; settings choose the driver, the simulator or a fake."""


def device_info_from_json(info: Mapping[str, Any]) -> DeviceInfo:
    """Lift the well-known fields out of an FF 17 device-info object."""

    def text(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    bot = info.get("retailBotInfo")
    firmware = text(bot.get("firmwareVersion")) if isinstance(bot, Mapping) else None
    return DeviceInfo(
        model=text(info.get("scaleModel")),
        serial_number=text(info.get("serialNumber")),
        manufacturer=text(info.get("manufacturer")),
        protocol_version=text(info.get("protocolVersion")),
        app_version=text(info.get("scaleAppVersion")),
        firmware_version=firmware,
        raw=dict(info),
    )

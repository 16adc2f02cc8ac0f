"""Requests of cabinet commands; the document's, the client's and the original's spellings are accepted."""

from __future__ import annotations

from typing import Annotated

from pydantic import AliasChoices, Field, model_validator

from opsuite.core.fields import Id
from opsuite.core.text import RulesModel

HEARTBEAT_DEFAULT = 30
LEVEL_MAX = 15


class StationRef(RulesModel):
    """`{station_id}` (`admin_user_id` and other extras are ignored)."""

    station_id: Id


class SetVolume(StationRef):
    """`volume_level` 0..15 (client), or the document's `volume` in percent (level = round(v × 15 / 100))."""

    volume_level: Annotated[int, Field(ge=0, le=LEVEL_MAX)] | None = None
    volume: Annotated[int, Field(ge=0, le=100)] | None = None

    @model_validator(mode="after")
    def _one_given(self) -> SetVolume:
        if self.volume_level is None and self.volume is None:
            raise ValueError("Укажите volume_level (0..15) или volume (0..100 %)")
        return self

    @property
    def level(self) -> int:
        """The cabinet's level, 0..15."""
        if self.volume_level is not None:
            return self.volume_level
        return round((self.volume or 0) * LEVEL_MAX / 100)


class SetServerAddress(StationRef):
    """`server_address` (or `address`, or `host:port`), `server_port` (or `port`), `heartbeat_interval`."""

    server_address: str = Field(
        min_length=1, max_length=200, validation_alias=AliasChoices("server_address", "address")
    )
    server_port: Annotated[str, Field(pattern=r"^\d{1,5}$")] | int | None = Field(
        default=None, validation_alias=AliasChoices("server_port", "port")
    )
    heartbeat_interval: int = Field(default=HEARTBEAT_DEFAULT, ge=1, le=255)

    def address_and_port(self) -> tuple[str, str]:
        """The host and the port as text; `host:port` in `server_address` when no port is given."""
        host = self.server_address.strip()
        if self.server_port is not None:
            port = str(self.server_port)
        elif ":" in host:
            host, port = host.rsplit(":", 1)
        else:
            raise ValueError("Укажите server_port или адрес вида host:port")
        if not port.isdigit() or not 1 <= int(port) <= 65535 or not host or any(c.isspace() for c in host):
            raise ValueError("Неверный адрес или порт сервера")
        return host, port

    @model_validator(mode="after")
    def _parsable(self) -> SetServerAddress:
        self.address_and_port()
        return self

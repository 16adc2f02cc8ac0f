"""The bridge's device settings: the document's four keys plus what a real site needs to wire its hardware.

`GET /settings` shows `model_dump(mode="json")` (the camera password masked), `PUT /settings` sends a
partial body through `merged`; bridge_settings/service.py stores the password in clear (the cameras
need it). The defaults point at the simulators `opsuite serve` starts on 127.0.0.1, so a laptop runs
the whole process without hardware.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from opsuite.weighbridge.devices.frames.formats import FrameFormat
from opsuite.weighbridge.devices.frames.regex import A9_PLUS_PATTERN
from opsuite.weighbridge.devices.interface import GATES, SENSOR_COUNT

SIMULATOR_HOST = "127.0.0.1"
SIMULATOR_PORTS = {"indicator": 18001, "modbus": 18002, "camera_in": 18003, "camera_out": 18004}
"""Where `opsuite serve` starts the simulators, and so where the defaults point."""

MASK = str(SecretStr("x"))
"""How `GET /settings` shows the camera password."""

MASK = str(SecretStr("x"))
"""How `GET /settings` shows the camera password."""

CameraVendor = Literal["hikvision", "dahua", "generic"]
GateWiringKind = Literal["latched", "pulsed"]
SensorKind = Literal["discrete_input", "coil", "holding_bit"]

_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})*$"
)
_SERIAL_URL = re.compile(r"^(?:/dev/[\w./-]+|COM\d{1,3}|(?:socket|rfc2217|loop|spy|alt|hwgrep)://\S*)$")


def _host_port(value: str, what: str) -> str:
    """`value` when it is an IP address or a host name, optionally with `:port`; ValueError otherwise."""
    text = value.strip()
    host, port = text, None
    if text.startswith("["):  # [IPv6]:port
        host, _, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else (None if not rest else "bad")
    elif text.count(":") == 1:
        host, port = text.split(":")
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"{what}: порт должен быть числом от 1 до 65535")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not _HOSTNAME.match(host):
            raise ValueError(f"{what}: ожидается IP-адрес или имя хоста, например 192.168.1.63") from None
    return text


class BridgeConfig(BaseModel):
    """Every setting of one weighbridge's devices; weights in kg, `gate_close_timeout` in ms."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # The document's four keys.
    camera_in_ip: str = f"{SIMULATOR_HOST}:{SIMULATOR_PORTS['camera_in']}"
    """Entry camera (camera 1): IP or host, optionally `:port`; empty = no camera."""
    camera_out_ip: str = f"{SIMULATOR_HOST}:{SIMULATOR_PORTS['camera_out']}"
    """Exit camera (camera 2): IP or host, optionally `:port`; empty = no camera."""
    gate_close_timeout: int = Field(8000, ge=0, le=600_000)
    """Ms after a gate opens before it closes by itself, re-armed while a sensor is active; 0 = never."""
    scale_port: str = f"socket://{SIMULATOR_HOST}:{SIMULATOR_PORTS['indicator']}"
    """The indicator's serial port: a device path (`/dev/ttyUSB0`, `COM3`) or a pyserial URL (`socket://h:p`)."""

    # The indicator.
    scale_protocol: FrameFormat = "yaohua"
    scale_baudrate: int = Field(9600, ge=300, le=921_600)
    scale_bytesize: Literal[7, 8] = 8
    scale_parity: Literal["N", "E", "O"] = "N"
    scale_stopbits: Literal[1, 2] = 1
    scale_decimals: int = Field(0, ge=0, le=4)
    """Decimal places the indicator shows; for `regex` the weight field counts units of 10^-decimals kg."""
    scale_regex: str = A9_PLUS_PATTERN.decode()
    """For `scale_protocol: regex`: a pattern with a named group `weight` (default: the A9+ field frame)."""
    scale_disconnect_s: float = Field(2.0, gt=0, le=60)
    """Seconds without a valid frame before the scale counts as disconnected."""
    scale_out_port: str | None = None
    """A second platform on the exit side, shown as `weight_out`; None when the site has one platform."""

    # Stability in software (for indicators without a flag) and the presence threshold.
    stable_tolerance_kg: float = Field(20.0, ge=0, le=10_000)
    stable_duration_s: float = Field(2.0, ge=0, le=60)
    min_weight_kg: float = Field(200.0, ge=0, le=200_000)
    """Below this the platform is empty: never stable for capture, and the process may return to IDLE."""
    confirm_tolerance_kg: float = Field(20.0, ge=0, le=10_000)
    """How far `confirmed_weight` may differ from the live stable weight."""
    leave_after_s: float = Field(3.0, gt=0, le=600)
    """Seconds under `min_weight_kg` after a truck was on the platform before it counts as gone unweighed."""

    # Which gates the process drives (the document numbers 1-4; the live frame shows gates 1 and 2).
    entry_gate: int = Field(1, ge=1, le=4)
    """Opened by `POST /process/start`."""
    exit_gate: int = Field(2, ge=1, le=4)
    """Opened by a confirmed weighing."""

    # The Modbus I/O module.
    io_transport: Literal["tcp", "rtu"] = "tcp"
    io_host: str = SIMULATOR_HOST
    io_port: int = Field(SIMULATOR_PORTS["modbus"], ge=1, le=65535)
    io_serial_port: str = ""
    """For `rtu`: the RS-485 port or pyserial URL (not the scale's)."""
    io_baudrate: int = Field(9600, ge=300, le=921_600)
    io_unit_id: int = Field(1, ge=0, le=247)
    io_gate_wiring: GateWiringKind = "latched"
    """`latched`: one coil per gate, on = open; `pulsed`: an open coil and a close coil, pulsed."""
    io_gate_open_coils: list[int] = Field(default_factory=lambda: [0, 1, 2, 3])
    """Coil per gate 1-4 (latched), or each gate's open coil (pulsed)."""
    io_gate_close_coils: list[int] = Field(default_factory=lambda: [4, 5, 6, 7])
    """Each gate's close coil, used only when `io_gate_wiring` is `pulsed`."""
    io_pulse_ms: int = Field(500, ge=50, le=10_000)
    io_sensor_kind: SensorKind = "discrete_input"
    io_sensor_addresses: list[int] = Field(default_factory=lambda: [0, 1, 2])
    """Address of sensors 1-3 (for `holding_bit`: bit numbers of holding register `io_sensor_register`)."""
    io_sensor_register: int = Field(0, ge=0, le=65535)
    io_sensor_inverted: list[bool] = Field(default_factory=lambda: [False, False, False])
    io_poll_s: float = Field(0.2, ge=0.05, le=10)
    io_timeout_s: float = Field(1.0, gt=0, le=30)

    # The cameras.
    camera_vendor: CameraVendor = "hikvision"
    camera_path: str | None = None
    """Snapshot path when the vendor's default does not fit, e.g. `/snapshot.jpg`."""
    camera_user: str | None = "admin"
    camera_password: SecretStr = SecretStr("admin12345")
    camera_auth: Literal["digest", "basic"] = "digest"
    camera_timeout_s: float = Field(4.0, gt=0, le=30)
    camera_probe_s: float = Field(15.0, ge=1, le=3600)
    """How often each camera is asked for a snapshot, to report `camera_1`/`camera_2` in the status."""
    anpr_key: str | None = Field(None, min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    """Secret last segment of `/api/v1/integration/anpr/{key}`, where ANPR cameras push; None = off."""

    @field_validator("camera_in_ip", "camera_out_ip")
    @classmethod
    def _camera_address(cls, value: str) -> str:
        return value.strip() and _host_port(value, "адрес камеры")

    @field_validator("io_host")
    @classmethod
    def _io_host(cls, value: str) -> str:
        return _host_port(value, "адрес модуля Modbus")

    @field_validator("scale_port", "scale_out_port", "io_serial_port")
    @classmethod
    def _serial_port(cls, value: str | None) -> str | None:
        if not value:
            return value
        text = value.strip()
        if not _SERIAL_URL.match(text):
            raise ValueError(
                "последовательный порт: ожидается путь устройства (/dev/ttyUSB0, COM3) или URL pyserial (socket://host:port)"
            )
        return text

    @field_validator("camera_path")
    @classmethod
    def _camera_path(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith("/") or any(c.isspace() for c in value)):
            raise ValueError("путь снимка камеры должен начинаться с / и не содержать пробелов")
        return value

    @field_validator("scale_regex")
    @classmethod
    def _pattern(cls, value: str) -> str:
        try:
            compiled = re.compile(value.encode())
        except re.error as error:
            raise ValueError(f"шаблон кадра весов не компилируется: {error}") from None
        if "weight" not in compiled.groupindex:
            raise ValueError("в шаблоне кадра весов нужна группа (?P<weight>...)")
        return value

    @model_validator(mode="after")
    def _points(self) -> BridgeConfig:
        if len(self.io_gate_open_coils) != len(GATES):
            raise ValueError(f"io_gate_open_coils: нужно {len(GATES)} адреса (шлагбаумы 1-4)")
        if len(self.io_gate_close_coils) != len(GATES):
            raise ValueError(f"io_gate_close_coils: нужно {len(GATES)} адреса (шлагбаумы 1-4)")
        if len(self.io_sensor_addresses) != SENSOR_COUNT or len(self.io_sensor_inverted) != SENSOR_COUNT:
            raise ValueError(f"датчиков должно быть {SENSOR_COUNT}: io_sensor_addresses и io_sensor_inverted")
        if any(not 0 <= address <= 65535 for address in self.io_gate_open_coils + self.io_gate_close_coils):
            raise ValueError("адрес катушки должен быть от 0 до 65535")
        if any(not 0 <= address <= 65535 for address in self.io_sensor_addresses):
            raise ValueError("адрес датчика должен быть от 0 до 65535")
        if self.io_transport == "rtu" and not self.io_serial_port:
            raise ValueError("для Modbus RTU укажите io_serial_port")
        return self

    def merged(self, changes: dict[str, Any]) -> BridgeConfig:
        """A new, validated config: these settings with `changes` (a partial PUT body) applied."""
        if changes.get("camera_password") == MASK:  # the masked value a client read back and sent again
            changes = {key: value for key, value in changes.items() if key != "camera_password"}
        return BridgeConfig.model_validate({**self.model_dump(), **changes})

    def camera_address(self, camera_id: int) -> str:
        """The address of camera 1 (entry, `camera_in_ip`) or 2 (exit, `camera_out_ip`); empty = none."""
        if camera_id not in (1, 2):
            raise ValueError(f"camera_id must be 1 or 2, got {camera_id}")
        return self.camera_in_ip if camera_id == 1 else self.camera_out_ip

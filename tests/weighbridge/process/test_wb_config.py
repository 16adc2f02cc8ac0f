"""BridgeConfig: the document's four keys, simulator defaults, partial merges, and Russian refusals."""

from __future__ import annotations

import pytest
from fastapi.encoders import jsonable_encoder
from pydantic import ValidationError

from opsuite.weighbridge.config import MASK, BridgeConfig


def test_defaults_point_at_the_simulators_and_show_the_document_keys() -> None:
    shown = jsonable_encoder(BridgeConfig().model_dump())
    assert {
        key: shown[key] for key in ("camera_in_ip", "camera_out_ip", "gate_close_timeout", "scale_port")
    } == {
        "camera_in_ip": "127.0.0.1:18003",
        "camera_out_ip": "127.0.0.1:18004",
        "gate_close_timeout": 8000,
        "scale_port": "socket://127.0.0.1:18001",
    }
    assert shown["camera_password"] == "**********"
    assert shown["confirm_tolerance_kg"] == 20.0
    assert (shown["io_host"], shown["io_port"]) == ("127.0.0.1", 18002)


def test_merge_applies_a_partial_body_and_keeps_the_rest() -> None:
    merged = BridgeConfig().merged({"gate_close_timeout": 10000, "camera_in_ip": "192.168.1.64"})
    assert (merged.gate_close_timeout, merged.camera_in_ip) == (10000, "192.168.1.64")
    assert merged.camera_out_ip == "127.0.0.1:18004"
    assert merged.scale_port == "socket://127.0.0.1:18001"


def test_the_masked_password_sent_back_keeps_the_stored_one() -> None:
    config = BridgeConfig().merged({"camera_password": "s3cret"})
    assert config.merged({"camera_password": MASK}).camera_password.get_secret_value() == "s3cret"
    assert config.model_dump(mode="json")["camera_password"] == MASK


@pytest.mark.parametrize(
    "address",
    ["192.168.1.63", "192.168.1.63:8080", "cam-in.local", "[fe80::1]:80", "fe80::1", ""],
)
def test_camera_addresses_accepted(address: str) -> None:
    assert BridgeConfig().merged({"camera_in_ip": address}).camera_in_ip == address


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"camera_in_ip": "a b"}, "camera_in_ip", "адрес камеры: ожидается IP-адрес или имя хоста"),
        ({"camera_out_ip": "1.2.3.4:99999"}, "camera_out_ip", "порт должен быть числом от 1 до 65535"),
        ({"scale_port": "COMX"}, "scale_port", "последовательный порт: ожидается путь устройства"),
        ({"scale_regex": "(?P<w>\\d+)"}, "scale_regex", "нужна группа (?P<weight>...)"),
        ({"camera_path": "snapshot.jpg"}, "camera_path", "должен начинаться с /"),
        ({"io_sensor_addresses": [0, 1]}, None, "датчиков должно быть 3"),
        ({"io_transport": "rtu"}, None, "для Modbus RTU укажите io_serial_port"),
    ],
)
def test_bad_settings_are_refused_in_russian(
    changes: dict[str, object], field: str | None, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        BridgeConfig().merged(changes)
    (error,) = caught.value.errors()
    assert error["loc"] == ((field,) if field else ())
    assert message in error["msg"]


def test_unknown_keys_and_out_of_range_numbers_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        BridgeConfig().merged({"gate_timeout": 5, "gate_close_timeout": -1})
    assert sorted((error["loc"], error["type"]) for error in caught.value.errors()) == [
        (("gate_close_timeout",), "greater_than_equal"),
        (("gate_timeout",), "extra_forbidden"),
    ]


def test_scale_port_accepts_device_paths_and_pyserial_urls() -> None:
    for port in ("/dev/ttyUSB0", "COM3", "socket://10.0.0.5:4001", "rfc2217://10.0.0.5:4002", "loop://"):
        assert BridgeConfig().merged({"scale_port": port}).scale_port == port


def test_camera_address_by_id() -> None:
    config = BridgeConfig().merged({"camera_in_ip": "10.0.0.1", "camera_out_ip": "10.0.0.2"})
    assert (config.camera_address(1), config.camera_address(2)) == ("10.0.0.1", "10.0.0.2")
    with pytest.raises(ValueError, match="camera_id must be 1 or 2"):
        config.camera_address(3)

"""Startup: the Fernet key is validated with a clear error, generated under var/ on laptops; the CLI descriptor."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.scales import system as scales_system
from opsuite.scales.app import create_app
from opsuite.scales.crypto import FernetKeyError
from opsuite.scales.settings import ScalesSettings
from opsuite.scales.simulator_host import simulator_part
from opsuite.systems import SYSTEMS

system = scales_system.SYSTEM


def test_invalid_fernet_key_fails_create_app_without_echoing_it(settings: ScalesSettings) -> None:
    settings.fernet_key = "change-me"
    with pytest.raises(FernetKeyError) as caught:
        create_app(settings)
    assert str(caught.value) == (
        "OPSUITE_SCALES_FERNET_KEY (key #1) is not a valid Fernet key: it must be 32 url-safe base64-encoded bytes"
    )
    assert "change-me" not in str(caught.value)


def test_missing_key_is_a_clear_error_when_generation_is_off(settings: ScalesSettings) -> None:
    settings.fernet_key = None
    settings.generate_fernet_key = False
    with pytest.raises(FernetKeyError, match="OPSUITE_SCALES_FERNET_KEY is not set"):
        create_app(settings)


def test_laptop_key_is_generated_once_under_var(tmp_path: Path) -> None:
    settings = ScalesSettings(core={"var_dir": tmp_path})
    [key] = settings.fernet_keys
    Fernet(key.encode())
    assert (tmp_path / "scales.fernet").read_text() == key
    assert ScalesSettings(core={"var_dir": tmp_path}).fernet_keys == [key]


def test_several_keys_decrypt_old_tokens(settings: ScalesSettings) -> None:
    from opsuite.scales.crypto import DeviceCipher

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = DeviceCipher([old]).encrypt("1234")
    assert DeviceCipher([new, old]).decrypt(token) == "1234"


def test_scales_is_registered_with_its_port() -> None:
    assert SYSTEMS["scales"] == "opsuite.scales.system"
    assert (system.name, system.port, system.package) == ("scales", 8004, "opsuite.scales")


def test_descriptor_migrates_loads_demo_and_creates_admin(tmp_path: Path) -> None:
    config = ScalesSettings(
        core={"var_dir": tmp_path}, simulator=False, scheduler_enabled=False, secret_key="s" * 40
    )
    system.migrate(config)
    assert system.load_demo(config, True) == (
        "demo user demo@example.com / demo1234 with a device at 127.0.0.1:1111 (password 1234)"
    )
    assert system.load_demo(config, True) == "not empty, demo data skipped"
    assert system.create_admin(config, "boss@example.com", "boss-pass-1") == "created user boss@example.com"
    assert (
        system.create_admin(config, "boss@example.com", "boss-pass-2")
        == "password reset for user boss@example.com"
    )
    with TestClient(system.create_app(config)) as client:
        token = client.post(
            "/auth/login", data={"username": "demo@example.com", "password": "demo1234"}
        ).json()
        devices = client.get("/devices", headers={"Authorization": f"Bearer {token['access_token']}"}).json()
        assert [(d["ip"], d["port"]) for d in devices] == [("127.0.0.1", 1111)]
        assert (
            client.post(
                "/auth/login", data={"username": "boss@example.com", "password": "boss-pass-2"}
            ).status_code
            == 200
        )


def test_taken_simulator_port_is_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = ScalesSettings(core={"var_dir": tmp_path}, simulator=True, simulator_port=port)
        with caplog.at_level(logging.WARNING, logger="opsuite.scales.simulator_host"):
            asyncio.run(simulator_part(config).start())  # logs and returns: the app still starts
    assert f"scale simulator not started on 127.0.0.1:{port}" in caplog.text


def test_lifespan_starts_the_simulator_when_asked(settings: ScalesSettings, database: Database) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.simulator = True
    settings.simulator_port = port
    with TestClient(create_app(settings, database)) as client:
        token = client.post(
            "/auth/login", data={"username": "alice@example.com", "password": "alice-pass-1"}
        ).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        client.post(
            "/devices", json={"name": "sim", "ip": "127.0.0.1", "port": port, "password": "1234"}, headers=h
        )
        response = client.post("/devices/1/test", headers=h)
        assert response.status_code == 200
        assert response.json()["serial_number"] == "SIM00001"

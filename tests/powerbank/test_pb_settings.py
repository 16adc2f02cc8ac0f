"""Settings (the return wait clamped 1..60, its unprefixed alias) and the station-key cipher."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from opsuite.powerbank.crypto import KeyCipher, KeyUnavailable, key_hint
from opsuite.powerbank.settings import PowerbankSettings
from tests.powerbank.helpers import FERNET_KEY


@pytest.mark.parametrize(("given", "used"), [(None, 10.0), (0, 1.0), (0.5, 1.0), (30, 30.0), (600, 60.0)])
def test_the_return_wait_is_clamped(given: float | None, used: float) -> None:
    settings = (
        PowerbankSettings() if given is None else PowerbankSettings(return_confirmation_timeout_seconds=given)
    )
    assert settings.return_confirmation_timeout_seconds == used


def test_the_original_unprefixed_name_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETURN_CONFIRMATION_TIMEOUT_SECONDS", "15")
    assert PowerbankSettings().return_confirmation_timeout_seconds == 15.0
    monkeypatch.setenv("OPSUITE_POWERBANK_RETURN_CONFIRMATION_TIMEOUT_SECONDS", "75")
    assert PowerbankSettings().return_confirmation_timeout_seconds == 60.0


def test_defaults_run_simulators_and_the_gateway_on_loopback() -> None:
    settings = PowerbankSettings()
    assert (settings.simulators, settings.gateway_host, settings.gateway_port) == (True, "127.0.0.1", 9066)
    assert (settings.eject_timeout_s, settings.command_timeout_s, settings.offline_after_s) == (
        10.0,
        5.0,
        65.0,
    )


def test_keys_round_trip_and_rotate() -> None:
    old = KeyCipher([FERNET_KEY])
    stored = old.encrypt("EXAMPLE1")
    assert stored != "EXAMPLE1"
    rotated = KeyCipher([Fernet.generate_key().decode(), FERNET_KEY])
    assert rotated.decrypt(stored) == "EXAMPLE1"
    with pytest.raises(KeyUnavailable):
        KeyCipher([Fernet.generate_key().decode()]).decrypt(stored)
    with pytest.raises(KeyUnavailable):
        KeyCipher([]).encrypt("EXAMPLE1")


def test_a_key_is_shown_masked() -> None:
    assert key_hint("EXAMPLE1") == "******E1"
    assert key_hint("abc") == "****"


def test_a_key_is_generated_once_under_var(tmp_path: object) -> None:
    first = PowerbankSettings(core={"var_dir": tmp_path}).fernet_keys
    assert len(first) == 1
    assert PowerbankSettings(core={"var_dir": tmp_path}).fernet_keys == first
    assert PowerbankSettings(core={"var_dir": tmp_path}, generate_key_encryption_key=False).fernet_keys == []

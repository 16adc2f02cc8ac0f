"""Device settings: defaults until saved, a partial PUT merged and validated, persisted, applied to the bridge."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.weighbridge.app import create_app
from opsuite.weighbridge.bridge_settings.models import BridgeSettingsRow
from opsuite.weighbridge.config import BridgeConfig
from opsuite.weighbridge.runtime import build_runtime
from opsuite.weighbridge.settings import WeighbridgeSettings
from tests.weighbridge.helpers import ADMIN, Api, login


class RecordingBridge:
    """Stands in for the controller: records each config it is handed."""

    def __init__(self) -> None:
        self.applied: list[BridgeConfig] = []

    def apply(self, config: Any) -> None:
        self.applied.append(config)


def test_defaults_show_the_documents_four_keys_and_a_masked_password(operator: Api) -> None:
    body = operator.get("/settings").json()
    assert {
        key: body[key] for key in ("camera_in_ip", "camera_out_ip", "gate_close_timeout", "scale_port")
    } == {
        "camera_in_ip": "127.0.0.1:18003",
        "camera_out_ip": "127.0.0.1:18004",
        "gate_close_timeout": 8000,
        "scale_port": "socket://127.0.0.1:18001",
    }
    assert body["camera_password"] == "**********"
    assert body == BridgeConfig().model_dump(mode="json")
    assert "admin12345" not in json.dumps(body)


def test_a_partial_put_is_merged_saved_and_shown(admin: Api, database: Database) -> None:
    changes = {"gate_close_timeout": 10000, "camera_in_ip": "192.168.1.64", "camera_password": "s3cret"}
    response = admin.put("/settings", json=changes)
    assert (response.status_code, response.json()) == (200, {"status": "updated"})
    body = admin.get("/settings").json()
    assert (
        body["gate_close_timeout"],
        body["camera_in_ip"],
        body["camera_out_ip"],
        body["camera_password"],
    ) == (
        10000,
        "192.168.1.64",
        "127.0.0.1:18004",
        "**********",
    )
    with database.session() as session:
        row = session.get(BridgeSettingsRow, 1)
        assert row is not None
        stored = json.loads(row.data)
    assert (stored["camera_password"], stored["gate_close_timeout"]) == ("s3cret", 10000)
    # The masked value read back and sent again keeps the password.
    masked = admin.put("/settings", json={"camera_password": "**********", "scale_port": "/dev/ttyUSB0"})
    assert masked.status_code == 200
    with database.session() as session:
        row = session.get(BridgeSettingsRow, 1)
        assert row is not None
        assert json.loads(row.data)["camera_password"] == "s3cret"
        assert json.loads(row.data)["scale_port"] == "/dev/ttyUSB0"


def test_invalid_or_unknown_settings_are_422_and_change_nothing(admin: Api) -> None:
    bad = admin.put("/settings", json={"gate_close_timeout": -5})
    assert bad.status_code == 422
    assert [(item["loc"], item["type"]) for item in bad.json()["detail"]] == [
        (["gate_close_timeout"], "greater_than_equal")
    ]
    unknown = admin.put("/settings", json={"colour": "red"})
    assert unknown.status_code == 422
    assert [(item["loc"], item["type"]) for item in unknown.json()["detail"]] == [
        (["colour"], "extra_forbidden")
    ]
    assert admin.put("/settings", json=[1, 2]).status_code == 422
    assert admin.get("/settings").json()["gate_close_timeout"] == 8000


def test_only_a_superuser_changes_settings(operator: Api) -> None:
    response = operator.put("/settings", json={"gate_close_timeout": 10000})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Действие доступно только администратору"},
    )


def test_a_saved_change_is_applied_to_the_bridge_and_survives_a_restart(
    settings: WeighbridgeSettings, database: Database
) -> None:
    runtime = build_runtime(settings, database)
    bridge = RecordingBridge()
    runtime.bridge = bridge
    with TestClient(create_app(settings, runtime=runtime)) as client:
        admin = Api(client, login(client, *ADMIN))
        assert admin.put("/settings", json={"gate_close_timeout": 12000}).status_code == 200
    assert [config.gate_close_timeout for config in bridge.applied] == [12000]
    with TestClient(create_app(settings, Database(settings.db_url))) as client:
        admin = Api(client, login(client, *ADMIN))
        assert admin.get("/settings").json()["gate_close_timeout"] == 12000

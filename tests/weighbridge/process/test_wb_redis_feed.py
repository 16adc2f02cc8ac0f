"""Scaled out: a worker without devices serves `/process/ws` with the owner's frames, through Redis."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient

from opsuite.core.clock import SYSTEM_CLOCK
from opsuite.core.db import Database
from opsuite.weighbridge.app import create_app
from opsuite.weighbridge.process import equip
from opsuite.weighbridge.process.bridge import PROCESS_TOPIC
from opsuite.weighbridge.settings import WeighbridgeSettings
from tests.conftest import REDIS_ENV, service_url
from tests.weighbridge.helpers import API, OPERATOR, login
from tests.weighbridge.process.rig import leave


def test_a_worker_feeds_the_owners_frames(
    settings: WeighbridgeSettings, database: Database, monkeypatch: Any
) -> None:
    redis_url = service_url(REDIS_ENV)
    # One channel prefix for this test alone, so parallel runs on one Redis do not hear each other.
    monkeypatch.setattr(equip, "CHANNEL_PREFIX", f"opsuite:test:{uuid.uuid4().hex}:")
    core = {**settings.core.model_dump(), "redis_url": redis_url}
    owner = settings.model_copy(
        update={"devices": True, "simulators": True, "core": type(settings.core)(**core)}
    )
    worker = settings.model_copy(update={"core": type(settings.core)(**core)})
    with (
        TestClient(create_app(owner, database, clock=SYSTEM_CLOCK)) as owner_client,
        TestClient(create_app(worker, database, clock=SYSTEM_CLOCK)) as worker_client,
    ):
        token = login(owner_client, *OPERATOR)
        started = owner_client.post(
            f"{API}/process/start",
            json={"truck_number": "01A777AA"},
            headers={"Authorization": f"Bearer {token}"},
        )
        truck_id = started.json()["truck_id"]
        with worker_client.websocket_connect(f"{API}/process/ws?token={token}") as socket:
            frame = socket.receive_json()
            assert (frame["scale_status"], frame["truck_id"], frame["truck_number"]) == (
                "ENTERING",
                truck_id,
                "01A777AA",
            )
            leave(socket, worker_client.app.state.runtime.hub, PROCESS_TOPIC)  # type: ignore[attr-defined]

"""Two confirms of one weighing racing over a real socket: exactly one weighing is written."""

from __future__ import annotations

import threading
from typing import Any

import httpx
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.weighbridge.process.bridge import Bridge
from opsuite.weighbridge.trucks.models import Action
from tests.live import serve
from tests.weighbridge.helpers import API, OPERATOR
from tests.weighbridge.process.conftest import QUICK
from tests.weighbridge.process.rig import eventually

RACERS = 6


def test_racing_confirms_write_one_weighing(app: Any, database: Database) -> None:
    with serve(app) as base:
        bridge = app.state.runtime.bridge
        assert isinstance(bridge, Bridge)
        bridge.apply(bridge.config.merged(QUICK))
        token = _login(base)
        headers = {"Authorization": f"Bearer {token}"}
        started = httpx.post(f"{base}{API}/process/start", json={"truck_number": "01A777AA"}, headers=headers)
        truck_id = started.json()["truck_id"]
        httpx.post(f"{base}{API}/simulator/truck", json={"weight": 24500}, headers=headers)
        eventually(lambda: bridge.frame()["scale_status"] == "CONFIRMATION")

        gate = threading.Barrier(RACERS)
        answers: list[tuple[int, dict[str, Any]]] = []

        def confirm() -> None:
            with httpx.Client(base_url=base, headers=headers) as client:
                gate.wait()
                response = client.post(
                    f"{API}/process/confirm", json={"truck_id": truck_id, "confirmed_weight": 24500}
                )
                answers.append((response.status_code, response.json()))

        racers = [threading.Thread(target=confirm) for _ in range(RACERS)]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()

    winners = [body for status, body in answers if status == 200]
    assert len(winners) == 1
    assert sorted(status for status, _ in answers) == [200] + [409] * (RACERS - 1)
    with database.session(write=False) as session:
        actions = session.scalars(select(Action).where(Action.truck_id == truck_id)).all()
        assert [(action.id, action.action_type, action.weight) for action in actions] == [
            (winners[0]["action_id"], "ENTRANCE", 24500.0)
        ]


def _login(base: str) -> str:
    response = httpx.post(f"{base}{API}/auth/login", data={"username": OPERATOR[0], "password": OPERATOR[1]})
    return str(response.json()["access_token"])

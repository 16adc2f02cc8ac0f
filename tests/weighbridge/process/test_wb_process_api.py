"""The weighing process over HTTP and WebSocket, on the simulated site: two-pass visits, refusals, the feed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.websockets import WebSocketDisconnect

from opsuite.core.db import Database
from opsuite.weighbridge.process.bridge import PROCESS_TOPIC, Bridge
from opsuite.weighbridge.simulation.site import SimulatedSite
from opsuite.weighbridge.trucks.models import Action, Photo, Truck
from tests.weighbridge.helpers import API, Api
from tests.weighbridge.process.rig import eventually, leave


def live_frame(client: TestClient, token: str, status: str) -> dict[str, Any]:
    """The first `/process/ws` frame with `scale_status` `status`."""
    with client.websocket_connect(f"{API}/process/ws?token={token}") as socket:
        while True:
            frame: dict[str, Any] = socket.receive_json()
            if frame["scale_status"] == status:
                leave(socket, client.app.state.runtime.hub, PROCESS_TOPIC)  # type: ignore[attr-defined]
                return frame


def weigh(operator: Api, site: SimulatedSite, bridge: Bridge, truck_id: int, kg: float) -> dict[str, Any]:
    """Drive a truck of `kg` on, wait for CONFIRMATION, confirm; the confirm's body."""
    assert operator.post("/simulator/truck", json={"weight": kg}).status_code == 200
    eventually(
        lambda: bridge.frame()["scale_status"] == "CONFIRMATION" and bridge.frame()["truck_id"] == truck_id
    )
    response = operator.post("/process/confirm", json={"truck_id": truck_id, "confirmed_weight": kg})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_two_pass_visit_on_the_simulators(
    operator: Api, bridge: Bridge, site: SimulatedSite, database: Database
) -> None:
    started = operator.post("/process/start", json={"truck_number": "01 a 777 aa"})
    assert started.status_code == 200
    truck_id = started.json()["truck_id"]
    assert started.json() == {"status": "started", "truck_id": truck_id}
    eventually(lambda: site.modbus.coils[0])  # the entry gate opened
    assert operator.post("/simulator/truck", json={"weight": 24500}).status_code == 200
    frame = live_frame(operator.client, operator.token, "CONFIRMATION")
    assert frame == {
        "scale_status": "CONFIRMATION",
        "truck_number": "01 a 777 aa",
        "current_weight": 24500.0,
        "is_stable": True,
        "truck_id": truck_id,
        "gate_1_open": True,
        "gate_2_open": False,
        "sensors_active": [0, 1, 0],
    }
    entrance = operator.post("/process/confirm", json={"truck_id": truck_id, "confirmed_weight": 24510})
    assert entrance.status_code == 200
    entrance_id = entrance.json()["action_id"]
    assert entrance.json() == {"status": "success", "action_id": entrance_id}
    eventually(lambda: site.modbus.coils[1])  # the exit gate opened
    eventually(lambda: _photos(database, entrance_id) == [1, 2])
    assert operator.post("/simulator/truck/leave").status_code == 200
    eventually(lambda: bridge.weights()["weight_in"] == 0.0)

    again = operator.post("/process/start", json={"truck_number": "01A777AA"})
    assert again.json() == {"status": "started", "truck_id": truck_id}  # still on the territory: same visit
    exit_body = weigh(operator, site, bridge, truck_id, 10000)
    with database.session() as session:
        truck = session.get(Truck, truck_id)
        assert truck is not None
        assert (truck.is_finished, truck.truck_number) == (True, "01 a 777 aa")
        actions = session.scalars(select(Action).where(Action.truck_id == truck_id).order_by(Action.id)).all()
        assert [(a.id, a.action_type, a.weight, a.operator_id) for a in actions] == [
            (entrance_id, "ENTRANCE", 24510.0, 2),
            (exit_body["action_id"], "EXIT", 10000.0, 2),
        ]
    assert bridge.frame()["scale_status"] == "IDLE"


def _photos(database: Database, action_id: int) -> list[int]:
    with database.session(write=False) as session:
        return sorted(session.scalars(select(Photo.camera).where(Photo.action_id == action_id)))


def test_confirm_and_start_refusals_are_409_with_the_reason(
    operator: Api, bridge: Bridge, site: SimulatedSite
) -> None:
    assert operator.post("/process/confirm", json={"truck_id": 1, "confirmed_weight": 100}).json() == {
        "detail": "Нет активного взвешивания: сначала запустите процесс"
    }
    truck_id = operator.post("/process/start", json={"truck_number": "01B888BB"}).json()["truck_id"]
    busy = operator.post("/process/start", json={"truck_number": "01C999CC"})
    assert (busy.status_code, busy.json()) == (
        409,
        {
            "detail": "Идёт взвешивание машины 01B888BB (статус ENTERING): подтвердите вес или сбросьте процесс"
        },
    )
    early = operator.post("/process/confirm", json={"truck_id": truck_id, "confirmed_weight": 100})
    assert (early.status_code, early.json()) == (
        409,
        {"detail": "Вес ещё не готов к подтверждению (статус ENTERING): дождитесь стабильного веса"},
    )
    operator.post("/simulator/truck", json={"weight": 18000})
    eventually(lambda: bridge.frame()["scale_status"] == "CONFIRMATION")
    far = operator.post("/process/confirm", json={"truck_id": truck_id, "confirmed_weight": 18100})
    assert (far.status_code, far.json()) == (
        409,
        {"detail": "Подтверждаемый вес 18100 кг отличается от веса на весах 18000 кг больше чем на 20 кг"},
    )
    assert operator.post("/process/reset").json() == {"status": "reset"}
    assert bridge.frame()["scale_status"] == "IDLE"
    eventually(lambda: site.modbus.coils[:2] == [False, False])


@pytest.mark.parametrize(
    "body",
    [{}, {"truck_number": ""}, {"truck_number": "X" * 21}, {"truck_number": 5}],
)
def test_a_bad_start_body_is_422(operator: Api, body: dict[str, Any]) -> None:
    assert operator.post("/process/start", json=body).status_code == 422


def test_a_blank_number_is_400(operator: Api, bridge: Bridge) -> None:
    response = operator.post("/process/start", json={"truck_number": "   "})
    assert (response.status_code, response.json()) == (400, {"detail": "Номер машины не может быть пустым"})
    assert bridge.frame()["scale_status"] == "IDLE"


def test_the_process_needs_a_token(client: TestClient) -> None:
    assert client.post(f"{API}/process/reset").status_code == 401
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(f"{API}/process/ws") as socket,
    ):
        socket.receive_json()
    assert refused.value.code == 1008
    with (
        pytest.raises(WebSocketDisconnect) as bad,
        client.websocket_connect(f"{API}/hardware/ws?token=x") as socket,
    ):
        socket.receive_json()
    assert bad.value.code == 1008


def test_a_worker_without_devices_answers_503(no_devices_client: TestClient, database: Database) -> None:
    from tests.weighbridge.helpers import OPERATOR, login

    api = Api(no_devices_client, login(no_devices_client, *OPERATOR))
    response = api.post("/process/start", json={"truck_number": "01A777AA"})
    assert (response.status_code, response.json()) == (
        503,
        {"detail": "Оборудование весовой не запущено в этом процессе"},
    )
    assert api.get("/hardware/status").status_code == 503
    assert api.post("/simulator/truck/leave").json() == {"detail": "Симуляторы не запущены в этом процессе"}
    with database.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Truck)) == 0


def test_put_settings_applies_at_once_and_keeps_the_simulated_site(
    admin: Api, bridge: Bridge, site: SimulatedSite
) -> None:
    assert admin.put("/settings", json={"gate_close_timeout": 1500}).json() == {"status": "updated"}
    assert bridge.config.gate_close_timeout == 1500
    assert bridge.config.scale_port == site.indicator.url  # the default address still means the simulator
    assert admin.post("/hardware/gates/2/open").status_code == 200
    eventually(lambda: site.modbus.coils[1] is False)  # closed by itself after 1.5 s

"""Scale faults map to 502 (with the scale's code), 504 on timeout and 503 when unreachable; never 500."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.scales.helpers import ALICE, Api, Scales, login

from opsuite.core.db import Database
from opsuite.scales.app import create_app
from opsuite.scales.devices.interface import (
    ScaleBusyError,
    ScaleFileRejectedError,
    ScaleProtocolError,
    ScaleResultError,
    ScaleTimeoutError,
    ScaleUnreachableError,
    ScaleWrongPasswordError,
)
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.devices.simulator import Fault, ScaleSimulator
from opsuite.scales.settings import ScalesSettings

WHERE = "Весы 127.0.0.1:1111"

FAKE_FAULTS = [
    (
        ScaleWrongPasswordError(122, "Неверный пароль"),
        502,
        {"detail": f"{WHERE} ответили кодом 122: Неверный пароль", "code": 122},
    ),
    (
        ScaleBusyError(199, "Предыдущий запрос ещё не завершён"),
        502,
        {"detail": f"{WHERE} ответили кодом 199: Предыдущий запрос ещё не завершён", "code": 199},
    ),
    (
        ScaleResultError(171, "Запрашиваемый файл пуст"),
        502,
        {"detail": f"{WHERE} ответили кодом 171: Запрашиваемый файл пуст", "code": 171},
    ),
    (ScaleProtocolError("MD5 mismatch"), 502, {"detail": f"{WHERE} нарушили протокол: MD5 mismatch"}),
    (ScaleFileRejectedError("bad json"), 502, {"detail": f"{WHERE} отклонили файл товаров: bad json"}),
    (ScaleTimeoutError("late"), 504, {"detail": f"{WHERE} не ответили вовремя"}),
    (ScaleUnreachableError("refused"), 503, {"detail": f"{WHERE} недоступны"}),
]


@pytest.mark.parametrize(("error", "status", "body"), FAKE_FAULTS)
def test_fake_faults_map_to_statuses(
    alice: Api, scales: Scales, error: Exception, status: int, body: Any
) -> None:
    alice.add_device()
    scales[1111].fail_always(error)  # type: ignore[arg-type]
    for method, path in (("GET", "/devices/1/products"), ("POST", "/devices/1/test")):
        response = alice.call(method, path)
        assert (response.status_code, response.json()) == (status, body), path
    scales[1111].clear_faults()
    alice.get("/devices/1/products")
    scales[1111].fail_next(error, operation="push_products")  # type: ignore[arg-type]
    response = alice.post("/devices/1/upload")
    assert (response.status_code, response.json()) == (status, body)
    assert alice.get("/devices/1").json()["cached_dirty"] is False
    assert alice.get("/devices/1/log").json()[0]["http_status"] == status


def test_failed_upload_keeps_edits_marked_unsent(alice: Api, scales: Scales) -> None:
    scales[1111].products = generate_product_file(2)
    alice.add_device()
    alice.get("/devices/1/products")
    assert alice.patch("/devices/1/products/1", json={"fields": {"price": 3}}).status_code == 200
    scales[1111].fail_next(ScaleTimeoutError("late"), operation="push_products")
    assert alice.post("/devices/1/upload").status_code == 504
    assert alice.get("/devices/1").json()["cached_dirty"] is True


def test_undecryptable_password_is_503_with_a_clear_detail(alice: Api, database: Database) -> None:
    alice.add_device()
    with database.session() as session:
        session.execute(text("UPDATE devices SET password_encrypted = 'not-a-token'"))
    response = alice.post("/devices/1/test")
    assert response.status_code == 503
    assert response.json() == {
        "detail": "Пароль устройства не расшифровывается настроенным ключом OPSUITE_SCALES_FERNET_KEY"
    }


# --- the real driver against the simulator on 127.0.0.1 ---------------------------------------------


class SimulatorThread:
    """A ScaleSimulator on its own event loop in a thread, so sync TestClient calls can reach it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.simulator = ScaleSimulator(products=generate_product_file(5, seed=3))
        self.port = self._call(self.simulator.start("127.0.0.1", 0))

    def _call(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def close(self) -> None:
        self._call(self.simulator.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def simulator() -> Iterator[SimulatorThread]:
    sim = SimulatorThread()
    yield sim
    sim.close()


@pytest.fixture
def real_client(settings: ScalesSettings, database: Database) -> Iterator[TestClient]:
    """The app with its default driver (MertechScale)."""
    with TestClient(create_app(settings, database)) as client:
        yield client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_simulator_round_trip_over_tcp(real_client: TestClient, simulator: SimulatorThread) -> None:
    api = Api(real_client, login(real_client, *ALICE))
    api.add_device(port=simulator.port)
    fetched = api.get("/devices/1/products")
    assert fetched.status_code == 200
    assert fetched.json() == {"products": generate_product_file(5, seed=3)}
    assert api.patch("/devices/1/products/2", json={"fields": {"price": 123.45}}).status_code == 200
    assert api.post("/devices/1/upload").json() == {"status": "ok"}
    assert simulator.simulator.products["products"][1]["price"] == 123.45
    info = api.post("/devices/1/test")
    assert info.status_code == 200
    assert info.json()["serial_number"] == "SIM00001"


def test_simulator_faults_map_to_statuses(real_client: TestClient, simulator: SimulatorThread) -> None:
    api = Api(real_client, login(real_client, *ALICE))
    api.add_device(port=simulator.port)
    where = f"Весы 127.0.0.1:{simulator.port}"
    simulator.simulator.fail_next(Fault.WRONG_PASSWORD)
    response = api.get("/devices/1/products")
    assert (response.status_code, response.json()) == (
        502,
        {"detail": f"{where} ответили кодом 122: Неверный пароль", "code": 122},
    )
    simulator.simulator.fail_next(Fault.SILENT)
    response = api.get("/devices/1/products")
    assert (response.status_code, response.json()) == (504, {"detail": f"{where} не ответили вовремя"})
    assert api.get("/devices/1/products").status_code == 200
    simulator.simulator.fail_next(Fault.REJECT_FILE)
    response = api.post("/devices/1/upload")
    assert response.status_code == 502
    assert response.json()["detail"].startswith(f"{where} отклонили файл товаров: ")


def test_nothing_listening_is_503(real_client: TestClient) -> None:
    api = Api(real_client, login(real_client, *ALICE))
    port = _free_port()
    api.add_device(port=port)
    response = api.post("/devices/1/test")
    assert (response.status_code, response.json()) == (
        503,
        {"detail": f"Весы 127.0.0.1:{port} недоступны"},
    )


def test_the_short_rejection_reply_is_a_502_and_a_warning_with_the_reason(
    real_client: TestClient, simulator: SimulatorThread, caplog: pytest.LogCaptureFixture
) -> None:
    api = Api(real_client, login(real_client, *ALICE))
    api.add_device(port=simulator.port)
    assert api.get("/devices/1/products").status_code == 200
    simulator.simulator.fail_next(Fault.REJECT_FILE_SHORT)
    with caplog.at_level(logging.WARNING, logger="opsuite.scales.fleet.device_io"):
        response = api.post("/devices/1/upload")
    where = f"127.0.0.1:{simulator.port}"
    assert (response.status_code, response.json()) == (
        502,
        {"detail": f"Весы {where} отклонили файл товаров: причина не указана"},
    )
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "WARNING",
            f"scale {where} failed (ScaleFileRejectedError: scale rejected the product file: no reason given)",
        )
    ]
    assert [u.accepted for u in simulator.simulator.uploads] == [False]

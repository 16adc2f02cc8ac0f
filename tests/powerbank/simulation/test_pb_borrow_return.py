"""Borrow → return through the HTTP API, on the demo simulators over real sockets (notes §3.4, §3.6)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from opsuite.core.db import Database
from opsuite.powerbank.audit.models import ActionLog
from opsuite.powerbank.commands.models import CabinetCommand
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.devices.simulator import Fault
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.runtime import Runtime
from opsuite.powerbank.stations.models import StationPowerbank
from tests.clock import FakeClock
from tests.powerbank.helpers import GROUP_ADMIN, SERVICE_ADMIN, SUBGROUP_ADMIN, USER, Api
from tests.powerbank.simulation.conftest import on_app_loop

USER_ID = 4


def orders(database: Database) -> list[tuple[int, int, str, str | None]]:
    with database.session() as session:
        rows = session.scalars(select(Order).order_by(Order.id)).all()
        return [(o.user_id, o.powerbank_id, o.status, o.failure_reason) for o in rows]


def in_background(call: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    box: list[Any] = []
    thread = threading.Thread(target=lambda: box.append(call()))
    thread.start()
    return thread, box


def advance_until_done(clock: FakeClock, thread: threading.Thread, *, step: float = 0.25) -> None:
    """Move the app's clock on until the request in `thread` has answered."""
    for _ in range(400):
        thread.join(timeout=0.02)
        if not thread.is_alive():
            return
        clock.advance(seconds=step)
    raise AssertionError("the request did not answer")


def test_borrow_then_return_at_another_station_confirms(
    client: TestClient, runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    user = as_user(USER)
    borrowed = user.post("/api/borrow/stations/1/request", {"slot_number": 2})
    serial = demo_serial(1, 2)
    assert (borrowed.status_code, borrowed.json()) == (
        200,
        {
            "success": True,
            "message": f"Повербанк {serial} успешно выдан из слота 2",
            "order_id": 1,
            "station_id": 1,
            "slot_number": 2,
            "powerbank_id": 2,
            "serial_number": serial,
            "user_id": USER_ID,
        },
    )
    assert orders(database) == [(USER_ID, 2, "borrow", None)]
    assert 2 not in runtime.simulators.by_box["ST001"].state.banks
    started = user.post("/api/return-powerbank", {"station_id": 2, "powerbank_id": 2})
    assert (started.status_code, started.json()) == (
        200,
        {
            "success": True,
            "message": "Процесс возврата запущен. Вставьте повербанк в станцию в течение 10 секунд.",
            "powerbank_id": 2,
            "serial_number": serial,
            "station_id": 2,
            "timestamp": "2026-03-10T12:00:00+03:00",
        },
    )
    assert on_app_loop(client, lambda: runtime.simulators.by_box["ST002"].insert(8, serial)) == 1
    confirmed = user.post("/api/return/wait-confirmation", {"station_id": 2, "powerbank_id": 2})
    assert (confirmed.status_code, confirmed.json()) == (
        200,
        {
            "success": True,
            "station_id": 2,
            "user_id": USER_ID,
            "confirmed": True,
            "powerbank_id": 2,
            "slot_number": 8,
            "timeout": False,
        },
    )
    assert orders(database) == [(USER_ID, 2, "return", None)]


def test_a_return_never_made_answers_408_after_the_window(
    client: TestClient, runtime: Runtime, as_user: Callable[[str], Api], clock: FakeClock
) -> None:
    user = as_user(USER)
    assert user.post("/api/borrow/stations/1/request", {"slot_number": 1}).status_code == 200
    assert user.post("/api/return-powerbank", {"station_id": 1, "powerbank_id": 1}).status_code == 200
    thread, answer = in_background(lambda: user.post("/api/return/wait-confirmation", {"station_id": 1}))
    advance_until_done(clock, thread)
    assert (answer[0].status_code, answer[0].json()) == (
        408,
        {
            "success": False,
            "station_id": 1,
            "user_id": USER_ID,
            "confirmed": False,
            "timeout": True,
            "error": "Не удалось подтвердить возврат в отведенное время",
        },
    )


def test_a_jammed_slot_leaves_an_audited_failed_order_and_nothing_counted(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    runtime.simulators.by_box["ST001"].set_fault(Fault.JAM, 3)
    user = as_user(USER)
    refused = user.post("/api/borrow/stations/1/request", {"slot_number": 3})
    assert (refused.status_code, refused.json()) == (
        400,
        {"success": False, "error": "Ошибка выдачи повербанка: станция не выдала повербанк (код 0)"},
    )
    assert orders(database) == [(USER_ID, 3, "failed", "result_0")]
    with database.session() as session:
        audit = session.scalars(select(ActionLog).where(ActionLog.action == "borrow_failed")).all()
        assert [(a.actor_id, a.entity_id, a.details) for a in audit] == [
            (USER_ID, 1, {"station": "ST001", "slot": 3, "reason": "result_0"})
        ]
        assert session.scalar(select(CabinetCommand.state)) == "failed"
        assert (
            session.scalar(select(StationPowerbank.slot_number).where(StationPowerbank.powerbank_id == 3))
            == 3
        )
    # The failed order is not counted against the limit of one: the next borrow is issued.
    assert user.post("/api/borrow/stations/1/request", {"slot_number": 4}).status_code == 200


def test_an_unanswered_eject_fails_at_its_deadline(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database, clock: FakeClock
) -> None:
    runtime.simulators.by_box["ST001"].set_fault(Fault.SILENT)
    user = as_user(USER)
    thread, answer = in_background(lambda: user.post("/api/borrow/stations/1/request", {"slot_number": 5}))
    advance_until_done(clock, thread, step=0.5)
    assert (answer[0].status_code, answer[0].json()) == (
        400,
        {"success": False, "error": "Ошибка выдачи повербанка: станция не ответила"},
    )
    assert orders(database) == [(USER_ID, 5, "failed", "timeout")]


def test_twenty_concurrent_borrows_of_one_bank_issue_it_once(
    client: TestClient, runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    people = [as_user(phone) for phone in (SERVICE_ADMIN, GROUP_ADMIN, SUBGROUP_ADMIN, USER)]
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(
                lambda n: people[n % 4].post("/api/borrow/stations/1/request", {"slot_number": 6}), range(20)
            )
        )
    assert sorted(a.status_code for a in answers) == [200] + [400] * 19
    assert [status for _, bank, status, _ in orders(database) if status != "failed"] == ["borrow"]
    assert all(bank == 6 for _, bank, _, _ in orders(database))


def test_a_user_past_the_limit_gets_one_of_many_concurrent_borrows(
    runtime: Runtime, as_user: Callable[[str], Api], database: Database
) -> None:
    user = as_user(USER)  # limit 1 (the subgroup's default)
    with ThreadPoolExecutor(10) as pool:
        answers = list(
            pool.map(
                lambda n: user.post("/api/borrow/stations/2/request", {"slot_number": 1 + n % 5}), range(10)
            )
        )
    assert sorted(a.status_code for a in answers) == [200] + [400] * 9
    assert [status for _, _, status, _ in orders(database)] == ["borrow"]

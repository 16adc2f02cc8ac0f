"""Every way a scale can fail maps to one exception type, quickly; nothing hangs."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest

from opsuite.scales.devices import protocol as p
from opsuite.scales.devices.interface import (
    ConnectionParams,
    ScaleBusyError,
    ScaleError,
    ScaleFileRejectedError,
    ScaleProtocolError,
    ScaleResultError,
    ScaleTimeoutError,
    ScaleUnreachableError,
    ScaleWrongPasswordError,
)
from opsuite.scales.devices.mertech import MertechScale
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.devices.simulator import Fault, ScaleSimulator

Run = Callable[[Coroutine[Any, Any, Any]], Any]
DAY = dt.date(2026, 1, 15)
STORED = generate_product_file(60, seed=11, packed_on=DAY)
PUSHED = generate_product_file(60, seed=12, packed_on=DAY)
TIMEOUT = 0.3
# Generous: the point is "bounded", not "fast"; a hang would take the scenario limit (60 s).
BOUND = 3.0


def driver(port: int, *, password: str = "1234", deadline: float = 10.0) -> MertechScale:
    params = ConnectionParams(
        host="127.0.0.1", port=port, password=password, timeout=TIMEOUT, deadline=deadline
    )
    return MertechScale(params, poll_interval=0.01, chunk_size=500)


async def fails_within(action: Awaitable[Any], kind: type[ScaleError]) -> ScaleError:
    started = time.monotonic()
    with pytest.raises(kind) as caught:
        await action
    assert time.monotonic() - started < BOUND
    return caught.value


def fetch(sim: ScaleSimulator) -> Awaitable[Any]:
    return driver(sim.port).fetch_products()


def push(sim: ScaleSimulator) -> Awaitable[Any]:
    return driver(sim.port).push_products(PUSHED, clear_database=True)


OPERATIONS = {"fetch": fetch, "push": push}


@pytest.mark.parametrize("operation", ["fetch", "push"])
def test_wrong_password_is_result_122(run: Run, operation: str) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(password="4321", products=STORED) as sim:
            error = await fails_within(OPERATIONS[operation](sim), ScaleWrongPasswordError)
            assert isinstance(error, ScaleResultError)
            assert (error.code, error.text) == (122, "Неверный пароль")
            assert sim.products == STORED

    run(scenario())


def test_wrong_password_fault_mid_transfer(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED, chunk_size=500) as sim:
            sim.fail_next(Fault.WRONG_PASSWORD, command=p.CMD_READ_FILE, stage=p.STAGE_CHUNK, skip=2)
            error = await fails_within(fetch(sim), ScaleWrongPasswordError)
            assert error.command == "FF 12"

    run(scenario())


@pytest.mark.parametrize(
    ("operation", "command"),
    [("fetch", p.CMD_CREATE_PRODUCT_FILE), ("fetch", p.CMD_READ_FILE), ("push", p.CMD_WRITE_PRODUCT_FILE)],
)
def test_busy_is_result_199(run: Run, operation: str, command: bytes) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as sim:
            sim.fail_next(Fault.BUSY, command=command)
            error = await fails_within(OPERATIONS[operation](sim), ScaleBusyError)
            assert isinstance(error, ScaleResultError)
            assert (error.code, error.text) == (199, "Предыдущий запрос ещё не завершён")

    run(scenario())


@pytest.mark.parametrize(
    ("operation", "command", "stage"),
    [
        ("fetch", p.CMD_READ_FILE, p.STAGE_CHUNK),
        ("fetch", p.CMD_POLL_PRODUCT_FILE, None),
        ("push", p.CMD_WRITE_PRODUCT_FILE, p.STAGE_CHUNK),
        ("push", p.CMD_WRITE_PRODUCT_FILE, p.STAGE_CHECK),
    ],
)
def test_scale_that_stops_answering_mid_transfer_times_out(
    run: Run, operation: str, command: bytes, stage: int | None
) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED, chunk_size=500) as sim:
            sim.fail_next(Fault.SILENT, command=command, stage=stage, skip=1 if stage == p.STAGE_CHUNK else 0)
            error = await fails_within(OPERATIONS[operation](sim), ScaleTimeoutError)
            assert f"no reply to {p.command_name(command)} within 0.3 s" in str(error)
            assert sim.products == STORED
            # The fault was one-shot and the dead connection's transfer is gone: the scale serves again.
            assert await fetch(sim) == STORED

    run(scenario())


def test_corrupt_chunk_fails_the_md5_check(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED, chunk_size=500) as sim:
            sim.fail_next(Fault.CORRUPT_CHUNK, skip=3)
            error = await fails_within(fetch(sim), ScaleProtocolError)
            assert "MD5" in str(error)

    run(scenario())


def test_rejected_file_carries_the_scales_reason(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as sim:
            sim.fail_next(Fault.REJECT_FILE)
            error = await fails_within(push(sim), ScaleFileRejectedError)
            assert isinstance(error, ScaleFileRejectedError)
            assert error.reason == "Файл товаров отклонён весами (симуляция)"
            assert sim.products == STORED
            assert [u.accepted for u in sim.uploads] == [False]

    run(scenario())


def test_the_short_rejection_reply_is_a_rejection_without_a_reason(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as sim:
            sim.fail_next(Fault.REJECT_FILE_SHORT)
            error = await fails_within(push(sim), ScaleFileRejectedError)
            assert isinstance(error, ScaleFileRejectedError)
            assert (error.reason, str(error)) == ("", "scale rejected the product file: no reason given")
            assert sim.products == STORED
            assert [u.accepted for u in sim.uploads] == [False]
            await push(sim)  # the next upload is accepted again
            assert [u.accepted for u in sim.uploads] == [False, True]

    run(scenario())


def test_size_in_the_wrong_byte_order_is_rejected_by_a_strict_scale(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED, strict_size_byteorder="little") as sim:
            error = await fails_within(push(sim), ScaleFileRejectedError)
            assert isinstance(error, ScaleFileRejectedError)
            assert error.reason.startswith("Размер файла")
            assert sim.products == STORED

    run(scenario())


@pytest.mark.parametrize("operation", ["fetch", "push"])
def test_truncated_reply_is_a_protocol_error(run: Run, operation: str) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as sim:
            sim.fail_next(Fault.TRUNCATED_REPLY, stage=p.STAGE_CHUNK)
            error = await fails_within(OPERATIONS[operation](sim), ScaleProtocolError)
            assert "truncated" in str(error)

    run(scenario())


@pytest.mark.parametrize("operation", ["fetch", "push"])
def test_reset_connection_is_unreachable(run: Run, operation: str) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as sim:
            sim.fail_next(Fault.RESET, stage=p.STAGE_CHUNK)
            await fails_within(OPERATIONS[operation](sim), ScaleUnreachableError)
            assert sim.products == STORED

    run(scenario())


def test_endless_in_progress_poll_stops_at_the_deadline(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED, creation_polls=10**9) as sim:
            error = await fails_within(driver(sim.port, deadline=0.5).fetch_products(), ScaleTimeoutError)
            assert "exceeded 0.5 s" in str(error)

    run(scenario())


def test_endless_upload_check_stops_at_the_deadline(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(check_polls=10**9) as sim:
            scale = driver(sim.port, deadline=0.5)
            error = await fails_within(scale.push_products(PUSHED, clear_database=True), ScaleTimeoutError)
            assert "exceeded 0.5 s" in str(error)

    run(scenario())


def test_slow_scale_within_each_reply_timeout_still_hits_the_overall_deadline(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED, chunk_size=100, latency=0.05) as sim:
            await fails_within(driver(sim.port, deadline=0.4).fetch_products(), ScaleTimeoutError)

    run(scenario())


def test_persistent_fault_until_cleared(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as sim:
            sim.fail_always(Fault.BUSY, command=p.CMD_CREATE_PRODUCT_FILE)
            await fails_within(fetch(sim), ScaleBusyError)
            await fails_within(fetch(sim), ScaleBusyError)
            sim.clear_faults()
            assert await fetch(sim) == STORED

    run(scenario())


def test_connection_refused_is_unreachable(run: Run) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port was free a moment ago and nothing listens on it now.

    async def scenario() -> None:
        error = await fails_within(driver(port).fetch_products(), ScaleUnreachableError)
        assert "cannot connect" in str(error)

    run(scenario())


def test_listener_that_never_accepts_data_times_out(run: Run) -> None:
    """A host that completes the handshake but whose application is dead (kernel backlog only)."""

    async def scenario() -> None:
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            port = listener.getsockname()[1]
            error = await fails_within(driver(port).device_info(), ScaleTimeoutError)
            assert "no reply to FF 17" in str(error)

    run(scenario())


def test_operations_on_different_scales_run_concurrently(run: Run) -> None:
    async def scenario() -> None:
        async with ScaleSimulator(products=STORED) as good, ScaleSimulator(products=STORED) as dead:
            dead.fail_always(Fault.SILENT)
            results = await asyncio.gather(fetch(good), fetch(dead), return_exceptions=True)
            assert results[0] == STORED
            assert isinstance(results[1], ScaleTimeoutError)

    run(scenario())

"""Webhook deliveries per second to a local receiver, one in-process worker, SQLite; vs bare httpx.

The receiver is uvicorn (httptools) in a child process answering 200 "OK". The reference is the same
receiver driven by bare `httpx.AsyncClient`s with the same concurrency and connection layout (clients of
4 connections) and no database: the ceiling of the receiver and the client on this machine. The outbox
run claims, signs, sends and records every delivery (5,000 rows, one subscription).
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

DELIVERIES = 5_000
AIM_PER_SECOND = 500
CONCURRENCY = 64
PER_CLIENT = 4

_RECEIVER = """
import sys, uvicorn

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"OK"})

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False,
            http="httptools", loop="uvloop", backlog=2048)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_receiver() -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-c", _RECEIVER, str(port)])
    url = f"http://127.0.0.1:{port}/hook"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.post(url, content=b"{}").status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("receiver did not start")


async def _bare(url: str, count: int, body: bytes) -> float:
    limits = httpx.Limits(max_connections=PER_CLIENT, max_keepalive_connections=PER_CLIENT)
    clients = [httpx.AsyncClient(limits=limits) for _ in range(CONCURRENCY // PER_CLIENT)]
    busy = [0] * len(clients)
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one() -> None:
        async with semaphore:
            index = min(range(len(busy)), key=busy.__getitem__)
            busy[index] += 1
            response = await clients[index].post(
                url, content=body, headers={"Content-Type": "application/json"}
            )
            busy[index] -= 1
            assert response.status_code == 200

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    elapsed = time.perf_counter() - started
    for client in clients:
        await client.aclose()
    return elapsed


def _outbox_run(url: str, root: Path) -> dict[str, float]:
    from sqlalchemy import func, select

    from opsuite.core.migrations import upgrade
    from opsuite.production.events.service import emit
    from opsuite.production.runtime import build_runtime
    from opsuite.production.settings import ProductionSettings
    from opsuite.production.webhooks import tasks as webhooks_tasks
    from opsuite.production.webhooks.models import (
        WebhookDelivery,
        WebhookSubscription,
        WebhookSubscriptionEvent,
    )

    db_url = f"sqlite:///{root / 'bench.sqlite3'}"
    upgrade("opsuite.production", db_url)
    # The receiver listens on this host: opened by the setting, as a site opens its receivers' network.
    settings = ProductionSettings(
        database_url=db_url, core={"var_dir": root}, webhook_allowed_networks=["127.0.0.1/32"]
    )
    runtime = build_runtime(settings)
    database = runtime.database
    with database.session() as session:
        session.add(
            WebhookSubscription(
                url=url,
                secret_key="bench-secret",
                is_active=True,
                retry_count=3,
                timeout_seconds=10,
                event_rows=[WebhookSubscriptionEvent(event_name="batch.created")],
            )
        )

    class Collect:
        def __init__(self) -> None:
            self.ids: list[str] = []

        def dispatch(self, ids: list[str], delay: float = 0.0) -> None:
            self.ids.extend(ids)

    # 1. Emission: rows written in business transactions of 100 events each, nothing sent yet.
    collect = Collect()
    runtime.outbox.attach(collect)
    started = time.perf_counter()
    for start in range(0, DELIVERIES, 100):
        with database.session() as session:
            for number in range(start, start + 100):
                emit(
                    session,
                    runtime.outbox,
                    "batch.created",
                    {"batch_id": f"b-{number}", "batch_number": number},
                )
    emit_seconds = time.perf_counter() - started
    assert len(collect.ids) == DELIVERIES

    # 2. Delivery: the in-process engine claims, sends and records them all.
    engine = webhooks_tasks.in_process_engine(runtime)
    engine.start()
    started = time.perf_counter()
    engine.dispatch(collect.ids)
    assert engine.join(300), "deliveries did not settle"
    deliver_seconds = time.perf_counter() - started
    engine.shutdown()
    with database.session(write=False) as session:
        succeeded = session.scalar(
            select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == "success")
        )
        body = session.scalars(select(WebhookDelivery.body).limit(1)).one()
    database.dispose()
    assert succeeded == DELIVERIES, succeeded
    return {"emit": emit_seconds, "deliver": deliver_seconds, "body_bytes": len(body)}


def run() -> dict[str, float]:
    """Deliver 5,000 webhooks to a local receiver; print deliveries/s and the ratio to bare httpx."""
    print(
        f"production webhooks: {DELIVERIES:,} deliveries, one in-process worker, SQLite, "
        f"concurrency {CONCURRENCY}"
    )
    process, url = _start_receiver()
    try:
        with tempfile.TemporaryDirectory(prefix="opsuite-bench-webhooks-") as tmp:
            outbox = _outbox_run(url, Path(tmp))
            body = b"x" * int(outbox["body_bytes"])
            asyncio.run(_bare(url, 500, body))  # warm-up
            bare_seconds = asyncio.run(_bare(url, DELIVERIES, body))
    finally:
        process.terminate()
        process.wait(10)
    rate = DELIVERIES / outbox["deliver"]
    bare_rate = DELIVERIES / bare_seconds
    emit_rate = DELIVERIES / outbox["emit"]
    print(f"  emit (rows in 100-event transactions): {emit_rate:,.0f} deliveries/s")
    print(f"  outbox delivery: {rate:,.0f} deliveries/s (aim >= {AIM_PER_SECOND}/s)")
    print(
        f"  bare httpx to the same receiver: {bare_rate:,.0f} requests/s; "
        f"outbox at {rate / bare_rate:.0%} of it"
    )
    return {"deliveries_per_second": rate, "bare_per_second": bare_rate, "emit_per_second": emit_rate}


if __name__ == "__main__":
    run()

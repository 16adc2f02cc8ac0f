"""Through a real Celery worker and beat on Redis: export, aggregation, and a worker killed mid-delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
import redis
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.production.app import create_app
from opsuite.production.settings import ProductionSettings
from tests.conftest import REDIS_ENV, service_url
from tests.production.helpers import Api
from tests.production.webhook_receiver import Receiver, Reply

ROOT = Path(__file__).resolve().parents[2]
SECRET = "celery-secret"
QUEUE = "production"
T = TypeVar("T")

# What both the API in this process and the worker/beat subprocesses run with.
SHARED = {
    "webhook_retry_base_seconds": "0",
    "webhook_sweep_after_seconds": "1",
    "webhook_max_timeout_seconds": "2",
    "webhook_lock_margin_seconds": "1",
}
# The webhook receiver listens on this host: a site opens its receivers' network with this setting.
RECEIVER_NETWORKS = ["127.0.0.0/8"]


def wait_for(probe: Callable[[], T], what: str, timeout: float = 60.0) -> T:
    """Poll until `probe` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@dataclass
class Cluster:
    """Worker and beat processes of the production system on the test's database and broker."""

    db_url: str
    redis_url: str
    directory: Path
    procs: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            OPSUITE_REDIS_URL=self.redis_url,
            OPSUITE_VAR_DIR=str(self.directory / "var"),
            OPSUITE_PRODUCTION_DATABASE_URL=self.db_url,
            OPSUITE_PRODUCTION_FILES_DIR=str(self.directory / "files"),
            OPSUITE_CELERY_MAINTENANCE_EVERY="2",
            **{f"OPSUITE_PRODUCTION_{key.upper()}": value for key, value in SHARED.items()},
            OPSUITE_PRODUCTION_WEBHOOK_ALLOWED_NETWORKS=json.dumps(RECEIVER_NETWORKS),
        )
        return env

    def spawn(self, *args: str, log: str) -> tuple[subprocess.Popen[bytes], Path]:
        path = self.directory / log
        with path.open("ab") as out:
            popen = subprocess.Popen(
                [sys.executable, "-c", "from opsuite.cli import app; app()", *args],
                cwd=ROOT,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append((popen, path))
        return popen, path

    def worker(self, log: str = "worker.log") -> subprocess.Popen[bytes]:
        """Start `opsuite worker production` and wait until it consumes."""
        start = (self.directory / log).stat().st_size if (self.directory / log).exists() else 0
        popen, path = self.spawn("worker", "production", "--pool", "threads", "--concurrency", "4", log=log)

        def ready() -> bool:
            assert popen.poll() is None, path.read_text(errors="replace")
            return " ready." in path.read_text(errors="replace")[start:]

        wait_for(ready, "the worker to be ready")
        return popen

    def beat(self) -> subprocess.Popen[bytes]:
        return self.spawn("beat", "production", log="beat.log")[0]

    @staticmethod
    def kill(popen: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        if popen.poll() is None:
            os.killpg(popen.pid, sig)
        popen.wait(timeout=15)

    def stop_all(self) -> None:
        for popen, _path in self.procs:
            if popen.poll() is None:
                os.killpg(popen.pid, signal.SIGTERM)
                try:
                    popen.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.kill(popen)


def _clear_queue(url: str) -> None:
    client: Any = redis.Redis.from_url(url)
    try:
        client.delete(QUEUE)
    finally:
        client.close()


@pytest.fixture
def cluster(database_url: str, tmp_path: Path) -> Iterator[Cluster]:
    """Worker/beat plumbing on this test's database and the test Redis (its `production` queue emptied)."""
    redis_url = service_url(REDIS_ENV)
    _clear_queue(redis_url)
    cluster = Cluster(database_url, redis_url, tmp_path)
    try:
        yield cluster
    finally:
        cluster.stop_all()
        _clear_queue(redis_url)


@pytest.fixture
def celery_api(cluster: Cluster, database: Database) -> Iterator[Api]:
    """The API in this process, scaled out: jobs and deliveries go to the broker."""
    settings = ProductionSettings(
        database_url=cluster.db_url,
        scheduler_enabled=True,
        files_dir=cluster.directory / "files",
        core={"var_dir": cluster.directory / "var", "redis_url": cluster.redis_url},
        webhook_allowed_networks=RECEIVER_NETWORKS,
        **SHARED,
    )
    app = create_app(settings, database)
    with TestClient(app) as client:
        yield Api(client)


def _finished(api: Api, task_id: str) -> Callable[[], dict[str, Any] | None]:
    def probe() -> dict[str, Any] | None:
        status = api.call("GET", f"/api/background_tasks/{task_id}", 200)
        return status if status["status"] in ("SUCCESS", "FAILURE") else None

    return probe


def test_aggregation_and_export_run_on_the_worker(cluster: Cluster, celery_api: Api) -> None:
    api = celery_api
    assert type(api.client.app.state.runner).__name__ == "CeleryRunner"  # type: ignore[attr-defined]
    batch = api.batch()
    for code in ("C-1", "C-2", "C-3"):
        api.add_product(batch["uuid"], code)
    accepted = api.call(
        "PATCH",
        f"/api/batches/{batch['uuid']}/aggregate_async",
        202,
        json={"unique_codes": ["C-1", "C-3", "GHOST"]},
    )
    # Nothing runs until a worker is there: the job waits in the broker.
    assert api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200) == {
        "task_id": accepted["task_id"],
        "status": "PENDING",
        "result": None,
    }
    cluster.worker()
    assert wait_for(_finished(api, accepted["task_id"]), "the aggregation") == {
        "task_id": accepted["task_id"],
        "status": "SUCCESS",
        "result": {
            "success": False,
            "total": 3,
            "aggregated": 2,
            "failed": 1,
            "errors": [{"code": "GHOST", "reason": "not found"}],
        },
    }
    products = api.call("GET", f"/api/batches/{batch['uuid']}", 200)["products"]
    assert sorted((p["unique_code"], p["is_aggregated"]) for p in products) == [
        ("C-1", True),
        ("C-2", False),
        ("C-3", True),
    ]
    export = api.call("POST", "/api/batches/export?format=csv", 202, json={"is_closed": False})
    assert export["message"] == "Export task started"
    done = wait_for(_finished(api, export["task_id"]), "the export")
    assert done["status"] == "SUCCESS"
    assert (done["result"]["format"], done["result"]["total"]) == ("csv", 1)
    assert done["result"]["download_url"] == f"/api/reports/{done['result']['file_id']}"
    download = api.client.get(done["result"]["download_url"])
    assert download.status_code == 200
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["batch_number", "batch_date", "nomenclature"]
    assert lines[1].split(",")[:3] == ["1001", "2025-01-20", "Номенклатура товара"]


def test_a_worker_killed_mid_delivery_loses_no_event(cluster: Cluster, celery_api: Api) -> None:
    api = celery_api
    receiver = Receiver()
    # The first attempt hangs (the worker is killed while it waits); the next one is answered.
    receiver.answer(Reply(delay=8.0), Reply(status=200, body=b"OK"))
    with receiver.running():
        subscription = api.call(
            "POST",
            "/api/webhooks",
            201,
            json={
                "url": receiver.url + "/hook",
                "events": ["batch.created"],
                "secret_key": SECRET,
                "retry_count": 3,
                "timeout": 2,
            },
        )
        worker = cluster.worker("worker-1.log")
        cluster.beat()
        batch = api.batch()
        receiver.wait(1, timeout=30)
        cluster.kill(worker)
        # The event stays pending while no worker lives.
        pending = api.call("GET", f"/api/webhooks/{subscription['uuid']}/deliveries", 200)["items"]
        assert [(d["status"], d["attempts"]) for d in pending] == [("pending", 1)]
        cluster.worker("worker-2.log")
        requests = receiver.wait(2, timeout=60)

        def delivered() -> list[dict[str, Any]] | None:
            items = api.call("GET", f"/api/webhooks/{subscription['uuid']}/deliveries", 200)["items"]
            return items if items and items[0]["status"] == "success" else None

        [delivery] = wait_for(delivered, "the delivery to succeed")
    assert (delivery["attempts"], delivery["response_status"], delivery["response_body"]) == (2, 200, "OK")
    first, second = requests[:2]
    assert first.body == second.body
    assert first.headers["X-Webhook-Id"] == second.headers["X-Webhook-Id"] == delivery["uuid"]
    expected = "sha256=" + hmac.new(SECRET.encode(), second.body, hashlib.sha256).hexdigest()
    assert second.headers["X-Webhook-Signature"] == expected
    envelope = json.loads(second.body)
    assert (envelope["event"], envelope["data"]["batch_id"], envelope["data"]["batch_number"]) == (
        "batch.created",
        batch["uuid"],
        1001,
    )

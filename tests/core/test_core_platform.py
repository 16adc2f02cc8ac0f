"""Settings, SQLite engine behaviour and the web helpers shared by every system."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from opsuite.core.db import Database
from opsuite.core.logs import JsonFormatter
from opsuite.core.settings import CoreSettings, SystemSettings, read_or_create_secret
from opsuite.core.web import install_common


class DemoSettings(SystemSettings):
    system = "demo"


def test_system_defaults_to_a_sqlite_file_and_a_kept_secret(tmp_path: Path) -> None:
    settings = DemoSettings(core=CoreSettings(var_dir=tmp_path))
    assert settings.db_url == f"sqlite:///{(tmp_path / 'demo.sqlite3').resolve()}"
    secret = settings.signing_key
    assert len(secret) >= 48
    assert settings.signing_key == secret
    assert (tmp_path / "demo.secret").read_text() == secret
    assert DemoSettings(secret_key="given", core=CoreSettings(var_dir=tmp_path)).signing_key == "given"


def test_racing_secret_creation_yields_one_secret(tmp_path: Path) -> None:
    path = tmp_path / "x.secret"
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(read_or_create_secret(path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.secret"]


def test_sqlite_engine_uses_wal_foreign_keys_and_immediate_writers(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'd.sqlite3'}")
    with database.session() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        session.execute(text("CREATE TABLE t (x INTEGER)"))
    # A write session holds the write lock from its first statement: another writer cannot start.
    with database.session() as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(tmp_path / "d.sqlite3", timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match=r"^database is locked$"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    # A read session does not.
    with database.session(write=False) as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(tmp_path / "d.sqlite3", timeout=0.05, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
    database.dispose()


def _app(database: Database) -> FastAPI:
    app = FastAPI()
    install_common(app, system="demo", database=lambda: database, cors_origins=["http://front.example"])

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


def test_request_id_metrics_health_and_cors(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    client = TestClient(_app(database))
    echoed = client.get("/ping", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = client.get("/ping")
    assert len(generated.headers["x-request-id"]) == 32
    metrics = client.get("/metrics").text
    assert 'opsuite_http_requests_total{system="demo",method="GET",route="/ping",status="200"} 2' in metrics
    assert client.get("/health").json() == {"system": "demo", "status": "ok", "database": "ok"}
    preflight = client.options(
        "/ping", headers={"Origin": "http://front.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.headers["access-control-allow-origin"] == "http://front.example"
    database.dispose()


def test_health_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'missing-dir' / 'x' / 'db.sqlite3'}")
    (tmp_path / "missing-dir" / "x").rmdir()
    response = TestClient(_app(database)).get("/health")
    assert response.status_code == 503
    assert response.json() == {"system": "demo", "status": "degraded", "database": "error: OperationalError"}


def test_json_log_lines_carry_extra_fields() -> None:
    record = logging.makeLogRecord({"name": "opsuite.access", "levelname": "INFO", "msg": "GET %s", "args": ("/x",),
                                    "request_id": "r1", "status": 200})  # fmt: skip
    line = JsonFormatter().format(record)
    assert '"message": "GET /x"' in line
    assert '"request_id": "r1"' in line
    assert '"status": 200' in line

"""The `opsuite` command: migrate, demo, admin, and the index page of `serve`."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from opsuite.cli import app, index_app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPSUITE_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("OPSUITE_WAYBILLS_DATABASE_URL", raising=False)
    return tmp_path


def test_migrate_demo_and_admin_create(env: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate", "waybills"]).exit_code == 0
    assert (env / "waybills.sqlite3").exists()
    first = runner.invoke(app, ["demo", "waybills", "--if-empty"])
    assert first.exit_code == 0
    assert "demo data loaded" in first.output
    second = runner.invoke(app, ["demo", "waybills", "--if-empty"])
    assert "already present" in second.output
    created = runner.invoke(app, ["admin", "create", "waybills", "--username", "boss", "--password", "pw1"])
    assert created.exit_code == 0
    assert "administrator 'boss' created" in created.output
    reset = runner.invoke(app, ["admin", "create", "waybills", "--username", "boss", "--password", "pw2"])
    assert "administrator 'boss' updated" in reset.output


def test_unknown_system_is_refused(env: Path) -> None:
    result = CliRunner().invoke(app, ["migrate", "nosuch"])
    assert result.exit_code == 2
    assert "unknown system(s) nosuch" in result.output


def test_index_page_links_each_swagger_ui() -> None:
    page = TestClient(index_app([("waybills", "http://127.0.0.1:8005")])).get("/")
    assert page.status_code == 200
    assert '<a href="http://127.0.0.1:8005/docs">waybills</a>' in page.text


def test_worker_and_beat_refuse_a_system_without_background_jobs(env: Path) -> None:
    for command in ("worker", "beat"):
        result = CliRunner().invoke(app, [command, "waybills"])
        assert (result.exit_code, result.output.strip()) == (
            2,
            "error: system waybills has no background jobs",
        )


def test_worker_and_beat_need_opsuite_redis_url(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPSUITE_REDIS_URL", raising=False)
    for command in ("worker", "beat"):
        result = CliRunner().invoke(app, [command, "scales"])
        assert result.exit_code == 2
        assert " ".join(result.output.split()).startswith(
            "error: OPSUITE_REDIS_URL is not set; scales then runs its jobs inside `opsuite serve`"
        )


def test_worker_refuses_an_unknown_system(env: Path) -> None:
    result = CliRunner().invoke(app, ["worker", "nosuch"])
    assert result.exit_code == 2
    assert "unknown system(s) nosuch" in result.output


def test_scales_describes_its_background_jobs(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from opsuite.scales.jobs.models import Job, Lease
    from opsuite.scales.system import SYSTEM

    monkeypatch.delenv("OPSUITE_SCALES_DATABASE_URL", raising=False)
    setup = SYSTEM.jobs(SYSTEM.settings())
    try:
        assert (setup.system, setup.job_model, setup.lease_model) == ("scales", Job, Lease)
        assert [task.name for task in setup.registry.periodic_tasks] == ["scales.autoupdate.tick"]
        assert setup.database.url == f"sqlite:///{(env / 'scales.sqlite3').resolve()}"
    finally:
        setup.database.dispose()

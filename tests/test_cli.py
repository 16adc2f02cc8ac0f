"""The `opsuite` command: migrate, demo, admin, and the index page of `serve`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
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


def _free_port_block(size: int) -> int:
    """An offset such that the default ports 8000.. shifted by it are all free right now."""
    for offset in range(20000, 40000, 97):
        sockets = []
        try:
            for port in range(8000 + offset, 8000 + offset + size):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return offset
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free block of ports")


def _opsuite(env: Path, *args: str) -> subprocess.Popen[str]:
    variables = {**os.environ, "OPSUITE_VAR_DIR": str(env), "OPSUITE_SCALES_SIMULATOR": "false"}
    variables = {
        k: v for k, v in variables.items() if not k.endswith("_DATABASE_URL") or not k.startswith("OPSUITE_")
    }
    return subprocess.Popen(
        [sys.executable, "-m", "opsuite.cli", *args],
        env=variables,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    """Until the server on `port` answers HTTP (its port is bound long before: at once, before migrating)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"port {port} never answered")


def test_ctrl_c_stops_every_system_cleanly_and_a_second_copy_touches_nothing(env: Path) -> None:
    offset = _free_port_block(6)
    first = _opsuite(env, "serve", "--prepare", "--port-offset", str(offset))
    try:
        _wait_for_port(8000 + offset, first)
        for port in range(8001, 8006):
            _wait_for_port(port + offset, first)
        migrated = {path: path.stat().st_mtime_ns for path in env.glob("*.sqlite3")}
        assert sorted(path.name for path in migrated) == [
            "powerbank.sqlite3",
            "production.sqlite3",
            "scales.sqlite3",
            "waybills.sqlite3",
            "weighbridge.sqlite3",
        ]
        second = _opsuite(env, "serve", "--prepare", "--port-offset", str(offset))
        output, _ = second.communicate(timeout=60)
        assert second.returncode == 1
        lines = [line for line in output.splitlines() if line.strip()]
        assert lines == [
            f"error: {name}: port 127.0.0.1:{port + offset} is in use (is opsuite already running?)"
            for name, port in (
                ("powerbank", 8002),
                ("production", 8003),
                ("scales", 8004),
                ("waybills", 8005),
                ("weighbridge", 8001),
                ("index", 8000),
            )
        ]
        assert {path: path.stat().st_mtime_ns for path in env.glob("*.sqlite3")} == migrated
    finally:
        first.send_signal(signal.SIGINT)
        output, _ = first.communicate(timeout=60)
    assert first.returncode == 0, output
    assert "Traceback" not in output
    assert "CancelledError" not in output
    assert output.count("Application shutdown complete.") == 6
    # every line says which system it comes from
    for name in ("powerbank", "production", "scales", "waybills", "index"):
        assert f" INFO {name} uvicorn.error [-] Application shutdown complete." in output


def test_a_command_before_migrate_is_one_line_and_creates_no_file(env: Path) -> None:
    for args in (
        ["admin", "create", "waybills", "--username", "boss", "--password", "pw1"],
        ["demo", "waybills"],
        ["apikey", "list", "production"],
    ):
        result = CliRunner().invoke(app, args)
        system = args[2] if args[0] != "demo" else "waybills"
        assert result.exit_code == 1, result.output
        assert " ".join(result.output.split()) == (
            f"error: {system}: the database sqlite:///{(env / f'{system}.sqlite3').resolve()} does not exist yet;"
            f" run `opsuite migrate {system}` first"
        )
    assert list(env.iterdir()) == []


def test_var_is_one_place_whatever_the_working_folder(tmp_path: Path) -> None:
    checkout = Path(__file__).resolve().parents[1]
    variables = {k: v for k, v in os.environ.items() if k != "OPSUITE_VAR_DIR"}
    code = "from opsuite.core.settings import CoreSettings; print(CoreSettings().var_dir)"
    where = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=variables, capture_output=True, text=True, check=True
    )
    assert where.stdout.strip() == str(checkout / "var")


@pytest.mark.parametrize(
    ("system", "username", "password", "line"),
    [
        ("scales", "boss", "boss-pass-1", "error: E-mail: нужен корректный e-mail"),
        ("scales", "boss@example.com", "short", "error: Пароль: не короче 8 символов"),
        ("waybills", "a-login-too-long", "pw1", "error: login: Длина поля ограничена 15 символами."),
        ("waybills", "boss", "", "error: password: Это поле не может быть пустым."),
        (
            "production",
            "boss",
            "boss-pass-1",
            "error: production has no users to create: its API is guarded by API keys"
            " (opsuite apikey create production --name ...)",
        ),
    ],
)
def test_admin_create_applies_the_apis_rules(
    env: Path, monkeypatch: pytest.MonkeyPatch, system: str, username: str, password: str, line: str
) -> None:
    monkeypatch.delenv(f"OPSUITE_{system.upper()}_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["migrate", system]).exit_code == 0
    result = runner.invoke(app, ["admin", "create", system, "--username", username, "--password", password])
    assert (result.exit_code, result.output.strip()) == (1, line)


def test_admin_create_scales_with_valid_input(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPSUITE_SCALES_DATABASE_URL", raising=False)
    runner = CliRunner()
    assert runner.invoke(app, ["migrate", "scales"]).exit_code == 0
    args = ["admin", "create", "scales", "--username", "boss@example.com", "--password", "boss-pass-1"]
    result = runner.invoke(app, args)
    assert (result.exit_code, result.output.strip()) == (0, "created user boss@example.com")

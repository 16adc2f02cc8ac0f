"""`opsuite apikey create|list|revoke` and what `serve` says about production's API keys."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from opsuite import cli
from opsuite.cli import app
from opsuite.production.system import SYSTEM as PRODUCTION


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Production on a fresh SQLite file under tmp_path, migrated."""
    monkeypatch.setenv("OPSUITE_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("OPSUITE_PRODUCTION_DATABASE_URL", raising=False)
    assert CliRunner().invoke(app, ["migrate", "production"]).exit_code == 0
    return tmp_path


def words(text: str) -> str:
    """The output with rich's line wrapping undone."""
    return " ".join(text.split())


def serve_lines(monkeypatch: pytest.MonkeyPatch) -> str:
    """What `opsuite serve production` prints before it starts listening (the servers are not run)."""

    async def no_servers(servers: list[tuple[object, socket.socket]]) -> None:
        for _server, sock in servers:
            sock.close()

    monkeypatch.setattr(cli, "serve_all", no_servers)
    # serve's logging setup would point the root logger at the runner's stream, closed after the call.
    monkeypatch.setattr(cli, "configure_logging", lambda *_args: None)
    result = CliRunner().invoke(app, ["serve", "production", "--port", "0"])
    assert result.exit_code == 0, result.output
    return words(result.output)


def test_create_list_revoke_and_the_key_works_only_until_revoked(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert "production: no API keys, open to anyone who can reach the port" in serve_lines(monkeypatch)

    created = runner.invoke(app, ["apikey", "create", "production", "--name", "line 1"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert (key[:4], len(key)) == ("opk_", 47)
    assert "store it now, it cannot be shown again" in words(created.output)
    assert "production: 1 active API key(s): every route but health needs one" in serve_lines(monkeypatch)

    listed = runner.invoke(app, ["apikey", "list", "production"])
    header, row = listed.stdout.splitlines()
    assert header == "id\tname\tkey\tcreated\trevoked"
    key_id, name, shown, _created, revoked = row.split("\t")
    assert (name, shown, revoked) == ("line 1", key[:12] + "…", "")
    assert key not in listed.stdout

    spare_created = runner.invoke(app, ["apikey", "create", "production", "--name", "spare"])
    spare = spare_created.stdout.strip().splitlines()[-1]
    config = PRODUCTION.settings().model_copy(update={"api_key_cache_seconds": 0})
    with TestClient(PRODUCTION.create_app(config)) as client:
        assert client.get("/api/batches").status_code == 401
        assert client.get("/api/batches", headers={"X-API-Key": key}).status_code == 200
        revoked_now = runner.invoke(app, ["apikey", "revoke", "production", key_id])
        assert revoked_now.exit_code == 0, revoked_now.output
        assert words(revoked_now.output).startswith(f"API key 'line 1' ({key_id}) revoked at ")
        assert client.get("/api/batches", headers={"X-API-Key": key}).status_code == 401
        assert client.get("/api/batches", headers={"X-API-Key": spare}).status_code == 200
    assert "production: 1 active API key(s)" in serve_lines(monkeypatch)


def test_revoke_of_an_unknown_key_fails_with_its_message(env: Path) -> None:
    result = CliRunner().invoke(app, ["apikey", "revoke", "production", "nobody"])
    assert (result.exit_code, words(result.output)) == (1, "error: Ключ 'nobody' не найден")


def test_systems_without_api_keys_are_refused(env: Path) -> None:
    result = CliRunner().invoke(app, ["apikey", "create", "waybills", "--name", "x"])
    assert (result.exit_code, words(result.output)) == (
        2,
        "error: system waybills has no API keys (it authenticates its users itself)",
    )

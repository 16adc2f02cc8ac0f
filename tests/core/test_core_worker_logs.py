"""`uvicorn --workers N` with the documented log config: a worker's lines keep opsuite's format and system."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from opsuite.core.logs import UVICORN_LOG_CONFIG


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_worker_line_is_json_and_names_its_system(tmp_path: Path) -> None:
    uvicorn = Path(sys.executable).with_name("uvicorn")
    env = {
        **os.environ,
        "OPSUITE_VAR_DIR": str(tmp_path),
        "OPSUITE_LOG_FORMAT": "json",
        "OPSUITE_WAYBILLS_DATABASE_URL": f"sqlite:///{tmp_path / 'waybills.sqlite3'}",
    }
    command = [
        str(uvicorn), "--factory", "opsuite.waybills.app:create_app", "--workers", "2",
        "--host", "127.0.0.1", "--port", str(_free_port()), "--log-config", str(UVICORN_LOG_CONFIG),
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    lines: list[str] = []
    startup: dict[str, Any] | None = None
    try:
        assert server.stderr is not None
        for line in server.stderr:  # ends when the server exits
            lines.append(line)
            if "Application startup complete" in line:
                startup = json.loads(line)
                break
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(120)
    assert startup is not None, "".join(lines[-20:])
    # Every line is one JSON object; a worker's names the system its app serves.
    assert all(json.loads(line)["logger"] for line in lines)
    assert (startup["logger"], startup["system"], startup["level"]) == ("uvicorn.error", "waybills", "INFO")

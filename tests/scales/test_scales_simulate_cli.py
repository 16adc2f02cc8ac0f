"""`opsuite simulate scales`: a password, a port and a fault from the command line, checked before it listens."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
from typer.testing import CliRunner

from opsuite.cli import app
from opsuite.scales.devices.interface import ConnectionParams, ScaleBusyError, ScaleWrongPasswordError
from opsuite.scales.devices.mertech import MertechScale

Run = Callable[[Coroutine[Any, Any, Any]], Any]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _driver(port: int, password: str) -> MertechScale:
    return MertechScale(
        ConnectionParams(host="127.0.0.1", port=port, password=password, timeout=2.0, deadline=5.0)
    )


def test_simulate_takes_a_port_a_password_and_a_fault(run: Run) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "opsuite.cli", "simulate", "scales"]
    args = ["--port", str(port), "--password", "4321", "--fault", "busy"]
    env = {**os.environ, "COLUMNS": "200"}
    process = subprocess.Popen(
        [*command, *args], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline().strip()
        assert line == (
            f"scale simulator on 127.0.0.1:{port} (password 4321, fault busy on every matching request)"
        )

        async def scenario() -> None:
            with pytest.raises(ScaleWrongPasswordError) as wrong:
                await _driver(port, "1234").fetch_products()
            assert wrong.value.code == 122
            with pytest.raises(ScaleBusyError) as busy:
                await _driver(port, "4321").fetch_products()
            assert busy.value.code == 199

        run(asyncio.wait_for(scenario(), 20))
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_bad_password_or_fault_is_one_line_before_listening() -> None:
    runner = CliRunner()
    bad_password = runner.invoke(app, ["simulate", "scales", "--port", "0", "--password", "12345"])
    assert (bad_password.exit_code, bad_password.output.strip()) == (
        1,
        "error: --password: ровно 4 печатных ASCII-символа без пробелов",
    )
    bad_fault = runner.invoke(app, ["simulate", "scales", "--fault", "melt"])
    assert bad_fault.exit_code == 2
    said = " ".join(bad_fault.output.replace("│", " ").split())  # typer draws the error in a box
    assert "unknown fault 'melt' for scales; known: wrong_password, busy, silent, corrupt_chunk," in said
    assert "reject_file_short" in said

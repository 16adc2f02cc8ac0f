"""Every worked example in the docs runs as written right after `make run`, and the docs link only to files
of this repository.

The systems run as `opsuite serve production scales waybills --prepare` does it (fresh SQLite databases, the
demo data, the scale simulator), on ports shifted by a free offset; tests/docs/shell_blocks.py says which
blocks are runnable and how one is run.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.docs.shell_blocks import MARKER, PRELUDE, Block, runnable_blocks, shift_ports

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The docs of the systems this suite serves; weighbridge and powerbank join when they are built.
OWN_DOCS = ["README.md", "docs/architecture.md", "docs/production.md", "docs/scales.md", "docs/waybills.md"]
SYSTEMS = {"production": 8003, "scales": 8004, "waybills": 8005}

# What each worked example must print (a few key values, exactly).
EXPECTED: dict[str, list[str]] = {
    "docs/production.md": ['"batch_number":1020', '"unique_code":"PROD-001"', '"is_closed":true'],
    "docs/scales.md": ['"name":"Весы 1 (симулятор)"', '"status":"ok"', '"run_at":"00:05"'],
    "docs/waybills.md": [
        '"odometer_after":100050',
        '"fuel_on_return":"42.000"',
        '"odometer":100050,"fuel":"42.000","date":"2024-09-15"',
    ],
}


def _free_offset() -> int:
    """An offset such that 8000..8009 shifted by it are all free right now."""
    for offset in range(21000, 40000, 89):
        sockets = []
        try:
            for port in range(8000 + offset, 8010 + offset):
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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(port: int, process: subprocess.Popen[str]) -> None:
    """Until the system on `port` answers its health route (bounded: a server that never comes up fails)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"port {port} never answered")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The port offset of production, scales and waybills served as `make run` serves them."""
    offset = _free_offset()
    env = {
        key: value
        for key, value in os.environ.items()
        if not (key.startswith("OPSUITE_") and key.endswith("_DATABASE_URL"))
    }
    env |= {
        "OPSUITE_VAR_DIR": str(tmp_path_factory.mktemp("docs-var")),
        "OPSUITE_SCALES_SIMULATOR_PORT": str(_free_port()),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "opsuite.cli", "serve", *SYSTEMS, "--prepare", "--port-offset", str(offset)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for port in SYSTEMS.values():
            _wait_until_healthy(port + offset, process)
        yield offset
    finally:
        process.terminate()
        process.communicate(timeout=60)


def _blocks() -> list[pytest.ParameterSet]:
    return [
        pytest.param(block, id=f"{block.doc}:{block.line}")
        for path in DOCS
        for block in runnable_blocks(path, ROOT)
    ]


def test_the_worked_examples_of_each_system_are_marked_runnable() -> None:
    marked = sorted({block.doc for path in DOCS for block in runnable_blocks(path, ROOT)})
    assert marked == sorted(EXPECTED)


@pytest.mark.parametrize("block", _blocks())
def test_a_runnable_block_runs_as_written_after_make_run(block: Block, served: int) -> None:
    script = shift_ports(block.script, served)
    result = subprocess.run(
        ["bash", "-c", PRELUDE + script], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False
    )
    assert result.returncode == 0, f"{block}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    printed = result.stdout.replace(": ", ":").replace(", ", ",")
    missing = [value for value in EXPECTED[block.doc] if value not in printed]
    assert missing == [], result.stdout


def test_a_block_is_found_by_its_marker_and_its_ports_are_shifted(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"```sh\nnot marked\n```\n{MARKER}\n```bash\ncurl localhost:8005/api/\n```\n"
        f'{MARKER}\n```console\n$ curl -s 127.0.0.1:8003/health\n{{"status":"ok"}}\n```\n'
        f"{MARKER}\n```python\nprint(1)\n```\n",
        encoding="utf-8",
    )
    blocks = runnable_blocks(doc, tmp_path)
    assert [(b.doc, b.line, b.script) for b in blocks] == [
        ("doc.md", 5, "curl localhost:8005/api/\n"),
        ("doc.md", 9, "curl -s 127.0.0.1:8003/health\n"),
    ]
    assert shift_ports("curl localhost:8005/x http://127.0.0.1:8003/y :1111", 100) == (
        "curl localhost:8105/x http://127.0.0.1:8103/y :1111"
    )


# A path of the project's material kept outside this repository (API documents, notes, DESIGN.md).
OUTSIDE = re.compile(r"(?<![\w.-])(?:\.\./)*(?:shared|seeds|notes)/[\w./-]+")
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("doc", OWN_DOCS)
def test_the_docs_link_and_point_only_to_files_of_this_repository(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    outside = OUTSIDE.findall(text)
    broken = [
        target
        for target in LINK.findall(text)
        if not target.startswith(("http://", "https://", "#"))
        and not (ROOT / doc).parent.joinpath(target.split("#")[0]).exists()
    ]
    assert (outside, broken) == ([], [])

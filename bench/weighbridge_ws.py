"""Weighbridge: 1,000 WebSocket clients on `/process/ws`, a frame every 200 ms for 30 s, one server process.

The server is one uvicorn process (`python -m bench.weighbridge_ws serve app PORT`) serving the live feed
the way the system does: a `core.realtime.MemoryHub` topic, one subscription per socket, `stream_frames`.
A publisher in that process publishes the `/process/ws` frame (the document's keys) on a fixed 200 ms grid;
`current_weight` carries the frame's number, so a client knows when it was due. Lateness = arrival time
minus the time the frame was due on the grid (both `time.monotonic()`, system-wide on Linux): publisher,
hub, socket and client delays together. The server's CPU is its process time over the window. The
reference, in the same run, is a bare `websockets` server (`serve bare PORT`) that `broadcast`s the same
frames on the same grid to the same clients. The clients live in CLIENT_PROCESSES processes so that they
keep up.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from typing import Any

CLIENTS = int(os.environ.get("BENCH_WB_CLIENTS", "1000"))
SECONDS = float(os.environ.get("BENCH_WB_SECONDS", "30"))
PERIOD = 0.2
CLIENT_PROCESSES = 2
TOPIC = "process"
PATH = "/api/v1/process/ws"
AIM_P99_MS = 50.0
AIM_CPU = 0.15
TICKS = os.sysconf("SC_CLK_TCK")


def frame(number: int) -> dict[str, Any]:
    """The `/process/ws` message, its weight carrying the frame number."""
    return {
        "scale_status": "WEIGHING",
        "truck_number": "01A777AA",
        "current_weight": float(number),
        "is_stable": False,
        "truck_id": 17,
        "gate_1_open": False,
        "gate_2_open": False,
        "sensors_active": [1, 1, 0],
    }


async def _grid(start: float, publish: Any) -> None:
    """Call `publish(n)` for frame n at start + n * PERIOD, for ever."""
    number = 0
    while True:
        delay = start + number * PERIOD - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        publish(number)
        number += 1


# --- servers -----------------------------------------------------------------------------------------------


def _app(start: float) -> Any:
    # Imported here: the client processes need none of it (imports are slow on a loaded machine).
    from fastapi import FastAPI, WebSocket

    from opsuite.core.realtime import MemoryHub
    from opsuite.core.web.sockets import stream_frames

    hub = MemoryHub()
    tasks: list[asyncio.Task[None]] = []

    async def lifespan(app: FastAPI) -> Any:
        tasks.append(asyncio.create_task(_grid(start, lambda n: hub.publish(TOPIC, frame(n)))))
        yield
        tasks[0].cancel()
        await hub.stop()

    async def process_ws(websocket: WebSocket) -> None:
        await websocket.accept()
        with hub.subscribe(TOPIC) as subscription:
            await stream_frames(websocket, subscription)

    process_ws.__annotations__["websocket"] = WebSocket  # the module's annotations are strings
    app = FastAPI(lifespan=lifespan)
    app.add_api_websocket_route(PATH, process_ws)
    return app


async def _bare(port: int, start: float) -> None:
    from websockets.asyncio.server import ServerConnection, broadcast, serve

    clients: set[ServerConnection] = set()

    async def handler(connection: ServerConnection) -> None:
        clients.add(connection)
        try:
            await connection.wait_closed()
        finally:
            clients.discard(connection)

    def publish(number: int) -> None:
        broadcast(clients, json.dumps(frame(number), separators=(",", ":")))

    async with serve(handler, "127.0.0.1", port, backlog=2048, compression=None):
        await _grid(start, publish)


def serve(kind: str, port: int, start: float) -> None:
    """Serve the live feed of `kind` (`app` or `bare`) on 127.0.0.1:`port`, frames due from `start`."""
    if kind == "bare":
        import uvloop

        uvloop.run(_bare(port, start))
        return
    import uvicorn

    uvicorn.run(
        _app(start),
        host="127.0.0.1",
        port=port,
        workers=1,
        log_level="warning",
        access_log=False,
        backlog=2048,
    )


# --- clients -----------------------------------------------------------------------------------------------


async def _clients(port: int, count: int, start: float) -> list[tuple[float, float]]:
    """Open `count` sockets, say `ready`, read until the time given on stdin; (due, arrival) of each frame."""
    from websockets.asyncio.client import connect

    seen: list[tuple[float, float]] = []
    sockets = [
        await connect(f"ws://127.0.0.1:{port}{PATH}", compression=None, open_timeout=120)
        for _ in range(count)
    ]

    async def read(ws: Any) -> None:
        async for message in ws:
            arrived = time.monotonic()
            seen.append((start + int(json.loads(message)["current_weight"]) * PERIOD, arrived))

    readers = [asyncio.create_task(read(ws)) for ws in sockets]
    print("ready", flush=True)
    until = float(await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline))
    await asyncio.sleep(max(0.0, until - time.monotonic()))
    for reader in readers:
        reader.cancel()
    for ws in sockets:
        ws.transport.abort()
    return seen


def client(port: int, count: int, start: float, out: str) -> None:
    """Run `count` clients; write (due, arrival) of every frame they received to `out`."""
    import uvloop

    seen = uvloop.run(_clients(port, count, start))
    with open(out, "w") as file:
        json.dump(seen, file)


# --- the bench ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"the server ended (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not listen")


def _measure(kind: str, tmp: str) -> dict[str, float]:
    port = _free_port()
    start = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.weighbridge_ws", "serve", kind, str(port), str(start)]
    )
    try:
        _wait_listening(port, server)
        outs = [f"{tmp}/{kind}-{n}.json" for n in range(CLIENT_PROCESSES)]
        share = [len(range(n, CLIENTS, CLIENT_PROCESSES)) for n in range(CLIENT_PROCESSES)]
        clients = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "bench.weighbridge_ws",
                    "client",
                    str(port),
                    str(count),
                    str(start),
                    out,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for count, out in zip(share, outs, strict=True)
        ]
        for process in clients:
            assert process.stdout is not None
            if process.stdout.readline().strip() != "ready":
                raise RuntimeError(f"a client process failed (exit {process.wait()})")
        window_start = time.monotonic() + 1.0
        until = window_start + SECONDS
        for process in clients:
            assert process.stdin is not None
            process.stdin.write(f"{until}\n")
            process.stdin.flush()
        time.sleep(max(0.0, window_start - time.monotonic()))
        cpu_before = _cpu_seconds(server.pid)
        time.sleep(max(0.0, until - time.monotonic()))
        cpu = (_cpu_seconds(server.pid) - cpu_before) / SECONDS
        for process in clients:
            if process.wait(timeout=120) != 0:
                raise RuntimeError(f"a client process failed (exit {process.returncode})")
    finally:
        server.terminate()
        server.wait(timeout=30)
    lateness: list[float] = []
    for out in outs:
        with open(out) as file:
            lateness.extend(
                arrived - due for due, arrived in json.load(file) if window_start <= due < until - 1.0
            )
    # Frames due in the last second of the window may still be in flight when the clients stop.
    expected = CLIENTS * round((SECONDS - 1.0) / PERIOD)
    quantiles = statistics.quantiles(lateness, n=100)
    return {
        "frames": len(lateness),
        "expected": expected,
        "p50": quantiles[49] * 1000,
        "p99": quantiles[98] * 1000,
        "max": max(lateness) * 1000,
        "cpu": cpu,
    }


def run() -> None:
    """Print the lateness and CPU of the app's live feed next to a bare websockets broadcast."""
    import tempfile

    print(
        f"weighbridge /process/ws: {CLIENTS:,} clients, a frame every {PERIOD * 1000:.0f} ms,"
        f" measured over {SECONDS:g} s (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        bare = _measure("bare", tmp)
        app = _measure("app", tmp)
    for name, m in (("bare websockets broadcast", bare), ("hub + stream_frames", app)):
        print(
            f"  {name:26s} frames {m['frames']:>7,}/{m['expected']:,}  lateness p50 {m['p50']:6.1f} ms"
            f"  p99 {m['p99']:6.1f} ms ({m['p99'] / bare['p99']:.1f}x)  max {m['max']:7.1f} ms"
            f"  server CPU {m['cpu'] * 100:5.1f}% of a core ({m['cpu'] / bare['cpu']:.1f}x)"
        )
    met = app["p99"] <= AIM_P99_MS and app["cpu"] <= AIM_CPU
    verdict = "met" if met else "MISSED"
    print(f"  aim: p99 at most {AIM_P99_MS:g} ms, server CPU at most {AIM_CPU * 100:g}%: {verdict}")


if __name__ == "__main__":
    mode, *rest = sys.argv[1:] or ["run"]
    if mode == "serve":
        serve(rest[0], int(rest[1]), float(rest[2]))
    elif mode == "client":
        client(int(rest[0]), int(rest[1]), float(rest[2]), rest[3])
    else:
        run()

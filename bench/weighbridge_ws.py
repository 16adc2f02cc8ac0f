"""Weighbridge: 1,000 WebSocket clients on `/process/ws`, a frame every 200 ms for 30 s, one server process.

The server is one uvicorn process (`python -m bench.weighbridge_ws serve app ...`) running the weighbridge
app itself, on a migrated SQLite file, without devices (`devices=False`): its `/process/ws` route checks
the `?token=` of a superuser and streams the app's live hub (`MemoryHub`, one subscription per socket,
`stream_frames`). Instead of the bridge, a part of the app publishes the `/process/ws` frame (the
document's keys) on the topic the route reads, on a fixed 200 ms grid;
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
PHONE = "+998901234567"
SECRET = "weighbridge-bench-secret-key-of-32-bytes-or-more"
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


def _app(start: float, var_dir: str) -> tuple[Any, str]:
    """The weighbridge app without devices, its hub fed on the grid; and a superuser's token."""
    # Imported here: the client processes need none of it (imports are slow on a loaded machine).
    from opsuite.core.migrations import upgrade
    from opsuite.core.realtime import MemoryHub
    from opsuite.core.web import Lifetime, Part
    from opsuite.weighbridge.app import create_app
    from opsuite.weighbridge.runtime import build_runtime
    from opsuite.weighbridge.settings import WeighbridgeSettings
    from opsuite.weighbridge.users import service as users_service

    url = f"sqlite:///{var_dir}/weighbridge.sqlite3"
    upgrade("opsuite.weighbridge", url)
    settings = WeighbridgeSettings(
        database_url=url, secret_key=SECRET, devices=False, simulators=False, core={"var_dir": var_dir}
    )
    runtime = build_runtime(settings)
    with runtime.database.session() as session:
        user, _ = users_service.set_superuser(session, phone=PHONE, password=SECRET)
        token = users_service.issue_token(user, key=settings.signing_key, minutes=60)
    hub = MemoryHub()
    runtime.hub = hub
    tasks: list[asyncio.Task[None]] = []

    def start_grid() -> None:
        tasks.append(
            asyncio.get_running_loop().create_task(_grid(start, lambda n: hub.publish(TOPIC, frame(n))))
        )

    def stop_grid() -> None:
        tasks[0].cancel()

    grid = Part("bench frames on the 200 ms grid", start_grid, stop_grid)
    app = create_app(settings, runtime=runtime, lifetime=Lifetime(parts=[grid]))
    if not any(getattr(route, "path", None) == PATH for route in app.router.routes):
        _stand_in(app, hub)
    return app, token


def _stand_in(app: Any, hub: Any) -> None:
    """`/process/ws` as the system serves it (hub subscription, `stream_frames`), for an app without one."""
    from fastapi import WebSocket

    from opsuite.core.web.sockets import stream_frames

    async def process_ws(websocket: WebSocket) -> None:
        await websocket.accept()
        with hub.subscribe(TOPIC) as subscription:
            await stream_frames(websocket, subscription)

    process_ws.__annotations__["websocket"] = WebSocket  # the module's annotations are strings
    app.add_api_websocket_route(PATH, process_ws)
    app.state.bench_stand_in = True


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


def serve(kind: str, port: int, start: float, var_dir: str) -> None:
    """Serve the live feed of `kind` (`app` or `bare`) on 127.0.0.1:`port`, frames due from `start`.

    The app's token for `?token=` is written to `var_dir/token` once it listens' database is ready.
    """
    if kind == "bare":
        import uvloop

        with open(f"{var_dir}/token", "w") as file:
            file.write("none")
        uvloop.run(_bare(port, start))
        return
    import uvicorn

    app, token = _app(start, var_dir)
    with open(f"{var_dir}/route", "w") as file:
        file.write("a stand-in route" if getattr(app.state, "bench_stand_in", False) else "the app's route")
    with open(f"{var_dir}/token", "w") as file:
        file.write(token)
    uvicorn.run(
        app, host="127.0.0.1", port=port, workers=1, log_level="warning", access_log=False, backlog=2048
    )


# --- clients -----------------------------------------------------------------------------------------------


async def _clients(port: int, count: int, start: float, token: str) -> list[tuple[float, float]]:
    """Open `count` sockets, say `ready`, read until the time given on stdin; (due, arrival) of each frame."""
    from websockets.asyncio.client import connect

    seen: list[tuple[float, float]] = []
    sockets = [
        await connect(f"ws://127.0.0.1:{port}{PATH}?token={token}", compression=None, open_timeout=120)
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


def client(port: int, count: int, start: float, token: str, out: str) -> None:
    """Run `count` clients; write (due, arrival) of every frame they received to `out`."""
    import uvloop

    seen = uvloop.run(_clients(port, count, start, token))
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


def _wait_listening(port: int, process: subprocess.Popen[bytes], within: float = 180.0) -> None:
    """Wait until the server accepts connections (imports and a migration are slow on a loaded machine)."""
    give_up = time.monotonic() + within
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise RuntimeError(f"the server ended (exit {process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not listen within {within:g} s")


def _measure(kind: str, tmp: str) -> dict[str, float]:
    port = _free_port()
    start = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.weighbridge_ws", "serve", kind, str(port), str(start), tmp]
    )
    try:
        _wait_listening(port, server)
        with open(f"{tmp}/token") as file:
            token = file.read()
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
                    token,
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
        with open(f"{tmp}/route") as file:
            route = file.read()
    print(f"  the weighbridge app serves {route} on {PATH}")
    for name, m in (("bare websockets broadcast", bare), ("weighbridge /process/ws", app)):
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
        serve(rest[0], int(rest[1]), float(rest[2]), rest[3])
    elif mode == "client":
        client(int(rest[0]), int(rest[1]), float(rest[2]), rest[3], rest[4])
    else:
        run()

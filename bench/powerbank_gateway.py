"""Powerbank: 10,000 simulated cabinets on one gateway process, heartbeats running; memory per connection.

The gateway runs in a child process (`python -m bench.powerbank_gateway gateway`), so running out of
descriptors or memory fails that process, not the bench. The cabinets are `CabinetSimulator`s in this
process, dialling in batches (the listen backlog is finite), with a short heartbeat so that every cabinet
heart-beats a few times during the measured window. The figure is the child's RSS growth from listening
to all connected, divided by the connections. The reference, in the same run, is a bare asyncio server in
its own child process (`... bare`) that answers the same frames (login reply, heartbeat echo) from a
protocol object per connection with no checks: what a connection costs at the least.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import threading
import time
from typing import Any

from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.gateway import TcpCabinetGateway
from opsuite.powerbank.devices.interface import InventoryReport, LoginReport, SlotRecord
from opsuite.powerbank.devices.simulator import CabinetSimulator

CABINETS = int(os.environ.get("BENCH_PB_CABINETS", "10000"))
BATCH = 250
HEARTBEAT_S = 5
WINDOW_S = 12.0
"""Seconds measured with every cabinet connected: two heartbeats or more each."""
KEY = b"BENCHKEY"
AIM_BYTES = 10 * 1024
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


def box_id(n: int) -> str:
    """A 16-character box id."""
    return f"BENCH{n:011d}"


# --- child processes -------------------------------------------------------------------------------------


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


class _QuietEvents:
    """CabinetEvents that count, as a domain that does nothing would."""

    def __init__(self) -> None:
        self.logins = 0

    async def on_login(self, report: LoginReport) -> None:
        self.logins += 1

    async def on_inventory(self, report: InventoryReport) -> None:
        return None

    async def on_return(self, station_id: str, slot: int, powerbank_id: str, record: SlotRecord) -> int:
        return 1

    async def on_slot_abnormal(self, station_id: str, slot: int, event: int, terminal_id: str) -> None:
        return None

    async def on_offline(self, station_id: str, reason: str) -> None:
        return None


async def _same_key(station_id: str) -> bytes | None:
    return KEY


class _BareCabinet(asyncio.Protocol):
    """The least a server can do per connection: split frames, answer a login, echo a heartbeat."""

    connected = 0
    heartbeats = 0
    LOGIN_REPLY = p.LoginReply(1, 0, 0).encode(KEY)

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        _BareCabinet.connected += 1

    def connection_lost(self, exc: Exception | None) -> None:
        _BareCabinet.connected -= 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= 2:
            size = 2 + int.from_bytes(self.buffer[:2], "big")
            if len(self.buffer) < size:
                return
            frame, self.buffer = bytes(self.buffer[:size]), self.buffer[size:]
            assert self.transport is not None
            if frame[2] == p.CMD_LOGIN:
                self.transport.write(self.LOGIN_REPLY)
            elif frame[2] == p.CMD_HEARTBEAT:
                _BareCabinet.heartbeats += 1
                self.transport.write(frame)


async def _serve(kind: str) -> None:
    loop = asyncio.get_running_loop()
    if kind == "gateway":
        events = _QuietEvents()
        gateway = TcpCabinetGateway(_same_key, events, inventory_after_events=False)
        port = await gateway.start("127.0.0.1", 0)

        def stats() -> dict[str, Any]:
            online = sum(1 for station in gateway.status() if gateway.online(station))
            return {"online": online, "logins": events.logins}

    else:
        server = await loop.create_server(_BareCabinet, "127.0.0.1", 0, backlog=1024)
        port = server.sockets[0].getsockname()[1]

        def stats() -> dict[str, Any]:
            return {"online": _BareCabinet.connected, "heartbeats": _BareCabinet.heartbeats}

    print(json.dumps({"port": port, "rss": _rss(), "cpu": _cpu()}), flush=True)
    done = asyncio.Event()

    def read_commands() -> None:
        for _line in sys.stdin:
            future = asyncio.run_coroutine_threadsafe(_report(stats), loop)
            print(json.dumps(future.result()), flush=True)
        loop.call_soon_threadsafe(done.set)

    threading.Thread(target=read_commands, daemon=True).start()
    await done.wait()


async def _report(stats: Any) -> dict[str, Any]:
    return {**stats(), "rss": _rss(), "cpu": _cpu()}


# --- the bench ---------------------------------------------------------------------------------------------


class _Child:
    """A gateway (or bare) process answering `stats` requests on its stdin."""

    def __init__(self, kind: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.powerbank_gateway", kind],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.start = self._line()
        self.port: int = self.start["port"]

    def _line(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.process.args[-1]} process ended (exit {self.process.wait()})")
        data: dict[str, Any] = json.loads(line)
        return data

    def stats(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write("stats\n")
        self.process.stdin.flush()
        return self._line()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def _connect_all(port: int) -> list[CabinetSimulator]:
    cabinets: list[CabinetSimulator] = []
    for start in range(0, CABINETS, BATCH):
        batch = [
            CabinetSimulator(
                box_id(n),
                KEY,
                host="127.0.0.1",
                port=port,
                slots=4,
                banks={1: f"44434841{n:08X}"},
                heartbeat_s=HEARTBEAT_S,
                reconnect_delay=None,
            )
            for n in range(start, min(start + BATCH, CABINETS))
        ]
        for sim in batch:
            await sim.start()
        await asyncio.gather(*(sim.wait_logged_in(timeout=60) for sim in batch))
        cabinets.extend(batch)
    return cabinets


async def _measure(kind: str) -> dict[str, Any]:
    child = _Child(kind)
    cabinets: list[CabinetSimulator] = []
    try:
        started = time.perf_counter()
        cabinets = await _connect_all(child.port)
        connect_s = time.perf_counter() - started
        await asyncio.sleep(1.0)
        before = await asyncio.to_thread(child.stats)
        await asyncio.sleep(WINDOW_S)
        after = await asyncio.to_thread(child.stats)
        logged_in = sum(1 for sim in cabinets if sim.logged_in)
        heartbeats = sum(sum(isinstance(m, p.Heartbeat) for m in sim.received) for sim in cabinets)
    finally:
        for sim in cabinets:
            await sim.stop()
        child.close()
    return {
        "connect_s": connect_s,
        "online": after["online"],
        "logged_in": logged_in,
        "heartbeats_echoed": heartbeats,
        "per_connection": (after["rss"] - child.start["rss"]) / CABINETS,
        "cpu_share": (after["cpu"] - before["cpu"]) / WINDOW_S,
    }


def _descriptors() -> tuple[int, int]:
    """Raise the soft descriptor limit to the hard one; both, after."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def run() -> None:
    """Print the gateway's connections and memory per connection next to the bare server's."""
    soft, hard = _descriptors()
    print(f"powerbank gateway: {CABINETS:,} simulated cabinets on loopback, heartbeat every {HEARTBEAT_S} s")
    print(f"  ulimit -n {soft} (hard {hard}); each process needs {CABINETS:,} + a few descriptors")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if soft < CABINETS + 64:
        print(f"  SKIPPED: raise `ulimit -n` above {CABINETS + 64} to run this benchmark")
        return
    bare = asyncio.run(_measure("bare"))
    gateway = asyncio.run(_measure("gateway"))
    for name, m in (("bare asyncio protocol", bare), ("TcpCabinetGateway", gateway)):
        ratio = m["per_connection"] / bare["per_connection"]
        print(
            f"  {name:22s} online {m['online']:>6,}/{CABINETS:,} (cabinets logged in {m['logged_in']:,}),"
            f" {m['per_connection'] / 1024:5.1f} KB per connection ({ratio:.1f}x),"
            f" CPU {m['cpu_share'] * 100:4.1f}% of a core while heart-beating,"
            f" {m['heartbeats_echoed']:,} heartbeats echoed in all, all connected in {m['connect_s']:.1f} s"
        )
    verdict = "met" if gateway["online"] == CABINETS and gateway["per_connection"] <= AIM_BYTES else "MISSED"
    print(f"  aim: all {CABINETS:,} connected, at most {AIM_BYTES // 1024} KB each: {verdict}")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] in ("gateway", "bare"):
        asyncio.run(_serve(sys.argv[1]))
    else:
        run()

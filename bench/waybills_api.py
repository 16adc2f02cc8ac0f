"""Waybills API on one uvicorn worker: waybill detail and a list of 100 as ratios to a bare JSON route."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx
from sqlalchemy import select

from bench import httpload
from bench.fixtures import ADMIN_LOGIN, ADMIN_PASSWORD, passenger_car, sqlite_url
from opsuite.core.db import Database
from opsuite.waybills.kinds import PASSENGER
from opsuite.waybills.sheets import service as sheets_service
from opsuite.waybills.sheets.schemas import PassengerCarRecordIn, WaybillIn
from opsuite.waybills.users.models import User

WAYBILLS = 120
RECORDS_PER_WAYBILL = 2
LISTED = 100
FIRST_DAY = dt.date(2025, 1, 1)
CONNECTIONS = 8
WARMUP_SECONDS = 0.5
ROUNDS = 5
ROUND_SECONDS = 1.0
AIM_DETAIL = 0.30
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Rate:
    """Requests per second through the socket, and server CPU seconds per request (NaN without /proc)."""

    per_second: float
    cpu_per_request: float


def build_data(url: str) -> int:
    """A car, its norms and start state, and WAYBILLS waybills on successive days; the middle one's id."""
    database = Database(url)
    try:
        with database.session() as session:
            car_id = passenger_car(session, FIRST_DAY)
            driver_id = session.scalar(select(User.id).where(User.login == ADMIN_LOGIN))
            ids = []
            for n in range(WAYBILLS):
                waybill = sheets_service.create_waybill(
                    session,
                    kind=PASSENGER,
                    body=WaybillIn(car=car_id, driver=driver_id, date=FIRST_DAY + dt.timedelta(days=n + 1),
                                   norm_season="summer", fuel_type="petrol"),
                )  # fmt: skip
                for _ in range(RECORDS_PER_WAYBILL):
                    sheets_service.create_record(
                        session,
                        kind=PASSENGER,
                        body=PassengerCarRecordIn(
                            passenger_car_waybill=waybill.id, target="Поездка в город",
                            departure_time=dt.time(8, 10), arrival_time=dt.time(10, 0), distance_city_km=20,
                            distance_area_km=30, fuel_refueled=Decimal("5.000"), fuel_used=Decimal("5.000")),
                    )  # fmt: skip
                ids.append(waybill.id)
            return int(ids[len(ids) // 2])
    finally:
        database.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/bench/bare").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start within 60 s")


def _login(base: str) -> str:
    response = httpx.post(
        f"{base}/api/auth/login/", json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD, "client": "web"}
    )
    response.raise_for_status()
    return str(response.json()["access"])


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds of process `pid` (all its threads); NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(port: int, pid: int, requests: dict[str, bytes]) -> dict[str, Rate]:
    """Each request after a warm-up, over ROUNDS interleaved rounds: req/s and server CPU per request."""
    for request in requests.values():
        httpload.run(port, request, WARMUP_SECONDS, CONNECTIONS)
    done = dict.fromkeys(requests, 0)
    wall = dict.fromkeys(requests, 0.0)
    cpu = dict.fromkeys(requests, 0.0)
    for _ in range(ROUNDS):
        for name, request in requests.items():
            cpu_before = _cpu_seconds(pid)
            count, seconds = httpload.run(port, request, ROUND_SECONDS, CONNECTIONS)
            cpu[name] += _cpu_seconds(pid) - cpu_before
            done[name] += count
            wall[name] += seconds
    return {name: Rate(done[name] / wall[name], cpu[name] / done[name]) for name in requests}


def run() -> None:
    """Build the data, start one worker, measure, and print the ratios."""
    with tempfile.TemporaryDirectory(prefix="opsuite-bench-api-") as tmp:
        url = sqlite_url(Path(tmp))
        detail_id = build_data(url)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.waybills_server", url, tmp, str(port)],
            cwd=ROOT,  # `-m` puts the working directory first on sys.path
        )
        try:
            _wait_ready(base, server)
            auth = {"Authorization": f"Bearer {_login(base)}"}
            first = FIRST_DAY + dt.timedelta(days=11)
            last = first + dt.timedelta(days=LISTED - 1)
            list_path = f"/api/passenger-car-waybills/?date_from={first}&date_to={last}"
            detail_path = f"/api/passenger-car-waybills/{detail_id}/"
            listed = httpx.get(base + list_path, headers=auth).json()
            assert len(listed) == LISTED, f"the list returned {len(listed)} waybills, not {LISTED}"
            assert httpx.get(base + detail_path, headers=auth).json()["id"] == detail_id
            rates = _measure(
                port,
                server.pid,
                {
                    "bare": httpload.request_bytes("/bench/bare"),
                    "bare_sync": httpload.request_bytes("/bench/bare-sync"),
                    "detail": httpload.request_bytes(detail_path, auth),
                    "list": httpload.request_bytes(list_path, auth),
                },
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    _report(rates)


def _report(rates: dict[str, Rate]) -> None:
    installed = [name for name in ("uvloop", "httptools") if importlib.util.find_spec(name)]
    bare = rates["bare"]
    print("waybills API: one uvicorn worker, SQLite, the bare routes mounted on the same app")
    print(
        f"  server: {', '.join(installed) or 'asyncio, h11'}; load: {CONNECTIONS} keep-alive connections, "
        f"{ROUNDS} interleaved rounds of {ROUND_SECONDS:.1f} s each after {WARMUP_SECONDS} s of warm-up"
    )
    print(f"  {'endpoint':<38} {'req/s':>9} {'ratio':>7}   {'server CPU/req':>14} {'CPU ratio':>9}")
    rows = (
        ("bare JSON route (async def)", "bare"),
        ("bare JSON route (def, thread pool)", "bare_sync"),
        ("GET one waybill (Bearer)", "detail"),
        (f"GET list of {LISTED} waybills (Bearer)", "list"),
    )
    for label, key in rows:
        rate = rates[key]
        line = f"  {label:<38} {rate.per_second:9,.0f} {rate.per_second / bare.per_second:7.3f}"
        if not math.isnan(rate.cpu_per_request) and bare.cpu_per_request > 0:
            cpu_ratio = bare.cpu_per_request / rate.cpu_per_request
            line += f"   {rate.cpu_per_request * 1e6:11,.0f} us {cpu_ratio:9.3f}"
        print(line)
    detail = rates["detail"].per_second / bare.per_second
    verdict = "met" if detail >= AIM_DETAIL else "NOT met"
    print(f"  aim: detail >= {AIM_DETAIL:.2f} of bare (req/s) -> {detail:.3f}, {verdict}")
    print(f"  list of {LISTED} / bare (req/s): {rates['list'].per_second / bare.per_second:.3f} (no aim)")
    print(
        f"  note: {os.cpu_count()} CPU cores shared by the worker, the load generator (this process, raw "
        "asyncio sockets) and anything else running; the CPU ratio (bare CPU per request / endpoint CPU "
        "per request, from /proc) is the cross-check that such contention does not move"
    )

"""What the campaign needs per system: settings for the served process, how to log in, what to protect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

# The demo principals (see each system's demo.py); the brief names these.
WAYBILLS_LOGIN = {"login": "admin", "password": "admin123", "client": "web"}
SCALES_LOGIN = {"username": "demo@example.com", "password": "demo1234"}


@dataclass
class Access:
    """Headers for every generated request, the protect rules for the guard hook, and what was done."""

    headers: dict[str, str] = field(default_factory=dict)
    rules: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    """One system as the campaign serves and attacks it."""

    name: str
    env: Callable[[int, dict[str, int]], dict[str, str]]
    """Extra settings for the served process, given the run's budget (seconds) and reserved ports."""
    extra_ports: tuple[str, ...]
    prepare: Callable[[httpx.Client, dict[str, int]], Access]
    probe: str
    """An authenticated GET that answers 200 while the campaign's credentials still work."""


def _first_other(rows: Any, own: int) -> int:
    """The id of the first row that is not `own` (the decoy the guard sends writes to)."""
    for row in rows if isinstance(rows, list) else rows.get("results", []):
        if row["id"] != own:
            return int(row["id"])
    raise RuntimeError(f"no decoy row besides id {own}")


def _checked(response: httpx.Response) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(
            f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
        )
    return response.json()


def _waybills_env(budget: int, ports: dict[str, int]) -> dict[str, str]:
    # The token must outlive the run: the campaign logs in once.
    return {"OPSUITE_WAYBILLS_ACCESS_TOKEN_MINUTES": str(budget // 60 + 30)}


def _waybills_prepare(client: httpx.Client, ports: dict[str, int]) -> Access:
    login = _checked(client.post("/api/auth/login/", json=WAYBILLS_LOGIN))
    headers = {"Authorization": f"Bearer {login['access']}"}
    user_id, role_id = int(login["user"]["id"]), int(login["user"]["role"])
    permission_id = int(_checked(client.get("/api/permissions/current/", headers=headers))["id"])
    users = _checked(client.get("/api/users/", headers=headers))
    roles = _checked(client.get("/api/roles/", headers=headers))
    permissions = _checked(client.get("/api/permissions/", headers=headers))
    rules = [
        {"path": "/api/users/{item_id}/", "param": "item_id", "protected": user_id,
         "decoy": _first_other(users, user_id)},
        {"path": "/api/roles/{item_id}/", "param": "item_id", "protected": role_id,
         "decoy": _first_other(roles, role_id)},
        {"path": "/api/permissions/{item_id}/", "param": "item_id", "protected": permission_id,
         "decoy": _first_other(permissions, permission_id)},
    ]  # fmt: skip
    notes = [
        f"logged in as {WAYBILLS_LOGIN['login']} (user {user_id}, role {role_id}, permissions {permission_id})"
    ]
    return Access(headers, rules, notes)


def _scales_env(budget: int, ports: dict[str, int]) -> dict[str, str]:
    # Our own simulator port, never the default 1111 another engineer's simulator may hold; short device
    # timeouts so a generated device at an unreachable address costs 3 s, not 12 s, of the budget.
    return {
        "OPSUITE_SCALES_SIMULATOR_PORT": str(ports["simulator"]),
        "OPSUITE_SCALES_SCALE_TIMEOUT": "1.0",
        "OPSUITE_SCALES_SCALE_DEADLINE": "3.0",
    }


def _scales_prepare(client: httpx.Client, ports: dict[str, int]) -> Access:
    token = _checked(client.post("/auth/login", data=SCALES_LOGIN))["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    devices = _checked(client.get("/devices", headers=headers))
    moved = []
    for device in devices:
        if device["port"] == 1111:  # the demo device: point it at this run's simulator
            _checked(
                client.put(f"/devices/{device['id']}", json={"port": ports["simulator"]}, headers=headers)
            )
            moved.append(device["id"])
    # Generated device passwords almost never meet the 4-character rule, so generated creations fail:
    # a few more devices let generated small ids reach the device code (one answers, one refuses).
    seeded = []
    for name, port in (
        ("Весы 2 (симулятор)", ports["simulator"]),
        ("Весы 3 (закрытый порт)", ports["closed"]),
    ):
        device = {"name": name, "ip": "127.0.0.1", "port": port, "password": "1234"}
        seeded.append(_checked(client.post("/devices", json=device, headers=headers))["id"])
    notes = [
        f"logged in as {SCALES_LOGIN['username']}; demo device(s) {moved} moved to simulator port {ports['simulator']}",
        f"devices {seeded} added: one more on the simulator, one on the closed port {ports['closed']}",
    ]
    return Access(headers, [], notes)


def _production_env(budget: int, ports: dict[str, int]) -> dict[str, str]:
    return {}


def _production_prepare(client: httpx.Client, ports: dict[str, int]) -> Access:
    _checked(client.get("/api/batches"))
    return Access(notes=["no login: the document's API has no authentication"])


TARGETS: dict[str, Target] = {
    "waybills": Target("waybills", _waybills_env, (), _waybills_prepare, "/api/auth/me/"),
    "production": Target("production", _production_env, (), _production_prepare, "/api/batches"),
    "scales": Target("scales", _scales_env, ("simulator", "closed"), _scales_prepare, "/devices"),
}

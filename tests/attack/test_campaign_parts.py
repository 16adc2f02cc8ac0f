"""The campaign's own parts: the guard's redirect, the budget split, and reading an NDJSON event log."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.attack import schemathesis_guard
from tests.attack.campaign_findings import Findings, category, documented_5xx, table
from tests.attack.schemathesis_campaign import Leg, legs

RULES = [{"path": "/api/users/{item_id}/", "param": "item_id", "protected": 1, "decoy": 2}]


@pytest.mark.parametrize(
    ("method", "path", "params", "expected"),
    [
        ("PUT", "/api/users/{item_id}/", {"item_id": 1}, {"item_id": 2}),
        ("DELETE", "/api/users/{item_id}/", {"item_id": "1"}, {"item_id": 2}),
        ("GET", "/api/users/{item_id}/", {"item_id": 1}, None),
        ("PATCH", "/api/users/{item_id}/", {"item_id": 3}, None),
        ("PATCH", "/api/roles/{item_id}/", {"item_id": 1}, None),
    ],
)
def test_guard_sends_writes_to_the_protected_row_to_the_decoy(
    monkeypatch: pytest.MonkeyPatch, method: str, path: str, params: dict[str, object], expected: object
) -> None:
    monkeypatch.setattr(schemathesis_guard, "RULES", RULES)
    assert schemathesis_guard.redirect(method, path, params) == expected


def test_budget_split_gives_stateful_its_own_run() -> None:
    assert legs("examples,coverage,fuzzing,stateful", 120, 0.4) == [
        Leg("stateless", "examples,coverage,fuzzing", 72),
        Leg("stateful", "stateful", 48),
    ]
    assert legs("examples,coverage,fuzzing,stateful", 120, 0) == [
        Leg("all", "examples,coverage,fuzzing,stateful", 120)
    ]
    assert legs("fuzzing", 60, 0.4) == [Leg("all", "fuzzing", 60)]


def test_categories_of_failure_codes() -> None:
    assert [category(code) for code in ("ST101", "ST102", "ST108", "ST103", "ST105", "ST202")] == [
        "server_error", "server_error", "schema_violation", "undocumented_status", "content_type", "other",
    ]  # fmt: skip


def _b64(text: str) -> dict[str, str]:
    return {"$base64": base64.b64encode(text.encode()).decode()}


def _scenario(
    case_id: str, status: int, failure_code: str | None, path: str = "/api/x/"
) -> dict[str, object]:
    checks = [{"name": "not_a_server_error", "status": "success"}]
    if failure_code:
        failure = {"code": failure_code, "operation": f"POST {path}", "title": "Server error"}
        checks.append({"name": "c", "status": "failure", "failure_info": {"failure": failure}})
    case = {"method": "POST", "path": path, "meta": {"phase": {"name": "fuzzing"}}}
    request = {
        "method": "POST",
        "uri": "http://127.0.0.1:1/api/x/?a=1",
        "headers": {"Content-Type": ["application/json"]},
        "body": _b64('{"login": "\\u0000"}'),
    }
    response = {"status_code": status, "content": _b64("Internal Server Error")}
    recorder = {
        "label": f"POST {path}",
        "cases": {case_id: {"value": case}},
        "checks": {case_id: checks},
        "interactions": {case_id: {"request": request, "response": response}},
    }
    return {"ScenarioFinished": {"recorder": recorder}}


def test_findings_count_each_case_once_and_keep_the_5xx_reproducer(tmp_path: Path) -> None:
    events = [
        _scenario("A", 500, "ST101"),
        _scenario("A", 500, "ST101"),
        _scenario("B", 201, None),
        _scenario("C", 503, "ST101", "/devices/{device_id}/test"),
    ]
    log = tmp_path / "events.ndjson"
    log.write_text("\n".join(json.dumps(event) for event in events) + '\n{"Scenario', encoding="utf-8")
    openapi = {"paths": {"/devices/{device_id}/test": {"post": {"responses": {"200": {}, "503": {}}}}}}
    summary = Findings(documented=documented_5xx(openapi)).read(log).summary()
    assert summary["requests"] == 3
    assert summary["statuses"] == {"201": 1, "500": 1, "503": 1}
    assert (summary["responses_5xx"], summary["responses_5xx_documented"]) == (1, 1)
    assert summary["truncated_event_lines"] == 1
    assert summary["findings"] == {
        "server_error": 1,
        "schema_violation": 0,
        "undocumented_status": 0,
        "content_type": 0,
        "other": 1,
    }
    assert [(case["operation"], case["documented"]) for case in summary["reproducers_5xx"]] == [
        ("POST /api/x/", False), ("POST /devices/{device_id}/test", True),
    ]  # fmt: skip
    assert summary["reproducers_5xx"][0] == {
        "operation": "POST /api/x/", "status": 500, "documented": False, "method": "POST", "path": "/api/x/?a=1",
        "headers": {"Content-Type": "application/json"}, "body": '{"login": "\\u0000"}',
        "response": "Internal Server Error", "phase": "fuzzing",
    }  # fmt: skip
    run = {"system": "waybills", "db": "sqlite", **summary, "errors": [], "server": {}}
    assert table([run]).splitlines()[2] == "| waybills | sqlite | 3 | 1 | 1 | 1 | 0 | 0 | 0 | 1 | 0 | ok |"

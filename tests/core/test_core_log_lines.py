"""Every log line names its system; a JSON line carries no terminal colour codes."""

from __future__ import annotations

import json
import logging

from opsuite.core.logs import JsonFormatter, RequestIdFilter, system_var


def _formatted(name: str, **extra: object) -> dict[str, object]:
    record = logging.makeLogRecord({"name": name, "levelname": "INFO", "msg": "Started", **extra})
    assert RequestIdFilter().filter(record)
    parsed: dict[str, object] = json.loads(JsonFormatter().format(record))
    return parsed


def test_a_json_line_names_its_system_and_drops_uvicorns_coloured_copy() -> None:
    token = system_var.set("waybills")
    try:
        line = _formatted("uvicorn.error", color_message="\x1b[32mStarted\x1b[0m")
    finally:
        system_var.reset(token)
    assert (line["system"], line["message"], "color_message" in line) == ("waybills", "Started", False)


def test_a_line_outside_any_request_names_its_system_by_its_logger() -> None:
    assert _formatted("opsuite.scales.autoupdate.service")["system"] == "scales"
    assert _formatted("celery.worker")["system"] == "-"

"""Read a schemathesis NDJSON event log: count and classify findings, keep reproducers of every 5xx."""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Schemathesis failure codes (`st explain CODE`) grouped the way the issue counts them.
CATEGORIES: dict[str, frozenset[str]] = {
    "server_error": frozenset({"ST101", "ST102"}),
    "schema_violation": frozenset({"ST108", "ST109", "ST110", "ST111"}),
    "undocumented_status": frozenset({"ST103"}),
    "content_type": frozenset({"ST104", "ST105", "ST106"}),
}
CATEGORY_ORDER = (*CATEGORIES, "other")
REPRODUCERS_PER_KIND = 3
EXCERPT = 400


def category(code: str) -> str:
    """The issue's category of a schemathesis failure code."""
    return next((name for name, codes in CATEGORIES.items() if code in codes), "other")


def documented_5xx(openapi: dict[str, Any]) -> dict[str, frozenset[int]]:
    """The 5xx statuses each operation ("METHOD /path") declares, e.g. scales' 502/503/504 for a scale's faults."""
    documented: dict[str, frozenset[int]] = {}
    for path, operations in (openapi.get("paths") or {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and "responses" in operation:
                codes = {str(code).upper() for code in operation["responses"]}
                statuses = {int(code) for code in codes if code.isdigit() and code.startswith("5")}
                statuses |= set(range(500, 600)) if "5XX" in codes else set()
                documented[f"{method.upper()} {path}"] = frozenset(statuses)
    return documented


def decode(payload: Any, limit: int = 2000) -> str | None:
    """A recorded body as text (bytes come base64-encoded in the log), cut to `limit` characters."""
    if payload is None:
        return None
    if isinstance(payload, dict) and "$base64" in payload:
        raw = base64.b64decode(payload["$base64"])
        text = raw.decode("utf-8", errors="backslashreplace")
    else:
        text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"... [{len(text)} chars]"


@dataclass
class Findings:
    """What one run's event log holds."""

    documented: dict[str, frozenset[int]] = field(default_factory=dict)
    """5xx statuses the contract declares per operation: answers, not crashes (see `documented_5xx`)."""
    requests: int = 0
    server_errors: int = 0
    documented_server_errors: int = 0
    _crashed_operations: set[str] = field(default_factory=set)
    truncated_lines: int = 0
    no_response: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failing_cases: Counter[tuple[str, str]] = field(default_factory=Counter)
    titles: dict[str, str] = field(default_factory=dict)
    reproducers: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    _seen_cases: set[str] = field(default_factory=set)
    _seen_checks: set[tuple[str, str]] = field(default_factory=set)

    def read(self, path: Path) -> Findings:
        """Fold every event of the NDJSON file at `path` into these findings."""
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:  # the last line of a log whose writer was killed
                    self.truncated_lines += 1
                    continue
                if "ScenarioFinished" in event:
                    self._scenario(event["ScenarioFinished"])
                elif "NonFatalError" in event:
                    error = event["NonFatalError"]
                    value = error.get("value") or {}
                    message = f"{value.get('type', '?')}: {str(value.get('message', ''))[:200]}"
                    self.errors[(error.get("label", "?"), message)] += 1
        return self

    def _scenario(self, scenario: dict[str, Any]) -> None:
        recorder = scenario.get("recorder") or {}
        cases = {case_id: entry["value"] for case_id, entry in (recorder.get("cases") or {}).items()}
        # A stateful scenario may be reported more than once; count each case id and check once.
        for case_id, interaction in (recorder.get("interactions") or {}).items():
            if case_id in self._seen_cases:
                continue
            self._seen_cases.add(case_id)
            self._interaction(cases.get(case_id, {}), interaction)
        for case_id, checks in (recorder.get("checks") or {}).items():
            for check in checks:
                failure = (check.get("failure_info") or {}).get("failure")
                if not failure or (case_id, check.get("name", "")) in self._seen_checks:
                    continue
                self._seen_checks.add((case_id, check.get("name", "")))
                operation = failure.get("operation") or recorder.get("label", "?")
                self.failing_cases[(failure["code"], operation)] += 1
                self.titles.setdefault(failure["code"], failure.get("title", ""))

    def _interaction(self, case: dict[str, Any], interaction: dict[str, Any]) -> None:
        self.requests += 1
        response = interaction.get("response")
        if not response:
            self.no_response += 1
            return
        status = int(response["status_code"])
        self.statuses[status] += 1
        if status < 500:
            return
        request = interaction["request"]
        operation = f"{case.get('method', request['method'])} {case.get('path', '?')}"
        documented = status in self.documented.get(operation, frozenset())
        if documented:
            self.documented_server_errors += 1
        else:
            self.server_errors += 1
            self._crashed_operations.add(operation)
        kept = self.reproducers.setdefault((operation, status), [])
        if len(kept) < REPRODUCERS_PER_KIND:
            uri = urlsplit(request["uri"])
            headers = {
                k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in request["headers"].items()
            }
            kept.append({
                "operation": operation,
                "status": status,
                "documented": documented,
                "method": request["method"],
                "path": uri.path + (f"?{uri.query}" if uri.query else ""),
                "headers": headers,
                "body": decode(request.get("body")),
                "response": decode(response.get("content"), EXCERPT),
                "phase": ((case.get("meta") or {}).get("phase") or {}).get("name"),
            })  # fmt: skip

    def summary(self) -> dict[str, Any]:
        """Counts per category (distinct code x operation, and failing cases), per code, and the 5xx."""
        unique: Counter[str] = Counter()
        cases: Counter[str] = Counter()
        by_code: dict[str, dict[str, Any]] = {}
        for (code, operation), count in sorted(self.failing_cases.items()):
            name = category(code)
            if name == "server_error" and operation not in self._crashed_operations:
                name = "other"  # only 5xx the contract declares for this operation (a device's fault)
            unique[name] += 1
            cases[name] += count
            entry = by_code.setdefault(
                code, {"title": self.titles.get(code, ""), "category": name, "operations": {}}
            )
            entry["operations"][operation] = count
        return {
            "requests": self.requests,
            "no_response": self.no_response,
            "truncated_event_lines": self.truncated_lines,
            "responses_5xx": self.server_errors,
            "responses_5xx_documented": self.documented_server_errors,
            "statuses": {str(status): n for status, n in sorted(self.statuses.items())},
            "findings": {name: unique[name] for name in CATEGORY_ORDER},
            "failing_cases": {name: cases[name] for name in CATEGORY_ORDER},
            "by_code": by_code,
            "errors": [
                {"label": label, "error": message, "count": n}
                for (label, message), n in self.errors.most_common()
            ],
            "reproducers_5xx": [case for kept in self.reproducers.values() for case in kept],
        }


COLUMNS = ("system", "db", "requests", "5xx resp", "documented 5xx", *CATEGORY_ORDER, "errors", "server")


def table(runs: list[dict[str, Any]]) -> str:
    """A markdown table of the runs: requests, 5xx responses, distinct findings per category, errors."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for run in runs:
        found = run.get("findings") or {}
        server = run.get("server") or {}
        state = (
            "killed (memory)"
            if server.get("killed_for_memory")
            else "died"
            if server.get("died_during_run")
            else "ok"
        )
        if run.get("error"):
            state = "campaign error"
        cells = [
            run["system"], run["db"], run.get("requests", 0), run.get("responses_5xx", 0),
            run.get("responses_5xx_documented", 0),
            *(found.get(name, 0) for name in CATEGORY_ORDER),
            sum(error["count"] for error in run.get("errors", [])), state,
        ]  # fmt: skip
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    return "\n".join(lines)

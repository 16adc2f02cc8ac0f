"""Swagger's "Try it out" as a program: each operation of an OpenAPI document sent with its own examples.

What Swagger UI sends unchanged is what the walk sends: a path or query parameter's `example` (or the first of its
`examples`, or its schema's `default`), a body's `example` (or the first of its `examples`, or the first example
of its schema). A required parameter or a body without one is a failure: Swagger would send "string" or nothing.

Order (deterministic, so that a create runs before what uses it): the document's order with every DELETE moved to
the end, the deletes in reverse document order (a record before its waybill, a waybill before its car).

An operation whose example cannot succeed unchanged says why in its description, after `SKIP_MARKER`; the walk
does not send it and checks that the reason is there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

SKIP_MARKER = "Пример не выполняется как есть:"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Call:
    """One operation as Swagger UI would send it."""

    method: str
    path: str
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    media: str | None = None

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) in the walk's order: document order, deletes last in reverse order."""
    ordered = [
        (method, path, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]
    deletes = [entry for entry in ordered if entry[0] == "delete"]
    return [entry for entry in ordered if entry[0] != "delete"] + deletes[::-1]


def skip_reason(op: dict[str, Any]) -> str | None:
    """The reason the description gives why the example cannot run unchanged, or None."""
    description = op.get("description") or ""
    if SKIP_MARKER not in description:
        return None
    return description.split(SKIP_MARKER, 1)[1].strip().split("\n", 1)[0].strip()


def build(spec: dict[str, Any], method: str, path: str, op: dict[str, Any]) -> Call:
    """The request Swagger UI sends for `op` with its examples; AssertionError names what is missing."""
    call = Call(method, path)
    for parameter in op.get("parameters", []):
        found, value = _parameter_example(spec, parameter)
        if not found:
            assert not parameter.get("required"), f"{call.name}: parameter {parameter['name']} has no example"
            continue
        if parameter["in"] == "path":
            call.path = call.path.replace("{" + parameter["name"] + "}", str(value))
        elif parameter["in"] == "query":
            call.query[parameter["name"]] = value
    body = op.get("requestBody")
    if body is not None:
        media, content = next(iter(body["content"].items()))
        found, value = _media_example(spec, content)
        assert found, f"{call.name}: the {media} body has no example"
        call.body, call.media = value, media
    return call


def _parameter_example(spec: dict[str, Any], parameter: dict[str, Any]) -> tuple[bool, Any]:
    if "example" in parameter:
        return True, parameter["example"]
    if parameter.get("examples"):
        return True, next(iter(parameter["examples"].values()))["value"]
    schema = _resolve(spec, parameter.get("schema", {}))
    if "default" in schema:
        return True, schema["default"]
    return False, None


def _media_example(spec: dict[str, Any], content: dict[str, Any]) -> tuple[bool, Any]:
    if "example" in content:
        return True, content["example"]
    if content.get("examples"):
        return True, next(iter(content["examples"].values()))["value"]
    schema = _resolve(spec, content.get("schema", {}))
    # An optional body is `anyOf: [model, null]`: Swagger shows the model's example.
    alternatives = [_resolve(spec, one) for one in schema.get("anyOf", []) if one.get("type") != "null"]
    schema = alternatives[0] if alternatives else schema
    if "example" in schema:
        return True, schema["example"]
    if schema.get("examples"):
        return True, schema["examples"][0]
    return False, None


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def walk(
    client: Any, spec: dict[str, Any], headers: dict[str, str]
) -> tuple[list[str], list[str], list[str]]:
    """Send every operation's example: (what answered 2xx, what was skipped with its reason, failures)."""
    passed: list[str] = []
    skipped: list[str] = []
    failures: list[str] = []
    for method, path, op in operations(spec):
        reason = skip_reason(op)
        name = f"{method.upper()} {path}"
        if reason is not None:
            if len(reason) < 20:
                failures.append(f"{name}: the description says it does not run but gives no reason")
            skipped.append(name)
            continue
        try:
            call = build(spec, method, path, op)
        except AssertionError as missing:
            failures.append(str(missing))
            continue
        response = _send(client, call, headers)
        if 200 <= response.status_code < 300:
            passed.append(name)
        else:
            failures.append(f"{name} -> {response.status_code} {response.text[:300]}")
    return passed, skipped, failures


def _send(client: Any, call: Call, headers: dict[str, str]) -> Any:
    """Send `call`; a 409 that says "повторите позже" (a job of an earlier example still holds the device) is
    tried again for up to 10 s, as the person reading that message would."""
    for _ in range(40):
        response = client.request(
            call.method.upper(), call.path, params=call.query, headers=headers, **_body(call)
        )
        if response.status_code != 409 or "повторите позже" not in response.text:
            return response
        time.sleep(0.25)
    return response


def _body(call: Call) -> dict[str, Any]:
    if call.media is None:
        return {}
    if call.media == "application/x-www-form-urlencoded":
        return {"data": call.body}
    return {"json": call.body}

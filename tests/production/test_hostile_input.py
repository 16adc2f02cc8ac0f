"""Production under hostile input: body limits (413), chunked multipart with bounded memory, core's input
rules (NUL, lone surrogates, long text, datetimes at year 1 or 9999, deep JSON) as 4xx, never 500."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from opsuite.production.settings import ProductionSettings
from tests.live import serve
from tests.memory import MiB, rss_growth
from tests.production.helpers import BATCH, Api

VALIDATION = "Ошибка валидации запроса"
JSON_HEADERS = {"content-type": "application/json"}


def _batch(api: Api, **changes: Any) -> dict[str, Any]:
    center = api.call("POST", "/api/work_centers", 201, json={"identifier": "WC-H", "name": "Цех"})
    return {**BATCH, "work_center_id": center["uuid"], **changes}


def _errors(response: httpx.Response) -> list[tuple[str, list[Any]]]:
    body = response.json()
    assert (response.status_code, body["detail"]) == (422, VALIDATION), response.text
    return [(error["type"], error["loc"]) for error in body["errors"]]


def test_a_json_body_over_the_limit_is_413_in_the_envelope(api: Api) -> None:
    body = json.dumps({"identifier": "WC-1", "name": "x" * (1024 * 1024)}).encode()
    response = api.client.post("/api/work_centers", content=body, headers=JSON_HEADERS)
    assert response.status_code == 413
    assert response.json() == {"detail": "Тело запроса больше допустимого размера (1048576 байт)"}


def test_the_body_limit_is_a_setting(settings: ProductionSettings) -> None:
    assert settings.body_limit_bytes == 1024 * 1024
    assert ProductionSettings(body_limit_bytes=4096).body_limit_bytes == 4096


def _multipart(boundary: str, parts: Iterator[tuple[str, str | None, Iterator[bytes]]]) -> Iterator[bytes]:
    for name, filename, chunks in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        yield f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        yield from chunks
        yield b"\r\n"
    yield f"--{boundary}--\r\n".encode()


def _repeat(size: int, total: int) -> Iterator[bytes]:
    block = b"x" * size
    for _ in range(total // size):
        yield block


def _hostile_form(field_size: int) -> Iterator[tuple[str, str | None, Iterator[bytes]]]:
    # The attack from the issue: 3,000 fields of 60 KB, a 100 MB part in another field, then a small file.
    for number in range(3000):
        yield f"f{number}", None, _repeat(field_size, field_size)
    yield "other", "big.bin", _repeat(MiB, 100 * MiB)
    yield "file", "batches.csv", iter([b"batch_number\n1\n"])


def _large_fields() -> Iterator[tuple[str, str | None, Iterator[bytes]]]:
    return _hostile_form(60 * 1024)


def _many_fields() -> Iterator[tuple[str, str | None, Iterator[bytes]]]:
    return _hostile_form(1024)


def _huge_other_part() -> Iterator[tuple[str, str | None, Iterator[bytes]]]:
    # A small valid file, then 100 MB in a part nobody reads: the whole body is capped, not only the file.
    yield "file", "batches.csv", iter([b"batch_number\n1\n"])
    yield "other", "big.bin", _repeat(MiB, 100 * MiB)


@pytest.mark.parametrize(
    ("form", "detail"),
    [
        (_large_fields, "Поле формы больше 16384 байт"),
        (_many_fields, "Слишком много полей формы (больше 16)"),
        (_huge_other_part, "Файл больше допустимого размера (10 MB)"),
    ],
)
def test_chunked_multipart_is_refused_while_streaming_with_bounded_memory(
    app: Any, settings: ProductionSettings, form: Any, detail: str
) -> None:
    boundary = "HostileBoundary"
    with serve(app) as base, httpx.Client(base_url=base, timeout=60) as client:
        request = client.build_request(
            "POST",
            "/api/batches/import",
            content=_multipart(boundary, form()),
            headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        )
        assert "content-length" not in request.headers
        with rss_growth() as growth:
            response = client.send(request)
        assert (response.status_code, response.json()) == (413, {"detail": detail})
        assert client.get("/health").status_code == 200
    # The body was 280 MB (or 100 MB); holding it would show here. The bound leaves room for the
    # interpreter's own noise on a loaded machine, far below the body's size.
    assert growth.bytes < 40 * MiB, f"RSS grew by {growth.bytes / MiB:.1f} MiB"
    assert [p for p in settings.files_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize(
    ("value", "kind"),
    [("A\u0000", "string_nul"), ("\ud800", "string_unicode")],
)
def test_bad_text_is_422_on_every_backend(api: Api, value: str, kind: str) -> None:
    raw = json.dumps({"identifier": value, "name": "Цех"}).encode()
    response = api.client.post("/api/work_centers", content=raw, headers=JSON_HEADERS)
    assert _errors(response) == [(kind, ["body", "identifier"])]
    assert api.call("GET", "/api/work_centers", 200)["total"] == 0


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_datetimes_at_the_ends_of_the_calendar_are_422(api: Api, moment: str) -> None:
    body = _batch(api, shift_start=moment)
    response = api.client.post("/api/batches", json=body)
    assert _errors(response) == [("datetime_range", ["body", "shift_start"])]
    assert response.json()["errors"][0]["msg"] == "Datetime year must lie between 1900 and 2999"


def test_deep_json_on_the_test_sink_is_422(api: Api) -> None:
    for depth in (2000, 65):
        raw = "[" * depth + "]" * depth
        response = api.client.post("/api/webhooks/test", content=raw, headers=JSON_HEADERS)
        assert response.status_code == 422
        assert response.json() == {
            "detail": VALIDATION,
            "errors": [
                {"type": "json_invalid", "loc": ["body", 0], "msg": "JSON nested deeper than 64", "input": {}}
            ],
        }
    accepted = api.client.post("/api/webhooks/test", content="[" * 63 + "]" * 63, headers=JSON_HEADERS)
    assert accepted.status_code == 200


def test_text_rules_hold_on_the_test_sink(api: Api) -> None:
    response = api.client.post("/api/webhooks/test", content='{"a": "\\ud800"}', headers=JSON_HEADERS)
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "String must not contain lone surrogates"


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("/api/work_centers?identifier=A%00", ["query", "identifier"]),
        ("/api/batches?shift=%00", ["query", "shift"]),
        ("/api/background_tasks/a%00b", ["path", "task_id"]),
    ],
)
def test_nul_in_the_url_is_422_on_every_backend(api: Api, path: str, loc: list[str]) -> None:
    response = api.client.get(path)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["type"], error["loc"], error["msg"]) == (
        "string_nul",
        loc,
        "String must not contain NUL characters",
    )
    assert "\x00" in error["input"]

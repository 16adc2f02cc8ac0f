"""The app builder: the lifespan's order, the offline API pages, `/` sending people to them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.core.runtime import Runtime
from opsuite.core.settings import SystemSettings
from opsuite.core.web import Lifetime, Part, WireErrors, build_app


class ToySettings(SystemSettings):
    system: ClassVar[str] = "toy"


def _no_handlers(_app: Any) -> None:
    return None


def _app(tmp_path: Path, lifetime: Lifetime = Lifetime(), **options: Any) -> Any:
    settings = ToySettings(core={"var_dir": tmp_path})
    runtime = Runtime(settings=settings, database=Database(settings.db_url))
    return build_app(runtime, "toy", "A toy.", WireErrors(_no_handlers, "busy", "down"), lifetime, **options)


class Recorder:
    """Start and stop of named parts, in the order they happen."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def part(self, name: str, *, fail_stop: bool = False) -> Part:
        def start() -> None:
            self.events.append(f"start {name}")

        async def stop() -> None:
            self.events.append(f"stop {name}")
            if fail_stop:
                raise RuntimeError(f"{name} would not stop")

        return Part(name, start, stop)

    def start(self) -> None:
        self.events.append("start runner")

    def shutdown(self) -> None:
        self.events.append("stop runner")


def test_the_lifespan_starts_parts_in_order_and_stops_them_in_reverse_even_when_one_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    lifetime = Lifetime(
        simulators=[recorder.part("simulator")],
        runner=recorder,
        parts=[recorder.part("engine", fail_stop=True)],
    )
    app = _app(tmp_path, lifetime)
    with TestClient(app):
        assert recorder.events == ["start simulator", "start runner", "start engine"]
    assert recorder.events[3:] == ["stop engine", "stop runner", "stop simulator"]
    assert "toy: engine did not stop cleanly" in caplog.text


def test_swagger_ui_and_redoc_need_no_outside_url(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path)) as client:
        for page in ("/docs", "/redoc"):
            response = client.get(page)
            assert response.status_code == 200
            assert re.findall(r"https?://[^\s\"'<>]+", response.text) == []
        docs = client.get("/docs").text
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"):
            assert f"/docs/assets/{asset}" in docs
            served = client.get(f"/docs/assets/{asset}")
            assert served.status_code == 200
            assert len(served.content) > 1000
        assert "/docs/assets/redoc.standalone.js" in client.get("/redoc").text
        assert client.get("/docs/assets/redoc.standalone.js").status_code == 200


def test_the_root_sends_people_to_the_api_pages_unless_the_system_serves_a_page_there(tmp_path: Path) -> None:
    with TestClient(_app(tmp_path)) as client:
        response = client.get("/", follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (307, "/docs")
    with TestClient(_app(tmp_path, root_redirect=False)) as client:
        assert client.get("/", follow_redirects=False).status_code == 404

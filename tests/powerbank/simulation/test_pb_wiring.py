"""`create_app` wires the cabinets: a gateway on the device host, the demo simulators, `runtime.cabinets`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.powerbank.app import create_app
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.devices.interface import EjectResult
from opsuite.powerbank.runtime import Runtime, build_runtime
from opsuite.powerbank.settings import PowerbankSettings
from tests.clock import FakeClock
from tests.powerbank.simulation.conftest import on_app_loop


def test_the_demo_cabinets_answer_through_runtime_cabinets(client: TestClient, runtime: Runtime) -> None:
    assert sorted(runtime.simulators.by_box) == ["ST001", "ST002", "ST003"]
    assert on_app_loop(client, lambda: runtime.cabinets.online("ST002")) is True
    result = on_app_loop(client, lambda: runtime.cabinets.eject("ST001", 2))
    assert result == EjectResult("ST001", 2, 1, demo_serial(1, 2))
    assert sorted(runtime.simulators.by_box["ST001"].state.banks) == [1, 3, 4, 5, 6]


def test_without_simulators_no_cabinet_dials_in(
    settings: PowerbankSettings, database: Database, clock: FakeClock
) -> None:
    app = create_app(settings.model_copy(update={"simulators": False}), database, clock=clock)
    with TestClient(app) as client:
        runtime: Runtime = app.state.runtime
        assert runtime.simulators.by_box == {}
        assert on_app_loop(client, lambda: runtime.cabinets.online("ST001")) is False


def test_an_unwired_runtime_says_so(settings: PowerbankSettings) -> None:
    runtime = build_runtime(settings)
    with pytest.raises(RuntimeError, match="cabinets are not wired"):
        _ = runtime.cabinets
    runtime.database.dispose()


def test_through_redis_without_a_redis_url_is_refused(
    settings: PowerbankSettings, database: Database, clock: FakeClock
) -> None:
    with pytest.raises(ValueError, match="CABINETS_THROUGH_REDIS needs OPSUITE_REDIS_URL"):
        create_app(settings.model_copy(update={"cabinets_through_redis": True}), database, clock=clock)

"""Schemathesis against the weighbridge OpenAPI document: no 5xx, no answer that breaks the schema."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.weighbridge.app import create_app
from opsuite.weighbridge.settings import WeighbridgeSettings
from tests.schema_walk import DEVICE_CHECKS, walk
from tests.weighbridge.conftest import START
from tests.weighbridge.helpers import ADMIN, SECRET, add_visit, login


@pytest.fixture(scope="module")
def client(template: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One database shared by every generated case: a few visits so generated ids sometimes hit.

    This worker owns no devices, so the process and hardware routes answer their documented 503.
    """
    url = template.new()
    database = Database(url)
    for hours, number in enumerate(("01A777AA", "10B123CD", "30C555DE")):
        add_visit(database, number, at=START + timedelta(hours=hours), entrance=10000.0, exit_weight=25000.0)
    var_dir: Path = tmp_path_factory.mktemp("weighbridge-schema")
    app = create_app(
        WeighbridgeSettings(
            database_url=url, secret_key=SECRET, devices=False, simulators=False, core={"var_dir": var_dir}
        ),
        database,
    )
    with TestClient(app) as test_client:
        yield test_client
    database.dispose()
    template.drop(url)


def test_no_server_error_and_every_answer_matches_the_schema(client: TestClient) -> None:
    token = login(client, *ADMIN)
    api_schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures = walk(
        api_schema,
        max_examples=40,
        headers={"Authorization": f"Bearer {token}"},
        checks=DEVICE_CHECKS,
        minimum_operations=15,
    )
    assert failures == [], "\n\n".join(failures)

"""Schemathesis against the scales OpenAPI document: no 5xx, no answer that breaks the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from tests.scales.helpers import ALICE, FERNET_KEY, SECRET, Scales, login
from tests.schema_walk import DEVICE_CHECKS, walk

from opsuite.core.db import Database
from opsuite.scales.app import create_app
from opsuite.scales.devices.interface import ScaleResultError, ScaleTimeoutError, ScaleUnreachableError
from opsuite.scales.devices.sample_products import generate_product_file
from opsuite.scales.settings import ScalesSettings

# Scales behind the generated devices: two answer, the others fail the way real ones do (502/503/504).
GOOD_PORTS = (1111, 1112)
FAILING = {
    1113: ScaleTimeoutError("no answer"),
    1114: ScaleUnreachableError("connection refused"),
    1115: ScaleResultError(122, "Неверный пароль"),
}


@pytest.fixture(scope="module")
def client(template: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One database shared by every generated case, with the app's lifespan (job runner) running."""
    url = template.new()
    database = Database(url)
    scales = Scales()
    scales[GOOD_PORTS[0]].products = generate_product_file(20)  # PLUs 1..20: generated PLUs sometimes hit
    for port, error in FAILING.items():
        scales[port].fail_always(error)
    app_settings = ScalesSettings(
        database_url=url,
        secret_key=SECRET,
        fernet_key=FERNET_KEY,
        simulator=False,
        scheduler_enabled=False,
        scale_timeout=0.5,
        scale_deadline=2.0,
        core={"var_dir": tmp_path_factory.mktemp("scales-schema")},
    )
    app = create_app(app_settings, database, scales.factory)
    with TestClient(app) as test_client:
        yield test_client
    database.dispose()
    template.drop(url)


@pytest.fixture(scope="module")
def token(client: TestClient) -> str:
    """Alice's token; she owns a few devices, one with a cached product file, so generated ids sometimes hit."""
    token = login(client, *ALICE)
    headers = {"Authorization": f"Bearer {token}"}
    for number, port in enumerate((*GOOD_PORTS, *FAILING), start=1):
        device = {"name": f"Весы {number}", "ip": "127.0.0.1", "port": port, "password": "1234"}
        response = client.post("/devices", json=device, headers=headers)
        assert response.status_code == 201, response.text
    response = client.get("/devices/1/products", headers=headers)
    assert response.status_code == 200, response.text
    return token


@pytest.fixture(scope="module")
def api_schema(client: TestClient) -> Any:
    """The app's OpenAPI document, as schemathesis sees it."""
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


def test_no_server_error_and_every_answer_matches_the_schema(api_schema: Any, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    failures = walk(api_schema, max_examples=50, headers=headers, checks=DEVICE_CHECKS, minimum_operations=14)
    assert failures == [], "\n\n".join(failures)

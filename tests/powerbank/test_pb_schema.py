"""Schemathesis over the powerbank OpenAPI document: no 5xx, every answer documented and of its schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.powerbank.app import create_app
from opsuite.powerbank.settings import PowerbankSettings
from tests.powerbank.helpers import FERNET_KEY, SECRET, SERVICE_ADMIN, login
from tests.schema_walk import walk


@pytest.fixture(scope="module")
def client(template: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One database with the demo data shared by every generated case."""
    url = template.new()
    database = Database(url)
    app_settings = PowerbankSettings(
        database_url=url,
        secret_key=SECRET,
        key_encryption_keys=FERNET_KEY,
        simulators=False,
        gateway_port=0,
        login_attempts=1000,
        login_attempts_per_address=100000,
        register_attempts_per_address=100000,
        core={"var_dir": tmp_path_factory.mktemp("powerbank-schema")},
    )
    with TestClient(create_app(app_settings, database)) as test_client:
        yield test_client
    database.dispose()
    template.drop(url)


def test_no_server_error_and_every_answer_matches_the_schema(client: TestClient) -> None:
    api_schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    headers = login(client, SERVICE_ADMIN).headers
    failures = walk(api_schema, max_examples=25, headers=headers, minimum_operations=20)
    assert failures == [], "\n\n".join(failures)


def test_the_document_lists_400_where_fastapi_would_say_422(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    statuses = {
        (path, method): sorted(operation["responses"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert not [key for key, codes in statuses.items() if "422" in codes]
    assert statuses[("/api/auth/register", "post")] == ["201", "400", "403"]
    assert statuses[("/api/users/{user_id}", "put")] == ["200", "400", "401", "403", "404"]

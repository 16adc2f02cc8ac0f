"""Schemathesis against the production OpenAPI document: no 5xx, no answer that breaks the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from opsuite.core.db import Database
from opsuite.production.app import create_app
from opsuite.production.settings import ProductionSettings
from tests.production.helpers import Api
from tests.schema_walk import walk


@pytest.fixture(scope="module")
def client(template: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One database shared by every generated case, with the job runner running, and a few rows to hit."""
    url = template.new()
    database = Database(url)
    var_dir: Path = tmp_path_factory.mktemp("production-schema")
    app_settings = ProductionSettings(
        database_url=url, scheduler_enabled=False, webhook_retry_base_seconds=0, core={"var_dir": var_dir}
    )
    app = create_app(app_settings, database)
    with TestClient(app) as test_client:
        api = Api(test_client)
        batch = api.batch()
        api.add_product(batch["uuid"], "PROD-001")
        yield test_client
        test_client.app.state.runner.join(60)  # type: ignore[attr-defined]
    database.dispose()
    template.drop(url)


def test_no_server_error_and_every_answer_matches_the_schema(client: TestClient) -> None:
    api_schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    failures = walk(api_schema, max_examples=40, minimum_operations=20)
    assert failures == [], "\n\n".join(failures)

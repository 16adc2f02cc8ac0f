"""Schemathesis against the production OpenAPI document: no 5xx, no answer that breaks the schema."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as st_checks

from opsuite.core.db import Database
from opsuite.production.app import create_app
from opsuite.production.settings import ProductionSettings
from tests.production.helpers import Api

CHECKS = [
    st_checks.not_a_server_error,
    st_checks.response_schema_conformance,
    st_checks.status_code_conformance,
]


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
    operations = [result.ok() for result in api_schema.get_all_operations()]
    operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
    assert len(operations) >= 20
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        try:
            check()
        # Schemathesis raises a BaseExceptionGroup: collect every operation's failure, then fail once with all.
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}"[:2000])
    assert failures == [], "\n\n".join(failures)

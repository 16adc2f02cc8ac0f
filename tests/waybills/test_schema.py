"""Schemathesis against the waybills OpenAPI document: no 5xx, no answer that breaks the schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis

from opsuite.core.db import Database
from opsuite.waybills import demo
from opsuite.waybills.app import create_app
from opsuite.waybills.settings import WaybillsSettings
from tests.schema_walk import walk
from tests.waybills.helpers import ADMIN_LOGIN, ADMIN_PASSWORD, SECRET


@pytest.fixture(scope="module")
def loaded_app(template: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One database with the demo fleet, shared by every generated case of this module."""
    url = template.new()
    database = Database(url)
    with database.session() as session:
        demo.load(session)
    settings = WaybillsSettings(
        database_url=url, secret_key=SECRET, core={"var_dir": tmp_path_factory.mktemp("schema")},
        login_attempts=1_000_000,
    )  # fmt: skip
    app = create_app(settings, database)
    yield app
    database.dispose()
    template.drop(url)


@pytest.fixture(scope="module")
def api_schema(loaded_app: Any) -> Any:
    """The app's OpenAPI document, as schemathesis sees it."""
    return schemathesis.openapi.from_asgi("/openapi.json", loaded_app)


@pytest.fixture(scope="module")
def token(loaded_app: Any) -> str:
    """An administrator's token."""
    from fastapi.testclient import TestClient

    with TestClient(loaded_app) as client:
        response = client.post("/api/auth/login/", json={"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD})
    return str(response.json()["access"])


def test_no_server_error_and_every_answer_matches_the_schema(api_schema: Any, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    failures = walk(api_schema, max_examples=15, headers=headers, minimum_operations=80)
    assert failures == [], "\n\n".join(failures)

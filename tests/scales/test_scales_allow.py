"""A wrong method answers 405 with `Allow` naming every method of the path (scales' routes are a flat table)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("OPTIONS", "/devices", "GET, POST"),
        ("PATCH", "/devices/1", "DELETE, GET, PUT"),
        ("OPTIONS", "/devices/1/auto-update", "GET, PUT"),
    ],
)
def test_405_allows_every_method_of_the_path(client: TestClient, method: str, path: str, allow: str) -> None:
    answer = client.request(method, path)
    assert (answer.status_code, answer.headers["allow"], answer.json()) == (
        405,
        allow,
        {"detail": "Метод не разрешён"},
    )

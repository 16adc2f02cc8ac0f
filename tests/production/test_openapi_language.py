"""Production's Swagger speaks one language: every operation of its API has a Russian summary."""

from __future__ import annotations

import re
from typing import Any

CYRILLIC = re.compile("[А-Яа-яЁё]")


def test_every_api_operation_has_a_russian_summary(app: Any) -> None:
    operations = {
        f"{method.upper()} {path}": operation.get("summary", "")
        for path, methods in app.openapi()["paths"].items()
        if path.startswith("/api/")
        for method, operation in methods.items()
    }
    assert len(operations) == 33
    assert {name: summary for name, summary in operations.items() if not CYRILLIC.search(summary)} == {}
    assert operations["POST /api/batches"] == "Создание партии"

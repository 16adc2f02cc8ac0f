"""Path, query and body examples that Swagger fills in: rows of the demo data (`demo_ids`), so that "Try it
out" runs unchanged right after `make run` (tests/core/test_swagger_examples.py sends each one)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Body, Path, Query


def demo(value: Any, summary: str) -> dict[str, Any]:
    """One named example (FastAPI's `openapi_examples`)."""
    return {"demo": {"summary": summary, "value": value}}


def demo_path(row: uuid.UUID, summary: str) -> Any:
    """A path id whose example is a demo row."""
    return Path(openapi_examples=demo(str(row), summary))


def demo_query(value: str, summary: str, **options: Any) -> Any:
    """A query parameter with an example."""
    return Query(openapi_examples=demo(value, summary), **options)


def demo_body(value: Any, summary: str) -> Any:
    """An optional body with an example."""
    return Body(openapi_examples=demo(value, summary))

"""Secrets never reach a log line: SQL parameters are hidden, URL credentials are redacted."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from tests.core.conftest import Lease

from opsuite.core.db import Database
from opsuite.core.logs import RedactFilter, configure_logging, redact

SECRET = "s3cret-Zq81"
log = logging.getLogger("opsuite.test.redaction")


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """caplog with the filter every opsuite handler carries."""
    caplog.handler.addFilter(RedactFilter())
    caplog.set_level(logging.INFO)
    return caplog


@pytest.fixture
def restore_root() -> Iterator[None]:
    """Remove the handlers `configure_logging` installs and restore the root level after the test."""
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):
        if getattr(handler, "_opsuite", False):
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("POST http://user:pw@host:8080/x", "POST http://***@host:8080/x"),
        ("https://u:p@ss@h/p", "https://***@h/p"),
        (
            "redis://:pw@127.0.0.1/0, postgresql+psycopg://a:b@db/x",
            "redis://***@127.0.0.1/0, postgresql+psycopg://***@db/x",
        ),
        ("http://host/p@th and user@example.com", "http://host/p@th and user@example.com"),
    ],
)
def test_redact_removes_only_url_credentials(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_sql_parameters_never_reach_the_log(database: Database, captured: pytest.LogCaptureFixture) -> None:
    expires = datetime(2025, 1, 1, tzinfo=UTC)
    with database.session() as session:
        session.add(Lease(name="one", holder=SECRET, expires_at=expires))
    with pytest.raises(IntegrityError) as raised, database.session() as session:
        session.add(Lease(name="one", holder=SECRET, expires_at=expires))
    log.error("write failed: %s", raised.value, exc_info=raised.value)

    assert "write failed: (" in captured.text
    assert SECRET not in captured.text
    assert SECRET not in str(raised.value)


def test_url_credentials_are_redacted_in_message_args_extra_and_traceback(
    captured: pytest.LogCaptureFixture,
) -> None:
    url = f"http://hook:{SECRET}@receiver.example/in"
    try:
        raise ValueError(f"cannot reach {url}")
    except ValueError:
        log.exception("delivery to %s failed", url, extra={"target": {"url": url}})

    [record] = captured.records
    assert record.getMessage() == "delivery to http://***@receiver.example/in failed"
    assert record.target == {"url": "http://***@receiver.example/in"}  # type: ignore[attr-defined]
    assert "ValueError: cannot reach http://***@receiver.example/in" in captured.text
    assert SECRET not in captured.text


@pytest.mark.usefixtures("restore_root")
def test_the_json_handler_of_configure_logging_redacts(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("json", "INFO")  # here, so that its stderr is the captured one
    url = f"https://hook:{SECRET}@receiver.example/in"
    try:
        raise ValueError(url)
    except ValueError:
        log.exception("HTTP Request: POST %s", url, extra={"target": url})

    [line] = [line for line in capsys.readouterr().err.splitlines() if "HTTP Request" in line]
    entry = json.loads(line)
    assert entry["message"] == "HTTP Request: POST https://***@receiver.example/in"
    assert entry["target"] == "https://***@receiver.example/in"
    assert entry["exc_info"].endswith("ValueError: https://***@receiver.example/in")
    assert SECRET not in line

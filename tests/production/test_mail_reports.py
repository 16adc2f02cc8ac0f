"""Report e-mail: sent after the response by a job to a real SMTP server on loopback; failures stay in the job."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from opsuite.production.jobs.models import Job
from opsuite.production.settings import ProductionSettings
from tests.production.helpers import Api


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd hook
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[_Inbox, int]]:
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def _mail_job(api: Api) -> Job:
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.database.session(write=False) as session:
        (job,) = session.scalars(select(Job).where(Job.name == "mail.send_report"))
        return job


def test_report_is_mailed_with_the_file_attached(
    api: Api, settings: ProductionSettings, inbox: tuple[_Inbox, int]
) -> None:
    handler, port = inbox
    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", port, False
    batch = api.batch()
    body = api.call(
        "POST",
        f"/api/batches/{batch['uuid']}/reports/generate",
        201,
        params={"format": "pdf", "user_email": "user@example.com"},
    )
    api.wait_jobs()
    assert len(handler.messages) == 1
    recipients, raw = handler.messages[0]
    assert recipients == ["user@example.com"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == f"Отчет о партии {batch['uuid']}"
    assert message["To"] == "user@example.com"
    assert message["From"] == "production@localhost"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "Отчёт о партии 1001 от 20.01.2025.pdf"
    payload = attachment.get_content()
    assert payload == api.client.get(body["download_url"]).content
    assert payload.startswith(b"%PDF-")
    job = _mail_job(api)
    file_id = body["download_url"].removeprefix("/api/reports/")
    assert (job.state, job.result) == (
        "SUCCESS",
        {"sent": True, "to": "user@example.com", "file_id": file_id},
    )


def test_smtp_down_still_answers_201_and_the_job_records_it(api: Api, settings: ProductionSettings) -> None:
    settings.smtp_host, settings.smtp_port, settings.smtp_starttls = "127.0.0.1", _free_port(), False
    settings.smtp_timeout_seconds = 2
    batch = api.batch()
    api.call(
        "POST",
        f"/api/batches/{batch['uuid']}/reports/generate",
        201,
        params={"format": "xlsx", "user_email": "user@example.com"},
    )
    api.wait_jobs()
    job = _mail_job(api)
    assert job.state == "FAILURE"
    assert job.error is not None
    assert job.error.startswith("ConnectionRefusedError: ")
    status = api.call("GET", f"/api/background_tasks/{job.id}", 200)
    assert status == {"task_id": job.id, "status": "FAILURE", "result": {"error": job.error}}


def test_failed_report_queues_no_mail(api: Api, settings: ProductionSettings) -> None:
    settings.smtp_host = "127.0.0.1"
    missing = "550e8400-e29b-41d4-a716-446655440000"
    api.call(
        "POST",
        f"/api/batches/{missing}/reports/generate",
        404,
        params={"format": "pdf", "user_email": "a@example.com"},
    )
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.database.session(write=False) as session:
        assert list(session.scalars(select(Job.name))) == []

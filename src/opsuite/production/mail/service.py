"""E-mail of a stored report: queued in the caller's transaction, sent by a job with smtplib."""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from typing import Any

from sqlalchemy.orm import Session

from opsuite.core.jobs import JobQueue, TaskContext
from opsuite.production.files import service as files_service
from opsuite.production.files.models import StoredFile
from opsuite.production.jobs.models import Job
from opsuite.production.runtime import Runtime

log = logging.getLogger(__name__)

SEND_REPORT = "mail.send_report"
# One @, no spaces, a dotted domain: what a form would accept; the SMTP server has the last word.
_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
_SUBTYPES = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("text", "csv"),
}


def check_address(value: str) -> str:
    """An e-mail address, or ValueError (422 at the route)."""
    value = value.strip()
    if not _ADDRESS.match(value):
        raise ValueError("Некорректный адрес электронной почты")
    return value


def queue_report(
    session: Session, *, jobs: JobQueue[Job], to: str, file_id: uuid.UUID, batch_id: uuid.UUID
) -> Job:
    """Queue the e-mail on `jobs` in the caller's transaction: it is sent only if the report is committed."""
    return jobs.enqueue(session, SEND_REPORT, to=to, file_id=str(file_id), batch_id=str(batch_id))


def send_report_job(
    ctx: TaskContext, runtime: Runtime, *, to: str, file_id: str, batch_id: str
) -> dict[str, Any]:
    """Send the report; skipped without `smtp_host`; an SMTP failure fails the job (logged, recorded)."""
    settings = runtime.settings
    if not settings.smtp_host:
        log.info("report %s not e-mailed to %s: SMTP is not configured", file_id, to)
        return {"sent": False, "to": to, "reason": "SMTP не настроен"}
    with ctx.database.session(write=False) as session:
        row = session.get(StoredFile, uuid.UUID(file_id))
        if row is None:
            raise LookupError(f"file {file_id} is gone")
        name, fmt, relative = row.name, row.format, row.path
    store = files_service.file_store(settings)
    with store.open(relative) as handle:
        payload = handle.read()
    message = EmailMessage()
    message["Subject"] = f"Отчет о партии {batch_id}"
    message["From"] = settings.smtp_from
    message["To"] = to
    message.set_content(
        f"Отчёт о партии {batch_id} во вложении.\n"
        f"Его также можно скачать: {files_service.download_url(uuid.UUID(file_id))}\n"
    )
    maintype, subtype = _SUBTYPES.get(fmt, ("application", "octet-stream"))
    message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=name)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.warning("report %s could not be e-mailed to %s", file_id, to, exc_info=True)
        raise
    return {"sent": True, "to": to, "file_id": file_id}

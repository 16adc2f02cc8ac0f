"""Generate a batch report, store it, announce it, and queue the e-mail when asked."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy.orm import Session

from opsuite.production.batches import service as batches_service
from opsuite.production.events import service as events_service
from opsuite.production.files import service as files_service
from opsuite.production.mail import service as mail_service
from opsuite.production.reports import content, pdf, xlsx
from opsuite.production.runtime import Runtime
from opsuite.production.work_centers import service as work_centers_service

ReportFormat = Literal["pdf", "xlsx"]


def generate(
    session: Session, runtime: Runtime, *, batch_id: uuid.UUID, fmt: ReportFormat, user_email: str | None
) -> dict[str, str]:
    """Write the report to the store (a fresh file id each time), emit `batch.report_generated`, and queue
    an e-mail with the file attached; `{report_path, download_url}`. 404 for an unknown batch."""
    batch = batches_service.get(session, batch_id)
    center = work_centers_service.get(session, batch.work_center_id)
    now = runtime.clock.now()
    report = content.build(batch, center, now=now)
    store = files_service.file_store(runtime.settings)
    file_id = uuid.uuid4()
    with store.writer(file_id, fmt) as target:
        (pdf.render if fmt == "pdf" else xlsx.render)(report, target.path)
        size = target.commit()
    files_service.register(
        session,
        file_id=file_id,
        kind="report",
        fmt=fmt,
        name=f"Отчёт о партии {batch.batch_number} от {batch.batch_date:%d.%m.%Y}.{fmt}",
        size=size,
        store=store,
        now=now,
        retention_days=runtime.settings.files_retention_days,
        batch_id=batch.uuid,
    )
    url = files_service.download_url(file_id)
    events_service.emit(
        session,
        runtime.outbox,
        "batch.report_generated",
        {"batch_id": str(batch.uuid), "file_id": str(file_id), "format": fmt, "download_url": url},
    )
    if user_email:
        mail_service.queue_report(
            session, jobs=runtime.jobs, to=user_email, file_id=file_id, batch_id=batch.uuid
        )
    return {"report_path": f"/reports/{file_id}.{fmt}", "download_url": url}

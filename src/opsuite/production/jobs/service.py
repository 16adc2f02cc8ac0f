"""A job row as the document's task status: PENDING, PROGRESS with `{current, total, percent}`, ..."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from opsuite.core.jobs import WORKER_LOST, JobState
from opsuite.production.errors import NotFound
from opsuite.production.jobs.models import Job

TASK_NOT_FOUND = "Задача не найдена"
WORKER_LOST_MESSAGE = "Задача прервана: процесс-исполнитель завершился аварийно (worker lost)"


def task_status(session: Session, *, task_id: str, now: datetime) -> dict[str, Any]:
    """The status of an issued task; 404 for an id never issued or whose 24 h retention has passed."""
    job = session.get(Job, task_id) if len(task_id) <= 64 else None
    if job is None or (job.expires_at is not None and job.expires_at <= now):
        raise NotFound(TASK_NOT_FOUND)
    return {"task_id": job.id, **describe(job)}


def describe(job: Job) -> dict[str, Any]:
    """`status` and `result` of one job."""
    state = JobState(job.state)
    if state is JobState.PENDING:
        return {"status": "PENDING", "result": None}
    if state in (JobState.STARTED, JobState.PROGRESS):
        return {"status": "PROGRESS", "result": progress(job.progress_current, job.progress_total)}
    if state is JobState.SUCCESS:
        return {"status": "SUCCESS", "result": job.result}
    error = job.error or ("Задача отменена" if state is JobState.REVOKED else "Ошибка выполнения задачи")
    return {"status": "FAILURE", "result": {"error": _task_message(error)}}


def progress(current: int, total: int | None) -> dict[str, int]:
    """`{current, total, percent}`; percent is a whole number, 0 while the total is unknown."""
    total = total or 0
    percent = (current * 100 // total) if total else 0
    return {"current": current, "total": total, "percent": min(percent, 100)}


def _task_message(error: str) -> str:
    if error == WORKER_LOST:
        return WORKER_LOST_MESSAGE
    # run_job stores "ExceptionType: message"; a task's own ProductionError message is what users read.
    kind, sep, message = error.partition(": ")
    if sep and kind in {
        "NotFound",
        "InvalidState",
        "InvalidValue",
        "BadRequest",
        "AlreadyExists",
        "TooLarge",
    }:
        return message
    return error

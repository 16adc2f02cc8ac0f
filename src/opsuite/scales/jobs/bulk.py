"""Upload to several devices at once, as a job with one result per device."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy.orm import Session

from opsuite.core.jobs import JobQueue, get_job
from opsuite.scales import messages
from opsuite.scales.errors import NotFound, ScalesError, status_of
from opsuite.scales.fleet import service as fleet_service
from opsuite.scales.fleet.operation import device_operation
from opsuite.scales.jobs.models import Job
from opsuite.scales.products import service as products_service
from opsuite.scales.runtime import Runtime

TASK = "scales.bulk_upload"
_JOB_ID = re.compile(r"[0-9a-f]{32}")
MAX_PARALLEL = 8


def start(session: Session, *, jobs: JobQueue[Job], user_id: int, device_ids: list[int]) -> Job:
    """Enqueue a bulk upload of the user's devices on `jobs` (404 on the first that is not theirs)."""
    unique = list(dict.fromkeys(device_ids))
    for device_id in unique:
        fleet_service.owned(session, user_id=user_id, device_id=device_id)
    return jobs.enqueue(session, TASK, user_id=user_id, device_ids=unique)


def get(session: Session, *, user_id: int, job_id: str) -> Job:
    """A job the user started; an id that cannot be one (not 32 hex digits) is simply not found."""
    if not _JOB_ID.fullmatch(job_id):
        raise NotFound(messages.JOB_NOT_FOUND)
    job = get_job(session, Job, job_id)
    if job is None or job.args.get("user_id") != user_id:
        raise NotFound(messages.JOB_NOT_FOUND)
    return job


def run(runtime: Runtime, device_ids: list[int]) -> dict[str, Any]:
    """Upload each device's cache in parallel; each device's outcome as its HTTP status and detail."""

    def one(device_id: int) -> dict[str, Any]:
        try:
            with device_operation(runtime, device_id, "upload"):
                products_service.push(runtime, device_id=device_id)
        except ScalesError as exc:
            return {"device_id": device_id, "status_code": status_of(exc), "detail": exc.detail}
        return {"device_id": device_id, "status_code": 200, "detail": "ok"}

    if not device_ids:
        return {"results": []}
    with ThreadPoolExecutor(min(MAX_PARALLEL, len(device_ids)), thread_name_prefix="scales-bulk") as pool:
        results = list(pool.map(one, device_ids))
    return {"results": results}

"""The download route and retention: headers, 404 for unknown, malformed, import and expired files; cleanup."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from opsuite.core.jobs import run_job
from opsuite.production.files.models import StoredFile
from opsuite.production.files.tasks import CLEANUP
from opsuite.production.jobs.models import Job
from opsuite.production.settings import ProductionSettings
from tests.clock import FakeClock
from tests.production.helpers import Api


def _export(api: Api) -> dict[str, Any]:
    accepted = api.call("POST", "/api/batches/export", 202, params={"format": "csv"})
    api.wait_jobs()
    return api.call("GET", f"/api/background_tasks/{accepted['task_id']}", 200)["result"]


def test_download_headers(api: Api) -> None:
    api.batch()
    result = _export(api)
    response = api.client.get(result["download_url"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"batches_20250115_103000.csv\"; filename*=UTF-8''batches_20250115_103000.csv"
    )
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["cache-control"] == "private"


@pytest.mark.parametrize("file_id", [str(uuid.UUID(int=1)), "not-a-uuid", "..%5C..%5Cetc"])
def test_unknown_file_is_404(api: Api, file_id: str) -> None:
    assert api.call("GET", f"/api/reports/{file_id}", 404) == {"detail": "Файл не найден"}
    assert api.call("GET", "/api/reports/..%2F..%2Fetc%2Fpasswd", 404) == {"detail": "Not Found"}


def test_uploaded_imports_are_not_downloadable(api: Api) -> None:
    api.call("POST", "/api/batches/import", 202, files={"file": ("a.csv", b"batch_number\n")})
    api.wait_jobs()
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.database.session(write=False) as session:
        (row,) = session.scalars(select(StoredFile))
    assert (row.kind, row.format, row.name) == ("import", "csv", "a.csv")
    api.call("GET", f"/api/reports/{row.uuid}", 404)


def test_expired_file_is_404_and_cleanup_removes_it(
    api: Api, clock: FakeClock, settings: ProductionSettings
) -> None:
    api.batch()
    result = _export(api)
    runtime = api.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.database.session(write=False) as session:
        row = session.get(StoredFile, uuid.UUID(result["file_id"]))
        assert row is not None
        path = settings.files_path / row.path
    assert path.is_file()
    # An orphan (written, never recorded) and an abandoned temporary file, both old.
    orphan = settings.files_path / "ab" / f"{'ab' * 16}.xlsx"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"x")
    temp = path.with_name(".tmp-dead-" + path.name)
    temp.write_bytes(b"y")
    recent_orphan = settings.files_path / "cd" / f"{'cd' * 16}.csv"
    recent_orphan.parent.mkdir(parents=True, exist_ok=True)
    recent_orphan.write_bytes(b"z")
    # Cleanup compares modification times with the app's clock (here 2025-01-15 + 30 days).
    old = (clock.now() - dt.timedelta(days=1)).timestamp()

    clock.advance(days=30, seconds=-1)
    assert api.client.get(result["download_url"]).status_code == 200
    clock.advance(seconds=1)
    for stale in (orphan, temp):
        os.utime(stale, (old, old))
    assert api.call("GET", result["download_url"], 404) == {"detail": "Файл не найден"}

    registry = api.client.app.state.registry  # type: ignore[attr-defined]
    assert [p.name for p in registry.periodic_tasks if p.name == CLEANUP] == [CLEANUP]
    with runtime.database.session() as session:
        job = runtime.jobs.enqueue(session, CLEANUP)
    api.wait_jobs()
    run_job(runtime.database, Job, registry, job.id, clock=clock)
    with runtime.database.session(write=False) as session:
        done = session.get(Job, job.id)
        assert done is not None
        assert (done.state, done.result) == ("SUCCESS", {"expired": 1, "orphans": 2})
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert not path.exists()
    assert not orphan.exists()
    assert not temp.exists()
    assert recent_orphan.exists()

"""Auto-update: per-device schedules, claiming due runs, and the run (dates from shelf life, then push)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from opsuite.core.jobs import JobQueue
from opsuite.scales import messages
from opsuite.scales.autoupdate.models import AutoUpdateSchedule
from opsuite.scales.autoupdate.schemas import AutoUpdateIn
from opsuite.scales.autoupdate.timing import next_run
from opsuite.scales.errors import DeviceBusy, NotFound, ScalesError
from opsuite.scales.fleet import service as fleet_service
from opsuite.scales.fleet.operation import device_operation
from opsuite.scales.jobs.models import Job
from opsuite.scales.products import cache
from opsuite.scales.products import service as products_service
from opsuite.scales.products.editable import DATE_FORMAT, shelf_life_days
from opsuite.scales.runtime import Runtime

log = logging.getLogger(__name__)

RUN_TASK = "scales.autoupdate.run"
OK = "OK"
OK_PUSHED_EDITS = "OK_PUSHED_EDITS"
"""The run found unsent edits, kept them, re-dated the local cache and pushed it (no read from the scale)."""


def create_default(session: Session, *, device_id: int, interval_minutes: int) -> AutoUpdateSchedule:
    """The disabled schedule every new device starts with."""
    schedule = AutoUpdateSchedule(device_id=device_id, enabled=False, interval_minutes=interval_minutes)
    session.add(schedule)
    session.flush()
    return schedule


def get(session: Session, *, device_id: int, default_interval_minutes: int) -> AutoUpdateSchedule:
    """The device's schedule, created disabled if an older device has none."""
    schedule = session.scalar(select(AutoUpdateSchedule).where(AutoUpdateSchedule.device_id == device_id))
    if schedule is None:
        schedule = create_default(session, device_id=device_id, interval_minutes=default_interval_minutes)
    return schedule


def owned_schedule(
    session: Session, *, user_id: int, device_id: int, default_interval_minutes: int
) -> AutoUpdateSchedule:
    """The schedule of the user's device (404 for another user's)."""
    fleet_service.owned(session, user_id=user_id, device_id=device_id)
    return get(session, device_id=device_id, default_interval_minutes=default_interval_minutes)


def configure(
    session: Session,
    *,
    user_id: int,
    device_id: int,
    change: AutoUpdateIn,
    now: dt.datetime,
    zone: ZoneInfo,
    default_interval_minutes: int,
) -> AutoUpdateSchedule:
    """Change the fields the body carried; only this schedule's next run moves, when its timing did."""
    schedule = owned_schedule(
        session, user_id=user_id, device_id=device_id, default_interval_minutes=default_interval_minutes
    )
    given = change.given()
    enabled = given.get("enabled", schedule.enabled)
    interval_minutes = given.get("interval_minutes", schedule.interval_minutes)
    run_at = given.get("run_at", schedule.run_at)
    timing_changed = (schedule.enabled, schedule.interval_minutes, schedule.run_at) != (
        enabled,
        interval_minutes,
        run_at,
    )
    schedule.enabled = enabled
    schedule.interval_minutes = interval_minutes
    schedule.run_at = run_at
    if not enabled:
        schedule.next_run_at = None
    elif timing_changed or schedule.next_run_at is None:
        schedule.next_run_at = next_run(now, interval_minutes=interval_minutes, run_at=run_at, zone=zone)
    session.flush()
    return schedule


def claim_due(session: Session, *, jobs: JobQueue[Job], now: dt.datetime, zone: ZoneInfo) -> list[int]:
    """Advance every due schedule and enqueue one run job for each on `jobs`; returns the device ids."""
    due = session.scalars(
        select(AutoUpdateSchedule).where(
            AutoUpdateSchedule.enabled.is_(True), AutoUpdateSchedule.next_run_at <= now
        )
    ).all()
    claimed = []
    for schedule in due:
        following = next_run(
            now, interval_minutes=schedule.interval_minutes, run_at=schedule.run_at, zone=zone
        )
        # Conditional on the old value, so two overlapping ticks cannot both claim one run.
        moved = session.execute(
            update(AutoUpdateSchedule)
            .where(
                AutoUpdateSchedule.id == schedule.id, AutoUpdateSchedule.next_run_at == schedule.next_run_at
            )
            .values(next_run_at=following)
            .execution_options(synchronize_session=False)
        )
        if getattr(moved, "rowcount", 0):
            jobs.enqueue(session, RUN_TASK, device_id=schedule.device_id)
            claimed.append(schedule.device_id)
    return claimed


def apply_dates(data: dict[str, Any], today: dt.date) -> int:
    """Set manufactureDate = today and sellByDate = today + shelf life on every product; returns how many."""
    count = 0
    for product in data.get("products") or []:
        if not isinstance(product, dict):
            continue
        product["manufactureDate"] = today.strftime(DATE_FORMAT)
        product["sellByDate"] = (today + dt.timedelta(days=shelf_life_days(product))).strftime(DATE_FORMAT)
        count += 1
    return count


def run(runtime: Runtime, *, device_id: int) -> str:
    """One auto-update of a device; records last_run_utc / last_status / last_error and returns the status."""
    with runtime.database.session(write=False) as session:
        schedule = session.scalar(select(AutoUpdateSchedule).where(AutoUpdateSchedule.device_id == device_id))
        if schedule is None or not schedule.enabled:
            return "SKIPPED"
    status, error = OK, None
    try:
        with device_operation(runtime, device_id, "auto-update") as outcome:
            if _refresh_and_push(runtime, device_id):
                status = outcome.status = OK_PUSHED_EDITS
                outcome.detail = messages.AUTOUPDATE_LOCAL
    except DeviceBusy:
        status, error = "SKIPPED_BUSY", messages.DEVICE_BUSY
    except NotFound:
        return "SKIPPED"
    except ScalesError as exc:
        status, error = "ERROR", exc.detail
    except Exception as exc:  # recorded for the user; the job row keeps the traceback in the log
        log.exception("auto-update of device %s failed", device_id)
        status, error = "ERROR", messages.UNEXPECTED.format(error=exc)
    with runtime.database.session() as session:
        session.execute(
            update(AutoUpdateSchedule)
            .where(AutoUpdateSchedule.device_id == device_id)
            .values(last_run_utc=runtime.clock.now(), last_status=status, last_error=error)
        )
    return status


def _refresh_and_push(runtime: Runtime, device_id: int) -> bool:
    """Re-date the products and push them; True when unsent edits went to the scale with them."""
    with runtime.database.session(write=False) as session:
        dirty = fleet_service.get_device(session, device_id=device_id).cached_dirty
    # Unsent local edits win over the scale's copy: re-date the local cache instead of downloading.
    data = products_service.download(runtime, device_id=device_id, force=False) if not dirty else None
    with runtime.database.session() as session:
        device = fleet_service.get_device(session, device_id=device_id)
        data = cache.load(device) if data is None else data
        apply_dates(data, runtime.clock.now().astimezone(runtime.zone).date())
        # Dirty until the push succeeds, so a failed push shows as unsent changes.
        cache.store(device, data, dirty=True, now=runtime.clock.now())
    products_service.push(runtime, device_id=device_id)
    return dirty

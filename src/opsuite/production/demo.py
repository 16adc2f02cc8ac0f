"""Demo data: two work centers, three batches of the day with marked products, one of them closed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.production.batches import service as batches_service
from opsuite.production.batches.models import Batch
from opsuite.production.batches.schemas import BatchCreate
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.work_centers import service as work_centers_service
from opsuite.production.work_centers.schemas import WorkCenterCreate


def load(session: Session, *, outbox: WebhookOutbox, if_empty: bool = False) -> str:
    """Insert the demo rows (their events go to `outbox`); with `if_empty`, only into a database without
    batches."""
    if if_empty and session.scalar(select(exists().where(Batch.uuid.is_not(None)))):
        return "demo data skipped: batches exist"
    now = utcnow()
    today = date.today()
    shift_start = datetime(today.year, today.month, today.day, 8, tzinfo=UTC)
    centers = [
        work_centers_service.create(session, data=WorkCenterCreate(identifier=ident, name=name), now=now)
        for ident, name in (("WC-001", "Цех №1"), ("WC-002", "Цех №2"))
    ]
    plans = [
        (1001, centers[0], "1", "Бригада А", "Молоко 3,2% 1 л", 5),
        (1002, centers[0], "2", "Бригада Б", "Кефир 2,5% 0,9 л", 3),
        (1003, centers[1], "1", "Бригада В", "Сметана 20% 0,3 кг", 4),
    ]
    for number, center, shift, team, nomenclature, count in plans:
        start = shift_start + (timedelta(hours=12) if shift == "2" else timedelta(0))
        batch = batches_service.create_batch(
            session,
            outbox=outbox,
            data=BatchCreate(
                task_description=f"Выпуск: {nomenclature}",
                shift=shift,
                team=team,
                batch_number=number,
                batch_date=today,
                nomenclature=nomenclature,
                ekn_code=f"EKN-{number}",
                shift_start=start,
                shift_end=start + timedelta(hours=12),
                work_center_id=center.uuid,
            ),
            now=now,
        )
        for index in range(1, count + 1):
            batches_service.add_product(
                session, outbox=outbox, batch_id=batch.uuid, unique_code=f"DEMO-{number}-{index:03d}", now=now
            )
    first = session.scalars(select(Batch).where(Batch.batch_number == 1001)).one()
    batches_service.aggregate(session, outbox=outbox, batch_id=first.uuid, aggregated_at=None, now=now)
    batches_service.close(session, outbox=outbox, batch_id=first.uuid, closed_at=None, now=now)
    return "demo data loaded: 2 work centers, 3 batches, 12 products"

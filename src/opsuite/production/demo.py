"""Demo data: work centers, batches of the day with marked products (one closed), an inactive webhook.

The rows get the fixed ids of `demo_ids`, which the OpenAPI examples name.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.production.batches import service as batches_service
from opsuite.production.batches.models import Batch
from opsuite.production.batches.schemas import BatchCreate
from opsuite.production.demo_ids import RECEIVER, WEBHOOK, WORK_CENTERS, batch_id, product_id
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks import service as webhooks_service
from opsuite.production.webhooks.delivery import WebhookOutbox
from opsuite.production.webhooks.models import WebhookSubscription, WebhookSubscriptionEvent
from opsuite.production.webhooks.schemas import WebhookCreate
from opsuite.production.work_centers import service as work_centers_service
from opsuite.production.work_centers.schemas import WorkCenterCreate


def load(
    session: Session, *, outbox: WebhookOutbox, settings: ProductionSettings, if_empty: bool = False
) -> str:
    """Insert the demo rows (their events go to `outbox`); with `if_empty`, only into a database without
    batches."""
    if if_empty and session.scalar(select(exists().where(Batch.uuid.is_not(None)))):
        return "demo data skipped: batches exist"
    now = utcnow()
    today = date.today()
    shift_start = datetime(today.year, today.month, today.day, 8, tzinfo=UTC)
    centers = []
    for ident, name in (("WC-001", "Цех №1"), ("WC-002", "Цех №2"), ("WC-003", "Склад (без партий)")):
        center = work_centers_service.create(
            session, data=WorkCenterCreate(identifier=ident, name=name), now=now
        )
        center.uuid = WORK_CENTERS[ident]
        session.flush()
        centers.append(center)
    plans = [
        (1001, centers[0], "1", "Бригада А", "Молоко 3,2% 1 л", 5),
        (1002, centers[0], "2", "Бригада Б", "Кефир 2,5% 0,9 л", 3),
        (1003, centers[1], "1", "Бригада В", "Сметана 20% 0,3 кг", 4),
        (1004, centers[1], "2", "Бригада Г", "Творог 5% 0,2 кг", 2),
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
        batch.uuid = batch_id(number)
        session.flush()
        for index in range(1, count + 1):
            code = f"DEMO-{number}-{index:03d}"
            batches_service.add_product(
                session, outbox=outbox, batch_id=batch.uuid, unique_code=code, now=now
            )
            product = next(p for p in batch.products if p.unique_code == code)
            product.uuid = product_id(number, index)
            session.flush()
    first = session.scalars(select(Batch).where(Batch.batch_number == 1001)).one()
    batches_service.aggregate(session, outbox=outbox, batch_id=first.uuid, aggregated_at=None, now=now)
    batches_service.close(session, outbox=outbox, batch_id=first.uuid, closed_at=None, now=now)
    _inactive_webhook(session, settings, now)
    return "demo data loaded: 3 work centers, 4 batches, 14 products, 1 inactive webhook"


def _inactive_webhook(session: Session, settings: ProductionSettings, now: datetime) -> None:
    """A subscription to this system's own test receiver, inactive: the default address policy refuses
    127.0.0.1, so nothing is delivered until an operator opens that address (docs/production.md).

    Its id is fixed for the examples, so the row is written here (after the service's address check under a
    policy that opens only 127.0.0.1): the service gives every subscription a fresh id.
    """
    local = settings.model_copy(update={"webhook_allowed_networks": [ipaddress.ip_network("127.0.0.1/32")]})
    webhooks_service.check_target(RECEIVER, local)
    data = WebhookCreate(url=RECEIVER, events=["batch.closed"], secret_key="demo-secret", is_active=False)
    session.add(
        WebhookSubscription(
            uuid=WEBHOOK,
            url=data.url,
            secret_key=data.secret_key,
            is_active=data.is_active,
            retry_count=data.retry_count,
            timeout_seconds=data.timeout,
            created_at=now,
            event_rows=[WebhookSubscriptionEvent(event_name=name, position=0) for name in data.events],
        )
    )
    session.flush()

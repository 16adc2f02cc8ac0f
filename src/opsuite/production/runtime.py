"""What services, routes and jobs of one running production system share."""

from __future__ import annotations

from dataclasses import dataclass

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.jobs import JobQueue
from opsuite.core.runtime import Runtime as CoreRuntime
from opsuite.production.jobs.models import Job
from opsuite.production.settings import ProductionSettings
from opsuite.production.webhooks.delivery import WebhookOutbox, build_outbox


@dataclass(kw_only=True)
class Runtime(CoreRuntime):
    """The collaborators of one production system, built once by the app, a worker or a CLI command."""

    settings: ProductionSettings
    jobs: JobQueue[Job]
    """Where services enqueue background work; the app's or worker's runner attaches to it."""
    outbox: WebhookOutbox
    """Where events become webhook deliveries; the webhook engine or the broker dispatcher attaches to it."""


def build_runtime(
    settings: ProductionSettings, database: Database | None = None, *, clock: Clock = SYSTEM_CLOCK
) -> Runtime:
    """The runtime on `settings`, with its database (opened here unless given), job queue and outbox."""
    database = database or Database(settings.db_url)
    return Runtime(
        settings=settings,
        database=database,
        clock=clock,
        jobs=JobQueue(Job),
        outbox=build_outbox(database, settings, clock),
    )

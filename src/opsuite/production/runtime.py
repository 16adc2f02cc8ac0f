"""What services, routes and jobs of one running production system share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsuite.core.db import Database
from opsuite.core.jobs import Clock, utcnow
from opsuite.production.settings import ProductionSettings


@dataclass
class Runtime:
    """The collaborators of one production system, built once by the app or a worker."""

    database: Database
    settings: ProductionSettings
    clock: Clock = field(default=utcnow)
    extras: dict[str, Any] = field(default_factory=dict)
    """Parts that domains attach at start (the outbox, the dashboard cache), keyed by domain."""

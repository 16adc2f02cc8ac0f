"""What services, routes and jobs of one running production system share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opsuite.core.runtime import Runtime as CoreRuntime
from opsuite.production.settings import ProductionSettings


@dataclass(kw_only=True)
class Runtime(CoreRuntime):
    """The collaborators of one production system, built once by the app or a worker."""

    settings: ProductionSettings
    extras: dict[str, Any] = field(default_factory=dict)
    """Parts that domains attach at start (the outbox, the dashboard cache), keyed by domain."""

"""The production system's `jobs` and `leases` tables (core mixins)."""

from __future__ import annotations

from opsuite.core.jobs import JobMixin, LeaseMixin
from opsuite.production.base import Base


class Job(JobMixin, Base):
    """A background job: aggregation, export, import, e-mail, periodic upkeep."""


class Lease(LeaseMixin, Base):
    """A named lease: periodic ticks fire once across API workers."""

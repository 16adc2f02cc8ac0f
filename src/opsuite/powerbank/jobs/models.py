"""The powerbank system's `jobs` and `leases` tables (core mixins)."""

from __future__ import annotations

from opsuite.core.jobs import JobMixin, LeaseMixin
from opsuite.powerbank.base import Base


class Job(JobMixin, Base):
    """A background job of the powerbank system."""


class Lease(LeaseMixin, Base):
    """A named lease: periodic ticks."""

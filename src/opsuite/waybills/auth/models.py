"""The login throttle's counters when no Redis is configured (the core table)."""

from __future__ import annotations

from opsuite.core.throttle import LoginThrottleMixin
from opsuite.waybills.base import Base


class LoginThrottle(LoginThrottleMixin, Base):
    """Login attempt counters by hashed key."""

"""What the waybills routes need at hand: database, settings, token verifier, login throttle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from opsuite.core.db import Database
from opsuite.core.runtime import Runtime
from opsuite.core.security import TokenCache
from opsuite.core.throttle import LoginThrottle, build_login_throttle
from opsuite.waybills.auth import models as auth_models
from opsuite.waybills.auth.service import AUDIENCE
from opsuite.waybills.settings import WaybillsSettings


@dataclass(kw_only=True)
class WaybillsRuntime(Runtime):
    """The collaborators of one running waybills system."""

    settings: WaybillsSettings
    tokens: TokenCache
    login_throttle: LoginThrottle

    @property
    def token_lifetime(self) -> timedelta:
        """How long an access token stays valid."""
        return timedelta(minutes=self.settings.access_token_minutes)


def build_runtime(settings: WaybillsSettings, database: Database | None = None) -> WaybillsRuntime:
    """The runtime on `settings` (and an existing `database`, as tests do)."""
    database = database or Database(settings.db_url)
    return WaybillsRuntime(
        settings=settings,
        database=database,
        tokens=TokenCache(settings.signing_key, audience=AUDIENCE),
        login_throttle=build_login_throttle(
            system="waybills",
            limits=settings.login_limits(),
            redis_url=settings.core.redis_url,
            database=database,
            model=auth_models.LoginThrottle,
        ),
    )

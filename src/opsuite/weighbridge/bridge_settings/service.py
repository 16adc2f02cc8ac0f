"""Device settings: read from the one row (defaults until the first save), merged, validated, saved, applied.

The row keeps the camera password in clear (the database is the secret store of this system); the wire
shows it masked (`shown`), and a client sending the mask back changes nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pydantic import SecretStr, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.weighbridge.bridge_settings.models import ROW_ID, BridgeSettingsRow
from opsuite.weighbridge.config import MASK, BridgeConfig
from opsuite.weighbridge.errors import Invalid
from opsuite.weighbridge.runtime import Bridge


def load_config(session: Session, *, lock: bool = False) -> BridgeConfig:
    """The saved settings, or the defaults when none were saved."""
    query = select(BridgeSettingsRow).where(BridgeSettingsRow.id == ROW_ID)
    row = session.scalar(query.with_for_update() if lock else query)
    return BridgeConfig() if row is None else BridgeConfig.model_validate_json(row.data)


def read_config(database: Database) -> BridgeConfig:
    """The saved settings, in a short read of their own (the bridge's owner reads them at start)."""
    with database.session(write=False) as session:
        return load_config(session)


def stored_json(config: BridgeConfig) -> str:
    """The settings as the row keeps them: the camera password in clear (the bridge logs in with it)."""
    data = {
        key: value.get_secret_value() if isinstance(value, SecretStr) else value
        for key, value in config.model_dump().items()
    }
    return json.dumps(data, ensure_ascii=False)


def shown(config: BridgeConfig) -> dict[str, Any]:
    """The settings as `GET /settings` shows them: the camera password masked."""
    return {**config.model_dump(mode="json"), "camera_password": MASK}


def save(session: Session, changes: dict[str, Any], *, now: datetime) -> BridgeConfig:
    """Merge `changes` into the saved settings under a row lock, validate (422 with FastAPI's list), store."""
    try:
        config = load_config(session, lock=True).merged(changes)
    except ValidationError as error:
        raise Invalid(error.errors(include_url=False, include_context=False, include_input=False)) from None
    row = session.get(BridgeSettingsRow, ROW_ID)
    if row is None:
        session.add(BridgeSettingsRow(id=ROW_ID, data=stored_json(config), updated_at=now))
    else:
        row.data, row.updated_at = stored_json(config), now
    session.flush()
    return config


def update_settings(
    database: Database, changes: dict[str, Any], *, bridge: Bridge | None, now: datetime
) -> BridgeConfig:
    """Save the changed settings, then hand them to the bridge (when this process owns it) once committed."""
    try:
        with database.session() as session:
            config = save(session, changes, now=now)
    except IntegrityError:  # two first saves at once: the other created the row; merge into it
        with database.session() as session:
            config = save(session, changes, now=now)
    if bridge is not None:
        bridge.apply(config)
    return config

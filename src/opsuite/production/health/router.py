"""`/healthcheck/service` and `/healthcheck/database`: both 200; the body says if the database answers."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text

from opsuite.production.deps import RuntimeDep

log = logging.getLogger(__name__)
router = APIRouter(tags=["Healthcheck"])


class HealthOut(BaseModel):
    """`{"status": "ok"}`, or `{"status": "error", "message": ...}`."""

    status: str = Field(examples=["ok"])
    message: str | None = Field(default=None, examples=[None])


@router.get(
    "/healthcheck/service",
    summary="Проверка сервиса",
    response_model=HealthOut,
    response_model_exclude_none=True,
)
def service_health() -> HealthOut:
    """Сервис отвечает."""
    return HealthOut(status="ok")


@router.get(
    "/healthcheck/database",
    summary="Проверка базы данных",
    response_model=HealthOut,
    response_model_exclude_none=True,
)
def database_health(runtime: RuntimeDep) -> HealthOut:
    """`SELECT 1` в базе данных системы; 200 в любом случае, как в документе."""
    try:
        with runtime.database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver failure is the answer, not a 500
        log.warning("database healthcheck failed: %s", exc)
        return HealthOut(status="error", message=f"{type(exc).__name__}: {exc}".splitlines()[0][:500])
    return HealthOut(status="ok")

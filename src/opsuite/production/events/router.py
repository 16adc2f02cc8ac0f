"""Event type routes."""

from __future__ import annotations

from fastapi import APIRouter

from opsuite.production.deps import SessionDep
from opsuite.production.events import service
from opsuite.production.events.schemas import EventTypeList, EventTypeOut

router = APIRouter(prefix="/events", tags=["Events"])


@router.get("", summary="Типы событий", response_model=EventTypeList)
def list_event_types(session: SessionDep) -> EventTypeList:
    """Список типов событий."""
    return EventTypeList(
        items=[EventTypeOut.model_validate(item) for item in service.list_event_types(session)]
    )

"""Routes of favourite stations: `/api/user-favorites`."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query

from opsuite.core.fields import MAX_ID
from opsuite.powerbank.deps import CallerDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import mirrored, ok
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.favorites import service
from opsuite.powerbank.favorites.schemas import FavoriteCreate
from opsuite.powerbank.stations.models import Station, UserFavorite
from opsuite.powerbank.timefmt import shown

router = APIRouter(prefix="/api/user-favorites", tags=["Дополнительные API"])


def favorite_row(favorite: UserFavorite, station: Station, zone: ZoneInfo) -> dict[str, Any]:
    """`{id, favorite_id, user_id, station_id, nik, created_at, station_box_id, station_status}`."""
    return {
        "id": favorite.id,
        "favorite_id": favorite.id,
        "user_id": favorite.user_id,
        "station_id": favorite.station_id,
        "nik": favorite.nik,
        "created_at": shown(favorite.created_at, zone),
        "station_box_id": station.box_id,
        "station_status": station.status,
    }


@router.post(
    "", status_code=201, responses=error_responses(400, 401, 403, 404), summary="Добавление в избранное"
)
def add_favorite(
    body: FavoriteCreate, session: SessionDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    favorite, station = service.add(session, caller=caller, new=body, now=runtime.clock.now())
    return mirrored(favorite_row(favorite, station, runtime.zone), service.FAVORITE_ADDED, "favorite_id")


@router.get("", responses=error_responses(400, 401, 403), summary="Избранные станции")
def list_favorites(
    session: SessionDep,
    caller: CallerDep,
    runtime: RuntimeDep,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict[str, Any]:
    rows = [
        favorite_row(favorite, station, runtime.zone)
        for favorite, station in service.list_own(session, caller=caller, user_id=user_id)
    ]
    return ok(rows, None, favorites=rows, count=len(rows))


@router.delete(
    "/{favorite_id:int}", responses=error_responses(400, 401, 404), summary="Удаление из избранного"
)
def remove_favorite(
    favorite_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    service.remove(session, caller=caller, favorite_id=favorite_id)
    return ok({"favorite_id": favorite_id}, service.FAVORITE_DELETED)

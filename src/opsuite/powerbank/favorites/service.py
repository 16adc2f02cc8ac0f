"""Favourite stations: each user's own list (notes §2.11)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.powerbank import access
from opsuite.powerbank.access import Caller
from opsuite.powerbank.errors import BadRequest, Forbidden, NotFound
from opsuite.powerbank.favorites.schemas import FavoriteCreate
from opsuite.powerbank.stations.models import Station, UserFavorite

ALREADY_FAVORITE = "Станция уже в избранном"
FAVORITE_NOT_FOUND = "Избранное не найдено"
STATION_NOT_FOUND = "Станция не найдена"
ONLY_OWN = "Избранное доступно только владельцу"
FAVORITE_ADDED = "Станция добавлена в избранное"
FAVORITE_DELETED = "Станция удалена из избранного"


def _own(caller: Caller, user_id: int | None) -> None:
    if user_id is not None and user_id != caller.user_id:
        raise Forbidden(ONLY_OWN)


def add(
    session: Session, *, caller: Caller, new: FavoriteCreate, now: datetime
) -> tuple[UserFavorite, Station]:
    """Mark a station the caller may use; 400 when it is marked already (the database decides a race)."""
    _own(caller, new.user_id)
    station = session.get(Station, new.station_id)
    if station is None:
        raise NotFound(STATION_NOT_FOUND)
    if not access.may_use_station(session, caller, station.org_unit_id):
        raise Forbidden(access.FORBIDDEN)
    favorite = UserFavorite(user_id=caller.user_id, station_id=station.id, nik=new.nik, created_at=now)
    try:
        with session.begin_nested():
            session.add(favorite)
    except IntegrityError:
        raise BadRequest(ALREADY_FAVORITE) from None
    return favorite, station


def list_own(session: Session, *, caller: Caller, user_id: int | None) -> list[tuple[UserFavorite, Station]]:
    """The caller's favourites, oldest first, with their stations."""
    _own(caller, user_id)
    query = (
        select(UserFavorite, Station)
        .join(Station, Station.id == UserFavorite.station_id)
        .where(UserFavorite.user_id == caller.user_id)
        .order_by(UserFavorite.id)
    )
    return [(favorite, station) for favorite, station in session.execute(query).all()]


def remove(session: Session, *, caller: Caller, favorite_id: int) -> None:
    """Remove one of the caller's favourites (another's is 404, as if absent)."""
    favorite = session.get(UserFavorite, favorite_id)
    if favorite is None or favorite.user_id != caller.user_id:
        raise NotFound(FAVORITE_NOT_FOUND)
    session.delete(favorite)
    session.flush()

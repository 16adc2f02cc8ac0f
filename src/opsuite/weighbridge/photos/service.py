"""Photos of weighings: a JPEG pushed by a client, or one the backend shot after a confirm."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from opsuite.weighbridge.errors import BadRequest, NotFound, TooLarge
from opsuite.weighbridge.photos.storage import PhotoStore, is_jpeg
from opsuite.weighbridge.trucks.models import CAMERA_UPLOAD, Action, Photo

NOT_JPEG = "Файл не является изображением JPEG"


def attach_photo(
    session: Session, action_id: int, camera: int, jpeg_bytes: bytes, *, store: PhotoStore, now: datetime
) -> Photo:
    """Store a JPEG of weighing `action_id` taken by `camera` (0 client, 1 entry, 2 exit); 404/400 otherwise.

    The file is written before the row and removed again if the row cannot be added.
    """
    if session.get(Action, action_id) is None:
        raise NotFound(f"Взвешивание {action_id} не найдено")
    if not is_jpeg(jpeg_bytes):
        raise BadRequest(NOT_JPEG)
    path = store.new_path(now)
    store.write(path, jpeg_bytes)
    try:
        photo = Photo(action_id=action_id, camera=camera, path=path, created_at=now)
        session.add(photo)
        session.flush()
    except BaseException:
        store.remove(path)
        raise
    return photo


def accept_upload(
    session: Session, action_id: int, data: bytes, *, limit: int, store: PhotoStore, now: datetime
) -> Photo:
    """A client's photo of a weighing: 413 over `limit` bytes, 400 unless a JPEG, 404 for no such weighing."""
    if len(data) > limit:
        raise TooLarge(f"Фото больше {limit // 1024} КБ")
    return attach_photo(session, action_id, CAMERA_UPLOAD, data, store=store, now=now)

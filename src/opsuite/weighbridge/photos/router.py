"""Routes of photos: a client pushes a JPEG of a weighing; stored photos are served without a token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from opsuite.core.fields import MAX_ID
from opsuite.core.files import MULTIPART_SLACK
from opsuite.core.limits import body_limit
from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep
from opsuite.weighbridge.errors import NotFound, error_responses
from opsuite.weighbridge.photos import service
from opsuite.weighbridge.photos.storage import url_of

router = APIRouter(tags=["photos"])


class PhotoCreated(BaseModel):
    """The stored photo and where it is served."""

    id: int
    url: str


@router.post(
    "/integration/camera/image",
    response_model=PhotoCreated,
    responses=error_responses(400, 401, 404, 413),
    summary="Загрузка фото взвешивания",
)
# The body limit is the backstop; a margin over the photo cap lets the service's own 413 speak first.
@body_limit(lambda scope: scope["app"].state.settings.photo_max_bytes + MULTIPART_SLACK)
def upload_photo(
    file: Annotated[UploadFile, File(description="JPEG")],
    action_id: Annotated[int, Form(ge=1, le=MAX_ID, description="ID взвешивания из ответа /process/confirm")],
    _user: CurrentUser,
    session: SessionDep,
    runtime: RuntimeDep,
) -> PhotoCreated:
    """Только JPEG не больше лимита; имя файла клиента не используется: путь — дата и случайное имя."""
    limit = runtime.settings.photo_max_bytes
    data = file.file.read(limit + 1)
    photo = service.accept_upload(
        session, action_id, data, limit=limit, store=runtime.photos, now=runtime.clock.now()
    )
    return PhotoCreated(id=photo.id, url=url_of(photo.path))


@router.get("/static/{path:path}", include_in_schema=False, response_class=FileResponse)
def static_photo(path: str, runtime: RuntimeDep) -> FileResponse:
    """A stored photo; only paths of the store's own shape are looked up."""
    target = runtime.photos.file(path)
    if target is None or not target.is_file():
        raise NotFound("Файл не найден")
    return FileResponse(target, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})

"""The ANPR push receiver: Hikvision's multipart POST (`anpr.xml` + pictures) on a secret path."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.datastructures import UploadFile

from opsuite.weighbridge.deps import RuntimeDep, SessionDep
from opsuite.weighbridge.errors import BadRequest, NotFound, error_responses
from opsuite.weighbridge.process import anpr
from opsuite.weighbridge.process.anpr import AnprOut
from opsuite.weighbridge.process.deps import BridgeDep

router = APIRouter(prefix="/integration", tags=["integration"])

MAX_PICTURE_BYTES = 4 * 1024 * 1024


async def anpr_xml(request: Request) -> bytes:
    """The `anpr.xml` part of the push (by file name, field name or XML content type); 400 without one."""
    form = await request.form(max_files=4, max_fields=8, max_part_size=MAX_PICTURE_BYTES)
    try:
        for name, value in form.multi_items():
            if not isinstance(value, UploadFile):
                continue
            kind = (value.content_type or "").lower()
            if name.endswith(".xml") or (value.filename or "").endswith(".xml") or "xml" in kind:
                return await value.read(anpr.MAX_XML_BYTES + 1)
    finally:
        await form.close()
    raise BadRequest("В запросе нет части anpr.xml")


@router.post(
    "/anpr/{key}",
    response_model=AnprOut,
    responses=error_responses(400, 404, 503),
    summary="Приём номера от ANPR-камеры (не в документе)",
)
def receive_anpr(
    key: Annotated[str, Path(max_length=64)],
    xml: Annotated[bytes, Depends(anpr_xml)],
    session: SessionDep,
    runtime: RuntimeDep,
    bridge: BridgeDep,
) -> AnprOut:
    """Камера Hikvision присылает multipart (`anpr.xml` и снимки); в IDLE запускается взвешивание."""
    expected = bridge.config.anpr_key
    if expected is None or not secrets.compare_digest(key.encode(), expected.encode()):
        raise NotFound("Не найдено")
    return anpr.receive(session, bridge, plate=anpr.plate_of(xml), now=runtime.clock.now())

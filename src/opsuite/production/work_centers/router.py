"""Work center routes."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from opsuite.production import demo_ids
from opsuite.production.common.examples import demo_path
from opsuite.production.common.paging import (
    Page,
    PageDep,
    Sorting,
    page_of,
    sorting_by,
)
from opsuite.production.deps import RuntimeDep, SessionDep
from opsuite.production.errors import error_responses
from opsuite.production.work_centers import service
from opsuite.production.work_centers.models import WorkCenter
from opsuite.production.work_centers.schemas import WorkCenterCreate, WorkCenterOut, WorkCenterUpdate

SortingDep = Annotated[Sorting, Depends(sorting_by(service.SORT_FIELDS))]
router = APIRouter(prefix="/work_centers", tags=["Work centers"])
Center1 = Annotated[uuid.UUID, demo_path(demo_ids.WORK_CENTERS["WC-001"], "WC-001 демо-данных")]
Center2 = Annotated[uuid.UUID, demo_path(demo_ids.WORK_CENTERS["WC-002"], "WC-002 демо-данных")]
Center3 = Annotated[uuid.UUID, demo_path(demo_ids.WORK_CENTERS["WC-003"], "WC-003 демо-данных (без партий)")]


@router.post(
    "",
    summary="Создание рабочего центра",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkCenterOut,
    responses=error_responses(409, 422),
)
def create_work_center(body: WorkCenterCreate, session: SessionDep, runtime: RuntimeDep) -> WorkCenter:
    """Создание рабочего центра."""
    return service.create(session, data=body, now=runtime.clock.now())


@router.get(
    "", summary="Список рабочих центров", response_model=Page[WorkCenterOut], responses=error_responses(422)
)
def list_work_centers(
    session: SessionDep,
    page: PageDep,
    sorting: SortingDep,
    identifier: Annotated[str | None, Query(max_length=255)] = None,
) -> Page[WorkCenterOut]:
    """Список рабочих центров."""
    items, total = service.list_page(session, page=page, sorting=sorting, identifier=identifier)
    return page_of(WorkCenterOut, items, total, page)


@router.get(
    "/{work_center_id}",
    summary="Рабочий центр по ID",
    response_model=WorkCenterOut,
    responses=error_responses(404, 422),
)
def get_work_center(work_center_id: Center1, session: SessionDep) -> WorkCenter:
    """Получение рабочего центра по ID."""
    return service.get(session, work_center_id)


@router.patch(
    "/{work_center_id}",
    summary="Изменение рабочего центра",
    response_model=WorkCenterOut,
    responses=error_responses(404, 409, 422),
)
def update_work_center(
    work_center_id: Center2, body: WorkCenterUpdate, session: SessionDep, runtime: RuntimeDep
) -> WorkCenter:
    """Обновление рабочего центра."""
    return service.update(session, work_center_id=work_center_id, data=body, now=runtime.clock.now())


@router.delete(
    "/{work_center_id}",
    summary="Удаление рабочего центра",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(404, 409, 422),
)
def delete_work_center(work_center_id: Center3, session: SessionDep, runtime: RuntimeDep) -> Response:
    """Удаление рабочего центра (409, пока на него ссылаются партии).

    Пример удаляет WC-003 демо-данных: у него нет партий."""
    service.delete(session, outbox=runtime.outbox, work_center_id=work_center_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

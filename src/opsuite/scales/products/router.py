"""Routes of a device's products: live fetch, cache, PATCH by PLU, upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from opsuite.core.web.deps import SessionDep
from opsuite.scales.deps import RuntimeDep, UserId
from opsuite.scales.errors import SCALE_FAILURES, error_responses
from opsuite.scales.fields import DeviceId
from opsuite.scales.products import service
from opsuite.scales.products.schemas import ProductPatch, ProductsResponse, StatusOk

router = APIRouter(prefix="/devices/{device_id}", tags=["products"])


@router.get(
    "/products",
    response_model=ProductsResponse,
    responses=error_responses(401, 404, 409, *SCALE_FAILURES),
    summary="Прочитать товары с весов и обновить кэш",
)
def fetch_products(
    device_id: DeviceId, runtime: RuntimeDep, user_id: UserId, force: bool = False
) -> ProductsResponse:
    return ProductsResponse(
        products=service.fetch(runtime, user_id=user_id, device_id=device_id, force=force)
    )


@router.get(
    "/products/cached",
    response_model=ProductsResponse,
    responses=error_responses(401, 404),
    summary="Файл товаров из кэша",
)
def cached_products(device_id: DeviceId, session: SessionDep, user_id: UserId) -> ProductsResponse:
    return ProductsResponse(products=service.cached(session, user_id=user_id, device_id=device_id))


@router.delete(
    "/products/changes",
    response_model=ProductsResponse,
    responses=error_responses(401, 404, 409),
    summary="Отменить незагруженные изменения: кэш возвращается к файлу, который был в весах",
)
def discard_changes(device_id: DeviceId, runtime: RuntimeDep, user_id: UserId) -> ProductsResponse:
    return ProductsResponse(products=service.discard(runtime, user_id=user_id, device_id=device_id))


@router.patch(
    "/products/{plu}",
    response_model=ProductsResponse,
    responses=error_responses(400, 401, 404, 409),
    summary="Изменить один товар в кэше",
)
def patch_product(
    device_id: DeviceId,
    plu: Annotated[str, Path(openapi_examples={"demo": {"summary": "PLU 1 демо-весов", "value": "1"}})],
    body: ProductPatch,
    runtime: RuntimeDep,
    user_id: UserId,
) -> ProductsResponse:
    data = service.patch(runtime, user_id=user_id, device_id=device_id, plu=plu, change=body)
    return ProductsResponse(products=data)


@router.post(
    "/upload",
    response_model=StatusOk,
    responses=error_responses(401, 404, 409, *SCALE_FAILURES),
    summary="Загрузить кэш в весы",
)
def upload(device_id: DeviceId, runtime: RuntimeDep, user_id: UserId) -> StatusOk:
    service.upload(runtime, user_id=user_id, device_id=device_id)
    return StatusOk()

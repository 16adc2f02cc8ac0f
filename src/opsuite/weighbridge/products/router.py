"""Routes of the products list."""

from __future__ import annotations

from fastapi import APIRouter

from opsuite.weighbridge.deps import CurrentUser, SessionDep
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.products import service
from opsuite.weighbridge.products.schemas import ProductCreate, ProductOut

router = APIRouter(prefix="/products", tags=["products"])


@router.get("", response_model=list[ProductOut], responses=error_responses(401), summary="Список продуктов")
def list_products(_user: CurrentUser, session: SessionDep) -> list[ProductOut]:
    return [ProductOut(id=p.id, name=p.name) for p in service.list_products(session)]


@router.post(
    "", response_model=ProductOut, responses=error_responses(401, 409), summary="Добавление продукта"
)
def create_product(body: ProductCreate, _user: CurrentUser, session: SessionDep) -> ProductOut:
    product = service.create_product(session, name=body.name)
    return ProductOut(id=product.id, name=product.name)

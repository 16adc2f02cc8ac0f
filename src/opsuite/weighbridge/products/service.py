"""Products: the list and additions; names are unique regardless of case and surrounding spaces."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.weighbridge.errors import Conflict, NotFound
from opsuite.weighbridge.products.models import Product


def name_key(name: str) -> str:
    """The key two names that mean one product share."""
    return " ".join(name.split()).casefold()


def list_products(session: Session) -> Sequence[Product]:
    """Every product, by name."""
    return session.scalars(select(Product).order_by(Product.name, Product.id)).all()


def create_product(session: Session, *, name: str) -> Product:
    """Add a product; 409 when one of that name exists."""
    name = " ".join(name.split())
    if not name:
        raise Conflict("Название продукта не может быть пустым")
    product = Product(name=name, name_key=name_key(name))
    if session.scalar(select(Product.id).where(Product.name_key == product.name_key)) is not None:
        raise Conflict(f"Продукт «{name}» уже есть")
    session.add(product)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(f"Продукт «{name}» уже есть") from None
    return product


def check_product(session: Session, product_id: int | None) -> None:
    """404 unless `product_id` is None or names a product."""
    if product_id is not None and session.get(Product, product_id) is None:
        raise NotFound(f"Продукт {product_id} не найден")

"""Demo data: the demo superuser, an operator, products, three finished visits and one open visit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.clock import utcnow
from opsuite.core.plates import plate_key
from opsuite.weighbridge.products import service as products_service
from opsuite.weighbridge.trucks.models import ENTRANCE, EXIT, Action, Truck
from opsuite.weighbridge.users import service as users_service
from opsuite.weighbridge.users.models import User
from opsuite.weighbridge.users.schemas import UserCreate

DEMO_PHONE = "+998901234567"
DEMO_PASSWORD = "demo1234"
OPERATOR_PHONE = "+998901112233"
OPERATOR_PASSWORD = "operator1"
PRODUCTS = ("Ko'mir", "Karbamid", "Sement", "Qum")
# (number, product index, entrance kg, exit kg or None while on the territory, hours ago)
VISITS = (
    ("01A777AA", 0, 14200.0, 38650.0, 5),
    ("10B123CD", 1, 31800.0, 12950.0, 3),
    ("01 123 ABC", 2, 11900.0, 27400.0, 2),
    ("30C555DE", 3, 13050.0, None, 0.5),
)


def load(session: Session, *, if_empty: bool = False, now: datetime | None = None) -> str:
    """Create the demo users, products and visits; with `if_empty`, only into a database without users."""
    if if_empty and session.scalar(select(User.id).limit(1)) is not None:
        return "not empty, demo data skipped"
    now = now or utcnow()
    admin, _created = users_service.set_superuser(session, phone=DEMO_PHONE, password=DEMO_PASSWORD)
    operator = session.scalar(select(User).where(User.phone_number == OPERATOR_PHONE))
    if operator is None:
        new = UserCreate(phone_number=OPERATOR_PHONE, password=OPERATOR_PASSWORD)
        operator = users_service.create_user(session, new=new)
    known = {product.name: product for product in products_service.list_products(session)}
    products = [known.get(name) or products_service.create_product(session, name=name) for name in PRODUCTS]
    if session.scalar(select(Truck.id).limit(1)) is None:
        for number, product, entrance, exit_weight, hours in VISITS:
            at = now - timedelta(hours=hours)
            truck = Truck(
                truck_number=number,
                number_key=plate_key(number),
                product_id=products[product].id,
                is_finished=exit_weight is not None,
                created_at=at,
            )
            weighings = [(ENTRANCE, entrance, at + timedelta(minutes=2))]
            if exit_weight is not None:
                weighings.append((EXIT, exit_weight, at + timedelta(minutes=40)))
            truck.actions = [
                Action(
                    action_type=kind,
                    weight=kg,
                    operator_id=operator.id,
                    product_id=truck.product_id,
                    created_at=t,
                )
                for kind, kg, t in weighings
            ]
            session.add(truck)
    session.flush()
    return (
        f"demo superuser {admin.phone_number} / {DEMO_PASSWORD},"
        f" operator {OPERATOR_PHONE} / {OPERATOR_PASSWORD},"
        f" {len(PRODUCTS)} products, {len(VISITS)} visits (one still on the territory)"
    )

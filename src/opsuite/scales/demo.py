"""Demo data: one user and one device pointing at the simulator `opsuite serve` starts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.scales.crypto import DeviceCipher
from opsuite.scales.fleet import service as fleet_service
from opsuite.scales.fleet.schemas import DeviceCreate
from opsuite.scales.users import service as users_service
from opsuite.scales.users.models import User

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo1234"
DEMO_DEVICE = DeviceCreate(
    name="Весы 1 (симулятор)",
    description="Simulator started by opsuite serve",
    ip="127.0.0.1",
    port=1111,
    protocol="TCP",
    password="1234",
)


def load(session: Session, cipher: DeviceCipher, *, if_empty: bool = False, port: int = 1111) -> str:
    """Create the demo user and a device at the simulator's `port`; with `if_empty`, only into a database
    without users."""
    if if_empty and session.scalar(select(User.id).limit(1)) is not None:
        return "not empty, demo data skipped"
    user, _created = users_service.set_password(session, email=DEMO_EMAIL, password=DEMO_PASSWORD)
    session.flush()
    if not fleet_service.list_devices(session, user_id=user.id):
        device = DEMO_DEVICE.model_copy(update={"port": port})
        fleet_service.create_device(session, cipher, user_id=user.id, new=device)
    return f"demo user {DEMO_EMAIL} / {DEMO_PASSWORD} with a device at 127.0.0.1:{port} (password 1234)"

"""Demo data: a group and a subgroup, an admin of each role, a user, a pending user, the demo cabinets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.security import hash_password
from opsuite.powerbank.auth import service as auth_service
from opsuite.powerbank.crypto import KeyCipher, key_hint
from opsuite.powerbank.demo_cabinets import DEMO_CABINETS, DemoCabinet
from opsuite.powerbank.org_units import service as units_service
from opsuite.powerbank.powerbanks.models import Powerbank
from opsuite.powerbank.stations.models import Station, StationPowerbank, StationSecretKey
from opsuite.powerbank.users import service as users_service
from opsuite.powerbank.users.models import User
from opsuite.powerbank.vocab import PowerbankStatus, Role, StationStatus, UnitType, UserStatus

DEMO_PASSWORD = "demo1234"
DEMO_PEOPLE: tuple[tuple[str, str, str, Role | None], ...] = (
    ("+79000000001", "service@example.com", "Сервисный Администратор", Role.SERVICE_ADMIN),
    ("+79000000002", "group@example.com", "Групповой Администратор", Role.GROUP_ADMIN),
    ("+79000000003", "subgroup@example.com", "Администратор Подгруппы", Role.SUBGROUP_ADMIN),
    ("+79000000004", "user@example.com", "Иван Пользователь", Role.USER),
    ("+79000000005", "pending@example.com", "Петр Ожидающий", None),
)
"""Phone, e-mail, name, role (None: registered, waiting for approval); every password is DEMO_PASSWORD."""
IN_GROUP = frozenset({"ST003"})
"""Demo stations of the group itself; the others belong to its subgroup."""


def load(session: Session, cipher: KeyCipher, *, now: datetime, if_empty: bool = False) -> str:
    """Create the demo data; with `if_empty`, only into a database without users."""
    if if_empty and session.scalar(select(User.id).limit(1)) is not None:
        return "not empty, demo data skipped"
    if session.scalar(select(Station.id).where(Station.box_id == DEMO_CABINETS[0].box_id)) is not None:
        return "demo data already loaded"
    group = units_service.add_unit(
        session,
        name="Головной офис",
        unit_type=UnitType.GROUP,
        parent_id=None,
        now=now,
        default_powerbank_limit=2,
    )
    subgroup = units_service.add_unit(
        session, name="Отдел продаж", unit_type=UnitType.SUBGROUP, parent_id=group.id, now=now
    )
    units = {Role.SERVICE_ADMIN: None, Role.GROUP_ADMIN: group.id}
    password_hash = hash_password(DEMO_PASSWORD)
    for phone, email, fio, role in DEMO_PEOPLE:
        status = UserStatus.PENDING if role is None else UserStatus.ACTIVE
        user = auth_service.add_user(
            session, phone=phone, email=email, fio=fio, password_hash=password_hash, status=status, now=now
        )
        session.flush()
        if role is not None:
            unit = units.get(role, subgroup.id)
            users_service.set_membership(session, user_id=user.id, role=role, org_unit_id=unit, now=now)
    for cabinet in DEMO_CABINETS:
        unit_id = group.id if cabinet.box_id in IN_GROUP else subgroup.id
        _add_cabinet(session, cipher, cabinet, unit_id=unit_id, bank_unit_id=group.id, now=now)
    phones = ", ".join(phone for phone, *_ in DEMO_PEOPLE)
    boxes = ", ".join(cabinet.box_id for cabinet in DEMO_CABINETS)
    return f"demo users {phones} / {DEMO_PASSWORD}; stations {boxes}"


def _add_cabinet(
    session: Session,
    cipher: KeyCipher,
    cabinet: DemoCabinet,
    *,
    unit_id: int,
    bank_unit_id: int,
    now: datetime,
) -> None:
    station = Station(
        box_id=cabinet.box_id,
        org_unit_id=unit_id,
        slots_declared=cabinet.slots,
        status=StationStatus.ACTIVE.value,
        created_at=now,
    )
    session.add(station)
    session.flush()
    session.add(
        StationSecretKey(
            station_id=station.id,
            key_encrypted=cipher.encrypt(cabinet.secret_key),
            key_hint=key_hint(cabinet.secret_key),
            created_at=now,
        )
    )
    for slot, serial in cabinet.banks.items():
        bank = Powerbank(
            serial_number=serial,
            org_unit_id=bank_unit_id,
            soh=100,
            status=PowerbankStatus.ACTIVE.value,
            activated_at=now,
            created_at=now,
        )
        session.add(bank)
        session.flush()
        session.add(
            StationPowerbank(
                station_id=station.id,
                slot_number=slot,
                powerbank_id=bank.id,
                level=100,
                voltage=4110,
                current=0,
                temperature=30,
                status_bits=0xC0,
                soh=100,
                lendable=True,
                quarantined=False,
                updated_at=now,
            )
        )

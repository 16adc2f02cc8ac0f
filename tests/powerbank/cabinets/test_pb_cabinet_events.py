"""Cabinet events into the database, one transaction each, on the demo data (ST001: 8 slots, banks 1-6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.powerbank.cabinets import events
from opsuite.powerbank.cabinets.events import DatabaseCabinetEvents, OrderClosed
from opsuite.powerbank.cabinets.keys import DatabaseStationKeys
from opsuite.powerbank.commands.models import CabinetCommand, CabinetEvent
from opsuite.powerbank.crypto import KeyCipher
from opsuite.powerbank.demo_cabinets import demo_serial
from opsuite.powerbank.devices import protocol as p
from opsuite.powerbank.devices.gateway import TcpCabinetGateway
from opsuite.powerbank.devices.interface import InventoryReport, LoginReport, ReturnVerdict
from opsuite.powerbank.devices.simulator import Bank, CabinetSimulator
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.powerbanks.models import Powerbank, PowerbankErrorReport
from opsuite.powerbank.reports.models import SlotAbnormalReport
from opsuite.powerbank.stations.models import Station, StationPowerbank
from opsuite.powerbank.users.models import User
from tests.clock import FakeClock
from tests.powerbank.devices.rig import until
from tests.powerbank.helpers import FERNET_KEY, GROUP_ADMIN, START, SUBGROUP_ADMIN, USER

Run = Callable[[Coroutine[Any, Any, Any]], Any]
NOW = START + dt.timedelta(hours=1)
LATER = NOW + dt.timedelta(minutes=5)
STRANGER = "4443484154FFFF01"


def record(slot: int, serial: str, *, status: int = 0xC0, level: int = 100) -> p.SlotRecord:
    return Bank(serial, level=level, status=status).record(slot)


def station(session: Session, box_id: str) -> Station:
    found = session.scalar(select(Station).where(Station.box_id == box_id))
    assert found is not None
    return found


def bank(session: Session, serial: str) -> Powerbank:
    found = session.scalar(select(Powerbank).where(Powerbank.serial_number == serial))
    assert found is not None
    return found


def mirror(session: Session, box_id: str) -> dict[int, tuple[str, bool, int | None]]:
    """slot -> (serial, lendable, level) of a station's slot rows."""
    rows = session.execute(
        select(
            StationPowerbank.slot_number,
            Powerbank.serial_number,
            StationPowerbank.lendable,
            StationPowerbank.level,
        )
        .join(Powerbank, Powerbank.id == StationPowerbank.powerbank_id)
        .where(StationPowerbank.station_id == station(session, box_id).id)
    ).all()
    return {slot: (serial, lendable, level) for slot, serial, lendable, level in rows}


def rent(
    session: Session,
    box_id: str,
    slot: int,
    *,
    status: str = "borrow",
    borrowed_at: dt.datetime = NOW,
    phone: str = USER,
) -> Order:
    """An order of a demo person for the bank of `slot` (one pending order per person, as the database says)."""
    user = session.scalar(select(User).where(User.phone_e164 == phone))
    assert user is not None
    home = station(session, box_id)
    lent = bank(session, demo_serial(int(box_id[2:]), slot))
    order = Order(
        user_id=user.id,
        powerbank_id=lent.id,
        station_id=home.id,
        slot_number=slot,
        status=status,
        timestamp=borrowed_at,
        borrowed_at=borrowed_at if status == "borrow" else None,
    )
    session.add(order)
    session.flush()
    return order


def test_a_login_records_the_connection_and_replaces_the_slots(database: Database) -> None:
    with database.session() as session:
        report = LoginReport(
            "ST001",
            "10.0.0.7:40001",
            123_456,
            8,
            (
                record(1, demo_serial(1, 1), level=80),
                record(2, demo_serial(1, 2), status=0x40),
                record(8, STRANGER),
            ),
            NOW,
        )
        assert events.record_login(session, report, now=NOW) == []
    with database.session() as session:
        st001 = station(session, "ST001")
        assert (st001.connected_at, st001.last_seen_at, st001.peer, st001.uptime_ms) == (
            NOW,
            NOW,
            "10.0.0.7:40001",
            123_456,
        )
        assert (st001.disconnected_at, st001.inventory_updated_at, st001.status) == (None, NOW, "active")
        assert mirror(session, "ST001") == {
            1: (demo_serial(1, 1), True, 80),
            2: (demo_serial(1, 2), False, 100),
            8: (STRANGER, True, 100),
        }
        stranger = bank(session, STRANGER)
        assert (stranger.status, stranger.org_unit_id) == ("unknown", st001.org_unit_id)
        # Banks 3-6 left the mirror but stay in the database.
        assert bank(session, demo_serial(1, 3)).status == "active"


def test_a_return_closes_the_active_order_anywhere_and_places_the_bank(database: Database) -> None:
    with database.session() as session:
        order_id = rent(session, "ST001", 1).id
        user_id = session.get(Order, order_id).user_id
        session.execute(StationPowerbank.__table__.delete().where(StationPowerbank.slot_number == 1))
    with database.session() as session:
        verdict, closed = events.record_return(
            session, "ST002", record(7, demo_serial(1, 1), status=0x48), now=LATER
        )
    with database.session() as session:
        st002_id, lent_id = station(session, "ST002").id, bank(session, demo_serial(1, 1)).id
    assert (verdict, closed) == (
        ReturnVerdict.ACCEPTED,
        OrderClosed(order_id, user_id, lent_id, st002_id, LATER),
    )
    with database.session() as session:
        order = session.get(Order, order_id)
        assert order is not None
        assert (
            order.status,
            order.completed_at,
            order.return_station_id,
            order.return_slot_number,
            order.return_source,
        ) == ("return", LATER, st002_id, 7, "cabinet")
        # The insertion switch was clear in the report: not lendable until an inventory sees it latched.
        assert mirror(session, "ST002")[7] == (demo_serial(1, 1), False, 100)
        journal = session.scalars(select(CabinetEvent).where(CabinetEvent.station_id == st002_id)).all()
        assert [(e.cmd, e.outcome, e.raw_hex[:2]) for e in journal] == [
            (0x66, f"closed order {order_id}", "07")
        ]
    # The cabinet resends the same return: accepted again, nothing closed twice.
    with database.session() as session:
        again = events.record_return(
            session, "ST002", record(7, demo_serial(1, 1)), now=LATER + dt.timedelta(seconds=2)
        )
        assert again == (ReturnVerdict.ACCEPTED, None)
        assert session.get(Order, order_id).completed_at == LATER
        assert mirror(session, "ST002")[7] == (demo_serial(1, 1), True, 100)


def test_a_return_with_an_all_zero_id_is_refused_as_invalid(database: Database) -> None:
    with database.session() as session:
        assert events.record_return(session, "ST001", record(7, "0" * 16), now=NOW) == (
            ReturnVerdict.INVALID_ID,
            None,
        )
        assert 7 not in mirror(session, "ST001")


def test_a_returned_bank_with_a_users_error_report_turns_system_error(database: Database) -> None:
    with database.session() as session:
        order = rent(session, "ST001", 2)
        session.add(
            PowerbankErrorReport(
                order_id=order.id,
                powerbank_id=order.powerbank_id,
                user_id=order.user_id,
                error_type="cable_type_c_damaged",
                created_at=NOW,
            )
        )
    with database.session() as session:
        events.record_return(session, "ST001", record(2, demo_serial(1, 2)), now=LATER)
    with database.session() as session:
        returned = bank(session, demo_serial(1, 2))
        report = session.scalar(select(PowerbankErrorReport))
        assert (returned.status, report.resolved_at) == ("system_error", LATER)


def test_a_bank_pulled_without_an_unlock_is_reported_and_flagged_missing(database: Database) -> None:
    with database.session() as session:
        events.record_slot_abnormal(session, "ST001", 3, 1, demo_serial(1, 3), now=NOW)
        events.record_slot_abnormal(session, "ST001", 8, 2, "0" * 16, now=NOW)
    with database.session() as session:
        reports = session.scalars(select(SlotAbnormalReport).order_by(SlotAbnormalReport.id)).all()
        assert [(r.slot_number, r.event_type, r.terminal_id, r.reported_at) for r in reports] == [
            (3, "1", demo_serial(1, 3), NOW),
            (8, "2", "0" * 16, NOW),
        ]
        assert bank(session, demo_serial(1, 3)).missing is True
        assert sorted(mirror(session, "ST001")) == [1, 2, 4, 5, 6]
        journal = session.scalars(select(CabinetEvent.outcome).order_by(CabinetEvent.id)).all()
        assert journal == ["bank missing", "reported"]


def test_a_bank_pulled_during_its_rental_is_not_missing(database: Database) -> None:
    with database.session() as session:
        rent(session, "ST001", 4, status="force_eject")
    with database.session() as session:
        events.record_slot_abnormal(session, "ST001", 4, 1, demo_serial(1, 4), now=NOW)
        assert bank(session, demo_serial(1, 4)).missing is False


def test_an_inventory_settles_unanswered_ejects_and_closes_rentals_seen_back(database: Database) -> None:
    with database.session() as session:
        gone = rent(session, "ST001", 1, status="pending").id
        kept = rent(session, "ST001", 2, status="pending", phone=GROUP_ADMIN).id
        waiting = rent(session, "ST001", 3, status="pending", phone=SUBGROUP_ADMIN).id
        session.add(
            CabinetCommand(
                station_id=station(session, "ST001").id,
                kind="eject",
                slot_number=3,
                state="sent",
                order_id=waiting,
                created_at=NOW,
                deadline=NOW + dt.timedelta(seconds=10),
            )
        )
        back = rent(session, "ST002", 1, borrowed_at=NOW).id
    # Slot 1 empty; slot 2 still latched; slot 3 in flight; ST002's bank 1 sits in ST001's slot 7.
    records = (record(2, demo_serial(1, 2)), record(3, demo_serial(1, 3)), record(7, demo_serial(2, 1)))
    with database.session() as session:
        closed = events.record_inventory(session, InventoryReport("ST001", 8, records, LATER), now=LATER)
    with database.session() as session:
        state = {o.id: (o.status, o.borrowed_at, o.completed_at) for o in session.scalars(select(Order))}
        assert state == {
            gone: ("borrow", LATER, None),
            kept: ("failed", None, LATER),
            waiting: ("pending", None, None),
            back: ("return", NOW, LATER),
        }
        assert [(c.order_id, c.completed_at) for c in closed] == [(back, LATER)]
        assert session.get(Order, back).return_source == "inventory"
        assert sorted(mirror(session, "ST001")) == [2, 3, 7]


def test_an_inventory_does_not_close_a_rental_that_began_after_it_was_asked(database: Database) -> None:
    with database.session() as session:
        recent = rent(session, "ST002", 1, borrowed_at=LATER - dt.timedelta(seconds=2)).id
    with database.session() as session:
        report = InventoryReport("ST001", 8, (record(7, demo_serial(2, 1)),), LATER)
        assert events.record_inventory(session, report, now=LATER) == []
        assert session.get(Order, recent).status == "borrow"


def test_offline_and_last_seen_touch_connection_facts_only(database: Database) -> None:
    with database.session() as session:
        events.record_last_seen(session, {"ST001": NOW, "ST002": LATER})
        events.record_offline(session, "ST001", now=LATER)
    with database.session() as session:
        assert (station(session, "ST001").last_seen_at, station(session, "ST001").disconnected_at) == (
            NOW,
            LATER,
        )
        assert (station(session, "ST002").last_seen_at, station(session, "ST001").status) == (LATER, "active")


def test_station_keys_admit_known_stations_and_park_unknown_boxes(database: Database) -> None:
    keys = DatabaseStationKeys(database, KeyCipher([FERNET_KEY]), clock=FakeClock(NOW))
    assert keys.lookup("ST002") == b"DEMOKEY2"
    assert keys.lookup("DCHEY02599000077") is None
    assert keys.lookup("DCHEY02599000077") is None
    with database.session() as session:
        parked = station(session, "DCHEY02599000077")
        assert (parked.status, parked.org_unit_id, parked.created_at) == ("pending", None, NOW)
        parked.status = "active"  # placed by an admin, but given no key yet
    assert keys.lookup("DCHEY02599000077") is None


def test_a_cabinet_over_sockets_logs_in_with_its_stations_key_and_its_return_closes_the_order(
    database: Database, run: Run
) -> None:
    with database.session() as session:
        order_id = rent(session, "ST001", 1).id
    closed: list[OrderClosed] = []

    async def scenario() -> None:
        clock = FakeClock(NOW)
        gateway = TcpCabinetGateway(
            DatabaseStationKeys(database, KeyCipher([FERNET_KEY]), clock=clock),
            DatabaseCabinetEvents(database, clock=clock, closed=closed.append),
            clock=clock,
        )
        port = await gateway.start("127.0.0.1", 0)
        banks = {slot: demo_serial(3, slot) for slot in (1, 2, 3)}
        sim = CabinetSimulator(
            "ST003",
            b"DEMOKEY3",
            host="127.0.0.1",
            port=port,
            slots=4,
            banks=banks,
            reconnect_delay=None,
            uptime_ms=5000,
            clock=clock,
        )
        try:
            await sim.start()
            await sim.wait_logged_in()
            assert await sim.insert(4, demo_serial(1, 1)) == ReturnVerdict.ACCEPTED
            await until(lambda: p.InventoryRequest() in sim.received)  # asked after the return
            await until(lambda: gateway.status()["ST003"].busy is False)
        finally:
            await sim.stop()
            await gateway.stop()

    run(scenario())
    with database.session() as session:
        order = session.get(Order, order_id)
        st003 = station(session, "ST003")
        assert (order.status, order.return_station_id, order.return_slot_number) == ("return", st003.id, 4)
        assert (st003.connected_at, st003.uptime_ms) == (NOW, 5000)
        assert mirror(session, "ST003")[4] == (demo_serial(1, 1), True, 100)  # the inventory saw it latched
    assert [c.order_id for c in closed] == [order_id]

"""Initial schema and the default roles: users, roles, and two vehicle kinds of one shape."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps
from opsuite.waybills.roles.flags import DEFAULT_ROLES

revision = "0001"
down_revision = None


def crud(subject: str, *, download: bool = False) -> tuple[str, ...]:
    """The permission flags to create, delete, update, (download,) and view `subject`."""
    verbs = ("create", "delete", "update", "download") if download else ("create", "delete", "update")
    return (*(f"can_{verb}_{subject}" for verb in verbs), f"view_{subject}")


def reports(subject: str) -> tuple[str, str]:
    """The permission flags to download and view `subject`'s reports."""
    return f"can_download_{subject}_reports", f"view_{subject}_reports"


# The permission columns, in table order as first deployed (the original's names, typos included).
PERMISSION_FLAGS = (
    "can_use_mobile_booking",
    *crud("users"),
    "view_drivers",
    *crud("roles"),
    "can_create_permissions",
    *(f"{verb}_permissisons" for verb in ("can_delete", "can_update", "view")),
    *crud("fire_trucks"),
    *crud("fire_truck_waybills", download=True),
    *crud("fire_truck_waybills_records"),
    *crud("fire_truck_norms"),
    *reports("fire_truck"),
    *crud("passenger_cars"),
    *crud("passenger_cars_waybills", download=True),
    *crud("passenger_cars_waybills_records"),
    *crud("passenger_cars_norms"),
    *reports("passenger_cars"),
    *reports("drivers"),
    *crud("technical_maintenance"),
    "view_operating_hours",
)


def required(type_: type[sa.types.TypeEngine[Any]], *names: str) -> list[sa.Column[Any]]:
    """A non-null column of `type_` for each of `names`."""
    return [sa.Column(name, type_(), nullable=False) for name in names]


def strings(**lengths: int) -> list[sa.Column[Any]]:
    """A non-null string column of each given name and length, in the order given."""
    return [sa.Column(name, sa.String(length=length), nullable=False) for name, length in lengths.items()]


def deleted_at() -> sa.Column[Any]:
    """The soft-delete mark: a row with one is gone for every live query and unique index."""
    return sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True)


def refers(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    """`table.column` refers to `target.id`."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)


def create(table: str, *items: sa.schema.SchemaItem) -> None:
    """Create `table` with `items` and its `id` primary key."""
    op.create_table(table, *items, sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")))


def unique_live(name: str, table: str, columns: list[str]) -> None:
    """A unique index over the rows that are not soft-deleted."""
    live = sa.text("deleted_at IS NULL")
    op.create_index(name, table, columns, unique=True, sqlite_where=live, postgresql_where=live)


def upgrade() -> None:
    op.create_table(
        "counter",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counter")),
    )
    create(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        deleted_at(),
    )
    op.create_index("uq_role_code", "role", ["code"], unique=True)
    unique_live("uq_role_name_live", "role", ["name"])
    create(
        "permission",
        *required(sa.Integer, "id", "role_id"),
        deleted_at(),
        *(
            sa.Column(flag, sa.Boolean(), server_default=sa.text("(false)"), nullable=False)
            for flag in PERMISSION_FLAGS
        ),
        refers("permission", "role_id", "role", ondelete="CASCADE"),
    )
    unique_live("uq_permission_role_live", "permission", ["role_id"])
    create(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        *strings(name=40, surname=40, last_name=40, login=15, password=300, phone=12),
        sa.Column("driver_license", sa.String(length=10), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        deleted_at(),
        refers("user", "role_id", "role"),
    )
    schema_steps.create_indexes("user", "role_id")
    for column in ("driver_license", "login", "phone"):
        unique_live(f"uq_user_{column}_live", "user", [column])
    fire_truck_record = [
        sa.Column("driving_route", sa.String(length=255), nullable=True),
        *required(sa.Integer, "time_with_pump", "time_without_pump", "distance_km"),
        *required(sa.BigInteger, "fuel_used_by_distance", "fuel_used_with_pump", "fuel_used_without_pump"),
    ]
    create_vehicle_kind(
        "fire_truck",
        norms="norms_fire_truck",
        norm_columns=("with_pump_norm", "without_pump_norm", "km_norm"),
        record_columns=fire_truck_record,
        leading=[sa.Column("type", sa.String(length=60), nullable=False)],
    )
    passenger_car_record = [
        *required(sa.Integer, "distance_city_km", "distance_area_km", "distance_total_km"),
        *required(sa.BigInteger, "fuel_used_city", "fuel_used_area"),
    ]
    create_vehicle_kind(
        "passenger_car",
        norms="norms_passenger_cars",
        norm_columns=("city_norm", "area_norm"),
        record_columns=passenger_car_record,
    )
    seed_defaults()


def create_vehicle_kind(
    car: str,
    *,
    norms: str,
    norm_columns: tuple[str, ...],
    record_columns: Sequence[sa.Column[Any]],
    leading: Sequence[sa.Column[Any]] = (),
) -> None:
    """One vehicle kind's tables: cars, fuel norms, waybills, their records, the odometer/fuel chain."""
    create(
        car,
        *leading,
        sa.Column("id", sa.Integer(), nullable=False),
        *strings(number=9, brand=60, model=60),
        deleted_at(),
    )
    unique_live(f"uq_{car}_number_live", car, ["number"])
    create(
        norms,
        sa.Column("car_id", sa.Integer(), nullable=False),
        *required(sa.BigInteger, *norm_columns),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season", sa.String(length=10), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        deleted_at(),
        refers(norms, "car_id", car),
    )
    schema_steps.create_indexes(norms, "car_id")
    waybill = f"{car}_waybill"
    create(
        waybill,
        *required(sa.Integer, "car_id", "id"),
        sa.Column("number", sa.String(length=6), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("norm_season", sa.String(length=10), nullable=False),
        sa.Column("fuel_type", sa.String(length=10), nullable=True),
        *required(sa.BigInteger, "upon_issuance", "total_spent", "total_received", "required_by_norm"),
        *required(sa.BigInteger, "availability_upon_delivery", "savings", "overrun"),
        deleted_at(),
        refers(waybill, "car_id", car),
        refers(waybill, "driver_id", "user"),
        sa.UniqueConstraint("number", name=op.f(f"uq_{waybill}_number")),
    )
    op.create_index(f"ix_{waybill}_car_date", waybill, ["car_id", "date"], unique=False)
    schema_steps.create_indexes(waybill, "driver_id")
    unique_live(f"uq_{waybill}_car_driver_date_live", waybill, ["car_id", "driver_id", "date"])
    record = f"{waybill}_record"
    create(
        record,
        sa.Column(f"{waybill}_id", sa.Integer(), nullable=False),
        *record_columns,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        *(sa.Column(name, sa.Time(), nullable=False) for name in ("departure_time", "arrival_time")),
        *required(sa.BigInteger, "fuel_refueled", "fuel_used"),
        *required(sa.Integer, "odometer_before", "odometer_after"),
        *required(sa.BigInteger, "fuel_before_departure", "fuel_used_normal", "fuel_on_return"),
        deleted_at(),
        refers(record, f"{waybill}_id", waybill),
    )
    schema_steps.create_indexes(record, f"{waybill}_id")
    chain = f"odometer_fuel_{car}"
    create(
        chain,
        sa.Column("car_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in ("waybill_id", "record_id")),
        *required(sa.Integer, "id", "odometer"),
        sa.Column("fuel", sa.BigInteger(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        deleted_at(),
        refers(chain, "car_id", car),
        refers(chain, "record_id", record),
        refers(chain, "waybill_id", waybill),
        sa.UniqueConstraint("record_id", name=op.f(f"uq_{chain}_record_id")),
    )
    op.create_index(f"ix_{chain}_chain", chain, ["car_id", "date", "id"], unique=False)


def seed_defaults() -> None:
    """The three default roles with their flags, and the waybill number counters."""
    bind = op.get_bind()
    meta = sa.MetaData()
    role = sa.Table("role", meta, autoload_with=bind)
    permission = sa.Table("permission", meta, autoload_with=bind)
    counter = sa.Table("counter", meta, autoload_with=bind)
    for code, name, granted in DEFAULT_ROLES:
        role_id = bind.execute(sa.insert(role).values(name=name, code=code).returning(role.c.id)).scalar_one()
        flags = {
            c.name: c.name in granted
            for c in permission.columns
            if c.name not in ("id", "role_id", "deleted_at")
        }
        bind.execute(sa.insert(permission).values(role_id=role_id, **flags))
    for name in ("passenger_car_waybill_number", "fire_truck_waybill_number"):
        bind.execute(sa.insert(counter).values(name=name, value=0))


def downgrade() -> None:
    for car, norms in (("passenger_car", "norms_passenger_cars"), ("fire_truck", "norms_fire_truck")):
        schema_steps.drop_tables(
            f"odometer_fuel_{car}", f"{car}_waybill_record", f"{car}_waybill", norms, car
        )
    schema_steps.drop_tables("user", "permission", "role", "counter")

"""initial schema and default roles

Revision ID: 0001
Revises:
Create Date: 2026-11-22 21:19:43.991035
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from opsuite.waybills.roles.flags import DEFAULT_ROLES

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "counter",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_counter")),
    )
    op.create_table(
        "fire_truck",
        sa.Column("type", sa.String(length=60), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=9), nullable=False),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fire_truck")),
    )
    with op.batch_alter_table("fire_truck", schema=None) as batch_op:
        batch_op.create_index(
            "uq_fire_truck_number_live",
            ["number"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "passenger_car",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=9), nullable=False),
        sa.Column("brand", sa.String(length=60), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passenger_car")),
    )
    with op.batch_alter_table("passenger_car", schema=None) as batch_op:
        batch_op.create_index(
            "uq_passenger_car_number_live",
            ["number"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role")),
    )
    with op.batch_alter_table("role", schema=None) as batch_op:
        batch_op.create_index("uq_role_code", ["code"], unique=True)
        batch_op.create_index(
            "uq_role_name_live",
            ["name"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "norms_fire_truck",
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("with_pump_norm", sa.BigInteger(), nullable=False),
        sa.Column("without_pump_norm", sa.BigInteger(), nullable=False),
        sa.Column("km_norm", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season", sa.String(length=10), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["car_id"], ["fire_truck.id"], name=op.f("fk_norms_fire_truck_car_id_fire_truck")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norms_fire_truck")),
    )
    with op.batch_alter_table("norms_fire_truck", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_norms_fire_truck_car_id"), ["car_id"], unique=False)

    op.create_table(
        "norms_passenger_cars",
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("city_norm", sa.BigInteger(), nullable=False),
        sa.Column("area_norm", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("season", sa.String(length=10), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["car_id"], ["passenger_car.id"], name=op.f("fk_norms_passenger_cars_car_id_passenger_car")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_norms_passenger_cars")),
    )
    with op.batch_alter_table("norms_passenger_cars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_norms_passenger_cars_car_id"), ["car_id"], unique=False)

    op.create_table(
        "permission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("can_use_mobile_booking", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_create_users", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_delete_users", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_update_users", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("view_users", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("view_drivers", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_create_roles", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_delete_roles", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_update_roles", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("view_roles", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_create_permissions", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_delete_permissisons", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_update_permissisons", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("view_permissisons", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_create_fire_trucks", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_delete_fire_trucks", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("can_update_fire_trucks", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("view_fire_trucks", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column(
            "can_create_fire_truck_waybills", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_delete_fire_truck_waybills", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_update_fire_truck_waybills", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_download_fire_truck_waybills",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "view_fire_truck_waybills", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_create_fire_truck_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_delete_fire_truck_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_update_fire_truck_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "view_fire_truck_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_create_fire_truck_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_delete_fire_truck_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_update_fire_truck_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("view_fire_truck_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column(
            "can_download_fire_truck_reports", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("view_fire_truck_reports", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column(
            "can_create_passenger_cars", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_delete_passenger_cars", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_update_passenger_cars", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("view_passenger_cars", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column(
            "can_create_passenger_cars_waybills",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_delete_passenger_cars_waybills",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_update_passenger_cars_waybills",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_download_passenger_cars_waybills",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "view_passenger_cars_waybills", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_create_passenger_cars_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_delete_passenger_cars_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_update_passenger_cars_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "view_passenger_cars_waybills_records",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_create_passenger_cars_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_delete_passenger_cars_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_update_passenger_cars_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "view_passenger_cars_norms", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_download_passenger_cars_reports",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "view_passenger_cars_reports", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column(
            "can_download_drivers_reports", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("view_drivers_reports", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column(
            "can_create_technical_maintenance",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_delete_technical_maintenance",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "can_update_technical_maintenance",
            sa.Boolean(),
            server_default=sa.text("(false)"),
            nullable=False,
        ),
        sa.Column(
            "view_technical_maintenance", sa.Boolean(), server_default=sa.text("(false)"), nullable=False
        ),
        sa.Column("view_operating_hours", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["role.id"], name=op.f("fk_permission_role_id_role"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_permission")),
    )
    with op.batch_alter_table("permission", schema=None) as batch_op:
        batch_op.create_index(
            "uq_permission_role_live",
            ["role_id"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("surname", sa.String(length=40), nullable=False),
        sa.Column("last_name", sa.String(length=40), nullable=False),
        sa.Column("login", sa.String(length=15), nullable=False),
        sa.Column("password", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=12), nullable=False),
        sa.Column("driver_license", sa.String(length=10), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_user_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_role_id"), ["role_id"], unique=False)
        batch_op.create_index(
            "uq_user_driver_license_live",
            ["driver_license"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "uq_user_login_live",
            ["login"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.create_index(
            "uq_user_phone_live",
            ["phone"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "fire_truck_waybill",
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=6), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("norm_season", sa.String(length=10), nullable=False),
        sa.Column("fuel_type", sa.String(length=10), nullable=True),
        sa.Column("upon_issuance", sa.BigInteger(), nullable=False),
        sa.Column("total_spent", sa.BigInteger(), nullable=False),
        sa.Column("total_received", sa.BigInteger(), nullable=False),
        sa.Column("required_by_norm", sa.BigInteger(), nullable=False),
        sa.Column("availability_upon_delivery", sa.BigInteger(), nullable=False),
        sa.Column("savings", sa.BigInteger(), nullable=False),
        sa.Column("overrun", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["car_id"], ["fire_truck.id"], name=op.f("fk_fire_truck_waybill_car_id_fire_truck")
        ),
        sa.ForeignKeyConstraint(
            ["driver_id"], ["user.id"], name=op.f("fk_fire_truck_waybill_driver_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fire_truck_waybill")),
        sa.UniqueConstraint("number", name=op.f("uq_fire_truck_waybill_number")),
    )
    with op.batch_alter_table("fire_truck_waybill", schema=None) as batch_op:
        batch_op.create_index("ix_fire_truck_waybill_car_date", ["car_id", "date"], unique=False)
        batch_op.create_index(batch_op.f("ix_fire_truck_waybill_driver_id"), ["driver_id"], unique=False)
        batch_op.create_index(
            "uq_fire_truck_waybill_car_driver_date_live",
            ["car_id", "driver_id", "date"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "passenger_car_waybill",
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=6), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("norm_season", sa.String(length=10), nullable=False),
        sa.Column("fuel_type", sa.String(length=10), nullable=True),
        sa.Column("upon_issuance", sa.BigInteger(), nullable=False),
        sa.Column("total_spent", sa.BigInteger(), nullable=False),
        sa.Column("total_received", sa.BigInteger(), nullable=False),
        sa.Column("required_by_norm", sa.BigInteger(), nullable=False),
        sa.Column("availability_upon_delivery", sa.BigInteger(), nullable=False),
        sa.Column("savings", sa.BigInteger(), nullable=False),
        sa.Column("overrun", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["car_id"], ["passenger_car.id"], name=op.f("fk_passenger_car_waybill_car_id_passenger_car")
        ),
        sa.ForeignKeyConstraint(
            ["driver_id"], ["user.id"], name=op.f("fk_passenger_car_waybill_driver_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passenger_car_waybill")),
        sa.UniqueConstraint("number", name=op.f("uq_passenger_car_waybill_number")),
    )
    with op.batch_alter_table("passenger_car_waybill", schema=None) as batch_op:
        batch_op.create_index("ix_passenger_car_waybill_car_date", ["car_id", "date"], unique=False)
        batch_op.create_index(batch_op.f("ix_passenger_car_waybill_driver_id"), ["driver_id"], unique=False)
        batch_op.create_index(
            "uq_passenger_car_waybill_car_driver_date_live",
            ["car_id", "driver_id", "date"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "fire_truck_waybill_record",
        sa.Column("fire_truck_waybill_id", sa.Integer(), nullable=False),
        sa.Column("driving_route", sa.String(length=255), nullable=True),
        sa.Column("time_with_pump", sa.Integer(), nullable=False),
        sa.Column("time_without_pump", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Integer(), nullable=False),
        sa.Column("fuel_used_by_distance", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used_with_pump", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used_without_pump", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("departure_time", sa.Time(), nullable=False),
        sa.Column("arrival_time", sa.Time(), nullable=False),
        sa.Column("fuel_refueled", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used", sa.BigInteger(), nullable=False),
        sa.Column("odometer_before", sa.Integer(), nullable=False),
        sa.Column("odometer_after", sa.Integer(), nullable=False),
        sa.Column("fuel_before_departure", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used_normal", sa.BigInteger(), nullable=False),
        sa.Column("fuel_on_return", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["fire_truck_waybill_id"],
            ["fire_truck_waybill.id"],
            name=op.f("fk_fire_truck_waybill_record_fire_truck_waybill_id_fire_truck_waybill"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fire_truck_waybill_record")),
    )
    with op.batch_alter_table("fire_truck_waybill_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fire_truck_waybill_record_fire_truck_waybill_id"),
            ["fire_truck_waybill_id"],
            unique=False,
        )

    op.create_table(
        "passenger_car_waybill_record",
        sa.Column("passenger_car_waybill_id", sa.Integer(), nullable=False),
        sa.Column("distance_city_km", sa.Integer(), nullable=False),
        sa.Column("distance_area_km", sa.Integer(), nullable=False),
        sa.Column("distance_total_km", sa.Integer(), nullable=False),
        sa.Column("fuel_used_city", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used_area", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("departure_time", sa.Time(), nullable=False),
        sa.Column("arrival_time", sa.Time(), nullable=False),
        sa.Column("fuel_refueled", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used", sa.BigInteger(), nullable=False),
        sa.Column("odometer_before", sa.Integer(), nullable=False),
        sa.Column("odometer_after", sa.Integer(), nullable=False),
        sa.Column("fuel_before_departure", sa.BigInteger(), nullable=False),
        sa.Column("fuel_used_normal", sa.BigInteger(), nullable=False),
        sa.Column("fuel_on_return", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["passenger_car_waybill_id"],
            ["passenger_car_waybill.id"],
            name=op.f("fk_passenger_car_waybill_record_passenger_car_waybill_id_passenger_car_waybill"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passenger_car_waybill_record")),
    )
    with op.batch_alter_table("passenger_car_waybill_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_passenger_car_waybill_record_passenger_car_waybill_id"),
            ["passenger_car_waybill_id"],
            unique=False,
        )

    op.create_table(
        "odometer_fuel_fire_truck",
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("waybill_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("odometer", sa.Integer(), nullable=False),
        sa.Column("fuel", sa.BigInteger(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["car_id"], ["fire_truck.id"], name=op.f("fk_odometer_fuel_fire_truck_car_id_fire_truck")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["fire_truck_waybill_record.id"],
            name=op.f("fk_odometer_fuel_fire_truck_record_id_fire_truck_waybill_record"),
        ),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["fire_truck_waybill.id"],
            name=op.f("fk_odometer_fuel_fire_truck_waybill_id_fire_truck_waybill"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_odometer_fuel_fire_truck")),
        sa.UniqueConstraint("record_id", name=op.f("uq_odometer_fuel_fire_truck_record_id")),
    )
    with op.batch_alter_table("odometer_fuel_fire_truck", schema=None) as batch_op:
        batch_op.create_index("ix_odometer_fuel_fire_truck_chain", ["car_id", "date", "id"], unique=False)

    op.create_table(
        "odometer_fuel_passenger_car",
        sa.Column("car_id", sa.Integer(), nullable=False),
        sa.Column("waybill_id", sa.Integer(), nullable=True),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("odometer", sa.Integer(), nullable=False),
        sa.Column("fuel", sa.BigInteger(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["car_id"], ["passenger_car.id"], name=op.f("fk_odometer_fuel_passenger_car_car_id_passenger_car")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["passenger_car_waybill_record.id"],
            name=op.f("fk_odometer_fuel_passenger_car_record_id_passenger_car_waybill_record"),
        ),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["passenger_car_waybill.id"],
            name=op.f("fk_odometer_fuel_passenger_car_waybill_id_passenger_car_waybill"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_odometer_fuel_passenger_car")),
        sa.UniqueConstraint("record_id", name=op.f("uq_odometer_fuel_passenger_car_record_id")),
    )
    with op.batch_alter_table("odometer_fuel_passenger_car", schema=None) as batch_op:
        batch_op.create_index("ix_odometer_fuel_passenger_car_chain", ["car_id", "date", "id"], unique=False)

    seed_defaults()


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

    with op.batch_alter_table("odometer_fuel_passenger_car", schema=None) as batch_op:
        batch_op.drop_index("ix_odometer_fuel_passenger_car_chain")

    op.drop_table("odometer_fuel_passenger_car")
    with op.batch_alter_table("odometer_fuel_fire_truck", schema=None) as batch_op:
        batch_op.drop_index("ix_odometer_fuel_fire_truck_chain")

    op.drop_table("odometer_fuel_fire_truck")
    with op.batch_alter_table("passenger_car_waybill_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passenger_car_waybill_record_passenger_car_waybill_id"))

    op.drop_table("passenger_car_waybill_record")
    with op.batch_alter_table("fire_truck_waybill_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fire_truck_waybill_record_fire_truck_waybill_id"))

    op.drop_table("fire_truck_waybill_record")
    with op.batch_alter_table("passenger_car_waybill", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_passenger_car_waybill_car_driver_date_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_passenger_car_waybill_driver_id"))
        batch_op.drop_index("ix_passenger_car_waybill_car_date")

    op.drop_table("passenger_car_waybill")
    with op.batch_alter_table("fire_truck_waybill", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_fire_truck_waybill_car_driver_date_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_fire_truck_waybill_driver_id"))
        batch_op.drop_index("ix_fire_truck_waybill_car_date")

    op.drop_table("fire_truck_waybill")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_user_phone_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(
            "uq_user_login_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(
            "uq_user_driver_license_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_user_role_id"))

    op.drop_table("user")
    with op.batch_alter_table("permission", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_permission_role_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.drop_table("permission")
    with op.batch_alter_table("norms_passenger_cars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_norms_passenger_cars_car_id"))

    op.drop_table("norms_passenger_cars")
    with op.batch_alter_table("norms_fire_truck", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_norms_fire_truck_car_id"))

    op.drop_table("norms_fire_truck")
    with op.batch_alter_table("role", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_role_name_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index("uq_role_code")

    op.drop_table("role")
    with op.batch_alter_table("passenger_car", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_passenger_car_number_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.drop_table("passenger_car")
    with op.batch_alter_table("fire_truck", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_fire_truck_number_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.drop_table("fire_truck")
    op.drop_table("counter")

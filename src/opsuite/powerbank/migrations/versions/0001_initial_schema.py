"""Initial schema: org units, users, roles, stations, slots, banks, orders, commands, reports, audit."""
# ruff: noqa: E501  (CHECK expressions are frozen SQL text)

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from opsuite.core import schema_steps

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fio", sa.String(length=255), nullable=True),
        sa.Column("phone_e164", sa.String(length=16), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("powerbank_limit", sa.Integer(), nullable=True),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'active', 'blocked')", name=op.f("ck_app_user_status")),
        sa.CheckConstraint(
            "powerbank_limit IS NULL OR powerbank_limit >= 0", name=op.f("ck_app_user_powerbank_limit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("phone_e164", name=op.f("uq_app_user_phone_e164")),
    )
    op.create_index("uq_app_user_email_lower", "app_user", [sa.literal_column("lower(email)")], unique=True)
    schema_steps.create_job_tables()
    schema_steps.add_job_heartbeats()
    schema_steps.create_login_throttle()
    op.create_table(
        "org_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("unit_type", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("adress", sa.String(length=500), nullable=True),
        sa.Column("logo_url", sa.String(length=1000), nullable=True),
        sa.Column("default_powerbank_limit", sa.Integer(), nullable=False),
        sa.Column("reminder_hours", sa.Integer(), nullable=False),
        sa.Column("write_off_hours", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(unit_type = 'group' AND parent_id IS NULL) OR (unit_type = 'subgroup' AND parent_id IS NOT NULL)",
            name=op.f("ck_org_unit_parent_by_type"),
        ),
        sa.CheckConstraint("unit_type IN ('group', 'subgroup')", name=op.f("ck_org_unit_unit_type")),
        sa.CheckConstraint("default_powerbank_limit >= 0", name=op.f("ck_org_unit_default_limit")),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name=op.f("ck_org_unit_not_own_parent")),
        sa.CheckConstraint("reminder_hours >= 1", name=op.f("ck_org_unit_reminder_hours")),
        sa.CheckConstraint("write_off_hours >= 1", name=op.f("ck_org_unit_write_off_hours")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_unit.id"], name=op.f("fk_org_unit_parent_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit")),
    )
    op.create_index(op.f("ix_org_unit_parent_id"), "org_unit", ["parent_id"], unique=False)
    op.create_table(
        "action_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_action_log_actor_id_app_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_log")),
    )
    op.create_index(op.f("ix_action_log_action"), "action_log", ["action"], unique=False)
    op.create_index(op.f("ix_action_log_actor_id"), "action_log", ["actor_id"], unique=False)
    op.create_table(
        "powerbank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("serial_number", sa.String(length=16), nullable=False),
        sa.Column("display_serial", sa.String(length=32), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("soh", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("write_off_reason", sa.String(length=16), nullable=False),
        sa.Column("write_off_note", sa.Text(), nullable=True),
        sa.Column("power_er", sa.Integer(), nullable=True),
        sa.Column("missing", sa.Boolean(), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('active', 'system_error', 'written_off', 'unknown')", name=op.f("ck_powerbank_status")
        ),
        sa.CheckConstraint(
            "write_off_reason IN ('none', 'broken', 'lost', 'other')",
            name=op.f("ck_powerbank_write_off_reason"),
        ),
        sa.CheckConstraint("soh IS NULL OR soh BETWEEN 0 AND 100", name=op.f("ck_powerbank_soh")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_powerbank_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_powerbank")),
        sa.UniqueConstraint("serial_number", name=op.f("uq_powerbank_serial_number")),
    )
    op.create_index(op.f("ix_powerbank_org_unit_id"), "powerbank", ["org_unit_id"], unique=False)
    op.create_index(op.f("ix_powerbank_status"), "powerbank", ["status"], unique=False)
    op.create_table(
        "station",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("box_id", sa.String(length=64), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("iccid", sa.String(length=32), nullable=True),
        sa.Column("iccid_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("slots_declared", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disconnected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("peer", sa.String(length=64), nullable=True),
        sa.Column("uptime_ms", sa.BigInteger(), nullable=True),
        sa.Column("inventory_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("volume_level", sa.Integer(), nullable=True),
        sa.Column("volume_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("server_address", sa.String(length=255), nullable=True),
        sa.Column("server_port", sa.String(length=8), nullable=True),
        sa.Column("heartbeat_interval", sa.Integer(), nullable=True),
        sa.Column("server_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'active', 'inactive', 'maintenance')", name=op.f("ck_station_status")
        ),
        sa.CheckConstraint("slots_declared BETWEEN 1 AND 255", name=op.f("ck_station_slots_declared")),
        sa.CheckConstraint(
            "volume_level IS NULL OR volume_level BETWEEN 0 AND 15", name=op.f("ck_station_volume_level")
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_station_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
        sa.UniqueConstraint("box_id", name=op.f("uq_station_box_id")),
    )
    op.create_index(op.f("ix_station_org_unit_id"), "station", ["org_unit_id"], unique=False)
    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('user', 'subgroup_admin', 'group_admin', 'service_admin')",
            name=op.f("ck_user_role_role"),
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_user_role_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_role_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_role")),
        sa.UniqueConstraint("user_id", name=op.f("uq_user_role_user_id")),
    )
    op.create_index(op.f("ix_user_role_org_unit_id"), "user_role", ["org_unit_id"], unique=False)
    op.create_table(
        "cabinet_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("box_id", sa.String(length=64), nullable=True),
        sa.Column("cmd", sa.Integer(), nullable=False),
        sa.Column("raw_hex", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_cabinet_event_station_id_station"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cabinet_event")),
    )
    op.create_index(op.f("ix_cabinet_event_station_id"), "cabinet_event", ["station_id"], unique=False)
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("powerbank_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("slot_number", sa.Integer(), nullable=True),
        sa.Column("return_station_id", sa.Integer(), nullable=True),
        sa.Column("return_slot_number", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("return_source", sa.String(length=16), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("user_phone", sa.String(length=16), nullable=True),
        sa.Column("user_fio", sa.String(length=255), nullable=True),
        sa.Column("powerbank_serial", sa.String(length=16), nullable=True),
        sa.Column("station_box_id", sa.String(length=64), nullable=True),
        sa.Column("timestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("borrowed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status IN ('pending', 'borrow', 'force_eject') AND completed_at IS NULL) OR (NOT (status IN ('pending', 'borrow', 'force_eject')) AND completed_at IS NOT NULL)",
            name=op.f("ck_orders_completed_when_closed"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'borrow', 'return', 'force_eject', 'failed', 'lost')",
            name=op.f("ck_orders_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_orders_created_by_app_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["powerbank_id"],
            ["powerbank.id"],
            name=op.f("fk_orders_powerbank_id_powerbank"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["return_station_id"],
            ["station.id"],
            name=op.f("fk_orders_return_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"], ["station.id"], name=op.f("fk_orders_station_id_station"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_orders_user_id_app_user"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    op.create_index(op.f("ix_orders_powerbank_id"), "orders", ["powerbank_id"], unique=False)
    op.create_index("ix_orders_station_id_status", "orders", ["station_id", "status"], unique=False)
    op.create_index("ix_orders_user_id_status", "orders", ["user_id", "status"], unique=False)
    op.create_index(
        "uq_orders_active_powerbank",
        "orders",
        ["powerbank_id"],
        unique=True,
        sqlite_where=sa.text("status IN ('pending', 'borrow', 'force_eject')"),
        postgresql_where=sa.text("status IN ('pending', 'borrow', 'force_eject')"),
    )
    op.create_index(
        "uq_orders_pending_user",
        "orders",
        ["user_id"],
        unique=True,
        sqlite_where=sa.text("status IN ('pending')"),
        postgresql_where=sa.text("status IN ('pending')"),
    )
    op.create_table(
        "powerbank_error",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("powerbank_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cleared_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["powerbank_id"],
            ["powerbank.id"],
            name=op.f("fk_powerbank_error_powerbank_id_powerbank"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_powerbank_error")),
    )
    op.create_index(
        op.f("ix_powerbank_error_powerbank_id"), "powerbank_error", ["powerbank_id"], unique=False
    )
    op.create_table(
        "slot_abnormal_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("slot_number", sa.Integer(), nullable=False),
        sa.Column("terminal_id", sa.String(length=16), nullable=False),
        sa.Column("event_type", sa.String(length=1), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("event_type IN ('1', '2')", name=op.f("ck_slot_abnormal_reports_event_type")),
        sa.CheckConstraint(
            "slot_number BETWEEN 1 AND 255", name=op.f("ck_slot_abnormal_reports_slot_number")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_slot_abnormal_reports_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_abnormal_reports")),
    )
    op.create_index(
        "ix_slot_abnormal_reports_station_id_reported_at",
        "slot_abnormal_reports",
        ["station_id", "reported_at"],
        unique=False,
    )
    op.create_table(
        "station_powerbank",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("slot_number", sa.Integer(), nullable=False),
        sa.Column("powerbank_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("voltage", sa.Integer(), nullable=True),
        sa.Column("current", sa.Integer(), nullable=True),
        sa.Column("temperature", sa.Integer(), nullable=True),
        sa.Column("status_bits", sa.Integer(), nullable=True),
        sa.Column("soh", sa.Integer(), nullable=True),
        sa.Column("lendable", sa.Boolean(), nullable=False),
        sa.Column("quarantined", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("slot_number BETWEEN 1 AND 255", name=op.f("ck_station_powerbank_slot_number")),
        sa.ForeignKeyConstraint(
            ["powerbank_id"],
            ["powerbank.id"],
            name=op.f("fk_station_powerbank_powerbank_id_powerbank"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_station_powerbank_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_powerbank")),
        sa.UniqueConstraint("powerbank_id", name=op.f("uq_station_powerbank_powerbank_id")),
        sa.UniqueConstraint(
            "station_id", "slot_number", name=op.f("uq_station_powerbank_station_id_slot_number")
        ),
    )
    op.create_table(
        "station_secret_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("key_encrypted", sa.Text(), nullable=False),
        sa.Column("key_hint", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_station_secret_key_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station_secret_key")),
        sa.UniqueConstraint("station_id", name=op.f("uq_station_secret_key_station_id")),
    )
    op.create_table(
        "user_favorites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("nik", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_user_favorites_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_favorites_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_favorites")),
        sa.UniqueConstraint("user_id", "station_id", name=op.f("uq_user_favorites_user_id_station_id")),
    )
    op.create_index(op.f("ix_user_favorites_station_id"), "user_favorites", ["station_id"], unique=False)
    op.create_table(
        "cabinet_command",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("slot_number", sa.Integer(), nullable=True),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("result_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('eject', 'force_eject', 'restart', 'inventory', 'volume', 'set_volume', 'server_address', 'set_server_address', 'iccid')",
            name=op.f("ck_cabinet_command_kind"),
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'sent', 'done', 'failed', 'timeout')", name=op.f("ck_cabinet_command_state")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_cabinet_command_order_id_orders"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["app_user.id"],
            name=op.f("fk_cabinet_command_requested_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_cabinet_command_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cabinet_command")),
    )
    op.create_index(
        "ix_cabinet_command_station_id_state", "cabinet_command", ["station_id", "state"], unique=False
    )
    op.create_index(
        "uq_cabinet_command_open_eject",
        "cabinet_command",
        ["station_id"],
        unique=True,
        sqlite_where=sa.text("kind IN ('eject', 'force_eject') AND state IN ('queued', 'sent')"),
        postgresql_where=sa.text("kind IN ('eject', 'force_eject') AND state IN ('queued', 'sent')"),
    )
    op.create_table(
        "powerbank_error_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("powerbank_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("error_type", sa.String(length=32), nullable=False),
        sa.Column("additional_notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "error_type IN ('cable_type_c_damaged', 'cable_lightning_damaged', 'cable_micro_usb_damaged', 'powerbank_not_working', 'cable_damaged', 'other')",
            name=op.f("ck_powerbank_error_report_error_type"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_powerbank_error_report_order_id_orders"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["powerbank_id"],
            ["powerbank.id"],
            name=op.f("fk_powerbank_error_report_powerbank_id_powerbank"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_powerbank_error_report_station_id_station"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_powerbank_error_report_user_id_app_user"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_powerbank_error_report")),
    )
    op.create_index(
        op.f("ix_powerbank_error_report_powerbank_id"),
        "powerbank_error_report",
        ["powerbank_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_powerbank_error_report_user_id"), "powerbank_error_report", ["user_id"], unique=False
    )
    op.create_table(
        "return_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("powerbank_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_order_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_order_id"],
            ["orders.id"],
            name=op.f("fk_return_window_confirmed_order_id_orders"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_return_window_order_id_orders"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["powerbank_id"],
            ["powerbank.id"],
            name=op.f("fk_return_window_powerbank_id_powerbank"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_return_window_station_id_station"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_return_window_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_window")),
    )
    op.create_index(
        "ix_return_window_user_id_station_id", "return_window", ["user_id", "station_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_return_window_user_id_station_id", table_name="return_window")
    op.drop_table("return_window")
    op.drop_index(op.f("ix_powerbank_error_report_user_id"), table_name="powerbank_error_report")
    op.drop_index(op.f("ix_powerbank_error_report_powerbank_id"), table_name="powerbank_error_report")
    op.drop_table("powerbank_error_report")
    op.drop_index(
        "uq_cabinet_command_open_eject",
        table_name="cabinet_command",
        sqlite_where=sa.text("kind IN ('eject', 'force_eject') AND state IN ('queued', 'sent')"),
        postgresql_where=sa.text("kind IN ('eject', 'force_eject') AND state IN ('queued', 'sent')"),
    )
    op.drop_index("ix_cabinet_command_station_id_state", table_name="cabinet_command")
    op.drop_table("cabinet_command")
    op.drop_index(op.f("ix_user_favorites_station_id"), table_name="user_favorites")
    op.drop_table("user_favorites")
    op.drop_table("station_secret_key")
    op.drop_table("station_powerbank")
    op.drop_index("ix_slot_abnormal_reports_station_id_reported_at", table_name="slot_abnormal_reports")
    op.drop_table("slot_abnormal_reports")
    op.drop_index(op.f("ix_powerbank_error_powerbank_id"), table_name="powerbank_error")
    op.drop_table("powerbank_error")
    op.drop_index(
        "uq_orders_pending_user",
        table_name="orders",
        sqlite_where=sa.text("status IN ('pending')"),
        postgresql_where=sa.text("status IN ('pending')"),
    )
    op.drop_index(
        "uq_orders_active_powerbank",
        table_name="orders",
        sqlite_where=sa.text("status IN ('pending', 'borrow', 'force_eject')"),
        postgresql_where=sa.text("status IN ('pending', 'borrow', 'force_eject')"),
    )
    op.drop_index("ix_orders_user_id_status", table_name="orders")
    op.drop_index("ix_orders_station_id_status", table_name="orders")
    op.drop_index(op.f("ix_orders_powerbank_id"), table_name="orders")
    op.drop_table("orders")
    op.drop_index(op.f("ix_cabinet_event_station_id"), table_name="cabinet_event")
    op.drop_table("cabinet_event")
    op.drop_index(op.f("ix_user_role_org_unit_id"), table_name="user_role")
    op.drop_table("user_role")
    op.drop_index(op.f("ix_station_org_unit_id"), table_name="station")
    op.drop_table("station")
    op.drop_index(op.f("ix_powerbank_status"), table_name="powerbank")
    op.drop_index(op.f("ix_powerbank_org_unit_id"), table_name="powerbank")
    op.drop_table("powerbank")
    op.drop_index(op.f("ix_action_log_actor_id"), table_name="action_log")
    op.drop_index(op.f("ix_action_log_action"), table_name="action_log")
    op.drop_table("action_log")
    op.drop_index(op.f("ix_org_unit_parent_id"), table_name="org_unit")
    op.drop_table("org_unit")
    schema_steps.drop_login_throttle()
    schema_steps.drop_job_tables()
    op.drop_index("uq_app_user_email_lower", table_name="app_user")
    op.drop_table("app_user")

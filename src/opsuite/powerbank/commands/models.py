"""Cabinet commands (one eject in flight per cabinet, enforced by the database) and the inbound event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import EJECT_COMMANDS, OPEN_COMMAND, CommandKind, CommandState, one_of

_OPEN_EJECT = f"{one_of('kind', EJECT_COMMANDS)} AND {one_of('state', OPEN_COMMAND)}"


class CabinetCommand(Base):
    """One command to a cabinet, from queued to done, failed or timed out."""

    __tablename__ = "cabinet_command"
    __table_args__ = (
        CheckConstraint(one_of("kind", CommandKind), name="kind"),
        CheckConstraint(one_of("state", CommandState), name="state"),
        Index(
            "uq_cabinet_command_open_eject",
            "station_id",
            unique=True,
            sqlite_where=text(_OPEN_EJECT),
            postgresql_where=text(_OPEN_EJECT),
        ),
        Index("ix_cabinet_command_station_id_state", "station_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    slot_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    request: Mapped[Any] = mapped_column(JSON, nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=CommandState.QUEUED.value)
    result_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response: Mapped[Any] = mapped_column(JSON, nullable=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"), nullable=True)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = moment()
    sent_at: Mapped[datetime | None] = moment(nullable=True)
    finished_at: Mapped[datetime | None] = moment(nullable=True)
    deadline: Mapped[datetime] = moment()


class CabinetEvent(Base):
    """An inbound frame as received (append-only): what came, from whom, and what the server made of it."""

    __tablename__ = "cabinet_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int | None] = mapped_column(
        ForeignKey("station.id", ondelete="SET NULL"), nullable=True, index=True
    )
    box_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    cmd: Mapped[int] = mapped_column(Integer)
    raw_hex: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = moment()
    outcome: Mapped[str | None] = mapped_column(String(64), nullable=True)

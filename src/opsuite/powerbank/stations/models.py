"""Stations (cabinets), their secret keys, the slot mirror and users' favourite stations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from opsuite.powerbank.base import Base, moment
from opsuite.powerbank.vocab import StationStatus, one_of


class Station(Base):
    """A cabinet: `status` is the admins'; connection facts (`last_seen_at`, `peer`...) the gateway's."""

    __tablename__ = "station"
    __table_args__ = (
        CheckConstraint(one_of("status", StationStatus), name="status"),
        CheckConstraint("slots_declared BETWEEN 1 AND 255", name="slots_declared"),
        CheckConstraint("volume_level IS NULL OR volume_level BETWEEN 0 AND 15", name="volume_level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[str] = mapped_column(String(64), unique=True)
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    """None for a station the gateway created from an unknown box, until an admin places it."""
    iccid: Mapped[str | None] = mapped_column(String(32), nullable=True)
    iccid_updated_at: Mapped[datetime | None] = moment(nullable=True)
    slots_declared: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=StationStatus.PENDING.value)
    last_seen_at: Mapped[datetime | None] = moment(nullable=True)
    connected_at: Mapped[datetime | None] = moment(nullable=True)
    disconnected_at: Mapped[datetime | None] = moment(nullable=True)
    peer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    uptime_ms: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    inventory_updated_at: Mapped[datetime | None] = moment(nullable=True)
    volume_level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    volume_updated_at: Mapped[datetime | None] = moment(nullable=True)
    server_address: Mapped[str | None] = mapped_column(String(255), nullable=True)
    server_port: Mapped[str | None] = mapped_column(String(8), nullable=True)
    heartbeat_interval: Mapped[int | None] = mapped_column(Integer, nullable=True)
    server_updated_at: Mapped[datetime | None] = moment(nullable=True)
    created_at: Mapped[datetime] = moment()
    updated_at: Mapped[datetime | None] = moment(nullable=True)


class StationSecretKey(Base):
    """A station's token key, encrypted at rest (the gateway needs it in clear for md5); one per station."""

    __tablename__ = "station_secret_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), unique=True)
    key_encrypted: Mapped[str] = mapped_column(Text)
    key_hint: Mapped[str] = mapped_column(String(16))
    """What may be shown: the key with all but its last characters masked."""
    created_at: Mapped[datetime] = moment()


class StationPowerbank(Base):
    """The slot mirror: which bank sits in which slot, as the latest cabinet report says."""

    __tablename__ = "station_powerbank"
    __table_args__ = (
        UniqueConstraint("station_id", "slot_number"),
        CheckConstraint("slot_number BETWEEN 1 AND 255", name="slot_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"))
    slot_number: Mapped[int] = mapped_column(Integer)
    powerbank_id: Mapped[int] = mapped_column(ForeignKey("powerbank.id", ondelete="RESTRICT"), unique=True)
    """A bank sits in one slot of one station at most."""
    level: Mapped[int | None] = mapped_column(Integer, nullable=True)
    voltage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    current: Mapped[int | None] = mapped_column(Integer, nullable=True)
    temperature: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status_bits: Mapped[int | None] = mapped_column(Integer, nullable=True)
    soh: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lendable: Mapped[bool] = mapped_column(Boolean, default=True)
    """The latest report had the insertion switch (b7) set."""
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)
    """The bank belongs to a unit this station may not lend to: kept, alerted, never ejected."""
    updated_at: Mapped[datetime] = moment()


class UserFavorite(Base):
    """A station a user marked, with the user's own name for it (`nik`)."""

    __tablename__ = "user_favorites"
    __table_args__ = (UniqueConstraint("user_id", "station_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id", ondelete="CASCADE"), index=True)
    nik: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = moment()

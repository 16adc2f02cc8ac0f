"""The closed vocabularies of the powerbank document: roles, statuses, reasons, kinds (notes §3, §6)."""

from __future__ import annotations

from enum import StrEnum


class UnitType(StrEnum):
    """A group has no parent; a subgroup's parent is a group."""

    GROUP = "group"
    SUBGROUP = "subgroup"


class UserStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    BLOCKED = "blocked"


class Role(StrEnum):
    """The four roles, lowest first (`RANK` orders them)."""

    USER = "user"
    SUBGROUP_ADMIN = "subgroup_admin"
    GROUP_ADMIN = "group_admin"
    SERVICE_ADMIN = "service_admin"


RANK: dict[Role, int] = {role: rank for rank, role in enumerate(Role)}
ADMIN_ROLES = frozenset({Role.SUBGROUP_ADMIN, Role.GROUP_ADMIN, Role.SERVICE_ADMIN})


class StationStatus(StrEnum):
    """The admin status of a station; connectivity is `last_seen_at`, never this."""

    PENDING = "pending"
    ACTIVE = "active"
    INACTIVE = "inactive"
    MAINTENANCE = "maintenance"


class PowerbankStatus(StrEnum):
    ACTIVE = "active"
    SYSTEM_ERROR = "system_error"
    WRITTEN_OFF = "written_off"
    UNKNOWN = "unknown"


class WriteOffReason(StrEnum):
    NONE = "none"
    BROKEN = "broken"
    LOST = "lost"
    OTHER = "other"


class OrderStatus(StrEnum):
    """pending -> borrow -> return; pending -> failed; borrow -> lost; force_eject -> return."""

    PENDING = "pending"
    BORROW = "borrow"
    RETURN = "return"
    FORCE_EJECT = "force_eject"
    FAILED = "failed"
    LOST = "lost"


ACTIVE_ORDER = (OrderStatus.PENDING, OrderStatus.BORROW, OrderStatus.FORCE_EJECT)
"""An order in one of these holds its bank (and has no `completed_at`)."""
COUNTED_ORDER = (OrderStatus.PENDING, OrderStatus.BORROW)
"""The orders a user's limit counts."""


class CommandKind(StrEnum):
    EJECT = "eject"
    FORCE_EJECT = "force_eject"
    RESTART = "restart"
    INVENTORY = "inventory"
    VOLUME = "volume"
    SET_VOLUME = "set_volume"
    SERVER_ADDRESS = "server_address"
    SET_SERVER_ADDRESS = "set_server_address"
    ICCID = "iccid"


EJECT_COMMANDS = (CommandKind.EJECT, CommandKind.FORCE_EJECT)


class CommandState(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DONE = "done"
    FAILED = "failed"
    TIMEOUT = "timeout"


OPEN_COMMAND = (CommandState.QUEUED, CommandState.SENT)


class ErrorType(StrEnum):
    """What a user may report about a bank (`/api/powerbank-error-report`)."""

    CABLE_TYPE_C_DAMAGED = "cable_type_c_damaged"
    CABLE_LIGHTNING_DAMAGED = "cable_lightning_damaged"
    CABLE_MICRO_USB_DAMAGED = "cable_micro_usb_damaged"
    POWERBANK_NOT_WORKING = "powerbank_not_working"
    CABLE_DAMAGED = "cable_damaged"
    OTHER = "other"


class AbnormalEvent(StrEnum):
    """`0x83` events: 1 a bank left without an unlock command, 2 a return detected but no bank."""

    LEFT_WITHOUT_UNLOCK = "1"
    RETURN_WITHOUT_BANK = "2"


def one_of(column: str, values: type[StrEnum] | tuple[StrEnum, ...]) -> str:
    """A CHECK expression: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"

"""Devices of a user: create, read, change, delete, and the connection test."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.scales import messages
from opsuite.scales.crypto import DeviceCipher
from opsuite.scales.devices.interface import DeviceInfo
from opsuite.scales.errors import Conflict, FieldInvalid, NotFound
from opsuite.scales.fleet.device_io import call_scale, connection_params
from opsuite.scales.fleet.models import Device
from opsuite.scales.fleet.network import DeviceRefused, NetworkPolicy
from opsuite.scales.fleet.operation import device_operation
from opsuite.scales.fleet.schemas import DeviceCreate, DeviceUpdate
from opsuite.scales.oplog import service as oplog_service
from opsuite.scales.oplog.models import OperationLog
from opsuite.scales.runtime import Runtime

NOT_FOUND = messages.DEVICE_NOT_FOUND


def owned(session: Session, *, user_id: int, device_id: int) -> Device:
    """The user's device; 404 for a missing device and for another user's alike."""
    device = session.get(Device, device_id)
    if device is None or device.owner_id != user_id:
        raise NotFound(NOT_FOUND)
    return device


def check_owned(database: Database, *, user_id: int, device_id: int) -> None:
    """404 unless the device is the user's, checked in a short read before a device operation."""
    with database.session(write=False) as session:
        owned(session, user_id=user_id, device_id=device_id)


def list_devices(session: Session, *, user_id: int) -> Sequence[Device]:
    """The user's devices in creation order."""
    return list(session.scalars(select(Device).where(Device.owner_id == user_id).order_by(Device.id)))


def _name_taken(session: Session, *, user_id: int, name: str, other_than: int | None = None) -> bool:
    query = select(Device.id).where(Device.owner_id == user_id, Device.name == name)
    if other_than is not None:
        query = query.where(Device.id != other_than)
    return session.scalar(query) is not None


def create_device(
    session: Session,
    cipher: DeviceCipher,
    *,
    user_id: int,
    new: DeviceCreate,
    policy: NetworkPolicy | None = None,
) -> Device:
    """Register a device; its auto-update schedule appears, disabled, when first asked for.

    `policy` refuses a host outside the allowed networks (422); only trusted callers (the demo) omit it.
    """
    if policy is not None:
        _check_host(policy, new.ip)
    if _name_taken(session, user_id=user_id, name=new.name):
        raise Conflict(messages.DEVICE_NAME_TAKEN)
    values = new.model_dump(exclude={"password"})
    device = Device(owner_id=user_id, password_encrypted=cipher.encrypt(new.password), **values)
    device.cached_dirty = False
    session.add(device)
    session.flush()
    return device


def update_device(
    session: Session,
    cipher: DeviceCipher,
    *,
    user_id: int,
    device_id: int,
    change: DeviceUpdate,
    policy: NetworkPolicy,
) -> Device:
    """Change the given fields of a device; a new host must lie in the allowed networks (422)."""
    device = owned(session, user_id=user_id, device_id=device_id)
    changes = change.changes()
    if "ip" in changes:
        _check_host(policy, changes["ip"])
    name = changes.get("name")
    if name is not None and _name_taken(session, user_id=user_id, name=name, other_than=device_id):
        raise Conflict(messages.DEVICE_NAME_TAKEN)
    for key, value in changes.items():
        if key == "password":
            device.password_encrypted = cipher.encrypt(value)
        else:
            setattr(device, key, value)
    session.flush()
    return device


def _check_host(policy: NetworkPolicy, host: str) -> None:
    try:
        policy.check_host(host)
    except DeviceRefused as exc:
        raise FieldInvalid(("body", "ip"), str(exc), host) from None


def delete_device(session: Session, *, user_id: int, device_id: int) -> None:
    """Delete a device; its schedule and log go with it (ON DELETE CASCADE)."""
    device = owned(session, user_id=user_id, device_id=device_id)
    session.delete(device)


def operation_log(session: Session, *, user_id: int, device_id: int) -> Sequence[OperationLog]:
    """The user's device's recent operations, newest first."""
    owned(session, user_id=user_id, device_id=device_id)
    return oplog_service.recent(session, device_id=device_id)


def test_device(runtime: Runtime, *, user_id: int, device_id: int) -> DeviceInfo:
    """Ask the scale who it is, under the device's lock."""
    check_owned(runtime.database, user_id=user_id, device_id=device_id)
    with device_operation(runtime, device_id, "test"):
        with runtime.database.session(write=False) as session:
            params = connection_params(runtime, get_device(session, device_id=device_id))
        return call_scale(runtime, params, lambda scale: scale.device_info())


def get_device(session: Session, *, device_id: int) -> Device:
    """A device by id whoever owns it (for jobs and for operations already checked); 404 when gone."""
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound(NOT_FOUND)
    return device

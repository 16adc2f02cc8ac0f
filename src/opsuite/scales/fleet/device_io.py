"""Device I/O of scales: one call to a scale on the device host, its failures as domain errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

from opsuite.scales.devices.interface import (
    ConnectionParams,
    ScaleDevice,
    ScaleError,
    ScaleFileRejectedError,
    ScaleResultError,
    ScaleTimeoutError,
    ScaleUnreachableError,
)
from opsuite.scales.errors import (
    NetworkRefused,
    ScaleAnswered,
    ScaleFailed,
    ScaleTimedOut,
    ScaleUnreachable,
)
from opsuite.scales.fleet.models import Device
from opsuite.scales.fleet.network import DeviceRefused
from opsuite.scales.runtime import Runtime

T = TypeVar("T")


def connection_params(runtime: Runtime, device: Device) -> ConnectionParams:
    """Where and how to reach a device; the password is decrypted only here, for this call."""
    return ConnectionParams(
        host=device.ip,
        port=device.port,
        password=runtime.cipher.decrypt(device.password_encrypted),
        timeout=runtime.settings.scale_timeout,
        deadline=runtime.settings.scale_deadline,
    )


def call_scale(
    runtime: Runtime, params: ConnectionParams, action: Callable[[ScaleDevice], Awaitable[T]]
) -> T:
    """Run one device call on the device host from a worker thread, waiting a bounded time.

    The host is resolved and checked against the allowed networks first, and the scale is reached at
    that checked address (NetworkRefused when it lies outside them). Scale failures become ScaleFailed.
    """
    policy = runtime.settings.network_policy

    async def reach() -> T:
        try:
            address = await policy.resolve(params.host, params.port)
        except DeviceRefused as exc:
            raise NetworkRefused(f"Scale {params.host}:{params.port} refused: {exc}") from None
        return await action(runtime.device_factory(replace(params, host=address)))

    try:
        # The driver bounds itself; this outer bound guards against a driver or fake that does not.
        return runtime.devices.call(reach, timeout=params.deadline + params.timeout, what="scale call")
    except ScaleError as exc:
        raise scale_failure(exc, params) from exc
    except TimeoutError as exc:  # the host's bound (DeviceTimeout), or a driver's own unwrapped timeout
        raise scale_failure(ScaleTimeoutError("overall deadline passed"), params) from exc


def scale_failure(exc: ScaleError, params: ConnectionParams) -> ScaleFailed:
    """The domain error of a scale failure, named by what the scale did."""
    where = f"{params.host}:{params.port}"
    if isinstance(exc, ScaleTimeoutError):
        return ScaleTimedOut(f"Scale {where} did not answer in time")
    if isinstance(exc, ScaleUnreachableError):
        return ScaleUnreachable(f"Scale {where} is unreachable")
    if isinstance(exc, ScaleResultError):
        return ScaleAnswered(f"Scale {where} answered {exc.code}: {exc.text}", code=exc.code)
    if isinstance(exc, ScaleFileRejectedError):
        return ScaleFailed(f"Scale {where} rejected the product file: {exc.reason or 'no reason given'}")
    return ScaleFailed(f"Scale {where} broke the protocol: {exc}")

"""Device I/O of scales: one call to a scale on the device host, its failures as domain errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

from opsuite.scales import messages
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

log = logging.getLogger(__name__)


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
            raise NetworkRefused(
                messages.HOST_REFUSED.format(where=f"{params.host}:{params.port}", reason=exc)
            ) from None
        return await action(runtime.device_factory(replace(params, host=address)))

    try:
        # The driver bounds itself; this outer bound guards against a driver or fake that does not.
        return runtime.devices.call(reach, timeout=params.deadline + params.timeout, what="scale call")
    except ScaleError as exc:
        cause: ScaleError = exc
    except TimeoutError:  # the host's bound (DeviceTimeout), or a driver's own unwrapped timeout
        cause = ScaleTimeoutError("overall deadline passed")
    failure = scale_failure(cause, params)
    # The access log shows only a status; the reason belongs in the server log too.
    log.warning("scale %s:%s failed (%s: %s)", params.host, params.port, type(cause).__name__, cause)
    raise failure from cause


def scale_failure(exc: ScaleError, params: ConnectionParams) -> ScaleFailed:
    """The domain error of a scale failure, named by what the scale did."""
    where = f"{params.host}:{params.port}"
    if isinstance(exc, ScaleTimeoutError):
        return ScaleTimedOut(messages.SCALE_TIMED_OUT.format(where=where))
    if isinstance(exc, ScaleUnreachableError):
        return ScaleUnreachable(messages.SCALE_UNREACHABLE.format(where=where))
    if isinstance(exc, ScaleResultError):
        return ScaleAnswered(
            messages.SCALE_ANSWERED.format(where=where, code=exc.code, text=exc.text), code=exc.code
        )
    if isinstance(exc, ScaleFileRejectedError):
        return ScaleFailed(
            messages.SCALE_REJECTED.format(where=where, reason=exc.reason or messages.NO_REASON)
        )
    return ScaleFailed(messages.SCALE_PROTOCOL.format(where=where, reason=exc))

"""The domain's door to a scale: build connection params, run one call, translate its failures."""

from __future__ import annotations

import asyncio
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
from opsuite.scales.errors import Conflict, ScalesError
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
    """Run one device call to completion from a worker thread; scale failures become ScalesError.

    The host is resolved and checked against the allowed networks first, and the scale is reached at
    that checked address (409 when it lies outside them).
    """
    policy = runtime.settings.network_policy

    async def bounded() -> T:
        # The driver bounds itself; this outer limit guards against a driver or fake that does not.
        async with asyncio.timeout(params.deadline + params.timeout):
            try:
                address = await policy.resolve(params.host, params.port)
            except DeviceRefused as exc:
                raise Conflict(f"Scale {params.host}:{params.port} refused: {exc}") from None
            return await action(runtime.device_factory(replace(params, host=address)))

    try:
        # Endpoints and jobs run in worker threads without a loop, so each call gets its own short one.
        return asyncio.run(bounded())
    except ScaleError as exc:
        raise scale_failure(exc, params) from exc
    except TimeoutError as exc:
        raise scale_failure(ScaleTimeoutError("overall deadline passed"), params) from exc


def scale_failure(exc: ScaleError, params: ConnectionParams) -> ScalesError:
    """The HTTP-facing error for a scale failure: 504 timeout, 503 unreachable, 502 anything it said."""
    where = f"{params.host}:{params.port}"
    if isinstance(exc, ScaleTimeoutError):
        return ScalesError(f"Scale {where} did not answer in time", status_code=504)
    if isinstance(exc, ScaleUnreachableError):
        return ScalesError(f"Scale {where} is unreachable", status_code=503)
    if isinstance(exc, ScaleResultError):
        return ScalesError(f"Scale {where} answered {exc.code}: {exc.text}", status_code=502, code=exc.code)
    if isinstance(exc, ScaleFileRejectedError):
        reason = exc.reason or "no reason given"
        return ScalesError(f"Scale {where} rejected the product file: {reason}", status_code=502)
    return ScalesError(f"Scale {where} broke the protocol: {exc}", status_code=502)

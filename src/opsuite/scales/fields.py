"""Annotated field types of scales requests: a device id in the path and a device's host."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator

from opsuite.core.fields import MAX_ID
from opsuite.scales.fleet.network import check_host_syntax


def _device_id(example: int, summary: str) -> Any:
    """A device id in the path, with the example Swagger fills in."""
    return Annotated[
        int,
        Path(
            ge=1,
            le=MAX_ID,
            description="The device's id",
            openapi_examples={"demo": {"summary": summary, "value": example}},
        ),
    ]


# Swagger's examples: the demo device (id 1, at the simulator `opsuite serve` starts), and the device the
# create example adds on fresh demo data (id 2), which the delete example removes.
DeviceId = _device_id(1, "демо-весы (симулятор)")
"""A device's id in the path."""
CreatedDeviceId = _device_id(2, "весы, созданные примером POST /devices")
"""A device's id in the path, whose example is the device the create example adds."""

DeviceAddress = Annotated[str, AfterValidator(check_host_syntax)]
"""A device's `ip`: an IPv4 or IPv6 address or an RFC 1123 host name."""

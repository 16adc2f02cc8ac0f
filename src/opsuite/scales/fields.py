"""Annotated field types of scales requests: a device id in the path and a device's host."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

from opsuite.core.fields import MAX_ID
from opsuite.scales.fleet.network import check_host_syntax

# Swagger's examples: the demo device (id 1, at the simulator `opsuite serve` starts), and the device the
# create example adds on fresh demo data (id 2), which the delete example removes.
DeviceId = Annotated[
    int,
    Path(
        ge=1,
        le=MAX_ID,
        description="The device's id",
        openapi_examples={"demo": {"summary": "демо-весы (симулятор)", "value": 1}},
    ),
]
"""A device's id in the path."""
CreatedDeviceId = Annotated[
    int,
    Path(
        ge=1,
        le=MAX_ID,
        description="The device's id",
        openapi_examples={"demo": {"summary": "весы, созданные примером POST /devices", "value": 2}},
    ),
]
"""A device's id in the path, whose example is the device the create example adds."""

DeviceAddress = Annotated[str, AfterValidator(check_host_syntax)]
"""A device's `ip`: an IPv4 or IPv6 address or an RFC 1123 host name."""

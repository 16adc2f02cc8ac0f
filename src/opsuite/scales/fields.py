"""Annotated field types of scales requests: a device id in the path and a device's host."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

from opsuite.core.fields import MAX_ID
from opsuite.scales.fleet.network import check_host_syntax

DeviceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The device's id")]
"""A device's id in the path."""

DeviceAddress = Annotated[str, AfterValidator(check_host_syntax)]
"""A device's `ip`: an IPv4 or IPv6 address or an RFC 1123 host name."""

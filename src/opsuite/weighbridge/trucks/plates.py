"""The key a truck number is compared by: core's plate rule, with the dashes and dots people type dropped."""

from __future__ import annotations

import re

from opsuite.core.plates import plate_key

_MARKS = re.compile(r"[-‐-―.·_]")


def number_key(truck_number: str) -> str:
    """`01 а 777-аа` → `01A777AA`: core's `plate_key` of the number without dashes, dots or underscores."""
    return plate_key(_MARKS.sub("", truck_number))

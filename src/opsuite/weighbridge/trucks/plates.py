"""The key of a truck number: what two spellings of one plate share.

Until core has the suite's plate rule (`core.text.plate_key` or similar), this is the one place it lives.
"""

from __future__ import annotations

import re

# Cyrillic letters that look like Latin ones on a plate, written either way by operators and cameras.
_TWINS = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")
_SEPARATORS = re.compile(r"[\s\-_.·]")


def number_key(truck_number: str) -> str:
    """Upper case, no spaces or dashes, Cyrillic look-alikes as Latin: `01 а 777-аа` → `01A777AA`."""
    return _SEPARATORS.sub("", truck_number).upper().translate(_TWINS)

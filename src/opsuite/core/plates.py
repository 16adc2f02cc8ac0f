"""Vehicle registration numbers: one key for every way a person can type the same plate.

Russian plates use only the twelve Cyrillic letters that have Latin twins (А В Е К М Н О Р С Т У Х), so
`А001АА54` typed in Cyrillic and `a001aa 54` typed in Latin are the same car. `plate_key` is the form
that uniqueness and lookups compare: upper case, the twelve letters in Latin, no spaces, dashes,
dots or underscores. What was typed
is kept for display; only the key is compared. Waybills' cars and the weighbridge's trucks use it.
"""

from __future__ import annotations

import re

CYRILLIC_TWINS = "АВЕКМНОРСТУХ"
LATIN_TWINS = "ABEKMHOPCTYX"
_TO_LATIN = str.maketrans(CYRILLIC_TWINS, LATIN_TWINS)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.\u00b7_]+")


def plate_key(number: str) -> str:
    """The comparison form of a plate: upper case, Cyrillic twins in Latin, no spaces, dashes or dots.

    `01 а 777-аа` and `01A777AA` are one truck; `А001АА54` and `a001aa 54` one car.
    """
    return _SEPARATORS.sub("", number).upper().translate(_TO_LATIN)

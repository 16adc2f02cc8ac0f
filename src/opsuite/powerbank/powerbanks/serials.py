"""Bank serials: 16 upper-case hex digits of the 8 ID bytes; the old `DCHA54000016` form is accepted."""

from __future__ import annotations

import re

HEX_SERIAL = re.compile(r"[0-9A-F]{16}")
OLD_SERIAL = re.compile(r"([A-Z]{4})([0-9A-F]{8})")
BAD_SERIAL = "Серийный номер: 16 шестнадцатеричных цифр (4443484154000016) или вид DCHA54000016"


def canonical_serial(value: str) -> str:
    """The 16-hex serial of `value` given in either form; ValueError otherwise."""
    text = value.strip().upper()
    if HEX_SERIAL.fullmatch(text):
        return text
    old = OLD_SERIAL.fullmatch(text)
    if old is not None:
        return old.group(1).encode("ascii").hex().upper() + old.group(2)
    raise ValueError(BAD_SERIAL)


def display_serial(serial: str) -> str | None:
    """The original's form when the first 4 ID bytes are upper-case letters (`DCHA54000016`), else None."""
    head = bytes.fromhex(serial[:8])
    if all(0x41 <= byte <= 0x5A for byte in head):
        return head.decode("ascii") + serial[8:]
    return None

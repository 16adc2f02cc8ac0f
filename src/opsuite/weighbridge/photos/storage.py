"""Photo files: a JPEG check, date-partitioned random names, and the one path shape that is served.

A client's file name never reaches the disk: a path is `weighing/YYYY/MM/DD/<32 hex>.jpg`, built here.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

STATIC_URL = "/api/v1/static/"
"""Where the static root is served (without a token: names are random)."""
_SERVED = re.compile(r"weighing/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}\.jpg")

JPEG_START = b"\xff\xd8\xff"
JPEG_END = b"\xff\xd9"


def is_jpeg(data: bytes) -> bool:
    """Starts with the JPEG start-of-image marker and ends with end-of-image (trailing padding allowed)."""
    return data.startswith(JPEG_START) and data.rstrip(b"\x00\r\n ").endswith(JPEG_END)


def url_of(path: str) -> str:
    """The URL a stored photo is served at."""
    return STATIC_URL + path


@dataclass(frozen=True)
class PhotoStore:
    """The static root photos are written under, dated in the site's zone."""

    root: Path
    zone: ZoneInfo

    def new_path(self, at: datetime) -> str:
        """A fresh relative path for a photo taken at `at`."""
        day = at.astimezone(self.zone)
        return f"weighing/{day:%Y/%m/%d}/{secrets.token_hex(16)}.jpg"

    def write(self, path: str, data: bytes) -> None:
        """Write `data` at `path` atomically: readers see the whole file or none."""
        target = self.file(path)
        if target is None:
            raise ValueError(f"not a photo path: {path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def remove(self, path: str) -> None:
        """Remove a photo's file if it is there."""
        target = self.file(path)
        if target is not None:
            target.unlink(missing_ok=True)

    def file(self, path: str) -> Path | None:
        """The file of a served path, or None when `path` is not one this store makes."""
        return self.root / path if _SERVED.fullmatch(path) else None

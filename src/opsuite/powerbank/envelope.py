"""The document's success bodies: `{success, data, message}`, lists with `pagination`, mirrored keys."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

MAX_LIMIT = 10_000
"""The Vue client asks `limit=10000` on users, stations, orders, org units and banks."""


def ok(data: Any = None, message: str | None = None, **top: Any) -> dict[str, Any]:
    """A success body; `top` keys are emitted at top level as the document or the client reads them."""
    body: dict[str, Any] = {"success": True, "data": data}
    if message is not None:
        body["message"] = message
    body.update(top)
    return body


def mirrored(data: Mapping[str, Any], message: str | None = None, *keys: str, **extra: Any) -> dict[str, Any]:
    """A success body whose `keys` of `data` also stand at top level (all of them when none are named)."""
    names = keys or tuple(data)
    return ok(dict(data), message, **{name: data[name] for name in names}, **extra)


@dataclass(frozen=True)
class Page:
    """A list request's page (from 1) and limit (clamped to 1..MAX_LIMIT)."""

    page: int
    limit: int

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.limit


def page_params(default_limit: int = 10) -> Any:
    """A dependency reading `page` and `limit`; a limit above the maximum is clamped, not refused."""

    def params(
        page: Annotated[int, Query(ge=1, le=2**31 - 1)] = 1,
        limit: Annotated[int, Query(ge=1, le=2**31 - 1)] = default_limit,
    ) -> Page:
        return Page(page=page, limit=min(limit, MAX_LIMIT))

    return params


PageDep = Annotated[Page, Depends(page_params())]
"""`page` and `limit` with the document's default of 10."""


def paginated(rows: Sequence[Any], total: int, page: Page, **top: Any) -> dict[str, Any]:
    """A list body: `data` and `pagination` (page, limit, total, pages); `top` keys as in `ok`."""
    pages = math.ceil(total / page.limit) if total else 0
    return ok(
        list(rows),
        None,
        pagination={"page": page.page, "limit": page.limit, "total": total, "pages": pages},
        **top,
    )

"""limit/offset pages, sorting from a whitelist, and the `{items, total, limit, offset}` envelope."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from opsuite.production.errors import InvalidValue

T = TypeVar("T")
S = TypeVar("S", bound=BaseModel)


class Page(BaseModel, Generic[T]):
    """A page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class PageParams:
    """The requested window."""

    limit: int = 25
    offset: int = 0


def page_params(
    limit: Annotated[int, Query(ge=1, le=100, description="Элементов на странице (1..100)")] = 25,
    offset: Annotated[int, Query(ge=0, le=2**62, description="Смещение")] = 0,
) -> PageParams:
    """limit 1..100 (default 25) and offset ≥ 0; anything else is FastAPI's 422."""
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class SortDirection(StrEnum):
    """Either case is accepted; the document writes `ASC`/`DESC`, the original `asc`/`desc`."""

    ASC = "ASC"
    DESC = "DESC"


def sort_direction(
    sort_direction: Annotated[
        str, Query(description="`ASC` или `DESC` (регистр не важен)", pattern="(?i)^(asc|desc)$")
    ] = "DESC",
) -> SortDirection:
    """The direction, upper-cased."""
    return SortDirection(sort_direction.upper())


SortDirectionDep = Annotated[SortDirection, Depends(sort_direction)]


@dataclass(frozen=True)
class Sorting:
    """The requested sort field (checked by `ordered` against the resource's whitelist) and direction."""

    field: str
    direction: SortDirection


def sorting_by(fields: Sequence[str]) -> Callable[..., Sorting]:
    """The dependency reading `sort_direction` and `sort_field`, whose description lists `fields`."""

    # A default, not an annotation: annotations are strings here, and `fields` lives only in this closure.
    def sorting(
        direction: SortDirectionDep,
        sort_field: str = Query("created_at", description=", ".join(fields)),
    ) -> Sorting:
        return Sorting(sort_field, direction)

    return sorting


def ordered(
    statement: Select[Any], model: Any, sorting: Sorting, *, resource: str, allowed: Sequence[str]
) -> Select[Any]:
    """`statement` ordered by the sort field (nulls last on both backends), then by uuid for stable pages;
    422 naming the `allowed` fields (the original's text) for any other."""
    if sorting.field not in allowed:
        raise InvalidValue(
            f"Недопустимое поле сортировки для {resource}: {sorting.field}. "
            f"Допустимые значения: {', '.join(allowed)}"
        )
    column = getattr(model, sorting.field)
    if sorting.direction is SortDirection.ASC:
        return statement.order_by(column.asc().nulls_last(), model.uuid.asc())
    return statement.order_by(column.desc().nulls_last(), model.uuid.desc())


def fetch_page(session: Session, statement: Select[Any], page: PageParams) -> tuple[list[Any], int]:
    """The rows of one window of `statement` and the total count without the window."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    rows = list(session.scalars(statement.limit(page.limit).offset(page.offset)))
    return rows, total


def page_of(schema: type[S], rows: Sequence[Any], total: int, page: PageParams) -> Page[S]:
    """The answer of a list route: `rows` as `schema`, with the total and the window."""
    return Page[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(row) for row in rows], total=total, limit=page.limit, offset=page.offset
    )

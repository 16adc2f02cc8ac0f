"""DRF ModelViewSet semantics on FastAPI: list, create 201, retrieve, PUT, PATCH, DELETE 204 (soft)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from types import SimpleNamespace
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Body, Depends, Path, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from opsuite.waybills.auth.service import Actor
from opsuite.waybills.deps import SessionDep, require
from opsuite.waybills.fields import MAX_ID, In, patch_model_of

ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="Row id")]


class ResourceService(Protocol):
    """What a domain service offers the viewset."""

    def get(self, session: Session, row_id: int) -> Any: ...
    def create(self, session: Session, data: dict[str, Any], actor: Actor) -> Any: ...
    def update(self, session: Session, row_id: int, data: dict[str, Any], actor: Actor) -> Any: ...
    def delete(self, session: Session, row_id: int, actor: Actor) -> None: ...


@dataclass
class Flags:
    """The permission flag of each action."""

    view: str
    create: str
    update: str
    delete: str

    @classmethod
    def of(cls, stem: str, view: str | None = None) -> "Flags":
        """`view_<stem>`, `can_create_<stem>`, `can_update_<stem>`, `can_delete_<stem>`."""
        return cls(view or f"view_{stem}", f"can_create_{stem}", f"can_update_{stem}", f"can_delete_{stem}")


def bind(module: Any, names: dict[str, str], **fixed: Any) -> Any:
    """A service object whose get/create/update/delete are `module` functions with `fixed` keywords."""
    return SimpleNamespace(
        **{action: partial(getattr(module, name), **fixed) for action, name in names.items()}
    )


@dataclass
class Resource:
    """One DRF-style resource."""

    prefix: str
    tag: str
    read: type[BaseModel]
    write: type[In]
    service: ResourceService
    flags: Flags
    list_rows: Callable[..., list[Any]]  # a route function body: (session, **query) -> rows
    full_update: type[In] | None = None
    create_guard: Callable[..., Actor] | None = None  # replaces the create flag check
    examples: dict[str, Any] = field(default_factory=dict)


def register(router: APIRouter, res: Resource, list_query: Any) -> None:
    """Add the six routes of `res` to `router`; `list_query` is a dependency returning the filters."""
    read, write = res.read, res.write
    put_model = res.full_update or write
    patch_model = patch_model_of(write)
    create_dep = res.create_guard or require(res.flags.create)
    body_examples = {"example": {"value": res.examples}} if res.examples else None
    view_dep, update_dep, delete_dep = (
        require(res.flags.view),
        require(res.flags.update),
        require(res.flags.delete),
    )

    def to_read(row: Any) -> Any:
        return read.model_validate(row)

    # The body and response models are built at runtime, which type checkers cannot follow.
    @router.get(f"/{res.prefix}/", response_model=list[read], tags=[res.tag], summary=f"List {res.prefix}")  # type: ignore[valid-type]
    def list_(
        session: SessionDep,
        _: Annotated[Actor, Depends(view_dep)],
        query: Annotated[Any, Depends(list_query)],
    ) -> Any:
        return [to_read(row) for row in res.list_rows(session, **query)]

    @router.post(
        f"/{res.prefix}/",
        response_model=read,
        status_code=201,
        tags=[res.tag],
        summary=f"Create in {res.prefix}",
    )
    def create(
        session: SessionDep,
        actor: Annotated[Actor, Depends(create_dep)],
        body: Annotated[write, Body(openapi_examples=body_examples)],  # type: ignore[valid-type]
    ) -> Any:
        return to_read(res.service.create(session, body.model_dump(), actor))  # type: ignore[attr-defined]

    @router.get(
        f"/{res.prefix}/{{item_id:int}}/",
        response_model=read,
        tags=[res.tag],
        summary=f"Retrieve from {res.prefix}",
    )
    def retrieve(session: SessionDep, _: Annotated[Actor, Depends(view_dep)], item_id: ItemId) -> Any:
        return to_read(res.service.get(session, item_id))

    @router.put(
        f"/{res.prefix}/{{item_id:int}}/",
        response_model=read,
        tags=[res.tag],
        summary=f"Replace in {res.prefix}",
    )
    def replace(
        session: SessionDep,
        actor: Annotated[Actor, Depends(update_dep)],
        item_id: ItemId,
        body: put_model,  # type: ignore[valid-type]
    ) -> Any:
        return to_read(res.service.update(session, item_id, body.model_dump(), actor))  # type: ignore[attr-defined]

    @router.patch(
        f"/{res.prefix}/{{item_id:int}}/",
        response_model=read,
        tags=[res.tag],
        summary=f"Change in {res.prefix}",
    )
    def change(
        session: SessionDep,
        actor: Annotated[Actor, Depends(update_dep)],
        item_id: ItemId,
        body: patch_model,  # type: ignore[valid-type]
    ) -> Any:
        data = body.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
        return to_read(res.service.update(session, item_id, data, actor))

    @router.delete(
        f"/{res.prefix}/{{item_id:int}}/",
        status_code=204,
        response_class=Response,
        tags=[res.tag],
        summary=f"Delete from {res.prefix} (soft)",
    )
    def destroy(
        session: SessionDep, actor: Annotated[Actor, Depends(delete_dep)], item_id: ItemId
    ) -> Response:
        res.service.delete(session, item_id, actor)
        return Response(status_code=204)

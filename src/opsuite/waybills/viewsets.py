"""DRF ModelViewSet semantics on FastAPI: list, create 201, retrieve, PUT, PATCH, DELETE 204 (soft).

A request holds a database connection only inside one thread trip, which takes a slot of the database's
gate first (`core.capacity`): it never waits for a thread while holding a connection, so a full pool cannot
wait on itself. A request without a body makes one trip: open the transaction, resolve the caller, check
the flag, run the service, serialize, commit. A request with a body checks the caller before the body is
validated (DRF's order) in a short read of its own, then makes the trip that does the work. On SQLite the
single-row reads (that check, and a retrieve) run on the event loop over a connection of their own
(docs/decisions.md); everything else runs in a worker thread.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import APIRouter, Body, Depends, Path, Request, Response
from pydantic import BaseModel, TypeAdapter
from sqlalchemy.orm import Session, sessionmaker

from opsuite.core.db import Database
from opsuite.core.fields import MAX_ID
from opsuite.core.web.deps import READ_METHODS
from opsuite.waybills.auth import service as auth_service
from opsuite.waybills.auth.service import Actor
from opsuite.waybills.deps import RuntimeDep
from opsuite.waybills.errors import PermissionDenied
from opsuite.waybills.fields import In, patch_model_of
from opsuite.waybills.kinds import VehicleKind
from opsuite.waybills.roles.flags import Flags

ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="Row id")]
JSON = "application/json"

Rule = Callable[[Actor], bool]
FiltersT = TypeVar("FiltersT")
FiltersT_contra = TypeVar("FiltersT_contra", contravariant=True)


class ListRows(Protocol[FiltersT_contra]):
    """A service's list function: the live rows that pass `filters`."""

    def __call__(self, session: Session, *, filters: FiltersT_contra) -> Sequence[Any]: ...


class GetRow(Protocol):
    """A service's get function: one live row, or NotFound."""

    def __call__(self, session: Session, *, row_id: int) -> Any: ...


class CreateRow(Protocol):
    """A service's create function: a new row from a validated body."""

    def __call__(self, session: Session, *, body: Any, actor: Actor) -> Any: ...


class UpdateRow(Protocol):
    """A service's update function: every field of `body` (PUT), or only those sent (`partial`, PATCH)."""

    def __call__(self, session: Session, *, row_id: int, body: Any, partial: bool, actor: Actor) -> Any: ...


class DeleteRow(Protocol):
    """A service's delete function: a soft delete."""

    def __call__(self, session: Session, *, row_id: int, actor: Actor) -> None: ...


@dataclass(frozen=True)
class Actions(Generic[FiltersT]):
    """The service functions behind a resource's six routes."""

    list: ListRows[FiltersT]
    get: GetRow
    create: CreateRow
    update: UpdateRow
    delete: DeleteRow

    @classmethod
    def of_kind(cls, kind: VehicleKind, *functions: Callable[..., Any]) -> "Actions[Any]":
        """A vehicle kind's resource: its list, get, create, update and delete, each called with `kind`."""
        list_rows, get, create, update, delete = (partial(function, kind=kind) for function in functions)
        return cls(list_rows, get, create, update, delete)


def flag(name: str) -> Rule:
    """A rule: the caller's role grants `name`."""
    return lambda actor: actor.allows(name)


async def token_claims(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    """Verify the bearer token before the body is parsed, so that anonymous calls are 401 first, as in DRF."""
    return auth_service.read_token(request.headers.get("authorization"), runtime.tokens)


Claims = Annotated[dict[str, Any], Depends(token_claims)]


Sessions = sessionmaker[Session]


@dataclass
class Unit:
    """One request's transaction and caller, carried from the permission check to the work."""

    session: Session
    actor: Actor


@dataclass
class Caller:
    """A caller who passed the permission check; the work's transaction checks again with the same rule."""

    database: Database
    claims: dict[str, Any]
    rule: Rule


def _open(sessions: Sessions, claims: dict[str, Any], rule: Rule) -> Unit:
    session = sessions()
    try:
        session.begin()
        actor = auth_service.resolve_actor(session, claims)
        if not rule(actor):
            raise PermissionDenied()
    except BaseException:
        session.close()
        raise
    return Unit(session, actor)


def _finish(unit: Unit, work: Callable[[Session, Actor], Any], dump: Callable[[Any], bytes]) -> bytes:
    try:
        body = dump(work(unit.session, unit.actor))
        unit.session.commit()
        return body
    finally:
        unit.session.close()


def _check(sessions: Sessions, claims: dict[str, Any], rule: Rule) -> None:
    _open(sessions, claims, rule).session.close()


def _open_and_finish(
    sessions: Sessions,
    claims: dict[str, Any],
    rule: Rule,
    work: Callable[[Session, Actor], Any],
    dump: Callable[[Any], bytes],
) -> bytes:
    return _finish(_open(sessions, claims, rule), work, dump)


def guard(rule: Rule) -> Any:
    """A dependency: the caller, let through only if `rule` lets it in.

    As in DRF, authentication and the permission check come before the body is validated. The check is a
    read of one row; it holds no connection once it has answered.
    """

    async def dependency(runtime: RuntimeDep, claims: Claims) -> Caller:
        database = runtime.database
        if database.is_sqlite:
            _check(database.loop_read_sessions, claims, rule)
        else:
            await database.gate.run(_check, database.read_sessions, claims, rule)
        return Caller(database, claims, rule)

    return Depends(dependency)


async def respond(
    caller: Caller, work: Callable[[Session, Actor], Any], dump: Callable[[Any], bytes], status: int = 200
) -> Response:
    """Run `work` in one write transaction (one trip to a worker thread) and answer its JSON."""
    database = caller.database
    body = await database.gate.run(
        _open_and_finish, database.write_sessions, caller.claims, caller.rule, work, dump
    )
    return Response(body, status_code=status, media_type=JSON)


async def respond_at_once(
    request: Request,
    database: Database,
    claims: dict[str, Any],
    rule: Rule,
    work: Callable[[Session, Actor], Any],
    dump: Callable[[Any], bytes],
    status: int = 200,
    *,
    single_row: bool = False,
) -> Response:
    """For requests without a body: check and work in a single trip to a worker thread.

    A `single_row` read on SQLite runs on the event loop itself: in WAL mode a reader never waits for a
    writer, so the call is a few hundred microseconds of CPU, less than the trip to a worker thread costs
    (decisions.md). A list is not bounded, so it always goes to a thread.
    """
    read = request.method in READ_METHODS
    if single_row and read and database.is_sqlite:
        body = _open_and_finish(database.loop_read_sessions, claims, rule, work, dump)
    else:
        sessions = database.read_sessions if read else database.write_sessions
        body = await database.gate.run(_open_and_finish, sessions, claims, rule, work, dump)
    return Response(body, status_code=status, media_type=JSON if body else None)


def dumper(model: Any) -> Callable[[Any], bytes]:
    """Serialize ORM rows (or lists of them) through `model` straight to JSON bytes."""
    adapter: TypeAdapter[Any] = TypeAdapter(model)
    return lambda value: adapter.dump_json(adapter.validate_python(value, from_attributes=True))


def list_dumper(model: Any, chunk: int = 50) -> Callable[[Any], bytes]:
    """Serialize a list of ORM rows through `model`, `chunk` rows per call into pydantic-core.

    pydantic-core keeps the GIL for a whole call: with 3,000 rows in one call every other thread, the event
    loop's included, waits for the whole list; between chunks they get their turn.
    """
    adapter: TypeAdapter[Any] = TypeAdapter(list[model])

    def dump(rows: Any) -> bytes:
        rows = list(rows)
        parts = [
            adapter.dump_json(adapter.validate_python(rows[start : start + chunk], from_attributes=True))[
                1:-1
            ]
            for start in range(0, len(rows), chunk)
        ]
        return b"[" + b",".join(parts) + b"]"

    return dump


@dataclass(frozen=True)
class Examples:
    """What Swagger's "Try it out" sends, each valid unchanged on fresh demo data.

    tests/core/test_swagger_examples.py sends them all.
    """

    create: dict[str, Any]
    item: int
    """A demo row: the retrieve, replace and change examples use it (their bodies keep it as it is)."""
    replace: dict[str, Any]
    change: dict[str, Any]
    created: int
    """The id the create example gets on fresh demo data: the delete example removes that row."""


def _row_id(example: int, summary: str) -> Any:
    """The `item_id` path parameter with an example Swagger fills in."""
    return Annotated[
        int,
        Path(
            ge=1,
            le=MAX_ID,
            description="Row id",
            openapi_examples={"demo": {"summary": summary, "value": example}},
        ),
    ]


def _body(model: Any, example: dict[str, Any]) -> Any:
    return Annotated[model, Body(openapi_examples={"demo": {"summary": "демо-данные", "value": example}})]


@dataclass
class Resource(Generic[FiltersT]):
    """One DRF-style resource: `filters` is the dependency that reads the list's query parameters."""

    prefix: str
    tag: str
    read: type[BaseModel]
    write: type[In]
    actions: Actions[FiltersT]
    flags: Flags
    filters: Callable[..., Any]
    full_update: type[In] | None = None
    create_rule: Rule | None = None  # replaces the create flag check
    examples: Examples | None = None


def register(router: APIRouter, res: Resource[Any]) -> None:
    """Add the six routes of `res` to `router`."""
    read, write, actions = res.read, res.write, res.actions
    put_model = res.full_update or write
    patch_model = patch_model_of(write)
    one, many = dumper(read), list_dumper(read)
    can_view, can_update, can_delete = flag(res.flags.view), flag(res.flags.update), flag(res.flags.delete)
    can_create = res.create_rule or flag(res.flags.create)
    ex = res.examples
    item_id_t: Any = ItemId if ex is None else _row_id(ex.item, f"запись {ex.item} демо-данных")
    deleted_id_t: Any = ItemId if ex is None else _row_id(ex.created, "запись, созданная примером POST")
    create_t: Any = write if ex is None else _body(write, ex.create)
    put_t: Any = put_model if ex is None else _body(put_model, ex.replace)
    patch_t: Any = patch_model if ex is None else _body(patch_model, ex.change)
    delete_note = (
        None
        if ex is None
        else f"Пример удаляет запись {ex.created}: её создаёт пример POST на свежих демо-данных"
        " (без него ответ 404)."
    )
    collection, item = f"/{res.prefix}/", f"/{res.prefix}/{{item_id:int}}/"

    # The body and response models are built at runtime, which type checkers cannot follow.
    @router.get(collection, response_model=list[read], tags=[res.tag], summary=f"List {res.prefix}")  # type: ignore[valid-type]
    async def list_(
        request: Request, runtime: RuntimeDep, claims: Claims, filters: Annotated[Any, Depends(res.filters)]
    ) -> Response:
        return await respond_at_once(
            request,
            runtime.database,
            claims,
            can_view,
            lambda session, _: actions.list(session, filters=filters),
            many,
        )

    @router.post(
        collection,
        response_model=read,
        status_code=201,
        tags=[res.tag],
        summary=f"Create in {res.prefix}",
    )
    async def create(
        caller: Annotated[Caller, guard(can_create)],
        body: create_t,
    ) -> Response:
        return await respond(
            caller, lambda session, actor: actions.create(session, body=body, actor=actor), one, 201
        )

    @router.get(item, response_model=read, tags=[res.tag], summary=f"Retrieve from {res.prefix}")
    async def retrieve(request: Request, runtime: RuntimeDep, claims: Claims, item_id: item_id_t) -> Response:
        return await respond_at_once(
            request,
            runtime.database,
            claims,
            can_view,
            lambda session, _: actions.get(session, row_id=item_id),
            one,
            single_row=True,
        )

    @router.put(item, response_model=read, tags=[res.tag], summary=f"Replace in {res.prefix}")
    async def replace(
        caller: Annotated[Caller, guard(can_update)],
        item_id: item_id_t,
        body: put_t,
    ) -> Response:
        return await respond(caller, partial(_update, actions, item_id, body, False), one)

    @router.patch(item, response_model=read, tags=[res.tag], summary=f"Change in {res.prefix}")
    async def change(
        caller: Annotated[Caller, guard(can_update)],
        item_id: item_id_t,
        body: patch_t,
    ) -> Response:
        return await respond(caller, partial(_update, actions, item_id, body, True), one)

    @router.delete(
        item,
        status_code=204,
        response_class=Response,
        tags=[res.tag],
        summary=f"Delete from {res.prefix} (soft)",
        description=delete_note,
    )
    async def destroy(
        request: Request, runtime: RuntimeDep, claims: Claims, item_id: deleted_id_t
    ) -> Response:
        work = partial(_delete, actions, item_id)
        return await respond_at_once(
            request, runtime.database, claims, can_delete, work, _no_body, status=204
        )


def _update(
    actions: Actions[Any], item_id: int, body: BaseModel, is_partial: bool, session: Session, actor: Actor
) -> Any:
    return actions.update(session, row_id=item_id, body=body, partial=is_partial, actor=actor)


def _delete(actions: Actions[Any], item_id: int, session: Session, actor: Actor) -> None:
    actions.delete(session, row_id=item_id, actor=actor)


def _no_body(_: Any) -> bytes:
    return b""

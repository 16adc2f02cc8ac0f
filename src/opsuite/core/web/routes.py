"""A flat route table: a system's routers copied into the app's own table, matched once per request."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send


class FlatRoute(APIRoute):
    """An API route whose 405 names every method its path accepts, not only its own.

    A flat table holds one route per method of a path; Starlette answers a wrong method with the first
    route that matched the path, whose `Allow` would list that route's methods alone.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the route; a method it lacks is a 405 listing all the path's methods."""
        if self.methods and scope["method"] not in self.methods and "app" in scope:
            allow = ", ".join(path_methods(scope["app"].router.routes, self.path))
            raise StarletteHTTPException(status_code=405, headers={"Allow": allow})
        await super().handle(scope, receive, send)


def path_methods(routes: list[BaseRoute], path: str) -> list[str]:
    """Every method that some route of `path` accepts, sorted."""
    methods: set[str] = set()
    for route in routes:
        if isinstance(route, Route) and route.path == path and route.methods:
            methods |= route.methods
    return sorted(methods)


def include_flat(
    app: FastAPI,
    router: APIRouter,
    *,
    prefix: str = "",
    responses: dict[int | str, Any] | None = None,
    in_schema: bool = True,
) -> None:
    """Copy `router`'s routes into the app's own route table, under `prefix`.

    FastAPI (0.160+) keeps an included router as a nested node and matches every level again on each
    request; with ~90 routes that cost about a third of a small request's CPU time. A flat table is
    matched once, as `include_router` used to do. `in_schema=False` mounts an alias (an old prefix, say)
    that stays out of the OpenAPI document. WebSocket routes are copied too.
    """
    for route in router.routes:
        if not isinstance(route, APIRoute | APIWebSocketRoute):
            raise TypeError(f"include_flat copies API and WebSocket routes only, not {route!r}")
        name = route.name if in_schema else f"{prefix}:{route.name}"
        if isinstance(route, APIWebSocketRoute):
            app.router.add_api_websocket_route(
                prefix + route.path, route.endpoint, name=name, dependencies=route.dependencies
            )
            continue
        app.router.add_api_route(
            prefix + route.path,
            route.endpoint,
            response_model=route.response_model,
            status_code=route.status_code,
            tags=route.tags,
            dependencies=route.dependencies,
            summary=route.summary,
            description=route.description,
            response_description=route.response_description,
            responses={**(responses or {}), **route.responses},
            deprecated=route.deprecated,
            methods=route.methods,
            operation_id=route.operation_id,
            include_in_schema=route.include_in_schema and in_schema,
            response_class=route.response_class,
            response_model_exclude_none=route.response_model_exclude_none,
            name=name,
            openapi_extra=route.openapi_extra,
            route_class_override=FlatRoute,
        )

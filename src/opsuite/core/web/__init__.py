"""The web layer every system shares: app builder, request context, flat routes, database errors, sockets."""

from opsuite.core.web.app import Lifetime, WireErrors, build_app, install_common
from opsuite.core.web.context import REQUEST_ID_HEADER, Metrics, RequestContextMiddleware
from opsuite.core.web.database import (
    DatabaseStartupCheck,
    DatabaseUnavailable,
    database_problem,
    health_response,
    install_database_errors,
    unavailable_response,
)
from opsuite.core.web.lifespan import Part, lifespan_of
from opsuite.core.web.routes import FlatRoute, include_flat, path_methods
from opsuite.core.web.sockets import authenticate_websocket, stream_frames

__all__ = [
    "REQUEST_ID_HEADER",
    "DatabaseStartupCheck",
    "DatabaseUnavailable",
    "FlatRoute",
    "Lifetime",
    "Metrics",
    "Part",
    "RequestContextMiddleware",
    "WireErrors",
    "authenticate_websocket",
    "build_app",
    "database_problem",
    "health_response",
    "include_flat",
    "install_common",
    "install_database_errors",
    "lifespan_of",
    "path_methods",
    "stream_frames",
    "unavailable_response",
]

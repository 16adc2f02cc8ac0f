"""One uvicorn worker serving the waybills app plus bare JSON routes: `python -m bench.waybills_server`."""

from __future__ import annotations

import sys

import uvicorn
from fastapi import FastAPI

from bench.fixtures import SECRET
from opsuite.waybills.app import create_app
from opsuite.waybills.settings import WaybillsSettings

BARE = {"status": "ok", "system": "waybills"}


async def bare() -> dict[str, str]:
    """A constant JSON body, answered on the event loop."""
    return BARE


def bare_sync() -> dict[str, str]:
    """The same body from a plain `def`, which FastAPI runs in its thread pool."""
    return BARE


def build(database_url: str, var_dir: str) -> FastAPI:
    """The waybills app with `/bench/bare` (async) and `/bench/bare-sync` (thread pool) matched first."""
    settings = WaybillsSettings(database_url=database_url, secret_key=SECRET, core={"var_dir": var_dir})
    app: FastAPI = create_app(settings)
    app.add_api_route("/bench/bare", bare, include_in_schema=False)
    app.add_api_route("/bench/bare-sync", bare_sync, include_in_schema=False)
    # Routes match in order; first, the bare routes measure FastAPI itself, not a walk past ~90 routes.
    routes = app.router.routes
    routes[:] = [*routes[-2:], *routes[:-2]]
    return app


def main(argv: list[str]) -> None:
    """Serve `build(DATABASE_URL, VAR_DIR)` on 127.0.0.1:PORT with one worker."""
    database_url, var_dir, port = argv
    uvicorn.run(
        build(database_url, var_dir),
        host="127.0.0.1",
        port=int(port),
        workers=1,
        loop="auto",
        http="auto",
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main(sys.argv[1:])

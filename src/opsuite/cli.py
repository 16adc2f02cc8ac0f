"""The `opsuite` command: serve, migrate, admin, demo, simulate, gateway, worker, beat."""

from __future__ import annotations

import asyncio
import contextlib
import html
import socket
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from rich.console import Console

from opsuite.core.logs import configure_logging
from opsuite.core.schema_state import schema_problem
from opsuite.core.serving import Listener, PortsBusy, SharedSignalServer, bind_ports, serve_all
from opsuite.core.settings import CoreSettings, SystemSettings
from opsuite.core.system import ApiKeys, InputRefused, SimulateOptions, System
from opsuite.systems import INDEX_PORT, SYSTEMS, descriptor

if TYPE_CHECKING:
    from celery import Celery

    from opsuite.core.jobs import JobSetup

app = typer.Typer(help="opsuite: operations backends on one core.", no_args_is_help=True)
admin_app = typer.Typer(help="Administrators.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")
apikey_app = typer.Typer(help="API keys of the systems whose API is guarded by keys.", no_args_is_help=True)
app.add_typer(apikey_app, name="apikey")
# soft_wrap: lines are never broken at the terminal's width (a log file would get a JSON hint cut in two).
console = Console(stderr=True, soft_wrap=True)

SystemsArg = Annotated[list[str] | None, typer.Argument(help="Systems (default: all)", show_default=False)]


def _names(systems: list[str] | None) -> list[str]:
    names = systems or list(SYSTEMS)
    unknown = [name for name in names if name not in SYSTEMS]
    if unknown:
        raise typer.BadParameter(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    return names


@app.command()
def migrate(systems: SystemsArg = None) -> None:
    """Apply each system's migrations."""
    for name in _names(systems):
        system = descriptor(name)
        system.migrate(system.settings())
        console.print(f"[green]migrated[/] {name}")


def _migrated(system: System[Any]) -> SystemSettings:
    """The system's settings, once its database is known to have the schema; else one line and exit 1."""
    settings: SystemSettings = system.settings()
    problem = schema_problem(system.package, settings.db_url)
    if problem is not None:
        console.print(f"[red]error:[/] {system.name}: {problem}; run `opsuite migrate {system.name}` first")
        raise typer.Exit(1)
    return settings


@app.command()
def demo(
    systems: SystemsArg = None,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Only into empty databases")] = False,
) -> None:
    """Load realistic demo data."""
    for name in _names(systems):
        system = descriptor(name)
        console.print(f"{name}: {system.load_demo(_migrated(system), if_empty)}")


@admin_app.command("create")
def admin_create(
    system: Annotated[str, typer.Argument(help="System")],
    username: Annotated[str, typer.Option(help="Login field of that system")],
    password: Annotated[str, typer.Option(help="Password", prompt=True, hide_input=True)],
) -> None:
    """Create an administrator (or reset its password)."""
    target = descriptor(_names([system])[0])
    try:
        done = target.create_admin(_migrated(target), username, password)
    except InputRefused as refused:
        console.print(f"[red]error:[/] {refused}")
        raise typer.Exit(1) from None
    console.print(done)


def _keyed(system: str) -> tuple[ApiKeys[Any], SystemSettings]:
    """The key commands and settings of a system that takes API keys; exits 2 with a message otherwise."""
    target = descriptor(_names([system])[0])
    if target.api_keys is None:
        console.print(f"[red]error:[/] system {system} has no API keys (it authenticates its users itself)")
        raise typer.Exit(2)
    return target.api_keys, _migrated(target)


@apikey_app.command("create")
def apikey_create(
    system: Annotated[str, typer.Argument(help="System")],
    name: Annotated[str, typer.Option(help="What the key is for (shown by list)")],
) -> None:
    """Create an API key and print it once: only its hash is stored."""
    keys, settings = _keyed(system)
    try:
        key_id, key = keys.create(settings, name)
    except ValueError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None
    console.print(f"API key {name!r} created (id {key_id}); store it now, it cannot be shown again:")
    typer.echo(key)


@apikey_app.command("list")
def apikey_list(system: Annotated[str, typer.Argument(help="System")]) -> None:
    """List the API keys: id, name, first characters, created, revoked (empty while active)."""
    keys, settings = _keyed(system)
    rows = keys.rows(settings)
    if not rows:
        console.print(f"{system}: no API keys (the API is open to anyone who can reach its port)")
        return
    # Tab-separated on stdout, never wrapped or cut to the terminal's width: ids stay whole for `revoke`.
    for row in [("id", "name", "key", "created", "revoked"), *rows]:
        typer.echo("\t".join(row))


@apikey_app.command("revoke")
def apikey_revoke(
    system: Annotated[str, typer.Argument(help="System")],
    key: Annotated[str, typer.Argument(help="Id, first characters (as listed) or name of the key")],
) -> None:
    """Revoke an API key; running servers refuse it within their key cache time."""
    keys, settings = _keyed(system)
    try:
        console.print(keys.revoke(settings, key))
    except ValueError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from None


@app.command()
def simulate(
    system: Annotated[str, typer.Argument(help="System whose devices to simulate")],
    count: Annotated[int, typer.Option(help="How many devices")] = 1,
    base_port: Annotated[
        int, typer.Option("--base-port", "--port", help="Port of the first; the rest follow")
    ] = 1111,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    password: Annotated[
        str | None, typer.Option(help="The devices' password (default: the simulator's)", show_default=False)
    ] = None,
    fault: Annotated[
        str | None, typer.Option(help="Misbehave on every matching request (see the system's docs)")
    ] = None,
) -> None:
    """Run device simulators until interrupted."""
    simulated = [name for name in SYSTEMS if descriptor(name).simulate is not None]
    target = descriptor(_names([system])[0])
    if target.simulate is None:
        raise typer.BadParameter(f"no simulators for {system!r}; known: {', '.join(simulated)}")
    if fault is not None and fault not in target.simulator_faults:
        known = ", ".join(target.simulator_faults) or "none"
        raise typer.BadParameter(f"unknown fault {fault!r} for {system}; known: {known}")
    options = SimulateOptions(count, base_port, host, console.print, password=password, fault=fault)
    try:
        asyncio.run(target.simulate(options))
    except InputRefused as refused:
        console.print(f"[red]error:[/] {refused}")
        raise typer.Exit(1) from None
    except OSError as error:  # a port already taken
        console.print(f"[red]error:[/] cannot listen on {host}:{base_port}: {error.strerror or error}")
        raise typer.Exit(1) from None


@app.command()
def gateway(system: Annotated[str, typer.Argument(help="System whose devices dial in (powerbank)")]) -> None:
    """Run the cabinet gateway: cabinets dial in, API workers send commands through Redis."""
    if _names([system])[0] != "powerbank":
        raise typer.BadParameter(f"no gateway for {system!r}; known: powerbank")
    from opsuite.powerbank.cabinets.gateway_main import gateway_main
    from opsuite.powerbank.settings import PowerbankSettings

    core = CoreSettings()
    configure_logging(core.log_format, core.log_level)
    settings = PowerbankSettings()
    console.print(f"powerbank cabinet gateway on {settings.gateway_host}:{settings.gateway_port}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(gateway_main(settings))


@app.command()
def serve(
    systems: SystemsArg = None,
    port: Annotated[int | None, typer.Option(help="Port (only when serving one system)")] = None,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port_offset: Annotated[
        int, typer.Option(help="Added to every default port (a second copy side by side)")
    ] = 0,
    prepare: Annotated[
        bool, typer.Option("--prepare", help="Migrate, and load demo data into empty ones, first")
    ] = False,
) -> None:
    """Serve the systems, each on its own port, with an index page linking each Swagger UI."""
    core = CoreSettings()
    names = _names(systems)
    if port is not None and len(names) != 1:
        raise typer.BadParameter("--port needs exactly one system")
    listeners = [Listener(name, host, port or descriptor(name).port + port_offset) for name in names]
    if systems is None:
        listeners.append(Listener("index", host, INDEX_PORT + port_offset))
    try:
        # Before anything else: a second `make run` must not migrate the databases of the one running.
        sockets = bind_ports(listeners)
    except PortsBusy as busy:
        for line in busy.lines:
            console.print(f"[red]error:[/] {line}")
        raise typer.Exit(1) from None
    configure_logging(core.log_format, core.log_level)
    if prepare:
        migrate(names)
        demo(names, if_empty=True)
    servers: list[tuple[uvicorn.Server, socket.socket]] = []
    banner: list[str] = []
    for listener, sock in zip(listeners, sockets, strict=True):
        url = f"http://{host}:{listener.port}"
        if listener.name == "index":
            links = [(other.name, f"http://{host}:{other.port}") for other in listeners[:-1]]
            servers.append((_server(index_app(links), "index"), sock))
            banner.append(f"[bold]index[/] on {url}/")
            continue
        system = descriptor(listener.name)
        system_settings = _migrated(system)
        servers.append((_server(system.create_app(system_settings), listener.name), sock))
        banner.append(f"[bold]{listener.name}[/] on {url}/docs — log in: {system.login_hint}")
        if system.api_keys is not None:
            banner.append(f"{listener.name}: {system.api_keys.access_line(system_settings)}")
    for line in banner:
        console.print(line)
    asyncio.run(serve_all(servers))


def _server(asgi: FastAPI, name: str) -> uvicorn.Server:
    # Our middleware writes the access log, with the request id; uvicorn's would repeat each line.
    return SharedSignalServer(uvicorn.Config(asgi, log_config=None, access_log=False), system=name)


def index_app(links: list[tuple[str, str]]) -> FastAPI:
    """A page linking each system's Swagger UI."""
    page = FastAPI(title="opsuite", docs_url=None, redoc_url=None, openapi_url=None)
    items = "".join(
        f'<li><a href="{html.escape(url)}/docs">{html.escape(name)}</a> — {html.escape(url)}</li>'
        for name, url in links
    )
    body = f"<!doctype html><meta charset=utf-8><title>opsuite</title><h1>opsuite</h1><ul>{items}</ul>"

    @page.get("/", response_class=HTMLResponse)
    def index() -> str:
        return body

    return page


class Pool(StrEnum):
    """Celery worker pools offered by `opsuite worker`."""

    threads = "threads"
    solo = "solo"
    prefork = "prefork"


def _celery_app(system: str) -> tuple[Celery, CoreSettings]:
    """The Celery app of a system with background jobs; exits 2 with a message otherwise."""
    name = _names([system])[0]
    target = descriptor(name)
    jobs = target.jobs
    if jobs is None:
        console.print(f"[red]error:[/] system {name} has no background jobs")
        raise typer.Exit(2)
    core = CoreSettings()
    if not core.redis_url:
        console.print(
            f"[red]error:[/] OPSUITE_REDIS_URL is not set; {name} then runs its jobs inside `opsuite serve`"
            " (set it, e.g. redis://127.0.0.1:6379/0, to run Celery workers and beat)"
        )
        raise typer.Exit(2)
    from opsuite.core.jobs import make_celery

    def setup_factory() -> JobSetup:
        # Called once per worker or beat process, never in the API process.
        setup: JobSetup = jobs(target.settings())
        return setup

    return make_celery(name, core.redis_url, setup_factory), core


@app.command()
def worker(
    system: Annotated[str, typer.Argument(help="System whose jobs to run")],
    concurrency: Annotated[int, typer.Option(help="Jobs run at once")] = 4,
    pool: Annotated[Pool, typer.Option(help="threads (default), solo or prefork")] = Pool.threads,
    loglevel: Annotated[str, typer.Option(help="Log level")] = "INFO",
) -> None:
    """Run a Celery worker for a system's jobs (needs OPSUITE_REDIS_URL)."""
    celery_app, core = _celery_app(system)
    configure_logging(core.log_format, loglevel)
    celery_app.worker_main(
        [
            "worker",
            f"--loglevel={loglevel}",
            f"--concurrency={concurrency}",
            f"--pool={pool.value}",
            f"--queues={system}",
            f"--hostname={system}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def beat(
    system: Annotated[str, typer.Argument(help="System whose periodic tasks to schedule")],
    loglevel: Annotated[str, typer.Option(help="Log level")] = "INFO",
) -> None:
    """Run Celery beat for a system's periodic tasks (one per system; needs OPSUITE_REDIS_URL)."""
    celery_app, core = _celery_app(system)
    configure_logging(core.log_format, loglevel)
    celery_app.start(["beat", f"--loglevel={loglevel}"])


if __name__ == "__main__":
    app()

"""Engines and sessions: SQLite with WAL and foreign keys by default, PostgreSQL when configured."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from opsuite.core.capacity import CapacitySettings, Gate

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 30_000
_WRITE_OPTION = "opsuite_write"


def new_metadata() -> MetaData:
    """A MetaData with the suite's constraint naming convention (one per system)."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(url: str | URL) -> bool:
    """True when the URL points at SQLite."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, create_directory: bool = True, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and explicit BEGINs."""
    kwargs["hide_parameters"] = True  # errors and echo never show bound values (secrets, personal data)
    if not is_sqlite(url):
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    database = make_url(url).database
    if create_directory and database and database != ":memory:":
        # A directory that cannot be made is reported by the first connection, as a database that is down.
        with suppress(OSError):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level so that we, not pysqlite, decide how a transaction begins.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(conn: Connection) -> None:
    # A deferred transaction that reads and then writes cannot wait for the write lock (SQLITE_BUSY at
    # once); writers therefore take the lock up front, and readers stay concurrent under WAL.
    if conn.get_execution_options().get(_WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class Database:
    """One system's engine with a reader and a writer session factory, and the gate to its pool."""

    def __init__(self, url: str, *, capacity: CapacitySettings | None = None, **engine_kwargs: Any) -> None:
        self.url = url
        self.is_sqlite = is_sqlite(url)
        capacity = capacity or CapacitySettings()
        if "poolclass" not in engine_kwargs and make_url(url).database not in (None, "", ":memory:"):
            engine_kwargs.setdefault("pool_size", capacity.pool_size)
            engine_kwargs.setdefault("max_overflow", capacity.max_overflow)
            # The pool's own wait is a backstop for callers outside the gate (jobs, the scheduler, the CLI).
            engine_kwargs.setdefault("pool_timeout", capacity.wait_seconds)
        self.engine = make_engine(url, **engine_kwargs)
        self.write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        self.read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self.gate = Gate(capacity.slots, capacity.wait_seconds, capacity.retry_after_seconds)
        self._loop_engine: Engine | None = None
        self._loop_sessions: sessionmaker[Session] | None = None

    @property
    def loop_read_sessions(self) -> sessionmaker[Session]:
        """Sessions for a bounded SQLite read on the event loop, over a connection of their own.

        The loop runs such a read from start to end without yielding, so one connection suffices and it is
        always free: the loop never waits for a pool that worker threads have drained.
        """
        if self._loop_sessions is None:
            # The main engine made the directory; a second engine must not bring back one that has gone.
            self._loop_engine = make_engine(
                self.url, create_directory=False, pool_size=1, max_overflow=0, pool_timeout=0.001
            )
            self._loop_sessions = sessionmaker(self._loop_engine, expire_on_commit=False)
        return self._loop_sessions

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        factory = self.write_sessions if write else self.read_sessions
        with factory() as session, session.begin():
            yield session

    @asynccontextmanager
    async def request_session(self, *, write: bool) -> AsyncIterator[Session]:
        """A request's session inside a slot of the gate: committed on success, closed in every case.

        The slot is held from the first query to the commit, so the connection a request holds is one of
        the gate's, and a request waiting for a slot never holds one. The connection is taken lazily, by
        the first query, in whichever worker thread runs the endpoint.
        """
        sessions = self.write_sessions if write else self.read_sessions
        async with self.gate.slot() as threads:
            session = sessions()
            try:
                session.begin()
                yield session
                await anyio.to_thread.run_sync(session.commit, limiter=threads)
            finally:
                with anyio.CancelScope(shield=True):  # a client gone mid-request must not leak the connection
                    await anyio.to_thread.run_sync(session.close, limiter=threads)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        if self._loop_engine is not None:
            self._loop_engine.dispose()


def in_one_session(url: str, work: Callable[[Session], T]) -> T:
    """Run `work` in one write session on a database opened for it and closed after (CLI commands)."""
    database = Database(url)
    try:
        with database.session() as session:
            return work(session)
    finally:
        database.dispose()


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive-UTC on SQLite so that text comparison orders correctly."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC datetime is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

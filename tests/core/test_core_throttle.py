"""The login throttle: atomic reservations, three keys, bounded storage, on the database and on Redis."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase
from tests.clock import FakeClock
from tests.conftest import POSTGRES_ENV, REDIS_ENV, service_url

from opsuite.core.db import Database, new_metadata
from opsuite.core.security import hash_password
from opsuite.core.throttle import (
    DatabaseThrottleStore,
    LoginLimits,
    LoginThrottle,
    LoginThrottled,
    LoginThrottleMixin,
    RedisThrottleStore,
    verify_login,
)

LIMITS = LoginLimits(per_login_address=5, per_login=12, per_address=20, window_seconds=300)


class ThrottleTestBase(DeclarativeBase):
    metadata = new_metadata()


class Throttle(LoginThrottleMixin, ThrottleTestBase):
    pass


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this module's own, dropped after it."""
    server = make_url(service_url(POSTGRES_ENV))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = f"opsuite_throttle_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """An empty `login_throttle` table on SQLite, or on PostgreSQL when its URL is set."""
    url = f"sqlite:///{tmp_path / 'throttle.sqlite3'}"
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    database = Database(url)
    ThrottleTestBase.metadata.drop_all(database.engine)
    ThrottleTestBase.metadata.create_all(database.engine)
    database.dispose()
    return url


@pytest.fixture
def make_database(database_url: str) -> Iterator[Callable[[], Database]]:
    """Open another Database on the test's database, as another process would."""
    opened: list[Database] = []

    def make() -> Database:
        opened.append(Database(database_url))
        return opened[-1]

    yield make
    for database in opened:
        database.dispose()


@pytest.fixture
def database(make_database: Callable[[], Database]) -> Database:
    """The test's database."""
    return make_database()


def _db_throttle(database: Database, clock: FakeClock, limits: LoginLimits = LIMITS) -> LoginThrottle:
    return LoginThrottle(DatabaseThrottleStore(database, Throttle, clock=clock), limits)


def _rows(database: Database) -> int:
    with database.session(write=False) as session:
        return int(session.scalar(select(func.count()).select_from(Throttle)) or 0)


def _granted(throttle: LoginThrottle, login: str, address: str) -> bool:
    try:
        throttle.reserve(login, address)
    except LoginThrottled:
        return False
    return True


def test_the_login_at_one_address_is_refused_past_its_limit_until_the_window_ends(database: Database) -> None:
    clock = FakeClock()
    throttle = _db_throttle(database, clock)
    assert [_granted(throttle, "Admin", "10.0.0.1") for _ in range(6)] == [True] * 5 + [False]
    clock.advance(seconds=120)
    with pytest.raises(LoginThrottled) as refused:
        throttle.reserve(" admin ", "10.0.0.1")  # the same login, however it is spelt
    assert refused.value.retry_after == 180
    # Another address may still try that login; the refused attempts were not counted.
    assert _granted(throttle, "admin", "10.0.0.2")
    clock.advance(seconds=180)
    assert _granted(throttle, "admin", "10.0.0.1")


def test_one_login_from_many_addresses_and_many_logins_from_one_address_are_bounded(
    database: Database,
) -> None:
    throttle = _db_throttle(database, FakeClock())
    spread = [_granted(throttle, "admin", f"10.0.1.{n}") for n in range(15)]
    assert spread == [True] * 12 + [False] * 3
    sprayed = [_granted(throttle, f"user{n}", "10.0.2.1") for n in range(25)]
    assert sprayed == [True] * 20 + [False] * 5


def test_success_resets_its_pair_and_gives_the_attempt_back(database: Database) -> None:
    throttle = _db_throttle(database, FakeClock())
    for _ in range(4):
        throttle.reserve("admin", "10.0.0.1")
    throttle.succeeded(throttle.reserve("admin", "10.0.0.1"))
    assert [_granted(throttle, "admin", "10.0.0.1") for _ in range(6)] == [True] * 5 + [False]
    # 4 failures + 5 failures count against the login; the success does not: 3 more from elsewhere.
    assert [_granted(throttle, "admin", f"10.0.3.{n}") for n in range(4)] == [True] * 3 + [False]


def test_concurrent_reservations_from_two_processes_never_pass_the_limit(
    make_database: Callable[[], Database],
) -> None:
    clock = FakeClock()
    throttles = [_db_throttle(make_database(), clock), _db_throttle(make_database(), clock)]
    start = threading.Barrier(40)

    def attempt(n: int) -> bool:
        start.wait(timeout=30)
        return _granted(throttles[n % 2], "admin", "10.0.0.1")

    with ThreadPoolExecutor(40) as pool:
        granted = list(pool.map(attempt, range(40)))
    assert granted.count(True) == 5


def test_thousands_of_long_logins_leave_bounded_rows_and_expired_rows_are_purged(database: Database) -> None:
    # 3,000 here (each refusal is a transaction on a shared 2-core machine); Redis below takes 10,000.
    clock = FakeClock()
    throttle = _db_throttle(database, clock)
    granted = sum(_granted(throttle, f"{n:05d}" + "x" * 2000, "10.0.0.1") for n in range(3_000))
    assert granted == LIMITS.per_address
    # A pair and a login row per granted attempt, and the address's row: nothing for refused ones.
    assert _rows(database) == 2 * LIMITS.per_address + 1
    with database.session(write=False) as session:
        assert {len(key) for key in session.scalars(select(Throttle.key))} == {64}
    clock.advance(seconds=LIMITS.window_seconds)
    throttle.reserve("someone", "10.0.0.9")
    assert _rows(database) == 3


def test_an_unknown_login_costs_the_same_hash_as_a_known_one(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import opsuite.core.throttle as throttle_module

    checked: list[str] = []
    real = throttle_module.verify_password

    def counting(password: str, stored: str) -> tuple[bool, str | None]:
        checked.append(stored.split("$")[1])
        return real(password, stored)

    monkeypatch.setattr(throttle_module, "verify_password", counting)
    throttle = _db_throttle(database, FakeClock())
    stored = hash_password("right-pass")
    known = verify_login(throttle, login="a", address="x", password="wrong", find=lambda: ("user", stored))
    unknown = verify_login(throttle, login="b", address="x", password="wrong", find=lambda: None)
    assert (known, unknown) == (None, None)
    assert checked == ["argon2id", "argon2id"]
    assert verify_login(
        throttle, login="a", address="x", password="right-pass", find=lambda: ("user", stored)
    ) == (
        "user",
        None,
    )


# Redis ----------------------------------------------------------------------------------------------


@pytest.fixture
def redis_stores() -> Iterator[list[RedisThrottleStore]]:
    """Two stores on one Redis, as two app instances have, under a system name of their own."""
    url = service_url(REDIS_ENV)
    system = f"test-{uuid.uuid4().hex[:8]}"
    stores = [RedisThrottleStore(url, system), RedisThrottleStore(url, system)]
    yield stores
    client: Any = stores[0].client
    for key in client.scan_iter(match=f"opsuite:throttle:{system}:*"):
        client.delete(key)
    for store in stores:
        store.close()


@pytest.mark.redis
def test_redis_reservations_from_two_instances_never_pass_the_limit(
    redis_stores: list[RedisThrottleStore],
) -> None:
    throttles = [LoginThrottle(store, LIMITS) for store in redis_stores]
    start = threading.Barrier(40)

    def attempt(n: int) -> bool:
        start.wait(timeout=30)
        return _granted(throttles[n % 2], "admin", "10.0.0.1")

    with ThreadPoolExecutor(40) as pool:
        granted = list(pool.map(attempt, range(40)))
    assert granted.count(True) == 5
    with pytest.raises(LoginThrottled) as refused:
        throttles[0].reserve("admin", "10.0.0.1")
    assert 200 <= refused.value.retry_after <= 300
    assert _granted(throttles[1], "admin", "10.0.0.2")


@pytest.mark.redis
def test_redis_success_resets_and_keys_stay_bounded(redis_stores: list[RedisThrottleStore]) -> None:
    throttle = LoginThrottle(redis_stores[0], LIMITS)
    for _ in range(4):
        throttle.reserve("admin", "10.0.0.1")
    throttle.succeeded(throttle.reserve("admin", "10.0.0.1"))
    assert [_granted(throttle, "admin", "10.0.0.1") for _ in range(6)] == [True] * 5 + [False]
    granted = sum(_granted(throttle, f"{n:05d}" + "x" * 2000, "10.0.0.5") for n in range(10_000))
    assert granted == LIMITS.per_address
    client: Any = redis_stores[0].client
    keys = list(client.scan_iter(match=f"{redis_stores[0].prefix}*"))
    # admin's pair, login and address keys, then a pair and a login key per granted long login, one address.
    assert len(keys) == 3 + 2 * LIMITS.per_address + 1
    assert all(0 < client.pttl(key) <= 300_000 for key in keys)

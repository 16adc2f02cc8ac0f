"""One throttle for every login: reserve an attempt before the slow hash, on Redis or in the database.

Counters are fixed windows that start with their first attempt. Three keys guard a login:
- the login at one client address (`login_attempts`, 5): stops one guesser at one login;
- the login from any address (`login_attempts_per_login`, 50): bounds a distributed guess at one login,
  while one address alone can spend only its own 5 of them, so it cannot lock the owner out elsewhere;
- the client address over every login (`login_attempts_per_address`, 50): bounds spraying many logins,
  and with it how many counters one address can create.
An attempt is counted before the password is checked, so concurrent guesses cannot pass the limit; a
successful login clears its login-at-address counter and gives its attempt back to the other two.
Keys are SHA-256 of the scope and value (fixed size whatever the login's length); expired rows are purged.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol, TypeVar, cast

from pydantic_settings import BaseSettings
from sqlalchemy import Float, Integer, Select, String, Table, case, delete, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column
from starlette.requests import HTTPConnection

from opsuite.core.clock import SYSTEM_CLOCK, Clock
from opsuite.core.db import Database
from opsuite.core.security import hash_password, verify_password

User = TypeVar("User")

# Bounded waits: a Redis that does not answer fails the login instead of hanging it.
REDIS_TIMEOUT_SECONDS = 2.0


class LoginThrottled(Exception):
    """Too many attempts for one of the attempt's keys; `retry_after` is in whole seconds (>= 1)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class LoginThrottleSettings(BaseSettings):
    """The login limits every system with a login reads under its own prefix (`OPSUITE_<SYSTEM>_…`)."""

    login_attempts: int = 5
    """Attempts at one login from one client address per window."""
    login_window_seconds: int = 300
    login_attempts_per_login: int = 50
    """Attempts at one login from all addresses together per window."""
    login_attempts_per_address: int = 50
    """Attempts from one client address over all logins per window."""

    def login_limits(self) -> LoginLimits:
        """These settings as limits."""
        return LoginLimits(
            per_login_address=self.login_attempts,
            per_login=self.login_attempts_per_login,
            per_address=self.login_attempts_per_address,
            window_seconds=self.login_window_seconds,
        )


@dataclass(frozen=True)
class LoginLimits:
    """How many attempts each key allows in one window."""

    per_login_address: int = 5
    per_login: int = 50
    per_address: int = 50
    window_seconds: float = 300


class ThrottleStore(Protocol):
    """Counters with an expiry, changed atomically."""

    def reserve(self, limits: Mapping[str, int], window_seconds: float) -> int:
        """Count one attempt on every key, or on none when one is at its limit; 0 or the seconds to wait."""

    def release(self, reset: Sequence[str], refund: Sequence[str]) -> None:
        """Delete the `reset` counters and give one attempt back to each `refund` counter."""


def throttle_key(scope: str, value: str) -> str:
    """A fixed-size key for `value` in `scope` (64 hex characters, whatever the value's length)."""
    # surrogatepass: a lone surrogate in a login must not break the throttle (it is refused elsewhere).
    return hashlib.sha256(f"{scope}\0{value}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Attempt:
    """The keys of one reserved login attempt."""

    pair: str
    login: str
    address: str


class LoginThrottle:
    """Reserves login attempts against the three keys and settles them after the password check."""

    def __init__(self, store: ThrottleStore, limits: LoginLimits) -> None:
        self.store = store
        self.limits = limits

    def reserve(self, login: str, address: str) -> Attempt:
        """Count an attempt at `login` from `address` before checking it; raises LoginThrottled."""
        name = login.strip().casefold()
        attempt = Attempt(
            pair=throttle_key("login@address", f"{name}\0{address}"),
            login=throttle_key("login", name),
            address=throttle_key("address", address),
        )
        limits = {
            attempt.pair: self.limits.per_login_address,
            attempt.login: self.limits.per_login,
            attempt.address: self.limits.per_address,
        }
        self._take(limits)
        return attempt

    def reserve_action(self, action: str, address: str, limit: int) -> None:
        """Count one `action` (e.g. a registration) from `address`; raises LoginThrottled past `limit`."""
        self._take({throttle_key(action, address): limit})

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: forget this login's failures here and give the attempt back."""
        self.store.release(reset=[attempt.pair], refund=[attempt.login, attempt.address])

    def _take(self, limits: Mapping[str, int]) -> None:
        wait = self.store.reserve(limits, self.limits.window_seconds)
        if wait:
            raise LoginThrottled(wait)


def verify_login(
    throttle: LoginThrottle,
    *,
    login: str,
    address: str,
    password: str,
    find: Callable[[], tuple[User, str] | None],
) -> tuple[User, str | None] | None:
    """Reserve, find the user and its hash, verify: (user, upgraded hash or None), or None when wrong.

    An unknown login is verified against a dummy hash, so it costs the same hash as a known one. `find`
    should read in a short read-only session: nothing here may hold a write lock while it hashes.
    """
    attempt = throttle.reserve(login, address)
    found = find()
    valid, new_hash = verify_password(password, found[1] if found is not None else dummy_hash())
    if found is None or not valid:
        return None
    throttle.succeeded(attempt)
    return found[0], new_hash


@dataclass(frozen=True)
class Credentials:
    """What a login form carries, and where it came from."""

    login: str
    password: str
    address: str


def log_in(
    database: Database,
    throttle: LoginThrottle,
    credentials: Credentials,
    lookup: Select[User],
    password_hash: InstrumentedAttribute[str],
) -> User | None:
    """The user `lookup` finds if the password matches, else None; raises LoginThrottled past the limits.

    The user is read in a read-only transaction and the hash verified outside any transaction, so concurrent
    logins never hold a write lock while they hash; an upgraded hash is stored in its own short write.
    """

    def find() -> tuple[User, str] | None:
        with database.session(write=False) as session:
            user = session.scalar(lookup)
        return None if user is None else (user, getattr(user, password_hash.key))

    found = verify_login(
        throttle,
        login=credentials.login,
        address=credentials.address,
        password=credentials.password,
        find=find,
    )
    if found is None:
        return None
    user, new_hash = found
    if new_hash is not None:
        model: Any = type(user)
        with database.session() as session:
            session.execute(
                update(model).where(model.id == cast(Any, user).id).values({password_hash.key: new_hash})
            )
        setattr(user, password_hash.key, new_hash)
    return user


@cache
def dummy_hash() -> str:
    """An Argon2 hash of a random-looking constant, verified when the login is unknown."""
    return hash_password("opsuite-timing-equaliser-" + hashlib.sha256(b"no such user").hexdigest())


def client_address(connection: HTTPConnection) -> str:
    """The client's address as the server sees it (behind a proxy: uvicorn's --forwarded-allow-ips)."""
    return connection.client.host if connection.client is not None else "unknown"


# --- database store ------------------------------------------------------------------------------


class LoginThrottleMixin:
    """Columns of the `login_throttle` table: one counter per hashed key, with its window's end."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    """Unix seconds at which the window ends."""


class DatabaseThrottleStore:
    """Counters in the system's `login_throttle` table, changed in one short write transaction."""

    def __init__(
        self, database: Database, model: type[LoginThrottleMixin], clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.database = database
        self.table = cast(Table, cast(Any, model).__table__)
        self.clock = clock

    def reserve(self, limits: Mapping[str, int], window_seconds: float) -> int:
        """Count one attempt on every key, or on none when one is at its limit; 0 or the seconds to wait."""
        now = self.clock.now().timestamp()
        try:
            with self.database.session() as session:
                refused_until = 0.0
                # Sorted keys: two reservations lock rows in the same order, so they cannot deadlock.
                for key in sorted(limits):
                    count, expires_at = self._count(session, key, now, window_seconds)
                    if count > limits[key]:
                        refused_until = max(refused_until, expires_at)
                if refused_until:
                    raise _Refused(refused_until)  # the rollback undoes every increment of this attempt
                session.execute(delete(self.table).where(self.table.c.expires_at <= now))
        except _Refused as refused:
            return max(1, math.ceil(refused.until - now))
        return 0

    def release(self, reset: Sequence[str], refund: Sequence[str]) -> None:
        """Delete the `reset` counters and give one attempt back to each `refund` counter."""
        table = self.table
        with self.database.session() as session:
            session.execute(delete(table).where(table.c.key.in_(list(reset))))
            session.execute(
                update(table)
                .where(table.c.key.in_(sorted(refund)), table.c.count > 0)
                .values(count=table.c.count - 1)
            )

    def _count(self, session: Session, key: str, now: float, window: float) -> tuple[int, float]:
        table = self.table
        insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        expired = table.c.expires_at <= now
        statement = (
            insert(table)
            .values(key=key, count=1, expires_at=now + window)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "count": case((expired, 1), else_=table.c.count + 1),
                    "expires_at": case((expired, now + window), else_=table.c.expires_at),
                },
            )
            .returning(table.c.count, table.c.expires_at)
        )
        count, expires_at = session.execute(statement).one()  # a Row's `.count` is tuple.count
        return int(count), float(expires_at)


# --- Redis store ---------------------------------------------------------------------------------

# KEYS: the counters; ARGV[1]: window in ms; ARGV[i + 1]: the limit of KEYS[i]. Returns 0 or the wait in ms.
_RESERVE = """
local wait = -1
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    wait = math.max(wait, redis.call('PTTL', key), 1)
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0
"""

# KEYS[1..ARGV[1]]: counters to delete; the rest: counters to decrement when positive.
_RELEASE = """
local resets = tonumber(ARGV[1])
for i, key in ipairs(KEYS) do
  if i <= resets then
    redis.call('DEL', key)
  elseif tonumber(redis.call('GET', key) or '0') > 0 then
    redis.call('DECR', key)
  end
end
return 0
"""


class RedisThrottleStore:
    """Counters in Redis under `opsuite:throttle:<system>:`, changed by one Lua script each (atomic)."""

    def __init__(self, url: str, system: str) -> None:
        import redis  # only when Redis is configured

        self.prefix = f"opsuite:throttle:{system}:"
        self.client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self._reserve = self.client.register_script(_RESERVE)
        self._release = self.client.register_script(_RELEASE)

    def reserve(self, limits: Mapping[str, int], window_seconds: float) -> int:
        """Count one attempt on every key, or on none when one is at its limit; 0 or the seconds to wait."""
        keys = sorted(limits)
        args = [max(1, int(window_seconds * 1000)), *(limits[key] for key in keys)]
        wait_ms = int(cast(Any, self._reserve(keys=[self.prefix + key for key in keys], args=args)))
        return max(1, math.ceil(wait_ms / 1000)) if wait_ms else 0

    def release(self, reset: Sequence[str], refund: Sequence[str]) -> None:
        """Delete the `reset` counters and give one attempt back to each `refund` counter."""
        keys = [self.prefix + key for key in (*reset, *refund)]
        self._release(keys=keys, args=[len(reset)])

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()


def build_login_throttle(
    *,
    system: str,
    limits: LoginLimits,
    redis_url: str | None,
    database: Database,
    model: type[LoginThrottleMixin],
) -> LoginThrottle:
    """Redis when `redis_url` is set (shared by every worker and host), the system's database otherwise."""
    store: ThrottleStore = (
        RedisThrottleStore(redis_url, system) if redis_url else DatabaseThrottleStore(database, model)
    )
    return LoginThrottle(store, limits)


class _Refused(Exception):
    def __init__(self, until: float) -> None:
        super().__init__(until)
        self.until = until

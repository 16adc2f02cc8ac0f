"""Login, tokens and the caller's identity: JWT with a password fingerprint and audience, throttled logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.core.security import TokenCache, encode_token, fingerprint
from opsuite.core.throttle import Credentials, LoginThrottle, LoginThrottled, log_in
from opsuite.waybills import messages
from opsuite.waybills.errors import AuthFailed, BadRequest, Throttled
from opsuite.waybills.roles.flags import FLAGS
from opsuite.waybills.roles.models import Permission, Role
from opsuite.waybills.users.models import User

WEB, MOBILE = "web", "mobile"
AUDIENCE = "waybills"


@dataclass(frozen=True)
class Actor:
    """The authenticated caller: the user's row, the token's client, and the flags of a live role."""

    user: Any  # a row with the user table's columns
    client: str
    permission_id: int | None
    flags: frozenset[str]

    def allows(self, flag: str) -> bool:
        """True when the caller's live role grants `flag`."""
        return flag in self.flags


def issue_token(user: User, client: str, key: str, lifetime: timedelta) -> str:
    """A signed access token carrying the password fingerprint."""
    claims = {
        "sub": str(user.id),
        "login": user.login,
        "role": user.role_id,
        "client": client,
        "pwd_fp": fingerprint(user.password),
    }
    return encode_token(claims, key, lifetime, audience=AUDIENCE)


def login(
    database: Database,
    *,
    login: str | None,
    password: str | None,
    client: str,
    address: str,
    key: str,
    lifetime: timedelta,
    throttle: LoginThrottle,
) -> tuple[str, User]:
    """Check credentials and return a token and the user; every attempt is reserved before the hash.

    The user is read in a read-only transaction and the hash checked outside any transaction, so
    concurrent logins never hold SQLite's write lock while they hash.
    """
    if not login or not password:
        raise BadRequest(messages.LOGIN_REQUIRED_FIELDS)

    live = select(User).where(User.login == login, User.deleted_at.is_(None))
    try:
        user = log_in(database, throttle, Credentials(login, password, address), live, User.password)
    except LoginThrottled as throttled:
        raise Throttled(throttled.retry_after) from None
    if user is None:
        raise AuthFailed(messages.LOGIN_FAILED)
    return issue_token(user, client, key, lifetime), user


def authenticate(session: Session, authorization: str | None, tokens: TokenCache) -> Actor:
    """Resolve `Authorization: Bearer <token>` to an Actor, or raise AuthFailed with the reason."""
    return resolve_actor(session, read_token(authorization, tokens))


def read_token(authorization: str | None, tokens: TokenCache) -> dict[str, Any]:
    """The verified claims of `Authorization: Bearer <token>` (no database needed)."""
    parts = (authorization or "").split()
    if not parts:
        raise AuthFailed(messages.NO_CREDENTIALS)
    if parts[0] != "Bearer":  # as simplejwt: the scheme is case-sensitive
        raise AuthFailed(messages.WRONG_SCHEME.format(scheme=parts[0][:32]))
    if len(parts) != 2:
        raise AuthFailed(messages.BAD_AUTH_HEADER)
    return _decode(parts[1], tokens)


def resolve_actor(session: Session, payload: dict[str, Any]) -> Actor:
    """The live user of verified claims, whose password has not changed since the token was issued."""
    sub = payload.get("sub")
    if sub is None or sub == "":
        raise AuthFailed(messages.TOKEN_NO_SUB)
    try:
        user_id = int(sub)
    except (TypeError, ValueError):
        raise AuthFailed(messages.TOKEN_INVALID) from None
    # Core on the session's connection: a third of the cost of loading two ORM entities, on every request.
    row = session.connection().execute(_ACTOR_QUERY, {"user_id": user_id}).first()
    if row is None:
        raise AuthFailed(messages.TOKEN_USER_NOT_FOUND)
    token_fp = payload.get("pwd_fp")
    if not token_fp:
        raise AuthFailed(messages.TOKEN_NO_FINGERPRINT)
    if token_fp != fingerprint(row.password):
        raise AuthFailed(messages.PASSWORD_CHANGED)
    client = MOBILE if payload.get("client") == MOBILE else WEB
    granted = frozenset(flag for flag in FLAGS if row._mapping[f"p_{flag}"])
    return Actor(user=row, client=client, permission_id=row.p_id, flags=granted)


_USER = User.__table__.c
_PERMISSION = Permission.__table__.c
_ACTOR_QUERY = (
    select(*_USER, *(column.label(f"p_{column.key}") for column in _PERMISSION))
    .outerjoin(Role.__table__, and_(Role.id == _USER.role_id, Role.deleted_at.is_(None)))
    .outerjoin(Permission.__table__, and_(_PERMISSION.role_id == Role.id, _PERMISSION.deleted_at.is_(None)))
    .where(_USER.id == bindparam("user_id"), _USER.deleted_at.is_(None))
)


def _decode(token: str, tokens: TokenCache) -> dict[str, Any]:
    try:
        return tokens.decode(token)
    except jwt.ExpiredSignatureError:
        raise AuthFailed(messages.TOKEN_EXPIRED) from None
    except jwt.InvalidTokenError:
        raise AuthFailed(messages.TOKEN_INVALID) from None

"""Registration, login and the caller behind a bearer token (bound to the system and the password)."""

from __future__ import annotations

from datetime import timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.core.security import decode_token, encode_token, fingerprint, hash_password
from opsuite.core.text import text_error
from opsuite.core.throttle import Credentials, LoginThrottle, LoginThrottled, log_in
from opsuite.scales import messages
from opsuite.scales.errors import Conflict, FieldInvalid, Forbidden, TooManyAttempts, Unauthorized
from opsuite.scales.users.models import User
from opsuite.scales.users.schemas import RegisterRequest

AUDIENCE = "scales"


def register(session: Session, *, email: str, password: str) -> User:
    """Create a user; 409 when the e-mail is taken."""
    # Hashed before the first query: the session's write transaction starts with that query.
    password_hash = hash_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(messages.EMAIL_TAKEN)
    user = User(email=email, password_hash=password_hash)
    session.add(user)
    session.flush()
    return user


def sign_up(
    session: Session,
    *,
    new: RegisterRequest,
    allowed: bool,
    throttle: LoginThrottle,
    address: str,
    limit: int,
) -> User:
    """Register through the open sign-up: 403 when it is closed, 429 past `limit` per address and window."""
    if not allowed:
        raise Forbidden(messages.REGISTRATION_CLOSED)
    try:
        throttle.reserve_action("register", address, limit)
    except LoginThrottled as throttled:
        raise TooManyAttempts(throttled.retry_after) from None
    return register(session, email=new.email, password=new.password)


def set_password(session: Session, *, email: str, password: str) -> tuple[User, bool]:
    """Create the user or reset its password; the flag says whether it was created."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return register(session, email=email, password=password), True
    user.password_hash = hash_password(password)
    return user, False


def login(
    database: Database,
    *,
    email: str,
    password: str,
    address: str,
    throttle: LoginThrottle,
    key: str,
    minutes: int,
) -> str:
    """A bearer token for valid credentials; 401 otherwise, 429 past the throttle's limits.

    The user is read in a read-only transaction and the hash checked outside any transaction.
    """
    for field, value in (("username", email), ("password", password)):
        error = text_error(value)
        if error is not None:
            raise FieldInvalid(("body", field), messages.rule_of({"type": error.type}), value)

    try:
        lookup = select(User).where(User.email == email)
        user = log_in(database, throttle, Credentials(email, password, address), lookup, User.password_hash)
    except LoginThrottled as throttled:
        raise TooManyAttempts(throttled.retry_after) from None
    if user is None:
        raise Unauthorized(messages.LOGIN_FAILED)
    claims = {"sub": str(user.id), "pwd_fp": fingerprint(user.password_hash)}
    return encode_token(claims, key, timedelta(minutes=minutes), audience=AUDIENCE)


def authenticate(session: Session, authorization: str | None, key: str) -> User:
    """The user an `Authorization: Bearer <token>` header names, if its password is unchanged since.

    401 saying what is wrong otherwise: no header, another scheme, an expired or bad token, a user gone, a
    password changed.
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    if not scheme:
        raise Unauthorized(messages.NOT_AUTHENTICATED, challenge=True)
    if scheme.lower() != "bearer":
        raise Unauthorized(messages.WRONG_SCHEME.format(scheme=scheme[:32]), challenge=True)
    token = token.strip()
    if not token:
        raise Unauthorized(messages.NOT_AUTHENTICATED, challenge=True)
    try:
        claims = decode_token(token, key, audience=AUDIENCE)
        subject = claims.get("sub")
        user_id = int(subject) if isinstance(subject, str) else None
    except jwt.ExpiredSignatureError:
        raise Unauthorized(messages.TOKEN_EXPIRED, challenge=True) from None
    except (jwt.InvalidTokenError, ValueError):
        user_id = None
    if user_id is None:
        raise Unauthorized(messages.TOKEN_INVALID, challenge=True)
    user = session.get(User, user_id)
    if user is None:
        raise Unauthorized(messages.USER_NOT_FOUND, challenge=True)
    if claims.get("pwd_fp") != fingerprint(user.password_hash):
        raise Unauthorized(messages.PASSWORD_CHANGED, challenge=True)
    return user

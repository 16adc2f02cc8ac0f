"""Registration, login and the caller behind a bearer token."""

from __future__ import annotations

from datetime import timedelta

import jwt
from sqlalchemy import select
from sqlalchemy.orm import Session

from opsuite.core.security import decode_token, encode_token, hash_password, verify_password
from opsuite.scales.errors import Conflict, Unauthorized
from opsuite.scales.users.models import User

# Verifying against a real hash when the e-mail is unknown keeps both failures equally slow.
_DUMMY_HASH = hash_password("timing-equaliser")


def register(session: Session, *, email: str, password: str) -> User:
    """Create a user; 409 when the e-mail is taken."""
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("Email already registered")
    user = User(email=email, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, *, email: str, password: str) -> tuple[User, bool]:
    """Create the user or reset its password; the flag says whether it was created."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return register(session, email=email, password=password), True
    user.password_hash = hash_password(password)
    return user, False


def login(session: Session, *, email: str, password: str, key: str, minutes: int) -> str:
    """A bearer token for valid credentials; 401 otherwise."""
    user = session.scalar(select(User).where(User.email == email))
    valid, new_hash = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    if user is None or not valid:
        raise Unauthorized("Incorrect username or password")
    if new_hash:
        user.password_hash = new_hash
    return encode_token({"sub": str(user.id)}, key, timedelta(minutes=minutes))


def authenticate(session: Session, token: str | None, key: str) -> User:
    """The user a bearer token names; 401 in FastAPI's words otherwise."""
    if not token:
        raise Unauthorized("Not authenticated", challenge=True)
    try:
        subject = decode_token(token, key).get("sub")
        user_id = int(subject) if isinstance(subject, str) else None
    except (jwt.InvalidTokenError, ValueError):
        user_id = None
    if user_id is None:
        raise Unauthorized("Invalid token", challenge=True)
    user = session.get(User, user_id)
    if user is None:
        raise Unauthorized("User not found", challenge=True)
    return user

"""Users: creation by a superuser, login by phone, password change, the caller behind a token.

A token carries a fingerprint of the password hash it was issued under, so changing the password ends every
older token.
"""

from __future__ import annotations

from datetime import timedelta

import jwt
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.core.security import TokenCache, encode_token, fingerprint, hash_password, verify_password
from opsuite.core.text import check_text
from opsuite.core.throttle import Credentials, LoginThrottle, LoginThrottled, log_in
from opsuite.weighbridge.errors import BadRequest, Conflict, Invalid, TooManyAttempts, Unauthorized
from opsuite.weighbridge.runtime import AUDIENCE
from opsuite.weighbridge.users.models import User
from opsuite.weighbridge.users.schemas import UserCreate, normalise_phone

WRONG_CREDENTIALS = "Неверный номер телефона или пароль"


def phone_taken(phone: str) -> Conflict:
    """The 409 of a phone number that already has a user."""
    return Conflict(f"Пользователь с номером {phone} уже существует")


def create_user(session: Session, *, new: UserCreate) -> User:
    """Create an active user; 409 when the phone number is taken (checked, then enforced by the database)."""
    password_hash = hash_password(new.password)  # before the first query: it opens the write transaction
    if session.scalar(select(User.id).where(User.phone_number == new.phone_number)) is not None:
        raise phone_taken(new.phone_number)
    user = User(phone_number=new.phone_number, password_hash=password_hash, is_superuser=new.is_superuser)
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # a concurrent creation of the same phone won the race
        raise phone_taken(new.phone_number) from None
    return user


def set_superuser(session: Session, *, phone: str, password: str) -> tuple[User, bool]:
    """Create an active superuser, or reset the password of the user and make it one; True when created."""
    phone = normalise_phone(phone)
    user = session.scalar(select(User).where(User.phone_number == phone))
    if user is None:
        new = UserCreate(phone_number=phone, password=password, is_superuser=True)
        return create_user(session, new=new), True
    user.password_hash = hash_password(password)
    user.is_superuser = True
    user.is_active = True
    return user, False


def login(
    database: Database,
    *,
    phone: str,
    password: str,
    address: str,
    throttle: LoginThrottle,
    key: str,
    minutes: int,
) -> str:
    """A bearer token for an active user's phone and password; 401 otherwise, 429 past the limits."""
    for field, value in (("username", phone), ("password", password)):
        try:
            check_text(value)
        except ValueError as exc:  # PostgreSQL cannot even compare a NUL: refuse before the query
            raise Invalid(
                [{"type": "value_error", "loc": ["body", field], "msg": str(exc), "input": value}]
            ) from None
    phone = normalise_phone(phone)
    try:
        lookup = select(User).where(User.phone_number == phone)
        user = log_in(database, throttle, Credentials(phone, password, address), lookup, User.password_hash)
    except LoginThrottled as throttled:
        raise TooManyAttempts(throttled.retry_after) from None
    if user is None or not user.is_active:
        raise Unauthorized(WRONG_CREDENTIALS)
    return issue_token(user, key=key, minutes=minutes)


def issue_token(user: User, *, key: str, minutes: int) -> str:
    """A token naming the user and its current password."""
    claims = {"sub": str(user.id), "pwd_fp": fingerprint(user.password_hash)}
    return encode_token(claims, key, timedelta(minutes=minutes), audience=AUDIENCE)


def authenticate(session: Session, token: str | None, tokens: TokenCache) -> User:
    """The active user a bearer token names, if its password is unchanged since; 401 otherwise."""
    if not token:
        raise Unauthorized("Требуется авторизация")
    try:
        claims = tokens.decode(token)
        subject = claims.get("sub")
        user_id = int(subject) if isinstance(subject, str) else None
    except (jwt.InvalidTokenError, ValueError):
        user_id = None
    if user_id is None:
        raise Unauthorized("Недействительный токен")
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Пользователь не найден или отключён")
    if claims.get("pwd_fp") != fingerprint(user.password_hash):
        raise Unauthorized("Пароль изменён, войдите снова")
    return user


def change_password(database: Database, *, user_id: int, old_password: str, new_password: str) -> None:
    """Set a new password when the old one is right (400 otherwise); every older token stops working.

    Both hashes are computed outside any transaction; the write succeeds only if the password is still the one
    checked, so two changes at once cannot both pass with the same old password.
    """
    with database.session(write=False) as session:
        current = session.scalar(select(User.password_hash).where(User.id == user_id))
    if current is None:
        raise Unauthorized("Пользователь не найден или отключён")
    valid, _upgraded = verify_password(old_password, current)
    if not valid:
        raise BadRequest("Неверный текущий пароль")
    new_hash = hash_password(new_password)
    with database.session() as session:
        changed = session.execute(
            update(User)
            .where(User.id == user_id, User.password_hash == current)
            .values(password_hash=new_hash)
        )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("Пароль уже изменён, войдите снова")

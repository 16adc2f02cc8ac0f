"""Registration, login by phone, the caller behind a bearer token, and the own profile."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import jwt
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from opsuite.core.db import Database
from opsuite.core.security import decode_token, encode_token, hash_password, verify_password
from opsuite.core.throttle import Credentials, LoginThrottle, LoginThrottled, log_in
from opsuite.powerbank.access import Caller, caller_of
from opsuite.powerbank.auth.schemas import ProfileUpdate, RegisterRequest
from opsuite.powerbank.errors import BadRequest, Forbidden, TooManyAttempts, Unauthorized
from opsuite.powerbank.fields import PASSWORD_LENGTH, normalize_phone
from opsuite.powerbank.orders.models import Order
from opsuite.powerbank.users.models import User
from opsuite.powerbank.vocab import ACTIVE_ORDER, UserStatus

AUDIENCE = "powerbank"
LOGIN_REFUSED = "Неверный номер телефона, пароль или пользователь не подтвержден администратором"
DUPLICATE_USER = "Пользователь с таким телефоном или email уже существует"
REGISTRATION_CLOSED = "Регистрация закрыта"
REGISTERED = "Регистрация успешна. Дождитесь подтверждения администратором."
NOT_AUTHENTICATED = "Требуется авторизация"
BAD_TOKEN = "Недействительный или просроченный токен"
WRONG_CURRENT_PASSWORD = "Неверный текущий пароль"
GENERATED_PASSWORD_LENGTH = 8


def generated_password() -> str:
    """A random password of 8 characters, as the original e-mailed."""
    return secrets.token_urlsafe(GENERATED_PASSWORD_LENGTH)[:GENERATED_PASSWORD_LENGTH]


def taken(session: Session, *, phone: str, email: str, except_id: int | None = None) -> bool:
    """Whether another user has this phone or this e-mail (without regard to case)."""
    query = select(User.id).where(or_(User.phone_e164 == phone, func.lower(User.email) == email.lower()))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.scalar(query.limit(1)) is not None


def add_user(
    session: Session,
    *,
    phone: str,
    email: str,
    fio: str | None,
    password_hash: str,
    status: UserStatus,
    now: datetime,
    powerbank_limit: int | None = None,
) -> User:
    """Insert a user; 400 when the phone or e-mail is taken (a racing insert is refused by the database)."""
    if taken(session, phone=phone, email=email):
        raise BadRequest(DUPLICATE_USER)
    user = User(
        phone_e164=phone,
        email=email,
        fio=fio,
        password_hash=password_hash,
        status=status.value,
        powerbank_limit=powerbank_limit,
        token_version=0,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        raise BadRequest(DUPLICATE_USER) from None
    return user


def register(session: Session, *, new: RegisterRequest, now: datetime) -> User:
    """A `pending` user with the given password (or a generated one); no limit of its own."""
    # Hashed before the first query: the write transaction starts with that query.
    password_hash = hash_password(new.password or generated_password())
    return add_user(
        session,
        phone=new.phone_e164,
        email=new.email,
        fio=new.fio,
        password_hash=password_hash,
        status=UserStatus.PENDING,
        now=now,
    )


def sign_up(
    session: Session,
    *,
    new: RegisterRequest,
    allowed: bool,
    throttle: LoginThrottle,
    address: str,
    limit: int,
    now: datetime,
) -> User:
    """Register through the open sign-up: 403 when it is closed, 400 past `limit` per address and window."""
    if not allowed:
        raise Forbidden(REGISTRATION_CLOSED)
    try:
        throttle.reserve_action("register", address, limit)
    except LoginThrottled as throttled:
        raise TooManyAttempts(throttled.retry_after) from None
    return register(session, new=new, now=now)


def issue_token(user: User, *, key: str, minutes: int) -> str:
    """A bearer token naming the user and the user's token version (JWT times are real wall time)."""
    claims = {"sub": str(user.id), "tv": user.token_version}
    return encode_token(claims, key, timedelta(minutes=minutes), audience=AUDIENCE)


def login(
    database: Database,
    *,
    phone: str,
    password: str,
    address: str,
    throttle: LoginThrottle,
    key: str,
    minutes: int,
    now: datetime,
) -> tuple[str, User, Caller]:
    """Token, user and role for an active user's right password (bcrypt upgraded); one 401 otherwise."""
    try:
        phone = normalize_phone(phone)
    except ValueError:
        raise Unauthorized(LOGIN_REFUSED) from None
    if len(password) > PASSWORD_LENGTH[1]:
        raise Unauthorized(LOGIN_REFUSED)
    try:
        lookup = select(User).where(User.phone_e164 == phone)
        found = log_in(database, throttle, Credentials(phone, password, address), lookup, User.password_hash)
    except LoginThrottled as throttled:
        raise TooManyAttempts(throttled.retry_after) from None
    if found is None or found.status != UserStatus.ACTIVE:
        raise Unauthorized(LOGIN_REFUSED)
    with database.session() as session:
        user = session.get(User, found.id)
        if user is None:
            raise Unauthorized(LOGIN_REFUSED)
        user.last_login_at = now
        session.flush()
        caller = caller_of(session, user)
        token = issue_token(user, key=key, minutes=minutes)
        session.expunge(user)
    return token, user, caller


def authenticate(session: Session, token: str | None, key: str) -> tuple[User, Caller]:
    """The active user a bearer token names, with the token's version current; 401 otherwise."""
    if not token:
        raise Unauthorized(NOT_AUTHENTICATED)
    claims: dict[str, object] = {}
    try:
        claims = decode_token(token, key, audience=AUDIENCE)
        subject = claims.get("sub")
        user_id = int(subject) if isinstance(subject, str) and subject.isdigit() else None
    except (jwt.InvalidTokenError, ValueError):
        user_id = None
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or claims.get("tv") != user.token_version or user.status != UserStatus.ACTIVE:
        raise Unauthorized(BAD_TOKEN)
    return user, caller_of(session, user)


def update_profile(session: Session, *, user: User, change: ProfileUpdate, now: datetime) -> User:
    """Change the own name, e-mail or (with the current one) password; a new password ends older tokens."""
    if change.password is not None:
        valid, _ = verify_password(change.current_password or "", user.password_hash)
        if not valid:
            raise BadRequest(WRONG_CURRENT_PASSWORD)
        user.password_hash = hash_password(change.password)
        user.token_version += 1
    if change.email is not None and change.email.lower() != user.email.lower():
        if taken(session, phone=user.phone_e164, email=change.email, except_id=user.id):
            raise BadRequest(DUPLICATE_USER)
        user.email = change.email
    if change.fio is not None:
        user.fio = change.fio
    user.updated_at = now
    return user


def order_statistics(session: Session, *, user_id: int) -> dict[str, int]:
    """`{active_orders, total_orders}` of a user (soft-deleted orders left out)."""
    mine = select(Order.status).where(Order.user_id == user_id, Order.deleted_at.is_(None)).subquery()
    active = func.count().filter(mine.c.status.in_([status.value for status in ACTIVE_ORDER]))
    row = session.execute(select(active, func.count()).select_from(mine)).one()
    return {"active_orders": row[0], "total_orders": row[1]}

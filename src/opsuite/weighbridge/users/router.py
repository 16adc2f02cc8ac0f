"""Routes of login, the caller's profile, password change and user creation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from opsuite.core.throttle import client_address
from opsuite.weighbridge.deps import CurrentUser, RuntimeDep, SessionDep, SuperUser
from opsuite.weighbridge.errors import error_responses
from opsuite.weighbridge.users import service
from opsuite.weighbridge.users.schemas import PasswordChange, StatusOut, Token, UserCreate, UserOut

router = APIRouter(tags=["users"])


@router.post(
    "/auth/login", response_model=Token, responses=error_responses(401, 429), summary="Вход по телефону"
)
def login(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], runtime: RuntimeDep
) -> Token:
    """Форма OAuth2: `username` — номер телефона (`+998901234567`), `password` — пароль."""
    token = service.login(
        runtime.database,
        phone=form.username,
        password=form.password,
        address=client_address(request),
        throttle=request.app.state.login_throttle,
        key=runtime.settings.signing_key,
        minutes=runtime.settings.access_token_minutes,
    )
    return Token(access_token=token)


@router.get(
    "/users/me", response_model=UserOut, responses=error_responses(401), summary="Текущий пользователь"
)
def me(user: CurrentUser) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@router.post(
    "/users/change-password",
    response_model=StatusOut,
    responses=error_responses(400, 401, 409),
    summary="Смена пароля",
)
def change_password(body: PasswordChange, user: CurrentUser, runtime: RuntimeDep) -> StatusOut:
    """После смены пароля все ранее выданные токены перестают действовать."""
    service.change_password(
        runtime.database, user_id=user.id, old_password=body.old_password, new_password=body.new_password
    )
    return StatusOut(status="success")


@router.post(
    "/users",
    response_model=UserOut,
    responses=error_responses(401, 403, 409),
    summary="Создание пользователя (администратор)",
)
def create_user(body: UserCreate, _admin: SuperUser, session: SessionDep) -> UserOut:
    user = service.create_user(session, new=body)
    return UserOut.model_validate(user, from_attributes=True)

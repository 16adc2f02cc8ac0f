"""Routes of registration and login."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from opsuite.core.throttle import client_address
from opsuite.core.web.deps import SessionDep
from opsuite.scales.deps import RuntimeDep, SettingsDep
from opsuite.scales.errors import error_responses
from opsuite.scales.users import service
from opsuite.scales.users.schemas import RegisterRequest, Token, UserOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    status_code=201,
    response_model=UserOut,
    responses=error_responses(403, 409, 429),
    summary="Зарегистрировать пользователя",
)
def register(body: RegisterRequest, request: Request, session: SessionDep, settings: SettingsDep) -> UserOut:
    user = service.sign_up(
        session,
        new=body,
        allowed=settings.allow_registration,
        throttle=request.app.state.login_throttle,
        address=client_address(request),
        limit=settings.register_attempts_per_address,
    )
    return UserOut(id=user.id, email=user.email)


@router.post(
    "/login",
    response_model=Token,
    responses=error_responses(401, 429),
    summary="Log in with the e-mail as username (OAuth2 form)",
    # The demo user (the login hint of `opsuite serve`), so Swagger's example logs in.
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-www-form-urlencoded": {
                    "example": {"username": "demo@example.com", "password": "demo1234"}
                }
            }
        }
    },
)
def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    runtime: RuntimeDep,
    settings: SettingsDep,
) -> Token:
    # No SessionDep: the service hashes outside any write transaction.
    token = service.login(
        runtime.database,
        email=form.username,
        password=form.password,
        address=client_address(request),
        throttle=request.app.state.login_throttle,
        key=request.app.state.signing_key,
        minutes=settings.access_token_minutes,
    )
    return Token(access_token=token)

"""Routes of registration, login and the own profile (`/api/auth/...`, `/api/user/profile`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from opsuite.core.throttle import client_address
from opsuite.powerbank.auth import service
from opsuite.powerbank.auth.schemas import LoginRequest, ProfileUpdate, RegisterRequest
from opsuite.powerbank.deps import CallerDep, CurrentUserDep, RuntimeDep, SessionDep
from opsuite.powerbank.envelope import mirrored, ok
from opsuite.powerbank.errors import error_responses
from opsuite.powerbank.users.present import user_out

router = APIRouter(tags=["Авторизация"])

LOGGED_IN = "Вход выполнен успешно"
PROFILE_UPDATED = "Профиль обновлен"


@router.post(
    "/api/auth/register", status_code=201, responses=error_responses(400, 403), summary="Регистрация"
)
def register(
    body: RegisterRequest, request: Request, session: SessionDep, runtime: RuntimeDep
) -> dict[str, Any]:
    settings = runtime.settings
    user = service.sign_up(
        session,
        new=body,
        allowed=settings.allow_registration,
        throttle=request.app.state.login_throttle,
        address=client_address(request),
        limit=settings.register_attempts_per_address,
        now=runtime.clock.now(),
    )
    return mirrored({"user_id": user.id, "status": user.status}, service.REGISTERED)


@router.post("/api/auth/login", responses=error_responses(400, 401), summary="Вход по телефону и паролю")
def login(body: LoginRequest, request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    # No SessionDep: the password is checked outside any write transaction.
    token, user, caller = service.login(
        runtime.database,
        phone=body.phone_e164,
        password=body.password,
        address=client_address(request),
        throttle=request.app.state.login_throttle,
        key=request.app.state.signing_key,
        minutes=runtime.settings.access_token_minutes,
        now=runtime.clock.now(),
    )
    return mirrored({"token": token, "user": user_out(user, caller, runtime.zone)}, LOGGED_IN)


@router.get("/api/auth/profile", responses=error_responses(401), summary="Профиль текущего пользователя")
def profile(user: CurrentUserDep, caller: CallerDep, runtime: RuntimeDep) -> dict[str, Any]:
    return mirrored({"user": user_out(user, caller, runtime.zone)})


@router.put("/api/auth/profile", responses=error_responses(400, 401), summary="Обновление профиля")
def update_profile(
    body: ProfileUpdate, session: SessionDep, user: CurrentUserDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    changed = service.update_profile(session, user=user, change=body, now=runtime.clock.now())
    return mirrored({"user": user_out(changed, caller, runtime.zone)}, PROFILE_UPDATED)


@router.get(
    "/api/user/profile", responses=error_responses(401), summary="Профиль пользователя со статистикой"
)
def user_profile(
    session: SessionDep, user: CurrentUserDep, caller: CallerDep, runtime: RuntimeDep
) -> dict[str, Any]:
    statistics = service.order_statistics(session, user_id=user.id)
    return ok({"user": user_out(user, caller, runtime.zone), "statistics": statistics})

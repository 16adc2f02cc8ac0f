"""`auth/login/` and `auth/me/`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from opsuite.core.throttle import client_address
from opsuite.waybills.auth import service
from opsuite.waybills.auth.schemas import LoginIn, LoginOut, LoginUser
from opsuite.waybills.deps import CurrentActor, RuntimeDep
from opsuite.waybills.users.schemas import UserOut

router = APIRouter(tags=["auth"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "login или password не переданы"},
    401: {"description": "Неверный логин или пароль"},
    429: {"description": "Слишком много неудачных попыток; см. Retry-After"},
}


@router.post("/auth/login/", response_model=LoginOut, responses=_ERRORS, summary="Log in (web or mobile)")
def login(body: LoginIn, request: Request, runtime: RuntimeDep) -> LoginOut:
    """Exchange login and password for an access token."""
    # The database, not SessionDep: a login must not open the request's write transaction before it hashes.
    token, user = service.login(
        runtime.database,
        login=body.login,
        password=body.password,
        client=body.client,
        address=client_address(request),
        key=runtime.settings.signing_key,
        lifetime=runtime.token_lifetime,
        throttle=runtime.login_throttle,
    )
    return LoginOut(access=token, user=LoginUser.model_validate(user))


@router.get("/auth/me/", response_model=UserOut, summary="The user the token belongs to")
def me(actor: CurrentActor) -> UserOut:
    """Check the token and return its user."""
    return UserOut.model_validate(actor.user)

"""Signing in: a password for a token, who am I, and changing one's own password."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from api.routers.context import Ctx
from api.schemas import LoginRequest, MePublic, PasswordChange, TokenPublic
from api.security import CurrentUser, Unauthorized
from domain.errors import N_

router = APIRouter(prefix="/api", tags=["auth"])


@router.post(
    "/auth/login",
    responses={429: {"description": "Too many failed sign-ins for this name or address; see Retry-After"}},
)
async def login(body: LoginRequest, ctx: Ctx, request: Request) -> TokenPublic:
    """Exchange a username and password for a bearer token valid for one shift. After a few failed
    attempts for one name (or many from one address) sign-in is refused for a while (429)."""
    address = request.client.host if request.client else "unknown"
    ctx.throttle.check(body.username, address)
    try:
        account = await ctx.sign_in(body.username, body.password)
    except Unauthorized:
        ctx.throttle.failed(body.username, address)
        raise
    ctx.throttle.succeeded(body.username)
    token, expires = ctx.tokens.issue(account.username)
    return TokenPublic(
        token=token,
        expires_at=expires,
        username=account.username,
        role=account.role,
        vehicle_id=account.vehicle_id,
        language=account.language,
    )


@router.get("/me")
def me(user: CurrentUser) -> MePublic:
    """The signed-in user, their role and (for drivers) their vehicle."""
    return MePublic(
        username=user.actor.user,
        full_name=user.full_name,
        role=user.role,
        vehicle_id=user.vehicle_id,
        language=user.language,
    )


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, user: CurrentUser, ctx: Ctx) -> None:
    """Change one's own password; the current one is asked again so a borrowed phone cannot do it."""
    try:
        ctx.check_password(user.actor.user, body.current_password)
    except Unauthorized:
        raise Unauthorized(N_("the current password is wrong")) from None
    with ctx.writing() as app:
        app.change_password(user.actor.user, ctx.passwords.hash(body.new_password), user.actor)

"""User accounts (admin): add, list, deactivate; dispatchers assign drivers to vehicles."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.routers.context import Admin, Ctx, FleetUser
from api.schemas import Created, LanguageChange, UserCreate, UserDeactivate, UserPublic, VehicleAssignment
from api.security import CurrentUser
from projections import dispatch_queries

router = APIRouter(prefix="/api/users", tags=["users"])


@router.post("", status_code=status.HTTP_201_CREATED)
def add_user(body: UserCreate, user: Admin, ctx: Ctx) -> Created:
    """Create an account; the password is stored only as an argon2 hash."""
    password_hash = ctx.passwords.hash(body.password)
    with ctx.writing() as app:
        ident = app.add_user(
            body.username, body.full_name, body.role, password_hash, user.actor, vehicle_id=body.vehicle_id
        )
    return Created(id=ident)


@router.put("/me/language", status_code=status.HTTP_204_NO_CONTENT)
def change_my_language(body: LanguageChange, user: CurrentUser, ctx: Ctx) -> None:
    """Choose the language of one's pages, messages and reports (Turkish or English)."""
    with ctx.writing() as app:
        app.change_language(user.actor.user, body.language, user.actor)
    ctx.accounts_changed()


@router.get("")
def list_users(user: Admin, ctx: Ctx) -> list[UserPublic]:
    """Every account, active or not."""
    return [UserPublic(**row) for row in ctx.read(dispatch_queries.users)]


@router.post("/{username}/deactivate", status_code=status.HTTP_204_NO_CONTENT)
def deactivate(username: str, body: UserDeactivate, user: Admin, ctx: Ctx) -> None:
    """Close an account: its tokens stop working at the next request."""
    with ctx.writing() as app:
        app.deactivate_user(username, body.reason, user.actor)
    ctx.accounts_changed()


@router.post("/{username}/vehicle", status_code=status.HTTP_204_NO_CONTENT)
def assign_vehicle(username: str, body: VehicleAssignment, user: FleetUser, ctx: Ctx) -> None:
    """Put a driver on another vehicle; their stop list follows at once."""
    with ctx.writing() as app:
        app.assign_vehicle(username, body.vehicle_id, user.actor)
    ctx.accounts_changed()

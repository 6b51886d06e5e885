"""CLI commands for personal data (KVKK): erase a household, review retention, make an encryption key."""

from __future__ import annotations

import os
import re
from typing import Annotated
from uuid import UUID

import typer

from api.cli_cases import households
from api.cli_support import ActorOption, JsonOption, RoleOption, actor_of, done, rows_of, services, show
from api.i18n import _
from domain.app_base import today_in_istanbul
from domain.encryption import new_key
from domain.errors import N_, InvalidValue
from domain.values import LegalBasis
from projections.retention import retention_due

keys = typer.Typer(help="Encryption keys (KAPIDA_CIPHER_KEY).", no_args_is_help=True)
DEFAULT_RETENTION_MONTHS = 24


@keys.command("new")
def keys_new() -> None:
    """Print a fresh AES-256 key (base64) for KAPIDA_CIPHER_KEY; keep it apart from the database."""
    typer.echo(new_key())


@households.command("erase")
def erase(
    actor: ActorOption,
    role: RoleOption,
    household: Annotated[UUID | None, typer.Argument(help="Household id.")] = None,
    basis: Annotated[
        LegalBasis | None, typer.Option("--basis", help="Legal basis (KVKK madde 7, purpose ended, request).")
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Grounds: the request, decision or file no.")] = "",
    end_enrolments: Annotated[
        bool, typer.Option("--end-enrolments", help="End active enrolments and withdraw open applications.")
    ] = False,
    resume: Annotated[
        bool, typer.Option("--resume", help="Only finish interrupted erasures (destroy leftover keys).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Erase a household's personal data for good (its key is destroyed); statistics stay."""
    with services() as s:
        if resume:
            finished = s.app.finish_erasures()
            show(
                [{"household_id": str(h)} for h in finished],
                as_json,
                _("Erasures finished"),
            )
            return
        if household is None:
            raise InvalidValue("household", N_("give the id of the household to erase (or --resume)"))
        if basis is None:
            raise InvalidValue(
                "basis",
                N_("give the legal basis ({allowed})"),
                allowed=", ".join(b.value for b in LegalBasis),
            )
        s.app.erase_household(household, basis, reason, actor_of(actor, role), end_enrolments)
        s.catch_up()
        s.views.scrub()
    done(_("Personal data erased"), household, as_json)


def parse_months(text: str) -> int:
    """`24m`, `2y` or `24` → months."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*([my]?)\s*", text.lower())
    if not match or int(match.group(1)) == 0:
        raise InvalidValue("older_than", N_("{text!r} is not a period such as 24m or 2y"), text=text)
    return int(match.group(1)) * (12 if match.group(2) == "y" else 1)


@households.command("retention")
def retention(
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than", help="Period since the purpose ended (24m, 2y); KAPIDA_RETENTION_MONTHS."
        ),
    ] = "",
    as_json: JsonOption = False,
) -> None:
    """Households whose every enrolment ended (and no open application) more than the period ago."""
    months = parse_months(
        older_than or os.environ.get("KAPIDA_RETENTION_MONTHS", str(DEFAULT_RETENTION_MONTHS))
    )
    with services() as s:
        s.catch_up()
        rows = retention_due(s.views, today_in_istanbul(), months)
    show(rows_of(rows), as_json, _("Households past retention (> {months} months)"), months=months)

"""`kapida audit verify` and `kapida audit head`: inspectors check that the record of truth is untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from api.audit import audit_log, export_head, public_key, read_head
from api.cli_support import JsonOption, services, words
from api.i18n import _
from api.security import load_secret
from domain.errors import N_, InvalidValue

HeadOption = Annotated[
    Path | None,
    typer.Option("--head", help="A head file from `kapida audit head`: check the log still holds that head."),
]
KeyOption = Annotated[
    str,
    typer.Option(
        "--public-key", help="Trust this public key (hex) for --head instead of this installation's own."
    ),
]


def verify(
    from_id: Annotated[int, typer.Option("--from-id", help="First notification id to check.")] = 1,
    head: HeadOption = None,
    trusted_key: KeyOption = "",
    as_json: JsonOption = False,
) -> None:
    """Recompute the hash chain and report the first break; exit code 0 intact, 1 broken, 2 bad input."""
    with services() as s:
        exported = None
        if head is not None:
            exported = read_head(_read(head), trusted_key or public_key(load_secret(s.views.database)))
        report = audit_log(s.app.recorder, from_id, exported)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(_describe(report))
    if not report["intact"]:
        raise typer.Exit(1)


def head(
    out: Annotated[Path | None, typer.Option("--out", help="Write the signed head to this file.")] = None,
) -> None:
    """Export the chain's current head, signed, for an inspector to check the log against later."""
    with services() as s:
        body = export_head(s.app.recorder, s.views.database, load_secret(s.views.database))
    text = json.dumps(body, ensure_ascii=False, indent=2)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    language = words()
    head = language.gettext(_("Head #{position} {hash} → {out}"))
    key = language.gettext(_("Public key (note it to check heads without the secret): {key}"))
    typer.echo(
        head.format(position=body["notification_id"], hash=body["hash"], out=out)
        + "\n"
        + key.format(key=body["public_key"])
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidValue(
            "head", N_("cannot read {path}: {strerror}"), path=path, strerror=error.strerror
        ) from None


def _describe(report: dict[str, Any]) -> str:
    say, lines = words().gettext, []
    if report["intact"]:
        span = f" (#{report['first_id']}–#{report['head']['notification_id']})" if report["first_id"] else ""
        intact = say(_("Chain intact: {checked} events checked{span} in {seconds} s"))
        lines.append(intact.format(checked=report["checked"], span=span, seconds=f"{report['seconds']:.2f}"))
    else:
        found = report["break"]
        broken = say(_("Chain BROKEN at #{position} ({kind}): {detail}"))
        lines.append(
            broken.format(position=found["notification_id"], kind=found["kind"], detail=found["detail"])
        )
        lines.append("  " + say(_("{checked} events intact before it")).format(checked=report["checked"]))
    if report["head"]:
        head = report["head"]
        line = say(_("Head: #{position} {hash} ({recorded_at})"))
        lines.append(
            line.format(position=head["notification_id"], hash=head["hash"], recorded_at=head["recorded_at"])
        )
    if report["chain"]:
        chain = report["chain"]
        began = say(
            _("Chain {database_id} began {started_at} ({events_before} events were already in the log then)")
        )
        lines.append(began.format(**{k: chain[k] for k in ("database_id", "started_at", "events_before")}))
    if report["exported_head"] and report["exported_head"]["found"]:
        found_head = say(_("Exported head #{position}: found"))
        lines.append(found_head.format(position=report["exported_head"]["notification_id"]))
    return "\n".join(lines)

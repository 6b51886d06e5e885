"""`kapida audit verify` and `kapida audit head`: inspectors check that the record of truth is untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from api.audit import audit_log, export_head, public_key, read_head
from api.cli_support import JsonOption, services
from api.security import load_secret
from domain.errors import InvalidValue

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
    typer.echo(
        f"Baş / head #{body['notification_id']} {body['hash']} → {out}\n"
        f"Açık anahtar / public key (note it to check heads without the secret): {body['public_key']}"
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidValue("head", f"cannot read {path}: {error.strerror}") from None


def _describe(report: dict[str, Any]) -> str:
    lines = []
    if report["intact"]:
        span = f" (#{report['first_id']}–#{report['head']['notification_id']})" if report["first_id"] else ""
        lines.append(
            f"Zincir sağlam / chain intact: {report['checked']} olay / events checked{span} "
            f"in {report['seconds']:.2f} s"
        )
    else:
        found = report["break"]
        lines.append(
            f"ZİNCİR KIRIK / chain BROKEN at #{found['notification_id']} ({found['kind']}): {found['detail']}"
        )
        lines.append(f"  {report['checked']} olay sağlam / events intact before it")
    if report["head"]:
        head = report["head"]
        lines.append(f"Baş / head: #{head['notification_id']} {head['hash']} ({head['recorded_at']})")
    if report["chain"]:
        chain = report["chain"]
        lines.append(
            f"Zincir / chain {chain['database_id']} began {chain['started_at']} "
            f"({chain['events_before']} events were already in the log then)"
        )
    if report["exported_head"] and report["exported_head"]["found"]:
        lines.append(
            f"Dışa aktarılan baş / exported head #{report['exported_head']['notification_id']}: found"
        )
    return "\n".join(lines)

"""`kapida audit`: what managers and inspectors ask of the record of truth, one command per function.

Adding a command is one line here: `audit.command("name")(module.function)`.
"""

from __future__ import annotations

import typer

from api import cli_history, cli_integrity

audit = typer.Typer(help="Audit: the event log's integrity and history.", no_args_is_help=True)
audit.command("history")(cli_history.history)
audit.command("why")(cli_history.why)
audit.command("verify")(cli_integrity.verify)
audit.command("head")(cli_integrity.head)

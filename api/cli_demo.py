"""`kapida demo`: build the sample municipality and serve it."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli_support import JsonOption, services, show
from api.seed import Seeder, map_addresses, map_destinations

demo = typer.Typer(help="The sample city: seed it, serve it.", no_args_is_help=True)


@demo.command("seed")
def seed(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed builds the same city.")] = 7,
    households: Annotated[
        int, typer.Option(min=10, max=50_000, help="How many households to register.")
    ] = 3000,
    as_json: JsonOption = False,
) -> None:
    """Register depots, vehicles, households, applications and decisions through the normal commands."""
    addresses = map_addresses(households + 4, seed)
    with services() as s:
        if s.app.recorder.max_notification_id():
            raise typer.BadParameter(
                "the event store is not empty; seed a new KAPIDA_DB", param_hint="KAPIDA_DB"
            )
        report = Seeder(s.app, seed).run(addresses, map_destinations())
        s.catch_up()
    rows = [
        {"what": "households / hane", "count": report.households},
        {"what": "depots / depo", "count": report.depots},
        {"what": "vehicles / araç", "count": report.vehicles},
        {"what": "trips today and tomorrow / yolculuk", "count": report.trips},
        *(
            {"what": f"applications / başvuru: {k}", "count": v}
            for k, v in sorted(report.applications.items())
        ),
        *({"what": f"decisions / karar: {k}", "count": v} for k, v in sorted(report.decisions.items())),
    ]
    show(rows, as_json, f"Örnek şehir / sample city (seed {seed})")


@demo.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web app until stopped (Ctrl+C)."""
    import uvicorn

    from api.web import create_app

    typer.echo(f"Kapıda: http://{host}:{port}")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")

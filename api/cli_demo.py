"""`kapida demo`: build the sample municipality and serve it."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from api.cli_support import JsonOption, services, show, words
from api.i18n import _
from api.seed import SYSTEM, Seeder, map_addresses, map_destinations
from domain.programmes import Programme
from domain.route_plan import Round
from domain.service import today_in_istanbul
from domain.users import user_id_for
from domain.values import Role

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
    language = words()
    rows = [
        {"what": language.gettext(_("households")), "count": report.households},
        {"what": language.gettext(_("depots")), "count": report.depots},
        {"what": language.gettext(_("vehicles")), "count": report.vehicles},
        {"what": language.gettext(_("trips today and tomorrow")), "count": report.trips},
        *(
            {"what": f"{language.gettext(_('applications'))}: {language.label(k, 'programme')}", "count": v}
            for k, v in sorted(report.applications.items())
        ),
        *(
            {"what": f"{language.gettext(_('decisions'))}: {language.label(k, 'decision')}", "count": v}
            for k, v in sorted(report.decisions.items())
        ),
    ]
    show(rows, as_json, _("Sample city (seed {seed})"), seed=seed)


DEMO_PASSWORD = "kapida-demo"
STAFF = (
    ("admin", "Sistem Yöneticisi", Role.ADMIN),
    ("hakan.sahin", "Hakan Şahin", Role.DISPATCHER),
    ("ayse.yilmaz", "Ayşe Yılmaz", Role.CASEWORKER),
    ("elif.aydin", "Elif Aydın", Role.MANAGER),
)
ROUNDS = (
    (Programme.HOT_MEAL, Round.BREAKFAST),
    (Programme.HOT_MEAL, Round.DINNER),
    (Programme.MILK, Round.DAY),
    (Programme.FOOD_PARCEL, Round.DAY),
    (Programme.GLUTEN_FREE, Round.DAY),
    (Programme.ACCESSIBLE_TRANSPORT, Round.DAY),
)


@demo.command("day")
def day(
    time_limit: Annotated[float, typer.Option(min=0.5, max=600, help="Solver seconds per round.")] = 10.0,
    publish: Annotated[bool, typer.Option(help="Publish the plans to the drivers.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Plan (and publish) every round of today; one row per route and per reason stops were left out."""
    from api.cli_dispatch import route_summary
    from api.planning import plan_day

    today = today_in_istanbul()
    rows = []
    with services() as s:
        for programme, round_ in ROUNDS:
            plan_id = plan_day(s, today, programme, round_, SYSTEM, time_limit)
            if publish and s.app.route_plan(plan_id).routes:
                s.app.publish_plan(plan_id, SYSTEM)
            rows += [
                {"programme": programme.value, "round": round_.value, **row}
                for row in route_summary(s.views, plan_id)
            ]
        s.catch_up()
    show(rows, as_json, _("Today's routes {day}"), day=today)


@demo.command("users")
def users(as_json: JsonOption = False) -> None:
    """Create the demo accounts (staff, and one driver per vehicle) with the demo password, and list them."""
    from api.security import Passwords

    hashed = Passwords().hash(DEMO_PASSWORD)
    rows = []
    with services() as s:
        accounts: list[tuple[str, str, Role, tuple[UUID, str] | None]] = [
            (n, f, r, None) for n, f, r in STAFF
        ]
        vehicles = s.views.query("SELECT vehicle_id, plate FROM cl_vehicles ORDER BY plate")
        accounts += [
            (f"surucu{n:02d}", f"Sürücü {plate}", Role.DRIVER, (UUID(vid), plate))
            for n, (vid, plate) in enumerate(vehicles, start=1)
        ]
        for name, full, role, vehicle in accounts:
            if not s.app.exists(user_id_for(name)):
                s.app.add_user(name, full, role, hashed, SYSTEM, vehicle_id=vehicle[0] if vehicle else None)
            rows.append(
                {
                    "user": name,
                    "role": role.value,
                    "vehicle": vehicle[1] if vehicle else "",
                    "password": DEMO_PASSWORD,
                }
            )
        s.catch_up()
    show(rows, as_json, _("Demo users"))


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

"""Small builders the tests share: people, households and a caseworker, with sensible defaults."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from domain.programmes import Programme
from domain.service import ISTANBUL, Kapida
from domain.values import Actor, Channel, GeoPoint, Member, Need, PersonalDetails, Role

CASEWORKER = Actor("ayse.yilmaz", Role.CASEWORKER)
DISPATCHER = Actor("hakan.sahin", Role.DISPATCHER)
DRIVER = Actor("veli.sofor", Role.DRIVER)
RIZE = GeoPoint(41.0201, 40.5234)


def personal(name: str = "Fatma Kalkavan") -> PersonalDetails:
    return PersonalDetails(name, "0532 123 45 67", "Cumhuriyet Cd. No:5, Tophane Mah., Rize Merkez")


def elderly() -> tuple[Member, ...]:
    return (Member("Fatma", date(1948, 3, 14)),)


def young_family() -> tuple[Member, ...]:
    return (Member("Elif", date(1994, 6, 1)), Member("Can", date(2025, 2, 10)))


def register(
    app: Kapida,
    members: tuple[Member, ...] | None = None,
    needs: tuple[Need, ...] = (),
    neighbourhood: str = "Tophane Mah.",
    district: str = "Rize Merkez",
) -> UUID:
    return app.register_household(
        personal(), RIZE, district, neighbourhood, members or elderly(), needs, CASEWORKER
    )


def applied(app: Kapida, household: UUID, programme: Programme, on: date = date(2026, 9, 1)) -> UUID:
    arrived = datetime.combine(on, datetime.min.time(), ISTANBUL).replace(hour=10)
    return app.submit_application(household, programme, Channel.CALL_CENTRE, CASEWORKER, arrived)


def enrolled(
    app: Kapida, household: UUID, programme: Programme, decided: date = date(2026, 9, 10), **kwargs: object
) -> UUID:
    application = applied(app, household, programme, decided.replace(day=1))
    app.assess_application(application, "Ev ziyareti yapıldı", decided.replace(day=2), CASEWORKER)
    return app.approve_application(application, CASEWORKER, decided_on=decided, **kwargs)  # type: ignore[arg-type]

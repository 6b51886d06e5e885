"""`kapida demo seed`: a realistic municipality built through the same commands staff use.

Programme sizes follow what municipalities publish (see shared/docs/glossary.md): food parcels reach
about 43 % of helped families (İnegöl: 6,091 of 14,146), hot meals about 3.5 % (494 families: the
65+, disabled and sick), gluten-free parcels a few coeliac households, milk the families with children
under five, and accessible transport a few hundred disabled citizens.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from uuid import UUID

from domain.errors import NotEligible
from domain.fleet import DepotKind, VehicleKind
from domain.programmes import Programme, milk_age_limit_months
from domain.service import ISTANBUL, Kapida, today_in_istanbul
from domain.values import Actor, Channel, GeoPoint, Member, Need, PersonalDetails, Role

FIRST_NAMES = (
    "Ayşe",
    "Fatma",
    "Emine",
    "Hatice",
    "Zeynep",
    "Elif",
    "Meryem",
    "Şerife",
    "Sultan",
    "Hülya",
    "Mehmet",
    "Mustafa",
    "Ahmet",
    "Ali",
    "Hüseyin",
    "Hasan",
    "İbrahim",
    "İsmail",
    "Osman",
    "Yusuf",
    "Murat",
    "Ömer",
    "Ramazan",
    "Halil",
    "Süleyman",
    "Abdullah",
    "Recep",
    "Gülşen",
    "Nurcan",
    "Çiğdem",
)
SURNAMES = (
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Karadeniz",
    "Kalkavan",
    "Topaloğlu",
    "Bayraktar",
    "Güneş",
    "Uzun",
    "Ünal",
    "Erdoğan",
    "Polat",
    "Tekin",
)
CASEWORKERS = ("ayse.yilmaz", "mehmet.demir", "zeynep.kaya", "emre.celik")
REJECTION_REASONS = (
    "Hane geliri kriterin üzerinde / household income above the threshold",
    "Adreste ikamet etmediği tespit edildi / not living at the address",
    "Başka kurumdan aynı yardımı alıyor / already receives the same aid elsewhere",
)
CHANNEL_WEIGHTS = {Channel.CALL_CENTRE: 45, Channel.WHATSAPP: 25, Channel.WALK_IN: 20, Channel.WEB: 10}
SYSTEM = Actor("demo.seed", Role.ADMIN)
RECENT_DAYS = 45
DISPATCHER = Actor("hakan.sahin", Role.DISPATCHER)


@dataclass(frozen=True)
class SeedAddress:
    """Where a demo household lives: a real residential address of the sample city."""

    lat: float
    lon: float
    street: str
    housenumber: str
    neighbourhood: str
    district: str


@dataclass(frozen=True)
class Destination:
    """Where accessible-transport passengers go: a hospital or clinic of the sample city."""

    name: str
    lat: float
    lon: float


def map_destinations() -> list[Destination]:
    """Hospitals and clinics named in the configured OSM extract (`KAPIDA_ROADS`), in a stable order."""
    import maps
    from maps.features import read_osm_features

    found = read_osm_features(maps.default_roads_source(), {"amenity": ["hospital", "clinic"]})
    places = []
    for _, row in found.iterrows():
        if isinstance(row.get("name"), str):
            point = row.geometry.representative_point()
            places.append(Destination(row["name"], round(point.y, 6), round(point.x, 6)))
    return sorted(places, key=lambda d: d.name)


class AddressSource(Protocol):
    def __call__(self, n: int, seed: int) -> Sequence[SeedAddress]: ...


@dataclass
class SeedReport:
    households: int
    applications: Counter[str]
    decisions: Counter[str]
    depots: int
    vehicles: int
    trips: int = 0


def map_addresses(n: int, seed: int) -> list[SeedAddress]:
    """Residential addresses of the configured road data (`KAPIDA_ROADS`, default Rize) inside a mahalle.

    Caseload reports are by district and neighbourhood, so buildings outside every boundary polygon
    (on the coast's edge) are passed over rather than given a made-up area.
    """
    import maps

    sampled = maps.sample_residential_addresses(maps.default_roads_source(), n + n // 5 + 10, seed)
    placed = [
        SeedAddress(a.lat, a.lon, a.street, a.housenumber, a.neighbourhood, a.district)
        for a in sampled
        if a.neighbourhood and a.district
    ]
    if len(placed) < n:
        raise ValueError(
            f"households: only {len(placed)} addresses with a known neighbourhood, {n} asked for"
        )
    return placed[:n]


class Seeder:
    """Draws households, applications and decisions from one random generator, so a seed is a city."""

    def __init__(self, app: Kapida, seed: int, today: date | None = None) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.today = today or today_in_istanbul()
        self.report = SeedReport(0, Counter(), Counter(), 0, 0)
        self.riders: list[
            tuple[UUID, bool]
        ] = []  # transport beneficiaries still enrolled, and wheelchair use

    def run(self, addresses: Sequence[SeedAddress], destinations: Sequence[Destination] = ()) -> SeedReport:
        depot_spots, homes = addresses[:4], addresses[4:]
        self._fleet(depot_spots)
        for address in homes:
            self._household(address)
        if destinations:
            for day in (self.today, self.today + timedelta(days=1)):
                self._book_trips(day, destinations)
        return self.report

    def _book_trips(self, day: date, destinations: Sequence[Destination]) -> None:
        """About a third of transport beneficiaries travel on a given day, mostly to hospital appointments."""
        rng = self.rng
        for household, wheelchair in self.riders:
            if rng.random() >= 0.35:
                continue
            place = rng.choice(destinations)
            appointment = time(rng.randint(9, 14), rng.choice((0, 30)))
            back = (
                time(appointment.hour + rng.randint(1, 3), appointment.minute) if rng.random() < 0.7 else None
            )
            self.app.request_trip(
                household,
                day,
                GeoPoint(place.lat, place.lon),
                place.name,
                appointment,
                Actor(rng.choice(CASEWORKERS), Role.CASEWORKER),
                wheelchair=wheelchair,
                seats=rng.choice((1, 1, 2)),
                return_at=back,
            )
            self.report.trips += 1

    def _fleet(self, spots: Sequence[SeedAddress]) -> None:
        kinds = (
            ("Merkez Aşevi", DepotKind.CENTRAL_KITCHEN),
            ("Dayanışma Noktası", DepotKind.SOLIDARITY_POINT),
            ("Süt ve Gıda Deposu", DepotKind.WAREHOUSE),
            ("Engelsiz Ulaşım Garajı", DepotKind.GARAGE),
        )
        depots = [
            self.app.register_depot(
                name, kind, GeoPoint(s.lat, s.lon), s.district, s.neighbourhood, DISPATCHER
            )
            for (name, kind), s in zip(kinds, spots, strict=True)
        ]
        fleet = (
            (depots[0], VehicleKind.VAN, {"meal_containers": 60}, 8, (time(6, 30), time(20, 30)), False),
            (depots[1], VehicleKind.VAN, {"meal_containers": 40}, 3, (time(6, 30), time(20, 30)), False),
            (
                depots[2],
                VehicleKind.REFRIGERATED_VAN,
                {"milk_litres": 600},
                5,
                (time(8, 0), time(17, 0)),
                False,
            ),
            (depots[2], VehicleKind.TRUCK, {"parcel_kg": 1500}, 2, (time(8, 0), time(17, 0)), False),
            (
                depots[3],
                VehicleKind.MINIBUS_WITH_LIFT,
                {"seats": 8, "wheelchair_places": 2},
                6,
                (time(7, 0), time(19, 0)),
                True,
            ),
        )
        plate = 1
        for depot, kind, capacities, count, shift, lift in fleet:
            for _ in range(count):
                self.app.register_vehicle(
                    f"53 KPD {plate:03d}", kind, capacities, shift, depot, lift, DISPATCHER
                )
                plate += 1
        self.report.depots, self.report.vehicles = len(depots), plate - 1

    def _household(self, address: SeedAddress) -> None:
        rng = self.rng
        received = self.today - timedelta(days=rng.randint(3, 540))
        members, needs = self._people(received)
        surname = rng.choice(SURNAMES)
        personal = PersonalDetails(
            f"{members[0].name} {surname}",
            f"05{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            f"{address.street} No:{address.housenumber}, {address.neighbourhood}, {address.district}",
        )
        caseworker = Actor(rng.choice(CASEWORKERS), Role.CASEWORKER)
        household = self.app.register_household(
            personal,
            GeoPoint(address.lat, address.lon),
            address.district,
            address.neighbourhood,
            members,
            needs,
            caseworker,
        )
        self.report.households += 1
        for programme in self._programmes_for(members, needs, received):
            self._application(household, programme, received, caseworker)

    def _people(self, received: date) -> tuple[tuple[Member, ...], tuple[Need, ...]]:
        rng = self.rng
        profile = rng.choices(("elderly", "young_family", "disabled", "family"), (22, 28, 12, 38))[0]
        adults_born = [self._born_between(received, 25, 55) for _ in range(rng.choice((1, 2, 2)))]
        children: list[date] = []
        needs: list[Need] = []
        if profile == "elderly":
            adults_born = [self._born_between(received, 65, 90) for _ in range(rng.choice((1, 1, 2)))]
            needs += [Need.DIABETIC] if rng.random() < 0.3 else []
            needs += [Need.BEDRIDDEN] if rng.random() < 0.1 else []
        elif profile == "young_family":
            limit = milk_age_limit_months()
            children = [
                received - timedelta(days=rng.randint(40, limit * 30 - 200))
                for _ in range(rng.choice((1, 1, 2)))
            ]
            children += [self._born_between(received, 6, 16) for _ in range(rng.choice((0, 1, 2)))]
        elif profile == "disabled":
            needs.append(
                rng.choice((Need.WHEELCHAIR_USER, Need.WHEELCHAIR_USER, Need.DISABILITY, Need.BEDRIDDEN))
            )
        else:
            children = [self._born_between(received, 6, 17) for _ in range(rng.choice((0, 1, 2, 3)))]
        if rng.random() < 0.02:
            needs.append(Need.COELIAC)
        names = [rng.choice(FIRST_NAMES) for _ in range(len(adults_born) + len(children))]
        members = tuple(Member(n, b) for n, b in zip(names, adults_born + children, strict=True))
        return members, tuple(needs)

    def _born_between(self, on: date, youngest: int, oldest: int) -> date:
        return on - timedelta(days=self.rng.randint(youngest * 366, oldest * 365))

    def _programmes_for(
        self, members: tuple[Member, ...], needs: tuple[Need, ...], on: date
    ) -> list[Programme]:
        rng, wanted = self.rng, []
        elderly = any(m.age_on(on) >= 65 for m in members)
        disabled = bool(set(needs) & {Need.WHEELCHAIR_USER, Need.BEDRIDDEN, Need.DISABILITY})
        if (elderly or disabled) and rng.random() < 0.25:
            wanted.append(Programme.HOT_MEAL)
        if any(m.age_in_months_on(on) < milk_age_limit_months() for m in members) and rng.random() < 0.85:
            wanted.append(Programme.MILK)
        if rng.random() < 0.45:
            wanted.append(Programme.FOOD_PARCEL)
        if Need.COELIAC in needs:
            wanted.append(Programme.GLUTEN_FREE)
        if disabled and rng.random() < 0.7:
            wanted.append(Programme.ACCESSIBLE_TRANSPORT)
        return wanted

    def _application(self, household: UUID, programme: Programme, received: date, caseworker: Actor) -> None:
        rng = self.rng
        channel = rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        arrived = datetime.combine(received, time(rng.randint(8, 17), rng.randint(0, 59)), ISTANBUL)
        application = self.app.submit_application(household, programme, channel, caseworker, arrived)
        self.report.applications[programme.value] += 1
        visited = received + timedelta(days=rng.randint(1, 14))
        recent = (self.today - received).days <= RECENT_DAYS  # only recent files are still waiting
        if visited > self.today or (recent and rng.random() < 0.04):
            self.report.decisions["pending"] += 1
            return
        self.app.assess_application(
            application, "Ev ziyareti yapıldı, ihtiyaç tespit edildi", visited, caseworker
        )
        decided = visited + timedelta(days=rng.randint(1, 21))
        outcome = rng.choices(("approve", "reject", "withdraw", "wait"), (80, 12, 2, 6))[0]
        if decided > self.today or (outcome == "wait" and recent):
            self.report.decisions["pending"] += 1
        elif outcome == "withdraw":
            self.app.withdraw_application(
                application, "Hane başvurusunu geri çekti / household withdrew", caseworker
            )
            self.report.decisions["withdrawn"] += 1
        elif outcome == "reject":
            self.app.reject_application(application, rng.choice(REJECTION_REASONS), caseworker, decided)
            self.report.decisions["rejected"] += 1
        else:
            self._approve(application, decided, caseworker)

    def _approve(self, application: UUID, decided: date, caseworker: Actor) -> None:
        try:
            enrolment = self.app.approve_application(application, caseworker, decided_on=decided)
        except NotEligible:
            # A child outgrew the age limit before the decision: the real outcome is a rejection.
            self.app.reject_application(
                application, "Uygunluk şartı kalmadı / no longer eligible", caseworker, decided
            )
            self.report.decisions["rejected"] += 1
            return
        self.report.decisions["approved"] += 1
        roll = self.rng.random()
        if roll < 0.04:
            start = min(self.today, decided + timedelta(days=self.rng.randint(20, 200)))
            until = start + timedelta(days=self.rng.randint(5, 30))
            self.app.suspend_enrolment(
                enrolment, start, "Hastanede yatıyor / hospital stay", caseworker, until
            )
        elif roll < 0.08:
            end = min(self.today, decided + timedelta(days=self.rng.randint(30, 300)))
            self.app.end_enrolment(enrolment, end, "Başka ile taşındı / moved away", caseworker)
            return
        enrolled = self.app.enrolment(enrolment)
        if enrolled.programme is Programme.ACCESSIBLE_TRANSPORT:
            needs = self.app.household(enrolled.household_id).needs
            self.riders.append((enrolled.household_id, Need.WHEELCHAIR_USER in needs))

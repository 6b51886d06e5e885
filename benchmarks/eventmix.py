"""A realistic Kapıda event mix, made fast: the real commands on in-memory aggregates, saved in batches.

`MixWriter` is `Kapida` itself with two private seams replaced: loads come from the aggregates the
current story holds in memory, and saves are collected instead of written one command at a time.
Every event therefore passes the same validation, invariants and `@event` methods as in production
(registering, submitting, assessing, approving with the programme's eligibility and default
entitlement, rejecting, withdrawing, suspending, resuming, ending, linking enrolments to households),
and the collected aggregates reach the store through the library's own `Application.save`.
Distributions follow `api/seed.py` (itself based on published municipal figures), plus the later
life of a case (moves, new members, pauses ended early, changed entitlements) that a seed skips.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import NotEligible, NotFound
from domain.fleet import DepotKind, VehicleKind
from domain.land import on_land
from domain.programmes import Programme, milk_age_limit_months
from domain.service import ISTANBUL, Kapida, today_in_istanbul
from domain.values import Actor, Channel, GeoPoint, Member, Need, PersonalDetails, Role

A = TypeVar("A", bound=Aggregate)

DISTRICTS = {
    "Merkez": ("Yeniköy", "Tophane", "Müftü", "Piriçelebi", "Kale", "Portakallık", "Bağdatlı", "Çarşı"),
    "Ardeşen": ("Kurtuluş", "Cumhuriyet", "Fatih", "Seslikaya"),
    "Çayeli": ("Merkez", "Çarşı", "Yeni", "Sahil"),
    "Pazar": ("Merkez", "Beyaztaş", "Kaçkar"),
    "Fındıklı": ("Merkez", "Aksu", "Sulak"),
    "Güneysu": ("Merkez", "Ortaköy"),
}
NAMES = ("Ayşe", "Fatma", "Emine", "Zeynep", "Elif", "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin")
SURNAMES = ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Kalkavan", "Topaloğlu", "Karadeniz")
CASEWORKERS = tuple(Actor(u, Role.CASEWORKER) for u in ("ayse.yilmaz", "mehmet.demir", "zeynep.kaya"))
DISPATCHER = Actor("hakan.sahin", Role.DISPATCHER)
CHANNELS = (Channel.CALL_CENTRE, Channel.WHATSAPP, Channel.WALK_IN, Channel.WEB)
CHANNEL_WEIGHTS = (45, 25, 20, 10)


class SaveMode(StrEnum):
    """How collected aggregates reach the store."""

    BATCHED = "batched"  # one `save` per ~batch_events events, many aggregates together
    PER_COMMAND = "per_command"  # one `save` per command, as Kapida does in production
    SINGLE = "single"  # one `save` per aggregate and command: one aggregate's pending events


@dataclass
class AppendStats:
    """What the writer saved and how long the library's `save` took (generation time excluded)."""

    events: int = 0
    saves: int = 0
    save_s: float = 0.0
    save_cpu_s: float = 0.0
    generate_s: float = 0.0
    topics: dict[str, int] = field(default_factory=dict)


class MixWriter(Kapida):
    """Kapıda's commands with loads from memory and saves collected, then written with `Application.save`."""

    name = "Kapida"  # the same recorder tables as the application (PostgreSQL prefixes them with the name)

    def __init__(self, env: Mapping[str, str], mode: SaveMode, batch_events: int = 1000) -> None:
        super().__init__(env=env)
        self.mode = mode
        self.batch_events = batch_events
        self.stats = AppendStats()
        self._live: dict[UUID, Aggregate] = {}
        self._unsaved: dict[UUID, Aggregate] = {}
        self._unsaved_events = 0

    @property
    def events_told(self) -> int:
        """Events written plus events collected for the next batch."""
        return self.stats.events + self._unsaved_events

    def _get(self, kind: type[A], aggregate_id: UUID, label: str) -> A:
        aggregate = self._live.get(aggregate_id)
        if not isinstance(aggregate, kind):
            raise NotFound(label, aggregate_id)
        return aggregate

    def _save(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self._live[aggregate.id] = aggregate
        if self.mode is SaveMode.SINGLE:
            for aggregate in aggregates:
                self._write(aggregate)
        elif self.mode is SaveMode.PER_COMMAND:
            self._write(*aggregates)
        else:
            for aggregate in aggregates:
                self._unsaved[aggregate.id] = aggregate

    def end_story(self) -> None:
        """The current household's story is told: forget its aggregates, write a batch when one is full."""
        self._unsaved_events += sum(len(a.pending_events) for a in self._live.values())
        self._live.clear()
        if self._unsaved_events >= self.batch_events:
            self.flush()

    def flush(self) -> None:
        """Write every collected aggregate in one `save` (one transaction)."""
        if self._unsaved:
            self._write(*self._unsaved.values())
            self._unsaved.clear()
            self._unsaved_events = 0

    def _write(self, *aggregates: Aggregate) -> None:
        topics = self.stats.topics
        for aggregate in aggregates:
            for pending in aggregate.pending_events:
                name = type(pending).__qualname__
                topics[name] = topics.get(name, 0) + 1
                self.stats.events += 1
        began, cpu = time.perf_counter(), time.process_time()
        self.save(*aggregates)
        self.stats.save_s += time.perf_counter() - began
        self.stats.save_cpu_s += time.process_time() - cpu
        self.stats.saves += 1


class CityStory:
    """Draws households and the whole life of their cases from one random generator."""

    def __init__(self, writer: MixWriter, seed: int) -> None:
        self.app = writer
        self.rng = random.Random(seed)
        self.today = today_in_istanbul()
        self.milk_months = milk_age_limit_months()

    def write(self, events: int) -> AppendStats:
        """Tell stories until at least `events` events are saved; returns the writer's figures."""
        began = time.perf_counter()
        self._fleet()
        while self.app.events_told < events:
            self._household()
            self.app.end_story()
        self.app.flush()
        stats = self.app.stats
        stats.generate_s = time.perf_counter() - began - stats.save_s
        return stats

    def _place(self) -> tuple[GeoPoint, str, str]:
        rng = self.rng
        district = rng.choice(tuple(DISTRICTS))
        while True:  # the box reaches into the Black Sea, where the domain refuses households
            point = GeoPoint(round(40.95 + rng.random() * 0.25, 6), round(40.2 + rng.random() * 0.9, 6))
            if on_land(point):
                return point, district, rng.choice(DISTRICTS[district])

    def _fleet(self) -> None:
        kinds = (DepotKind.CENTRAL_KITCHEN, DepotKind.SOLIDARITY_POINT, DepotKind.WAREHOUSE, DepotKind.GARAGE)
        for index, kind in enumerate(kinds):
            point, district, hood = self._place()
            depot = self.app.register_depot(f"Depo {index + 1}", kind, point, district, hood, DISPATCHER)
            for number in range(6):
                self.app.register_vehicle(
                    f"53 KPD {index}{number:02d}",
                    VehicleKind.VAN,
                    {"meal_containers": 60},
                    (clock(7, 0), clock(19, 0)),
                    depot,
                    False,
                    DISPATCHER,
                )
            self.app.end_story()

    def _household(self) -> None:
        rng, app = self.rng, self.app
        received = self.today - timedelta(days=rng.randint(30, 540))
        members, needs = self._people(received)
        point, district, hood = self._place()
        phone = f"05{rng.randint(30, 59)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        personal = PersonalDetails(
            f"{members[0].name} {rng.choice(SURNAMES)}", phone, f"{hood} Mah. No:{rng.randint(1, 90)}"
        )
        worker = rng.choice(CASEWORKERS)
        household = app.register_household(personal, point, district, hood, members, needs, worker)
        for programme in self._programmes_for(members, needs, received):
            self._application(household, programme, received, worker)
        roll = rng.random()
        if roll < 0.03:
            point, district, hood = self._place()
            app.move_household(household, point, district, hood, f"{hood} Mah. No:3", worker)
        elif roll < 0.06:
            app.change_members(household, (*members, Member(rng.choice(NAMES), received)), worker)
        elif roll < 0.08:
            app.change_needs(household, (*needs, Need.DIABETIC), worker)

    def _people(self, received: date) -> tuple[tuple[Member, ...], tuple[Need, ...]]:
        rng = self.rng
        profile = rng.choices(("elderly", "young_family", "disabled", "family"), (22, 28, 12, 38))[0]
        born = [self._born(received, 25, 55) for _ in range(rng.choice((1, 2, 2)))]
        needs: list[Need] = []
        if profile == "elderly":
            born = [self._born(received, 65, 90) for _ in range(rng.choice((1, 1, 2)))]
            needs += [Need.DIABETIC] if rng.random() < 0.3 else []
        elif profile == "young_family":
            born += [received - timedelta(days=rng.randint(40, 700)) for _ in range(rng.choice((1, 2)))]
        elif profile == "disabled":
            needs.append(rng.choice((Need.WHEELCHAIR_USER, Need.DISABILITY, Need.BEDRIDDEN)))
        else:
            born += [self._born(received, 6, 17) for _ in range(rng.choice((0, 1, 2, 3)))]
        if rng.random() < 0.02:
            needs.append(Need.COELIAC)
        return tuple(Member(rng.choice(NAMES), b) for b in born), tuple(needs)

    def _born(self, on: date, youngest: int, oldest: int) -> date:
        return on - timedelta(days=self.rng.randint(youngest * 366, oldest * 365))

    def _programmes_for(
        self, members: tuple[Member, ...], needs: tuple[Need, ...], on: date
    ) -> list[Programme]:
        rng, wanted = self.rng, []
        elderly = any(m.age_on(on) >= 65 for m in members)
        disabled = bool(set(needs) & {Need.WHEELCHAIR_USER, Need.BEDRIDDEN, Need.DISABILITY})
        if (elderly or disabled) and rng.random() < 0.5:
            wanted.append(Programme.HOT_MEAL)
        if any(m.age_in_months_on(on) < self.milk_months for m in members) and rng.random() < 0.85:
            wanted.append(Programme.MILK)
        if rng.random() < 0.6:
            wanted.append(Programme.FOOD_PARCEL)
        if Need.COELIAC in needs:
            wanted.append(Programme.GLUTEN_FREE)
        if disabled and rng.random() < 0.7:
            wanted.append(Programme.ACCESSIBLE_TRANSPORT)
        return wanted

    def _application(self, household: UUID, programme: Programme, received: date, worker: Actor) -> None:
        rng, app = self.rng, self.app
        channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        arrived = datetime.combine(received, clock(rng.randint(8, 17), rng.randint(0, 59)), ISTANBUL)
        application = app.submit_application(household, programme, channel, worker, arrived)
        if rng.random() < 0.04:
            return
        visited = received + timedelta(days=rng.randint(1, 14))
        app.assess_application(application, "Ev ziyareti yapıldı, ihtiyaç tespit edildi", visited, worker)
        decided = visited + timedelta(days=rng.randint(1, 14))
        outcome = rng.choices(("approve", "reject", "withdraw", "wait"), (80, 12, 2, 6))[0]
        if outcome == "withdraw":
            app.withdraw_application(application, "Hane başvurusunu geri çekti", worker)
        elif outcome == "reject":
            app.reject_application(application, "Hane geliri kriterin üzerinde", worker, decided)
        elif outcome == "approve":
            try:
                enrolment = app.approve_application(application, worker, decided_on=decided)
            except NotEligible:
                app.reject_application(application, "Uygunluk şartı kalmadı", worker, decided)
                return
            self._enrolment_life(enrolment, decided, worker)

    def _enrolment_life(self, enrolment: UUID, started: date, worker: Actor) -> None:
        rng, app = self.rng, self.app
        roll = rng.random()
        if roll < 0.10:
            start = min(self.today, started + timedelta(days=rng.randint(5, 20)))
            until = start + timedelta(days=rng.randint(5, 30))
            app.suspend_enrolment(enrolment, start, "Hastanede yatıyor", worker, until)
            if rng.random() < 0.5:
                app.resume_enrolment(enrolment, start + timedelta(days=2), worker)
        elif roll < 0.16:
            end = min(self.today, started + timedelta(days=rng.randint(20, 300)))
            app.end_enrolment(enrolment, end, "Başka ile taşındı", worker)
        elif roll < 0.19:
            entitlement = app.enrolment(enrolment).entitlement
            app.change_entitlement(enrolment, entitlement, "Hane yeniden değerlendirildi", worker)

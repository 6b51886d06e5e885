"""Importing an office's list: a dry run writes nothing; the real run uses the commands and is safe twice."""

from __future__ import annotations

from datetime import date, datetime

from api.bootstrap import Services
from domain.programmes import Programme
from domain.values import Channel, GeoPoint, Member, PersonalDetails
from projections import queries
from tests.api.import_support import (
    HEADER,
    IMPORTER,
    csv_file,
    event_count,
    outcome,
    problem_fields,
    row,
    run,
    tc,
    years_ago,
)

TODAY_ROWS = (
    row(1, "Fatma Kalkavan", tc(1), "Sıcak yemek", born="14.03.1948", needs="yatalak"),
    row(2, "Ali Yılmaz", "12345678901"),  # bad check digits
    row(3, "Zeynep Kaya", tc(3), district="Ankara Merkez"),  # not a district of the map's area
    row(4, "Hasan Demir", tc(4), "Süt Kuzusu"),  # no child under five
    row(5, "Emine Çelik", tc(5), "gıda kolisi, Çölyak desteği", needs="çölyak"),
    row(6, "EMİNE ÇELİK", tc(5)),  # listed again: the same household, the first row counts
    row(7, "Murat Şahin", tc(7), neighbourhood="Olmayan Mah."),
    row(8, "Hüseyin Aslan", tc(5)),  # someone else with Emine's number: a duplicate, refused alone
)


def test_the_dry_run_reports_each_row_and_writes_nothing(services: Services) -> None:
    """Bad T.C., unknown district or neighbourhood, ineligible, duplicate rows are named; nothing written."""
    before = event_count(services)
    plan = run(services, csv_file(*TODAY_ROWS))
    assert event_count(services) == before
    assert outcome(plan) == {
        2: "create",
        3: "error",
        4: "error",
        5: "error",
        6: "create",
        8: "error",
        9: "error",
    }
    assert problem_fields(plan, 3) == ["national_id"]
    assert problem_fields(plan, 4) == ["district"]
    assert problem_fields(plan, 5) == ["members"] and "uygun değil" in plan.households[3].problems[0].message
    emine = plan.households[4]
    assert emine.draft.rows == [6, 7] and "ikinci kez" in emine.draft.warnings[0]
    assert problem_fields(plan, 8) == ["neighbourhood"]
    assert problem_fields(plan, 9) == ["national_id"] and "satır 6" in plan.households[6].problems[0].message


def test_the_real_run_writes_good_rows_through_the_commands_as_the_importer(services: Services) -> None:
    """Good households are registered, applied for through the import channel, assessed and approved
    from the file's start date by the importing user; bad rows do not stop them."""
    plan = run(services, csv_file(*TODAY_ROWS), actor=IMPORTER)
    assert outcome(plan) == {
        2: "created",
        3: "error",
        4: "error",
        5: "error",
        6: "created",
        8: "error",
        9: "error",
    }
    enrolled = services.views.query(
        "SELECT e.programme, e.start_date, a.channel FROM cl_enrolments e "
        "JOIN cl_applications a ON a.household_id=e.household_id AND a.programme=e.programme ORDER BY 1"
    )
    assert enrolled == [
        ("food_parcel", "2026-10-01", "import"),
        ("gluten_free", "2026-10-01", "import"),
        ("hot_meal", "2026-10-01", "import"),
    ]
    created = plan.households[0].household_id
    assert created is not None
    household = services.app.household(created)
    assert household.personal.national_id == tc(1) and household.district == "Rize Merkez"
    events = services.app.events_of(created)
    assert {(e.actor.user, e.actor.role.value) for e in events} == {("ayse.yilmaz", "caseworker")}
    enrolment = services.app.enrolment(household.active_enrolments[Programme.HOT_MEAL])
    application = services.app.aid_application(enrolment.application_id)
    assert application.channel is Channel.IMPORT and "liste.csv" in application.visit_note


def test_running_the_same_file_again_changes_nothing(services: Services) -> None:
    """The second run finds every household by national id: "already present, unchanged", no new event."""
    data = csv_file(*TODAY_ROWS)
    run(services, data, actor=IMPORTER)
    before = event_count(services)
    again = run(services, data, actor=IMPORTER)
    assert event_count(services) == before
    assert [s for s in outcome(again).values() if s != "error"] == ["unchanged", "unchanged"]


def test_an_existing_household_is_not_registered_again_and_gets_only_the_missing_programme(
    services: Services,
) -> None:
    """A household already in Kapıda (same T.C.) is matched: its food parcel stays, the hot meal is added."""
    app = services.app
    existing = app.register_household(
        PersonalDetails("Fatma Kalkavan", "0532 123 45 67", "Çanakkale Cad. No:3", tc(11)),
        GeoPoint(41.0249, 40.5218),
        "Rize Merkez",
        "Tophane Mah.",
        (Member("Fatma", date(1948, 3, 14)),),
        (),
        IMPORTER,
    )
    received = datetime(2026, 9, 1, 10, 0).astimezone()
    application = app.submit_application(existing, Programme.FOOD_PARCEL, Channel.WALK_IN, IMPORTER, received)
    app.assess_application(application, "Ev ziyareti yapıldı", date(2026, 9, 2), IMPORTER)
    app.approve_application(application, IMPORTER, decided_on=date(2026, 9, 3))
    data = csv_file(
        row(1, "Fatma Kalkavan", tc(11), born="14.03.1948"),
        row(2, "Fatma Kalkavan", tc(11), "Sıcak yemek", born="14.03.1948"),
    )
    plan = run(services, data, actor=IMPORTER)
    assert outcome(plan) == {2: "added"}
    assert [a.step.value for a in plan.households[0].actions] == ["present", "new"]
    assert services.views.query("SELECT COUNT(*) FROM cl_households") == [(1,)]
    assert sorted(app.household(existing).active_enrolments) == [Programme.FOOD_PARCEL, Programme.HOT_MEAL]


def test_a_run_that_stopped_half_way_is_finished_by_running_the_file_again(services: Services) -> None:
    """After a crash between submitting and assessing, the next run assesses and approves that same
    application instead of opening a second one."""
    data = csv_file(row(1, "Fatma Kalkavan", tc(21), "Sıcak yemek", born="14.03.1948"))
    first = run(services, data)
    item = first.households[0]
    assert item.location is not None and item.area is not None
    household = services.app.register_household(
        PersonalDetails("Fatma Kalkavan", "0532 123 45 67", "Çanakkale Cad. No:3", tc(21)),
        item.location,
        item.area.district,
        item.area.neighbourhood,
        (Member("Fatma Kalkavan", date(1948, 3, 14)),),
        (),
        IMPORTER,
    )
    started = services.app.submit_application(household, Programme.HOT_MEAL, Channel.IMPORT, IMPORTER)
    plan = run(services, data, actor=IMPORTER)
    assert outcome(plan) == {2: "added"} and plan.households[0].actions[0].step.value == "assess"
    assert services.views.query("SELECT COUNT(*), MIN(status) FROM cl_applications") == [(1, "approved")]
    assert services.app.aid_application(started).enrolment_id is not None


def test_one_row_per_person_is_grouped_into_households(services: Services) -> None:
    """With a household key, each person is a member; without one, a spouse or child row joins the head
    above it. The child makes the household eligible for milk."""
    header = (
        "Hane No;Adı Soyadı;T.C. Kimlik No;Yakınlık;Doğum Tarihi;Telefon;"
        "Adres;İlçe;Mahalle;Enlem;Boylam;Program"
    )
    where = "Çanakkale Cad. No:3;Rize Merkez;Tophane Mah.;41.0249;40.5218"
    keyed = [
        f"H-1;Elif Kalkavan;{tc(31)};Hane reisi;01.06.1994;0532 123 45 67;{where};Süt Kuzusu",
        f"H-1;Can Kalkavan;{tc(32)};Oğlu;{years_ago(2)};;{where};",
        f"H-1;Ali Kalkavan;{tc(33)};Eşi;03.04.1990;;{where};",
        f"H-2;Ayşe Kara;{tc(34)};Kendisi;05.05.1950;0533 000 11 22;{where};Gıda kolisi",
    ]
    plan = run(services, csv_file(*keyed, header=header), actor=IMPORTER)
    assert outcome(plan) == {2: "created", 5: "created"}
    assert [len(h.draft.members) for h in plan.households] == [3, 1]
    assert plan.households[0].draft.national_id == tc(31)
    unkeyed = [line.partition(";")[2] for line in keyed]
    header_without_key = header.partition(";")[2]
    plan = run(
        services, csv_file(*[line.replace(tc(31), tc(41)) for line in unkeyed], header=header_without_key)
    )
    assert [(h.draft.rows, len(h.draft.members)) for h in plan.households] == [([2, 3, 4], 3), ([5], 1)]
    assert outcome(plan) == {2: "create", 5: "unchanged"}


def test_windows_1254_csv_and_xlsx_give_the_same_households(services: Services) -> None:
    """The same list saved by Turkish Excel as CSV (Windows-1254) and as .xlsx imports alike."""
    import io

    import openpyxl

    rows = [row(1, "Şükrü Çağlayan", tc(51), "Sıcak yemek", born="14.03.1948")]
    from_csv = run(services, ("\n".join((HEADER, *rows)) + "\n").encode("cp1254"))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (HEADER, *rows):
        sheet.append(line.split(";"))
    sheet["M2"] = datetime(1948, 3, 14)  # a real date cell, as Excel keeps it
    sheet["B2"].value = "Şükrü Çağlayan"
    buffer = io.BytesIO()
    book.save(buffer)
    from_xlsx = run(services, buffer.getvalue(), name="liste.xlsx", actor=IMPORTER)
    assert outcome(from_csv) == {2: "create"} and outcome(from_xlsx) == {2: "created"}
    assert from_csv.households[0].draft.members == from_xlsx.households[0].draft.members
    assert from_xlsx.households[0].draft.name == "Şükrü Çağlayan"
    assert len(queries.caseload(services.views, date.today())) == 1


def test_addresses_without_coordinates_are_placed_from_the_map_or_left_for_a_person(
    services: Services,
) -> None:
    """A tagged door, then a street midpoint in the neighbourhood; an unknown street is listed to be
    placed by hand and is not imported until someone gives its position."""
    no_coordinates = ("", "")
    rows = [
        row(1, "Fatma Kalkavan", tc(61), where=no_coordinates, address="ÇANAKKALE CAD. No: 3/A"),
        row(2, "Ali Yılmaz", tc(62), where=no_coordinates, address="Tophane Mah. Cumhuriyet Cd. No:999"),
        row(3, "Zeynep Kaya", tc(63), where=no_coordinates, address="Uydurma Sokak No:3"),
    ]
    plan = run(services, csv_file(*rows), actor=IMPORTER)
    assert outcome(plan) == {2: "created", 3: "created", 4: "to_place"}
    assert [h.placed_by for h in plan.households] == ["address", "street", ""]
    placed = run(services, csv_file(*rows), actor=IMPORTER, placements={4: (41.0240, 40.5210)})
    assert outcome(placed) == {2: "unchanged", 3: "unchanged", 4: "created"}
    assert placed.households[2].placed_by == "hand"

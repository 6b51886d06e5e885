"""The parsers read every shared benchmark file and get the published facts right."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.instances import (
    instance_files,
    load_set,
    parse_cordeau,
    parse_cvrplib,
    parse_li_lim,
    parse_solomon,
    read_bks,
)


def test_every_solomon_file_parses_with_a_distance_best_known(shared_data: Path) -> None:
    """All 56 Solomon files give 100 customers and a best-known distance from bks_distance.csv."""
    instances = load_set("solomon", root=shared_data)
    assert len(instances) == 56
    assert all(i.num_customers == 100 and i.bks is not None for i in instances)


def test_c101_has_100_customers_25_vehicles_of_capacity_200(shared_data: Path) -> None:
    """C101's header and depot line are read as published: 25 vehicles × 200, depot open 0–1236."""
    c101 = parse_solomon(shared_data / "solomon" / "C101.txt")
    assert (c101.name, c101.num_customers, c101.num_vehicles, c101.capacity) == ("C101", 100, 25, 200)
    assert (c101.ready[0], c101.due[0], c101.coords[0]) == (0, 1236, (40, 50))


@pytest.mark.parametrize("size", [200, 400, 1000])
def test_every_gehring_homberger_file_has_its_folder_size(shared_data: Path, size: int) -> None:
    """Each of the 60 files of n200/n400/n1000 parses to exactly that many customers."""
    files = sorted((shared_data / "gehring_homberger" / f"n{size}").glob("*.txt"))
    assert len(files) == 60
    assert {parse_solomon(f).num_customers for f in files} == {size}


def test_gh1000_uses_the_truncated_dimacs_best_known_values(shared_data: Path) -> None:
    """The gh1000 set attaches a DIMACS best-known value to all 60 instances and truncates arcs."""
    instances = load_set("gh1000", root=shared_data)
    assert len(instances) == 60
    assert all(i.bks is not None and i.convention == "trunc1" for i in instances)


def test_every_li_lim_file_pairs_all_its_nodes(shared_data: Path) -> None:
    """Every Li & Lim node is in exactly one pickup–delivery pair whose loads cancel."""
    for instance in load_set("lilim", root=shared_data):
        nodes = [n for pair in instance.pairs for n in pair]
        assert sorted(nodes) == list(range(1, instance.num_customers + 1))
        assert all(instance.demands[p] == -instance.demands[d] > 0 for p, d in instance.pairs)
        assert instance.bks is not None


def test_cordeau_a2_16_has_16_requests_on_32_nodes(shared_data: Path) -> None:
    """a2-16: 2 vehicles of capacity 3, 16 requests (32 nodes), ride limit 30, route limit 480."""
    a = parse_cordeau(shared_data / "darp_cordeau" / "a2-16.txt")
    assert (a.num_vehicles, a.capacity, len(a.pairs), a.num_customers) == (2, 3, 16, 32)
    assert (a.max_ride_time, a.max_route_duration) == (30, 480)


def test_cordeau_files_with_requests_in_the_header_and_an_end_depot_read_alike(shared_data: Path) -> None:
    """a4-16 states n (not 2n) in its header and repeats the depot; n still comes from the node lines."""
    a = parse_cordeau(shared_data / "darp_cordeau" / "a4-16.txt")
    assert (len(a.pairs), a.num_customers, a.pairs[0]) == (16, 32, (1, 17))


def test_every_cordeau_file_parses_and_14_have_known_optima(shared_data: Path) -> None:
    """All 68 DARP files parse; exactly the 14 instances of bks.csv get a best-known value."""
    instances = load_set("darp", root=shared_data)
    assert len(instances) == 68
    known = {i.name: i.bks for i in instances if i.bks is not None}
    assert len(known) == 14
    assert known["a2-24"] == pytest.approx(431.1)


def test_every_cvrplib_file_parses_with_its_best_known_cost(shared_data: Path) -> None:
    """All 10 X instances parse with the depot first, and X-n101-k25's best-known cost is 27591."""
    instances = {i.name: i for i in load_set("cvrp", root=shared_data)}
    assert len(instances) == 10
    x = instances["X-n101-k25"]
    assert (x.num_customers, x.capacity, x.bks, x.demands[0]) == (100, 206, 27591, 0)


@pytest.mark.parametrize(
    ("parser", "text", "bad_line"),
    [
        (
            parse_solomon,
            "C1\n\nVEHICLE\nNUMBER CAPACITY\n 25 200\n\nCUSTOMER\nCUST NO.\n 0 1 2 0 0 9 0\n 1 x 2 1 0 9 1\n",
            10,
        ),
        (parse_li_lim, "2 10 1\n0 0 0 0 0 99 0 0 0\n1 1 1 5 0 99 1 0\n", 3),
        (parse_cordeau, "1 2 480 3 30\n0 0 0 0 0 0 1440\n1 1 1 3 1 0 1440\n2 2 2 3 1 0 1440\n", 4),
        (
            parse_cvrplib,
            "NAME : X\nEDGE_WEIGHT_TYPE : EUC_2D\nDIMENSION : 2\nCAPACITY : 5\nNODE_COORD_SECTION\n1 0\n",
            6,
        ),
    ],
)
def test_a_malformed_file_raises_value_error_naming_file_and_line(
    tmp_path: Path, parser: object, text: str, bad_line: int
) -> None:
    """A broken line is reported as `<file>:<line>` so it can be found without a debugger."""
    path = tmp_path / "broken.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"broken\.txt:{bad_line}:"):
        parser(path)  # type: ignore[operator]


def test_a_bks_table_with_a_non_number_names_its_line(tmp_path: Path) -> None:
    """A best-known table whose value is not a number raises ValueError naming the CSV line."""
    path = tmp_path / "bks.csv"
    path.write_text("instance,distance\nC101,828.94\nC102,n/a\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bks\.csv:3:"):
        read_bks(path, "distance")


def test_instance_files_are_found_for_every_set(shared_data: Path) -> None:
    """Each literature set resolves to a non-empty, sorted list of files under the shared data."""
    for name in ("solomon", "gh1000", "lilim", "darp", "cvrp"):
        files = instance_files(name, shared_data)
        assert files and files == sorted(files)

"""Dates, times, numbers, money and quantities as the issue asks: Turkish by default, English on request."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from api.formatting import (
    format_clock,
    format_date,
    format_datetime,
    format_decimal_places,
    format_money,
    format_number,
    format_quantity,
    format_time,
)


def test_turkish_formats_match_the_municipal_style() -> None:
    """`21.11.2026`, `14:30`, `6.148.000`, `1,5`, `51.000.000 TL`, `6.148.000 litre`."""
    assert format_date(date(2026, 11, 21)) == "21.11.2026"
    assert format_date(date(2026, 1, 5)) == "05.01.2026"
    assert format_time(time(14, 30)) == "14:30"
    assert format_number(6_148_000) == "6.148.000"
    assert format_decimal_places(1.5) == "1,5"
    assert format_money(51_000_000) == "51.000.000 TL"
    assert format_money(1234.5) == "1.234,50 TL"
    assert format_quantity(6_148_000, "litre") == "6.148.000 litre"
    assert format_quantity(26_749, "portion", unit_word="porsiyon") == "26.749 porsiyon"


def test_english_formats_group_with_commas_and_write_dates_day_first() -> None:
    """`21/11/2026`, `6,148,000`, `1.5`, `51,000,000 TL`, `6,148,000 litres`."""
    assert format_date(date(2026, 11, 21), "en") == "21/11/2026"
    assert format_number(6_148_000, "en") == "6,148,000"
    assert format_decimal_places(1.5, "en") == "1.5"
    assert format_money(51_000_000, "en") == "51,000,000 TL"
    assert format_quantity(6_148_000, "litre", "en") == "6,148,000 litres"


def test_moments_are_shown_in_istanbul_time() -> None:
    """11:30 UTC is 14:30 in Istanbul, and 22:30 UTC on the 21st is already the 22nd there."""
    assert format_time(datetime(2026, 11, 21, 11, 30, tzinfo=UTC)) == "14:30"
    assert format_datetime(datetime(2026, 11, 21, 22, 30, tzinfo=UTC)) == "22.11.2026 01:30"
    assert format_date(datetime(2026, 11, 21, 22, 30, tzinfo=UTC), "en") == "22/11/2026"
    assert format_clock(14 * 3600 + 30 * 60) == "14:30" and format_clock(None) == "–"

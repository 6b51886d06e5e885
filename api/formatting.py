"""Dates, times, numbers, money and quantities as the municipality writes them, in Istanbul time.

Turkish: `21.11.2026`, `14:30`, `6.148.000`, `1,5`, `51.000.000 TL`, `6.148.000 litre`; English: `21/11/2026`,
`14:30`, `6,148,000`, `1.5`, `51,000,000 TL`, `6,148,000 litres`. Babel supplies the CLDR digits and unit
words; the date pattern and money are fixed here because CLDR's defaults (`1.11.2026`, `₺51.000.000,00`)
are not how the offices write them.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from babel.units import format_unit

ISTANBUL = ZoneInfo("Europe/Istanbul")
LOCALES = {"tr": "tr_TR", "en": "en_GB"}
DATE_PATTERNS = {"tr": "{d:02d}.{m:02d}.{y:04d}", "en": "{d:02d}/{m:02d}/{y:04d}"}
# CLDR unit names for the programme units that have one; the others are words from the catalogue.
CLDR_UNITS = {"litre": "volume-liter", "kg": "mass-kilogram"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["tr"])


def format_date(day: date, lang: str = "tr") -> str:
    """`21.11.2026` (tr) or `21/11/2026` (en); a moment is first taken to Istanbul's calendar day."""
    if isinstance(day, datetime):
        day = day.astimezone(ISTANBUL).date() if day.tzinfo else day.date()
    return DATE_PATTERNS.get(lang, DATE_PATTERNS["tr"]).format(d=day.day, m=day.month, y=day.year)


def format_time(moment: datetime | time, lang: str = "tr") -> str:
    """`14:30` on the 24-hour clock in both languages; an aware moment is shown in Istanbul time."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(ISTANBUL)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime, lang: str = "tr") -> str:
    """`21.11.2026 14:30` in Istanbul time."""
    return f"{format_date(moment, lang)} {format_time(moment, lang)}"


def format_clock(seconds: int | None) -> str:
    """Seconds from local midnight as `14:30` (`–` when unknown)."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def format_number(value: int | float, lang: str = "tr") -> str:
    """Whole numbers with thousands grouped: `6.148.000` (tr), `6,148,000` (en)."""
    return format_decimal(value, format="#,##0", locale=_locale(lang))


def format_decimal_places(value: float, lang: str = "tr", places: int = 1) -> str:
    """`1,5` (tr), `1.5` (en), with exactly `places` decimals."""
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(value, format=pattern, locale=_locale(lang))


def format_money(amount: int | float, lang: str = "tr") -> str:
    """Lira as the municipality's reports write them: `51.000.000 TL`; kuruş only when there are some."""
    whole = float(amount).is_integer()
    text = format_number(amount, lang) if whole else format_decimal_places(amount, lang, 2)
    return f"{text} TL"


def format_quantity(amount: int | float, unit: str, lang: str = "tr", unit_word: str | None = None) -> str:
    """`6.148.000 litre` / `6,148,000 litres`; units CLDR does not know use `unit_word` (from the
    catalogue, e.g. `porsiyon`) after the grouped number."""
    cldr = CLDR_UNITS.get(unit)
    if cldr is not None:
        return format_unit(amount, cldr, length="long", locale=_locale(lang))
    number = (
        format_number(amount, lang) if float(amount).is_integer() else format_decimal_places(amount, lang)
    )
    return f"{number} {unit_word or unit}"

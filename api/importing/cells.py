"""Reading one cell the way Turkish offices write it: dates, T.C. numbers, phones, programmes and needs."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from api.importing.readers import Cell
from domain.errors import N_, InvalidValue
from domain.programmes import CATALOGUE, Programme
from domain.values import Member, Need, is_valid_tc_kimlik
from maps.geocode import fold

_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:\s.*)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_MEMBER = re.compile(r"^(.*?)[\s:(,-]+(\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*\)?$")
_LIST_SPLIT = re.compile(r"\s*(?:[,;/+\n]|\bve\b)\s*")

PROGRAMME_WORDS: dict[str, Programme] = {
    **{fold(spec.title_tr): p for p, spec in CATALOGUE.items()},
    **{fold(p.value): p for p in Programme},
    "sicak yemek": Programme.HOT_MEAL,
    "yemek": Programme.HOT_MEAL,
    "asevi": Programme.HOT_MEAL,
    "sut": Programme.MILK,
    "sut kuzusu": Programme.MILK,
    "gida kolisi": Programme.FOOD_PARCEL,
    "gida paketi": Programme.FOOD_PARCEL,
    "gida": Programme.FOOD_PARCEL,
    "colyak": Programme.GLUTEN_FREE,
    "colyak destegi": Programme.GLUTEN_FREE,
    "glutensiz": Programme.GLUTEN_FREE,
    "glutensiz koli": Programme.GLUTEN_FREE,
    "gluten free": Programme.GLUTEN_FREE,
    "engelsiz ulasim": Programme.ACCESSIBLE_TRANSPORT,
    "ulasim": Programme.ACCESSIBLE_TRANSPORT,
}
# Word stems (folded), matched at the start of a word so Turkish suffixes still match ("engelli").
NEED_STEMS: tuple[tuple[str, Need], ...] = (
    ("colyak", Need.COELIAC),
    ("glutensiz", Need.COELIAC),
    ("coeliac", Need.COELIAC),
    ("celiac", Need.COELIAC),
    ("diyabet", Need.DIABETIC),
    ("seker hasta", Need.DIABETIC),
    ("diabet", Need.DIABETIC),
    ("tekerlekli sandalye", Need.WHEELCHAIR_USER),
    ("wheelchair", Need.WHEELCHAIR_USER),
    ("yatalak", Need.BEDRIDDEN),
    ("bedridden", Need.BEDRIDDEN),
    ("engel", Need.DISABILITY),
    ("disab", Need.DISABILITY),
)
NEED_WORDS_TR = {
    Need.COELIAC: "çölyak",
    Need.DIABETIC: "diyabet",
    Need.WHEELCHAIR_USER: "tekerlekli sandalye",
    Need.BEDRIDDEN: "yatalak",
    Need.DISABILITY: "engelli",
}
_NOTHING = frozenset({"", "yok", "none", "hayir", "no"})
HEAD_WORDS = frozenset(
    {"hane reisi", "reis", "kendisi", "basvuran", "basvuru sahibi", "head", "self", "applicant"}
)


def text(cell: Cell) -> str:
    """A cell as text: whole numbers without ".0" (Excel stores T.C. numbers and phones as numbers)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.strftime("%d.%m.%Y")
    return str(cell).strip()


def parse_day(field: str, cell: Cell) -> date | None:
    """`21.11.2026`, `21/11/2026`, `2026-11-21`, an Excel date cell or serial number; None when empty."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return _serial(field, int(cell))
    raw = text(cell)
    if not raw:
        return None
    try:
        if match := _DMY.match(raw):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO.match(raw):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidValue(field, N_("{raw!r}: no such day"), raw=raw) from None
    if raw.isdigit():
        return _serial(field, int(raw))
    raise InvalidValue(field, N_("{raw!r} is not a date, e.g. 21.11.2026"), raw=raw)


def _serial(field: str, number: int) -> date:
    if not 1 <= number <= 80_000:
        raise InvalidValue(field, N_("{number} is not a date"), number=number)
    return _EXCEL_EPOCH + timedelta(days=number)


def parse_national_id(cell: Cell) -> str:
    raw = re.sub(r"\s", "", text(cell))
    if not raw:
        return ""
    if not is_valid_tc_kimlik(raw):
        raise InvalidValue("national_id", N_("{raw!r} is not a valid T.C. kimlik number"), raw=raw)
    return raw


def parse_phone(cell: Cell) -> str:
    """Turkish numbers written any way ("5321234567", "+90 532 123 45 67") as "0532 123 45 67"."""
    raw = text(cell)
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 12 and digits.startswith("90"):
        digits = "0" + digits[2:]
    if len(digits) == 10 and not digits.startswith("0"):
        digits = "0" + digits
    if len(digits) != 11 or not digits.startswith("0") or re.search(r"[^0-9 ()+\-./]", raw):
        raise InvalidValue("phone", N_("{raw!r} is not a phone number, e.g. 0532 123 45 67"), raw=raw)
    return f"{digits[:4]} {digits[4:7]} {digits[7:9]} {digits[9:]}"


def parse_programmes(cell: Cell) -> list[Programme]:
    """One or more programmes by Turkish name or code: "Sıcak yemek", "Süt Kuzusu, gıda kolisi", "milk"."""
    found: list[Programme] = []
    for part in _LIST_SPLIT.split(text(cell)):
        key = fold(part)
        if key in _NOTHING:
            continue
        if key not in PROGRAMME_WORDS:
            names = ", ".join(spec.title_tr for spec in CATALOGUE.values())
            raise InvalidValue(
                "programme", N_("{part!r}: unknown programme ({names})"), part=part, names=names
            )
        if PROGRAMME_WORDS[key] not in found:
            found.append(PROGRAMME_WORDS[key])
    return found


def parse_needs(cell: Cell) -> tuple[set[Need], list[str]]:
    """Needs named in the cell, and the words that name none (reported, not fatal)."""
    needs: set[Need] = set()
    unknown: list[str] = []
    for part in _LIST_SPLIT.split(text(cell)):
        key = fold(part)
        if key in _NOTHING:
            continue
        hits = {need for stem, need in NEED_STEMS if re.search(rf"\b{stem}", key)}
        if hits:
            needs |= hits
        else:
            unknown.append(part)
    return needs, unknown


def parse_members(cell: Cell) -> list[Member]:
    """`Elif (01.06.1994); Can (10.02.2025)` or `Elif:1994-06-01, Can:2025-02-10`."""
    members = []
    for index, part in enumerate(p for p in re.split(r"\s*[;\n]\s*|,\s*(?=\D)", text(cell)) if p.strip()):
        match = _MEMBER.match(part.strip())
        if not match or not match[1].strip():
            raise InvalidValue(
                f"members[{index}]",
                N_("{part!r} should be NAME (DD.MM.YYYY)"),
                part=part,
            )
        born = parse_day(f"members[{index}].birth_date", match[2])
        assert born is not None
        members.append(Member(match[1].strip(), born))
    return members


def parse_coordinate(field: str, cell: Cell) -> float | None:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    raw = text(cell).replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InvalidValue(field, N_("{raw!r} is not a number"), raw=raw) from None


def is_head(cell: Cell) -> bool:
    """Whether a relation cell marks the household's head (or is blank)."""
    key = fold(text(cell))
    return not key or key in HEAD_WORDS

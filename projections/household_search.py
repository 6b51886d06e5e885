"""Finding a household by a fragment of its contact's name or phone, with Turkish case rules.

`cl_contacts` keeps each name folded (`Işık` → `ışık`) and without Turkish letters (`isik`): a query that
uses Turkish letters matches exactly those letters (`ılık` finds `Ilık`, not `İlik`); one typed on a
keyboard without them matches either spelling (`isik` finds `Işık` and `Isik`). Digits match the phone.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from uuid import UUID

from domain import turkish
from domain.errors import N_, InvalidValue
from projections.sql import ViewDatabase

MIN_QUERY = 2
MIN_PHONE_DIGITS = 3
LIMIT = 50


@dataclass(frozen=True)
class HouseholdMatch:
    household_id: UUID
    name: str
    phone: str
    address: str
    district: str
    neighbourhood: str


def _like(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _condition(query: str) -> tuple[str, str]:
    """The column to match and the pattern for `query`."""
    digits = "".join(c for c in query if c.isdigit())
    if not any(c.isalpha() for c in query):
        if len(digits) < MIN_PHONE_DIGITS:
            raise InvalidValue("q", N_("give at least {count} digits of the phone"), count=MIN_PHONE_DIGITS)
        return "c.phone_digits", _like(digits)
    if turkish.has_turkish_letters(query):
        return "c.name_folded", _like(turkish.casefold(query))
    return "c.name_ascii", _like(turkish.ascii_fold(query))


def search_households(db: ViewDatabase, query: str, limit: int = LIMIT) -> list[HouseholdMatch]:
    """Households whose contact name or phone contains `query`, in Turkish alphabetical order."""
    query = query.strip()
    if len(query) < MIN_QUERY:
        raise InvalidValue("q", N_("type at least {count} letters or digits"), count=MIN_QUERY)
    column, pattern = _condition(query)
    rows = db.query(
        "SELECT c.household_id, c.name, c.phone, c.address_text, h.district, h.neighbourhood "
        "FROM cl_contacts c JOIN cl_households h ON h.household_id=c.household_id "
        f"WHERE {column} LIKE ? ESCAPE '\\'",
        (pattern,),
    )
    matches = [HouseholdMatch(UUID(ident), *rest) for ident, *rest in rows]
    return heapq.nsmallest(limit, matches, key=lambda m: (turkish.sort_key(m.name), m.household_id.hex))

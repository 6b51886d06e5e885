"""Value objects shared by the aggregates: who acted, where a place is, who lives in a household."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import N_, InvalidValue

# Türkiye's bounding box with a margin: coordinates outside it are typing mistakes, not households.
_TURKEY_LAT = (35.5, 42.5)
_TURKEY_LON = (25.5, 45.0)
_OLDEST_BIRTH = date(1900, 1, 1)


# What every erased personal field reads as (crypto-shredding: the key that sealed it is gone).
ERASED = "[silindi]"


class LegalBasis(StrEnum):
    """Why personal data is erased (KVKK, law 6698)."""

    KVKK_ARTICLE_7 = "kvkk_article_7"  # madde 7: the conditions for processing no longer exist
    PURPOSE_ENDED = "purpose_ended"  # the purpose of processing ended (retention period over)
    DATA_SUBJECT_REQUEST = "data_subject_request"  # madde 11: the person asked for erasure


class Role(StrEnum):
    """The roles of the people who use Kapıda; commands check them."""

    CASEWORKER = "caseworker"
    DISPATCHER = "dispatcher"
    DRIVER = "driver"
    MANAGER = "manager"
    ADMIN = "admin"
    SYSTEM = "system"


class Channel(StrEnum):
    """How an application reached the municipality."""

    CALL_CENTRE = "call_centre_153"
    WHATSAPP = "whatsapp"
    WEB = "web"
    WALK_IN = "walk_in"
    # Moved over from the list an office kept before Kapıda (`kapida import households`).
    IMPORT = "import"


class Need(StrEnum):
    """Health and care needs that change what is delivered and how (special-category data under KVKK)."""

    COELIAC = "coeliac"
    DIABETIC = "diabetic"
    WHEELCHAIR_USER = "wheelchair_user"
    BEDRIDDEN = "bedridden"
    DISABILITY = "disability"


@dataclass(frozen=True)
class Actor:
    """Who issued a command and in which role; recorded on every event for the audit trail."""

    user: str
    role: Role

    def __post_init__(self) -> None:
        if not self.user.strip():
            raise InvalidValue("actor", N_("the acting user's name is empty"))
        object.__setattr__(self, "role", Role(self.role))


@dataclass(frozen=True)
class GeoPoint:
    """A WGS84 position (degrees) inside Türkiye."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        for name, value, (low, high) in (("lat", self.lat, _TURKEY_LAT), ("lon", self.lon, _TURKEY_LON)):
            if not isinstance(value, int | float) or math.isnan(value):
                raise InvalidValue(f"location.{name}", N_("{value!r} is not a number"), value=value)
            if not low <= value <= high:
                raise InvalidValue(
                    f"location.{name}",
                    N_("{value} is outside Türkiye ({low}..{high})"),
                    value=value,
                    low=low,
                    high=high,
                )


@dataclass(frozen=True)
class Member:
    """A person living in the household; the birth date drives age-based eligibility."""

    name: str
    birth_date: date

    def age_on(self, day: date) -> int:
        """Completed years on `day`."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)

    def age_in_months_on(self, day: date) -> int:
        """Completed months on `day` (milk eligibility is counted in months)."""
        months = (day.year - self.birth_date.year) * 12 + day.month - self.birth_date.month
        return months - int(day.day < self.birth_date.day)


@dataclass(frozen=True)
class PersonalDetails:
    """The household's identifying data, kept apart so it can be encrypted and erased (KVKK)."""

    name: str
    phone: str
    address_text: str
    national_id: str = ""

    @classmethod
    def erased(cls) -> PersonalDetails:
        """What a household's details read as once its key was destroyed."""
        return cls(ERASED, ERASED, ERASED, "")


_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def check_personal_details(details: PersonalDetails) -> None:
    """Refuse personal details a caseworker could not call or visit with."""
    if not details.name.strip():
        raise InvalidValue("name", N_("the household's contact name is empty"))
    if not _PHONE.match(details.phone) or sum(c.isdigit() for c in details.phone) < 10:
        raise InvalidValue(
            "phone",
            N_("{phone!r} is not a phone number (10+ digits, e.g. 0532 123 45 67)"),
            phone=details.phone,
        )
    if not details.address_text.strip():
        raise InvalidValue("address", N_("the address text is empty"))
    if details.national_id and not is_valid_tc_kimlik(details.national_id):
        raise InvalidValue(
            "national_id",
            N_("{national_id!r} is not a valid T.C. kimlik number"),
            national_id=details.national_id,
        )


def check_members(members: tuple[Member, ...], today: date) -> None:
    """A household has at least one member, each born between 1900 and today."""
    if not members:
        raise InvalidValue("members", N_("a household has at least one member"))
    for index, member in enumerate(members):
        if not member.name.strip():
            raise InvalidValue(f"members[{index}].name", N_("the member's name is empty"))
        if not _OLDEST_BIRTH <= member.birth_date <= today:
            raise InvalidValue(
                f"members[{index}].birth_date",
                N_("{birth_date} is not between 1900-01-01 and today"),
                birth_date=member.birth_date,
            )


def is_valid_tc_kimlik(number: str) -> bool:
    """T.C. kimlik numbers have 11 digits, no leading zero, and two check digits (the official rule)."""
    if len(number) != 11 or not number.isdigit() or number[0] == "0":
        return False
    digits = [int(c) for c in number]
    odd, even = sum(digits[0:9:2]), sum(digits[1:8:2])
    return (odd * 7 - even) % 10 == digits[9] and sum(digits[:10]) % 10 == digits[10]


def check_area_name(field: str, value: str) -> str:
    """District and neighbourhood names are required for caseload reports by area."""
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidValue(field, N_("is empty"))
    return cleaned

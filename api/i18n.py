"""One source of translations: the gettext catalogues in `api/locale`, read at run time through Babel.

Source strings are English msgids (errors marked `N_` in the domain, CLI and report texts marked `_`);
page texts are keyed (`dispatcher.heading`, the msgctxt) with their English source in `api/page_messages`.
Turkish is the default; English is chosen per user, by `Accept-Language`, or by `KAPIDA_LANG`.
Regenerate after changing texts: `make messages` (pybabel extract + update; see README).
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from api.formatting import format_date, format_datetime, format_time
from api.page_messages import PAGE_MESSAGES
from domain.errors import DomainError, Listed, Phrase, Term

LANGUAGES = ("tr", "en")
DEFAULT_LANGUAGE = "tr"
LANG_VARIABLE = "KAPIDA_LANG"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kapida"
# The language of the request being answered or the CLI run (None: `KAPIDA_LANG`, else Turkish); set by the
# web app per request and by `kapida --lang`, read by code deep inside (the import's row problems).
CURRENT: ContextVar[str | None] = ContextVar("kapida_language", default=None)
# Enumerations shown inside messages and tables use the pages' label families (`programme.milk`, ...).
ENUM_PREFIXES = {
    "Programme": "programme",
    "Round": "round",
    "Outcome": "outcome",
    "FailureReason": "failure",
    "Need": "need",
    "Role": "role",
    "PlanStatus": "status",
    "ApplicationStatus": "application_status",
    "StopKind": "kind",
    "Channel": "channel",
    "Cadence": "cadence",
    "Duty": "duty",
}


def _(message: str) -> str:
    """Marks a CLI or report text for extraction; `Translator.gettext` translates it where it is shown."""
    return message


def normalize(lang: str | None) -> str | None:
    """`tr`, `tr-TR`, `EN_gb` → a supported language code; None when unsupported or empty."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else None


def default_language() -> str:
    """`KAPIDA_LANG` when it names a supported language, else Turkish."""
    return normalize(os.environ.get(LANG_VARIABLE)) or DEFAULT_LANGUAGE


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (`en-US,en;q=0.9,tr;q=0.8` → `en`)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        code = normalize(tag)
        if code and quality > 0:
            ranked.append((-quality, index, code))
    return min(ranked)[2] if ranked else None


@cache
def catalogue(lang: str) -> dict[tuple[str | None, str], str]:
    """(context, msgid) → translation for `lang`; untranslated and fuzzy entries are left out."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    translations: dict[tuple[str | None, str], str] = {}
    for message in parsed:
        text, fuzzy = message.string, message.fuzzy
        if message.id and isinstance(message.id, str) and isinstance(text, str) and text and not fuzzy:
            translations[(message.context, message.id)] = text
    return translations


class Translator:
    """Texts, labels and error messages in one language; missing translations fall back to English."""

    def __init__(self, lang: str) -> None:
        self.lang = normalize(lang) or DEFAULT_LANGUAGE
        self._texts = catalogue(self.lang)

    def gettext(self, message: str) -> str:
        return self._texts.get((None, message), message)

    def page(self, key: str) -> str:
        """A page text by key (`status.published`), or the key itself when no page uses it."""
        english = PAGE_MESSAGES.get(key)
        return key if english is None else self._texts.get((key, english), english)

    def label(self, value: Enum | str, prefix: str | None = None) -> str:
        """An enumerated value's word (`milk` → `Süt Kuzusu`), as the pages show it; raw when unknown."""
        prefix = prefix or ENUM_PREFIXES.get(type(value).__name__, "")
        raw = value.value if isinstance(value, Enum) else value
        key = f"{prefix}.{raw}"
        return self.page(key) if key in PAGE_MESSAGES else str(raw)

    def param(self, value: object) -> object:
        """A message parameter as this language shows it: words translated, dates in local format."""
        if isinstance(value, Term):
            return self.gettext(value)
        if isinstance(value, Listed):
            return value.separator.join(str(self.param(item)) for item in value)
        if isinstance(value, Phrase):
            return value.render(self.gettext, self.param)
        if isinstance(value, Enum) and type(value).__name__ in ENUM_PREFIXES:
            return self.label(value)
        if isinstance(value, datetime):
            return format_datetime(value, self.lang)
        if isinstance(value, date):
            return format_date(value, self.lang)
        if isinstance(value, time):
            return format_time(value, self.lang)
        return value

    def problem(self, error: DomainError) -> str:
        """A refusal's text without its field name (for tables that show the field in a column)."""
        return DomainError.render(error, self.gettext, self.param)

    def error(self, error: DomainError) -> str:
        """A domain refusal in this language, with its field name kept as the API spells it."""
        return error.render(self.gettext, self.param)

    def pages(self) -> dict[str, str]:
        """Every page text in this language, by key: what `GET /i18n/{lang}.json` serves."""
        return {key: self.page(key) for key in PAGE_MESSAGES}


def translator(lang: str | None = None) -> Translator:
    """The translator for `lang` (default: the request's or CLI run's, else `KAPIDA_LANG`, else tr)."""
    return _translator(normalize(lang) or normalize(CURRENT.get()) or default_language())


@cache
def _translator(lang: str) -> Translator:
    return Translator(lang)

"""The gettext catalogues are complete and current, and every refusal reads well in Turkish and English."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.i18n import LOCALE_DIR, from_accept_language, normalize, translator
from api.page_messages import PAGE_MESSAGES
from domain.errors import N_, Conflict, IllegalTransition, InvalidValue, NotFound, Term
from domain.programmes import Programme
from tests.conftest import REPO_ROOT

KEYWORDS = {"N_": None, "_": None, "P_": ((1, "c"), 2)}
PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?\}")


def po(lang: str) -> list[tuple[str | None, str, str, bool]]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "kapida.po").open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    return [(m.context, str(m.id), str(m.string), m.fuzzy) for m in catalogue if m.id]


def extracted() -> set[tuple[str | None, str]]:
    """What `make messages` would extract from the code now (the same Babel extractor and keywords)."""
    found: set[tuple[str | None, str]] = set()
    for package in ("domain", "projections", "api"):
        method_map = [("**.py", "python")]
        for _file, _line, message, _comments, context in extract_from_dir(
            Path(REPO_ROOT) / package, method_map, keywords=KEYWORDS
        ):
            found.add((context, message if isinstance(message, str) else message[0]))
    return found


def test_every_text_in_the_code_is_in_the_catalogues() -> None:
    """No text marked N_/_/P_ in the code is missing from tr.po or en.po (`make messages` was run)."""
    wanted = extracted()
    assert len(wanted) > 400
    for lang in ("tr", "en"):
        held = {(context, msgid) for context, msgid, _, _ in po(lang)}
        assert sorted(wanted - held, key=str) == [], f"run `make messages` ({lang})"


def test_every_turkish_entry_is_translated_and_none_is_fuzzy() -> None:
    """Each msgid has a Turkish text, no entry is marked fuzzy, and placeholders survive translation."""
    entries = po("tr")
    assert [(c, m) for c, m, text, _ in entries if not text.strip()] == []
    assert [(c, m) for c, m, _, fuzzy in entries if fuzzy] == []
    broken = [m for _, m, text, _ in entries if set(PLACEHOLDER.findall(m)) != set(PLACEHOLDER.findall(text))]
    assert broken == []


def test_the_field_words_of_the_glossary_are_used() -> None:
    """Hane, başvuru, hak sahipliği, sıcak yemek, Süt Kuzusu: the Turkish texts use the field's own words."""
    texts = " ".join(text for _, _, text, _ in po("tr")).lower()
    for word in ("hane", "başvuru", "hak sahipliği", "sıcak yemek", "süt kuzusu", "sosyal inceleme"):
        assert word in texts, word


def test_a_refusal_renders_in_turkish_and_english_and_stays_english_in_logs() -> None:
    """The template is translated and its parameters shown the language's way (dates, programme names)."""
    error = InvalidValue(
        "end_date",
        N_("{end_date} is before the start date {start_date}"),
        end_date=date(2026, 11, 1),
        start_date=date(2026, 11, 21),
    )
    assert str(error) == "end_date: 2026-11-01 is before the start date 2026-11-21"
    assert (
        translator("tr").error(error)
        == "end_date: 01.11.2026 başlangıç tarihi olan 21.11.2026 tarihinden önce"
    )
    assert translator("en").error(error) == "end_date: 01/11/2026 is before the start date 21/11/2026"
    clash = Conflict(
        N_("household {id} is already enrolled in {programme}"), id="h1", programme=Programme.MILK
    )
    assert translator("tr").error(clash) == "h1 hanesi zaten Süt Kuzusu hak sahibi"
    assert translator("en").error(clash) == "household h1 is already enrolled in Milk programme"


def test_words_inside_messages_are_translated_too() -> None:
    """NotFound's kind and a verb passed as a `Term` read in the reader's language."""
    assert translator("tr").error(NotFound(N_("household"), "h1")) == "hane bulunamadı: h1"
    assert translator("en").error(NotFound(N_("household"), "h1")) == "household h1 not found"
    late = IllegalTransition(
        N_("cannot {verb} enrolment {id}: it ended on {end_date}"),
        verb=Term(N_("suspend")),
        id="e1",
        end_date=date(2026, 3, 1),
    )
    assert (
        translator("tr").error(late)
        == "e1 hak sahipliğinde askıya alma yapılamaz: 01.03.2026 tarihinde sona erdi"
    )


def test_a_message_nobody_translated_yet_falls_back_to_english() -> None:
    """A refusal written after the last `make messages` still reads, in English."""
    assert translator("tr").error(Conflict("brand new {thing}", thing="x")) == "brand new x"


def test_languages_are_chosen_from_codes_and_accept_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """`tr-TR`, `EN_gb` and browser preferences with q-values pick a supported language; Turkish is the
    default unless `KAPIDA_LANG` says otherwise."""
    assert (normalize("tr-TR"), normalize("EN_gb"), normalize("de"), normalize(None)) == (
        "tr",
        "en",
        None,
        None,
    )
    assert from_accept_language("de-DE,en;q=0.8,tr;q=0.9") == "tr"
    assert from_accept_language("en-US,en;q=0.9") == "en"
    assert from_accept_language("de, fr;q=0.5") is None
    monkeypatch.delenv("KAPIDA_LANG", raising=False)
    assert translator().lang == "tr"
    monkeypatch.setenv("KAPIDA_LANG", "en")
    assert translator().lang == "en"


def test_page_texts_come_in_both_languages_from_the_same_catalogue() -> None:
    """Every page key has a Turkish and an English text; the English one is the source in the code."""
    tr, en = translator("tr").pages(), translator("en").pages()
    assert set(tr) == set(en) == set(PAGE_MESSAGES)
    assert en == PAGE_MESSAGES
    assert tr["dispatcher.heading"] == "Günlük rota planı" and tr["programme.hot_meal"] == "Sıcak yemek"


def test_every_cli_help_text_is_in_the_catalogues_and_translated() -> None:
    """Each command's, option's and argument's help in the `kapida` tree (and the --help option's and
    panels' words) is in the template and both catalogues, with a Turkish text: a new command without
    its translation fails here. Run `make messages` and translate the new entries."""
    from api.cli import command_tree
    from api.cli_help import help_texts

    texts = help_texts(command_tree())
    assert len(texts) > 150
    with (LOCALE_DIR / "kapida.pot").open("rb") as handle:
        template = {str(m.id) for m in read_po(handle) if m.id}
    turkish = {msgid: text for context, msgid, text, _ in po("tr") if context is None}
    english = {msgid for context, msgid, _, _ in po("en") if context is None}
    assert [t for t in texts if t not in template] == [], "run `make messages`"
    assert [t for t in texts if t not in english] == [], "run `make messages` (en)"
    assert [t for t in texts if not turkish.get(t, "").strip()] == [], "translate these in tr"


def test_a_refused_stop_move_names_the_broken_rules_in_turkish_and_english() -> None:
    """Routing names each broken rule by a code; the refusal words it in the reader's language."""
    from api.planning.problem import LIFT
    from api.planning.service import broken_order
    from routing import evaluate as rules
    from routing.evaluate import Violation, evaluate_route
    from tests.routing.test_evaluate import problem

    late = evaluate_route(problem(capacity=10), 1, [0, 1, 2]).broken
    refusal = broken_order(
        [
            *late,
            Violation(rules.MISSING_SKILLS, "h1/dropoff", skills=(LIFT,)),
            Violation(rules.AFTER_SHIFT, end_s=61200),
        ]
    )
    assert str(refusal) == (
        "this order breaks: stop c: arrives after its time window closes; "
        "stop h1/dropoff: needs a wheelchair lift; the route ends after the shift (17:00)"
    )
    assert translator("en").error(refusal) == (
        "this order breaks: stop c: arrives after its time window closes; "
        "stop h1/dropoff: needs a wheelchair lift; the route ends after the shift (17:00)"
    )
    assert translator("tr").error(refusal) == (
        "bu sıra kurallara uymuyor: c durağı: zaman aralığı kapandıktan sonra varılıyor; "
        "h1/dropoff durağı: tekerlekli sandalye asansörü gerekiyor; "
        "rota vardiya bittikten sonra sona eriyor (17:00)"
    )

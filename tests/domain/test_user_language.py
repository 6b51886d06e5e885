"""A person's interface language is a choice recorded on their account, by them or by an administrator."""

from __future__ import annotations

import pytest

from api.bootstrap import Services
from domain.errors import InvalidValue, PermissionDenied
from domain.values import Actor, Role
from tests.dispatch_builders import ADMIN


def test_a_user_chooses_a_language_once_and_a_repeat_records_nothing(services: Services) -> None:
    """`LanguageChanged` carries the choice and the actor; choosing the same language again adds no event;
    another language or none is refused naming `language`."""
    app = services.app
    app.add_user("ayse.yilmaz", "Ayşe Yılmaz", Role.CASEWORKER, "hash", ADMIN)
    ayse = Actor("ayse.yilmaz", Role.CASEWORKER)
    assert app.user("ayse.yilmaz").language is None
    app.change_language("ayse.yilmaz", "en", ayse)
    app.change_language("ayse.yilmaz", "en", ayse)
    events = app.events_of(app.user("ayse.yilmaz").id)
    assert [type(e).__name__ for e in events] == ["Registered", "LanguageChanged"]
    assert app.user("ayse.yilmaz").language == "en" and events[-1].actor == ayse
    with pytest.raises(InvalidValue) as refused:
        app.change_language("ayse.yilmaz", "de", ayse)
    assert refused.value.field == "language"


def test_only_an_administrator_sets_someone_elses_language(services: Services) -> None:
    """A caseworker may not change a colleague's language; the administrator may."""
    app = services.app
    app.add_user("ayse.yilmaz", "Ayşe Yılmaz", Role.CASEWORKER, "hash", ADMIN)
    app.add_user("elif.aydin", "Elif Aydın", Role.CASEWORKER, "hash", ADMIN)
    with pytest.raises(PermissionDenied):
        app.change_language("elif.aydin", "en", Actor("ayse.yilmaz", Role.CASEWORKER))
    app.change_language("elif.aydin", "en", ADMIN)
    assert app.user("elif.aydin").language == "en"

"""What the CLI tests share: a fresh SQLite store and a caseworker acting, named by the environment."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cli_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`kapida` commands run against a new store as ayse.yilmaz (caseworker), Turkish by default, with
    tables wide enough not to fold, so their words can be checked."""
    path = tmp_path / "kapida.sqlite"
    monkeypatch.setenv("KAPIDA_DB", str(path))
    monkeypatch.setenv("KAPIDA_ACTOR", "ayse.yilmaz")
    monkeypatch.setenv("KAPIDA_ROLE", "caseworker")
    monkeypatch.delenv("KAPIDA_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return path

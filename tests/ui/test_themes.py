"""Bundled themes load into Textual themes, define Khabar's variables, and bad user themes are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.errors import ConfigError
from reader.ui.themes import load_themes, theme_from_toml

NEEDED = {"entity-person", "entity-org", "entity-loc", "entity-date", "search-hit"}


def test_bundled_themes() -> None:
    themes, problems = load_themes()
    assert problems == []
    names = {t.name for t in themes}
    assert {"khabar-dark", "khabar-light", "khabar-contrast", "khabar-sepia"} <= names
    for theme in themes:
        assert set(theme.variables) >= NEEDED, theme.name
    assert {t.name: t.dark for t in themes}["khabar-light"] is False


def test_user_theme_added_and_broken_one_reported(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#123456"\n', encoding="utf-8")
    (tmp_path / "broken.toml").write_text('name = "broken"\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a theme", encoding="utf-8")
    themes, problems = load_themes(tmp_path)
    assert "mine" in {t.name for t in themes}
    assert problems == ["theme broken.toml: needs a primary colour"]


def test_invalid_theme_files() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        theme_from_toml("name = ", source="x.toml")
    with pytest.raises(ConfigError, match="needs a name"):
        theme_from_toml('primary = "#fff"', source="x.toml")
    with pytest.raises(ConfigError, match="variables"):
        theme_from_toml('name = "x"\nprimary = "#fff"\nvariables = 3', source="x.toml")

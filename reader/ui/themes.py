"""Themes are data: TOML files in the bundled ``themes/`` folder and the user's themes folder become
Textual ``Theme`` objects. Colours used by Khabar's own widgets (entity kinds, search hits) are theme
variables, referenced from ``app.tcss``; nothing in Python hard-codes a colour."""

from __future__ import annotations

import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from textual.theme import Theme

from reader.errors import ConfigError
from reader.resources import data_dir

_COLOUR_KEYS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
                "success", "warning", "error", "boost")


def theme_from_toml(text: str, *, source: str) -> Theme:
    """Parse one theme file; raises ConfigError naming the file and the problem."""
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"theme {source}: not valid TOML: {exc}") from None
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"theme {source}: needs a name")
    if not isinstance(data.get("primary"), str):
        raise ConfigError(f"theme {source}: needs a primary colour")
    colours = {key: data[key] for key in _COLOUR_KEYS if isinstance(data.get(key), str)}
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise ConfigError(f"theme {source}: [variables] must map names to colour strings")
    try:
        return Theme(name=name, dark=bool(data.get("dark", True)), variables=dict(variables), **colours)
    except Exception as exc:  # Textual validates colours lazily and raises various errors
        raise ConfigError(f"theme {source}: {exc}") from None


def _files(folder: Traversable | Path) -> list[Traversable | Path]:
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def load_themes(user_dir: Path | None = None) -> tuple[list[Theme], list[str]]:
    """Bundled themes then the user's (a user theme may replace a bundled one of the same name).
    Returns (themes, problems): a broken user theme is reported, never fatal."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    folders: list[Traversable | Path] = [data_dir("themes")]
    if user_dir is not None:
        folders.append(user_dir)
    for folder in folders:
        for file in _files(folder):
            try:
                theme = theme_from_toml(file.read_text(encoding="utf-8"), source=file.name)
            except (ConfigError, OSError, UnicodeDecodeError) as exc:
                problems.append(str(exc))
                continue
            themes[theme.name] = theme
    return list(themes.values()), problems

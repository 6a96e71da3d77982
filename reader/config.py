"""Settings: one TOML file, validated into a frozen dataclass, and the paths Khabar uses.

The config file lives in the platform's config directory (platformdirs), the archive and the UI state file
in its data directory. ``--home DIR`` or ``KHABAR_HOME`` relocates all three into one folder, which is how
tests and the quick start keep their own archive. The app never rewrites the config file: choices made in
the UI (theme, last source) go to the state file beside the archive.

Every key is documented with its default in ``DEFAULTS_DOC`` (and the README). Unknown keys produce
warnings; a bad value raises ``ConfigError`` naming the key and the reason.
"""

from __future__ import annotations

import itertools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from reader.errors import ConfigError

APP_NAME = "khabar"
BIDI_MODES = ("auto", "app", "terminal", "off")
BASE_DIRECTIONS = ("auto", "rtl", "ltr")
LAYOUTS = ("ltr", "rtl")


@dataclass(frozen=True, slots=True)
class Paths:
    """Where Khabar reads and writes."""

    config_file: Path
    """The TOML settings file (may not exist)."""
    db_file: Path
    """The SQLite archive."""
    state_file: Path
    """UI state (theme, selected source and article) kept beside the archive."""
    themes_dir: Path
    """The user's own theme files, read in addition to the bundled ones."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Every setting, with its default. Field docstrings are the documentation the README repeats."""

    theme: str = "khabar-dark"
    """Theme name: one of the bundled themes (khabar-dark, khabar-light, khabar-contrast, khabar-sepia),
    a theme file in the user themes folder, or any built-in Textual theme."""
    bidi: str = "auto"
    """How RTL text reaches the terminal: auto, app (Khabar shapes and reorders), terminal (the terminal
    does BiDi; Khabar sends logical text), off (no RTL processing)."""
    base_direction: str = "auto"
    """Paragraph direction: auto (first strong character), rtl or ltr."""
    strip_harakat: bool = False
    """Remove Arabic vowel marks (harakat) from displayed text."""
    layout: str = "ltr"
    """Pane order: ltr puts sources on the left, rtl mirrors the panes (sources on the right)."""
    keep_days: int = 0
    """Purge read, unstarred, unsaved articles older than this many days; 0 keeps everything."""
    refresh_on_start: bool = False
    """Refresh every feed when the TUI starts."""
    refresh_minutes: int = 0
    """Refresh every feed every N minutes while the TUI runs; 0 turns it off."""
    jobs: int = 16
    """Feeds fetched at once."""
    per_host: int = 4
    """Feeds fetched at once from one host."""
    connect_timeout: float = 10.0
    """Seconds to wait for a connection."""
    read_timeout: float = 20.0
    """Seconds to wait for data on an open connection."""
    feed_timeout: float = 60.0
    """Seconds a single feed may take in all."""
    max_feed_bytes: int = 20_000_000
    """Largest response (after decompression) Khabar accepts, in bytes."""
    user_agent: str = ""
    """User-Agent header; empty means ``khabar/<version> (terminal news reader)``."""
    browser: str = ""
    """Command that opens links (``{url}`` is replaced, else the URL is appended); empty: the system's."""
    entity_backend: str = "builtin"
    """Entity extractor: builtin, or the import path ``module:factory`` of another Extractor."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """Binding id -> keys, e.g. ``{ "khabar.quit" = "ctrl+q" }``; ids are listed in the help screen (?)."""


def _field_docs() -> dict[str, str]:
    """Attribute docstrings of Settings, read from the source so the README and --help can show them."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(Settings))
    docs: dict[str, str] = {}
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[node.target.id] = " ".join(following.value.value.split())
    return docs


def default_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """Resolve the paths, honouring ``home`` (``--home``) or the ``KHABAR_HOME`` environment variable."""
    home = home or os.environ.get("KHABAR_HOME") or None
    if home:
        root = Path(home).expanduser()
        return Paths(root / "config.toml", root / "khabar.db", root / "state.json", root / "themes")
    import platformdirs

    config_dir = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return Paths(config_dir / "config.toml", data_dir / "khabar.db", data_dir / "state.json",
                 config_dir / "themes")


def _check(name: str, value: Any, default: Any) -> Any:
    """Validate one value against the type of its default, with the constraints each key has."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"config key {name!r}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"config key {name!r}: expected a whole number, got {value!r}")
        minimum = 1 if name in ("jobs", "per_host", "max_feed_bytes") else 0
        if value < minimum:
            raise ConfigError(f"config key {name!r}: must be at least {minimum}, got {value}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"config key {name!r}: expected a number of seconds, got {value!r}")
        if value <= 0:
            raise ConfigError(f"config key {name!r}: must be greater than 0, got {value}")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"config key {name!r}: expected a string, got {value!r}")
        choices = {"bidi": BIDI_MODES, "base_direction": BASE_DIRECTIONS, "layout": LAYOUTS}.get(name)
        if choices and value not in choices:
            raise ConfigError(f"config key {name!r}: must be one of {', '.join(choices)}, got {value!r}")
        return value
    # keymap
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(f"config key {name!r}: expected a table of binding id = \"keys\" strings")
    return dict(value)


def parse_settings(data: Mapping[str, Any], *, overrides: Mapping[str, Any] | None = None
                   ) -> tuple[Settings, list[str]]:
    """Build Settings from parsed TOML plus command-line overrides; returns (settings, warnings)."""
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    warnings = [f"unknown config key {key!r} ignored" for key in data if key not in known]
    values: dict[str, Any] = {}
    for source in (data, overrides or {}):
        for key, value in source.items():
            if key in known and value is not None:
                values[key] = _check(key, value, getattr(defaults, key))
    return Settings(**values), warnings


def load_settings(path: Path, *, overrides: Mapping[str, Any] | None = None, required: bool = False
                  ) -> tuple[Settings, list[str]]:
    """Read the config file (a missing file means defaults unless ``required``) and apply overrides."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist") from None
        return parse_settings({}, overrides=overrides)
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    return parse_settings(data, overrides=overrides)


def documented_defaults() -> list[tuple[str, str, str]]:
    """(key, default as TOML, description) for every setting, for the README and ``khabar --help``."""
    docs = _field_docs()
    rows = []
    defaults = Settings()
    for f in fields(Settings):
        value = getattr(defaults, f.name)
        if isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, str):
            shown = f'"{value}"'
        elif isinstance(value, Mapping):
            shown = "{}"
        else:
            shown = str(value)
        rows.append((f.name, shown, docs.get(f.name, "")))
    return rows

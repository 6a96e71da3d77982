"""Config parsing: defaults, file values, command-line overrides, unknown keys and bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.config import Settings, default_paths, documented_defaults, load_settings, parse_settings
from reader.errors import ConfigError


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings, warnings = load_settings(tmp_path / "nope.toml")
    assert settings == Settings()
    assert warnings == []
    assert settings.bidi == "auto" and settings.keep_days == 0 and settings.theme == "khabar-dark"


def test_missing_file_is_an_error_when_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", required=True)


def test_file_values_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "khabar-light"\nbidi = "terminal"\nkeep_days = 30\nread_timeout = 5\n'
        'strip_harakat = true\n[keymap]\n"khabar.quit" = "ctrl+q"\n',
        encoding="utf-8",
    )
    settings, warnings = load_settings(path, overrides={"bidi": "app", "theme": None})
    assert warnings == []
    assert settings.theme == "khabar-light"  # None override leaves the file's value
    assert settings.bidi == "app"  # command line beats the file
    assert settings.keep_days == 30
    assert settings.read_timeout == 5.0 and isinstance(settings.read_timeout, float)
    assert settings.strip_harakat is True
    assert settings.keymap == {"khabar.quit": "ctrl+q"}


def test_unknown_keys_warn(tmp_path: Path) -> None:
    settings, warnings = parse_settings({"colour": "red", "jobs": 4})
    assert settings.jobs == 4
    assert warnings == ["unknown config key 'colour' ignored"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"bidi": "sideways"}, "'bidi': must be one of auto, app, terminal, off"),
        ({"layout": "up"}, "'layout': must be one of ltr, rtl"),
        ({"keep_days": -1}, "'keep_days': must be at least 0"),
        ({"jobs": 0}, "'jobs': must be at least 1"),
        ({"jobs": "8"}, "'jobs': expected a whole number"),
        ({"jobs": True}, "'jobs': expected a whole number"),
        ({"refresh_on_start": "yes"}, "'refresh_on_start': expected true or false"),
        ({"read_timeout": 0}, "'read_timeout': must be greater than 0"),
        ({"theme": 3}, "'theme': expected a string"),
        ({"keymap": {"app.quit": 1}}, "'keymap': expected a table"),
    ],
)
def test_bad_values_name_the_key_and_reason(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(data)
    assert message in str(info.value)


def test_bad_toml_and_bad_encoding(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)
    path.write_bytes(b'theme = "\xff"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(path)


def test_home_relocates_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = default_paths(tmp_path)
    assert paths.config_file == tmp_path / "config.toml"
    assert paths.db_file == tmp_path / "khabar.db"
    assert paths.state_file.parent == tmp_path
    monkeypatch.setenv("KHABAR_HOME", str(tmp_path / "env"))
    assert default_paths().db_file == tmp_path / "env" / "khabar.db"
    monkeypatch.delenv("KHABAR_HOME")
    assert "khabar" in str(default_paths().config_file)


def test_every_setting_is_documented() -> None:
    rows = documented_defaults()
    assert {name for name, _, _ in rows} == set(Settings.__dataclass_fields__)
    assert all(doc for _, _, doc in rows), [name for name, _, doc in rows if not doc]
    assert ("bidi", '"auto"', rows[[r[0] for r in rows].index("bidi")][2]) in rows


def test_readme_documents_every_setting() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, default, _ in documented_defaults():
        assert f"`{name}`" in readme, f"README does not document config key {name}"
        assert f"`{default}`" in readme or default == "{}", f"README lacks the default of {name}"


def test_readme_documents_every_key() -> None:
    from reader.ui.commands import COMMANDS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f"`{command.id}`" in readme, f"README does not list the command {command.id}"


def test_readme_documents_every_command() -> None:
    from reader.cli import build_parser

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"`khabar {name} " in readme or f"`khabar {name}`" in readme, f"README lacks khabar {name}"

"""The command line: help, version, usage errors, global options, and headless start-up without Textual."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import build_parser, main
from reader.commands import COMMANDS, module_name
from tests.conftest import khabar_cmd, subprocess_env


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"khabar {__version__}"


def test_help_lists_global_options_and_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--home", "--config", "--db", "--offline", "--theme", "--bidi"):
        assert option in out
    parser = build_parser()
    available = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in available:
        assert command in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--bidi", "sideways"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["no-such-command"])
    assert info.value.code == 2
    assert "khabar: error:" in capsys.readouterr().err


def test_bad_config_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.toml"
    config.write_text("jobs = 0\n", encoding="utf-8")
    code = main(["--home", str(tmp_path), "--config", str(config), "--offline", "feeds"]) \
        if "feeds" in _available() else main(["--home", str(tmp_path), "--config", str(config)])
    assert code == 2
    err = capsys.readouterr().err
    assert "'jobs': must be at least 1" in err
    assert "Traceback" not in err


def _available() -> list[str]:
    import importlib.util

    return [c for c in COMMANDS if importlib.util.find_spec(module_name(c)) is not None]


_PROBE = """
import json, sys
from reader.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(m for m in ("textual", "feedparser", "httpx") if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"]] + [[c, "--help"] for c in COMMANDS])
def test_headless_commands_never_import_textual(args: list[str], tmp_path: Path) -> None:
    if args[0] in COMMANDS and args[0] not in _available():
        pytest.skip(f"{args[0]} is not implemented in this build")
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True,
                            env=subprocess_env(tmp_path), timeout=120)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert "textual" not in report["heavy"]
    if args[0].startswith("--"):
        assert report["heavy"] == []  # --help and --version load nothing heavy at all


def test_console_entry_point_runs(tmp_path: Path) -> None:
    result = subprocess.run(khabar_cmd("--version"), capture_output=True, text=True,
                            env=subprocess_env(tmp_path), timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == f"khabar {__version__}"


def test_options_after_the_command_are_accepted() -> None:
    if "list" not in _available():
        pytest.skip("list is not implemented in this build")
    args = build_parser().parse_args(["--bidi", "app", "list", "--offline", "--home", "/tmp/x"])
    assert args.bidi == "app" and args.offline is True and args.home == "/tmp/x"

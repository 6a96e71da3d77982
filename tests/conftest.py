"""Shared fixtures: every test gets its own Khabar home, so nothing touches the user's archive."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs every property test from the same seed, so a red build is always reproducible; locally each run
# explores new examples.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def khabar_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh KHABAR_HOME for the test (config, archive and state all live there)."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("KHABAR_HOME", str(home))
    yield home


def khabar_cmd(*args: str) -> list[str]:
    """The command line that runs Khabar in a subprocess with this interpreter."""
    return [sys.executable, "-m", "reader", *args]


def subprocess_env(home: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment for a Khabar subprocess: isolated home, UTF-8, no colour."""
    env = dict(os.environ)
    if home is not None:
        env["KHABAR_HOME"] = str(home)
    env.update({"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "TERM": "dumb"}, **extra)
    return env

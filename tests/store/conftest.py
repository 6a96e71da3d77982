"""Every store test gets a fresh archive file on disk (never :memory:: WAL and locking are real)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive" / "khabar.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path) as opened:
        yield opened

"""Disk faults through the real ``khabar`` processes: an archive that cannot be written, a full disk, and a
damaged archive file. Each ends with one clear line on stderr (what is wrong, which file, what to do), a
non-zero exit code, no traceback, and no further damage: the file's bytes are unchanged by a failed command,
and after a full disk every article committed before is still there and the archive passes its checks.

Tests run as root, which file permissions do not bind, so "cannot be written" uses what binds root too: a
file-size limit of zero (RLIMIT_FSIZE, always available) and a read-only bind mount (where this machine lets
the tests mount). A full disk is a file-size limit too (EFBIG) and, where mounting works, a small tmpfs
(ENOSPC). Opening with SQLite's own read-only mode is covered by tests/store/test_store.py::test_readonly.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.faults.archive import (
    article_ids,
    assert_one_clear_line,
    build_archive,
    digest,
    file_size_limit,
    healthy,
    khabar,
    khabar_many,
    mounted,
    write_feeds,
)

COMMANDS: list[tuple[str, ...]] = [("list",), ("refresh",), ("feeds",), ("search", "committee"), ()]
"""What a user runs; ``()`` starts the reader, which must fail before it takes the terminal."""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """One archive of three local feeds (90 articles, entities extracted), built once and copied per test."""
    root = tmp_path_factory.mktemp("pristine")
    ids = build_archive(root / "home", write_feeds(root / "feeds", 3, 30))
    return root / "home" / "khabar.db", ids


def copy_home(pristine: tuple[Path, set[str]], home: Path) -> Path:
    home.mkdir(parents=True)
    db = home / "khabar.db"
    shutil.copyfile(pristine[0], db)
    return db


# -- damaged archive file ---------------------------------------------------------------------------------

def garbage_header(data: bytes, db: Path) -> bytes:
    return random.Random(1).randbytes(100) + data[100:]


def truncated(data: bytes, db: Path) -> bytes:
    return data[: len(data) // 3]


def garbage_middle(data: bytes, db: Path) -> bytes:
    """Random bytes over the pages the feeds and articles tables start from, inside the file; the header and
    the schema on page 1 are intact, so SQLite opens the file and finds the damage only when it reads."""
    conn = sqlite3.connect(db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [row[0] for row in conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name IN ('feeds', 'articles')")]
    conn.close()
    out = bytearray(data)
    rng = random.Random(2)
    for page in roots:
        assert page > 1
        out[(page - 1) * size: page * size] = rng.randbytes(size)
    return bytes(out)


@pytest.mark.parametrize("damage", [garbage_header, truncated, garbage_middle])
def test_damaged_archive(pristine: tuple[Path, set[str]], tmp_path: Path,
                         damage: Callable[[bytes, Path], bytes]) -> None:
    home = tmp_path / "home"
    db = copy_home(pristine, home)
    db.write_bytes(damage(db.read_bytes(), db))
    before = digest(db)
    for done in khabar_many(home, COMMANDS):
        line = assert_one_clear_line(done, str(db), "damaged", "restore it from a backup", "move it away")
        assert done.returncode == 1, (done.args, line)
    assert digest(db) == before, "a command changed the damaged archive"
    wal = db.with_name(db.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "a write went into the journal"


# -- cannot be written ------------------------------------------------------------------------------------

def test_archive_that_cannot_be_written(pristine: tuple[Path, set[str]], tmp_path: Path) -> None:
    """No byte may be written (a file-size limit of zero). Even reading needs the write-ahead log's index
    file beside the archive, so every command, reading ones too, says why it cannot run, and the archive
    is as it was."""
    home = tmp_path / "home"
    db = copy_home(pristine, home)
    new_feed = write_feeds(tmp_path / "more", 1, 10, tag="new")[0]
    before = digest(db)
    writes = [("add", str(new_feed)), ("mark", sorted(pristine[1])[0], "--read"), ("vacuum",)]
    for done in khabar_many(home, [*COMMANDS, *writes], preexec=file_size_limit(0)):
        assert_one_clear_line(done, str(db), "input/output error", "free some space or check the disk")
    assert digest(db) == before
    assert healthy(db) and article_ids(db) == pristine[1]


def test_archive_on_a_read_only_mount(pristine: tuple[Path, set[str]], tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = copy_home(pristine, home)
    before = digest(db)
    with mounted(home, readonly_bind=True):
        for done in khabar_many(home, COMMANDS):
            assert_one_clear_line(done, str(db), "folder is read-only", "mounted read-only")
    assert digest(db) == before and healthy(db)


# -- disk full ---------------------------------------------------------------------------------------------

def _fill_and_recover(home: Path, db: Path, committed: set[str], run_full: Callable[[], None]) -> None:
    """Subscribe to a big feed, let ``run_full`` refresh it onto a full disk, then check the archive once
    space is back: healthy, nothing committed before lost, and the refresh now succeeds."""
    run_full()
    assert healthy(db), "the archive is damaged after a full disk"
    assert committed <= article_ids(db), "articles committed before the disk filled were lost"
    again = khabar(home, "refresh", "--no-entities")
    assert again.returncode == 0, again.stderr
    assert len(article_ids(db)) == len(committed) + 400 and healthy(db)


def test_disk_full_by_file_size_limit(pristine: tuple[Path, set[str]], tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = copy_home(pristine, home)
    (big,) = write_feeds(tmp_path / "big", 1, 400, tag="big")
    assert khabar(home, "add", str(big)).returncode == 0
    committed = article_ids(db)

    def run_full() -> None:
        # Room for the journal to start, not for 400 articles: the write fails half way through the feed.
        limit = file_size_limit(db.stat().st_size + 150_000)
        done = khabar(home, "refresh", "--feed", str(big), preexec=limit)
        assert_one_clear_line(done, str(db), "the disk may be full")
        assert done.stdout == ""

    _fill_and_recover(home, db, committed, run_full)


def test_disk_full_on_a_small_filesystem(pristine: tuple[Path, set[str]], tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (big,) = write_feeds(tmp_path / "big", 1, 400, tag="big")
    room = pristine[0].stat().st_size + 160 * 1024
    with mounted(home, "-t", "tmpfs", "-o", f"size={room}", "tmpfs"):
        db = copy_home(pristine, home / "in")
        assert khabar(home / "in", "add", str(big)).returncode == 0
        committed = article_ids(db)

        def run_full() -> None:
            done = khabar(home / "in", "refresh", "--feed", str(big))
            assert_one_clear_line(done, str(db), "the disk is full", "free some space",
                                  "what was stored before is kept")
            assert done.stdout == ""
            subprocess.run(["mount", "-o", "remount,size=64m", str(home)], check=True, capture_output=True)

        _fill_and_recover(home / "in", db, committed, run_full)


def test_disk_full_during_a_refresh_of_many_feeds(pristine: tuple[Path, set[str]], tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = copy_home(pristine, home)
    for path in write_feeds(tmp_path / "new", 3, 100, tag="new"):
        assert khabar(home, "add", str(path)).returncode == 0
    committed = article_ids(db)
    done = khabar(home, "refresh", preexec=file_size_limit(db.stat().st_size + 20_000))
    assert healthy(db) and committed <= article_ids(db)
    assert_one_clear_line(done, str(db), "the disk may be full")


_UNCHECKPOINTED_WRITE = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("UPDATE articles SET title = title || ' (logged)'")
conn.commit()
os._exit(0)  # as a crash would: the transaction lives only in the write-ahead log
"""


@pytest.mark.parametrize("tear", ["intact", "garbage", "torn frame"])
def test_write_ahead_log_left_by_a_crash(pristine: tuple[Path, set[str]], tmp_path: Path, tear: str) -> None:
    """A write-ahead log left by a crash: replayed when intact (a committed transaction is kept); with
    garbage in it, as a power cut can leave it, the transaction it held is dropped whole (SQLite checks
    every frame's checksum) and the archive is as it was before. Either way Khabar works on."""
    home = tmp_path / "home"
    db = copy_home(pristine, home)
    wal = db.with_name(db.name + "-wal")
    subprocess.run([sys.executable, "-c", _UNCHECKPOINTED_WRITE, str(db)], check=True)
    data = bytearray(wal.read_bytes())
    assert len(data) > 5 * 4096
    rng = random.Random(3)
    if tear == "garbage":
        data = bytearray(rng.randbytes(len(data)))
    elif tear == "torn frame":  # half a page of noise a few frames in: the commit frame no longer checks
        start = 32 + 3 * (24 + 4096) + 24
        data[start:start + 2048] = rng.randbytes(2048)
    wal.write_bytes(bytes(data))
    db.with_name(db.name + "-shm").unlink(missing_ok=True)
    done = khabar(home, "list", "--json", "--limit", "1000")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.count('"id"') == len(pristine[1])
    assert done.stdout.count(" (logged)") == (len(pristine[1]) if tear == "intact" else 0)
    assert healthy(db) and article_ids(db) == pristine[1]

"""Archives and Khabar processes for the disk and kill tests: a real archive built by the real commands,
``khabar`` run as a user runs it (a subprocess, optionally under a resource limit or inside a mount), and
the checks every fault must pass: one clear line on stderr, no traceback, no damage.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reader.cli import main
from reader.store import Store
from tests.conftest import khabar_cmd, subprocess_env
from tests.feeds.feedgen import rss


def write_feeds(folder: Path, count: int, items: int, *, start: int = 0, tag: str = "f") -> list[Path]:
    """``count`` local RSS files of ``items`` entries each (guids from ``start``), Arabic and English."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{tag}{n}.xml"
        path.write_text(rss(items, prefix=f"{tag}{n}", arabic=n % 2 == 0, start=start,
                            title=f"Feed {tag}{n}"), encoding="utf-8")
        paths.append(path)
    return paths


def build_archive(home: Path, feeds: list[Path]) -> set[str]:
    """Subscribe ``home``'s archive to ``feeds`` and refresh it with the real CLI; the ids it then holds."""
    for path in feeds:
        assert main(["--home", str(home), "add", str(path)]) == 0
    assert main(["--home", str(home), "refresh", "--wait-entities"]) == 0  # no pass left running
    return article_ids(home / "khabar.db")


def article_ids(db: Path) -> set[str]:
    """The ids of every article in ``db``, read with a plain SQLite connection (no Khabar code)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT id FROM articles")}
    finally:
        conn.close()


def healthy(db: Path) -> bool:
    """SQLite's integrity check of every table and index, and the full-text index's own check."""
    with Store.open(db) as store:
        return store.integrity_check()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def file_size_limit(limit: int) -> Callable[[], None]:
    """A ``preexec_fn`` that caps the size of any file the child writes at ``limit`` bytes. SIGXFSZ is
    ignored, so a write past the cap fails with EFBIG, as on a full disk, instead of killing the child."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def khabar(home: Path, *args: str, preexec: Callable[[], None] | None = None
           ) -> subprocess.CompletedProcess[str]:
    """Run ``khabar --home HOME ARGS`` as a user would (no terminal; with no ARGS it starts the reader).
    The timeout only guards against a hang: the reader must fail before it starts."""
    return subprocess.run(khabar_cmd("--home", str(home), *args), env=subprocess_env(), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, preexec_fn=preexec, timeout=120)


def khabar_many(home: Path, commands: list[tuple[str, ...]], preexec: Callable[[], None] | None = None
                ) -> list[subprocess.CompletedProcess[str]]:
    """``khabar`` with each of ``commands`` at once, as separate processes on the same archive (a faulty
    archive must refuse them all, together as alone); their results in the same order."""
    children = [(subprocess.Popen(khabar_cmd("--home", str(home), *args), env=subprocess_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                  text=True, preexec_fn=preexec), args) for args in commands]
    results = []
    for child, args in children:
        out, err = child.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(list(args), child.returncode, out, err))
    return results


def assert_one_clear_line(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """The command failed with one ``khabar: error:`` line on stderr holding ``words``, and no traceback."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("khabar: error: "), done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("mount") is None:
        return subprocess.CompletedProcess(["mount"], 1, "", "no mount command")
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@contextmanager
def mounted(target: Path, *args: str, readonly_bind: bool = False) -> Iterator[None]:
    """Mount over ``target`` for the duration (skipping the test where mounting is not permitted)."""
    if readonly_bind:
        done = _mount("--bind", str(target), str(target))
        if done.returncode == 0:
            second = _mount("-o", "remount,bind,ro", str(target))
            if second.returncode:
                subprocess.run(["umount", str(target)], capture_output=True)
                done = second
    else:
        done = _mount(*args, str(target))
    if done.returncode:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    try:
        yield
    finally:
        if subprocess.run(["umount", str(target)], capture_output=True).returncode:
            subprocess.run(["umount", "--lazy", str(target)], capture_output=True, check=True)

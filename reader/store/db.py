"""One SQLite connection, its pragmas, its transactions, and its errors in words a user understands.

WAL lets the TUI read while a scheduled ``khabar refresh`` writes; only writers wait for each other. A write
starts with ``BEGIN IMMEDIATE`` so the write lock is taken up front (a deferred transaction that upgrades
later can fail with "database is locked" half way through a feed). The wait for that lock is our own loop
rather than SQLite's silent busy handler, so a waiting writer can say that it waits (``on_wait``) and give up
with a clear message after ``busy_timeout`` seconds. ``synchronous=NORMAL`` in WAL mode keeps every commit
across a process crash (kill -9); only a power cut can lose the last commits, never consistency.

The connection may be used from the TUI's worker threads, so every use goes through one re-entrant lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from reader.errors import StoreError

WAIT_MESSAGE = "another Khabar process is writing to the archive; waiting for it to finish"


def describe(exc: sqlite3.Error, path: Path) -> str:
    """A one-line explanation of a SQLite error for the user: what is wrong, with which file, and what to do
    about it (the CLI prints it as is, so it must stand alone)."""
    text = str(exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return (f"the archive {path} is read-only: check the permissions of the file and its folder, and "
                f"that the disk is not mounted read-only")
    if "disk is full" in low or "database or disk is full" in low:
        return (f"the disk is full: the archive {path} could not be written; free some space and try again "
                f"(what was stored before is kept)")
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return (f"the archive {path} is damaged or not a Khabar archive ({text}); restore it from a backup, "
                f"or move it away and Khabar starts a new one")
    if "locked" in low or "busy" in low:
        return f"the archive {path} is locked by another process ({text})"
    if "unable to open" in low:
        folder = path.parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            return (f"cannot open the archive {path}: its folder is read-only, and Khabar keeps its journal "
                    f"files beside the archive (check the folder's permissions and that the disk is not "
                    f"mounted read-only)")
        return f"cannot open the archive {path} (does its folder exist and is it writable?)"
    if "disk i/o" in low:
        return (f"input/output error on the archive {path}: the disk may be full or failing; free some space "
                f"or check the disk, then try again")
    return f"archive error on {path}: {text}"


class Database:
    """A SQLite connection with Khabar's pragmas, a lock, and transaction helpers."""

    def __init__(self, path: Path, *, readonly: bool, busy_timeout: float,
                 on_wait: Callable[[str], None] | None) -> None:
        self.path = path
        self.readonly = readonly
        self.busy_timeout = busy_timeout
        self.on_wait = on_wait
        self.lock = threading.RLock()
        self._depth = 0
        try:
            if readonly:
                if not path.exists():
                    raise StoreError(f"the archive {path} does not exist")
                uri = f"file:{quote(str(path.resolve()))}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None,
                                            check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                                            check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(describe(exc, path)) from None
        except OSError as exc:
            raise StoreError(f"cannot create the archive folder {path.parent}: {exc.strerror}") from None
        self.conn.row_factory = sqlite3.Row
        with self.errors():
            self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    raise StoreError(f"the archive {path} cannot use write-ahead logging (mode {mode})")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            # 32 MB of page cache. temp_store stays on disk: with MEMORY, VACUUM would build its copy of
            # the whole archive in RAM (650 MB for 100,000 articles).
            self.conn.execute("PRAGMA cache_size = -32000")

    def close(self) -> None:
        with self.lock, contextlib.suppress(sqlite3.Error):
            if not self.readonly:
                self.conn.execute("PRAGMA optimize")
            self.conn.close()

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn any SQLite error inside the block into a StoreError with a clear message."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(describe(exc, self.path)) from exc

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock for a group of reads (one snapshot when they share a transaction)."""
        with self.lock, self.errors():
            yield self.conn

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that must see one consistent state (a count and the page it describes)."""
        with self.lock, self.errors():
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it commits, or none of it (on an exception or a crash)."""
        if self.readonly:
            raise StoreError(f"the archive {self.path} was opened read-only")
        with self.lock:
            if self._depth:  # nested: part of the enclosing transaction
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            with self.errors():
                self._begin()
            self._depth = 1
            try:
                yield self.conn
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise StoreError(describe(exc, self.path)) from exc
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise
            else:
                with self.errors():
                    self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting (and saying so) while another process holds the write lock."""
        deadline = time.monotonic() + self.busy_timeout
        told = False
        self.conn.execute("PRAGMA busy_timeout = 100")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) and "busy" not in str(exc):
                        raise
                    if time.monotonic() >= deadline:
                        raise StoreError(
                            f"the archive {self.path} is locked by another Khabar process "
                            f"(waited {self.busy_timeout:g} s); try again when it has finished") from None
                    if not told and self.on_wait is not None:
                        self.on_wait(WAIT_MESSAGE)
                        told = True
                    time.sleep(0.02)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")

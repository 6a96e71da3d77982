"""Real processes on one archive: kill -9 in the middle of bulk writes, and a reader beside a writer.

The kill test prints its seed; rerun with ``KHABAR_CRASH_SEED=<seed>`` to replay the same kill points.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.store import ArticleQuery, Store

from .helpers import article, feed

WRITER = Path(__file__).with_name("writer_proc.py")
REPO = Path(__file__).resolve().parents[2]


def _spawn(db: Path, first: int, batches: int, per: int = 100) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    return subprocess.Popen([sys.executable, str(WRITER), str(db), str(first), str(batches), str(per)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _committed(lines: list[str]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "committed":
            out[int(parts[1])] = parts[2:]
    return out


def test_kill_9_during_bulk_writes(tmp_path: Path) -> None:
    seed = int(os.environ.get("KHABAR_CRASH_SEED", random.randrange(1 << 30)))
    print(f"kill -9 test seed: {seed} (replay with KHABAR_CRASH_SEED={seed})")
    rng = random.Random(seed)
    db = tmp_path / "crash.db"
    committed: dict[int, list[str]] = {}
    next_batch = 0
    for _round in range(4):
        child = _spawn(db, next_batch, 1000)
        assert child.stdout is not None
        # Kill point: after a random number of committed batches, then a random part of the next one.
        wait_for = rng.randint(1, 4)
        lines: list[str] = []
        while len(_committed(lines)) < wait_for:
            line = child.stdout.readline()
            assert line, f"writer died early: {child.stderr.read() if child.stderr else ''}"
            lines.append(line)
        time.sleep(rng.uniform(0.0, 0.08))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate()
        lines += rest.splitlines()
        assert child.returncode == -signal.SIGKILL
        done = _committed(lines)
        committed.update(done)
        next_batch = max(done) + 1 if done else next_batch
        # Open after each kill: consistent, nothing committed lost, no batch half-written.
        with Store.open(db) as store:
            assert store.integrity_check(), f"integrity check failed (seed {seed})"
            have = store.existing_ids([i for ids in committed.values() for i in ids])
            missing = {b for b, ids in committed.items() if not set(ids) <= have}
            assert not missing, f"committed batches lost: {sorted(missing)} (seed {seed})"
            per_batch: dict[int, int] = {}
            for a in store.list_articles(ArticleQuery(limit=10**6)):
                b = int(a.guid[1:].split("-")[0])
                per_batch[b] = per_batch.get(b, 0) + 1
            assert all(n == 100 for n in per_batch.values()), f"a batch was half written (seed {seed})"
            for b in committed:  # the index committed with its articles
                assert store.count_articles(ArticleQuery(search=f"batchtoken{b}")) == 100
            next_batch = max(next_batch, max(per_batch, default=-1) + 1)
    assert len(committed) >= 4


def test_reader_beside_a_writer_process(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    with Store.open(db):
        pass
    child = _spawn(db, 0, 25, per=100)
    seen_versions: set[int] = set()
    counts: list[int] = []
    # A reader that may wait at most 50 ms: a writer's transaction takes longer than that, so any read
    # that waited for the writer would fail here instead of passing slowly.
    with Store.open(db, readonly=True, busy_timeout=0.05) as reader:
        while child.poll() is None:
            seen_versions.add(reader.data_version())
            counts.append(reader.count_articles())
            reader.list_articles(ArticleQuery(limit=50))
            reader.search("مدرسه")
            time.sleep(0.005)
        out, err = child.communicate()
        assert child.returncode == 0, err
        seen_versions.add(reader.data_version())
        assert reader.count_articles() == 2500
    assert len(seen_versions) > 1, "the reader never noticed the writer's commits"
    assert counts == sorted(counts) and counts[0] < 2500
    assert len(_committed(out.splitlines())) == 25


def test_waiting_writer_says_so(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    told: list[str] = []
    with Store.open(db) as first, Store.open(db, busy_timeout=10, on_wait=told.append) as second:
        f = first.add_feed(feed())
        assert f.id is not None
        release = threading.Event()
        holding = threading.Event()

        def hold() -> None:
            with first._db.write():  # another writer mid-transaction
                holding.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        holding.wait(10)
        done: list[object] = []
        feed_id = f.id

        def write() -> None:
            done.append(second.write_feed_entries(feed_id, [article("a")]))

        waiter = threading.Thread(target=write)
        waiter.start()
        for _ in range(500):
            if told:
                break
            time.sleep(0.01)
        assert told and "waiting" in told[0]
        assert not done
        release.set()
        holder.join(10)
        waiter.join(10)
        assert done and second.count_articles() == 1


def test_writer_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    with Store.open(db) as first, Store.open(db, busy_timeout=0.2) as second:
        with first._db.write(), pytest.raises(StoreError, match="locked by another Khabar process"):
            second.add_feed(feed())
        assert second.add_feed(feed()).id is not None

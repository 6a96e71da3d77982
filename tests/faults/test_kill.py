"""kill -9 in the middle of ``khabar refresh`` and ``khabar import``, 20 times each, at points drawn from a
seeded random generator: after every kill the archive passes its integrity checks, every article committed
before the kill is still there, and no unit of work (a feed's entries, an import's articles) is half there.

"Committed before the kill" is measured, not assumed: a plain SQLite reader beside the Khabar process takes
the set of article ids just before the signal is sent (a reader sees only committed transactions), and
that set must survive. A kill point is a number of commits to wait for (0 kills during start-up, schema
creation included, on the first round) and then a short random delay.

Both commands run with ``--wait-entities``, so the entity pass is part of the process that is killed (and
no detached pass outlives the test). A refresh of eight feeds or more writes from forked worker processes;
they are in the killed process's group and are killed with it.

The seed is printed; ``KHABAR_FAULT_SEED=<seed>`` replays the same kill points (the instants they fall on
still depend on the machine's speed). Bulk-write kills below the CLI are in
tests/store/test_processes.py::test_kill_9_during_bulk_writes.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reader.model import Article, Block, BlockKind, Feed, article_id
from reader.store import Store
from reader.store.export import write_json
from tests.conftest import khabar_cmd, subprocess_env
from tests.faults.archive import healthy, write_feeds

KILLS = 20
LANES = 2
"""Archives killed on side by side (the kills are spread over them): the test waits on processes more than
it computes."""
FEEDS, ITEMS = 10, 15
"""Ten local feeds (enough for refresh's forked parse workers), fifteen new entries each per round."""
JSON_ARTICLES, SAVED_FILES, OPML_FEEDS = 60, 30, 4


def seed(name: str) -> int:
    chosen = int(os.environ.get("KHABAR_FAULT_SEED", random.randrange(1 << 30)))
    print(f"{name}: seed {chosen} (replay with KHABAR_FAULT_SEED={chosen})")
    return chosen


def kill_at_random_point(args: list[str], db: Path, rng: random.Random) -> tuple[set[str], bool]:
    """Start ``khabar ARGS``, wait for a random number of its commits and a random delay, snapshot the
    committed article ids and kill -9 it. Returns (the snapshot, whether the kill landed while it ran)."""
    commits = rng.randint(0, 3)
    delay = rng.uniform(0.0, 0.05)
    child = subprocess.Popen(khabar_cmd(*args), env=subprocess_env(), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    reader: sqlite3.Connection | None = None
    try:
        seen = 0
        version = None
        while seen < commits and child.poll() is None:
            if reader is None and db.exists():
                reader = sqlite3.connect(db, timeout=30)
            if reader is not None:
                try:
                    now = reader.execute("PRAGMA data_version").fetchone()[0]
                except sqlite3.OperationalError:  # the schema is being created: not readable yet
                    now = version
                if version is not None and now != version:
                    seen += 1
                version = now
            time.sleep(0.002)
        time.sleep(delay)
        snapshot: set[str] = set()
        if db.exists():
            reader = reader or sqlite3.connect(db, timeout=30)
            with contextlib.suppress(sqlite3.OperationalError):  # no articles table yet: none committed
                snapshot = {row[0] for row in reader.execute("SELECT id FROM articles")}
        child.send_signal(signal.SIGKILL)
    finally:
        if reader is not None:
            reader.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # and the forked parse workers, if any
        _, err = child.communicate()
    killed = child.returncode == -signal.SIGKILL
    assert killed or child.returncode == 0, err.decode()
    return snapshot, killed


def check_after_kill(db: Path, snapshot: set[str], committed: set[str], seed_note: str) -> set[str]:
    """The archive opens, passes its checks and holds everything ever seen committed; returns its ids."""
    assert healthy(db), f"integrity check failed after a kill ({seed_note})"
    with Store.open(db) as store:
        present = store.existing_ids(sorted(committed | snapshot))
    lost = (committed | snapshot) - present
    assert not lost, f"{len(lost)} committed articles lost after a kill ({seed_note})"
    return committed | snapshot


def rows(db: Path, sql: str) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


Lane = tuple[Path, Callable[[int], list[str]], Callable[[], None]]
"""One archive and how to kill on it: (archive, the command line of round n, the all-or-none check)."""


def kill_rounds(name: str, lanes: list[Lane]) -> list[int]:
    """Kill each lane's ``khabar`` until the lanes together have been killed KILLS times; the lanes (one
    archive each) run side by side, each from its own generator derived from the one seed. Returns the
    number of rounds each lane took."""
    base = seed(name)

    def lane(index: int, db: Path, args: Callable[[int], list[str]], whole: Callable[[], None]) -> int:
        rng = random.Random(f"{base}-{index}")
        target = KILLS // len(lanes)
        committed: set[str] = set()
        kills = rounds = 0
        while kills < target:
            assert rounds < 3 * target, f"only {kills} of {rounds} runs were still going at their kill point"
            snapshot, killed = kill_at_random_point(args(rounds), db, rng)
            kills += killed
            committed = check_after_kill(db, snapshot, committed, f"{name}, lane {index} round {rounds}, "
                                                                  f"KHABAR_FAULT_SEED={base}")
            whole()
            rounds += 1
        return rounds

    with ThreadPoolExecutor(len(lanes)) as pool:
        futures = [pool.submit(lane, index, *spec) for index, spec in enumerate(lanes)]
        return [future.result() for future in futures]


def _refresh_lane(root: Path) -> Lane:
    home, feeds = root / "home", root / "feeds"
    db = home / "khabar.db"
    with Store.open(db) as store:
        for path in write_feeds(feeds, FEEDS, ITEMS):
            store.add_feed(Feed(url=str(path)))

    def args(round_: int) -> list[str]:
        write_feeds(feeds, FEEDS, ITEMS, start=round_ * ITEMS)  # new entries in every feed, every round
        return ["--home", str(home), "refresh", "--wait-entities"]

    def whole() -> None:
        """Each feed's entries of a round are all there or none is (one transaction per feed)."""
        counts: dict[tuple[str, int], int] = {}
        for (guid,) in rows(db, "SELECT guid FROM articles"):
            feed, number = guid.split("-")
            key = (feed, int(number) // ITEMS)
            counts[key] = counts.get(key, 0) + 1
        assert all(n == ITEMS for n in counts.values()), {k: n for k, n in counts.items() if n != ITEMS}

    return db, args, whole


def test_kill_9_during_refresh(tmp_path: Path) -> None:
    lanes = [_refresh_lane(tmp_path / f"lane{n}") for n in range(LANES)]
    kill_rounds("kill -9 during refresh", lanes)
    for db, _, _ in lanes:  # and a refresh after the last kill carries on as if nothing had happened
        done = subprocess.run(khabar_cmd("--home", str(db.parent), "refresh", "--wait-entities"),
                              env=subprocess_env(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        assert healthy(db)


def _import_folder(folder: Path, round_: int) -> None:
    """An OPML list, a JSON export and saved articles, all new in every round (imported in that order)."""
    folder.mkdir(parents=True)
    outlines = "".join(f'<outline text="r{round_} f{n}" xmlUrl="https://r{round_}-{n}.example/feed"/>'
                       for n in range(OPML_FEEDS))
    (folder / "a-subscriptions.opml").write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outlines}</body></opml>', encoding="utf-8")
    feeds = [Feed(id=1, url=f"https://export-{round_}.example/feed", title=f"Export {round_}")]
    text = "أعلنت وزارة الداخلية في إقليم كوردستان اليوم عن افتتاح مدرسة جديدة في أربيل. " * 8
    articles = [Article(id=article_id(feeds[0].url, f"r{round_}-{n}"), feed_id=1, guid=f"r{round_}-{n}",
                        title=f"خبر {round_} رقم {n}", blocks=(Block(BlockKind.PARAGRAPH, f"{n} {text}"),))
                for n in range(JSON_ARTICLES)]
    with (folder / "b-archive.json").open("w", encoding="utf-8") as out:
        write_json(out, feeds, articles)
    saved = folder / "c-saved"
    saved.mkdir()
    for n in range(SAVED_FILES):
        (saved / f"s{n}.txt").write_text(
            f"Round {round_} saved {n}: the committee met in Erbil to discuss the budget.\n{text}\n",
            encoding="utf-8")


def _import_lane(root: Path) -> Lane:
    home = root / "home"
    db = home / "khabar.db"

    def args(round_: int) -> list[str]:
        folder = root / f"import{round_}"
        _import_folder(folder, round_)
        return ["--home", str(home), "import", "--wait-entities", str(folder)]

    def whole() -> None:
        """An export's articles and a batch of saved files are each one transaction: all there or none."""
        per_round: dict[str, int] = {}
        for (guid,) in rows(db, "SELECT guid FROM articles WHERE feed_id IS NOT NULL"):
            per_round[guid.split("-")[0]] = per_round.get(guid.split("-")[0], 0) + 1
        for (title,) in rows(db, "SELECT title FROM articles WHERE feed_id IS NULL"):
            key = "saved " + title.split(" saved ")[0]
            per_round[key] = per_round.get(key, 0) + 1
        wrong = {k: n for k, n in per_round.items()
                 if n != (SAVED_FILES if k.startswith("saved ") else JSON_ARTICLES)}
        assert not wrong, wrong

    return db, args, whole


def test_kill_9_during_import(tmp_path: Path) -> None:
    lanes = [_import_lane(tmp_path / f"lane{n}") for n in range(LANES)]
    rounds = kill_rounds("kill -9 during import", lanes)
    for (db, _, _), last in zip(lanes, rounds, strict=True):  # the last import, done again, completes
        folder = db.parent.parent / f"import{last - 1}"
        done = subprocess.run(khabar_cmd("--home", str(db.parent), "import", "--wait-entities", str(folder)),
                              env=subprocess_env(), capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        assert healthy(db)

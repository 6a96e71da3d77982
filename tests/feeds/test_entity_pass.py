"""The entity pass after a refresh or an import: in a detached process by default (the command exits first),
inline with ``--wait-entities``, none with ``--no-entities``; the first run's seed article included; and
the ``keep_days`` retention applied at the end of every refresh."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

if not hasattr(pytest.importorskip("reader.store"), "Store"):
    pytest.skip("the store is being built in parallel", allow_module_level=True)
if not hasattr(pytest.importorskip("reader.entities"), "backfill"):
    pytest.skip("reader.entities has no backfill in this build", allow_module_level=True)

from reader import update
from reader.cli import main
from reader.config import Settings
from reader.model import Feed
from reader.store import ArticleQuery, Store
from reader.update import ENTITY_LOCK_SUFFIX, ensure_first_run, refresh_store
from tests.conftest import khabar_cmd, subprocess_env
from tests.feeds.feedgen import rss
from tests.feeds.server import FeedServer, Reply, serve

SAMPLES = Path(__file__).resolve().parents[2] / "sample_feeds"
SEED = next(SAMPLES.glob("*.txt"))
FAST = Settings(connect_timeout=2.0, read_timeout=0.5, feed_timeout=2.0, per_host=8)
POLLS = 1200
"""How many times a test looks for the background pass's work (0.05 s apart) before it gives up: a cap on
iterations that only a broken pass reaches, not a claim about how fast the pass is."""


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with serve() as running:
        yield running


def names(db: Path) -> dict[str, set[str]]:
    """Entity names per article title, for the articles that have had the pass."""
    with Store.open(db) as store:
        found = {}
        for listed in store.list_articles(ArticleQuery(limit=1000)):
            article = store.get_article(listed.id)
            found[article.title] = {entity.name for entity in article.entities}
        return found


def without_entities(db: Path) -> int:
    with Store.open(db) as store:
        return len(store.articles_without_entities(1000))


def poll_until_done(db: Path) -> int:
    """Poll until no article lacks entities; returns the polls it took (fails past ``POLLS``)."""
    for poll in range(POLLS):
        if without_entities(db) == 0:
            return poll
        time.sleep(0.05)
    raise AssertionError(f"{without_entities(db)} articles still have no entities after {POLLS} polls")


def test_refresh_exits_and_entities_follow_in_the_background(tmp_path: Path, server: FeedServer) -> None:
    server.routes["/ar"] = Reply(200, rss(6, arabic=True).encode())
    home = tmp_path / "home"
    env = subprocess_env(home)
    subprocess.run(khabar_cmd("add", server.url("/ar")), env=env, check=True, capture_output=True)
    done = subprocess.run(khabar_cmd("refresh"), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # Not a terminal: the summary line stays as scripts parse it.
    assert done.stdout.strip().endswith(" s") and "1 ok" in done.stdout and "6 new" in done.stdout
    poll_until_done(home / "khabar.db")
    found = names(home / "khabar.db")
    assert len(found) == 6 and all("كركوك" in entities for entities in found.values())
    # Nothing is left behind but the lock file; the next pass reuses it.
    assert (home / ("khabar.db" + ENTITY_LOCK_SUFFIX)).exists()


def test_wait_entities_has_them_on_exit_and_no_entities_has_none(tmp_path: Path, server: FeedServer,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    server.routes["/a"] = Reply(200, rss(3, arabic=True, prefix="a").encode())
    server.routes["/b"] = Reply(200, rss(2, arabic=True, prefix="b").encode())
    home = tmp_path / "home"
    assert main(["--home", str(home), "add", server.url("/a")]) == 0
    assert main(["--home", str(home), "refresh", "--no-entities"]) == 0
    assert without_entities(home / "khabar.db") == 3
    assert not (home / ("khabar.db" + ENTITY_LOCK_SUFFIX)).exists()  # no pass was started
    assert main(["--home", str(home), "add", server.url("/b")]) == 0
    capsys.readouterr()
    assert main(["--home", str(home), "refresh", "--wait-entities"]) == 0
    captured = capsys.readouterr()
    assert "2 new" in captured.out
    assert "entities: 5 articles in" in captured.err  # what the earlier --no-entities left, too
    assert without_entities(home / "khabar.db") == 0
    with pytest.raises(SystemExit):
        main(["--home", str(home), "refresh", "--wait-entities", "--no-entities"])


def test_first_run_gives_the_seed_article_entities(tmp_path: Path) -> None:
    with Store.open(tmp_path / "khabar.db") as store:
        assert ensure_first_run(store, FAST) is True
        assert update.first_run_entities is not None
        update.first_run_entities.join()
        (seed,) = store.list_articles(ArticleQuery(saved=True))
        entities = {entity.name for entity in store.get_article(seed.id).entities}
        assert "كركوك" in entities
        assert not store.articles_without_entities(10)


def test_first_run_refresh_command_covers_the_seed_article(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert main(["--home", str(home), "--offline", "refresh", "--wait-entities"]) == 0
    with Store.open(home / "khabar.db") as store:
        (seed,) = store.list_articles(ArticleQuery(saved=True))
        assert "كركوك" in {entity.name for entity in store.get_article(seed.id).entities}
        assert not store.articles_without_entities(10)


def test_imported_saved_article_gets_entities_in_the_background(tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copy(SEED, tmp_path / "seed.txt")
    done = subprocess.run(khabar_cmd("import", str(tmp_path / "seed.txt")), env=subprocess_env(home),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "1 saved articles imported" in done.stdout
    poll_until_done(home / "khabar.db")
    (entities,) = names(home / "khabar.db").values()
    assert "كركوك" in entities


def test_import_wait_entities_and_json_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON export made without entities gets them on import; one with entities keeps its own."""
    first = tmp_path / "first"
    shutil.copy(SEED, tmp_path / "seed.txt")
    assert main(["--home", str(first), "import", "--no-entities", str(tmp_path / "seed.txt")]) == 0
    assert without_entities(first / "khabar.db") == 1
    export = tmp_path / "bare.json"
    assert main(["--home", str(first), "export", "--format", "json", "-o", str(export)]) == 0
    other = tmp_path / "other"
    assert main(["--home", str(other), "import", "--wait-entities", str(export)]) == 0
    (entities,) = names(other / "khabar.db").values()
    assert "كركوك" in entities


def _holder(lock: Path) -> subprocess.Popen[str]:
    """A process that holds the "running" byte of the lock, as a running pass does, until told to stop."""
    code = ("import fcntl, os, sys; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.lockf(fd, fcntl.LOCK_EX, 1, 1); print('held', flush=True); sys.stdin.readline()")
    holder = subprocess.Popen([sys.executable, "-c", code, str(lock)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def _polled_until_held(lock: Path, byte: int) -> bool:
    """Whether another process comes to hold ``byte`` of ``lock`` within ``POLLS`` looks."""
    import fcntl
    import os

    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        for _ in range(POLLS):
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, byte)
            except OSError:
                return True
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, byte)
            time.sleep(0.05)
        return False
    finally:
        os.close(fd)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX record locks")
def test_passes_queue_one_deep(tmp_path: Path) -> None:
    """While a pass runs, one more waits its turn and any further one exits at once."""
    home = tmp_path / "home"
    shutil.copy(SEED, tmp_path / "seed.txt")
    assert main(["--home", str(home), "import", "--no-entities", str(tmp_path / "seed.txt")]) == 0
    db = home / "khabar.db"
    lock = Path(str(db) + ENTITY_LOCK_SUFFIX)
    holder = _holder(lock)
    code = "import sys; from reader.update import entity_pass_main; sys.exit(entity_pass_main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, str(lock), "--home", str(home), "entities", "--backfill"]
    env = subprocess_env(home)
    waiting = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert _polled_until_held(lock, 0), "the second pass never took the waiting place"
        extra = subprocess.run(command, env=env, capture_output=True, text=True)
        assert extra.returncode == 0 and not extra.stdout  # a third one ran no backfill
        assert waiting.poll() is None, "the waiting pass did not wait"
        assert without_entities(db) == 1
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait()
    out, _ = waiting.communicate()
    assert waiting.returncode == 0 and "entities extracted for 1 article" in out
    assert without_entities(db) == 0


def test_refresh_applies_keep_days(server: FeedServer, tmp_path: Path) -> None:
    server.routes["/old"] = Reply(200, rss(5, prefix="old").encode())  # dated May 2021
    with Store.open(tmp_path / "khabar.db") as store:
        store.add_feed(Feed(url=server.url("/old")))
        assert refresh_store(store, FAST, entities=False).new == 5
        ids = [a.id for a in store.list_articles(ArticleQuery())]
        store.set_state(ids[:2], read=True)
        store.set_state(ids[2:3], read=True, starred=True)
        # keep_days 0 (the default) keeps everything.
        assert refresh_store(store, FAST, entities=False).purged == 0
        assert store.count_articles(ArticleQuery()) == 5
        report = refresh_store(store, dataclasses.replace(FAST, keep_days=30), entities=False)
        assert report.purged == 2 and "2 old read articles purged (keep_days)" in report.summary()
        left = {a.id for a in store.list_articles(ArticleQuery())}
        assert left == set(ids[2:])  # the starred one and the unread ones stay
        # The feed still lists the purged entries: they do not come back.
        server.routes["/old"] = Reply(200, rss(5, prefix="old").replace("committee", "council").encode())
        again = refresh_store(store, dataclasses.replace(FAST, keep_days=30), entities=False)
        assert again.new == 0 and store.count_articles(ArticleQuery()) == 3


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals")
def test_on_a_terminal_the_summary_says_entities_follow(tmp_path: Path, server: FeedServer) -> None:
    import os
    import pty

    server.routes["/ar"] = Reply(200, rss(2, arabic=True).encode())
    home = tmp_path / "home"
    env = subprocess_env(home)
    subprocess.run(khabar_cmd("add", server.url("/ar")), env=env, check=True, capture_output=True)
    master, slave = pty.openpty()
    try:
        done = subprocess.run(khabar_cmd("refresh"), env=env, stdout=slave, stderr=subprocess.DEVNULL)
        os.close(slave)
        output = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the terminal closed: everything has been read
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(master)
    assert done.returncode == 0
    assert "2 new" in output.decode() and "extracting entities in the background" in output.decode()
    poll_until_done(home / "khabar.db")

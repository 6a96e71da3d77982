"""De-duplication must cost the same per entry however big the feed is (issue: a 10,000-item feed's
refresh went from 3 s to 22 s when one OR query per entry read the whole feed).

Measured without a clock: SQLite's progress handler counts virtual-machine steps, which grow with the
rows a statement reads. Writing the same 50 entries into a feed of 100 articles and into one of 2,000
must take about as many steps (an index lookup is logarithmic; a feed scan is 20 times bigger).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from reader.model import Article
from reader.store import Store
from reader.store.matching import FeedMatcher

from .helpers import article, feed

STEP = 50
"""Progress-handler granularity (VM instructions per callback)."""


def _steps(store: Store, work: Callable[[], object]) -> int:
    """VM instructions (in units of STEP) that ``work`` makes the store's connection run."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    conn = store._db.conn  # the test measures the store's own connection
    conn.set_progress_handler(tick, STEP)
    try:
        work()
    finally:
        conn.set_progress_handler(None, STEP)
    return count


def _entries(prefix: str, count: int, *, feed_url: str = "https://example.org/feed") -> list[Article]:
    return [article(f"{prefix}-{i}", f"خبر {prefix} {i}", f"نص الخبر رقم {i} من {prefix}", feed_url=feed_url,
                    url=f"https://example.org/{prefix}/{i}") for i in range(count)]


def _feed_of(tmp_path: Path, name: str, size: int) -> tuple[Store, int]:
    store = Store.open(tmp_path / name / "khabar.db")
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, _entries("old", size))
    return store, f.id


def test_refresh_cost_per_entry_does_not_grow_with_the_feed(tmp_path: Path) -> None:
    costs = []
    for size in (100, 2000):
        store, feed_id = _feed_of(tmp_path, f"s{size}", size)
        with store:
            fresh = _entries("new", 50)
            insert = _steps(store, lambda: store.write_feed_entries(feed_id, fresh))  # noqa: B023
            same = _steps(store, lambda: store.write_feed_entries(feed_id, fresh))  # noqa: B023
            # entries matched by URL or content only (a feed that changed its guids) take the other queries
            moved = [replace(a, guid=a.guid + "-moved") for a in fresh]
            by_url = _steps(store, lambda: store.write_feed_entries(feed_id, moved))  # noqa: B023
            assert store.count_articles() == size + 50
            costs.append((insert, same, by_url))
    (small_insert, small_same, small_url), (big_insert, big_same, big_url) = costs
    # a scan of the feed would be 20 times the work; indexed lookups stay within a small factor
    assert big_insert < 2 * small_insert
    assert big_same < 2 * small_same
    assert big_url < 2 * small_url


def test_import_cost_per_article_does_not_grow_with_the_archive(tmp_path: Path) -> None:
    """Saved articles (no feed) go through the per-article lookup, which must use the indexes too."""
    costs = []
    for size in (100, 2000):
        with Store.open(tmp_path / f"i{size}" / "khabar.db") as store:
            store.import_articles([replace(a, saved=True) for a in _entries("old", size, feed_url="saved:")])
            fresh = [replace(a, saved=True) for a in _entries("new", 50, feed_url="saved:")]
            costs.append(_steps(store, lambda: store.import_articles(fresh)))  # noqa: B023
            assert store.count_articles() == size + 50
    assert costs[1] < 2 * costs[0]


@pytest.mark.parametrize(("column", "index"), [("guid", "articles_by_guid"), ("url", "articles_by_url"),
                                               ("content_hash", "articles_by_hash")])
def test_matching_queries_use_their_index(store: Store, column: str, index: str) -> None:
    """Each lookup the matcher makes is answered by the index on (feed_id, that key)."""
    seen: list[str] = []
    conn = store._db.conn
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, _entries("old", 20))

    def plans(sql: str) -> None:
        if sql.lstrip().upper().startswith("SELECT") and f" {column} IN (" in sql:
            seen.append(sql)

    conn.set_trace_callback(plans)
    try:
        matcher = FeedMatcher(conn, f.id)
        matcher.preload(["nope"], ["https://nope.example/"], ["0" * 24])
    finally:
        conn.set_trace_callback(None)
    assert seen
    for sql in seen:
        detail = _plan(conn, sql)
        assert f"USING INDEX {index} (feed_id=? AND {column}=?)" in detail, detail


def _plan(conn: sqlite3.Connection, sql: str) -> str:
    """EXPLAIN QUERY PLAN of a traced statement (its bound values are inlined by the trace)."""
    return " | ".join(str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))


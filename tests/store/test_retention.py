"""Retention: ``purge(keep_days)`` deletes old read articles and never starred or saved ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reader.store import ArticleQuery, Store

from .helpers import article, feed

NOW = datetime.now(UTC)


def _dated(guid: str, days_ago: float, body: str = "") -> object:
    a = article(guid, f"T {guid}", body or f"body {guid}", day=None)
    from dataclasses import replace

    return replace(a, published=NOW - timedelta(days=days_ago))


def test_purge_rules(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    entries = [_dated("old-read", 40, "obsolete"), _dated("old-unread", 40), _dated("old-starred", 40),
               _dated("old-saved", 40), _dated("new-read", 5)]
    ids = dict(zip(["old-read", "old-unread", "old-starred", "old-saved", "new-read"],
                   store.write_feed_entries(f.id, entries).new, strict=True))  # type: ignore[arg-type]
    store.set_state([ids["old-read"], ids["old-starred"], ids["old-saved"], ids["new-read"]], read=True)
    store.set_state([ids["old-starred"]], starred=True)
    store.set_state([ids["old-saved"]], saved=True)
    assert store.purge(0) == 0
    assert store.purge(30) == 1
    left = {a.guid for a in store.list_articles()}
    assert left == {"old-unread", "old-starred", "old-saved", "new-read"}
    assert store.search("obsolete") == []
    assert store.purge(3) == 1  # new-read is 5 days old
    assert store.count_articles(ArticleQuery(starred=True)) == 1
    assert store.count_articles(ArticleQuery(saved=True)) == 1
    assert store.integrity_check()


def test_purged_articles_do_not_come_back(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    entry = _dated("gone", 100)
    [aid] = store.write_feed_entries(f.id, [entry]).new  # type: ignore[list-item]
    store.set_state([aid], read=True)
    assert store.purge(30) == 1
    result = store.write_feed_entries(f.id, [entry])  # type: ignore[list-item]
    assert result.new == [] and result.unchanged == 1
    assert store.count_articles() == 0


def test_purge_takes_entities_along(store: Store) -> None:
    from reader.model import Entity, EntityType

    f = store.add_feed(feed())
    assert f.id is not None
    [aid] = store.write_feed_entries(f.id, [_dated("x", 100)]).new  # type: ignore[list-item]
    store.set_entities(aid, [Entity(EntityType.LOC, "kirkuk", "Kirkuk")])
    store.set_state([aid], read=True)
    assert store.purge(1) == 1
    assert store.count_articles(ArticleQuery(entity_key="kirkuk")) == 0
    assert store.integrity_check()

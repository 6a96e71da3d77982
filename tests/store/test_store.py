"""Feeds, articles, deduplication, state and listing on a real archive file."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from reader.errors import NotFoundError, StoreError, UsageError
from reader.model import Block, BlockKind, Direction, Entity, EntityType, Link, LinkKind
from reader.store import ArticleQuery, Store

from .helpers import BASE, article, feed, link


def test_open_creates_folders_and_wal(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    assert db_path.exists()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 2


def test_feed_crud(store: Store) -> None:
    added = store.add_feed(feed(tags=("news", "ar")))
    assert added.id is not None and added.tags == ("news", "ar")
    with pytest.raises(UsageError, match="already subscribed"):
        store.add_feed(feed())
    assert store.get_feed(str(added.id)).url == added.url
    assert store.get_feed(added.url).id == added.id
    assert store.get_feed("Example").id == added.id
    with pytest.raises(NotFoundError):
        store.get_feed("nope")
    store.update_feed(replace(added, title="Renamed", tags=("world",), site_url="https://example.org"))
    got = store.get_feed(str(added.id))
    assert (got.title, got.tags, got.site_url) == ("Renamed", ("world",), "https://example.org")
    with pytest.raises(NotFoundError):
        store.update_feed(replace(added, id=999))


def test_record_fetch(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    store.record_fetch(f.id, etag='"abc"', last_modified="Wed, 01 May 2024 00:00:00 GMT", error=None)
    got = store.get_feed(str(f.id))
    assert got.etag == '"abc"' and got.last_refresh is not None and got.error_count == 0
    store.record_fetch(f.id, etag=None, last_modified=None, error="HTTP 500")
    store.record_fetch(f.id, etag=None, last_modified=None, error="timed out")
    got = store.get_feed(str(f.id))
    assert (got.last_error, got.error_count, got.etag) == ("timed out", 2, '"abc"')
    store.record_fetch(f.id, etag=None, last_modified=None, error=None, url="https://new.example.org/rss",
                       title="Own title")
    got = store.get_feed(str(f.id))
    assert (got.error_count, got.last_error, got.url) == (0, None, "https://new.example.org/rss")
    assert got.title == "Example"  # the user's title is kept; a feed title only fills an empty one


def test_write_dedupes_and_keeps_state(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    first = [article("a", "One", "body one"), article("b", "Two", "body two")]
    result = store.write_feed_entries(f.id, first)
    assert len(result.new) == 2 and not result.updated and result.unchanged == 0
    assert store.write_feed_entries(f.id, first).unchanged == 2
    a_id = result.new[0]
    store.set_state([a_id], read=True, starred=True, saved=True)
    changed = store.write_feed_entries(f.id, [article("a", "One (updated)", "body one, corrected")])
    assert changed.updated == [a_id] and not changed.new
    got = store.get_article(a_id)
    assert got.title == "One (updated)" and got.body_text == "body one, corrected"
    assert got.read and got.starred and got.saved and got.read_at is not None
    assert store.count_articles() == 2


def test_dedupe_by_url_then_hash(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, [article("g1", "T", "x", url="https://example.org/1"),
                                    article("g2", "Same", "same body")])
    # A feed that changes its guids: matched by URL, then by title and body.
    result = store.write_feed_entries(f.id, [article("other-guid", "T", "x", url="https://example.org/1"),
                                             article("third-guid", "Same", "same body")])
    assert result.unchanged == 2 and not result.updated and not result.new
    assert store.count_articles() == 2
    # the new guids were adopted: the next refresh matches by guid at once
    assert {a.guid for a in store.list_articles()} == {"other-guid", "third-guid"}


def test_distinct_guids_sharing_a_link_stay_apart(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    home = "https://example.org/"
    entries = [article(f"g{n}", f"Item {n}", f"body {n}", url=home) for n in range(3)]
    assert len(store.write_feed_entries(f.id, entries).new) == 3
    again = store.write_feed_entries(f.id, entries)
    assert again.unchanged == 3 and not again.new and not again.updated
    assert sorted(a.title for a in store.list_articles()) == ["Item 0", "Item 1", "Item 2"]
    # An entry with no guid of its own (its guid is its link) is still the article with that link.
    rewritten = article(home + "x", "Item x", "changed", url=home + "x")
    stored = store.write_feed_entries(f.id, [article("gx", "Item x", "body x", url=home + "x")])
    assert store.write_feed_entries(f.id, [rewritten]).updated == stored.new
    assert store.count_articles() == 4
    # The import path (khabar import of an export, restore) follows the same rule.
    loose = [article(f"s{n}", f"Saved {n}", f"saved body {n}", url=home, feed_url="") for n in range(3)]
    assert len(store.import_articles(loose).new) == 3
    assert store.count_articles() == 7


def test_same_guid_in_two_feeds_stays_apart(store: Store) -> None:
    a = store.add_feed(feed("https://a.example/feed"))
    b = store.add_feed(feed("https://b.example/feed", "Hostile"))
    assert a.id is not None and b.id is not None
    store.write_feed_entries(a.id, [article("shared", "Real", "real body", feed_url=a.url)])
    result = store.write_feed_entries(b.id, [article("shared", "Fake", "fake", feed_url=b.url)])
    assert len(result.new) == 1
    # Even when the hostile entry carries the other feed's article id, it gets its own.
    forged = article("shared", "Forged", "forged", feed_url=a.url, url="https://a.example/x")
    result = store.write_feed_entries(b.id, [replace(forged, guid="other")])
    assert len(result.new) == 1 and result.new[0] != forged.id
    assert store.get_article(forged.id).title == "Real"


def test_write_is_one_transaction(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    bad = article("bad", "Bad", "x")
    bad = replace(bad, direction="sideways")  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        store.write_feed_entries(f.id, [article("ok", "Fine", "y"), bad])
    assert store.count_articles() == 0
    assert store.search("fine") == []


def test_write_to_unknown_feed(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.write_feed_entries(42, [article("a")])


def test_get_article_round_trip(store: Store) -> None:
    f = store.add_feed(feed(title="Source"))
    assert f.id is not None
    blocks = (Block(BlockKind.HEADING, "Head", 2),
              Block(BlockKind.PARAGRAPH, "مرحبا", direction=Direction.RTL, lang="ar"),
              Block(BlockKind.LIST_ITEM, "item", 1), Block(BlockKind.PREFORMATTED, "a\n  b"),
              Block(BlockKind.IMAGE, "alt"))
    links = (link(1, "https://example.org/a", "A"),
             Link(2, "https://example.org/p.mp3", "Pod", LinkKind.ENCLOSURE, "audio/mpeg", 1234))
    original = replace(article("x", "Title", author="Ann", language="ar", direction=Direction.RTL,
                               summary="sum", url="https://example.org/x"), blocks=blocks, links=links,
                       updated=BASE)
    [new_id] = store.write_feed_entries(f.id, [original]).new
    got = store.get_article(new_id)
    assert got == replace(original, feed_id=f.id, feed_title="Source")
    with pytest.raises(NotFoundError, match="khabar list"):
        store.get_article("000000000000")


def test_listing_filters_and_paging(store: Store) -> None:
    a = store.add_feed(feed("https://a.example/feed", "A", tags=("news",)))
    b = store.add_feed(feed("https://b.example/feed", "B", tags=("tech",)))
    assert a.id is not None and b.id is not None
    store.write_feed_entries(a.id, [article(f"a{i}", f"A{i}", "x", feed_url=a.url, day=i) for i in range(5)])
    store.write_feed_entries(b.id, [article(f"b{i}", f"B{i}", "y", feed_url=b.url, day=i) for i in range(5)])
    titles = [x.title for x in store.list_articles(ArticleQuery(limit=4))]
    assert titles[:2] in (["A4", "B4"], ["B4", "A4"]) and len(titles) == 4
    assert all(x.blocks == () for x in store.list_articles())  # listings carry no bodies
    in_a = [x.title for x in store.list_articles(ArticleQuery(feed_id=a.id))]
    assert in_a == [f"A{i}" for i in range(4, -1, -1)]
    assert {x.title[0] for x in store.list_articles(ArticleQuery(tag="tech"))} == {"B"}
    assert store.count_articles(ArticleQuery(tag="news")) == 5
    assert store.count_articles(ArticleQuery(feed_ids=(a.id, b.id))) == 10
    assert store.count_articles(ArticleQuery(feed_ids=())) == 0
    # keyset paging walks everything exactly once, newest first
    seen: list[str] = []
    cursor = None
    while True:
        page = store.list_articles(ArticleQuery(limit=3, before=cursor))
        if not page:
            break
        seen += [x.id for x in page]
        cursor = page[-1].id
    assert len(seen) == len(set(seen)) == 10
    assert seen == [x.id for x in store.list_articles(ArticleQuery(limit=100))]
    assert [x.id for x in store.list_articles(ArticleQuery(limit=3, offset=3))] == seen[3:6]
    with pytest.raises(NotFoundError):
        store.list_articles(ArticleQuery(before="nope"))
    assert store.list_articles(ArticleQuery(limit=0)) == []


def test_state_filters(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    ids = store.write_feed_entries(f.id, [article(str(i), day=i) for i in range(6)]).new
    assert store.set_state(ids[:2], read=True) == 2
    assert store.set_state([ids[2], "missing"], starred=True) == 1
    store.set_state([ids[3]], saved=True)
    assert store.count_articles(ArticleQuery(unread=True)) == 4
    assert [x.id for x in store.list_articles(ArticleQuery(starred=True))] == [ids[2]]
    assert [x.id for x in store.list_articles(ArticleQuery(saved=True))] == [ids[3]]
    first_read = store.get_article(ids[0]).read_at
    store.set_state([ids[0]], read=True)
    assert store.get_article(ids[0]).read_at == first_read  # marking read again keeps the first time
    store.set_state([ids[0]], read=False)
    got = store.get_article(ids[0])
    assert not got.read and got.read_at is None
    assert store.list_feeds()[0].unread == 5
    assert store.set_state([]) == 0


def test_undated_articles_sort_by_first_seen(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    store.write_feed_entries(f.id, [article("old", "Old", day=-1000)])
    store.write_feed_entries(f.id, [article("undated", "Undated", day=None)])
    assert store.list_articles()[0].title == "Undated"


def test_remove_feed_keeps_saved_and_starred(store: Store) -> None:
    f = store.add_feed(feed(title="Gone Feed"))
    assert f.id is not None
    entries = [article("a", "keep saved", "alpha"), article("b", "keep starred", "beta"),
               article("c", "drop", "gamma")]
    ids = store.write_feed_entries(f.id, entries).new
    store.set_state([ids[0]], saved=True)
    store.set_state([ids[1]], starred=True)
    store.remove_feed(f.id)
    assert store.list_feeds() == []
    kept = {x.title: x for x in store.list_articles()}
    assert set(kept) == {"keep saved", "keep starred"}
    assert all(x.feed_id is None and x.feed_title == "Gone Feed" for x in kept.values())
    assert [h.article.title for h in store.search("alpha")] == ["keep saved"]
    assert store.search("gamma") == []
    assert store.integrity_check()
    with pytest.raises(NotFoundError):
        store.remove_feed(f.id)


def test_resubscribing_reattaches_kept_articles(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    [kept] = store.write_feed_entries(f.id, [article("a", "Saved one", "text")]).new
    store.set_state([kept], saved=True)
    store.remove_feed(f.id)
    again = store.add_feed(feed())
    assert again.id is not None
    result = store.write_feed_entries(again.id, [article("a", "Saved one", "text")])
    assert result.new == [] and store.count_articles() == 1
    got = store.get_article(kept)
    assert got.feed_id == again.id and got.saved


def test_import_articles(store: Store) -> None:
    saved = replace(article("file.txt", "From a file", "text", feed_url="saved:"), saved=True, read=True)
    first = store.import_articles([saved])
    assert first.new == [saved.id]
    again = store.import_articles([saved])
    assert again.unchanged == 1 and not again.new and not again.updated
    got = store.get_article(saved.id)
    assert got.saved and got.read and got.feed_id is None
    with pytest.raises(NotFoundError, match="feed 7"):
        store.import_articles([replace(saved, id="other", feed_id=7)])
    # an import never takes state away
    store.import_articles([replace(saved, saved=False, read=False)])
    assert store.get_article(saved.id).saved


def test_replace_body(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    [aid] = store.write_feed_entries(f.id, [article("a", "Short", "summary only")]).new
    store.replace_body(aid, [Block(BlockKind.PARAGRAPH, "the full text with zanzibar")], [link(1, "https://x")])
    got = store.get_article(aid)
    assert got.body_text == "the full text with zanzibar" and got.links[0].url == "https://x"
    assert [h.article.id for h in store.search("zanzibar")] == [aid]
    assert store.search("summary") == []
    with pytest.raises(NotFoundError):
        store.replace_body("nope", [], [])


def test_readonly(db_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(db_path, readonly=True)
    with Store.open(db_path) as rw:
        f = rw.add_feed(feed())
        assert f.id is not None
        rw.write_feed_entries(f.id, [article("a")])
    with Store.open(db_path, readonly=True) as ro:
        assert ro.count_articles() == 1
        with pytest.raises(StoreError, match="read-only"):
            ro.set_state([ro.list_articles()[0].id], read=True)


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged or not a Khabar archive"):
        Store.open(bad)


def test_newer_schema_refused(db_path: Path) -> None:
    with Store.open(db_path):
        pass
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer Khabar"):
        Store.open(db_path)


def test_data_version_sees_other_connections(db_path: Path) -> None:
    with Store.open(db_path) as one, Store.open(db_path) as two:
        before = one.data_version()
        f = two.add_feed(feed())
        assert f.id is not None
        assert one.data_version() != before
        steady = one.data_version()
        one.add_feed(feed("https://other.example/feed"))  # its own commits do not count
        assert one.data_version() == steady


def test_article_stamp_changes_with_content_and_entities(store: Store) -> None:
    f = store.add_feed(feed())
    assert f.id is not None
    [aid] = store.write_feed_entries(f.id, [article("a", "One", "body one")]).new
    first = store.article_stamp(aid)
    assert first is not None and store.article_stamp("nope") is None
    store.set_state([aid], read=True)
    assert store.article_stamp(aid) == first, "reading it changes nothing shown"
    store.write_feed_entries(f.id, [article("a", "One", "body one, corrected")])
    second = store.article_stamp(aid)
    assert second != first
    assert store.set_entities(aid, [Entity(EntityType.LOC, "x", "x")])
    assert store.article_stamp(aid) != second

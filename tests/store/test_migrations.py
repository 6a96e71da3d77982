"""Schema upgrades: an archive written at every earlier version opens, upgrades and keeps its data.

Archives are built here at each version with the migration steps up to it, then filled with raw SQL the
way that version's store wrote rows, so the test keeps meaning something when the store's own code moves on.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from reader.errors import StoreError
from reader.model import Block, BlockKind, Direction, Link
from reader.store import ArticleQuery, Store, schema
from reader.store import fts as fts_mod
from reader.store.codec import content_hash, encode_blocks, encode_layout, encode_links, to_iso
from reader.store.textfold import fingerprint

from .helpers import article, feed


def _build(path: Path, version: int) -> None:
    """An archive at ``version`` with one feed (tagged), a read and starred article, and its index."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    schema.migrate(conn, target=version)
    if version >= 1:
        conn.execute("INSERT INTO feeds(id, url, title, etag, error_count, added) VALUES "
                     "(1, 'https://old.example/feed', 'Old feed', '\"e1\"', 0, '2023-01-01T00:00:00+00:00')")
        conn.execute("INSERT INTO feed_tags(feed_id, tag, position) VALUES (1, 'news', 0)")
        blocks = [Block(BlockKind.PARAGRAPH, "افتتحت مدرسة جديدة في أربيل")]
        # Up to v2 the body was one JSON array of blocks; from v3 it is text plus a layout.
        body_columns, body_values = (("blocks",), (encode_blocks(blocks),)) if version < 3 else (
            ("body", "layout"), (blocks[0].text, encode_layout(blocks)))
        conn.execute(
            "INSERT INTO articles(seq, id, feed_id, guid, title, sort_time, first_seen, content_hash,"
            f" revision, read, starred, read_at, {', '.join(body_columns)}) VALUES (1, 'aaaaaaaaaaaa', 1,"
            " 'g1', 'عنوان قديم', 1.7e9, 1.7e9, 'h', 'r', 1, 1, '2023-01-02T00:00:00+00:00',"
            f" {', '.join('?' * len(body_values))})", body_values)
        fts_mod.index(conn, 1, "عنوان قديم", "افتتحت مدرسة جديدة في أربيل")
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (fts_mod.FINGERPRINT_KEY,
                                                                   fingerprint()))
    conn.execute("COMMIT")
    assert schema.version(conn) == version
    conn.close()


@pytest.mark.parametrize("version", range(schema.SCHEMA_VERSION))
def test_upgrade_from_every_version(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    _build(path, version)
    with Store.open(path) as store:
        check = sqlite3.connect(path)
        assert schema.version(check) == schema.SCHEMA_VERSION
        # v4: the search index merges less eagerly
        assert check.execute("SELECT v FROM search_index_config WHERE k = 'automerge'").fetchone() == (
            schema.FTS_AUTOMERGE,)
        check.close()
        if version >= 1:
            [old] = store.list_feeds()
            assert (old.title, old.tags, old.etag) == ("Old feed", ("news",), '"e1"')
            got = store.get_article("aaaaaaaaaaaa")
            assert got.read and got.starred and got.read_at is not None
            assert [h.article.id for h in store.search("مدرسه")] == ["aaaaaaaaaaaa"]
            # what later versions added works on the upgraded file
            assert [a.id for a in store.articles_without_entities(5)] == ["aaaaaaaaaaaa"]
            store.set_entities("aaaaaaaaaaaa", [])
            assert store.articles_without_entities(5) == []
        f = store.add_feed(feed())
        assert f.id is not None
        assert store.count_articles(ArticleQuery()) == (1 if version >= 1 else 0)
        assert store.integrity_check()


def test_v1_file_upgrades_to_current(tmp_path: Path) -> None:
    """The real upgrade a user's archive went through: a v1 file (before entities) to the current one."""
    path = tmp_path / "v1.db"
    _build(path, 1)
    listing = "SELECT name FROM sqlite_master WHERE type='table'"
    tables = {r[0] for r in sqlite3.connect(path).execute(listing)}
    assert "entities" not in tables
    with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"entities", "article_entities", "mentions", "purged"} <= tables
    columns = {r[1] for r in conn.execute("PRAGMA table_info(articles)")}
    assert "entities_at" in columns


def test_failed_migration_leaves_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v1.db"
    _build(path, 1)

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done(x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(schema, "MIGRATIONS", [schema.MIGRATIONS[0], broken])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    with pytest.raises(StoreError, match="input/output error"):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert schema.version(conn) == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0


def test_changed_folding_rebuilds_the_index(tmp_path: Path) -> None:
    """An index built with other folding (an older reader.normalize) is rebuilt before it is written to."""
    path = tmp_path / "old.db"
    _build(path, schema.SCHEMA_VERSION)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    # As an older folding would have indexed it: hamza kept, teh marbuta kept.
    fts_mod.unindex(conn, 1, "عنوان قديم", "افتتحت مدرسة جديدة في أربيل")
    conn.execute("INSERT INTO search_index(rowid, title, body) VALUES (1, ?, ?)",
                 ("عنوان قديم", "افتتحت مدرسة جديدة في أربيل"))
    conn.execute("UPDATE meta SET value = 'from-an-older-khabar' WHERE key = ?", (fts_mod.FINGERPRINT_KEY,))
    conn.execute("COMMIT")
    conn.close()
    told: list[str] = []
    with Store.open(path, on_wait=told.append) as store:
        assert store.search("مدرسه") == []  # stale until the first index write
        f = store.add_feed(feed())
        assert f.id is not None
        store.write_feed_entries(f.id, [article("new", "جديد", "نص")])
        assert any("rebuilding" in t for t in told)
        assert [h.article.id for h in store.search("مدرسه")] == ["aaaaaaaaaaaa"]
        assert store.integrity_check()


def test_v2_bodies_become_text_and_layout(tmp_path: Path) -> None:
    """v2 -> v3: every kind of block survives the change of body encoding, and the recomputed revision
    matches what the store computes, so the feed's next refresh finds the article unchanged."""
    path = tmp_path / "v2.db"
    _build(path, 2)
    feed_url = "https://old.example/feed"
    rich = replace(article("rich", "غني", feed_url=feed_url, language="ar", url="https://old.example/r"),
                   feed_id=1, blocks=(
                       Block(BlockKind.HEADING, "عنوان فرعي", 2), Block(BlockKind.PARAGRAPH, "فقرة"),
                       Block(BlockKind.LIST_ITEM, "بند", 1, Direction.RTL, "ar"),
                       Block(BlockKind.PREFORMATTED, "line one\n  line two"), Block(BlockKind.IMAGE, ""),
                       Block(BlockKind.QUOTE, "quote", direction=Direction.LTR)),
                   links=(Link(1, "https://old.example/l", "link"),))
    text = rich.body_text
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO articles(seq, id, feed_id, guid, url, title, published, sort_time, first_seen, language,"
        " direction, blocks, links, content_hash, revision) VALUES (2, ?, 1, ?, ?, ?, ?, 1.7e9, 1.7e9, ?,"
        " 'auto', ?, ?, ?, 'written-by-v2')",
        (rich.id, rich.guid, rich.url, rich.title, to_iso(rich.published), rich.language,
         encode_blocks(rich.blocks), encode_links(rich.links), content_hash(rich.title, text)))
    fts_mod.index(conn, 2, rich.title, text)
    conn.close()
    with Store.open(path) as store:
        got = store.get_article(rich.id)
        assert got.blocks == rich.blocks and got.links == rich.links
        assert got.body_text == text
        result = store.write_feed_entries(1, [rich])
        assert result.unchanged == 1 and not result.updated and not result.new
        assert [h.article.id for h in store.search("بند")] == [rich.id]
        assert store.integrity_check()
    columns = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(articles)")}
    assert {"body", "layout"} <= columns and "blocks" not in columns

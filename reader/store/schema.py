"""The archive's schema and its forward migrations, versioned with ``PRAGMA user_version``.

``MIGRATIONS[n]`` takes an archive from version ``n`` to ``n + 1``; a new archive runs them all. Steps are
never edited once released (an archive out there is at that version): a change is a new step at the end,
and ``tests/store/test_migrations.py`` builds an archive at every earlier version and upgrades it. All steps
run in one write transaction, so a crash during an upgrade leaves the old version intact.

The search index is an FTS5 table in the same file, written in the same transaction as the articles (not
an attached database synced afterwards): the archive and its index then commit together, so a refresh
killed at any instant leaves no article unindexed and no index entry without its article, and
``khabar search`` needs no repair pass. It is *contentless* (``content=''``): it holds only the index of
the folded text, not a second copy of it, which keeps the archive about 40 % smaller; snippets are cut from
the original text in Python anyway, because their offsets must refer to the text as written. Removing a
document from a contentless index needs the exact tokens it was indexed with, so the store re-folds the
stored original, and records a fingerprint of the folding so that a change to ``reader.normalize``
triggers a full rebuild instead of a corrupt index.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    site_url TEXT,
    etag TEXT,
    last_modified TEXT,
    last_refresh TEXT,
    last_error TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    added TEXT NOT NULL
);

CREATE TABLE feed_tags (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (feed_id, tag)
) WITHOUT ROWID;
CREATE INDEX feed_tags_by_tag ON feed_tags(tag, feed_id);

CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    guid TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL DEFAULT '',
    author TEXT,
    published TEXT,
    updated TEXT,
    sort_time REAL NOT NULL,
    first_seen REAL NOT NULL,
    language TEXT,
    direction TEXT NOT NULL DEFAULT 'auto',
    summary TEXT NOT NULL DEFAULT '',
    blocks TEXT NOT NULL DEFAULT '[]',
    links TEXT NOT NULL DEFAULT '[]',
    content_hash TEXT NOT NULL,
    revision TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    saved INTEGER NOT NULL DEFAULT 0,
    read_at TEXT,
    origin TEXT
);
CREATE INDEX articles_by_time ON articles(sort_time, seq);
CREATE INDEX articles_by_feed ON articles(feed_id, sort_time, seq);
CREATE INDEX articles_by_guid ON articles(feed_id, guid);
CREATE INDEX articles_by_url ON articles(feed_id, url) WHERE url IS NOT NULL;
CREATE INDEX articles_by_hash ON articles(feed_id, content_hash);
CREATE INDEX articles_unread ON articles(sort_time, seq) WHERE read = 0;
CREATE INDEX articles_unread_by_feed ON articles(feed_id) WHERE read = 0;
CREATE INDEX articles_starred ON articles(sort_time, seq) WHERE starred = 1;
CREATE INDEX articles_saved ON articles(sort_time, seq) WHERE saved = 1;

CREATE VIRTUAL TABLE search_index USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 0'
);
"""


def _v1(conn: sqlite3.Connection) -> None:
    """Feeds with tags and fetch state, articles with state, and the search index."""
    _run(V1, conn)


V2 = """
ALTER TABLE articles ADD COLUMN entities_at TEXT;
CREATE INDEX articles_without_entities ON articles(seq) WHERE entities_at IS NULL;

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (key, type)
);

CREATE TABLE article_entities (
    article_seq INTEGER NOT NULL REFERENCES articles(seq) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (article_seq, entity_id)
) WITHOUT ROWID;
CREATE INDEX article_entities_by_entity ON article_entities(entity_id, article_seq);

CREATE TABLE mentions (
    article_seq INTEGER NOT NULL,
    entity_id INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_seq, entity_id, start, "end"),
    FOREIGN KEY (article_seq, entity_id) REFERENCES article_entities(article_seq, entity_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE purged (
    id TEXT PRIMARY KEY,
    at REAL NOT NULL
) WITHOUT ROWID;
"""


def _run(script: str, conn: sqlite3.Connection) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def _v2(conn: sqlite3.Connection) -> None:
    """Entities and their mentions (filled by the extractor), when each article was last extracted, and
    the ids of purged articles, so a feed that still lists them does not bring them back."""
    _run(V2, conn)


def _v3(conn: sqlite3.Connection) -> None:
    """The body as text plus a small layout instead of one JSON array of blocks (see ``codec``): writes
    no longer JSON-escape every body. Revisions are recomputed with the formula that goes with it. The
    search index holds the same folded text either way, so it is kept."""
    from reader.store import codec

    conn.execute("ALTER TABLE articles ADD COLUMN body TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE articles ADD COLUMN layout TEXT NOT NULL DEFAULT '[]'")
    cursor = conn.execute("SELECT seq, blocks, content_hash, url, author, published, updated, language,"
                          " direction, summary, links FROM articles")
    while rows := cursor.fetchmany(500):
        updates = []
        for seq, blocks_json, chash, *fields, links in rows:
            url, author, published, updated, language, direction, summary = fields
            blocks = codec.decode_blocks(blocks_json)
            layout = codec.encode_layout(blocks)
            rev = codec.revision_of(chash, url, author, published, updated, language, direction, summary,
                                    layout, links)
            updates.append((codec.body_text(blocks), layout, rev, seq))
        conn.executemany("UPDATE articles SET body = ?, layout = ?, revision = ? WHERE seq = ?", updates)
    if sqlite3.sqlite_version_info >= (3, 35, 0):
        conn.execute("ALTER TABLE articles DROP COLUMN blocks")
    else:  # older SQLite cannot drop a column: empty it instead (the store never reads it again)
        conn.execute("UPDATE articles SET blocks = '[]'")


FTS_AUTOMERGE = 16
"""Segments of one size the search index lets pile up before merging them (FTS5's default is 4, its
maximum 16)."""


def _v4(conn: sqlite3.Connection) -> None:
    """Let the search index merge its segments less eagerly during writes. Every refresh commits a small
    segment, and with FTS5's default (merge as soon as 4 pile up) a refresh spends much of its time
    re-merging older segments. With 16, a 10,000-article insert takes about 15 % less CPU; a query reads
    more segments, but searches of an unvacuumed 30,000-article archive measured the same (9-12 ms each
    way), and ``khabar vacuum`` still merges the index into one segment."""
    conn.execute("INSERT INTO search_index(search_index, rank) VALUES ('automerge', ?)", (FTS_AUTOMERGE,))


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4]
"""``MIGRATIONS[n]`` upgrades version n to n + 1 (version 0 is an empty file)."""

SCHEMA_VERSION = len(MIGRATIONS)


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Run the steps from the archive's version up to ``target`` inside the caller's transaction; returns
    the version found. The caller checks that the archive is not newer than this code."""
    found = version(conn)
    for step in range(found, target):
        MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {step + 1}")
    return found

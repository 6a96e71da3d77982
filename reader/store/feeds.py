"""Feeds: subscriptions with their tags and fetch state (part of ``Store``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from reader.errors import NotFoundError, UsageError
from reader.model import Feed
from reader.store import codec, fts
from reader.store.base import FEED_COLUMNS, StoreBase, fetch_all, fetch_one


class FeedsMixin(StoreBase):
    """add, update, remove, get and list feeds; record fetches."""

    def add_feed(self, feed: Feed) -> Feed:
        """Subscribe; returns the feed with its id. Tags and any fetch state given are stored too
        (``khabar import`` of an export restores them). UsageError if the URL is already subscribed."""
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM feeds WHERE url = ?", (feed.url,)).fetchone():
                raise UsageError(f"already subscribed to {feed.url}")
            cur = conn.execute(
                "INSERT INTO feeds(url, title, site_url, etag, last_modified, last_refresh, last_error,"
                " error_count, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (feed.url, feed.title, feed.site_url, feed.etag, feed.last_modified,
                 codec.to_iso(feed.last_refresh), feed.last_error, feed.error_count,
                 codec.to_iso(codec.now())))
            feed_id = int(cur.lastrowid or 0)
            self._set_tags(conn, feed_id, feed.tags)
        return replace(feed, id=feed_id, unread=0)

    def update_feed(self, feed: Feed) -> None:
        """Change a feed's title, URL, site URL and tags (fetch state goes through ``record_fetch``)."""
        if feed.id is None:
            raise UsageError("update_feed needs a stored feed (its id is None)")
        with self._db.write() as conn:
            if fetch_one(conn, "SELECT 1 FROM feeds WHERE id = ?", (feed.id,)) is None:
                raise NotFoundError(f"no feed with id {feed.id}")
            clash = fetch_one(conn, "SELECT id FROM feeds WHERE url = ? AND id != ?", (feed.url, feed.id))
            if clash:
                raise UsageError(f"another feed (id {clash[0]}) already has the URL {feed.url}")
            conn.execute("UPDATE feeds SET title = ?, url = ?, site_url = ? WHERE id = ?",
                         (feed.title, feed.url, feed.site_url, feed.id))
            self._set_tags(conn, feed.id, feed.tags)

    @staticmethod
    def _set_tags(conn: sqlite3.Connection, feed_id: int, tags: Sequence[str]) -> None:
        conn.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
        clean = [t.strip() for t in dict.fromkeys(tags) if t.strip()]
        conn.executemany("INSERT OR IGNORE INTO feed_tags(feed_id, tag, position) VALUES (?, ?, ?)",
                         [(feed_id, tag, i) for i, tag in enumerate(clean)])

    def remove_feed(self, feed_id: int) -> None:
        """Unsubscribe. The feed's articles go too, except saved or starred ones: those stay, with no feed
        and the feed's title kept as their source."""
        with self._db.write() as conn:
            row = conn.execute("SELECT title, url FROM feeds WHERE id = ?", (feed_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            self._index_ready(conn)
            gone = "feed_id = ? AND saved = 0 AND starred = 0"
            fts.unindex_rows(conn, gone, (feed_id,))
            self._delete_articles(conn, gone, (feed_id,))
            conn.execute("UPDATE articles SET origin = ? WHERE feed_id = ?", (row[0] or row[1], feed_id))
            conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))  # kept articles: feed_id -> NULL

    def get_feed(self, ref: str | int) -> Feed:
        """A feed by id, URL or exact title (in that order); NotFoundError otherwise."""
        text = str(ref).strip()
        with self._db.read() as conn:
            row = None
            if text.isdigit():
                row = fetch_one(conn, f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (int(text),))
            if row is None:
                row = conn.execute(f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (text,)).fetchone()
            if row is None:
                rows = fetch_all(conn, f"SELECT {FEED_COLUMNS} FROM feeds f WHERE f.title = ?", (text,))
                if len(rows) > 1:
                    raise UsageError(f"{len(rows)} feeds are titled {text!r}: name one by its id or URL")
                row = rows[0] if rows else None
            if row is None:
                raise NotFoundError(f"no feed {text!r} (give its id, URL or exact title; see 'khabar feeds')")
            return self._feeds(conn, [row])[0]

    def list_feeds(self) -> list[Feed]:
        """Every feed with its tags and unread count, by title."""
        with self._db.snapshot() as conn:
            rows = fetch_all(conn, f"SELECT {FEED_COLUMNS} FROM feeds f ORDER BY lower(f.title), f.id", ())
            return self._feeds(conn, rows)

    @staticmethod
    def _feeds(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[Feed]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        marks = ",".join("?" * len(ids))
        tags: dict[int, list[str]] = {}
        for fid, tag in conn.execute(
                f"SELECT feed_id, tag FROM feed_tags WHERE feed_id IN ({marks})"
                " ORDER BY feed_id, position", ids):
            tags.setdefault(fid, []).append(tag)
        unread = dict(conn.execute(
            f"SELECT feed_id, count(*) FROM articles WHERE read = 0 AND feed_id IN ({marks})"
            " GROUP BY feed_id",
            ids).fetchall())
        return [Feed(url=r["url"], title=r["title"], id=r["id"], site_url=r["site_url"],
                     tags=tuple(tags.get(r["id"], ())), etag=r["etag"], last_modified=r["last_modified"],
                     last_refresh=codec.from_iso(r["last_refresh"]), last_error=r["last_error"],
                     error_count=r["error_count"], unread=unread.get(r["id"], 0)) for r in rows]

    def record_fetch(self, feed_id: int, *, etag: str | None, last_modified: str | None, error: str | None,
                     url: str | None = None, title: str | None = None) -> None:
        """Record a fetch: ``error`` None is a success (error count reset, last refresh now, validators
        stored); an error string counts a failure and keeps the old validators. ``url`` is a permanent
        redirect's target, ``title`` the feed's own title when the user gave none."""
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            if error is None:
                conn.execute("UPDATE feeds SET etag = ?, last_modified = ?, last_refresh = ?,"
                             " last_error = NULL, error_count = 0 WHERE id = ?",
                             (etag, last_modified, codec.to_iso(codec.now()), feed_id))
            else:
                conn.execute("UPDATE feeds SET last_error = ?, error_count = error_count + 1 WHERE id = ?",
                             (error, feed_id))
            if url:
                clash = fetch_one(conn, "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (url, feed_id))
                if clash is None:
                    conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (url, feed_id))
            if title:
                conn.execute("UPDATE feeds SET title = ? WHERE id = ? AND title = ''", (title, feed_id))


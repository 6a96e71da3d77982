"""Writing articles: a feed's entries, imports, and fuller bodies, each in one transaction (part of
``Store``). Deduplication, in-place updates that keep the reader's state, and the search index kept in
step all happen here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from reader.errors import NotFoundError
from reader.model import Article, Block, Link, article_id, body_text
from reader.store import codec, fts
from reader.store import entities as entities_mod
from reader.store.base import MATCH_COLUMNS, StoreBase, fetch_all, fetch_one
from reader.store.types import WriteResult


class WritingMixin(StoreBase):
    """write_feed_entries, import_articles, replace_body."""

    def write_feed_entries(self, feed_id: int, articles: Sequence[Article]) -> WriteResult:
        """Store one refresh of one feed in ONE transaction. Entries are matched within the feed by guid,
        then URL, then a hash of title and body (never across feeds); new ones are inserted, changed ones
        updated in place keeping read, starred and saved, the rest counted as unchanged."""
        result = WriteResult()
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            self._index_ready(conn)
            now = codec.now().timestamp()
            purged_any = fetch_one(conn, "SELECT EXISTS (SELECT 1 FROM purged)", ())[0] == 1
            for article in articles:
                self._writeone(conn, article, feed_id, now, result, from_feed=True, purged_any=purged_any)
        return result

    def import_articles(self, articles: Sequence[Article]) -> WriteResult:
        """Store articles from files or an export in ONE transaction: with their state, in the feed they
        name (which must exist) or in none. Re-importing the same articles changes nothing."""
        result = WriteResult()
        with self._db.write() as conn:
            self._index_ready(conn)
            now = codec.now().timestamp()
            known: set[int] = set()
            for article in articles:
                if article.feed_id is not None and article.feed_id not in known:
                    if fetch_one(conn, "SELECT 1 FROM feeds WHERE id = ?", (article.feed_id,)) is None:
                        raise NotFoundError(f"article {article.id} names feed {article.feed_id}, which "
                                            "is not in the archive")
                    known.add(article.feed_id)
                self._writeone(conn, article, article.feed_id, now, result, from_feed=False)
        return result

    @staticmethod
    def _find(conn: sqlite3.Connection, feed_id: int | None, article: Article, chash: str
              ) -> sqlite3.Row | None:
        """The stored article this entry is: same feed and guid, else URL, else content hash. One query
        (SQLite answers the OR from the three indexes) rather than three: this runs for every entry."""
        feed_test = "feed_id = ?" if feed_id is not None else "feed_id IS NULL"
        base: tuple[object, ...] = (feed_id,) if feed_id is not None else ()
        rows: list[sqlite3.Row] = fetch_all(
            conn, f"SELECT {MATCH_COLUMNS}, url FROM articles WHERE {feed_test} AND"
            " (guid = ? OR url = ? OR content_hash = ?) LIMIT 16", (*base, article.guid, article.url, chash))
        if not rows:
            return None
        for r in rows:
            if r["guid"] == article.guid:
                return r
        if article.url:
            for r in rows:
                if r["url"] == article.url:
                    return r
        return rows[0]

    def _writeone(self, conn: sqlite3.Connection, article: Article, feed_id: int | None, now: float,
                   result: WriteResult, *, from_feed: bool, purged_any: bool = False) -> None:
        """Insert, update or skip one entry (see ``write_feed_entries``)."""
        layout = codec.encode_layout(article.blocks)
        links = codec.encode_links(article.links)
        text = body_text(article.blocks)
        chash = codec.content_hash(article.title, text)
        rev = codec.revision(chash, article, layout, links)
        row = None
        if not from_feed:
            row = fetch_one(conn, f"SELECT {MATCH_COLUMNS} FROM articles WHERE id = ?", (article.id,))
            if row is not None and row["feed_id"] != feed_id and row["feed_id"] is not None:
                row = None  # same id in another feed: leave that one alone
        if row is None:
            row = self._find(conn, feed_id, article, chash)
        if row is None:
            if purged_any and fetch_one(conn, "SELECT 1 FROM purged WHERE id = ?", (article.id,)) is not None:
                result.unchanged += 1  # purged by retention; the feed still lists it
                return
            new_id = article.id or article_id(f"feed:{feed_id}", article.guid)
            try:
                self._insert(conn, new_id, feed_id, article, layout, links, text, chash, rev, now, from_feed)
                result.new.append(new_id)
                return
            except sqlite3.IntegrityError:  # the id is taken: a kept article coming back, or a clash
                row = self._reattach(conn, feed_id, article) if from_feed else None
                if row is None:
                    other = self._free_id(conn, feed_id, article)
                    if other is None:
                        result.unchanged += 1
                    else:
                        self._insert(conn, other, feed_id, article, layout, links, text, chash, rev, now,
                                     from_feed)
                        result.new.append(other)
                    return
        if row["guid"] != article.guid:  # matched by URL or content: follow the feed's new guid
            conn.execute("UPDATE articles SET guid = ? WHERE seq = ?", (article.guid, row["seq"]))
        if row["revision"] == rev:
            if not from_feed:
                self._merge_state(conn, row["seq"], article)
            result.unchanged += 1
            return
        self._update(conn, row, article, layout, links, text, chash, rev)
        if not from_feed:
            self._merge_state(conn, row["seq"], article)
            if article.entities:
                entities_mod.store(conn, row["seq"], article.entities)
        result.updated.append(row["id"])

    @staticmethod
    def _insert(conn: sqlite3.Connection, new_id: str, feed_id: int | None, article: Article, layout: str,
                links: str, text: str, chash: str, rev: str, now: float, from_feed: bool) -> None:
        sort_time = codec.timestamp(article.published) or codec.timestamp(article.updated) or now
        cur = conn.execute(
            "INSERT INTO articles(id, feed_id, guid, url, title, author, published, updated, sort_time,"
            " first_seen, language, direction, summary, body, layout, links, content_hash, revision, read,"
            " starred, saved, read_at, origin) VALUES (" + ", ".join("?" * 23) + ")",
            (new_id, feed_id, article.guid, article.url, article.title, article.author,
             codec.to_iso(article.published), codec.to_iso(article.updated), sort_time, now,
             article.language, article.direction.value, article.summary, text, layout, links, chash, rev,
             int(article.read), int(article.starred), int(article.saved),
             codec.to_iso(article.read_at if article.read else None),
             None if feed_id is not None else (article.feed_title or None)))
        seq = int(cur.lastrowid or 0)
        fts.index(conn, seq, article.title, text)
        if article.entities and not from_feed:
            entities_mod.store(conn, seq, article.entities)

    @staticmethod
    def _reattach(conn: sqlite3.Connection, feed_id: int | None, article: Article) -> sqlite3.Row | None:
        """A kept (saved or starred) article of a removed feed, coming back because the feed was added
        again: it rejoins the feed instead of being duplicated."""
        row: sqlite3.Row | None = fetch_one(
            conn, f"SELECT {MATCH_COLUMNS} FROM articles WHERE id = ? AND feed_id IS NULL AND guid = ?",
            (article.id, article.guid))
        if row is not None:
            conn.execute("UPDATE articles SET feed_id = ?, origin = NULL WHERE seq = ?",
                         (feed_id, row["seq"]))
        return row

    @staticmethod
    def _free_id(conn: sqlite3.Connection, feed_id: int | None, article: Article) -> str | None:
        """An id for an entry whose own id another article has (a hostile feed copying guids): one
        derived from the feed's archive id instead."""
        candidate = article_id(f"feed:{feed_id}", article.guid)
        for attempt in range(8):
            if fetch_one(conn, "SELECT 1 FROM articles WHERE id = ?", (candidate,)) is None:
                return candidate
            candidate = article_id(f"feed:{feed_id}#{attempt}", article.guid)
        return None

    def _update(self, conn: sqlite3.Connection, row: sqlite3.Row, article: Article, layout: str, links: str,
                text: str, chash: str, rev: str) -> None:
        """Replace a stored article's content in place; its id, state and first-seen time stay."""
        fts.unindex(conn, row["seq"], row["title"], row["body"])
        sort_time = (codec.timestamp(article.published) or codec.timestamp(article.updated)
                     or row["first_seen"])
        conn.execute(
            "UPDATE articles SET guid = ?, url = ?, title = ?, author = ?, published = ?, updated = ?,"
            " sort_time = ?, language = ?, direction = ?, summary = ?, body = ?, layout = ?, links = ?,"
            " content_hash = ?, revision = ? WHERE seq = ?",
            (article.guid, article.url, article.title, article.author, codec.to_iso(article.published),
             codec.to_iso(article.updated), sort_time, article.language, article.direction.value,
             article.summary, text, layout, links, chash, rev, row["seq"]))
        fts.index(conn, row["seq"], article.title, text)
        self._content_changed(conn, row["seq"])

    @staticmethod
    def _content_changed(conn: sqlite3.Connection, seq: int) -> None:
        """What depends on the body text goes: entity spans would point at the wrong characters."""
        entities_mod.clear(conn, seq)

    @staticmethod
    def _merge_state(conn: sqlite3.Connection, seq: int, article: Article) -> None:
        """An import adds state (read, starred, saved) but never takes it away."""
        conn.execute(
            "UPDATE articles SET read = max(read, ?), starred = max(starred, ?), saved = max(saved, ?),"
            " read_at = COALESCE(read_at, ?) WHERE seq = ?",
            (int(article.read), int(article.starred), int(article.saved),
             codec.to_iso(article.read_at if article.read else None), seq))

    def replace_body(self, article_id: str, blocks: Sequence[Block], links: Sequence[Link]) -> None:
        """Store a fuller body (``khabar fetch-full``); the feed's next refresh will not undo it unless
        the feed's own entry changes."""
        with self._db.write() as conn:
            row = fetch_one(conn, "SELECT seq, title, body FROM articles WHERE id = ?", (article_id,))
            if row is None:
                raise NotFoundError(f"no article {article_id!r}")
            self._index_ready(conn)
            fts.unindex(conn, row["seq"], row["title"], row["body"])
            text = body_text(tuple(blocks))
            layout, encoded_links = codec.encode_layout(blocks), codec.encode_links(links)
            # The revision stays the feed's: the next refresh compares against what the feed said.
            conn.execute("UPDATE articles SET body = ?, layout = ?, links = ? WHERE seq = ?",
                         (text, layout, encoded_links, row["seq"]))
            fts.index(conn, row["seq"], row["title"], text)
            self._content_changed(conn, row["seq"])


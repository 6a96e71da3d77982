"""``Store``: the archive. Feeds, articles with their state, search, maintenance, over one SQLite file.

Every public method is one unit of work: reads see one consistent state, writes are one transaction (a
whole feed's entries, a whole import), so a process killed at any instant leaves the archive as it was
before the unit or after it. Rows never leave this package: callers get ``reader.model`` types.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from reader.errors import NotFoundError, StoreError, UsageError
from reader.model import Article, Block, Direction, Entity, Feed, Link, article_id, body_text
from reader.store import codec, fts, schema
from reader.store import entities as entities_mod
from reader.store import search as search_mod
from reader.store.db import Database
from reader.store.query import parse, positive_terms, to_fts
from reader.store.types import ArticleQuery, SearchHit, WriteResult

_LIST_COLUMNS = """a.seq, a.id, a.feed_id, a.guid, a.title, a.url, a.author, a.published, a.updated,
    a.language, a.direction, a.summary, a.read, a.starred, a.saved, a.read_at,
    COALESCE(f.title, a.origin, '') AS feed_title"""
_FULL_COLUMNS = _LIST_COLUMNS + ", a.body, a.layout, a.links"
_MATCH_COLUMNS = "seq, id, feed_id, guid, title, body, revision, first_seen"
_FEED_COLUMNS = """f.id, f.url, f.title, f.site_url, f.etag, f.last_modified, f.last_refresh, f.last_error,
    f.error_count"""

_ALL = ArticleQuery()
_TIE_SPARE = 20
"""Extra ranked rows read so that articles tied on score at the end of a page are ordered by date."""


def _one(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> Any:
    return conn.execute(sql, params).fetchone()


def _all(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Any]:
    return conn.execute(sql, params).fetchall()


class Store:
    """An open archive. Use ``Store.open(path)``; close it (or use it as a context manager)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._index_checked = False

    # -- opening ----------------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, readonly: bool = False, busy_timeout: float = 10.0,
             on_wait: Callable[[str], None] | None = None) -> Store:
        """Open (creating and upgrading as needed) the archive at ``path``. ``on_wait`` is told, once per
        wait, when a write has to wait for another process; ``busy_timeout`` seconds later it gives up."""
        db = Database(Path(path), readonly=readonly, busy_timeout=busy_timeout, on_wait=on_wait)
        try:
            with db.read() as conn:
                found = schema.version(conn)
            if found > schema.SCHEMA_VERSION:
                raise StoreError(f"the archive {path} was written by a newer Khabar (schema {found}; this "
                                 f"version reads up to {schema.SCHEMA_VERSION})")
            if found < schema.SCHEMA_VERSION:
                if readonly:
                    raise StoreError(f"the archive {path} needs an upgrade (schema {found} to "
                                     f"{schema.SCHEMA_VERSION}); open it once without read-only")
                with db.write() as conn:
                    if schema.version(conn) < schema.SCHEMA_VERSION:  # another process may have done it
                        schema.migrate(conn)
        except BaseException:
            db.close()
            raise
        return cls(db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self._db.path

    def _index_ready(self, conn: sqlite3.Connection) -> None:
        """Before the first index write of this process: rebuild the index if folding changed."""
        if not self._index_checked:
            fts.ensure_current(conn, self._db.on_wait)
            self._index_checked = True

    # -- feeds ------------------------------------------------------------------------------------------
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
            if _one(conn, "SELECT 1 FROM feeds WHERE id = ?", (feed.id,)) is None:
                raise NotFoundError(f"no feed with id {feed.id}")
            clash = _one(conn, "SELECT id FROM feeds WHERE url = ? AND id != ?", (feed.url, feed.id))
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

    @staticmethod
    def _delete_articles(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> int:
        return int(conn.execute(f"DELETE FROM articles WHERE {where}", params).rowcount)

    def get_feed(self, ref: str | int) -> Feed:
        """A feed by id, URL or exact title (in that order); NotFoundError otherwise."""
        text = str(ref).strip()
        with self._db.read() as conn:
            row = None
            if text.isdigit():
                row = _one(conn, f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (int(text),))
            if row is None:
                row = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ?", (text,)).fetchone()
            if row is None:
                rows = _all(conn, f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.title = ?", (text,))
                if len(rows) > 1:
                    raise UsageError(f"{len(rows)} feeds are titled {text!r}: name one by its id or URL")
                row = rows[0] if rows else None
            if row is None:
                raise NotFoundError(f"no feed {text!r} (give its id, URL or exact title; see 'khabar feeds')")
            return self._feeds(conn, [row])[0]

    def list_feeds(self) -> list[Feed]:
        """Every feed with its tags and unread count, by title."""
        with self._db.snapshot() as conn:
            rows = _all(conn, f"SELECT {_FEED_COLUMNS} FROM feeds f ORDER BY lower(f.title), f.id", ())
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
                clash = _one(conn, "SELECT 1 FROM feeds WHERE url = ? AND id != ?", (url, feed_id))
                if clash is None:
                    conn.execute("UPDATE feeds SET url = ? WHERE id = ?", (url, feed_id))
            if title:
                conn.execute("UPDATE feeds SET title = ? WHERE id = ? AND title = ''", (title, feed_id))

    # -- writing articles -------------------------------------------------------------------------------
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
            purged_any = _one(conn, "SELECT EXISTS (SELECT 1 FROM purged)", ())[0] == 1
            for article in articles:
                self._write_one(conn, article, feed_id, now, result, from_feed=True, purged_any=purged_any)
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
                    if _one(conn, "SELECT 1 FROM feeds WHERE id = ?", (article.feed_id,)) is None:
                        raise NotFoundError(f"article {article.id} names feed {article.feed_id}, which "
                                            "is not in the archive")
                    known.add(article.feed_id)
                self._write_one(conn, article, article.feed_id, now, result, from_feed=False)
        return result

    @staticmethod
    def _find(conn: sqlite3.Connection, feed_id: int | None, article: Article, chash: str
              ) -> sqlite3.Row | None:
        """The stored article this entry is: same feed and guid, else URL, else content hash. One query
        (SQLite answers the OR from the three indexes) rather than three: this runs for every entry."""
        feed_test = "feed_id = ?" if feed_id is not None else "feed_id IS NULL"
        base: tuple[object, ...] = (feed_id,) if feed_id is not None else ()
        rows: list[sqlite3.Row] = _all(
            conn, f"SELECT {_MATCH_COLUMNS}, url FROM articles WHERE {feed_test} AND"
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

    def _write_one(self, conn: sqlite3.Connection, article: Article, feed_id: int | None, now: float,
                   result: WriteResult, *, from_feed: bool, purged_any: bool = False) -> None:
        """Insert, update or skip one entry (see ``write_feed_entries``)."""
        layout = codec.encode_layout(article.blocks)
        links = codec.encode_links(article.links)
        text = body_text(article.blocks)
        chash = codec.content_hash(article.title, text)
        rev = codec.revision(chash, article, layout, links)
        row = None
        if not from_feed:
            row = _one(conn, f"SELECT {_MATCH_COLUMNS} FROM articles WHERE id = ?", (article.id,))
            if row is not None and row["feed_id"] != feed_id and row["feed_id"] is not None:
                row = None  # same id in another feed: leave that one alone
        if row is None:
            row = self._find(conn, feed_id, article, chash)
        if row is None:
            if purged_any and _one(conn, "SELECT 1 FROM purged WHERE id = ?", (article.id,)) is not None:
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
        row: sqlite3.Row | None = _one(
            conn, f"SELECT {_MATCH_COLUMNS} FROM articles WHERE id = ? AND feed_id IS NULL AND guid = ?",
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
            if _one(conn, "SELECT 1 FROM articles WHERE id = ?", (candidate,)) is None:
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
            row = _one(conn, "SELECT seq, title, body FROM articles WHERE id = ?", (article_id,))
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

    # -- reading articles -------------------------------------------------------------------------------
    @staticmethod
    def _article(row: sqlite3.Row, *, full: bool) -> Article:
        return Article(
            id=row["id"], feed_id=row["feed_id"], guid=row["guid"], title=row["title"], url=row["url"],
            author=row["author"], published=codec.from_iso(row["published"]),
            updated=codec.from_iso(row["updated"]), language=row["language"],
            direction=Direction(row["direction"]), summary=row["summary"],
            blocks=codec.decode_body(row["body"], row["layout"]) if full else (),
            links=codec.decode_links(row["links"]) if full else (),
            read=bool(row["read"]), starred=bool(row["starred"]), saved=bool(row["saved"]),
            read_at=codec.from_iso(row["read_at"]), feed_title=row["feed_title"])

    def get_article(self, article_id: str) -> Article:
        """One article with body, links, state and entities; NotFoundError for an unknown id."""
        with self._db.snapshot() as conn:
            row = conn.execute(f"SELECT {_FULL_COLUMNS} FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id"
                               " WHERE a.id = ?", (article_id.strip(),)).fetchone()
            if row is None:
                raise NotFoundError(f"no article {article_id!r} (ids are what 'khabar list' prints)")
            return self._with_entities(conn, row["seq"], self._article(row, full=True))

    @staticmethod
    def _with_entities(conn: sqlite3.Connection, seq: int, article: Article) -> Article:
        found = entities_mod.load(conn, seq)
        return replace(article, entities=found) if found else article

    def _where(self, conn: sqlite3.Connection, query: ArticleQuery) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if query.feed_id is not None:
            where.append("a.feed_id = ?")
            params.append(query.feed_id)
        if query.feed_ids is not None:
            where.append(f"a.feed_id IN ({','.join('?' * len(query.feed_ids))})" if query.feed_ids else "0")
            params.extend(query.feed_ids)
        if query.tag:
            where.append("a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)")
            params.append(query.tag)
        if query.unread:
            where.append("a.read = 0")
        if query.starred:
            where.append("a.starred = 1")
        if query.saved:
            where.append("a.saved = 1")
        if query.search:
            where.append("a.seq IN (SELECT rowid FROM search_index WHERE search_index MATCH ?)")
            params.append(to_fts(parse(query.search)))
        self._entity_filter(query, where, params)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    @staticmethod
    def _entity_filter(query: ArticleQuery, where: list[str], params: list[Any]) -> None:
        if query.entity_key:
            sql, keys = entities_mod.key_filter(query.entity_key)
            where.append(sql)
            params.extend(keys)

    def list_articles(self, query: ArticleQuery = _ALL) -> list[Article]:
        """A page of articles, newest first, WITHOUT bodies, links or entities (``get_article`` has
        them): a listing of 100,000 articles must not decode 100,000 bodies."""
        if query.limit <= 0:
            return []
        with self._db.snapshot() as conn:
            sql, params = self._where(conn, query)
            if query.before:
                anchor = conn.execute("SELECT sort_time, seq FROM articles WHERE id = ?",
                                      (query.before,)).fetchone()
                if anchor is None:
                    raise NotFoundError(f"no article {query.before!r} to page from")
                sql += (" AND " if sql else " WHERE ") + "(a.sort_time, a.seq) < (?, ?)"
                params += [anchor[0], anchor[1]]
            hint = self._time_scan_hint(conn, query)
            rows = conn.execute(
                f"SELECT {_LIST_COLUMNS} FROM articles a{hint} LEFT JOIN feeds f ON f.id = a.feed_id{sql}"
                " ORDER BY a.sort_time DESC, a.seq DESC LIMIT ? OFFSET ?",
                (*params, query.limit, max(0, query.offset))).fetchall()
            return [self._article(r, full=False) for r in rows]

    @staticmethod
    def _time_scan_hint(conn: sqlite3.Connection, query: ArticleQuery) -> str:
        """For a search listed newest first: when matches are common, walking the time index and testing
        each article against the match set finds a page in a few hundred steps, while SQLite's own plan
        fetches and sorts every match (20,000 matches: 2 ms against 40 ms). Rare matches keep its plan."""
        if not query.search or query.feed_id is not None or query.feed_ids is not None or query.tag \
                or query.entity_key:
            return ""
        matches = _one(conn, "SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                       (to_fts(parse(query.search)),))[0]
        total = _one(conn, "SELECT max(seq) FROM articles", ())[0] or 0
        return " INDEXED BY articles_by_time" if matches * 50 >= total and matches >= 200 else ""

    def count_articles(self, query: ArticleQuery = _ALL) -> int:
        """How many articles the query matches (limit, offset and cursor ignored)."""
        with self._db.read() as conn:
            if query.search and query == ArticleQuery(search=query.search, limit=query.limit,
                                                      before=query.before, offset=query.offset):
                # The index holds exactly the archive's articles (same transactions): count there.
                return int(_one(conn, "SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                                (to_fts(parse(query.search)),))[0])
            sql, params = self._where(conn, query)
            return int(conn.execute(f"SELECT count(*) FROM articles a{sql}", params).fetchone()[0])

    def iter_articles(self, *, batch: int = 500) -> Iterator[Article]:
        """Every article, full (body, links, entities), oldest first: for export."""
        last = -1
        while True:
            with self._db.snapshot() as conn:
                rows = conn.execute(f"SELECT {_FULL_COLUMNS} FROM articles a LEFT JOIN feeds f ON f.id ="
                                    " a.feed_id WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                                    (last, batch)).fetchall()
                page = [self._with_entities(conn, r["seq"], self._article(r, full=True)) for r in rows]
            if not rows:
                return
            last = rows[-1]["seq"]
            yield from page

    def existing_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these ids name articles in the archive."""
        ids = list(dict.fromkeys(a.strip() for a in article_ids))
        found: set[str] = set()
        with self._db.read() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                found.update(r[0] for r in _all(
                    conn, f"SELECT id FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return found

    # -- state ------------------------------------------------------------------------------------------
    def set_state(self, article_ids: Sequence[str], *, read: bool | None = None, starred: bool | None = None,
                  saved: bool | None = None) -> int:
        """Set read / starred / saved on articles (None leaves a flag alone); returns how many articles
        exist among ``article_ids``. Marking read records the time once; marking unread clears it."""
        sets: list[str] = []
        params: list[Any] = []
        if read is not None:
            sets.append("read = ?")
            params.append(int(read))
            sets.append("read_at = CASE WHEN ? THEN COALESCE(read_at, ?) ELSE NULL END")
            params += [int(read), codec.to_iso(codec.now())]
        if starred is not None:
            sets.append("starred = ?")
            params.append(int(starred))
        if saved is not None:
            sets.append("saved = ?")
            params.append(int(saved))
        ids = list(dict.fromkeys(a.strip() for a in article_ids))
        if not ids:
            return 0
        total = 0
        with self._db.write() as conn:
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                if sets:
                    conn.execute(f"UPDATE articles SET {', '.join(sets)} WHERE id IN ({marks})",
                                 (*params, *chunk))
                total += _one(conn, f"SELECT count(*) FROM articles WHERE id IN ({marks})", chunk)[0]
        return int(total)

    # -- entities ---------------------------------------------------------------------------------------
    def set_entities(self, article_id: str, entities: Sequence[Entity], *, for_text: str | None = None
                     ) -> bool:
        """Replace an article's entities (an empty list records "extracted, none found"). With
        ``for_text`` (the body text they were extracted from) nothing is stored if the article changed
        meanwhile; returns whether they were stored."""
        return self.set_entities_many([(article_id, entities, for_text)]) == 1

    def set_entities_many(self, items: Sequence[tuple[str, Sequence[Entity], str | None]]) -> int:
        """``set_entities`` for many articles in one transaction (a backfill); returns how many stored.
        Unknown ids are skipped (the article may have been purged meanwhile)."""
        stored = 0
        with self._db.write() as conn:
            for article_id, found, for_text in items:
                row = _one(conn, "SELECT seq, body FROM articles WHERE id = ?", (article_id,))
                if row is None or (for_text is not None and row[1] != for_text):
                    continue
                entities_mod.store(conn, row[0], found)
                stored += 1
        return stored

    def articles_without_entities(self, limit: int = 100) -> list[Article]:
        """Full articles never extracted (or changed since), oldest first, for the background pass."""
        with self._db.snapshot() as conn:
            rows = _all(conn, f"SELECT {_FULL_COLUMNS} FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id"
                        " WHERE a.entities_at IS NULL ORDER BY a.seq LIMIT ?", (max(0, limit),))
            return [self._article(r, full=True) for r in rows]

    # -- search -----------------------------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Articles matching ``query``, best first (bm25 over title and body, title weighted, newer first
        among equals), each with a snippet and highlight spans in offsets of the original text."""
        node = parse(query)
        match = to_fts(node)
        pats = search_mod.patterns(positive_terms(node))
        if limit <= 0:
            return []
        with self._db.snapshot() as conn:
            # Rank in the index alone (joining every match to its article to read its date would cost a
            # lookup per match); take some spare so that equal scores at the cut are settled by date.
            ranked = conn.execute(
                "SELECT rowid, bm25(search_index, 3.0, 1.0) AS score FROM search_index"
                " WHERE search_index MATCH ? ORDER BY score LIMIT ?", (match, limit + _TIE_SPARE)).fetchall()
            if not ranked:
                return []
            scores = {r[0]: r[1] for r in ranked}
            marks = ",".join("?" * len(scores))
            times = dict(_all(conn, f"SELECT seq, sort_time FROM articles WHERE seq IN ({marks})",
                              list(scores)))
            chosen = sorted(scores, key=lambda seq: (scores[seq], -times.get(seq, 0.0)))[:limit]
            marks = ",".join("?" * len(chosen))
            rows = conn.execute(f"SELECT {_FULL_COLUMNS} FROM articles a LEFT JOIN feeds f"
                                f" ON f.id = a.feed_id WHERE a.seq IN ({marks})", chosen).fetchall()
        order = {seq: i for i, seq in enumerate(chosen)}
        rows.sort(key=lambda r: order[r["seq"]])
        hits = []
        for row in rows:
            article = self._article(row, full=True)
            text, start, spans = search_mod.snippet(article.blocks, pats)
            hits.append(SearchHit(article=article, score=-float(scores[row["seq"]]), snippet=text,
                                  snippet_start=start, highlights=spans,
                                  title_spans=search_mod.title_spans(article.title, pats)))
        return hits

    # -- maintenance ------------------------------------------------------------------------------------
    def data_version(self) -> int:
        """Changes whenever another connection commits: a cheap "is there anything new?" poll."""
        with self._db.read() as conn:
            return int(conn.execute("PRAGMA data_version").fetchone()[0])

    def purge(self, keep_days: int) -> int:
        """Delete read, unstarred, unsaved articles older than ``keep_days`` days (by date, else first
        seen); 0 keeps everything. Returns how many were deleted."""
        if keep_days <= 0:
            return 0
        cutoff = (codec.now() - timedelta(days=keep_days)).timestamp()
        where = "read = 1 AND starred = 0 AND saved = 0 AND sort_time < ?"
        with self._db.write() as conn:
            self._index_ready(conn)
            fts.unindex_rows(conn, where, (cutoff,))
            self._before_purge(conn, where, (cutoff,))
            return self._delete_articles(conn, where, (cutoff,))

    @staticmethod
    def _before_purge(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> None:
        """Remember what a purge deletes, so a feed that still lists it does not bring it back."""
        conn.execute(f"INSERT OR REPLACE INTO purged(id, at) SELECT id, ? FROM articles WHERE {where}",
                     (codec.now().timestamp(), *params))

    def vacuum(self) -> None:
        """Optimise the search index, then rewrite the file without free pages (needs no other writer)."""
        with self._db.write() as conn:
            conn.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
            entities_mod.prune(conn)
        with self._db.lock, self._db.errors():
            self._db.conn.execute("VACUUM")
            self._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_check(self) -> bool:
        """SQLite's integrity check of tables, indexes and the FTS index."""
        with self._db.read() as conn:
            ok = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] == ["ok"]
            if ok and not self._db.readonly:
                try:
                    conn.execute("INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 0)")
                except sqlite3.DatabaseError:
                    return False
            return ok

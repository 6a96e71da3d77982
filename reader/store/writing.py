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
from reader.store.matching import CHUNK, Candidate, FeedMatcher, own_guid
from reader.store.types import WriteResult

_INSERT = ("INSERT INTO articles(seq, id, feed_id, guid, url, title, author, published, updated, sort_time,"
           " first_seen, language, direction, summary, body, layout, links, content_hash, revision, read,"
           " starred, saved, read_at, origin) VALUES (" + ", ".join("?" * 24) + ")")
"""One statement text for every insert, so sqlite3's statement cache prepares it once."""


class _Entry:
    """An entry with its row encodings, computed once whichever path writes it."""

    __slots__ = ("article", "chash", "layout", "links", "published", "rev", "text", "updated")

    def __init__(self, article: Article) -> None:
        self.article = article
        """The entry as the feed (or an import) gives it."""
        self.layout = codec.encode_layout(article.blocks)
        """``codec.encode_layout`` of its blocks."""
        self.links = codec.encode_links(article.links)
        """``codec.encode_links`` of its links."""
        self.text = body_text(article.blocks)
        """Its body text (what is stored, hashed and indexed)."""
        self.published = codec.to_iso(article.published)
        """Its publication time as stored."""
        self.updated = codec.to_iso(article.updated)
        """Its update time as stored."""
        self.chash = codec.content_hash(article.title, self.text)
        """Its content hash (the last-resort identity)."""
        self.rev = codec.revision_of(self.chash, article.url, article.author, self.published, self.updated,
                                     article.language, article.direction.value, article.summary,
                                     self.layout, self.links)
        """Its revision (equal to the stored one: unchanged). ``codec.revision``, with the times
        converted once."""

    def row(self, seq: int | None, new_id: str, feed_id: int | None, now: float) -> tuple[object, ...]:
        """The ``_INSERT`` parameters (``seq`` None: SQLite picks the row number)."""
        a = self.article
        sort_time = codec.timestamp(a.published) or codec.timestamp(a.updated) or now
        return (seq, new_id, feed_id, a.guid, a.url, a.title, a.author, self.published, self.updated,
                sort_time, now, a.language, a.direction.value, a.summary, self.text, self.layout, self.links,
                self.chash, self.rev, int(a.read), int(a.starred), int(a.saved),
                codec.to_iso(a.read_at if a.read else None),
                None if feed_id is not None else (a.feed_title or None))


class _InsertBatch:
    """New articles of a refresh waiting to be inserted together, at row numbers given here (so their
    index entries need no ``lastrowid`` round trip)."""

    def __init__(self, conn: sqlite3.Connection, feed_id: int, now: float) -> None:
        self._conn = conn
        self._feed_id = feed_id
        self._now = now
        self._rows: list[tuple[object, ...]] = []
        self._docs: list[tuple[int, str, str]] = []
        self._waiting: list[Candidate] = []
        self._next: int | None = None

    def add(self, entry: _Entry) -> Candidate:
        """Queue a new article; returns what the matcher should know of it until it is flushed."""
        if self._next is None:
            self._next = int(self._conn.execute("SELECT max(seq) FROM articles").fetchone()[0] or 0) + 1
        seq = self._next
        self._next += 1
        a = entry.article
        self._rows.append(entry.row(seq, a.id, self._feed_id, self._now))
        self._docs.append((seq, a.title, entry.text))
        candidate = Candidate(seq, a.guid, a.url, entry.chash, entry.rev, pending=True)
        self._waiting.append(candidate)
        return candidate

    def flush(self) -> None:
        """Insert what is queued. Row numbers are handed out afresh afterwards: the one-entry path lets
        SQLite pick its own in between."""
        if self._rows:
            self._conn.executemany(_INSERT, self._rows)
            fts.index_many(self._conn, self._docs)
            for candidate in self._waiting:
                candidate.pending = False
            self._rows, self._docs, self._waiting = [], [], []
        self._next = None


class WritingMixin(StoreBase):
    """write_feed_entries, import_articles, replace_body."""

    def write_feed_entries(self, feed_id: int, articles: Sequence[Article]) -> WriteResult:
        """Store one refresh of one feed in ONE transaction. Entries are matched within the feed by guid,
        then URL, then a hash of title and body (never across feeds); new ones are inserted, changed ones
        updated in place keeping read, starred and saved, the rest counted as unchanged.

        The batch is matched with a few indexed queries (``matching``), and its new articles go in with
        two ``executemany`` calls (rows, then index entries). Anything unusual (a changed entry, an id
        already taken or purged, an entry repeating one queued in the same batch) flushes the queue
        first and takes the one-entry path, so the outcome is that of writing the entries one by one."""
        result = WriteResult()
        with self._db.write() as conn:
            if conn.execute("SELECT 1 FROM feeds WHERE id = ?", (feed_id,)).fetchone() is None:
                raise NotFoundError(f"no feed with id {feed_id}")
            self._index_ready(conn)
            now = codec.now().timestamp()
            purged_any = fetch_one(conn, "SELECT EXISTS (SELECT 1 FROM purged)", ())[0] == 1
            entries = [_Entry(article) for article in articles]
            matcher = FeedMatcher(conn, feed_id)
            matcher.preload([e.article.guid for e in entries], [e.article.url for e in entries],
                            [e.chash for e in entries])
            taken = self._taken_ids(conn, [e.article.id for e in entries], purged_any)
            batch = _InsertBatch(conn, feed_id, now)
            for entry in entries:
                a = entry.article
                match = matcher.find(a.guid, a.url, entry.chash)
                if match is None:
                    if a.id and a.id not in taken:
                        matcher.add(batch.add(entry))
                        taken.add(a.id)
                        result.new.append(a.id)
                        continue
                elif not match.pending and match.guid == a.guid and match.revision == entry.rev:
                    result.unchanged += 1  # most entries of most refreshes
                    continue
                batch.flush()
                row = None
                if match is not None:
                    row = fetch_one(conn, f"SELECT {MATCH_COLUMNS} FROM articles WHERE seq = ?", (match.seq,))
                new_count = len(result.new)
                seq = self._writeone(conn, entry, feed_id, now, result, from_feed=True, purged_any=purged_any,
                                     row=row, look=False)
                if seq is not None:
                    matcher.changed(seq, a.guid, a.url, entry.chash, entry.rev)
                taken.add(a.id)
                if len(result.new) > new_count:
                    taken.add(result.new[-1])
            batch.flush()
        return result

    @staticmethod
    def _taken_ids(conn: sqlite3.Connection, ids: Sequence[str], purged_any: bool) -> set[str]:
        """Which of ``ids`` an article already has or retention purged: those take the one-entry path."""
        taken: set[str] = set()
        todo = list(dict.fromkeys(i for i in ids if i))
        tables = ("articles", "purged") if purged_any else ("articles",)
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            for table in tables:
                taken.update(r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE id IN ({marks})",
                                                        chunk))
        return taken

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
                self._writeone(conn, _Entry(article), article.feed_id, now, result, from_feed=False)
        return result

    @staticmethod
    def _find(conn: sqlite3.Connection, feed_id: int | None, article: Article, chash: str
              ) -> sqlite3.Row | None:
        """The stored article this entry is: same feed and guid, else URL, else content hash. One query
        per key, each answered by its own ``(feed_id, key)`` index (an OR of the three was answered from
        ``feed_id`` alone, reading the whole feed for every entry). As in ``FeedMatcher.find``, a URL
        joins two articles only when one of them has no guid of its own."""
        feed_test = "feed_id = ?" if feed_id is not None else "feed_id IS NULL"
        base: tuple[object, ...] = (feed_id,) if feed_id is not None else ()
        own = own_guid(article.guid, article.url)
        for column, key in (("guid", article.guid), ("url", article.url), ("content_hash", chash)):
            if key is None:
                continue
            rows = fetch_all(
                conn, f"SELECT {MATCH_COLUMNS} FROM articles WHERE {feed_test} AND {column} = ?"
                " ORDER BY seq" + ("" if column == "url" and own else " LIMIT 1"), (*base, key))
            if column == "url" and own:
                rows = [r for r in rows if not own_guid(r["guid"], key)]  # each row's url is the key
            if rows:
                row: sqlite3.Row = rows[0]
                return row
        return None

    def _writeone(self, conn: sqlite3.Connection, entry: _Entry, feed_id: int | None, now: float,
                  result: WriteResult, *, from_feed: bool, purged_any: bool = False,
                  row: sqlite3.Row | None = None, look: bool = True) -> int | None:
        """Insert, update or skip one entry (see ``write_feed_entries``); ``row`` is its stored match
        when the caller already knows it (``look`` False: the caller found none, do not look again).
        Returns the row number that now holds the entry, or None when nothing holds it."""
        article = entry.article
        if look and not from_feed:
            row = fetch_one(conn, f"SELECT {MATCH_COLUMNS} FROM articles WHERE id = ?", (article.id,))
            if row is not None and row["feed_id"] != feed_id and row["feed_id"] is not None:
                row = None  # same id in another feed: leave that one alone
        if row is None and look:
            row = self._find(conn, feed_id, article, entry.chash)
        if row is None:
            if purged_any and fetch_one(conn, "SELECT 1 FROM purged WHERE id = ?", (article.id,)) is not None:
                result.unchanged += 1  # purged by retention; the feed still lists it
                return None
            new_id = article.id or article_id(f"feed:{feed_id}", article.guid)
            try:
                seq = self._insert(conn, new_id, feed_id, entry, now, from_feed)
                result.new.append(new_id)
                return seq
            except sqlite3.IntegrityError:  # the id is taken: a kept article coming back, or a clash
                row = self._reattach(conn, feed_id, article) if from_feed else None
                if row is None:
                    other = self._free_id(conn, feed_id, article)
                    if other is None:
                        result.unchanged += 1
                        return None
                    seq = self._insert(conn, other, feed_id, entry, now, from_feed)
                    result.new.append(other)
                    return seq
        seq = int(row["seq"])
        if row["guid"] != article.guid:  # matched by URL or content: follow the feed's new guid
            conn.execute("UPDATE articles SET guid = ? WHERE seq = ?", (article.guid, seq))
        if row["revision"] == entry.rev:
            if not from_feed:
                self._merge_state(conn, seq, article)
            result.unchanged += 1
            return seq
        self._update(conn, row, entry)
        if not from_feed:
            self._merge_state(conn, seq, article)
            if article.entities:
                entities_mod.store(conn, seq, article.entities)
        result.updated.append(row["id"])
        return seq

    @staticmethod
    def _insert(conn: sqlite3.Connection, new_id: str, feed_id: int | None, entry: _Entry, now: float,
                from_feed: bool) -> int:
        cur = conn.execute(_INSERT, entry.row(None, new_id, feed_id, now))
        seq = int(cur.lastrowid or 0)
        fts.index(conn, seq, entry.article.title, entry.text)
        if entry.article.entities and not from_feed:
            entities_mod.store(conn, seq, entry.article.entities)
        return seq

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

    def _update(self, conn: sqlite3.Connection, row: sqlite3.Row, entry: _Entry) -> None:
        """Replace a stored article's content in place; its id, state and first-seen time stay."""
        article = entry.article
        fts.unindex(conn, row["seq"], row["title"], row["body"])
        sort_time = (codec.timestamp(article.published) or codec.timestamp(article.updated)
                     or row["first_seen"])
        conn.execute(
            "UPDATE articles SET guid = ?, url = ?, title = ?, author = ?, published = ?, updated = ?,"
            " sort_time = ?, language = ?, direction = ?, summary = ?, body = ?, layout = ?, links = ?,"
            " content_hash = ?, revision = ? WHERE seq = ?",
            (article.guid, article.url, article.title, article.author, codec.to_iso(article.published),
             codec.to_iso(article.updated), sort_time, article.language, article.direction.value,
             article.summary, entry.text, entry.layout, entry.links, entry.chash, entry.rev, row["seq"]))
        fts.index(conn, row["seq"], article.title, entry.text)
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


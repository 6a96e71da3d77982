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

from reader.errors import NotFoundError, StoreError
from reader.model import Article, Direction, Entity
from reader.store import codec, fts, schema
from reader.store import entities as entities_mod
from reader.store import search as search_mod
from reader.store.base import FULL_COLUMNS, LIST_COLUMNS, fetch_all, fetch_one
from reader.store.db import Database
from reader.store.feeds import FeedsMixin
from reader.store.query import parse, positive_terms, to_fts
from reader.store.types import ArticleQuery, SearchHit
from reader.store.writing import WritingMixin

_ALL = ArticleQuery()
_TIE_SPARE = 20
"""Extra ranked rows read so that articles tied on score at the end of a page are ordered by date."""


class Store(FeedsMixin, WritingMixin):
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
            row = conn.execute(f"SELECT {FULL_COLUMNS} FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id"
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
        if query.entity_key:
            sql, ids = entities_mod.key_filter(conn, query.entity_key)
            where.append(sql)
            params.extend(ids)
        return (" WHERE " + " AND ".join(where)) if where else "", params

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
                f"SELECT {LIST_COLUMNS} FROM articles a{hint} LEFT JOIN feeds f ON f.id = a.feed_id{sql}"
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
        matches = fetch_one(conn, "SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                       (to_fts(parse(query.search)),))[0]
        total = fetch_one(conn, "SELECT max(seq) FROM articles", ())[0] or 0
        return " INDEXED BY articles_by_time" if matches * 50 >= total and matches >= 200 else ""

    def count_articles(self, query: ArticleQuery = _ALL) -> int:
        """How many articles the query matches (limit, offset and cursor ignored)."""
        with self._db.read() as conn:
            if query.search and query == ArticleQuery(search=query.search, limit=query.limit,
                                                      before=query.before, offset=query.offset):
                # The index holds exactly the archive's articles (same transactions): count there.
                return int(fetch_one(conn, "SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                                (to_fts(parse(query.search)),))[0])
            sql, params = self._where(conn, query)
            hint = ""
            if query == ArticleQuery(unread=True, limit=query.limit, before=query.before,
                                     offset=query.offset):
                # Once ANALYZE has seen that most articles are unread, SQLite counts them by reading the
                # whole table, bodies and all (120 ms on 100,000 articles); the partial index that holds
                # exactly the unread articles counts them in 4 ms.
                hint = " INDEXED BY articles_unread"
            return int(conn.execute(f"SELECT count(*) FROM articles a{hint}{sql}", params).fetchone()[0])

    def iter_articles(self, *, batch: int = 500) -> Iterator[Article]:
        """Every article, full (body, links, entities), oldest first: for export."""
        last = -1
        while True:
            with self._db.snapshot() as conn:
                rows = conn.execute(f"SELECT {FULL_COLUMNS} FROM articles a LEFT JOIN feeds f ON f.id ="
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
                found.update(r[0] for r in fetch_all(
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
                total += fetch_one(conn, f"SELECT count(*) FROM articles WHERE id IN ({marks})", chunk)[0]
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
                row = fetch_one(conn, "SELECT seq, body FROM articles WHERE id = ?", (article_id,))
                if row is None or (for_text is not None and row[1] != for_text):
                    continue
                entities_mod.store(conn, row[0], found)
                stored += 1
        return stored

    def articles_without_entities(self, limit: int = 100) -> list[Article]:
        """Full articles never extracted (or changed since), oldest first, for the background pass."""
        with self._db.snapshot() as conn:
            rows = fetch_all(conn, f"SELECT {FULL_COLUMNS} FROM articles a LEFT JOIN feeds f"
                             " ON f.id = a.feed_id WHERE a.entities_at IS NULL ORDER BY a.seq LIMIT ?",
                             (max(0, limit),))
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
            times = dict(fetch_all(conn, f"SELECT seq, sort_time FROM articles WHERE seq IN ({marks})",
                              list(scores)))
            chosen = sorted(scores, key=lambda seq: (scores[seq], -times.get(seq, 0.0)))[:limit]
            marks = ",".join("?" * len(chosen))
            rows = conn.execute(f"SELECT {FULL_COLUMNS} FROM articles a LEFT JOIN feeds f"
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
    def article_stamp(self, article_id: str) -> tuple[object, ...] | None:
        """Changes when the article's content or entities do (its revision, when its entities were
        stored): a cheap "has the open article changed?" check, without reading its body. None: gone."""
        with self._db.read() as conn:
            row = conn.execute("SELECT revision, entities_at FROM articles WHERE id = ?",
                               (article_id.strip(),)).fetchone()
            return tuple(row) if row is not None else None

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

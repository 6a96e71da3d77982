"""What every part of the store shares: the database, SQL helpers, the column lists, and the index check.

``Store`` is put together from one mixin per domain (``feeds``, ``writing``) and its own reading, state,
search and maintenance methods, so no module holds the whole archive's logic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from reader.store import fts
from reader.store.db import Database

LIST_COLUMNS = """a.seq, a.id, a.feed_id, a.guid, a.title, a.url, a.author, a.published, a.updated,
    a.language, a.direction, a.summary, a.read, a.starred, a.saved, a.read_at,
    COALESCE(f.title, a.origin, '') AS feed_title"""
FULL_COLUMNS = LIST_COLUMNS + ", a.body, a.layout, a.links"
MATCH_COLUMNS = "seq, id, feed_id, guid, title, body, revision, first_seen"
FEED_COLUMNS = """f.id, f.url, f.title, f.site_url, f.etag, f.last_modified, f.last_refresh, f.last_error,
    f.error_count"""


def fetch_one(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> Any:
    """The first row of a query, or None."""
    return conn.execute(sql, params).fetchone()


def fetch_all(conn: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Any]:
    """Every row of a query."""
    return conn.execute(sql, params).fetchall()


class StoreBase:
    """The state the mixins share: one ``Database`` and whether this process has checked the index."""

    _db: Database
    _index_checked: bool

    def _index_ready(self, conn: sqlite3.Connection) -> None:
        """Before the first index write of this process: rebuild the index if folding changed."""
        if not self._index_checked:
            fts.ensure_current(conn, self._db.on_wait)
            self._index_checked = True

    @staticmethod
    def _delete_articles(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> int:
        return int(conn.execute(f"DELETE FROM articles WHERE {where}", params).rowcount)

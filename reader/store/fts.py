"""Keeping the FTS5 index in step with the articles table, in the caller's transaction.

The index holds two columns, the folded title and the folded body text (``textfold.fast_fold``, identical
to ``reader.normalize.fold``). Being contentless, it forgets documents only when told the exact folded text
they were indexed with; ``unindex`` recomputes it from the stored original, which is sound as long as
folding has not changed since: ``ensure_current`` compares the fingerprint stored in ``meta`` and rebuilds
the whole index when it differs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from reader.store.textfold import fast_fold, fingerprint

FINGERPRINT_KEY = "fold_fingerprint"


def index(conn: sqlite3.Connection, seq: int, title: str, text: str) -> None:
    conn.execute("INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)",
                 (seq, fast_fold(title), fast_fold(text)))


def index_many(conn: sqlite3.Connection, docs: Iterable[tuple[int, str, str]]) -> None:
    """``index`` for many (seq, title, text) at once: one statement run by ``executemany``."""
    conn.executemany("INSERT INTO search_index(rowid, title, body) VALUES (?, ?, ?)",
                     [(seq, fast_fold(title), fast_fold(text)) for seq, title, text in docs])


def unindex(conn: sqlite3.Connection, seq: int, title: str, text: str) -> None:
    conn.execute("INSERT INTO search_index(search_index, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                 (seq, fast_fold(title), fast_fold(text)))


def unindex_rows(conn: sqlite3.Connection, where: str, params: tuple[object, ...]) -> int:
    """Take every article matching ``where`` (over ``articles``) out of the index; returns how many."""
    rows = conn.execute(f"SELECT seq, title, body FROM articles WHERE {where}", params).fetchall()
    for row in rows:
        unindex(conn, row[0], row[1], row[2])
    return len(rows)


def ensure_current(conn: sqlite3.Connection, on_rebuild: Callable[[str], None] | None = None) -> bool:
    """Rebuild the index if it was built with different folding; True when it did. Call inside a write
    transaction, before touching the index."""
    current = fingerprint()
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (FINGERPRINT_KEY,)).fetchone()
    if row is not None and row[0] == current:
        return False
    rebuilt = False
    if row is not None or conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is not None:
        if on_rebuild is not None:
            on_rebuild("text folding changed since the search index was built; rebuilding it")
        rebuild(conn)
        rebuilt = True
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (FINGERPRINT_KEY, current))
    return rebuilt


def rebuild(conn: sqlite3.Connection) -> int:
    """Empty the index and index every article again; returns the number indexed."""
    conn.execute("INSERT INTO search_index(search_index) VALUES ('delete-all')")
    count = 0
    cursor = conn.execute("SELECT seq, title, body FROM articles")
    while rows := cursor.fetchmany(500):
        for seq, title, body in rows:
            index(conn, seq, title, body)
            count += 1
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (FINGERPRINT_KEY, fingerprint()))
    return count

"""Which stored article each entry of a feed refresh is: guid, then URL, then content hash, within the feed.

A refresh used to ask SQLite once per entry with ``guid = ? OR url = ? OR content_hash = ?``; SQLite
answered that from the ``(feed_id, content_hash)`` index on ``feed_id`` alone and read every article of
the feed for every entry, so a 10,000-item feed took minutes (quadratic). Here the whole batch is looked up
with a few ``IN (...)`` queries, each answered by its own ``(feed_id, key)`` index, and the answers are
kept in memory for the rest of the batch. The matcher is told about every row the batch inserts or
changes, so a later entry of the same batch sees them exactly as a per-entry query would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CHUNK = 400
"""Keys per ``IN (...)`` list: well under SQLite's oldest variable limit (999)."""

_COLUMNS = "seq, guid, url, content_hash, revision"


@dataclass(slots=True)
class Candidate:
    """What the matcher knows of one stored (or about to be stored) article of the feed."""

    seq: int
    """The article's row."""
    guid: str
    """Its current guid."""
    url: str | None
    """Its current URL."""
    chash: str
    """Its current content hash."""
    revision: str
    """Its current revision (equal to an entry's: the entry is unchanged)."""
    pending: bool = False
    """True while it waits in the caller's insert batch (not yet in the table)."""


class FeedMatcher:
    """Matches entries against one feed's stored articles (``feed_id`` None: articles of no feed)."""

    def __init__(self, conn: sqlite3.Connection, feed_id: int | None) -> None:
        self._conn = conn
        self._feed_test = "feed_id = ?" if feed_id is not None else "feed_id IS NULL"
        self._feed_params: tuple[object, ...] = (feed_id,) if feed_id is not None else ()
        self._rows: dict[int, Candidate] = {}
        self._by: dict[str, dict[str, list[Candidate]]] = {"guid": {}, "url": {}, "content_hash": {}}
        self._asked: dict[str, set[str]] = {"guid": set(), "url": set(), "content_hash": set()}

    def preload(self, guids: Sequence[str], urls: Sequence[str | None], hashes: Sequence[str]) -> None:
        """Look up a batch's keys in a few queries: guids for all entries, URLs and hashes only for the
        entries whose guid is not stored (the rest are asked one at a time if it comes to that)."""
        self._load("guid", guids)
        unmatched = [i for i, guid in enumerate(guids) if not self._by["guid"].get(guid)]
        self._load("url", [urls[i] for i in unmatched])
        self._load("content_hash", [hashes[i] for i in unmatched])

    def _load(self, column: str, keys: Iterable[str | None]) -> None:
        asked = self._asked[column]
        todo = list(dict.fromkeys(k for k in keys if k is not None and k not in asked))
        asked.update(todo)
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start:start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            cursor = self._conn.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE {self._feed_test} AND {column} IN ({marks})",
                (*self._feed_params, *chunk))
            for seq, guid, url, chash, rev in cursor:
                if seq not in self._rows:
                    self.add(Candidate(seq, guid, url, chash, rev))

    def add(self, row: Candidate) -> None:
        """Know about a row (stored, reattached or pending insertion) under its current keys."""
        self._rows[row.seq] = row
        for column, key in (("guid", row.guid), ("url", row.url), ("content_hash", row.chash)):
            if key is not None:
                self._by[column].setdefault(key, []).append(row)

    def changed(self, seq: int, guid: str, url: str | None, chash: str, revision: str) -> None:
        """A row now holds these keys (it was updated, inserted by the one-entry path, or rejoined the
        feed): index it under them."""
        row = self._rows.get(seq)
        if row is None:
            self.add(Candidate(seq, guid, url, chash, revision))
            return
        row.guid, row.url, row.chash, row.revision = guid, url, chash, revision
        self.add(row)

    def find(self, guid: str, url: str | None, chash: str) -> Candidate | None:
        """The row an entry is: same guid, else same URL, else same content hash (the oldest row when
        several match).

        A URL match counts only when the entry or the row has no guid of its own (its guid is its link or
        a content hash): two entries with distinct guids of their own are two articles, even when a feed
        links every item to its home page."""
        for column, key in (("guid", guid), ("url", url), ("content_hash", chash)):
            if key is None:
                continue
            if key not in self._asked[column]:
                self._load(column, (key,))
            found = [r for r in self._by[column].get(key, ()) if _key(r, column) == key]
            if column == "url" and own_guid(guid, url):
                found = [r for r in found if not own_guid(r.guid, r.url)]
            if found:
                return min(found, key=lambda r: r.seq)
        return None


def own_guid(guid: str, url: str | None) -> bool:
    """True when ``guid`` is the entry's own id, not one made for it from its link or its content."""
    return guid != url and not guid.startswith("hash:")


def _key(row: Candidate, column: str) -> str | None:
    """The row's current value of ``column`` (map entries go stale when a row's keys change)."""
    if column == "guid":
        return row.guid
    if column == "url":
        return row.url
    return row.chash

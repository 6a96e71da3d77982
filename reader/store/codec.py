"""Turning model objects into row values and back: the only place that knows the column encodings.

Blocks and links are stored as compact JSON arrays in one column each rather than as tables: they are
always read and written whole with their article, never queried by SQL (search goes through the FTS
index), and a 100,000-article archive with ~10 blocks each would otherwise carry a million extra rows, an
index and a join on every ``get_article``. JSON keeps the archive readable with the ``sqlite3`` shell and
its JSON functions. Times are ISO 8601 text with their UTC offset (so the source's zone survives) plus a
REAL ``sort_time`` in Unix seconds for ordering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from reader.model import Article, Block, BlockKind, Direction, Link, LinkKind, body_text


def encode_blocks(blocks: Sequence[Block]) -> str:
    """``[[kind, text, level?, direction?, lang?], ...]`` with trailing defaults left out."""
    rows: list[Any] = []
    auto = Direction.AUTO
    for b in blocks:
        if b.level == 0 and b.direction is auto and b.lang is None:
            rows.append((b.kind, b.text))  # the common case, kept cheap: StrEnums encode as their value
            continue
        row: list[Any] = [b.kind, b.text, b.level, b.direction, b.lang]
        while len(row) > 2 and row[-1] in (None, 0, auto):
            row.pop()
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode_blocks(data: str) -> tuple[Block, ...]:
    out = []
    for row in json.loads(data):
        kind, text, *rest = row
        level = rest[0] if len(rest) > 0 else 0
        direction = rest[1] if len(rest) > 1 else "auto"
        lang = rest[2] if len(rest) > 2 else None
        out.append(Block(BlockKind(kind), text, level or 0, Direction(direction or "auto"), lang))
    return tuple(out)


def encode_links(links: Sequence[Link]) -> str:
    """``[[number, url, text?, kind?, mime?, length?], ...]`` with trailing defaults left out."""
    rows: list[list[Any]] = []
    for link in links:
        row: list[Any] = [link.number, link.url, link.text, link.kind.value, link.mime_type, link.length]
        while len(row) > 2 and row[-1] in (None, "", LinkKind.LINK.value):
            row.pop()
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode_links(data: str) -> tuple[Link, ...]:
    out = []
    for row in json.loads(data):
        number, url, *rest = row
        text = rest[0] if len(rest) > 0 else ""
        kind = rest[1] if len(rest) > 1 else "link"
        mime = rest[2] if len(rest) > 2 else None
        length = rest[3] if len(rest) > 3 else None
        out.append(Link(int(number), url, text or "", LinkKind(kind or "link"), mime, length))
    return tuple(out)


def to_iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset; a naive datetime (never produced by the parsers) is taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def timestamp(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def content_hash(title: str, text: str) -> str:
    """The last-resort identity of an entry within its feed: its title and body text."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(title.encode("utf-8", "surrogatepass"))
    digest.update(b"\x00")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def revision(article: Article, body: str, links: str) -> str:
    """A digest of every field the feed gives: equal means "unchanged", so a refresh writes nothing."""
    parts = (article.title, article.url or "", article.author or "", to_iso(article.published) or "",
             to_iso(article.updated) or "", article.language or "", article.direction.value,
             article.summary, body, links)
    # Each part followed by NUL, as the first version hashed them part by part: stored revisions stay valid.
    joined = "\x00".join(parts) + "\x00"
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "body_text", "content_hash", "decode_blocks", "decode_links", "encode_blocks", "encode_links",
    "from_iso", "now", "revision", "timestamp", "to_iso",
]

"""Turning model objects into row values and back: the only place that knows the column encodings.

The body is stored as its text (``model.body_text``: the blocks' texts joined with newlines) in a TEXT
column, plus a small JSON *layout* that says where each block starts and what it is; links are a compact
JSON array. Not tables: blocks and links are always read and written whole with their article and never
queried by SQL (search goes through the FTS index), and a 100,000-article archive with ~10 blocks each
would otherwise carry a million extra rows, an index and a join on every ``get_article``. Not one JSON
array of blocks either (schema v1-v2): the text is what the indexer, the dedupe hash and the entity
spans all work on, so keeping it as is saves JSON-escaping 3 KB per article on every write and parsing it
on every re-index, and it stays readable in the ``sqlite3`` shell.

Times are ISO 8601 text with their UTC offset (so the source's zone survives) plus a REAL ``sort_time`` in
Unix seconds for ordering.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from reader.model import Article, Block, BlockKind, Direction, Link, LinkKind, body_text

_BLOCK_DEFAULTS: tuple[Any, ...] = (None, None, 0, Direction.AUTO, None)
_LINK_DEFAULTS: tuple[Any, ...] = (None, None, "", LinkKind.LINK.value, None, None)


def _trim(row: list[Any], defaults: tuple[Any, ...]) -> list[Any]:
    """Drop trailing values equal to their own position's default (never the first two)."""
    while len(row) > 2 and row[-1] == defaults[len(row) - 1]:
        row.pop()
    return row


def encode_blocks(blocks: Sequence[Block]) -> str:
    """Schema v1-v2's body column: ``[[kind, text, level?, direction?, lang?], ...]``, trailing defaults
    left out. Kept for the migration that reads it and the tests that build old archives."""
    rows: list[Any] = []
    auto = Direction.AUTO
    for b in blocks:
        if b.level == 0 and b.direction is auto and b.lang is None:
            rows.append((b.kind, b.text))  # the common case, kept cheap: StrEnums encode as their value
            continue
        rows.append(_trim([b.kind, b.text, b.level, b.direction, b.lang], _BLOCK_DEFAULTS))
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


def encode_layout(blocks: Sequence[Block]) -> str:
    """The blocks' shape without their text: a bare number is a default paragraph of that many code
    points; anything else is ``[kind, length, level?, direction?, lang?]`` (trailing defaults left out)."""
    auto = Direction.AUTO
    paragraph = BlockKind.PARAGRAPH
    lengths: list[str] = []
    for b in blocks:  # the common case (only default paragraphs) in one cheap pass
        if b.kind is not paragraph or b.level or b.direction is not auto or b.lang is not None:
            break
        lengths.append(str(len(b.text)))
    else:
        return "[" + ",".join(lengths) + "]"
    rows: list[Any] = []
    for b in blocks:
        if b.kind is paragraph and b.level == 0 and b.direction is auto and b.lang is None:
            rows.append(len(b.text))
            continue
        rows.append(_trim([b.kind, len(b.text), b.level, b.direction, b.lang], _BLOCK_DEFAULTS))
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode_body(text: str, layout: str) -> tuple[Block, ...]:
    """Blocks back from the body text and its layout. A layout that does not fit the text (never written
    by the store; a hand-edited archive) falls back to one paragraph per line rather than failing."""
    out: list[Block] = []
    pos = 0
    try:
        for row in json.loads(layout):
            if isinstance(row, int):
                kind, length, level, direction, lang = BlockKind.PARAGRAPH, row, 0, Direction.AUTO, None
            else:
                kind, length = BlockKind(row[0]), int(row[1])
                level = int(row[2]) if len(row) > 2 else 0
                direction = Direction(row[3]) if len(row) > 3 and row[3] else Direction.AUTO
                lang = row[4] if len(row) > 4 else None
            out.append(Block(kind, text[pos:pos + length], level, direction, lang))
            pos += length + 1
    except (ValueError, TypeError, IndexError, KeyError):
        out = []
    if body_text(out) != text:
        return tuple(Block(BlockKind.PARAGRAPH, line) for line in text.split("\n")) if text else ()
    return tuple(out)


def encode_links(links: Sequence[Link]) -> str:
    """``[[number, url, text?, kind?, mime?, length?], ...]`` with trailing defaults left out."""
    if not links:
        return "[]"
    rows: list[list[Any]] = []
    for link in links:
        rows.append(_trim([link.number, link.url, link.text, link.kind.value, link.mime_type, link.length],
                          _LINK_DEFAULTS))
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
    # One encode and one update: the same digest as hashing title, NUL and text in three steps.
    return hashlib.blake2b(f"{title}\x00{text}".encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def revision(chash: str, article: Article, layout: str, links: str) -> str:
    """A digest of every field the feed gives: equal means "unchanged", so a refresh writes nothing.
    Built on the content hash (title and body text) so the body is hashed once."""
    return revision_of(chash, article.url, article.author, to_iso(article.published), to_iso(article.updated),
                       article.language, article.direction.value, article.summary, layout, links)


def revision_of(chash: str, url: str | None, author: str | None, published: str | None, updated: str | None,
                language: str | None, direction: str, summary: str, layout: str, links: str) -> str:
    """``revision`` from stored column values (the schema migration recomputes it)."""
    parts = (chash, url or "", author or "", published or "", updated or "", language or "", direction,
             summary, layout, links)
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "body_text", "content_hash", "decode_blocks", "decode_body", "decode_links", "encode_blocks",
    "encode_layout", "encode_links", "from_iso", "now", "revision", "revision_of", "timestamp", "to_iso",
]

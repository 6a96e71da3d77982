"""Builders for store tests: articles and feeds with just the fields a test cares about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reader.model import Article, Block, BlockKind, Feed, Link, article_id

BASE = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def feed(url: str = "https://example.org/feed", title: str = "Example", tags: tuple[str, ...] = ()) -> Feed:
    return Feed(url=url, title=title, tags=tags)


def article(guid: str, title: str = "", body: str | list[str] = "", *, feed_url: str = "https://example.org/feed",
            day: int | None = 0, url: str | None = None, **extra: object) -> Article:
    """An article of ``feed_url`` with one paragraph per body string, published BASE + ``day`` days."""
    paragraphs = [body] if isinstance(body, str) else body
    return Article(
        id=article_id(feed_url, guid), feed_id=None, guid=guid, title=title or f"Title {guid}", url=url,
        published=BASE + timedelta(days=day) if day is not None else None,
        blocks=tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs if p),
        **extra)  # type: ignore[arg-type]


def link(number: int, url: str, text: str = "") -> Link:
    return Link(number, url, text)

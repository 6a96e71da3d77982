"""The store's own small vocabulary: the query a listing asks, what a write did, and a search hit.

Kept apart from ``reader.model`` because only callers of the store need them; they are frozen dataclasses
like the model, so they can cross threads (the TUI pages the archive in workers) and be compared in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.model import Article, Span


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Which articles a listing wants, newest first. Every filter given must hold (they are ANDed)."""

    feed_id: int | None = None
    """Only this feed's articles."""
    tag: str | None = None
    """Only articles of feeds carrying this tag (articles inherit their feed's tags)."""
    unread: bool = False
    """Only unread articles."""
    starred: bool = False
    """Only starred articles."""
    saved: bool = False
    """Only saved articles."""
    search: str | None = None
    """Only articles matching this search query (the ``khabar search`` language); still newest first."""
    entity_key: str | None = None
    """Only articles mentioning this entity: its stored key, or a name as a user would type it (folded and
    keyed like the extractor does, ``reader.entities.entity_key``; see ``store.entities.resolve``)."""
    feed_ids: tuple[int, ...] | None = None
    """Only articles of these feeds (a tag group, say); None means no such filter."""
    limit: int = 100
    """At most this many articles."""
    before: str | None = None
    """Keyset cursor: the id of the last article of the previous page; the page starts after it."""
    offset: int = 0
    """Skip this many articles first (the virtual list's random access; ``before`` is cheaper)."""


@dataclass(slots=True)
class WriteResult:
    """What one ``write_feed_entries`` or ``import_articles`` call changed."""

    new: list[str] = field(default_factory=list)
    """Ids of articles inserted."""
    updated: list[str] = field(default_factory=list)
    """Ids of articles whose content changed and was updated in place (their state kept)."""
    unchanged: int = 0
    """Entries that were already stored exactly so (or were purged before and stay purged)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the article, its rank, and where the query matched, in original-text offsets."""

    article: Article
    """The article with its body and links (entities are not loaded: ``get_article`` has them)."""
    score: float
    """bm25 relevance (higher is better; FTS5's own sign flipped)."""
    snippet: str
    """An excerpt of the body text exactly as written (no ellipses added; see ``snippet_start``)."""
    snippet_start: int
    """Offset of ``snippet`` in ``article.body_text`` (0 and an empty snippet when the body is empty)."""
    highlights: tuple[Span, ...]
    """Matches inside ``snippet``, as offsets into ``snippet`` (kind ``search``)."""
    body_spans: tuple[Span, ...] = ()
    """Every match in the whole body text, as body-text offsets (for the article view)."""
    title_spans: tuple[Span, ...] = ()
    """Matches in the title, as offsets into ``article.title``."""

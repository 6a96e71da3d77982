"""Turn the sources pane's keys into archive queries, and the archive into list rows.

A source key is a small string (``all``, ``unread``, ``starred``, ``saved``, ``feed:3``, ``tag:news``,
``search:<query>``, ``entity:<key>``) so it can be kept in the state file and restored on the next start.
"""

from __future__ import annotations

from dataclasses import replace

from reader.model import Article, Feed
from reader.store import ArticleQuery, Store
from reader.ui.state import KeptSource
from reader.ui.widgets.article_list import Row
from reader.ui.widgets.sources import SourceEntry

FIXED = (("all", "All articles"), ("unread", "Unread"), ("starred", "Starred"), ("saved", "Saved"))


def query_for(key: str) -> ArticleQuery:
    """The archive query behind a source key (unknown keys show everything)."""
    kind, _, value = key.partition(":")
    if kind == "unread":
        return ArticleQuery(unread=True)
    if kind == "starred":
        return ArticleQuery(starred=True)
    if kind == "saved":
        return ArticleQuery(saved=True)
    if kind == "feed" and value.isdigit():
        return ArticleQuery(feed_id=int(value))
    if kind == "tag" and value:
        return ArticleQuery(tag=value)
    if kind == "search" and value:
        return ArticleQuery(search=value)
    if kind == "entity" and value:
        return ArticleQuery(entity_key=value)
    return ArticleQuery()


def entries(feeds: list[Feed], kept: tuple[KeptSource, ...], counts: dict[str, int],
            transient: KeptSource | None = None) -> list[SourceEntry]:
    """The sources pane's lines: fixed sources, kept and current searches, then feeds grouped by tag."""
    out = [SourceEntry(key, label, counts.get(key)) for key, label in FIXED]
    searches = list(kept)
    if transient is not None and all(k.kind != transient.kind or k.value != transient.value for k in kept):
        searches.append(transient)
    if searches:
        out.append(SourceEntry("header:searches", "Searches"))
        out.extend(SourceEntry(f"{k.kind}:{k.value}", k.label, depth=1) for k in searches)
    # The tags as a tree, outer to inner as a feed lists them (OPML folders nest that way): every tag a
    # source of its own, placed under the tag before it where it was first seen; each feed once, under
    # its innermost tag. A tag's count is the unread of every feed that carries it, which is what
    # choosing it lists.
    parent: dict[str, str | None] = {}
    carriers: dict[str, dict[int | None, Feed]] = {}
    listed: dict[str, list[Feed]] = {}
    untagged: list[Feed] = []
    for feed in feeds:
        previous: str | None = None
        for tag in feed.tags:
            if tag not in parent:
                parent[tag] = previous
            carriers.setdefault(tag, {})[feed.id] = feed
            previous = tag
        if feed.tags:
            listed.setdefault(feed.tags[-1], []).append(feed)
        else:
            untagged.append(feed)
    children: dict[str | None, list[str]] = {}
    for tag, above in parent.items():
        children.setdefault(above, []).append(tag)

    def feed_entry(feed: Feed, depth: int) -> SourceEntry:
        return SourceEntry(f"feed:{feed.id}", feed.title or feed.url, feed.unread, depth=depth,
                           error=bool(feed.last_error))

    def tag_entries(tag: str, depth: int) -> None:
        out.append(SourceEntry(f"tag:{tag}", tag, sum(f.unread for f in carriers[tag].values()), depth=depth))
        for child in sorted(children.get(tag, ()), key=str.casefold):
            tag_entries(child, depth + 1)
        out.extend(feed_entry(feed, depth + 1) for feed in listed.get(tag, ()))

    for root in sorted(children.get(None, ()), key=str.casefold):
        tag_entries(root, 0)
    if untagged:
        out.append(SourceEntry("header:feeds", "Feeds"))
        out.extend(feed_entry(feed, 1) for feed in untagged)
    return out


def row_of(article: Article) -> Row:
    """The list's view of an article."""
    return Row(id=article.id, title=article.title, feed_title=article.feed_title,
               published=article.published or article.updated, read=article.read,
               starred=article.starred, saved=article.saved)


class StoreListSource:
    """A ``ListSource`` over one archive query; pages are fetched on demand by the list."""

    def __init__(self, store: Store, query: ArticleQuery) -> None:
        self.store = store
        self.query = query

    def count(self) -> int:
        return self.store.count_articles(self.query)

    def page(self, offset: int, limit: int) -> list[Row]:
        return [row_of(a) for a in self.store.list_articles(replace(self.query, limit=limit, offset=offset))]

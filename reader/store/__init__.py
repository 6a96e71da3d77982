"""The offline archive: one SQLite file with feeds, articles, their state, entities and a search index.

Public API (see ``reader.store.store.Store`` for each method's contract)::

    from reader.store import ArticleQuery, SearchHit, Store, WriteResult

    with Store.open(path) as store:
        feed = store.add_feed(Feed(url=...))
        store.write_feed_entries(feed.id, articles)     # one transaction per feed
        page = store.list_articles(ArticleQuery(unread=True, limit=100))
        article = store.get_article(page[0].id)
        hits = store.search("الامارات")

``reader.store.export`` writes and reads the versioned JSON export; ``reader.store.search.match_spans``
highlights a query's matches in any text. Nothing here imports Textual or prints.

Modules: ``store`` (the ``Store`` class: opening, reading, state, entities, search, maintenance), ``feeds``
and ``writing`` (its feed and article-writing parts), ``base`` (what they share), ``db`` (connection,
transactions, waiting, errors), ``schema`` (versions and migrations), ``codec`` (row encodings),
``textfold`` (fast folding and its fingerprint), ``fts`` (the index kept in step), ``query`` (the search
language), ``search`` (snippets and highlights), ``entities`` (entity rows), ``export`` (JSON, Markdown,
OPML), ``table`` and ``render`` (text for the list, search and show commands), ``types``.
"""

from __future__ import annotations

from reader.store.schema import SCHEMA_VERSION
from reader.store.store import Store
from reader.store.types import ArticleQuery, SearchHit, WriteResult

__all__ = ["SCHEMA_VERSION", "ArticleQuery", "SearchHit", "Store", "WriteResult"]

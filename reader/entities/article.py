"""Entities for stored articles: one article (``extract_article``), the articles a refresh just wrote
(``annotate_articles``, which ``reader.update`` calls after storing), or a whole archive (``backfill``,
behind ``khabar entities --backfill``). Extraction runs after the articles are stored, never inside the
refresh's write transaction, so it cannot slow a refresh down or hold the archive's write lock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reader.entities.extractor import BuiltinExtractor, Extractor
from reader.model import Article, Entity


def extract_article(article: Article, *, extractor: Extractor | None = None) -> tuple[Entity, ...]:
    """Entities of ``article`` with spans in ``article.body_text`` coordinates. The title is not part of the
    body text, so it is not searched. The built-in extractor chooses its rules per block from the block's
    script, with the block's ``lang`` (else the article's language) as a hint."""
    extractor = extractor or BuiltinExtractor()
    text = article.body_text
    if isinstance(extractor, BuiltinExtractor):
        paragraphs = []
        for offset, block in zip(article.block_offsets(), article.blocks, strict=True):
            hint = block.lang or article.language
            line_offset = offset
            for line in block.text.split("\n"):
                paragraphs.append((line_offset, line, hint))
                line_offset += len(line) + 1
        return tuple(extractor.extract_paragraphs(text, paragraphs))
    entities = extractor.extract(text, language=article.language)
    return tuple(e for e in entities if all(0 <= m.span.start <= m.span.end <= len(text) for m in e.mentions))


def _store_batch(store: Any, articles: Sequence[Article], extractor: Extractor) -> int:
    items = [(a.id, extract_article(a, extractor=extractor), a.body_text) for a in articles]
    return int(store.set_entities_many(items))


def annotate_articles(
    store: Any, article_ids: Sequence[str], *, extractor: Extractor | None = None, batch: int = 200
) -> int:
    """Extract and store the entities of these stored articles (the refresh's entity pass); returns how
    many were stored. Ids the store no longer has are skipped; an article whose text changed while it
    was being read is left for the next pass (``set_entities_many`` compares the text)."""
    from reader.errors import NotFoundError

    extractor = extractor or BuiltinExtractor()
    stored = 0
    pending: list[Article] = []
    for article_id in article_ids:
        try:
            pending.append(store.get_article(article_id))
        except NotFoundError:
            continue
        if len(pending) >= batch:
            stored += _store_batch(store, pending, extractor)
            pending = []
    if pending:
        stored += _store_batch(store, pending, extractor)
    return stored


def backfill(
    store: Any,
    *,
    limit: int | None = None,
    extractor: Extractor | None = None,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Extract and store entities for stored articles that have none yet; returns how many were done.

    ``store`` is a ``reader.store.Store``. An article with no entities is stored with an empty list, which
    the store records as done, so a second backfill finds nothing to do."""
    extractor = extractor or BuiltinExtractor()
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        articles = store.articles_without_entities(size)
        if not articles:
            break
        stored = _store_batch(store, articles, extractor)
        done += len(articles)
        if progress is not None:
            progress(done)
        if stored == 0 or len(articles) < size:
            break
    return done

"""Entities for stored articles: one article at a time (``extract_article``) or a whole archive
(``backfill``), which is what ``khabar entities --backfill`` and the refresh's background pass call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.entities.extractor import BuiltinExtractor, Extractor
from reader.model import Article, Entity

if TYPE_CHECKING:
    from collections.abc import Callable


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


def backfill(
    store: Any,
    *,
    limit: int | None = None,
    extractor: Extractor | None = None,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Extract and store entities for stored articles that have none yet; returns how many were done.

    ``store`` is a ``reader.store.Store`` (``articles_without_entities(limit)`` and ``set_entities(id,
    entities)``). Articles whose extraction finds nothing are stored with an empty list, which the store
    records as done, so a second backfill does not redo them."""
    extractor = extractor or BuiltinExtractor()
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        articles = store.articles_without_entities(size)
        if not articles:
            break
        for article in articles:
            store.set_entities(article.id, extract_article(article, extractor=extractor))
            done += 1
        if progress is not None:
            progress(done)
        if len(articles) < size:
            break
    return done

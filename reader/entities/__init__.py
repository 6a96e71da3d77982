"""Entity extraction: who, where, which organisation and when, in Arabic and English news.

Public API:

- ``extract(text, *, language=None) -> list[Entity]``: the built-in extractor on any text.
- ``extract_article(article, *, extractor=None) -> tuple[Entity, ...]``: per-paragraph language choice over
  an article's blocks, spans in ``article.body_text`` coordinates.
- ``entity_key(name) -> str``: the normalised key entities are stored and filtered under (``khabar list
  --entity NAME``): ``reader.normalize.fold`` plus clitic and article stripping and variant grouping.
- ``Extractor`` (protocol), ``BuiltinExtractor``, ``load_extractor(spec)`` for ``settings.entity_backend``.
- ``annotate_articles(store, article_ids) -> int``: the refresh's entity pass (``reader.update`` calls it
  after the articles are stored).
- ``backfill(store, *, limit=None, extractor=None) -> int``: extract and store entities for stored articles
  that have none.

Nothing here imports Textual, and the gazetteers load on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.entities.extractor import BuiltinExtractor, Extractor, load_extractor
from reader.entities.lexicon import entity_key

if TYPE_CHECKING:
    from reader.model import Entity

__all__ = [
    "BuiltinExtractor",
    "Extractor",
    "annotate_articles",
    "backfill",
    "entity_key",
    "extract",
    "extract_article",
    "load_extractor",
]

_BUILTIN = BuiltinExtractor()


def extract(text: str, *, language: str | None = None) -> list[Entity]:
    """Entities in ``text`` found by the built-in extractor."""
    return _BUILTIN.extract(text, language=language)


from reader.entities.article import annotate_articles, backfill, extract_article  # noqa: E402

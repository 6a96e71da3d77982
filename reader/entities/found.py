"""What the rules find in one paragraph, before mentions are grouped into entities."""

from __future__ import annotations

from dataclasses import dataclass

from reader.model import EntityType


@dataclass(slots=True)
class Found:
    """A mention found by a rule: offsets into the paragraph, its type and what it is known as."""

    start: int
    end: int
    type: EntityType
    lookup: str
    """The folded form the key is computed from (the article restored after لل, clitics gone)."""
    group: str | None = None
    """The gazetteer group key, when a gazetteer matched."""
    display: str | None = None
    """The gazetteer display name, when a gazetteer matched."""
    words: int = 1
    """How many words the mention has (a person named in full has two or more)."""
    priority: int = 0
    """Breaks ties between overlapping candidates of the same length: higher wins."""

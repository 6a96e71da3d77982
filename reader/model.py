"""The small immutable vocabulary that crosses every boundary in Khabar.

Parsers turn feedparser dictionaries and files into these types, the store turns rows into them, and the UI
and the RTL engine read them. Nothing else crosses a layer boundary.

One coordinate system serves every span in Khabar (entity mentions, search highlights, links): code-point
offsets into an article's *body text*, which is defined once, here, as the texts of its blocks joined with a
single newline (``Article.body_text``). Block texts are sanitised at ingestion (``reader.rtl.sanitize``), so
offsets never count escape sequences; explicit bidi controls are kept only balanced within their paragraph,
where they count as code points like any other (the RTL engine consumes them and never emits them).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from datetime import datetime


class Direction(enum.StrEnum):
    """A text direction: a hint from the source, a user override, or the resolved base direction."""

    AUTO = "auto"
    """Decide from the first strong character (UBA rules P2-P3)."""
    RTL = "rtl"
    LTR = "ltr"


class BlockKind(enum.StrEnum):
    """What a block of article body is; the article view styles each kind."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    QUOTE = "quote"
    PREFORMATTED = "preformatted"
    IMAGE = "image"
    """An image placeholder; its text is the alt text shown as ``[image: alt]``."""


class LinkKind(enum.StrEnum):
    """Where a numbered link reference came from."""

    LINK = "link"
    ENCLOSURE = "enclosure"
    IMAGE = "image"


class EntityType(enum.StrEnum):
    """The kinds of named entity the extractor reports."""

    PERSON = "PERSON"
    ORG = "ORG"
    LOC = "LOC"
    DATE = "DATE"
    FAC = "FAC"
    MONEY = "MONEY"
    MISC = "MISC"


@dataclass(frozen=True, slots=True)
class Block:
    """One block of an article body, in logical (reading) order."""

    kind: BlockKind
    """Heading, paragraph, list item, quote, preformatted text or image placeholder."""
    text: str
    """Sanitised logical text; never contains a newline except inside preformatted blocks."""
    level: int = 0
    """Heading level (1-6) or list nesting depth (0 at the top); 0 otherwise."""
    direction: Direction = Direction.AUTO
    """A ``dir`` hint from the source; AUTO means decide from the text."""
    lang: str | None = None
    """A ``lang`` hint from the source (BCP 47), if any."""


@dataclass(frozen=True, slots=True)
class Link:
    """A numbered link reference listed after the body, as Newsboat does."""

    number: int
    """1-based reference number shown in the body as ``[n]``."""
    url: str
    text: str = ""
    """The link's sanitised anchor text (or an enclosure's title)."""
    kind: LinkKind = LinkKind.LINK
    mime_type: str | None = None
    """For enclosures: the declared MIME type."""
    length: int | None = None
    """For enclosures: the declared size in bytes."""


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range ``[start, end)`` of code points in an article's body text (or one field's text)."""

    start: int
    end: int
    kind: str = ""
    """What the span marks, e.g. ``entity-LOC``, ``search``, ``link``; the UI maps it to a component class."""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")


@dataclass(frozen=True, slots=True)
class Mention:
    """One occurrence of an entity in an article's body text."""

    span: Span
    """Where the mention sits, in body-text code-point offsets (clitics excluded)."""
    text: str
    """The surface form exactly as written in the body."""


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, place, organisation, date or other named thing an article mentions."""

    type: EntityType
    key: str
    """The normalised key (``reader.normalize``) under which variant spellings are grouped."""
    name: str
    """The form shown to the user: the longest or most frequent surface form."""
    mentions: tuple[Mention, ...] = ()

    @property
    def surfaces(self) -> tuple[str, ...]:
        """Every distinct surface form, in order of first appearance."""
        return tuple(dict.fromkeys(m.text for m in self.mentions))


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription: what the feed says about itself plus its fetch state."""

    url: str
    """An http(s) or file URL, or a local path; unique in the archive."""
    title: str = ""
    id: int | None = None
    """The archive's id for the feed; None before it is stored."""
    site_url: str | None = None
    tags: tuple[str, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    last_refresh: datetime | None = None
    last_error: str | None = None
    """The last fetch or parse error, sanitised, or None after a good refresh."""
    error_count: int = 0
    """Consecutive failed refreshes."""
    unread: int = 0
    """Unread articles (filled by the store when listing feeds)."""


@dataclass(frozen=True, slots=True)
class Article:
    """An article: what the feed or file says, and the reader's state for it."""

    id: str
    """Stable id: see ``article_id``. This is what ``khabar list`` prints and ARTICLE arguments name."""
    feed_id: int | None
    """The feed it came from; None for articles imported from files that belong to no feed."""
    guid: str
    """The entry's id within its feed (guid, else link, else content hash)."""
    title: str
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    """Timezone-aware, or None when the source gives no usable date."""
    updated: datetime | None = None
    language: str | None = None
    direction: Direction = Direction.AUTO
    blocks: tuple[Block, ...] = ()
    links: tuple[Link, ...] = ()
    summary: str = ""
    """Sanitised plain-text summary (feeds that carry one besides the content)."""
    read: bool = False
    starred: bool = False
    saved: bool = False
    """Kept forever with its full body for offline reading; imported saved articles are saved."""
    read_at: datetime | None = None
    feed_title: str = ""
    """The feed's title, filled by the store for display."""
    entities: tuple[Entity, ...] = field(default=(), compare=False)

    @property
    def body_text(self) -> str:
        """The text every span refers to: the blocks' texts joined with one newline."""
        return body_text(self.blocks)

    def block_offsets(self) -> list[int]:
        """Start offset of each block in ``body_text``."""
        offsets: list[int] = []
        pos = 0
        for block in self.blocks:
            offsets.append(pos)
            pos += len(block.text) + 1
        return offsets


def body_text(blocks: tuple[Block, ...] | list[Block]) -> str:
    """Join block texts with newlines: the single definition of the span coordinate system."""
    return "\n".join(block.text for block in blocks)


def article_id(feed_key: str, guid: str) -> str:
    """A stable, short id for an article: derived from its feed's key and its guid, so it survives export,
    import and archive rebuilds. ``feed_key`` is the feed URL at first sight (or ``saved:`` for files)."""
    digest = hashlib.blake2b(f"{feed_key}\x00{guid}".encode(), digest_size=6).hexdigest()
    return digest

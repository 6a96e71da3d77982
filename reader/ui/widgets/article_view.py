"""The article body: a Line API view that lays an article out once per width and paints only visible lines.

A long article is laid out progressively: the first screens when it opens, the rest in short slices
between keys (``iter_layout`` yields a block at a time), so even a 10 MB body opens at once.

Layout goes through the RTL engine block by block (``reader.ui.text.wrap_block``): each paragraph is
wrapped in logical order, shaped, reordered and aligned by its own direction, with entity mentions and search
matches carried through as spans into visual cells. The result is a list of ``DocLine``; ``render_line``
turns the visible ones into Strips, cached per (line, theme) so scrolling repaints are cheap.
"""

from __future__ import annotations

import bisect
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.model import Article, BlockKind, Entity, Span
from reader.ui.text import VLine, wrap_block
from reader.ui.widgets.component_style import component_style

MAX_STRIPS = 512
FIRST_SCREENS = 3
"""Screens of lines laid out at once when an article opens; the rest follows in slices."""
SLICE_SECONDS = 0.02
"""Layout work per turn of the event loop after that: keys wait at most this long."""


@dataclass(frozen=True, slots=True)
class DocLine:
    """One painted line: left padding then visual pieces, each with an optional component class."""

    pad: int
    pieces: tuple[tuple[str, str], ...]
    """(visual text, component class suffix or "") in left-to-right cell order."""


_BLOCK_CLASS = {
    BlockKind.HEADING: "heading",
    BlockKind.QUOTE: "quote",
    BlockKind.PREFORMATTED: "pre",
    BlockKind.IMAGE: "image",
}


def search_spans(text: str, query: str | None) -> list[Span]:
    """Where ``query`` matches in ``text``, by the archive's own matching rules (folding, clitics,
    prefixes), as spans over the text as written. A query the search cannot parse highlights nothing."""
    if not query:
        return []
    from reader.errors import QueryError
    from reader.store.search import match_spans

    try:
        return [Span(s.start, s.end, "search") for s in match_spans(text, query)]
    except QueryError:
        return []


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """``spans`` in priority order, without any that overlaps one kept before it (sorted by start)."""
    kept: list[Span] = []
    starts: list[int] = []
    for span in spans:
        if span.start >= span.end:  # marks nothing
            continue
        i = bisect.bisect_right(starts, span.start)
        if (i == 0 or kept[i - 1].end <= span.start) and (i == len(kept) or kept[i].start >= span.end):
            kept.insert(i, span)
            starts.insert(i, span.start)
    return kept


def layout_article(article: Article, width: int, *, bidi: str, base: str, strip_harakat: bool,
                   search: str | None, entity: Entity | None) -> list[DocLine]:
    """Lay the whole article out at ``width`` cells."""
    return [line for part in iter_layout(article, width, bidi=bidi, base=base, strip_harakat=strip_harakat,
                                         search=search, entity=entity) for line in part]


def iter_layout(article: Article, width: int, *, bidi: str, base: str, strip_harakat: bool,
                search: str | None, entity: Entity | None) -> Iterator[list[DocLine]]:
    """The article's lines at ``width`` cells, a block at a time (the heading, each body block, the
    links), so a view can paint the opening of a huge article before the rest is laid out."""
    width = max(width, 8)
    lines: list[DocLine] = []

    def add(vlines: list[VLine], cls: str, indent: int = 0) -> None:
        for v in vlines:
            pieces = tuple((text, kind or cls) for text, kind in v.pieces)
            lines.append(DocLine(v.pad + indent, pieces))

    def flush() -> list[DocLine]:
        nonlocal lines
        done, lines = lines, []
        return done

    add(wrap_block(article.title, width, bidi=bidi, base=base, strip_harakat=strip_harakat), "title")
    meta = " · ".join(x for x in (
        article.feed_title,
        article.published.strftime("%Y-%m-%d %H:%M") if article.published else "",
        article.author or "",
    ) if x)
    if meta:
        add(wrap_block(meta, width, bidi=bidi, base=base, strip_harakat=strip_harakat), "meta")
    lines.append(DocLine(0, ()))
    yield flush()

    mentions: list[Span] = []
    if entity is not None:
        mentions = [Span(m.span.start, m.span.end, "entity-hit") for m in entity.mentions]
    else:
        for e in article.entities:
            mentions.extend(Span(m.span.start, m.span.end, f"entity-{e.type.lower()}") for m in e.mentions)
    matches = search_spans(article.body_text, search)
    # The chosen entity beats a search match, which beats an entity's type colour: where they overlap
    # only the first is kept (the RTL engine would otherwise pick by visual position, so an entity
    # colour could hide the very match the user searched for).
    ranked = [*mentions, *matches] if entity is not None else [*matches, *mentions]
    body_spans = _without_overlaps(ranked)

    offset = 0
    span_from = 0  # body_spans are sorted and never overlap: one pointer walks them with the blocks
    for block in article.blocks:
        end = offset + len(block.text)
        while span_from < len(body_spans) and body_spans[span_from].end <= offset:
            span_from += 1
        spans = []
        k = span_from
        while k < len(body_spans) and body_spans[k].start < end:
            s = body_spans[k]
            spans.append(Span(max(s.start, offset) - offset, min(s.end, end) - offset, s.kind))
            k += 1
        cls = _BLOCK_CLASS.get(block.kind, "")
        indent = 2 if block.kind in (BlockKind.LIST_ITEM, BlockKind.QUOTE) else 0
        text = block.text
        if block.kind == BlockKind.LIST_ITEM:
            indent += 2 * block.level
        if block.kind == BlockKind.IMAGE:
            text = f"[image: {block.text}]" if block.text else "[image]"
            spans = []
        block_base = block.direction.value if block.direction.value != "auto" else base
        vlines = wrap_block(text, width - indent, bidi=bidi, base=block_base, strip_harakat=strip_harakat,
                            spans=spans, preformatted=block.kind == BlockKind.PREFORMATTED)
        # Decorations go on the reading side: left of LTR lines, right of RTL ones. In ``app`` mode
        # the line is already in visual order, so an RTL line's right side is the end of its pieces;
        # in ``terminal`` and ``off`` modes the line is logical text that the terminal orders itself,
        # and the reading side is always the logical start.
        visual = bidi not in ("terminal", "off")
        if block.kind == BlockKind.LIST_ITEM and vlines:
            first = vlines[0]
            if first.rtl and visual:
                vlines[0] = VLine(first.pad, (*first.pieces, (" •", "bullet")), first.rtl)
            else:
                vlines[0] = VLine(first.pad, (("• ", "bullet"), *first.pieces), first.rtl)
                indent -= 2
        if block.kind == BlockKind.QUOTE:
            vlines = [VLine(v.pad, (*v.pieces, (" │", "quote-bar")), v.rtl) if v.rtl and visual
                      else VLine(v.pad, (("│ ", "quote-bar"), *v.pieces), v.rtl) for v in vlines]
            indent -= 2
        add(vlines, cls, max(indent, 0))
        if block.kind in (BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.QUOTE, BlockKind.PREFORMATTED,
                          BlockKind.IMAGE):
            lines.append(DocLine(0, ()))
        offset = end + 1
        yield flush()

    if article.links:
        lines.append(DocLine(0, (("Links", "heading"),)))
        for link in article.links:
            label = f"[{link.number}] {link.url}"
            if link.kind.value != "link":
                label += f" ({link.kind.value}{', ' + link.mime_type if link.mime_type else ''})"
            add(wrap_block(label, width, bidi=bidi, base="ltr", strip_harakat=False), "link")
    yield flush()


class ArticleView(ScrollView, can_focus=True):
    """Shows one article."""

    COMPONENT_CLASSES = {
        "article-view--title", "article-view--meta", "article-view--heading", "article-view--quote",
        "article-view--quote-bar", "article-view--pre", "article-view--image", "article-view--link",
        "article-view--bullet", "article-view--search", "article-view--entity-hit",
        "article-view--entity-person", "article-view--entity-org", "article-view--entity-loc",
        "article-view--entity-date", "article-view--entity-fac", "article-view--entity-money",
        "article-view--entity-misc",
    }
    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False, id="article.down"),
        Binding("k,up", "scroll_up", "Up", show=False, id="article.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="article.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="article.bottom"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="article.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="article.page_up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._options: dict[str, object] = {}
        self._entity: Entity | None = None
        self._lines: list[DocLine] = []
        self._layout_key: tuple[object, ...] = ()
        self._pending: Iterator[list[DocLine]] | None = None
        """The rest of the layout, while a long article is still being laid out."""
        self._generation = 0
        self._strips: OrderedDict[tuple[int, int], Strip] = OrderedDict()

    def show(self, article: Article, *, bidi: str, strip_harakat: bool, base: str,
             search: str | None = None, entity: Entity | None = None) -> None:
        """Display ``article`` from the top."""
        self.article = article
        self._options = {"bidi": bidi, "strip_harakat": strip_harakat, "base": base, "search": search}
        self._entity = entity
        self._relayout(at=0)
        self.scroll_home(animate=False)

    def replace_article(self, article: Article) -> None:
        """The same article with new content (entities found, full text fetched): laid out again, the
        reader left at the line they were reading."""
        self.article = article
        self._relayout()

    def highlight_entity(self, entity: Entity | None) -> None:
        """Highlight every mention of ``entity`` (None: all entities by type) and scroll to the first."""
        self._entity = entity
        self._relayout()
        if entity is not None:
            seen = 0
            while True:  # the first mention, laying out only as far as it
                for y in range(seen, len(self._lines)):
                    if any(cls == "entity-hit" for _, cls in self._lines[y].pieces):
                        self.scroll_to(y=max(y - 2, 0), animate=False)
                        return
                seen = len(self._lines)
                if self._pending is None:
                    return
                self._extend(lines=seen + 200)

    @property
    def lines(self) -> list[DocLine]:
        """Every laid-out line, the layout finished first (for tests and the benchmark)."""
        self._extend()
        return self._lines

    @property
    def laying_out(self) -> bool:
        """True while the end of a long article is still being laid out."""
        return self._pending is not None

    def _extend(self, *, lines: int | None = None, seconds: float | None = None) -> bool:
        """Lay out more of the article: until it has ``lines`` lines, for ``seconds``, or to its end.
        Returns True while more remains."""
        pending = self._pending
        if pending is None:
            return False
        deadline = time.perf_counter() + seconds if seconds is not None else None
        for part in pending:
            self._lines.extend(part)
            if (lines is not None and len(self._lines) >= lines) or \
                    (deadline is not None and time.perf_counter() >= deadline):
                break
        else:
            self._pending = None
        self.virtual_size = Size(self.virtual_size.width, len(self._lines))
        return self._pending is not None

    def _continue(self, generation: int) -> None:
        """One slice of the layout of a long article, then back to the event loop."""
        if generation != self._generation:
            return  # another article, width or highlight took over
        shown_before = len(self._lines)
        if self._extend(seconds=SLICE_SECONDS):
            self._schedule(generation)
        if shown_before < self.scroll_offset.y + self.size.height:
            self.refresh()  # the slice reached lines on screen (the scrollbar follows virtual_size itself)

    def _schedule(self, generation: int) -> None:
        """The next slice, after whatever else is waiting (keys, repaints). A timer, not ``call_later``:
        a message posted to this widget's own queue keeps the queue busy, and Textual does not hand the
        loop back (no keys, no repaints) until the queue is empty, so the slices ran back to back."""
        self.set_timer(0.001, partial(self._continue, generation))

    def action_scroll_end(self) -> None:
        """The article's real end: the rest is laid out first."""
        self._extend()
        super().action_scroll_end()

    def _relayout(self, *, at: int | None = None) -> None:
        """Lay the article out again if anything it depends on changed, keeping the reader at line
        ``at`` (None: where they are now; a new width or new content keeps their place)."""
        width = max(self.scrollable_content_region.width, 8) if self.size.width else 80
        y = int(self.scroll_offset.y) if at is None else at
        if self.article is None:
            self._lines = []
            self._pending = None
        else:
            # Entities apart: an Article compares without them, and they arrive after the article.
            key = (self.article, self.article.entities, width, tuple(self._options.items()), self._entity)
            if key != self._layout_key:
                # The first screens now, the rest in slices between keys: a 10 MB article opens at once.
                self._pending = iter_layout(
                    self.article, width, bidi=str(self._options["bidi"]), base=str(self._options["base"]),
                    strip_harakat=bool(self._options["strip_harakat"]),
                    search=self._options["search"] if isinstance(self._options["search"], str) else None,
                    entity=self._entity)
                self._lines = []
                self._layout_key = key
                self._generation += 1
                screen = max(self.size.height, 24)
                if self._extend(lines=max(screen * FIRST_SCREENS, y + screen)):
                    self._schedule(self._generation)
        self._strips.clear()
        self.virtual_size = Size(width, len(self._lines))
        if y:
            self.scroll_to(y=y, animate=False, immediate=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        key = (index, width)
        strip = self._strips.get(key)
        if strip is not None:
            self._strips.move_to_end(key)
            return strip
        base = self.rich_style
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base)  # not cached: the layout may still reach this line
        else:
            line = self._lines[index]
            segments = [Segment(" " * line.pad, base)] if line.pad else []
            styles: dict[str, Style] = {}
            for text, cls in line.pieces:
                if cls not in styles:
                    styles[cls] = base + component_style(self, f"article-view--{cls}") \
                        if cls else base
                segments.append(Segment(text, styles[cls]))
            strip = Strip(list(Segment.adjust_line_length(segments, width, base)), width)
        self._strips[key] = strip
        while len(self._strips) > MAX_STRIPS:
            self._strips.popitem(last=False)
        return strip

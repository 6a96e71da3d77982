"""The article list: a virtual list that paints only the rows on screen.

It holds the count of matching articles and asks its ``ListSource`` for pages of rows as they scroll into
view, keeping a bounded cache of pages, so 100,000 articles scroll as smoothly as 100. Each row shows the
unread and starred marks, the date, the source and the title; right-to-left titles are shaped, reordered and
right-aligned inside their column by the RTL engine, and can never disturb the columns beside them.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.ui.text import fit_cell
from reader.ui.widgets.component_style import component_style

PAGE = 200
MAX_PAGES = 16
MAX_STRIPS = 256
"""Painted rows kept: a cursor move repaints a dozen rows, most of them unchanged."""


@dataclass(frozen=True, slots=True)
class Row:
    """What the list needs of one article."""

    id: str
    title: str
    feed_title: str
    published: datetime | None
    read: bool
    starred: bool
    saved: bool


class ListSource(Protocol):
    """Where rows come from: the archive, filtered by the selected source."""

    def count(self) -> int:
        """How many articles match."""
        ...

    def page(self, offset: int, limit: int) -> list[Row]:
        """Rows ``offset`` to ``offset + limit`` in display order (newest first)."""
        ...


class ArticleList(ScrollView, can_focus=True):
    """Virtual list of articles."""

    COMPONENT_CLASSES = {
        "article-list--cursor", "article-list--unread", "article-list--read", "article-list--mark",
        "article-list--date", "article-list--source",
    }
    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
    ]

    cursor: reactive[int] = reactive(0)
    """Index of the highlighted row."""

    class Highlighted(Message):
        """The cursor moved to an article."""

        def __init__(self, row: Row | None) -> None:
            super().__init__()
            self.row = row

    class Chosen(Message):
        """The user pressed enter (or clicked) on an article."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, bidi: str = "app", id: str | None = None) -> None:
        super().__init__(id=id)
        self.bidi = bidi
        self._source: ListSource | None = None
        self._total = 0
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self._strips: OrderedDict[tuple[object, ...], Strip] = OrderedDict()

    # -- data -------------------------------------------------------------------------------------------
    def set_source(self, source: ListSource, *, keep_id: str | None = None) -> None:
        """Show ``source``; keep the cursor on article ``keep_id`` if it is still listed near the top."""
        self._source = source
        self.reload(keep_id=keep_id)

    def reload(self, *, keep_id: str | None = None) -> None:
        """Re-read the count and drop cached pages (after a refresh or a change of state)."""
        self._pages.clear()
        self._total = self._source.count() if self._source else 0
        # Rows are cut to the visible width, so the list never scrolls sideways (a virtual width as wide
        # as the widget itself would add a horizontal scrollbar once the vertical one takes two cells).
        self.virtual_size = Size(0, self._total)
        target = 0
        if keep_id is not None:
            for index in range(min(self._total, PAGE * 4)):
                row = self.row_at(index)
                if row is not None and row.id == keep_id:
                    target = index
                    break
        self.cursor = min(target, max(self._total - 1, 0))
        self.scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self.current))

    @property
    def total(self) -> int:
        """How many articles the list holds."""
        return self._total

    def row_at(self, index: int) -> Row | None:
        """The row at ``index``, fetching its page when needed."""
        if self._source is None or not 0 <= index < self._total:
            return None
        number = index // PAGE
        page = self._pages.get(number)
        if page is None:
            page = self._source.page(number * PAGE, PAGE)
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = index - number * PAGE
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> Row | None:
        """The highlighted row."""
        return self.row_at(self.cursor)

    def update_row(self, row: Row) -> None:
        """Replace a cached row after its state changed (read, starred), without a reload."""
        for page in self._pages.values():
            for i, cached in enumerate(page):
                if cached.id == row.id:
                    page[i] = row
        self.refresh()

    # -- painting ---------------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_offset.y)
        index = scroll_y + y
        # The content region, not the widget: the vertical scrollbar takes cells at the right, and a row
        # laid out wider would lose its right end there (the start of a right-to-left title).
        width = self.scrollable_content_region.width
        row = self.row_at(index)
        base = self.rich_style
        if row is None:
            return Strip.blank(width, base)
        key = (row, width, index == self.cursor, self.has_focus, self.bidi)
        strip = self._strips.get(key)
        if strip is not None:
            self._strips.move_to_end(key)
            return strip
        style = base + component_style(self, "article-list--read" if row.read else "article-list--unread")
        if index == self.cursor:
            style = style + component_style(self, "article-list--cursor")
        strip = self._strips[key] = Strip(self._row_segments(row, width, style), width)
        while len(self._strips) > MAX_STRIPS:
            self._strips.popitem(last=False)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a theme or focus change: every row's colours

    def _row_segments(self, row: Row, width: int, style: Style) -> list[Segment]:
        mark_style = style + component_style(self, "article-list--mark")
        date_style = style + component_style(self, "article-list--date")
        source_style = style + component_style(self, "article-list--source")
        # A cell for each mark, so a starred article that is also saved shows both.
        marks = ("●" if not row.read else " ") + ("★" if row.starred else " ") + ("⚑" if row.saved else " ")
        date = row.published.strftime("%Y-%m-%d") if row.published else "          "
        source_width = max(6, min(18, width // 6))
        title_width = max(1, width - len(marks) - 1 - 10 - 1 - source_width - 1 - 1)
        segments = [Segment(marks, mark_style), Segment(" ", style), Segment(date, date_style),
                    Segment(" ", style)]
        segments.append(Segment(fit_cell(row.feed_title, source_width, self.bidi), source_style))
        segments.append(Segment(" ", style))
        segments.append(Segment(fit_cell(row.title, title_width, self.bidi), style))
        segments.append(Segment(" ", style))
        return list(Segment.adjust_line_length(segments, width, style))

    # -- movement ---------------------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old - int(self.scroll_offset.y))
        self.refresh_line(new - int(self.scroll_offset.y))

    def move_to(self, index: int) -> None:
        """Put the cursor on ``index`` and tell the screen."""
        if self._total == 0:
            return
        index = max(0, min(index, self._total - 1))
        if index != self.cursor:
            self.cursor = index
            self.scroll_to_cursor()
            self.post_message(self.Highlighted(self.current))

    def scroll_to_cursor(self) -> None:
        """Scroll so the cursor row is visible."""
        height = max(self.size.height, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self._total - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + max(self.size.height - 1, 1))

    def action_page_up(self) -> None:
        self.move_to(self.cursor - max(self.size.height - 1, 1))

    def choose(self) -> None:
        """Open the highlighted article."""
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self._total:
            self.move_to(index)
            self.choose()

    def on_resize(self, event: events.Resize) -> None:
        # The first reload (on mount, restoring the last article) ran before the list had a height, so
        # the cursor may be below the fold: bring it into view now that the height is known.
        self.scroll_to_cursor()

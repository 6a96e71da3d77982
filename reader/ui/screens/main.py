"""The main screen: sources, article list, article body and entities, and every command that acts on them.

The screen owns the state (selected source, open article, undo stack) and talks to the archive; widgets
get data pushed into them and post messages up. Slow work (refresh, full-text fetch, archive polling) runs in
named workers that report back with messages, so the UI never blocks.
"""

from __future__ import annotations

import shlex
import subprocess
import webbrowser
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from reader.commands._output import plural
from reader.errors import KhabarError, QueryError
from reader.model import Article, Entity
from reader.rtl.sanitize import sanitize
from reader.store.query import parse as parse_query
from reader.ui import sources as sources_mod
from reader.ui.commands import bindings
from reader.ui.state import KeptSource
from reader.ui.text import rtl_preview, visual_input
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entities import EntitiesPane
from reader.ui.widgets.sources import SourcesPane
from reader.ui.widgets.status import StatusBar

if TYPE_CHECKING:
    from reader.ui.app import KhabarApp

BIDI_CYCLE = ("auto", "app", "terminal", "off")
SAFE_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class Undo:
    """What the last bulk mark-as-read changed, so u can put it back."""

    article_ids: tuple[str, ...]
    label: str


class SearchInput(Input):
    """The one-line search box shown by /. Textual's ``Input`` draws the characters as they are stored,
    so an Arabic query showed unjoined and left to right; a query with right-to-left text is drawn
    shaped and in reading order (``reader.ui.text.visual_input``), the cursor at the cell of the
    character it stands on. Editing keys still move through the text in logical order."""

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        bidi = str(getattr(self.app, "effective_bidi", "app"))
        cursor = self.cursor_position if self.has_focus and self._cursor_visible else None
        shown = visual_input(self.value, cursor, width, bidi) if y == 0 and self.value else None
        if shown is None:
            return super().render_line(y)
        pad, pieces = shown
        cursor_style = self.get_component_rich_style("input--cursor")
        segments = [Segment(" " * pad)] if pad else []
        segments += [Segment(text, cursor_style if kind == "cursor" else None) for text, kind in pieces]
        return Strip(segments).extend_cell_length(width + 1).crop(0, width + 1).apply_style(self.rich_style)


class MainScreen(Screen[None]):
    """Everything the reader does happens here."""

    BINDINGS = bindings()

    def __init__(self) -> None:
        super().__init__()
        self._source_key = "all"
        self._article: Article | None = None
        self._article_stamp: tuple[object, ...] | None = None
        """The open article's ``Store.article_stamp`` when read: a poll re-reads it only when that changes."""
        self._transient: KeptSource | None = None
        self._undo: list[Undo] = []
        self._data_version = -1
        self._preview_timer: Timer | None = None

    @property
    def kapp(self) -> KhabarApp:
        """The app, typed."""
        from reader.ui.app import KhabarApp

        assert isinstance(self.app, KhabarApp)
        return self.app

    # -- layout ---------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        bidi = self.kapp.effective_bidi
        panes = [
            SourcesPane(bidi=bidi, id="sources"),
            Vertical(
                ArticleList(bidi=bidi, id="articles"),
                ArticleView(id="article"),
                id="middle",
            ),
            EntitiesPane(bidi=bidi, id="entities"),
        ]
        if self.kapp.settings.layout == "rtl":
            panes.reverse()
        with Horizontal(id="panes"):
            yield from panes
        yield SearchInput(placeholder="Search the archive (words, \"phrases\", prefix*, AND OR NOT)",
                          id="search")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        state = self.kapp.ui_state
        self.query_one("#search", SearchInput).display = False
        self.set_class(not state.show_entities, "-hide-entities")
        self.query_one("#status", StatusBar).bidi = self._bidi_label()
        self._source_key = state.source
        self.reload_sources()
        self._show_source(self._source_key, keep_article=state.article)
        self.query_one("#articles", ArticleList).focus()
        self._data_version = self.kapp.store.data_version()
        self.set_interval(2.0, self._poll_archive, name="poll-archive")
        self._apply_width(self.size.width)

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        """Collapse panes on narrow terminals: entities go first, then sources. In ``terminal`` BiDi mode
        the terminal reorders whole rows, so only the stacked list and article remain (never side by
        side panes, which it would swap)."""
        self.set_class(width < 100, "-narrow")
        self.set_class(width < 130, "-medium")
        self.set_class(self.kapp.effective_bidi == "terminal", "-single")

    # -- data -----------------------------------------------------------------------------------------
    def reload_sources(self, *, keep_highlight: bool = False) -> None:
        """Re-read feeds and counts into the sources pane."""
        store = self.kapp.store
        feeds = store.list_feeds()
        from reader.store import ArticleQuery

        counts = {"all": store.count_articles(ArticleQuery()),
                  "unread": store.count_articles(ArticleQuery(unread=True)),
                  "starred": store.count_articles(ArticleQuery(starred=True)),
                  "saved": store.count_articles(ArticleQuery(saved=True))}
        pane = self.query_one("#sources", SourcesPane)
        # With ``keep_highlight`` (a refresh finished, another process wrote) the highlight stays where
        # the reader moved it while the pane has the focus, instead of jumping back to the source on show.
        pane.set_entries(sources_mod.entries(feeds, self.kapp.ui_state.kept, counts, self._transient),
                         selected=None if keep_highlight and pane.has_focus else self._source_key)
        status = self.query_one("#status", StatusBar)
        status.counts = f"{counts['unread']} unread · {counts['all']} articles · {len(feeds)} feeds"

    def _show_source(self, key: str, *, keep_article: str | None = None) -> None:
        if key.startswith("header:"):
            return
        self._source_key = key
        self.kapp.update_state(source=key)
        listing = self.query_one("#articles", ArticleList)
        try:
            listing.set_source(sources_mod.StoreListSource(self.kapp.store, sources_mod.query_for(key)),
                               keep_id=keep_article)
        except KhabarError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if keep_article:
            row = listing.current
            if row is not None and row.id == keep_article:
                self.open_article(row.id, mark_read=False)

    def open_article(self, article_id: str, *, mark_read: bool = True,
                     highlight: Entity | None = None) -> None:
        """Show an article in the body pane and its entities; mark it read."""
        store = self.kapp.store
        try:
            article = store.get_article(article_id)
        except KhabarError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if mark_read and not article.read:
            store.set_state([article.id], read=True)
            article = store.get_article(article.id)
            self.query_one("#articles", ArticleList).update_row(sources_mod.row_of(article))
            self.reload_sources()
        self._article = article
        self._article_stamp = store.article_stamp(article.id)
        view = self.query_one("#article", ArticleView)
        query = self._transient.value if self._transient and self._transient.kind == "search" else None
        view.show(article, bidi=self.kapp.effective_bidi, strip_harakat=self.kapp.settings.strip_harakat,
                  base=self.kapp.settings.base_direction, search=query, entity=highlight)
        self.query_one("#entities", EntitiesPane).show_entities(article.entities)
        self.kapp.update_state(article=article.id)

    def _poll_archive(self) -> None:
        """Notice commits by other processes (a scheduled ``khabar refresh``) and show new articles."""
        version = self.kapp.store.data_version()
        if version != self._data_version:
            self._data_version = version
            self.refresh_listing()
            self._refresh_open_article()

    def _refresh_open_article(self) -> None:
        """The open article as another process left it: the background entity pass that follows every
        refresh and import fills its entities in, ``khabar fetch-full`` its full text. Redrawn where the
        reader is, only when something shown changed."""
        shown = self._article
        if shown is None:
            return
        stamp = self.kapp.store.article_stamp(shown.id)
        if stamp is None or stamp == self._article_stamp:
            return  # most commits (another feed's articles) leave the open article as it was
        self._article_stamp = stamp
        try:
            fresh = self.kapp.store.get_article(shown.id)
        except KhabarError:
            return
        if fresh.entities == shown.entities and fresh.blocks == shown.blocks:
            return
        self._article = fresh
        self.query_one("#article", ArticleView).replace_article(fresh)
        if fresh.entities != shown.entities:
            self.query_one("#entities", EntitiesPane).show_entities(fresh.entities)

    def refresh_listing(self) -> None:
        """Reload sources and the list, keeping the cursor on the same article."""
        listing = self.query_one("#articles", ArticleList)
        current = listing.current
        self.reload_sources(keep_highlight=True)
        listing.reload(keep_id=current.id if current else None)

    # -- messages from widgets ------------------------------------------------------------------------
    @on(SourcesPane.Selected)
    def _source_selected(self, event: SourcesPane.Selected) -> None:
        self._show_source(event.key)
        self.query_one("#articles", ArticleList).focus()

    @on(ArticleList.Highlighted)
    def _article_highlighted(self, event: ArticleList.Highlighted) -> None:
        """Preview the highlighted article (without marking it read) once the cursor settles."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        row = event.row
        if row is None or (self._article is not None and self._article.id == row.id):
            return
        self._preview_timer = self.set_timer(0.08, lambda: self.open_article(row.id, mark_read=False))

    @on(ArticleList.Chosen)
    def _article_chosen(self, event: ArticleList.Chosen) -> None:
        self.open_article(event.row.id)

    @on(EntitiesPane.Chosen)
    def _entity_chosen(self, event: EntitiesPane.Chosen) -> None:
        if self._article is not None:
            self.query_one("#article", ArticleView).highlight_entity(event.entity)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        box = self.query_one("#search", SearchInput)
        query = event.value.strip()
        if query:
            try:
                parse_query(query)
            except QueryError as exc:  # stay in the box to mend it; no empty source is made of it
                self.notify(str(exc), title="Search", severity="error", markup=False)
                return
        box.display = False
        if not query:
            self.query_one("#articles", ArticleList).focus()
            return
        self._transient = KeptSource("search", query, f"/ {query}")
        key = f"search:{query}"
        self._source_key = key
        self.reload_sources()
        self._show_source(key)
        listing = self.query_one("#articles", ArticleList)
        self.notify(f"{plural(listing.total, 'article')} match{'es' if listing.total == 1 else ''}",
                    title="Search")
        listing.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        # The box draws a right-to-left query in reading order itself; one too long for it scrolls as
        # typed (logical order), and then its title shows the query shaped and in reading order.
        box = self.query_one("#search", SearchInput)
        # Before its first layout the box has no width yet: it will span the screen, less its frame.
        width = box.scrollable_content_region.width or max(self.size.width - 4, 8)
        bidi = self.kapp.effective_bidi
        preview = rtl_preview(event.value, max(box.size.width - 8, 8), bidi)
        drawn = visual_input(event.value, None, width, bidi) is not None
        box.border_title = Text(preview) if preview and not drawn else None

    # -- actions --------------------------------------------------------------------------------------
    def action_open(self) -> None:
        focused = self.focused
        if isinstance(focused, ArticleList):
            focused.choose()
        elif isinstance(focused, SourcesPane):
            key = focused.selected_key
            if key:
                self._show_source(key)
                self.query_one("#articles", ArticleList).focus()
        elif isinstance(focused, EntitiesPane):
            entity = focused.current
            if entity is not None:
                self.query_one("#article", ArticleView).highlight_entity(entity)

    def _step(self, delta: int, *, unread_only: bool = False) -> None:
        listing = self.query_one("#articles", ArticleList)
        index = listing.cursor + delta
        while 0 <= index < listing.total:
            row = listing.row_at(index)
            if row is not None and (not unread_only or not row.read):
                listing.move_to(index)
                self.open_article(row.id)
                return
            index += 1 if delta > 0 else -1
        self.notify("No more unread articles" if unread_only else "No more articles")

    def action_next_article(self) -> None:
        self._step(1)

    def action_previous_article(self) -> None:
        self._step(-1)

    def action_next_unread(self) -> None:
        self._step(1 if self._article else 0, unread_only=True)

    def action_search(self) -> None:
        box = self.query_one("#search", SearchInput)
        box.display = True
        box.value = self._transient.value if self._transient and self._transient.kind == "search" else ""
        box.focus()

    def action_keep_source(self) -> None:
        if self._transient is None:
            self.notify("Search (/) or list an entity's articles (L) first, then keep it with K")
            return
        kept = self.kapp.ui_state.kept
        if any(k.kind == self._transient.kind and k.value == self._transient.value for k in kept):
            self.notify("Already kept")
            return
        self.kapp.update_state(kept=(*kept, self._transient))
        self.reload_sources()
        self.notify(f"Kept {self._transient.label} as a source", markup=False)

    def action_drop_source(self) -> None:
        key = self.query_one("#sources", SourcesPane).selected_key or ""
        kind, _, value = key.partition(":")
        kept = self.kapp.ui_state.kept
        remaining = tuple(k for k in kept if not (k.kind == kind and k.value == value))
        if remaining == kept:
            self.notify("Only kept searches and entity filters can be removed here")
            return
        self.kapp.update_state(kept=remaining)
        self.reload_sources()
        dropped = next(k for k in kept if k.kind == kind and k.value == value)
        self.notify(f"Removed {dropped.label}", markup=False)

    def _settle_preview(self) -> None:
        """Open the highlighted row now if its preview is still pending, so a key pressed right after
        moving (j then s, within the preview delay) acts on the row under the cursor, not on the article
        shown a moment before."""
        if self._preview_timer is None:
            return
        self._preview_timer.stop()
        self._preview_timer = None
        row = self.query_one("#articles", ArticleList).current
        if row is not None and (self._article is None or self._article.id != row.id):
            self.open_article(row.id, mark_read=False)

    def _current_row_id(self) -> str | None:
        self._settle_preview()
        if self._article is not None:
            return self._article.id
        row = self.query_one("#articles", ArticleList).current
        return row.id if row else None

    def _toggle(self, field: str) -> None:
        article_id = self._current_row_id()
        if article_id is None:
            return
        store = self.kapp.store
        article = store.get_article(article_id)
        value = not getattr(article, field)
        store.set_state([article_id], **{field: value})
        updated = store.get_article(article_id)
        if self._article is not None and self._article.id == article_id:
            self._article = updated
        self.query_one("#articles", ArticleList).update_row(sources_mod.row_of(updated))
        self.reload_sources()
        words = {"starred": ("Starred", "Unstarred"),
                 "saved": ("Saved for offline reading", "No longer saved"),
                 "read": ("Marked read", "Marked unread")}[field]
        self.notify(words[0] if value else words[1])

    def action_toggle_star(self) -> None:
        self._toggle("starred")

    def action_toggle_save(self) -> None:
        self._toggle("saved")

    def action_toggle_read(self) -> None:
        self._toggle("read")

    def _mark_read(self, query_key: str, label: str) -> None:
        store = self.kapp.store
        from dataclasses import replace

        query = replace(sources_mod.query_for(query_key), unread=True, limit=1_000_000)
        ids = tuple(a.id for a in store.list_articles(query))
        if not ids:
            self.notify("Nothing unread here")
            return
        store.set_state(list(ids), read=True)
        self._undo.append(Undo(ids, label))
        self.refresh_listing()
        self.notify(f"Marked {len(ids)} articles read (u undoes)")

    def action_mark_feed_read(self) -> None:
        self._mark_read(self._source_key, "source")

    def action_mark_all_read(self) -> None:
        self._mark_read("all", "everything")

    def action_undo(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo")
            return
        undo = self._undo.pop()
        self.kapp.store.set_state(list(undo.article_ids), read=False)
        self.refresh_listing()
        self.notify(f"Marked {len(undo.article_ids)} articles unread again")

    def _link(self) -> str | None:
        self._settle_preview()
        article = self._article
        if article is None or not article.url:
            self.notify("This article has no link", severity="warning")
            return None
        return article.url

    def action_open_link(self) -> None:
        url = self._link()
        if url is None:
            return
        if not url.lower().startswith(SAFE_SCHEMES):
            self.notify("Only http and https links are opened", severity="warning")
            return
        command = self.kapp.settings.browser
        try:
            if command:
                args = shlex.split(command)
                args = [a.replace("{url}", url) for a in args] if "{url}" in command else [*args, url]
                subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
            else:
                problem = self._open_in_system_browser(url)
                if problem:
                    self.notify(problem, severity="error", markup=False)
                    return
        except OSError as exc:
            self.notify(f"Could not start the browser: {exc.strerror}", severity="error")
            return
        self.notify("Opened in the browser")

    def _open_in_system_browser(self, url: str) -> str | None:
        """Open ``url`` with the browser Python's ``webbrowser`` picks; the reason when that fails.

        A browser that runs in this terminal (``lynx``, ``w3m``, most ``$BROWSER`` settings) would draw
        over the app while it waits for it, so the app hands the terminal over for as long as it runs,
        as it would to a pager; a graphical browser is started in the background."""
        try:
            browser = webbrowser.get()
        except webbrowser.Error:
            return "No browser found: set 'browser' in the config file"
        in_terminal = isinstance(browser, webbrowser.GenericBrowser) \
            and not isinstance(browser, webbrowser.BackgroundBrowser)
        if in_terminal:
            try:
                with self.app.suspend():
                    opened = browser.open(url)
            except SuspendNotSupported:
                return "The browser runs in this terminal, which cannot be handed over here"
        else:
            opened = browser.open(url)
        return None if opened else f"The browser ({browser.name or 'system'}) could not open the link"

    def action_copy_link(self) -> None:
        url = self._link()
        if url is None:
            return
        # The URL came from a feed: sanitised at ingestion, but copy only a single clean line.
        self.app.copy_to_clipboard(sanitize(url, multiline=False))
        self.notify("Link copied to the clipboard")

    def action_toggle_entities(self) -> None:
        hidden = not self.has_class("-hide-entities")
        self.set_class(hidden, "-hide-entities")
        self.kapp.update_state(show_entities=not hidden)
        if not hidden and self.has_class("-single"):
            self.notify("Entities are hidden in terminal BiDi mode (one pane at a time); press b to change")

    def action_entity_articles(self) -> None:
        entity = self.query_one("#entities", EntitiesPane).current
        if entity is None:
            self.notify("Pick an entity in the entities pane first (e shows it)")
            return
        self._transient = KeptSource("entity", entity.key, f"@ {entity.name}")
        key = f"entity:{entity.key}"
        self.reload_sources()
        self._show_source(key)
        self.query_one("#articles", ArticleList).focus()

    def action_cycle_bidi(self) -> None:
        current = self.kapp.bidi_setting
        mode = BIDI_CYCLE[(BIDI_CYCLE.index(current) + 1) % len(BIDI_CYCLE)]
        self.kapp.set_bidi(mode)
        bidi = self.kapp.effective_bidi
        for widget in (self.query_one("#sources", SourcesPane), self.query_one("#articles", ArticleList),
                       self.query_one("#entities", EntitiesPane)):
            widget.bidi = bidi
        self.query_one("#status", StatusBar).bidi = self._bidi_label()
        self._apply_width(self.size.width)
        self.refresh_listing()
        if self._article is not None:
            self.open_article(self._article.id, mark_read=False)
        self.notify(f"BiDi mode: {self._bidi_label()}")

    def _bidi_label(self) -> str:
        setting = self.kapp.bidi_setting
        effective = self.kapp.effective_bidi
        return f"auto→{effective}" if setting == "auto" else setting

    def action_pick_theme(self) -> None:
        self.app.search_themes()

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.kapp.current_keys()))

    # -- refresh and full text (workers) --------------------------------------------------------------
    def action_refresh_feed(self) -> None:
        feed = self._feed_to_refresh()
        if feed is None:
            self.notify("Select a feed to refresh it (R refreshes everything)")
            return
        self._refresh([feed])

    def _feed_to_refresh(self) -> str | None:
        """The feed r means: the one highlighted in the sources pane while it has the focus, else the
        feed on show, else the feed of the open article (in All, Unread, a search...)."""
        pane = self.query_one("#sources", SourcesPane)
        if pane.has_focus:
            key = pane.selected_key or ""
            return key.partition(":")[2] if key.startswith("feed:") else None
        if self._source_key.startswith("feed:"):
            return self._source_key.partition(":")[2]
        if self._article is not None and self._article.feed_id is not None:
            return str(self._article.feed_id)
        return None

    def action_refresh_all(self) -> None:
        self._refresh(None)

    def _refresh(self, feeds: list[str] | None) -> None:
        if self.kapp.ctx.offline:
            self.notify("Offline: refresh is off (--offline)", severity="warning")
        self.query_one("#status", StatusBar).progress = (0, 1)
        self._refresh_worker(feeds)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False, name="refresh")
    def _refresh_worker(self, feeds: list[str] | None) -> None:
        from reader import update

        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._set_progress, done, total)

        try:
            report = update.refresh(self.kapp.paths, self.kapp.settings, feeds=feeds,
                                    offline=self.kapp.ctx.offline, progress=progress)
        except KhabarError as exc:
            self.app.call_from_thread(self._refresh_done, None, str(exc))
            return
        self.app.call_from_thread(self._refresh_done, report.summary(), report.first_error())

    def _set_progress(self, done: int, total: int) -> None:
        self.query_one("#status", StatusBar).progress = (done, max(total, 1))

    def _refresh_done(self, summary: str | None, error: str | None) -> None:
        status = self.query_one("#status", StatusBar)
        status.progress = None
        status.error = error or ""
        if summary:
            self.notify(summary, title="Refresh", severity="warning" if error else "information")
        elif error:
            self.notify(error, title="Refresh failed", severity="error", markup=False)
        self.refresh_listing()

    def action_fetch_full(self) -> None:
        self._settle_preview()
        if self._article is None:
            self.notify("Open an article first")
            return
        if self.kapp.ctx.offline:
            self.notify("Offline: cannot fetch the full text (--offline)", severity="warning")
            return
        self.notify("Fetching the full text…")
        self._fetch_full_worker(self._article.id)

    @work(thread=True, exclusive=True, group="fetch-full", exit_on_error=False, name="fetch-full")
    def _fetch_full_worker(self, article_id: str) -> None:
        from reader import update

        try:
            update.fetch_full(self.kapp.paths, self.kapp.settings, article_id,
                              offline=self.kapp.ctx.offline)
        except KhabarError as exc:
            # markup=False: the message can hold server text (an HTTP reason phrase, a redirect target),
            # and Textual would read "[/]" there as markup and crash the app on a MarkupError.
            self.app.call_from_thread(self.notify, str(exc), title="Full text", severity="error",
                                      markup=False)
            return
        self.app.call_from_thread(self._fetch_full_done, article_id)

    def _fetch_full_done(self, article_id: str) -> None:
        self.notify("Full text stored for offline reading")
        if self._article is not None and self._article.id == article_id:
            self.open_article(article_id, mark_read=False)

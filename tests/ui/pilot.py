"""What the app tests share: the main screen's panes by role, and waiting on the running app."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from textual.pilot import Pilot

from reader.ui.app import KhabarApp
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entities import EntitiesPane
from reader.ui.widgets.sources import SourcesPane
from reader.ui.widgets.status import StatusBar


def main(app: KhabarApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


def listing(app: KhabarApp) -> ArticleList:
    return main(app).query_one("#articles", ArticleList)


def view(app: KhabarApp) -> ArticleView:
    return main(app).query_one("#article", ArticleView)


def sources(app: KhabarApp) -> SourcesPane:
    return main(app).query_one("#sources", SourcesPane)


def entities(app: KhabarApp) -> EntitiesPane:
    return main(app).query_one("#entities", EntitiesPane)


def status(app: KhabarApp) -> StatusBar:
    return main(app).query_one("#status", StatusBar)


def open_id(app: KhabarApp) -> str | None:
    article = view(app).article
    return article.id if article else None


def notices(app: KhabarApp) -> list[str]:
    """Every notification shown so far that has not expired."""
    return [n.message for n in app._notifications]


def screen_lines(app: KhabarApp) -> list[str]:
    """The screen as text rows, read back from the SVG export (what a snapshot would show)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]+" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>',
                         app.export_screenshot()):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return ["".join(t for _, t in sorted(parts)).replace("\xa0", " ") for _, parts in sorted(rows.items())]


def view_text(app: KhabarApp) -> str:
    """The laid-out article as the view paints it, one line per row."""
    return "\n".join("".join(text for text, _ in line.pieces) for line in view(app).lines)


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str, tries: int = 400) -> None:
    """Let the app run until ``condition`` holds (workers, timers, a subprocess); fail after ``tries``."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.025)
    raise AssertionError(f"never happened: {what}")

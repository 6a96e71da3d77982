"""SVG snapshots (pytest-textual-snapshot) that pin how Khabar looks: the seed article at 80x24 and 120x40 in
the dark and light themes, the entities pane with an entity highlighted, search results and the help screen.

Regenerate with ``pytest tests/ui/test_snapshots.py --snapshot-update`` after a deliberate change, then
look at every changed SVG before committing it (the Arabic must read right to left, joined, right-aligned).

The SVGs are Textual's screenshots with two corrections for whoever views them, applied by
``terminal_svg``: Khabar draws right-to-left text already shaped and in visual order, as a terminal cell
grid shows it, but a browser or SVG renderer runs its own BiDi over every ``<text>`` run and would mirror
it again, so the text runs are marked ``unicode-bidi: bidi-override; direction: ltr``; and Rich sizes each
run by its code points rather than its cells, which stretches lines with combining marks (harakat, niqqud)
past their columns, so ``textLength`` is recomputed from the cell count.

Snapshots must be the same on every run: BiDi is forced to ``app`` (no terminal detection), nothing on
screen depends on the clock or the host, notifications are cleared before the picture is taken, and no
text input has focus (no blinking cursor). The README's screenshot (``docs/screenshot.svg``) is the 120x40
dark snapshot; ``--snapshot-update`` rewrites it too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import textual._doc
from pytest_textual_snapshot import normalize_svg
from rich.cells import cell_len
from textual.pilot import Pilot

from reader.ui.app import KhabarApp
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.entities import EntitiesPane
from tests.ui.conftest import Home

REPO = Path(__file__).resolve().parents[2]
SNAPSHOTS = Path(__file__).with_name("__snapshots__") / "test_snapshots"
README_SCREENSHOT = REPO / "docs" / "screenshot.svg"
CELL_WIDTH = 12.2
"""Rich's SVG export: the width of one terminal cell, in SVG units."""

_TEXT_RUN = re.compile(
    r'(<text class="[^"]+" x="[\d.]+" y="[\d.]+" textLength=")([\d.]+)("[^>]*>)([^<]*)(</text>)')
_NO_BIDI = "text { unicode-bidi: bidi-override; direction: ltr; }"

Snap = Callable[..., bool]


def terminal_svg(svg: str) -> str:
    """Textual's screenshot, corrected so an SVG viewer draws the cells as the terminal does."""

    def run(m: re.Match[str]) -> str:
        cells = cell_len(html.unescape(m.group(4)))
        return f"{m.group(1)}{round(cells * CELL_WIDTH, 1):g}{m.group(3)}{m.group(4)}{m.group(5)}"

    svg = _TEXT_RUN.sub(run, svg)
    return svg.replace("<style>", f"<style>\n    {_NO_BIDI}", 1)


@pytest.fixture
def snap(snap_compare: Snap, monkeypatch: pytest.MonkeyPatch) -> Iterator[Snap]:
    """``snap_compare`` over ``terminal_svg`` screenshots; the last one is kept for the README."""
    original = textual._doc.take_svg_screenshot
    taken: list[str] = []

    def screenshot(*args: Any, **kwargs: Any) -> str:
        svg = terminal_svg(original(*args, **kwargs))
        taken.append(svg)
        return svg

    monkeypatch.setattr(textual._doc, "take_svg_screenshot", screenshot)
    snap_compare.taken = taken  # type: ignore[attr-defined]
    yield snap_compare


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the shown article is the highlighted row and drop notifications, for a still picture."""
    app = pilot.app
    for _ in range(400):
        await pilot.pause()
        screen = app.screen
        if not isinstance(screen, MainScreen):
            break
        row = screen.query_one("#articles", ArticleList).current
        article = screen.query_one("#article", ArticleView).article
        if row is None or (article is not None and article.id == row.id):
            break
        await pilot.pause(0.025)
    app.clear_notifications()
    await pilot.pause()


def seed_app(home: Home, theme: str) -> KhabarApp:
    return home.app(theme=theme)


@pytest.mark.parametrize("theme", ["khabar-dark", "khabar-light"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_seed_article(home: Home, snap: Snap, theme: str, size: tuple[int, int],
                      request: pytest.FixtureRequest) -> None:
    """The first start: the bundled Arabic article open, its entities coloured by type."""
    assert snap(seed_app(home, theme), terminal_size=size, run_before=settle)
    if theme == "khabar-dark" and size == (120, 40):
        if request.config.option.update_snapshots:
            README_SCREENSHOT.parent.mkdir(exist_ok=True)
            README_SCREENSHOT.write_text(normalize_svg(snap.taken[-1]), encoding="utf-8")  # type: ignore[attr-defined]
        else:
            stored = (SNAPSHOTS / "test_seed_article[120x40-khabar-dark].svg").read_text(encoding="utf-8")
            assert README_SCREENSHOT.read_text(encoding="utf-8") == stored, \
                "docs/screenshot.svg is not the current snapshot: run with --snapshot-update"


def test_entity_highlighted(home: Home, snap: Snap) -> None:
    """Enter on an entity in the entities pane: every mention of it highlighted in the body."""

    async def choose_daesh(pilot: Pilot[None]) -> None:
        await pilot.press("tab", "tab")
        pane = pilot.app.screen.query_one("#entities", EntitiesPane)
        await pilot.press("g")
        while pane.current is None or pane.current.name != "داعش":
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)

    assert snap(seed_app(home, "khabar-dark"), terminal_size=(120, 40), run_before=choose_daesh)


def test_search_results(home: Home, snap: Snap) -> None:
    """/ كركوك: the matching articles as a source, the seed article open with its matches highlighted."""

    async def search(pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"كركوك", "enter")
        listing = pilot.app.screen.query_one("#articles", ArticleList)
        index = next(i for i in range(listing.total) if listing.row_at(i).id == pilot.app.ctx_seed)  # type: ignore[attr-defined,union-attr]
        await pilot.press("g", *["j"] * index, "enter")
        await settle(pilot)

    app = seed_app(home, "khabar-dark")
    app.ctx_seed = home.seed_id  # type: ignore[attr-defined]
    assert snap(app, terminal_size=(120, 40), run_before=search)


def test_help_screen(home: Home, snap: Snap) -> None:
    """? lists every key, grouped, with the binding ids the keymap uses."""

    async def help_screen(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await settle(pilot)

    assert snap(seed_app(home, "khabar-dark"), terminal_size=(120, 40), run_before=help_screen)

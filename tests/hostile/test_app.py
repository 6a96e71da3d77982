"""The Textual app on the hostile archive, driven by the pilot: every hostile article opens, and what the
widgets render holds no control character; markup shows as text and does nothing; unbalanced bidi controls
in a title never move the columns beside it; ``o`` never hands a ``javascript:``, ``data:`` or ``file:``
link to a browser; the 10 MB article opens; an error message holding markup cannot crash the app.
"""

from __future__ import annotations

import re
import shutil
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.strip import Strip

from reader.commands import Context
from reader.config import Paths, Settings
from reader.model import Article, Block, BlockKind
from reader.store import ArticleQuery, Store
from reader.ui.app import KhabarApp
from reader.ui.state import UIState, save_state
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.article_view import ArticleView, layout_article
from tests.hostile.conftest import Sized
from tests.hostile.corpus import BIDI_CONTROLS, MARKUP, PWNED, unsafe
from tests.ui.pilot import listing, main, notices, until, view

pytestmark = pytest.mark.anyio

SIZE = (120, 40)

BROWSER = """import sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(sys.argv[2] + "\\n")
"""


def paths_of(home: Path) -> Paths:
    return Paths(home / "config.toml", home / "khabar.db", home / "state.json", home / "themes")


def make_app(home: Path, article: str | None = None, **settings: Any) -> KhabarApp:
    paths = paths_of(home)
    save_state(paths.state_file, UIState(source="all", article=article))
    app = KhabarApp(Context(paths=paths, settings=replace(Settings(), bidi="app", **settings), cli={}))
    app.animation_level = "none"
    return app


def view_lines(app: KhabarApp) -> list[str]:
    return ["".join(text for text, _ in line.pieces) for line in view(app).lines]


def list_rows(app: KhabarApp) -> list[str]:
    lst = listing(app)
    return [lst.render_line(y).text for y in range(lst.size.height)]


async def go_to(pilot: Pilot[None], app: KhabarApp, title: str) -> None:
    """Put the list cursor on the article titled ``title`` and open it with enter."""
    lst = listing(app)
    lst.focus()
    for index in range(lst.total):
        row = lst.row_at(index)
        if row is not None and row.title == title:
            lst.move_to(index)
            await pilot.press("enter")
            await pilot.pause()
            article = view(app).article
            assert article is not None and article.title == title
            return
    raise AssertionError(f"no article titled {title!r}")


def assert_clean(lines: list[str]) -> None:
    for line in lines:
        assert not unsafe(line), (unsafe(line), line)
        assert not PWNED.search(line), line


# -- every article -----------------------------------------------------------------------------------------
async def test_every_hostile_article_opens_and_renders_clean(hostile_copy: Path) -> None:
    app = make_app(hostile_copy)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        lst = listing(app)
        lst.focus()
        await pilot.press("g")
        total = lst.total
        assert total > 100
        # The first articles as a user reaches them (enter, j); then every article through the same
        # call enter makes, with the list's cursor on its row so the rows around it are painted too.
        for _ in range(12):
            await pilot.press("enter", "j")
            assert_clean(view_lines(app))
            assert_clean(list_rows(app))
        seen = set()
        for index in range(total):
            row = lst.row_at(index)
            assert row is not None
            lst.move_to(index)
            main(app).open_article(row.id)
            article = view(app).article
            assert article is not None and article.id == row.id
            seen.add(article.id)
            assert view_lines(app), article.id
            assert_clean(view_lines(app))
            assert_clean(list_rows(app))
            if index % 20 == 0:
                await pilot.pause()
        assert len(seen) == total
        await pilot.pause()
        assert app.is_running and app.return_code is None
        screenshot = app.export_screenshot()
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", screenshot)
        await pilot.press("q")
    assert app.return_code == 0


# -- markup ------------------------------------------------------------------------------------------------
async def test_markup_in_titles_shows_literally_and_does_nothing(hostile_copy: Path) -> None:
    app = make_app(hostile_copy)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for title in MARKUP.values():
            await go_to(pilot, app, title)
            lst = listing(app)
            row = lst.cursor - int(lst.scroll_offset.y)
            assert title[:30] in lst.render_line(row).text  # the title column is narrower than some titles
            assert view_lines(app)[0].strip() == title
            assert f"body {title}" in " ".join(view_lines(app))
            # Click the row (on its title) and the title in the view: a [@click=app.quit] is text there.
            await pilot.click(ArticleList, offset=(40, row))
            await pilot.click(ArticleView, offset=(4, 0))
            await pilot.pause()
            assert app.is_running and app.return_code is None
            if title in (MARKUP["click"], MARKUP["link"]):  # the whole screen, as a snapshot would see it
                shown = app.export_screenshot().replace("&#160;", " ").replace("&amp;", "&")
                assert title in shown, title
        await pilot.press("q")
    assert app.return_code == 0


# -- bidi --------------------------------------------------------------------------------------------------
async def test_unbalanced_bidi_in_titles_never_moves_the_columns_beside_them(hostile_copy: Path) -> None:
    with Store.open(hostile_copy / "khabar.db", readonly=True) as store:
        titles = [a.title for a in store.list_articles(ArticleQuery(limit=1000))
                  if BIDI_CONTROLS.search(a.title)]
    assert len(titles) >= 5  # the stray PDF and PDI were dropped at ingestion
    app = make_app(hostile_copy)
    async with app.run_test(size=SIZE) as pilot:
        lst = listing(app)
        width = lst.scrollable_content_region.width
        for title in titles:
            await go_to(pilot, app, title)
            index = lst.cursor
            y = index - int(lst.scroll_offset.y)
            for offset in (0, 1):  # its own row, and the next one
                row = lst.row_at(index + offset)
                if row is None or y + offset >= lst.size.height:
                    continue
                shown = lst.render_line(y + offset).text
                plain = replace(row, title=BIDI_CONTROLS.sub("", row.title))
                expected = Strip(list(lst._row_segments(plain, width, lst.rich_style))).text
                assert len(shown) == len(expected) == width
                # Marks, date and source columns sit where they sit without the controls; the title keeps
                # its column (its own text may read in the order its author's controls asked for).
                source_width = max(6, min(18, width // 6))
                title_start = width - max(1, width - 2 - 1 - 10 - 1 - source_width - 1 - 1) - 1
                assert shown[:title_start] == expected[:title_start], (shown, expected)
                assert shown[-1] == expected[-1] == " "
                assert sorted(shown[title_start:].replace(" ", "")) == \
                    sorted(expected[title_start:].replace(" ", ""))
            # In the article view only the title's own lines may differ from the control-free layout.
            article = view(app).article
            assert article is not None
            plain_article = replace(article, title=BIDI_CONTROLS.sub("", article.title))
            kwargs: dict[str, Any] = {"bidi": "app", "base": "auto", "strip_harakat": False, "search": None,
                                      "entity": None}
            with_controls = layout_article(article, 80, **kwargs)
            without = layout_article(plain_article, 80, **kwargs)
            assert len(with_controls) == len(without)
            assert with_controls[1:] == without[1:]


# -- links -------------------------------------------------------------------------------------------------
UNSAFE_LINK_TITLES = ("javascript link", "data link", "file link", "vbscript link", "atom date year0",
                      "json date year0")


async def test_o_never_opens_unsafe_links(hostile_copy: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    called: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: called.append(url) or True)
    script = tmp_path / "browser.py"
    script.write_text(BROWSER, encoding="utf-8")
    opened = tmp_path / "opened.txt"
    app = make_app(hostile_copy, browser=f"{sys.executable} {script} {opened} {{url}}")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        for title in UNSAFE_LINK_TITLES:
            await go_to(pilot, app, title)
            app.clear_notifications()
            await pilot.press("o")
            assert notices(app) == ["This article has no link"], title
            body_links = [link.url for link in (view(app).article or Article("", None, "", "")).links]
            assert all(url.startswith(("http://", "https://")) for url in body_links), body_links
        await pilot.pause(0.2)
        assert not opened.exists() and called == []
        # The probe works: a plain http link is handed to the configured browser.
        await go_to(pilot, app, "good article 0")
        await pilot.press("o")
        await until(pilot, lambda: opened.exists() and opened.stat().st_size > 0, "the browser ran")
    assert opened.read_text(encoding="utf-8").splitlines() == ["http://good.example/0"]
    assert called == []


# -- an error message holding markup ----------------------------------------------------------------------
@pytest.fixture
def reason_server() -> Iterator[str]:
    """A 127.0.0.1 server whose every answer is a 404 with a reason phrase full of markup."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(404, "[/] [@click=app.quit]gotcha[/] [link=file:///etc/passwd]x")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/page"
    finally:
        server.shutdown()
        server.server_close()


async def test_a_full_text_error_with_markup_cannot_crash_the_app(tmp_path: Path, reason_server: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with Store.open(home / "khabar.db") as store:
        store.import_articles([Article(id="x", feed_id=None, guid="markup-reason", title="fetch me",
                                       url=reason_server, published=datetime(2030, 1, 1, tzinfo=UTC),
                                       blocks=(Block(BlockKind.PARAGRAPH, "short"),))])
        article_id = store.list_articles(ArticleQuery(limit=1))[0].id
    app = make_app(home, article=article_id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f")
        await until(pilot, lambda: any(n.title == "Full text" for n in app._notifications), "the error")
        await pilot.pause(0.2)
        app.export_screenshot()  # paints the toast: this raised MarkupError before markup=False
        toasts = [widget.render() for widget in app.screen.query("Toast")]
        wanted = "HTTP 404 [/] [@click=app.quit]gotcha[/]"
        assert any(wanted in getattr(t, "plain", str(t)) for t in toasts), toasts
        assert app.is_running and app.return_code is None
        await pilot.press("q")
    assert app.return_code == 0


# -- size --------------------------------------------------------------------------------------------------
@pytest.mark.slow
async def test_the_huge_articles_open_in_the_article_view(sized: Sized, tmp_path: Path) -> None:
    """Slow (seconds, not minutes): the article view shows the first screens at once, but ``lines`` (and
    End) wait for the whole layout, and this one is 20,000 paragraphs of mixed Arabic and English with
    200,000 entity mentions."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(sized.home / "khabar.db", home / "khabar.db")
    app = make_app(home)
    async with app.run_test(size=SIZE) as pilot:
        lst = listing(app)
        assert lst.total == 5
        titles = [row.title for row in map(lst.row_at, range(lst.total)) if row is not None]
        for prefix, at_least in (("huge body", 20_000 * 2), ("ااااااااااا", 1_000_000 // 80),
                                 ("deep nesting", 2), ("headline word", 3)):
            await go_to(pilot, app, next(t for t in titles if t.startswith(prefix)))
            lines = view(app).lines
            assert len(lines) >= at_least, (prefix, len(lines))
            await pilot.press("tab", "end", "home", "shift+tab")  # into the view, to its end and back
            assert app.is_running
            assert_clean(["".join(text for text, _ in line.pieces) for line in lines[-50:]])
        await pilot.press("q")
    assert app.return_code == 0

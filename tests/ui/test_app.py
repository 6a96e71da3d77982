"""Pilot tests: the real app on a real archive (a copy of one built from ``sample_feeds/``), driven by keys.

Every binding of issue 7 is pressed here at least once, and each test asserts what the key did to the
archive (read, starred, saved), to the state file, or to the widgets. Refresh and full-text fetch run their
real workers: the sample feeds are local files, and the full-text page comes from an HTTP server on
127.0.0.1 that the test starts.
"""

from __future__ import annotations

import io
import itertools
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.color import Color as RichColor
from rich.style import Style
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Static

from reader.model import Article, Block, BlockKind, EntityType, Feed, Span
from reader.store import ArticleQuery
from reader.ui.app import KhabarApp
from reader.ui.commands import COMMANDS
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen, SearchInput
from reader.ui.state import load_state
from reader.ui.widgets.article_view import _without_overlaps, layout_article
from tests.feeds.server import Reply, serve
from tests.ui.conftest import Home, entities_in
from tests.ui.pilot import (
    entities,
    listing,
    main,
    notices,
    open_id,
    screen_lines,
    sources,
    status,
    until,
    view,
    view_text,
)

pytestmark = pytest.mark.anyio

SIZE = (120, 40)


# -- helpers ---------------------------------------------------------------------------------------------
async def select_source(pilot: Pilot[None], app: KhabarApp, key: str) -> None:
    """Focus the sources pane, move to ``key`` with j, and open it with enter (as a user would)."""
    pane = sources(app)
    pane.focus()
    await pilot.press("g")
    for _ in range(len(pane._entries)):
        if pane.selected_key == key:
            break
        await pilot.press("j")
    assert pane.selected_key == key
    await pilot.press("enter")
    await pilot.pause()
    assert main(app)._source_key == key
    assert app.focused is listing(app)


def row_index(app: KhabarApp, article_id: str) -> int:
    lst = listing(app)
    for i in range(lst.total):
        row = lst.row_at(i)
        if row is not None and row.id == article_id:
            return i
    raise AssertionError(f"{article_id} not listed")


def add_article(home: Home, title: str, *, url: str | None = None, body: str = "A paragraph.",
                feed: Feed | None = None, published: datetime | None = None,
                blocks: tuple[Block, ...] | None = None) -> str:
    """Write an article through a second connection (another process, as far as the app knows)."""
    store = home.store()
    try:
        feed_id = store.add_feed(feed).id if feed is not None else None
        article = Article(id=f"t{abs(hash(title)) % 10**10:010d}", feed_id=feed_id, guid=title, title=title,
                          url=url, published=published or datetime(2030, 1, 1, tzinfo=UTC),
                          blocks=blocks or (Block(BlockKind.PARAGRAPH, body),))
        store.import_articles([article])
        return store.list_articles(ArticleQuery(limit=1))[0].id
    finally:
        store.close()


# -- start and state ---------------------------------------------------------------------------------------
async def test_starts_on_the_seed_article_without_marking_it_read(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert open_id(app) == home.seed_id
        assert listing(app).current is not None and listing(app).current.id == home.seed_id
        assert app.focused is listing(app)
        assert "ناقشت رئاسة إقليم كوردستان"[::-1] not in view_text(app)  # shaped, never raw reversed
        assert any("ﺖﺸﻗﺎﻧ" in line for line in screen_lines(app)), "the seed's title, shaped, on screen"
        assert status(app).bidi == "app"
        assert status(app).counts == "100 unread · 100 articles · 7 feeds"
    with home.store() as store:
        assert not store.get_article(home.seed_id).read


async def test_selected_source_and_article_are_restored_on_the_next_start(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await select_source(pilot, app, "feed:6")
        await pilot.press("j", "j", "enter")
        chosen = open_id(app)
        assert chosen is not None and chosen != home.seed_id
        await pilot.press("q")
    assert load_state(home.paths.state_file).source == "feed:6"
    again = home.app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert main(again)._source_key == "feed:6"
        assert sources(again).selected_key == "feed:6"
        assert open_id(again) == chosen
        assert listing(again).current is not None and listing(again).current.id == chosen


# -- moving ---------------------------------------------------------------------------------------------
async def test_list_movement_keys(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        lst = listing(app)
        await pilot.pause()
        assert lst.cursor == row_index(app, home.seed_id)
        await pilot.press("g")
        assert lst.cursor == 0
        await pilot.press("j", "down", "j")
        assert lst.cursor == 3
        await pilot.press("k", "up")
        assert lst.cursor == 1
        page = lst.size.height - 1
        await pilot.press("pagedown")
        assert lst.cursor == 1 + page
        await pilot.press("space")
        assert lst.cursor == 1 + 2 * page
        await pilot.press("pageup")
        assert lst.cursor == 1 + page
        await pilot.press("G")
        assert lst.cursor == lst.total - 1 == 99
        assert lst.scroll_offset.y == lst.total - lst.size.height, "the last row is in view"
        await pilot.press("j")
        assert lst.cursor == 99
        await pilot.press("home")
        assert lst.cursor == 0 and lst.scroll_offset.y == 0
        await pilot.press("end")
        assert lst.cursor == 99
        # The highlighted article is previewed once the cursor settles, without being marked read.
        last = lst.current
        assert last is not None
        await until(pilot, lambda: open_id(app) == last.id, "the preview of the highlighted row")
    with home.store() as store:
        assert not store.get_article(last.id).read


async def test_body_scrolls_with_keys(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        body = view(app)
        await pilot.press("tab")
        assert app.focused is body
        height = body.scrollable_content_region.height
        assert body.max_scroll_y > height + 1, "the seed article is more than two screens long"
        await pilot.press("j", "down")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 2
        await pilot.press("k")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 1
        await pilot.press("pagedown")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 1 + height
        await pilot.press("pageup")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 1
        await pilot.press("space")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 1 + height
        await pilot.press("G")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == body.max_scroll_y > 0
        await pilot.press("g")
        await pilot.wait_for_scheduled_animations()
        assert body.scroll_offset.y == 0


async def test_tab_and_shift_tab_move_between_panes(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        order = [sources(app), listing(app), view(app), entities(app)]
        assert app.focused is order[1]
        await pilot.press("tab")
        assert app.focused is order[2]
        await pilot.press("tab")
        assert app.focused is order[3]
        await pilot.press("tab")
        assert app.focused is order[0], "tab wraps round; the hidden search box is skipped"
        await pilot.press("shift+tab")
        assert app.focused is order[3]
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is order[1]


async def test_enter_opens_and_marks_read(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "j")
        target = listing(app).current
        assert target is not None and not target.read
        await pilot.press("enter")
        assert open_id(app) == target.id
        assert target.title[:5] in (view(app).article.title if view(app).article else "")
        row = listing(app).current
        assert row is not None and row.read, "the list row shows it read at once"
        assert status(app).counts.startswith("99 unread")
    with home.store() as store:
        assert store.get_article(target.id).read


async def test_n_p_and_next_unread(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        lst = listing(app)
        await pilot.press("g", "enter")
        first = open_id(app)
        await pilot.press("n")
        assert lst.cursor == 1
        second = open_id(app)
        assert second not in (None, first)
        await pilot.press("n")
        assert lst.cursor == 2
        third = open_id(app)
        await pilot.press("p")
        assert lst.cursor == 1 and open_id(app) == second
        await pilot.press("p", "p")
        assert lst.cursor == 0 and open_id(app) == first
        assert "No more articles" in notices(app)
        # Rows 0..2 are read now (n and p mark what they open); row 3 is read too, by m: N skips them.
        await pilot.press("j", "j", "j")
        await pilot.press("m")
        await pilot.press("g")
        await until(pilot, lambda: open_id(app) == first, "the preview of row 0")
        await pilot.press("N")
        assert lst.cursor == 4
        fifth = open_id(app)
        with home.store() as store:
            for article_id in (first, second, third, fifth):
                assert article_id is not None and store.get_article(article_id).read


# -- search and kept sources -------------------------------------------------------------------------------
async def test_search_lists_matches_and_a_kept_search_persists(home: Home) -> None:
    with home.store() as store:
        expected = {a.id for a in store.list_articles(ArticleQuery(search="الامارات", limit=1000))}
    assert 1 <= len(expected) < 100
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        box = main(app).query_one("#search")
        assert box.display and app.focused is box
        await pilot.press(*"الامارات", "enter")
        assert not box.display
        assert main(app)._source_key == "search:الامارات"
        lst = listing(app)
        assert lst.total == len(expected)
        assert {lst.row_at(i).id for i in range(lst.total)} == expected  # type: ignore[union-attr]
        assert "search:الامارات" in [e.key for e in sources(app)._entries]
        # The kept search's row reads "/ <query>": the marker on the left, the Arabic shaped beside it.
        row = next(line for line in screen_lines(app) if "ﺕﺍﺭﺎﻣﻻﺍ" in line)
        assert re.search(r"│\s*/ ﺕﺍﺭﺎﻣﻻﺍ\s", row), row
        assert f"{len(expected)} articles match" in notices(app)
        # Opening a result highlights the matches in its body.
        await pilot.press("enter")
        assert any(kind == "search" for line in view(app).lines for _, kind in line.pieces)
        await pilot.press("K")
        kept = load_state(home.paths.state_file).kept
        assert [(k.kind, k.value) for k in kept] == [("search", "الامارات")]
    again = home.app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "search:الامارات" in [e.key for e in sources(again)._entries]
        assert main(again)._source_key == "search:الامارات"
        assert sources(again).selected_key == "search:الامارات"
        sources(again).focus()
        await pilot.press("delete")
        assert load_state(home.paths.state_file).kept == ()
        assert "Removed / الامارات" in notices(again)
        assert "search:الامارات" not in [e.key for e in sources(again)._entries]


async def test_the_search_box_shows_an_arabic_query_shaped_and_in_reading_order(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        box = main(app).query_one("#search", SearchInput)
        await pilot.press(*"كركوك")
        assert box.value == "كركوك"
        row = box.render_line(0).text
        assert row.rstrip().endswith("ﻙﻮﻛﺮﻛ"), "joined, right to left and right-aligned, as the list shows it"
        assert box.border_title is None, "the box itself reads right"
        # Edits work on the logical text; the drawing follows.
        await pilot.press("left", "left", *" and Erbil")
        assert box.value == "كرك and Erbilوك"
        assert box.render_line(0).text.rstrip().endswith("ﻙﻭand Erbil ﻙﺮﻛ")
        # Too long for the box: drawn as typed (scrolling), the title shows it shaped.
        box.value += " كركوك" * 30
        box.cursor_position = len(box.value)
        await pilot.pause()
        assert box.border_title is not None and "ﻙﻮﻛﺮﻛ" in str(box.border_title)
        await pilot.press("ctrl+u", *"Kirkuk")
        assert box.border_title is None and "Kirkuk" in box.render_line(0).text, "nothing to fix in Latin"


async def test_english_search_and_an_empty_search(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"terminal", "enter")
        lst = listing(app)
        with home.store() as store:
            assert lst.total == store.count_articles(ArticleQuery(search="terminal")) > 0
        for i in range(lst.total):
            row = lst.row_at(i)
            assert row is not None
        await pilot.press("slash")
        box = main(app).query_one("#search")
        assert box.value == "terminal", "/ starts from the current search"
        await pilot.press("ctrl+u", "enter")
        assert lst.total > 0 and main(app)._source_key == "search:terminal"
        assert app.focused is lst
        await pilot.press("K", "K")
        assert "Already kept" in notices(app)
        # A search that cannot run says why and stays open to be mended; it never becomes a source.
        await pilot.press("slash", "ctrl+u", *"NOT", "enter")
        assert "the search has no words in it" in notices(app)
        assert box.display and main(app)._source_key == "search:terminal"
        assert "search:NOT" not in [e.key for e in sources(app)._entries]
        await pilot.press("ctrl+u", *"xyzzyq", "enter")
        assert not box.display and "0 articles match" in notices(app)


async def test_search_matches_beat_entity_colours(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"كركوك", "enter")
        lst = listing(app)
        seed_row = row_index(app, home.seed_id)
        await pilot.press("g", *["j"] * seed_row, "enter")
        assert open_id(app) == home.seed_id
        pieces = [(text, kind) for line in view(app).lines for text, kind in line.pieces]
        assert sum(kind == "search" for _, kind in pieces) >= 4, "every mention of the place is a match"
        assert not [text for text, kind in pieces if kind == "entity-loc" and "ﻙﻮﻛﺮﻛ" in text]
        assert any(kind == "entity-person" for _, kind in pieces), "other entities keep their colour"
        assert lst.total >= 1


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12), st.sampled_from("abc")), max_size=30))
def test_kept_spans_never_overlap_and_respect_priority(raw: list[tuple[int, int, str]]) -> None:
    spans = [Span(start, start + length, kind) for start, length, kind in raw]
    kept = _without_overlaps(spans)
    assert kept == sorted(kept, key=lambda s: s.start)
    for a, b in itertools.pairwise(kept):
        assert a.end <= b.start
    for span in spans:
        # A span is dropped only because one before it in priority, and kept, overlaps it.
        if span not in kept and span.end > span.start:
            earlier = spans[: spans.index(span)]
            assert any(k in earlier and k.start < span.end and span.start < k.end for k in kept)


async def test_keys_with_nothing_to_act_on_explain(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("K")
        assert load_state(home.paths.state_file).kept == ()
        assert any("Search (/)" in n for n in notices(app))
        sources(app).focus()
        await pilot.press("delete")
        assert any("Only kept searches" in n for n in notices(app))
        listing(app).focus()
        await pilot.press("g", "enter")  # an English article the fixture gave no entities
        await pilot.press("L")
        assert any("Pick an entity" in n for n in notices(app))


# -- refresh -----------------------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>خلاصة محلية</title><link>https://example.org/</link>
<item><title>الخبر الأول</title><link>https://example.org/1</link><guid>1</guid>
<pubDate>Sat, 22 May 2021 10:00:00 GMT</pubDate><description>نص الخبر الأول.</description></item>
<item><title>الخبر الثاني</title><link>https://example.org/2</link><guid>2</guid>
<pubDate>Sat, 22 May 2021 11:00:00 GMT</pubDate><description>نص الخبر الثاني.</description></item>
</channel></rss>"""


async def test_r_refreshes_the_selected_feed(home: Home, tmp_path: Path) -> None:
    feed_file = tmp_path / "local.xml"
    feed_file.write_text(RSS, encoding="utf-8")
    with home.store() as store:
        feed = store.add_feed(Feed(url=str(feed_file), title="خلاصة محلية"))
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert any("Select a feed" in n for n in notices(app)), "All is not a feed, the seed is of none"
        sources(app).focus()
        await pilot.press("G")  # the new feed has no tag: last, under "Feeds"; highlighted, not opened
        assert main(app)._source_key == "all"
        await pilot.press("r")  # the highlighted feed
        await app.workers.wait_for_complete()
        await until(pilot, lambda: status(app).progress is None, "the progress bar cleared")
        assert any(re.match(r"1 feed: 1 ok, 0 unchanged, 0 failed; 2 new, 0 updated articles", n)
                   for n in notices(app)), notices(app)
        assert status(app).error == ""
        await pilot.press("enter")
        assert main(app)._source_key == f"feed:{feed.id}"
        assert listing(app).total == 2
        assert listing(app).current is not None and listing(app).current.title == "الخبر الثاني"
        assert status(app).counts == "102 unread · 102 articles · 8 feeds"
        # A feed that breaks: the error shows in the status bar and a notification.
        feed_file.write_text("<rss><channel><item>", encoding="utf-8")
        feed_file.unlink()
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: status(app).error != "", "the error in the status bar")
        assert "خلاصة محلية" in status(app).error and status(app).progress is None


async def test_R_refreshes_every_feed_with_progress(home: Home) -> None:
    app = home.app()
    seen: list[tuple[int, int] | None] = []
    async with app.run_test(size=SIZE) as pilot:
        bar = status(app)
        original = main(app)._set_progress

        def record(done: int, total: int) -> None:
            original(done, total)
            seen.append(bar.progress)

        main(app)._set_progress = record  # type: ignore[method-assign]
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: bar.progress is None, "the progress bar cleared")
        assert seen and seen[-1] == (7, 7)
        messages = [n.message for n in app._notifications if n.title == "Refresh"]
        assert len(messages) == 1
        assert re.match(r"7 feeds: \d ok, \d unchanged, 0 failed; 0 new, 0 updated articles", messages[0])
        assert status(app).counts == "100 unread · 100 articles · 7 feeds"


# -- marks -------------------------------------------------------------------------------------------------
async def test_s_S_m_toggle_the_archive_state(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        store = home.store()
        try:
            def seed() -> Article:
                return store.get_article(home.seed_id)

            assert (seed().starred, seed().saved, seed().read) == (False, True, False)
            await pilot.press("s")
            assert seed().starred and "Starred" in notices(app)
            row = listing(app).current
            assert row is not None and row.starred
            marks = "".join(seg.text for seg in listing(app)._row_segments(row, 100, Style()))[:4]
            assert marks == "●★⚑ ", "unread, starred and saved each keep their mark"
            await pilot.press("s")
            assert not seed().starred
            await pilot.press("S")
            assert not seed().saved
            await pilot.press("S")
            assert seed().saved
            await pilot.press("m")
            assert seed().read
            await pilot.press("m")
            assert not seed().read
        finally:
            store.close()


async def test_A_marks_the_source_read_and_u_undoes(home: Home) -> None:
    home.start_on("feed:3")
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        assert main(app)._source_key == "feed:3" and listing(app).total == 8
        await pilot.press("A")
        with home.store() as store:
            assert store.count_articles(ArticleQuery(feed_id=3, unread=True)) == 0
            assert store.count_articles(ArticleQuery(unread=True)) == 92
        assert "Marked 8 articles read (u undoes)" in notices(app)
        await pilot.press("A")
        assert "Nothing unread here" in notices(app)
        await pilot.press("u")
        with home.store() as store:
            assert store.count_articles(ArticleQuery(feed_id=3, unread=True)) == 8
        await pilot.press("u")
        assert "Nothing to undo" in notices(app)


async def test_ctrl_a_marks_everything_read_and_u_undoes(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")  # one article read by hand: undo must not unread it
        await pilot.press("ctrl+a")
        with home.store() as store:
            assert store.count_articles(ArticleQuery(unread=True)) == 0
        assert status(app).counts.startswith("0 unread")
        await pilot.press("u")
        with home.store() as store:
            assert store.count_articles(ArticleQuery(unread=True)) == 99
            assert store.get_article(listing(app).row_at(0).id).read  # type: ignore[union-attr]
        assert status(app).counts.startswith("99 unread")


# -- links -------------------------------------------------------------------------------------------------
BROWSER = """import sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write(sys.argv[2])
"""


async def test_o_runs_the_configured_browser_with_the_url(home: Home, tmp_path: Path) -> None:
    script = tmp_path / "browser.py"
    script.write_text(BROWSER, encoding="utf-8")
    opened = tmp_path / "opened.txt"
    app = home.app(browser=f"{sys.executable} {script} {opened} {{url}}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        assert "This article has no link" in notices(app), "the seed article is a saved file"
        await pilot.press("g", "enter")
        article = view(app).article
        assert article is not None and article.url is not None and article.url.startswith("https://")
        await pilot.press("o")
        assert "Opened in the browser" in notices(app)
        await until(pilot, lambda: opened.exists() and opened.stat().st_size > 0, "the browser ran")
    assert opened.read_text(encoding="utf-8") == article.url


async def test_o_refuses_links_that_are_not_http(home: Home, tmp_path: Path) -> None:
    script = tmp_path / "browser.py"
    script.write_text(BROWSER, encoding="utf-8")
    opened = tmp_path / "opened.txt"
    hostile = ["javascript:alert(1)", "file:///etc/passwd", "JavaScript://x%0aalert(1)"]
    for n, url in enumerate(hostile):
        add_article(home, f"A hostile link {n}", url=url, published=datetime(2030, 1, 1 + n, tzinfo=UTC))
    app = home.app(browser=f"{sys.executable} {script} {opened} {{url}}")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g")
        for n, url in reversed(list(enumerate(hostile))):  # newest first
            await pilot.press("enter")
            article = view(app).article
            assert article is not None and article.title == f"A hostile link {n}" and article.url == url
            app.clear_notifications()
            await pilot.press("o")
            assert notices(app) == ["Only http and https links are opened"]
            await pilot.press("j")
        await pilot.pause(0.2)
    assert not opened.exists()


async def test_o_without_any_browser_says_so(home: Home, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # A machine with no browser: no $BROWSER, no display, nothing on PATH. webbrowser looks once per
    # process, so its registry is emptied for this test and filled again from this environment.
    import webbrowser

    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")
        assert view(app).article is not None and view(app).article.url
        app.clear_notifications()
        await pilot.press("o")
        assert notices(app) == ["No browser found: set 'browser' in the config file"]


async def test_y_copies_the_link(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        assert app.clipboard == ""
        await pilot.press("g", "enter")
        article = view(app).article
        assert article is not None and article.url
        await pilot.press("y")
        assert app.clipboard == article.url
        assert "Link copied to the clipboard" in notices(app)


# -- full text ---------------------------------------------------------------------------------------------
PAGE = """<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صفحة</title></head>
<body><nav><a href="/">الرئيسية</a> | <a href="/x">أخبار</a></nav>
<article><h1>عنوان المقال الكامل</h1>
<p>هذه فقرة أولى طويلة من النص الكامل للمقال، كُتبت لاختبار جلب النص الكامل من صفحة الويب
وحفظه للقراءة دون اتصال.</p>
<p>وهذه فقرة ثانية تضيف تفاصيل أخرى عن الموضوع نفسه، حتى يجد المستخرج نصا رئيسيا واضحا في
الصفحة ويحتفظ به.</p>
<p>والفقرة الثالثة تختم المقال بجملة أخيرة عن مدينة أربيل وأسواقها القديمة التي يزورها الناس كل يوم.</p>
</article><footer>حقوق النشر محفوظة</footer></body></html>"""


async def test_f_fetches_the_full_text_from_a_real_server(home: Home) -> None:
    with serve() as server:
        page = Reply(200, PAGE.encode(), {"Content-Type": "text/html; charset=utf-8"})
        server.routes["/article.html"] = page
        article_id = add_article(home, "Full text wanted", url=server.url("/article.html"),
                                 body="Only a short summary.")
        app = home.app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("g", "enter")
            assert open_id(app) == article_id
            assert "المستخرج" not in "".join(b.text for b in view(app).article.blocks)  # type: ignore[union-attr]
            await pilot.press("f")
            assert "Fetching the full text…" in notices(app)
            await app.workers.wait_for_complete()
            await until(pilot, lambda: "Full text stored for offline reading" in notices(app), "the fetch")
            body = view(app).article
            assert body is not None and body.id == article_id
            text = body.body_text
            assert "المستخرج" in text and "أربيل" in text
            assert "Only a short summary." not in text
            assert "ﺝﺮﺨﺘﺴﻤﻟﺍ" in view_text(app), "the new body is laid out, shaped"
        assert server.hits("/article.html")
    with home.store() as store:
        assert "أربيل" in store.get_article(article_id).body_text


async def test_f_offline_and_without_a_link_explains(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: any("no web address" in n for n in notices(app)), "an error notice")
    ctx = home.context()
    ctx.offline = True
    offline = KhabarApp(ctx)
    async with offline.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert "Offline: cannot fetch the full text (--offline)" in notices(offline)


# -- entities ----------------------------------------------------------------------------------------------
async def test_e_hides_and_shows_the_entities_pane(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        pane = entities(app)
        assert pane.display and pane.region.width > 0
        await pilot.press("e")
        assert main(app).has_class("-hide-entities")
        await pilot.pause()
        assert pane.region.width == 0
        assert load_state(home.paths.state_file).show_entities is False
        await pilot.press("e")
        await pilot.pause()
        assert not main(app).has_class("-hide-entities") and pane.region.width > 0
        assert load_state(home.paths.state_file).show_entities is True


async def test_enter_on_an_entity_highlights_it_and_L_lists_its_articles(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        pane = entities(app)
        labels = [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]
        assert labels[0].startswith("People (1)") and any("Organisations (2)" in x for x in labels)
        await pilot.press("tab", "tab")
        assert app.focused is pane
        await pilot.press("g")
        while pane.current is None or pane.current.name != "داعش":
            await pilot.press("j")
        daesh = pane.current
        assert daesh is not None
        await pilot.press("enter")
        hits = [text for line in view(app).lines for text, kind in line.pieces if kind == "entity-hit"]
        assert len(hits) == len(daesh.mentions) == 9
        assert all(hit.replace(" ", "") == "ﺵﻋﺍﺩ" or "ﺶﻋﺍﺩ" in hit for hit in hits), hits
        assert not any(kind.startswith("entity-org") for line in view(app).lines for _, kind in line.pieces)
        await pilot.press("L")
        assert main(app)._source_key == f"entity:{daesh.key}"
        lst = listing(app)
        listed = {lst.row_at(i).id for i in range(lst.total)}  # type: ignore[union-attr]
        assert listed == {home.seed_id, home.other_daesh_id}
        assert app.focused is lst
        await pilot.press("K")
        assert [(k.kind, k.value) for k in load_state(home.paths.state_file).kept] == [("entity", daesh.key)]


# -- view ------------------------------------------------------------------------------------------------
async def test_long_rtl_article_after_a_short_one_fits_beside_the_scrollbar(home: Home) -> None:
    short = add_article(home, "قصير", body="سطر واحد.")
    long_body = " ".join(["ناقشت رئاسة إقليم كوردستان الأوضاع الأمنية في المناطق المتنازع عليها."] * 120)
    add_article(home, "طويل جدا", body=long_body, published=datetime(2029, 1, 1, tzinfo=UTC))
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        lst = listing(app)
        lst.focus()
        await pilot.press("g", "enter")
        assert open_id(app) == short
        await pilot.press("j", "enter")
        await pilot.pause()
        body = view(app)
        assert body.max_scroll_y > 0, "the long article scrolls"
        width = body.scrollable_content_region.width
        widest = max(line.pad + sum(len(t) for t, _ in line.pieces) for line in body.lines)
        assert widest <= width, f"laid out at {widest} cells, {width} shown"
        # The right edge of a flush-right line is on screen: its last letter is in the painted row.
        row = next(y for y, line in enumerate(body.lines) if len(line.pieces) and line.pad > 0)
        painted = "".join(seg.text for seg in body.render_line(row))
        last = "".join(t for t, _ in body.lines[row].pieces).rstrip()[-3:]
        assert last in painted


async def test_terminal_mode_puts_bullets_and_quote_bars_first_in_logical_order() -> None:
    article = Article(id="x", feed_id=None, guid="x", title="عنوان", url=None, published=None,
                      blocks=(Block(BlockKind.LIST_ITEM, "بند أول"), Block(BlockKind.QUOTE, "اقتباس قصير"),
                              Block(BlockKind.LIST_ITEM, "first item")))
    for mode, rtl_first in (("terminal", True), ("off", True), ("app", False)):
        lines = layout_article(article, 40, bidi=mode, base="auto", strip_harakat=False, search=None,
                               entity=None)
        decorated = [line for line in lines if any(k in ("bullet", "quote-bar") for _, k in line.pieces)]
        assert len(decorated) == 3, mode
        firsts = [line.pieces[0][1] in ("bullet", "quote-bar") for line in decorated]
        # app mode draws RTL lines in visual order, so their decoration is the last piece (right side);
        # the LTR item's bullet is first in every mode.
        assert firsts == [rtl_first, rtl_first, True], (mode, firsts)


async def test_b_cycles_the_bidi_mode(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        bar = status(app)
        arabic = "ﺖﺸﻗﺎﻧ"  # the seed's first word, shaped and in visual order
        assert bar.bidi == "app" and arabic in view_text(app)
        await pilot.press("b")
        assert bar.bidi == "terminal" and app.effective_bidi == "terminal"
        assert main(app).has_class("-single"), "terminal mode shows one pane across"
        assert "ناقشت رئاسة" in view_text(app), "logical text for a terminal that does BiDi itself"
        await pilot.press("b")
        assert bar.bidi == "off" and not main(app).has_class("-single")
        await pilot.press("b")
        assert bar.bidi.startswith("auto→")
        await pilot.press("b")
        assert bar.bidi == "app" and arabic in view_text(app)
        assert " bidi:app " in screen_lines(app)[-2]


def contrast(fg: RichColor, bg: RichColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(colour: RichColor) -> float:
        channels = [c / 255 for c in colour.get_truecolor()]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_muted_text_is_readable_in_every_theme(home: Home) -> None:
    """Dates, read rows and the article's byline use $text-muted (an ``auto`` colour): drawn, it must
    contrast with the background in light themes too, not come out white. 2.5 is well clear of
    unreadable (white on the light theme's background is 1.05) without judging the themes' taste."""
    with home.store() as store:
        store.set_state([home.seed_id], read=True)
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        lst, body = listing(app), view(app)
        lst.blur()
        dates: dict[str, RichColor | None] = {}
        for theme in ("khabar-dark", "khabar-light", "khabar-contrast", "khabar-sepia"):
            app.theme = theme
            await pilot.pause()
            checked = 0
            for y in range(lst.size.height):
                for segment in lst.render_line(y):
                    style = segment.style
                    if segment.text.strip() and style is not None and style.color and style.bgcolor:
                        assert contrast(style.color, style.bgcolor) >= 2.5, (theme, segment)
                        checked += 1
            assert checked > 2 * lst.size.height
            dates[theme] = next(s.style.color for s in lst.render_line(0) if s.style and "-" in s.text)
            meta = [seg for y in range(4) for seg in body.render_line(y) if "2021-05-22" in seg.text]
            assert meta and meta[0].style is not None and meta[0].style.color and meta[0].style.bgcolor
            assert contrast(meta[0].style.color, meta[0].style.bgcolor) >= 2.5, theme
        assert len(set(dates.values())) == 4, "each theme drew the dates in its own colour"


async def test_t_picks_a_theme_that_persists(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "khabar-dark"
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"khabar-light")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0, "theme matches")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the picker closed")
        assert app.theme == "khabar-light"
    assert load_state(home.paths.state_file).theme == "khabar-light"
    again = home.app()
    async with again.run_test(size=SIZE):
        assert again.theme == "khabar-light"


async def test_question_mark_lists_every_command(home: Home) -> None:
    app = home.app(keymap={"khabar.star": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-table", Static)
        from rich.console import Console

        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(table.content)
        text = console.export_text()
        console.file.close()
        for command in COMMANDS:
            assert command.id in text, command.id
        assert re.search(r"^ *x +Star or unstar", text, re.M), "the help shows the keymap's key"
        headings = re.findall(r"^ *(Moving|Finding|Feeds|Reading|View) *$", text, re.M)
        assert headings == ["Moving", "Finding", "Feeds", "Reading", "View"], "each group once, in order"
        await pilot.press("question_mark")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_moves_with_the_keys_it_lists(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        body = app.screen.query_one("#help-body")
        assert body.max_scroll_y > 2, "the help is longer than the screen at 80x24"
        await pilot.press("j", "j")
        assert body.scroll_y == 2
        await pilot.press("k")
        assert body.scroll_y == 1
        await pilot.press("G")
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("g")
        assert body.scroll_y == 0


async def test_side_panes_stop_at_their_ends_and_know_g_and_G(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        for pane in (entities(app), sources(app)):
            enabled = [i for i, option in enumerate(pane.options) if not option.disabled]
            assert len(enabled) > 3, pane
            pane.focus()
            await pilot.press("G")
            assert pane.highlighted == enabled[-1], pane
            await pilot.press("j", "down")
            assert pane.highlighted == enabled[-1], f"{pane}: no wrapping round to the first entry"
            await pilot.press("g")
            assert pane.highlighted == enabled[0], pane
            await pilot.press("k", "up")
            assert pane.highlighted == enabled[0], f"{pane}: no wrapping round to the last entry"
            await pilot.press("j")
            assert pane.highlighted == enabled[1], pane


async def test_q_quits(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert app._exit
    assert app.return_code == 0


async def test_ctrl_p_palette_offers_khabar_commands(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"Star")
        results = app.screen.query_one(CommandList)
        await until(pilot, lambda: results.option_count > 0, "palette matches")
        assert str(results.get_option_at_index(0).prompt) == "Star\nStar or unstar the article"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the palette closed")
        with home.store() as store:
            assert store.get_article(home.seed_id).starred
        listed = [c.title for c in app.get_system_commands(main(app))]
        for command in COMMANDS:
            if command.id not in ("khabar.quit", "khabar.help"):
                assert command.description in listed, command.id


async def test_keymap_rebinds_a_command(home: Home) -> None:
    app = home.app(keymap={"khabar.star": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        with home.store() as store:
            assert not store.get_article(home.seed_id).starred, "s is no longer star"
        await pilot.press("x")
        with home.store() as store:
            assert store.get_article(home.seed_id).starred


async def test_config_warnings_are_shown_in_the_reader(home: Home) -> None:
    ctx = home.context(None)
    ctx.stderr = io.StringIO()
    ctx.warn("config.toml: unknown config key 'foo' ignored")
    app = KhabarApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [n.message for n in app._notifications if n.title == "Config"] == [
            "config.toml: unknown config key 'foo' ignored"]


async def test_keymap_names_an_unknown_id(home: Home) -> None:
    app = home.app(keymap={"app.quit": "ctrl+q", "article.down": "J", "khabar.star": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warnings = [n.message for n in app._notifications if n.title == "Keymap"]
        assert warnings == ["Unknown binding id in [keymap]: app.quit (press ? for the ids)"]


async def test_a_long_article_shows_its_opening_at_once_and_lays_out_the_rest_in_slices(home: Home) -> None:
    paragraphs = [f"الفقرة {n}: ناقشت رئاسة إقليم كوردستان مع وفد التحالف الدولي (22 أيار 2021) الوضع "
                  f"في كركوك. Paragraph {n} goes on in English." for n in range(3000)]
    blocks = tuple(Block(BlockKind.PARAGRAPH, p) for p in paragraphs)
    new_id = add_article(home, "مقال طويل جدا", blocks=blocks)
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        with home.store() as store:
            article = store.get_article(new_id)
        body = view(app)
        body.show(article, bidi="app", strip_harakat=False, base="auto")
        width = body.scrollable_content_region.width
        whole = layout_article(article, width, bidi="app", base="auto", strip_harakat=False, search=None,
                               entity=None)
        opened = list(body._lines)
        assert body.laying_out and body.size.height * 3 <= len(opened) < len(whole) // 10
        assert opened == whole[:len(opened)], "the opening is laid out as the whole article would be"
        assert body.render_line(0).text.strip(), "the first screen paints before the rest is laid out"
        # The loop is the app's between slices: a timer due in 10 ms fires long before the layout ends.
        seen: list[bool] = []
        app.set_timer(0.01, lambda: seen.append(body.laying_out))
        await until(pilot, lambda: not body.laying_out, "the rest laid out between keys", tries=4000)
        assert seen == [True], "the slices starved the event loop"
        assert body._lines == whole
        assert body.virtual_size.height == len(whole)

        # A new width keeps the reader's place (it used to fall back to the first screens' end).
        body.scroll_to(y=2000, animate=False, immediate=True)
        before = body.scrollable_content_region.width
        await pilot.resize_terminal(100, 40)
        await until(pilot, lambda: not body.laying_out, "the layout at the new width", tries=4000)
        assert body.scrollable_content_region.width != before
        assert body.scroll_offset.y == 2000
        await pilot.resize_terminal(*SIZE)
        await until(pilot, lambda: not body.laying_out, "the layout at the old width", tries=4000)

        # End jumps to the article's real end even while the layout is under way.
        with home.store() as store:
            seed = store.get_article(home.seed_id)
        body.show(seed, bidi="app", strip_harakat=False, base="auto")
        body.show(article, bidi="app", strip_harakat=False, base="auto")
        assert body.laying_out
        body.focus()
        await pilot.press("end")
        await pilot.pause()
        assert not body.laying_out and body.scroll_offset.y == len(whole) - body.size.height
        assert "Paragraph 2999" in "".join(body.render_line(y).text for y in range(body.size.height))

        # Another article while one is being laid out: the old layout stops and never mixes in.
        body.show(article, bidi="app", strip_harakat=False, base="auto", search="كركوك")
        assert body.laying_out
        body.show(seed, bidi="app", strip_harakat=False, base="auto")
        await pilot.pause()
        assert not body.laying_out
        assert body.lines == layout_article(seed, width, bidi="app", base="auto", strip_harakat=False,
                                            search=None, entity=None)


# -- the archive changing underneath -----------------------------------------------------------------------
async def test_entities_found_after_the_article_opened_appear(home: Home) -> None:
    """The background entity pass finishes after the reader opened the article: its entities appear
    without moving away and back, and the reader stays where they were in the body."""
    body = "وصل وفد إلى كركوك قادماً من أربيل. " * 60
    new_id = add_article(home, "وفد في كركوك", body=body)
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        main(app)._poll_archive()  # what the app has seen so far
        lst = listing(app)
        lst.focus()
        await pilot.press("g", "enter")
        assert open_id(app) == new_id and entities(app)._all == ()
        view(app).scroll_to(y=3, animate=False)
        await pilot.pause()
        with home.store() as store:  # the background pass, as another process
            assert store.set_entities(new_id, entities_in(body, ((EntityType.LOC, "كركوك"),
                                                                 (EntityType.LOC, "أربيل"))))
        main(app)._poll_archive()
        await pilot.pause()
        assert sorted(e.name for e in entities(app)._all) == ["أربيل", "كركوك"]
        assert any(cls == "entity-loc" for line in view(app).lines for _, cls in line.pieces)
        assert view(app).scroll_offset.y == 3 and open_id(app) == new_id


async def test_articles_written_by_another_process_appear(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        lst = listing(app)
        assert lst.total == 100
        new_id = add_article(home, "وصل هذا المقال من عملية أخرى")
        main(app)._poll_archive()
        await pilot.pause()
        assert lst.total == 101
        assert lst.row_at(0) is not None and lst.row_at(0).id == new_id  # type: ignore[union-attr]
        assert lst.current is not None and lst.current.id == home.seed_id, "the cursor stays put"
        assert status(app).counts == "101 unread · 101 articles · 7 feeds"
        main(app)._poll_archive()  # nothing changed: nothing reloads
        assert lst.total == 101


# -- layout ------------------------------------------------------------------------------------------------
async def test_80x24_keeps_every_pane(home: Home) -> None:
    app = home.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main(app)
        assert screen.has_class("-narrow")
        for widget in (sources(app), listing(app), view(app), entities(app)):
            assert widget.region.width > 0 and widget.region.height > 0, widget
        assert listing(app).size.height >= 3 and view(app).size.height >= 3
        await pilot.press("j", "enter", "tab", "pagedown", "e", "b", "?", "escape", "q")


async def test_rtl_layout_mirrors_the_panes(home: Home) -> None:
    app = home.app(layout="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert sources(app).region.x > listing(app).region.x > entities(app).region.x


# -- hostile text ------------------------------------------------------------------------------------------
HOSTILE = "[bold]x[/] [@click=app.quit]click me[/] \x1b[31mred\x1b[0m \u202eevil"


async def test_hostile_titles_render_literally(home: Home) -> None:
    add_article(home, HOSTILE, url="https://example.org/hostile", body=HOSTILE,
                feed=Feed(url="https://example.org/hostile.xml", title=HOSTILE))
    app = home.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("g", "enter")
        assert open_id(app) is not None and view(app).article.title == HOSTILE  # type: ignore[union-attr]
        await pilot.pause()
        lines = screen_lines(app)
        shown = "\n".join(lines)
        assert "[bold]x[/]" in shown and "[@click=app.quit]click me[/]" in shown
        assert "\x1b" not in shown and "\u202e" not in shown
        # Click where the would-be link is drawn, in the list and in the body: nothing quits.
        for y, line in enumerate(lines):
            col = line.find("click me")
            if col >= 0:
                await pilot.click(offset=(col + 2, y - 1))
                await pilot.pause()
        assert not app._exit and isinstance(app.screen, MainScreen)

"""The reader on a 100,000-article archive: start to first paint, opening an article, keypress to repaint
while scrolling the list and the body, and peak memory (issue 7).

    python -m bench ui [--articles N] [--keys N]

Times are CPU seconds of the process (``time.process_time``) around each step, so the pilot's own waits
(it sleeps between a key and the next frame) do not count, while all the work of handling the key, querying
the archive, laying text out and painting the frame does. The archive is the one ``bench.store``
generates (half Arabic, mean body 3 KB), cached under /tmp. The app
runs headless under Textual's pilot at 120x40, which paints every frame exactly as a terminal would get it.
Baseline, in the same run: a bare Textual app showing one Static, started the same way.
Each measurement runs in a fresh child process so peak memory is the reader's own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import max_rss_mb, row

if TYPE_CHECKING:
    from textual.pilot import Pilot

SIZE = (120, 40)


async def _press_ms(pilot: Pilot[None], key: str, times: int) -> float:
    """Median CPU milliseconds from pressing ``key`` to the repainted frame, over ``times`` presses."""
    spent = []
    for _ in range(times):
        t = time.process_time()
        await pilot.press(key)
        spent.append(time.process_time() - t)
    return statistics.median(spent) * 1000


async def _bare_first_paint() -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    start = time.process_time()
    async with Bare().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return time.process_time() - start


async def _reader(db: Path, keys: int) -> dict[str, float]:
    from reader.commands import Context
    from reader.config import Paths, Settings
    from reader.ui.app import KhabarApp
    from reader.ui.screens.main import MainScreen
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.article_view import ArticleView

    home = Path(tempfile.mkdtemp(prefix="khabar-bench-ui-"))
    paths = Paths(home / "config.toml", db, home / "state.json", home / "themes")
    ctx = Context(paths=paths, settings=Settings(bidi="app"), cli={})
    result: dict[str, float] = {}
    start = time.process_time()
    wall = time.perf_counter()
    app = KhabarApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        result["first_paint_ms"] = (time.process_time() - start) * 1000
        result["first_paint_wall_ms"] = (time.perf_counter() - wall) * 1000
        screen = app.screen
        assert isinstance(screen, MainScreen)
        listing = screen.query_one("#articles", ArticleList)
        result["articles"] = listing.total

        # Open articles: read from the archive, laid out by the RTL engine, painted.
        opens = []
        for index in range(0, 60):
            row_ = listing.row_at(index * 97)
            if row_ is None:
                break
            t = time.process_time()
            screen.open_article(row_.id, mark_read=False)
            await pilot.pause()
            opens.append(time.process_time() - t)
        result["open_ms"] = statistics.median(opens) * 1000

        # Keypress to repaint, list: j moves the cursor (the preview follows after the cursor settles).
        listing.focus()
        await pilot.pause()
        result["list_key_ms"] = await _press_ms(pilot, "j", keys)
        result["list_page_ms"] = await _press_ms(pilot, "pagedown", keys // 4)

        # Keypress to repaint, body: scroll a long article line by line.
        view = screen.query_one("#article", ArticleView)
        # The generated bodies are about 3 KB: the longest of the first 200 scrolls for ~40 lines at 120x40.
        candidates = [listing.row_at(i) for i in range(200)]
        ids = [r.id for r in candidates if r is not None]
        longest = max(ids, key=lambda i: len(app.store.get_article(i).body_text))
        screen.open_article(longest, mark_read=False)
        view.focus()
        await pilot.pause()
        result["body_key_ms"] = await _press_ms(pilot, "j", keys)
    result["rss_mb"] = max_rss_mb()
    return result


async def _noop_press(keys: int) -> float:
    """Baseline for a keypress: the pilot's own cost of pressing a key nobody handles, in the bare app."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello")

    async with Bare().run_test(size=SIZE) as pilot:
        await pilot.pause()
        return await _press_ms(pilot, "j", keys)


def _child(kind: str, db: str, keys: int) -> None:
    if kind == "bare":
        out = {"first_paint_ms": asyncio.run(_bare_first_paint()) * 1000,
               "key_ms": asyncio.run(_noop_press(keys)), "rss_mb": max_rss_mb()}
    else:
        out = asyncio.run(_reader(Path(db), keys))
    print(json.dumps(out))


def _run_child(kind: str, db: Path, keys: int) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-m", "bench.ui", "--child", kind, "--db", str(db),
                           "--keys", str(keys)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    data: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench ui")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per measurement")
    parser.add_argument("--child", choices=["bare", "reader"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.db or "", args.keys)
        return 0

    from bench.store import cached_archive

    db, _ = cached_archive(args.articles, False)
    runs = [_run_child("reader", db, args.keys) for _ in range(args.runs)]
    bare = [_run_child("bare", db, args.keys) for _ in range(args.runs)]

    def med(data: list[dict[str, float]], key: str) -> float:
        return statistics.median(d[key] for d in data)

    print(f"reader on a {int(runs[0]['articles']):,}-article archive, {SIZE[0]}x{SIZE[1]}, "
          f"median of {args.runs} fresh processes")
    print(row("start to first paint (target <= 1000 ms)", med(runs, "first_paint_ms"), "ms",
              med(bare, "first_paint_ms")))
    print(row("  the same, wall clock", med(runs, "first_paint_wall_ms"), "ms"))
    print(row("  baseline: bare Textual app", med(bare, "first_paint_ms"), "ms"))
    print(row("open an article (target <= 50 ms)", med(runs, "open_ms"), "ms"))
    print(row("keypress to repaint, list j (target <= 16 ms)", med(runs, "list_key_ms"), "ms",
              med(bare, "key_ms")))
    print(row("keypress to repaint, list pagedown", med(runs, "list_page_ms"), "ms", med(bare, "key_ms")))
    print(row("keypress to repaint, body j (target <= 16 ms)", med(runs, "body_key_ms"), "ms",
              med(bare, "key_ms")))
    print(row("  baseline: unhandled key in the bare app", med(bare, "key_ms"), "ms"))
    print(row("peak RSS, reader (target <= 200 MB)", max(r["rss_mb"] for r in runs), "MiB",
              max(b["rss_mb"] for b in bare)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

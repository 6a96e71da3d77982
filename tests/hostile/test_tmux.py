"""The TUI in a real terminal on the hostile archive: tmux, 120 x 40, on a private server socket.

tmux is the terminal here, and it is set up to obey whatever reaches it: ``set-titles on`` and
``allow-rename on`` (so OSC 0/2 and ``ESC k`` would change the pane title and the window name),
``set-clipboard on`` (so OSC 52 would create a paste buffer), ``allow-passthrough on`` (so a DCS tmux
passthrough would reach the outer terminal). The test walks every hostile article (``j``, Enter), then
checks that the pane title and window name are what they were, that there is no paste buffer, that the
borders and columns are where they were on the first screen, and that ``q`` ends the process with status 0.

Robust rather than quick: it polls ``capture-pane`` for what it waits for (never a fixed sleep), with
generous caps. Skipped with a clear reason where tmux is missing (``.ci/run`` installs it).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.store import ArticleQuery, Store
from reader.ui.state import UIState, save_state
from tests.hostile.corpus import PWNED, unsafe

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (.ci/run installs it): the real-terminal test "
                                       "cannot run")

WIDTH, HEIGHT = 120, 40
TMUX_CONF = """\
set -g set-titles on
set -g allow-rename on
set -g automatic-rename off
set -g set-clipboard on
set -g allow-passthrough on
set -g default-terminal "tmux-256color"
set -g remain-on-exit off
"""
BORDERS = set("│╭╮╰╯─┃┏┓┗┛━")


class Tmux:
    """A private tmux server (its own socket name, so no other tmux is touched)."""

    def __init__(self, root: Path) -> None:
        self.socket = f"khabar-hostile-{id(self)}-{time.monotonic_ns()}"
        self.conf = root / "tmux.conf"
        self.conf.write_text(TMUX_CONF, encoding="utf-8")

    def __call__(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", str(self.conf), *args], capture_output=True,
                              text=True, timeout=60, check=False)
        if done.returncode != 0 and args[0] not in ("list-buffers", "kill-server"):
            raise AssertionError(f"tmux {args}: {done.stderr}")
        return done.stdout

    def screen(self) -> list[str]:
        return self("capture-pane", "-p", "-t", "hostile").rstrip("\n").split("\n")

    def wait_for(self, condition: Callable[[list[str]], bool], what: str, cap: float = 60.0) -> list[str]:
        deadline = time.monotonic() + cap
        while True:
            screen = self.screen()
            if condition(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"never happened: {what}\n" + "\n".join(screen))
            time.sleep(0.05)

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "hostile", *keys)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmp_path)
    try:
        yield server
    finally:
        server("kill-server")  # this test's own server, by its socket name


def border_columns(line: str) -> list[int]:
    """Cell positions of the box-drawing characters of a row."""
    out, cell = [], 0
    for ch in line:
        if ch in BORDERS:
            out.append(cell)
        cell += cell_len(ch)
    return out


def test_the_tui_in_tmux_keeps_title_clipboard_and_layout(hostile_copy: Path, tmux: Tmux) -> None:
    with Store.open(hostile_copy / "khabar.db", readonly=True) as store:
        total = store.count_articles(ArticleQuery(limit=100_000))
    save_state(hostile_copy / "state.json", UIState(source="all"))
    exit_file = hostile_copy / "exit-status"
    command = (f"{shlex.quote(sys.executable)} -m reader --home {shlex.quote(str(hostile_copy))} --bidi app; "
               f"echo EXIT=$? > {shlex.quote(str(exit_file))}")
    tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-s", "hostile", "-n", "khabar", command)
    before = tmux("display", "-p", "-t", "hostile", "#{pane_title}|#{window_name}")
    first = tmux.wait_for(lambda s: any("bidi:app" in line for line in s), "the app's status bar")
    reference = [border_columns(line) for line in first[:-2]]
    assert any(reference), "\n".join(first)

    assert any(f"{total} unread" in line for line in first), "\n".join(first)

    # Walk every article: down the list, opening each (which marks it read), checking the layout as we go.
    tmux.keys("g")
    screens = []
    for start in range(0, total, 25):
        batch = min(25, total - start)
        for _ in range(batch):
            tmux.keys("Enter", "j")
        left = total - start - batch
        # Sync on the app's own count: every Enter marks one article read.
        screens.append(tmux.wait_for(lambda s, n=left: any(f" {n} unread" in line for line in s),
                                     f"{left} unread"))
    # The terminal obeyed no escape: same title and name, nothing on the clipboard.
    assert tmux("display", "-p", "-t", "hostile", "#{pane_title}|#{window_name}") == before
    assert "PWNED" not in before
    assert tmux("list-buffers") == ""
    # The layout is the first screen's: every border where it was, every row exactly the width.
    for seen in screens:
        for row, line in enumerate(seen[:-2]):
            assert border_columns(line) == reference[row], (row, line, "\n".join(seen))
            assert cell_len(line) <= WIDTH
        for line in seen:
            assert not unsafe(line) and not PWNED.search(line), line

    tmux.keys("q")
    deadline = time.monotonic() + 60
    while not exit_file.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert exit_file.read_text(encoding="utf-8").strip() == "EXIT=0"

"""The Khabar Textual application (first, plain version: shows the bundled seed article)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from reader.commands import Context
from reader.resources import sample_feeds_path

SEED = "zagros-arabic-erbil-2021-05-22.txt"


class KhabarApp(App[None]):
    """The reader."""

    TITLE = "Khabar"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        yield Header()
        path = sample_feeds_path() / SEED
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        yield Static(text, markup=False, id="body")
        yield Footer()

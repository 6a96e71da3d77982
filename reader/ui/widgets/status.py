"""The status bar: BiDi mode, counts, refresh progress and the last error, on one line."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class StatusBar(Widget):
    """One line at the bottom of the main screen."""

    bidi: reactive[str] = reactive("app")
    """The BiDi mode in effect (and, for auto, what it picked)."""
    counts: reactive[str] = reactive("")
    """e.g. ``12 unread · 240 articles``."""
    progress: reactive[tuple[int, int] | None] = reactive(None)
    """(done, total) feeds while a refresh runs, else None."""
    error: reactive[str] = reactive("")
    """The last error (already sanitised), shown until the next success."""

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" bidi:{self.bidi} ", style="reverse")
        text.append(f" {self.counts}")
        if self.progress is not None:
            done, total = self.progress
            width = 20
            filled = width * done // total if total else width
            text.append("  refreshing ")
            text.append("█" * filled + "░" * (width - filled))
            text.append(f" {done}/{total}")
        if self.error:
            text.append("  ")
            text.append(f"⚠ {self.error}", style="bold")
        return text

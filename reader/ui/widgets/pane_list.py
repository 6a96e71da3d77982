"""What the sources and entities panes share: the vi movement keys, and a cursor that stops at the ends."""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.widgets import OptionList


def movement(prefix: str) -> list[BindingType]:
    """j, k, g and G for a pane, each with its own keymap id (``sources.down``, ``entities.last``...)."""
    return [
        Binding("j", "cursor_down", "Down", show=False, id=f"{prefix}.down"),
        Binding("k", "cursor_up", "Up", show=False, id=f"{prefix}.up"),
        Binding("g", "first", "First", show=False, id=f"{prefix}.first"),
        Binding("G", "last", "Last", show=False, id=f"{prefix}.last"),
    ]


class PaneList(OptionList):
    """An option list whose cursor stops at its first and last entries, as the article list's does.
    Textual's wraps around, so j on the last entity landed on the first, and k held down cycled."""

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def _step(self, direction: int) -> None:
        options = self.options
        if self.highlighted is None:
            if options:
                self.action_first() if direction > 0 else self.action_last()
            return
        index = self.highlighted + direction
        while 0 <= index < len(options):
            if not options[index].disabled:
                self.highlighted = index
                return
            index += direction

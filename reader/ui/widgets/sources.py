"""The sources pane: All, Unread, Starred, Saved, feeds grouped by tag, kept searches and entity filters.

Each entry has a key (``all``, ``feed:3``, ``tag:news``, ``search:<query>``, ``entity:<key>``) that the
screen turns into an archive query; the pane itself knows nothing of the archive. Feed titles are untrusted
text in any script, so each label goes through the RTL engine's single-line fitting.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.ui.text import fit_cell
from reader.ui.widgets.pane_list import PaneList, movement


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One selectable line of the sources pane."""

    key: str
    label: str
    count: int | None = None
    """Unread count shown at the right, when known."""
    depth: int = 0
    """Indentation (feeds under their tag)."""
    error: bool = False
    """The feed's last refresh failed."""


class SourcesPane(PaneList):
    """Lists sources; posts ``Selected`` when one is chosen."""

    BINDINGS = movement("sources")

    class Selected(Message):
        """A source was chosen (enter or click)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, bidi: str = "app", id: str | None = None) -> None:
        super().__init__(id=id)
        self.bidi = bidi
        self._entries: list[SourceEntry] = []

    def set_entries(self, entries: list[SourceEntry], *, selected: str | None = None) -> None:
        """Replace the entries, keeping the highlight on ``selected`` (or the previous key)."""
        previous = selected or self.selected_key
        self._entries = entries
        self._render_entries()
        keys = [e.key for e in entries]
        if previous in keys:
            self.highlighted = keys.index(previous)
        elif entries:
            self.highlighted = 0

    def _render_entries(self) -> None:
        # The content width (padding is already outside it), less a scrollbar's cells when the entries
        # will not fit: a row wider than the pane would wrap onto a second line.
        width = self.size.width
        if len(self._entries) > self.size.height:
            width -= self.styles.scrollbar_size_vertical
        width = max(width, 12) if self.size.width else 22
        options = []
        for entry in self._entries:
            count = "" if not entry.count else str(entry.count)
            label_width = max(1, width - entry.depth * 2 - len(count) - 2)
            text = Text("  " * entry.depth)
            label = entry.label
            marker, _, rest = label.partition(" ")
            if entry.key.startswith(("search:", "entity:")) and marker in ("/", "@") and rest:
                # The UI's marker stays on the left; the user's words (Arabic, say) are their own line,
                # or an RTL query would carry the marker over to its right.
                text.append(f"{marker} ", style="dim")
                label, label_width = rest, max(1, label_width - 2)
            text.append(fit_cell(label, label_width, self.bidi, align="left"),
                        style="bold" if entry.key.startswith("tag:") or (entry.depth == 0 and
                                                                          not entry.key.startswith("feed:"))
                        else "")
            if entry.error:
                text.append("!", style="bold red")
            text.append(" " * max(1, width - text.cell_len - len(count)))
            text.append(count, style="bold" if count else "")
            options.append(Option(text, id=entry.key))
        self.clear_options()
        self.add_options(options)

    def on_resize(self) -> None:
        key = self.selected_key
        self._render_entries()
        if key is not None:
            self.set_entries(self._entries, selected=key)

    @property
    def selected_key(self) -> str | None:
        """The highlighted entry's key."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self._entries):
            return None
        return self._entries[self.highlighted].key

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Selected(event.option.id))

    def action_first(self) -> None:
        self.action_first_option()

    def action_last(self) -> None:
        self.action_last_option()

    def action_first_option(self) -> None:
        if self._entries:
            self.highlighted = 0

    def action_last_option(self) -> None:
        if self._entries:
            self.highlighted = len(self._entries) - 1

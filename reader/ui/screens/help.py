"""The help screen (?): every key, from the one declaration of commands and the live keymap."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.commands import COMMANDS, Command

MOVEMENT = (
    ("j / down, k / up", "Move in the focused pane"),
    ("g / home, G / end", "First and last item"),
    ("pageup / pagedown, space", "Page through the list or the article"),
    ("tab / shift+tab", "Next and previous pane"),
    ("ctrl+p", "Command palette: every command by name"),
    ("ctrl+z", "Suspend to the shell (fg resumes)"),
)


def _key_label(keys: str) -> str:
    names = {"slash": "/", "question_mark": "?", "delete": "del"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


class HelpScreen(ModalScreen[None]):
    """A scrollable table of every binding; any of escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j", "scroll_body('down')", "Down", show=False, id="help.down"),
        Binding("k", "scroll_body('up')", "Up", show=False, id="help.up"),
        Binding("g", "scroll_body('home')", "Top", show=False, id="help.top"),
        Binding("G", "scroll_body('end')", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, keys: dict[str, str]) -> None:
        """``keys`` maps binding id to the keys currently bound (after the user's keymap)."""
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
        table.add_column("key", no_wrap=True)
        table.add_column("command")
        table.add_column("id", style="dim", no_wrap=True)
        # Groups in the order COMMANDS declares them (Moving first), the widgets' own movement keys
        # inside Moving: sorting by name put a second "Moving" heading after "Finding".
        groups: dict[str, list[Command]] = {}
        for command in COMMANDS:
            groups.setdefault(command.group, []).append(command)
        groups.setdefault("Moving", [])
        for index, (group, commands) in enumerate(groups.items()):
            if index:
                table.add_row("", "", "")
            table.add_row(Text(group, style="bold"), "", "")
            if group == "Moving":
                for keys, what in MOVEMENT:
                    table.add_row(keys, what, "")
            for command in commands:
                table.add_row(_key_label(self.keys.get(command.id, command.keys)), command.help, command.id)
        with VerticalScroll(id="help-body"):
            yield Static(Text("Khabar keys  (rebind any id in config.toml [keymap])", style="bold"),
                         id="help-title")
            yield Static(table, id="help-table")

    def action_scroll_body(self, where: str) -> None:
        """The keys this screen lists for moving work on it too (arrows and pages come with the scroll)."""
        body = self.query_one("#help-body", VerticalScroll)
        {"down": body.scroll_down, "up": body.scroll_up, "home": body.scroll_home,
         "end": body.scroll_end}[where](animate=False)

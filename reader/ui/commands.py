"""Every command of the reader, declared once.

The footer, the help screen (?), the command palette (ctrl+p) and the user's keymap all come from
``COMMANDS``: each command has a stable binding id (``khabar.star``) that the config's ``[keymap]`` table can
rebind, default keys, the action it runs and a description. Movement keys that belong to one widget (j/k in
a list) are declared by that widget, with ids too.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Command:
    """One user-facing command."""

    id: str
    """Binding id, stable across releases: the key in the config's [keymap] table."""
    keys: str
    """Default keys, comma-separated (Textual key names)."""
    action: str
    """The action run on the main screen (``action_<name>`` there or on the app)."""
    description: str
    """Short label for the footer and the help screen."""
    help: str
    """One sentence for the help screen and the command palette."""
    footer: bool = False
    """Shown in the footer."""
    group: str = "Reading"


COMMANDS: tuple[Command, ...] = (
    Command("khabar.open", "enter", "open", "Open", "Open the selected source, article or entity",
            group="Moving"),
    Command("khabar.next", "n", "next_article", "Next", "Open the next article in the list", True, "Moving"),
    Command("khabar.previous", "p", "previous_article", "Prev", "Open the previous article in the list",
            group="Moving"),
    Command("khabar.next_unread", "N", "next_unread", "Next unread", "Open the next unread article",
            group="Moving"),
    Command("khabar.search", "slash", "search", "Search", "Search the archive; results become a source", True,
            "Finding"),
    Command("khabar.keep_source", "K", "keep_source", "Keep",
            "Keep the current search or entity filter as a source that persists", group="Finding"),
    Command("khabar.drop_source", "delete", "drop_source", "Drop source",
            "Remove the selected kept search or entity filter", group="Finding"),
    Command("khabar.refresh", "r", "refresh_feed", "Refresh", "Refresh the selected feed", True, "Feeds"),
    Command("khabar.refresh_all", "R", "refresh_all", "Refresh all", "Refresh every feed", group="Feeds"),
    Command("khabar.fetch_full", "f", "fetch_full", "Full text",
            "Download the article's page and keep its main text for offline reading", group="Feeds"),
    Command("khabar.star", "s", "toggle_star", "Star", "Star or unstar the article", True),
    Command("khabar.save", "S", "toggle_save", "Save", "Keep the article forever for offline reading"),
    Command("khabar.read", "m", "toggle_read", "Read/unread", "Mark the article read or unread"),
    Command("khabar.feed_read", "A", "mark_feed_read", "Feed read",
            "Mark every article of the current source read"),
    Command("khabar.all_read", "ctrl+a", "mark_all_read", "All read", "Mark every article read"),
    Command("khabar.undo", "u", "undo", "Undo", "Undo the last mark-as-read"),
    Command("khabar.open_link", "o", "open_link", "Browser",
            "Open the article's link in the browser (http/https)"),
    Command("khabar.copy_link", "y", "copy_link", "Copy link", "Copy the article's link to the clipboard"),
    Command("khabar.entities", "e", "toggle_entities", "Entities", "Show or hide the entities pane", True,
            "View"),
    Command("khabar.entity_articles", "L", "entity_articles", "Mentions",
            "List the articles that mention the selected entity", group="View"),
    Command("khabar.bidi", "b", "cycle_bidi", "BiDi", "Cycle the BiDi mode: auto, app, terminal, off",
            group="View"),
    Command("khabar.theme", "t", "pick_theme", "Theme", "Pick a colour theme", group="View"),
    Command("khabar.help", "question_mark", "help", "Help", "Show every key", True, "View"),
    Command("khabar.quit", "q", "app.quit", "Quit", "Quit Khabar", True, "View"),
)


def bindings() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """Textual bindings for ``COMMANDS``, each with its id so the keymap can rebind it."""
    return [
        Binding(c.keys, c.action, c.description, show=c.footer, id=c.id, tooltip=c.help)
        for c in COMMANDS
    ]


def binding_ids() -> set[str]:
    """Every id a ``[keymap]`` entry can name: the commands and the panes' own movement keys."""
    from reader.ui.app import KhabarApp
    from reader.ui.screens.help import HelpScreen
    from reader.ui.widgets.article_list import ArticleList
    from reader.ui.widgets.article_view import ArticleView
    from reader.ui.widgets.entities import EntitiesPane
    from reader.ui.widgets.sources import SourcesPane

    ids = {c.id for c in COMMANDS}
    for owner in (KhabarApp, HelpScreen, ArticleList, ArticleView, EntitiesPane, SourcesPane):
        ids.update(b.id for b in owner.BINDINGS if isinstance(b, Binding) and b.id)
    return ids


def command(command_id: str) -> Command:
    """Look a command up by id."""
    for c in COMMANDS:
        if c.id == command_id:
            return c
    raise KeyError(command_id)

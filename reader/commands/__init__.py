"""Subcommands of the ``khabar`` CLI, one module each.

Every module here exposes ``HELP`` (one line), ``add_arguments(parser)`` and ``run(args, ctx) -> int``.
Modules import only the standard library at the top: anything heavy (the store, feedparser, httpx, Textual)
is imported inside ``run`` so that ``khabar --help`` and the headless commands start fast and never load
Textual. ``reader.cli`` discovers the modules from ``COMMANDS``; a name whose module is not there yet is
simply not offered.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from reader.config import Paths, Settings

# The order in which ``khabar --help`` lists them.
COMMANDS: tuple[str, ...] = (
    "render", "add", "remove", "feeds", "import", "export", "refresh", "fetch-full", "list", "show",
    "search", "mark", "vacuum", "entities",
)


def module_name(command: str) -> str:
    """The module that implements ``command`` (``fetch-full`` -> ``reader.commands.fetch_full``)."""
    name = command.replace("-", "_")
    if name == "import":
        name = "import_"
    return f"reader.commands.{name}"


@dataclass
class Context:
    """What every command receives besides its own arguments."""

    paths: Paths
    settings: Settings
    offline: bool = False
    """Never touch the network (``--offline``)."""
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    warnings: list[str] = field(default_factory=list)
    """Warnings given so far (config problems), for the reader to show once it has a screen."""
    cli: dict[str, Any] = field(default_factory=dict)
    """Options given on the command line (``theme``, ``bidi``): they beat the config and the UI state."""

    def warn(self, message: str) -> None:
        """Print a warning line to stderr, and keep it for the reader (whose screen hides stderr)."""
        self.warnings.append(message)
        print(f"khabar: warning: {message}", file=self.stderr)

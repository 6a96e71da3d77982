"""Start the TUI: the one place the CLI reaches into Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context


def run_tui(ctx: Context) -> int:
    """Run the reader until the user quits; returns the process exit code."""
    from reader.ui.app import KhabarApp

    app = KhabarApp(ctx)
    app.run()
    return app.return_code or 0

"""Start the TUI: the one place the CLI reaches into Textual."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.commands import Context
    from reader.store import Store


def _open_seed_first(store: Store, ctx: Context) -> None:
    """On the very first start, open the bundled saved article (the example our user gave)."""
    from reader.store import ArticleQuery
    from reader.ui.state import UIState, save_state

    saved = store.list_articles(ArticleQuery(saved=True, limit=1))
    if saved:
        save_state(ctx.paths.state_file, UIState(source="all", article=saved[0].id))


def run_tui(ctx: Context) -> int:
    """Run the reader until the user quits; returns the process exit code.

    The terminal's implicit BiDi mode is restored on every way out (quit, crash, interrupt), whatever the
    app managed to do itself, so a VTE terminal is never left in explicit mode.
    """
    from reader.rtl.terminal import BDSM_IMPLICIT
    from reader.store import Store
    from reader.ui.app import KhabarApp

    ctx.paths.db_file.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(ctx.paths.db_file)
    try:
        from reader.update import ensure_first_run

        if ensure_first_run(store, ctx.settings) and not ctx.paths.state_file.exists():
            _open_seed_first(store, ctx)
        app = KhabarApp(ctx, store=store)
        app.run()
    finally:
        store.close()
        if sys.__stdout__ is not None and sys.__stdout__.isatty():
            sys.__stdout__.write(BDSM_IMPLICIT)
            sys.__stdout__.flush()
    return app.return_code or 0

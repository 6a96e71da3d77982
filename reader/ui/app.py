"""The Khabar Textual application: loads settings, themes and state, opens the archive, runs the screen.

Kept small on purpose: the main screen does the work. The app owns what outlives a screen: the store, the
settings, the UI state file, the theme and the BiDi mode (including the terminal's explicit-mode switch).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from reader.commands import Context
from reader.rtl.terminal import detect_bidi_mode
from reader.store import Store
from reader.ui.commands import COMMANDS, binding_ids
from reader.ui.state import UIState, load_state, save_state
from reader.ui.themes import load_themes

FALLBACK_VARIABLES = {
    "entity-person": "#e5c07b",
    "entity-org": "#61afef",
    "entity-loc": "#98c379",
    "entity-date": "#c678dd",
    "search-hit": "#665c00",
}


class KhabarApp(App[None]):
    """The reader."""

    TITLE = "Khabar"
    SUB_TITLE = "خبر"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+z", "suspend_process", "Suspend", show=False, id="app.suspend")]

    def __init__(self, ctx: Context, *, store: Store | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.paths = ctx.paths
        self.settings = ctx.settings
        self.ui_state: UIState = load_state(ctx.paths.state_file)
        self.bidi_setting: str = ctx.settings.bidi
        self.bidi_decision = detect_bidi_mode(os.environ)
        """What ``auto`` means in this terminal, and why."""
        self._own_store = store is None
        self.store = store if store is not None else Store.open(ctx.paths.db_file)
        themes, problems = load_themes(ctx.paths.themes_dir)
        for theme in themes:
            self.register_theme(theme)
        self._theme_problems = problems
        wanted = ctx.cli.get("theme") or self.ui_state.theme or ctx.settings.theme
        self._theme_warning = None
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self._theme_warning = f"Unknown theme {wanted!r}; using khabar-dark"
            self.theme = "khabar-dark"
        self.set_keymap(dict(ctx.settings.keymap))

    # -- BiDi -----------------------------------------------------------------------------------------
    @property
    def effective_bidi(self) -> str:
        """The mode in force: ``auto`` resolved for this terminal."""
        if self.bidi_setting != "auto":
            return self.bidi_setting
        return self.bidi_decision.mode

    def set_bidi(self, mode: str) -> None:
        """Change the BiDi mode for this session (the b key)."""
        self.bidi_setting = mode
        self._send_bidi_switch()

    def _send_bidi_switch(self) -> None:
        """Put the terminal in explicit BiDi mode while Khabar shapes and reorders itself."""
        from reader.rtl.terminal import BDSM_EXPLICIT, BDSM_IMPLICIT

        sequence = BDSM_EXPLICIT if self.effective_bidi == "app" else BDSM_IMPLICIT
        self._write_terminal(sequence)

    def _write_terminal(self, sequence: str) -> None:
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write(sequence)
            driver.flush()

    # -- lifecycle ------------------------------------------------------------------------------------
    def on_mount(self) -> None:
        from reader.ui.screens.main import MainScreen

        self._send_bidi_switch()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.app_suspend_signal.subscribe(self, self._on_suspend)
        self.app_resume_signal.subscribe(self, self._on_resume)
        self.push_screen(MainScreen())
        for problem in self._theme_problems:
            self.notify(problem, title="Theme", severity="warning")
        if self.bidi_setting == "auto" and self.bidi_decision.notice:
            self.notify(self.bidi_decision.notice, title="BiDi", timeout=12)
        if self._theme_warning:
            self.notify(self._theme_warning, title="Theme", severity="warning")
        for warning in self.ctx.warnings:  # printed before the screen took over, so shown again
            self.notify(warning, title="Config", severity="warning", markup=False, timeout=12)
        unknown = sorted(set(self.settings.keymap) - binding_ids())
        if unknown:  # a typo would otherwise leave the key unbound with no word said
            self.notify(f"Unknown binding id{'s' if len(unknown) > 1 else ''} in [keymap]: "
                        f"{', '.join(unknown)} (press ? for the ids)", title="Keymap", severity="warning",
                        markup=False, timeout=12)
        if self.settings.refresh_on_start and not self.ctx.offline:
            self.call_after_refresh(self._refresh_all)
        if self.settings.refresh_minutes:
            self.set_interval(self.settings.refresh_minutes * 60, self._refresh_all, name="auto-refresh")

    def _refresh_all(self) -> None:
        from reader.ui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.action_refresh_all()

    def _on_suspend(self, app: App[Any]) -> None:
        from reader.rtl.terminal import BDSM_IMPLICIT

        self._write_terminal(BDSM_IMPLICIT)

    def _on_resume(self, app: App[Any]) -> None:
        self._send_bidi_switch()

    def _theme_changed(self, theme: Any) -> None:
        self.update_state(theme=self.theme)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """Khabar's own variables for themes that do not set them (Textual's built-in themes)."""
        return {**super().get_theme_variable_defaults(), **FALLBACK_VARIABLES}

    def update_state(self, **changes: Any) -> None:
        """Change and persist the UI state (errors writing it are reported once, never fatal)."""
        self.ui_state = self.ui_state.with_changes(**changes)
        try:
            save_state(self.paths.state_file, self.ui_state)
        except OSError as exc:
            self.notify(f"Could not save the reader state: {exc.strerror}", severity="warning")

    def current_keys(self) -> dict[str, str]:
        """Binding id -> keys in force, after the user's keymap."""
        keys = {c.id: c.keys for c in COMMANDS}
        keys.update(self.settings.keymap)
        return keys

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette offers every Khabar command, from the same declaration as the keys."""
        yield from super().get_system_commands(screen)
        from reader.ui.screens.main import MainScreen

        if isinstance(screen, MainScreen):
            for command in COMMANDS:
                if command.id in ("khabar.quit", "khabar.help"):
                    continue
                yield SystemCommand(command.description, command.help,
                                    partial(screen.run_action, command.action))

    def on_unmount(self) -> None:
        if self._own_store:
            self.store.close()

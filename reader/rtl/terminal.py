"""Which bidi mode ``auto`` picks for the terminal we run in, and the switch that keeps VTE out of our way.

Several terminals apply the Unicode Bidirectional Algorithm themselves (VTE-based ones since 0.58,
Konsole, mintty, mlterm, macOS Terminal). Handed Khabar's already reordered lines they would reverse them
a second time. The Terminal Working Group's BiDi recommendation, which VTE and mintty implement, lets an
application that does its own BiDi switch the terminal to *explicit* mode with BDSM reset (``CSI 8 l``)
and back to the default *implicit* mode with ``CSI 8 h`` on exit. Terminals that know nothing of BiDi
ignore the sequence, so ``app`` mode sends it everywhere.

Where the terminal reorders and the switch cannot reach it (Konsole and mlterm have no such switch in
their documentation; tmux and screen swallow it, so a VTE or mintty outside them keeps reordering) ``auto``
picks ``terminal`` mode: Khabar sends logical text and lets the terminal do the BiDi. Such a terminal
reorders each *row* as a whole, which is right for single-column output (``khabar render``, the reading
pane alone) but would swap side-by-side panes in the TUI; the decision therefore also asks the TUI for a
single-pane layout and carries a one-time notice saying how to turn the terminal's BiDi off (after which
``--bidi app`` gives the full layout). We chose that over ``app`` mode with a notice because ``app`` mode
there shows every Arabic line reversed until the user finds the setting, while ``terminal`` mode is
readable at once. See ``docs/terminals.md`` for every terminal, with sources.

``detect_bidi_mode`` is pure (it reads only the mapping it is given); ``explicit_bidi`` is the context
manager ``khabar render`` uses, and ``bidi_switch_sequences`` gives the TUI the bytes to send.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import FrameType
from typing import Any, Literal, TextIO

__all__ = [
    "BDSM_EXPLICIT",
    "BDSM_IMPLICIT",
    "Decision",
    "bidi_switch_sequences",
    "detect_bidi_mode",
    "explicit_bidi",
    "resolve_bidi_mode",
]

BDSM_EXPLICIT = "\x1b[8l"
"""ECMA-48 BDSM reset: explicit mode, the terminal shows cells in the order it receives them."""
BDSM_IMPLICIT = "\x1b[8h"
"""ECMA-48 BDSM set: implicit mode (the terminal's default), the terminal applies BiDi itself."""

VTE_BIDI_VERSION = 5800
"""``VTE_VERSION`` from which VTE reorders RTL text by default (VTE 0.58, GNOME Terminal 3.34)."""

Mode = Literal["app", "terminal"]


@dataclass(frozen=True, slots=True)
class Decision:
    """What ``auto`` resolves to in one terminal, and why."""

    mode: Mode
    """``app`` (Khabar shapes and reorders) or ``terminal`` (the terminal does, Khabar sends logical text)."""
    terminal: str
    """The terminal (and multiplexer) recognised from the environment, e.g. ``VTE 0.76``, ``Konsole``."""
    reason: str
    """One sentence saying why, for logs, ``--help`` output and the notice."""
    switchable: bool = False
    """The terminal reorders by default but honours the BDSM switch (``CSI 8 l``)."""
    single_pane: bool = False
    """The terminal reorders whole rows, so the TUI must not put panes side by side."""
    notice: str | None = None
    """A one-time notice for the TUI: how to turn the terminal's own BiDi off."""


def _int(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        return 0


def _vte_name(version: int) -> str:
    return f"VTE {version // 10000}.{version // 100 % 100}"


def detect_bidi_mode(env: Mapping[str, str]) -> Decision:
    """Decide what ``--bidi auto`` means in the terminal described by ``env`` (usually ``os.environ``).

    Pure: only the given mapping is read. Multiplexers (``TMUX``, ``STY``) keep the outer terminal's
    variables when they were started from it, so those still identify the terminal that draws.
    """
    multiplexer = "tmux" if env.get("TMUX") else "screen" if env.get("STY") else ""
    program = env.get("TERM_PROGRAM", "")
    term = env.get("TERM", "")
    vte = _int(env.get("VTE_VERSION"))
    inside = f" inside {multiplexer}" if multiplexer else ""

    def unswitchable(name: str, why: str, how: str) -> Decision:
        return Decision(
            "terminal", name + inside,
            f"{name} applies BiDi to whole rows itself and {why}, so Khabar sends logical text.",
            single_pane=True,
            notice=(f"{name} reorders right-to-left text itself, so Khabar shows one pane at a time. "
                    f"For the full layout, {how}, then start Khabar with --bidi app."),
        )

    if env.get("KONSOLE_VERSION") or env.get("KONSOLE_DBUS_SESSION"):
        return unswitchable(
            "Konsole", "has no escape sequence to turn that off",
            "untick 'Bi-Directional text rendering' in the profile's settings (Edit Profile, "
            "Appearance, Complex Text Layout)")
    if env.get("MLTERM"):
        return unswitchable(
            "mlterm", "documents no escape sequence to turn that off",
            "start mlterm with --bi=false (or set use_bidi=false in ~/.mlterm/main)")
    if program == "Apple_Terminal":
        return unswitchable("macOS Terminal", "has no switch for it", "use another terminal")
    if vte >= VTE_BIDI_VERSION:
        if multiplexer:
            return unswitchable(
                _vte_name(vte), f"{multiplexer} does not pass the BDSM switch on to it",
                "run Khabar outside the multiplexer")
        return Decision("app", _vte_name(vte),
                        "VTE reorders by default but honours the BDSM switch, so Khabar does its own BiDi "
                        "and sends CSI 8 l.", switchable=True)
    if program == "mintty" or env.get("MINTTY_SHORTCUT"):
        if multiplexer:
            return unswitchable(
                "mintty", f"{multiplexer} does not pass the BDSM switch on to it",
                "set Bidi=0 in mintty's options (or run Khabar outside the multiplexer)")
        return Decision("app", "mintty",
                        "mintty reorders by default (option Bidi=2) but honours the BDSM switch, so Khabar "
                        "does its own BiDi and sends CSI 8 l.", switchable=True)
    if vte:
        return Decision("app", _vte_name(vte) + inside, "VTE before 0.58 does no BiDi.")
    known = (
        ("WezTerm", program == "WezTerm" or bool(env.get("WEZTERM_PANE")),
         "WezTerm does no BiDi unless bidi_enabled is set, and then honours the BDSM switch."),
        ("iTerm2", program == "iTerm.app",
         "iTerm2 draws left to right unless its experimental RTL option is on."),
        ("kitty", bool(env.get("KITTY_WINDOW_ID")) or term == "xterm-kitty", "kitty does no BiDi."),
        ("Alacritty", bool(env.get("ALACRITTY_WINDOW_ID")) or term == "alacritty",
         "Alacritty does no BiDi."),
        ("Windows Terminal", bool(env.get("WT_SESSION")), "Windows Terminal does no BiDi."),
        ("xterm", bool(env.get("XTERM_VERSION")), "xterm does no BiDi."),
    )
    for name, present, reason in known:
        if present:
            return Decision("app", name + inside, reason)
    return Decision("app", (multiplexer or "unknown terminal"),
                    "No terminal that does its own BiDi was recognised, so Khabar does it.")


def resolve_bidi_mode(setting: str, env: Mapping[str, str]) -> str:
    """The mode in force: ``setting`` itself unless it is ``auto``, which ``detect_bidi_mode`` resolves."""
    return detect_bidi_mode(env).mode if setting == "auto" else setting


def bidi_switch_sequences(mode: str) -> tuple[str, str]:
    """What to write when entering and leaving a screen in ``mode``: BDSM explicit/implicit in ``app``
    mode, nothing otherwise (``terminal`` and ``off`` leave the terminal's own BiDi alone)."""
    if mode == "app":
        return BDSM_EXPLICIT, BDSM_IMPLICIT
    return "", ""


def _write(stream: TextIO, text: str) -> None:
    """Write a switch sequence straight to the stream's file descriptor when it has one: a signal handler
    may run while Python's buffered writer is mid-flush, and the restoring sequence must not be lost in
    its buffer."""
    with contextlib.suppress(OSError, ValueError, RuntimeError):
        stream.flush()
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        fd = -1
    if fd >= 0:
        with contextlib.suppress(OSError):
            os.write(fd, text.encode("ascii"))
        return
    with contextlib.suppress(OSError, ValueError, RuntimeError):
        stream.write(text)
        stream.flush()


@contextlib.contextmanager
def explicit_bidi(stream: TextIO, *, enabled: bool = True, handle_signals: bool = True) -> Iterator[None]:
    """Hold the terminal behind ``stream`` in explicit BiDi mode for the duration of the block.

    ``CSI 8 l`` is written on entry and ``CSI 8 h`` on every way out: normal exit, exception, Ctrl+C and
    ``SystemExit``. With ``handle_signals`` (main thread only) it also restores implicit mode before a
    ``SIGTSTP`` suspend (Ctrl+Z) and switches back on ``SIGCONT``, and turns ``SIGTERM`` and ``SIGHUP`` into
    a clean exit, so the shell is never left with a terminal that no longer reorders.
    """
    if not enabled:
        yield
        return
    previous: dict[int, Any] = {}
    if handle_signals and threading.current_thread() is threading.main_thread() and sys.platform != "win32":
        previous = _install_handlers(stream)
    try:
        # Inside the try: a signal that lands while the switch is being written must still restore.
        _write(stream, BDSM_EXPLICIT)
        yield
    finally:
        _write(stream, BDSM_IMPLICIT)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class _Terminated(SystemExit):
    """Raised from a SIGTERM/SIGHUP handler so ``finally`` blocks run."""


def _install_handlers(stream: TextIO) -> dict[int, Any]:
    previous: dict[int, Any] = {}

    def on_stop(signum: int, frame: FrameType | None) -> None:
        _write(stream, BDSM_IMPLICIT)
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTSTP)
        # Execution resumes here after SIGCONT.
        signal.signal(signal.SIGTSTP, on_stop)
        _write(stream, BDSM_EXPLICIT)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise _Terminated(128 + signum)

    for signum, handler in ((signal.SIGTSTP, on_stop), (signal.SIGTERM, on_term), (signal.SIGHUP, on_term)):
        with contextlib.suppress(ValueError, OSError):
            previous[signum] = signal.signal(signum, handler)
    return previous

"""What ``--bidi auto`` picks per terminal, from the environment alone, and the BDSM switch."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys

import pytest

from reader.rtl.terminal import (
    BDSM_EXPLICIT,
    BDSM_IMPLICIT,
    bidi_switch_sequences,
    detect_bidi_mode,
    explicit_bidi,
    resolve_bidi_mode,
)

GNOME = {"TERM": "xterm-256color", "VTE_VERSION": "7600", "COLORTERM": "truecolor"}


@pytest.mark.parametrize(
    ("env", "mode", "switchable", "single_pane"),
    [
        (GNOME, "app", True, False),  # VTE reorders but honours CSI 8 l
        ({"VTE_VERSION": "5202"}, "app", False, False),  # VTE before 0.58: no BiDi at all
        ({**GNOME, "TMUX": "/tmp/tmux-0/default,1,0", "TERM_PROGRAM": "tmux"}, "terminal", False, True),
        ({**GNOME, "STY": "123.pts-0.host"}, "terminal", False, True),
        ({"KONSOLE_VERSION": "230805", "TERM": "xterm-256color"}, "terminal", False, True),
        ({"MLTERM": "3.9.3", "TERM": "mlterm"}, "terminal", False, True),
        ({"TERM_PROGRAM": "mintty", "TERM": "xterm"}, "app", True, False),
        ({"TERM_PROGRAM": "mintty", "TMUX": "x"}, "terminal", False, True),  # tmux older than 3.2
        ({"MINTTY_SHORTCUT": "x", "TMUX": "x", "TERM_PROGRAM": "tmux"}, "terminal", False, True),
        ({"TERM_PROGRAM": "WezTerm"}, "app", False, False),
        ({"TERM_PROGRAM": "iTerm.app"}, "app", False, False),
        ({"TERM_PROGRAM": "Apple_Terminal"}, "terminal", False, True),
        ({"KITTY_WINDOW_ID": "1", "TERM": "xterm-kitty"}, "app", False, False),
        ({"ALACRITTY_WINDOW_ID": "1", "TERM": "alacritty"}, "app", False, False),
        ({"WT_SESSION": "guid"}, "app", False, False),
        ({"XTERM_VERSION": "XTerm(390)", "TERM": "xterm"}, "app", False, False),
        ({"TMUX": "x", "TERM_PROGRAM": "tmux"}, "app", False, False),  # tmux in a terminal without BiDi
        ({}, "app", False, False),
        ({"VTE_VERSION": "not a number"}, "app", False, False),
    ],
)
def test_detect(env: dict[str, str], mode: str, switchable: bool, single_pane: bool) -> None:
    decision = detect_bidi_mode(env)
    assert (decision.mode, decision.switchable, decision.single_pane) == (mode, switchable, single_pane)
    assert decision.reason
    assert (decision.notice is not None) == single_pane


def test_mintty_in_tmux_is_misread_without_shortcut_note() -> None:
    # When tmux hides TERM_PROGRAM and nothing else names mintty, we cannot know; app mode it is.
    decision = detect_bidi_mode({"TMUX": "x", "TERM_PROGRAM": "tmux"})
    assert decision.mode == "app"
    assert "tmux" in decision.terminal


def test_konsole_notice_says_how_to_switch_off() -> None:
    notice = detect_bidi_mode({"KONSOLE_VERSION": "230805"}).notice
    assert notice is not None
    assert "Bi-Directional text rendering" in notice and "--bidi app" in notice


def test_resolve_and_sequences() -> None:
    assert resolve_bidi_mode("auto", GNOME) == "app"
    assert resolve_bidi_mode("auto", {"KONSOLE_VERSION": "1"}) == "terminal"
    assert resolve_bidi_mode("off", {"KONSOLE_VERSION": "1"}) == "off"
    assert bidi_switch_sequences("app") == ("\x1b[8l", "\x1b[8h")
    assert bidi_switch_sequences("terminal") == ("", "")


def test_explicit_bidi_restores_on_exception() -> None:
    out = io.StringIO()
    with pytest.raises(RuntimeError), explicit_bidi(out, handle_signals=False):
        out.write("body")
        raise RuntimeError("crash")
    assert out.getvalue() == BDSM_EXPLICIT + "body" + BDSM_IMPLICIT


def test_explicit_bidi_disabled_writes_nothing() -> None:
    out = io.StringIO()
    with explicit_bidi(out, enabled=False):
        out.write("x")
    assert out.getvalue() == "x"


def test_explicit_bidi_restores_previous_signal_handlers() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with explicit_bidi(io.StringIO()):
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before


def test_sigterm_restores_implicit_mode() -> None:
    code = (
        "import os, signal, sys\n"
        "from reader.rtl.terminal import explicit_bidi\n"
        "with explicit_bidi(sys.stdout):\n"
        "    sys.stdout.write('ready\\n'); sys.stdout.flush()\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    sys.stdout.write('not reached')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8"}, check=False)
    assert result.stdout == BDSM_EXPLICIT + "ready\n" + BDSM_IMPLICIT
    assert result.returncode == 128 + signal.SIGTERM

"""How the archive's commands (``feeds``, ``list``, ``show``, ``search``, ``entities``) write text: which
bidi mode their output gets, and counted nouns.

``--bidi auto`` is about the terminal that will draw the text. When standard output is not a terminal
(``khabar list | grep``, ``khabar show ID > file``) nothing draws it, and the text goes to programs and
files that expect characters in logical order: ``app`` mode's shaped presentation forms in visual order
could not be grepped or read back. So ``auto`` with a pipe or file means ``off``: logical text, still
sanitised (no controls, no escape sequences; the layout functions sanitise every field), with no LRM
column marks, and no BDSM switch. A mode named explicitly (``--bidi app``, or ``bidi = "app"`` in the
config) is obeyed whatever the output is. The leading underscore says this is a helper, not a subcommand
(``reader.commands.COMMANDS`` lists those).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

PIPE_MODE = "off"
"""What ``auto`` means when the output is not a terminal: logical text."""


def is_tty(stream: object) -> bool:
    """Whether ``stream`` is a terminal (False for pipes, files, StringIO and closed streams)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def output_mode(setting: str, stream: TextIO, env: Mapping[str, str] | None = None) -> str:
    """The bidi mode for writing to ``stream``: ``setting`` unless it is ``auto``; ``auto`` is ``off``
    (logical text) when ``stream`` is not a terminal, else what the terminal detection decides."""
    if setting != "auto":
        return setting
    if not is_tty(stream):
        return PIPE_MODE
    from reader.rtl.terminal import resolve_bidi_mode

    return resolve_bidi_mode(setting, os.environ if env is None else env)


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``0 articles`` (``nouns`` for irregular plurals)."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def fitted(text: str, mode: str, *, limit: int = 200) -> str:
    """One text field (a feed title, an error) as one line for ``mode``, at most ``limit`` cells: shaped
    and in visual order in ``app`` mode, logical otherwise, sanitised in every mode. Join fields with
    ``reader.store.table.join`` so that ``terminal`` mode keeps them in their columns."""
    from reader.rtl.layout import visual_line
    from reader.store.table import cell

    return cell(text, visual_line(text, limit, mode=mode).cells, mode)

"""``khabar render``: print logical UTF-8 text as lines a terminal shows correctly.

What a user pipes Arabic, Persian, Urdu, Hebrew or Kurdish text through to read it in a terminal that does
no BiDi, and the seam the TUI shares: the same ``reader.rtl`` layout, one paragraph per input line. In
``app`` mode each RTL line is shaped, reordered and right-aligned by left padding to exactly ``--width``
cells (unless ``--nopad``); LTR lines start at column 0. When standard output is a terminal, ``app`` mode
switches it to explicit BiDi mode (``CSI 8 l``) first and restores implicit mode (``CSI 8 h``) on every
way out, so VTE and mintty do not reverse the lines a second time; a pipe gets plain text.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from reader.commands import Context

HELP = "print text (a file or standard input) shaped, reordered and aligned for the terminal"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="UTF-8 text, one paragraph per line; '-' or nothing reads standard input")
    parser.add_argument("--width", type=int, metavar="N",
                        help="line width in cells (default: the terminal's width, else 80)")
    parser.add_argument("--base", choices=("auto", "rtl", "ltr"), default=None,
                        help="paragraph direction (default: config base_direction, normally auto: "
                             "each paragraph's first strong letter)")
    parser.add_argument("--nopad", action="store_true",
                        help="do not right-align RTL lines with leading spaces")
    parser.add_argument("--strip-harakat", action="store_true", default=None,
                        help="remove Arabic vowel marks (default: config strip_harakat)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    import shutil

    from reader.errors import UsageError
    from reader.rtl.layout import layout_paragraph
    from reader.rtl.sanitize import sanitize
    from reader.rtl.terminal import explicit_bidi, resolve_bidi_mode

    if args.width is not None and args.width < 1:
        raise UsageError(f"--width must be at least 1, got {args.width}")
    width = args.width or shutil.get_terminal_size((80, 24)).columns or 80
    base = args.base or ctx.settings.base_direction
    strip = ctx.settings.strip_harakat if args.strip_harakat is None else args.strip_harakat
    mode = resolve_bidi_mode(ctx.settings.bidi, os.environ)
    source = _open_input(args.file, UsageError)
    out = ctx.stdout
    if hasattr(out, "reconfigure") and (getattr(out, "encoding", "") or "").lower() not in ("utf-8", "utf8"):
        out.reconfigure(encoding="utf-8", errors="replace")
    to_terminal = _isatty(out)
    try:
        with explicit_bidi(out, enabled=mode == "app" and to_terminal):
            for raw in source:
                for paragraph in sanitize(raw.rstrip("\n")).split("\n"):
                    layout = layout_paragraph(paragraph, width, base=base, mode=mode, strip_harakat=strip)
                    for line in layout.lines:
                        out.write((line.text if args.nopad else line.padded) + "\n")
                if to_terminal:
                    out.flush()
            out.flush()
    finally:
        if args.file == "-":
            source.detach()  # leave sys.stdin's buffer open for whoever comes next
        else:
            source.close()
    return 0


def _open_input(name: str, error: type[Exception]) -> io.TextIOWrapper:
    """The input as text: UTF-8, undecodable bytes shown as U+FFFD, any newline convention."""
    if name == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    try:
        return open(name, encoding="utf-8", errors="replace", newline=None)
    except OSError as exc:
        raise error(f"cannot read {name}: {exc.strerror or exc}") from None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False

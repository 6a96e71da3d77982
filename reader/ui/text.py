"""The UI's seam to the RTL engine: every piece of untrusted text the widgets draw goes through here.

``fit_cell`` makes one cell-exact column entry (titles, feed names, entity names); ``wrap_block`` lays a
body block out into visual lines with their span pieces. Both take the effective BiDi mode (``app``,
``terminal`` or ``off``) and rely on ``reader.rtl.layout``'s cache, so repainting is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from reader.model import Span
from reader.rtl.cells import char_width
from reader.rtl.layout import layout_paragraph, visual_line


@dataclass(frozen=True, slots=True)
class VLine:
    """One visual line of a block: left padding, then (text, span kind) pieces left to right."""

    pad: int
    pieces: tuple[tuple[str, str], ...]
    rtl: bool


def _mode(bidi: str) -> str:
    return bidi if bidi in ("app", "terminal", "off") else "app"


def fit_cell(text: str, width: int, bidi: str, *, align: str = "auto") -> str:
    """``text`` as exactly ``width`` cells: one visual line, truncated at its logical end with an
    ellipsis, right-aligned when it is right-to-left (``align="auto"``) or flush left (``align="left"``)."""
    if width <= 0:
        return ""
    line = visual_line(text, width, mode=_mode(bidi))
    pad = line.pad if align == "auto" and line.rtl else 0
    shown = " " * pad + line.text
    if pad + line.cells > width:  # narrower than the engine's minimum width: crop, never overflow
        return set_cell_size(shown, width)
    return shown + " " * (width - pad - line.cells)


def rtl_preview(text: str, width: int, bidi: str) -> str | None:
    """``text`` as the terminal should show it, for a box that edits it in logical order (Textual's
    ``Input`` draws the characters as typed: Arabic unjoined and left to right); None when there is
    nothing to fix (no right-to-left text, or a terminal that does BiDi itself)."""
    if _mode(bidi) != "app" or width <= 0 or not text.strip():
        return None
    line = visual_line(text, width, mode="app")
    return line.text if line.rtl or line.text != text else None


CURSOR_END = "\u00a0"
"""Stands for the place after the last character, where an input's cursor can be: a no-break space (a
neutral character) goes where the text's direction puts its end, left of a right-to-left query."""


def visual_input(value: str, cursor: int | None, width: int, bidi: str
                 ) -> tuple[int, tuple[tuple[str, str], ...]] | None:
    """A one-line input's ``value`` as the terminal should show it: (left padding, pieces left to right),
    the character at logical offset ``cursor`` (``len(value)``: the end) in a piece of kind ``cursor``.
    None when the box can draw it as it is: no right-to-left text, a terminal that does BiDi itself, or
    a value too long for ``width`` cells (the box then scrolls it as typed)."""
    if rtl_preview(value, width, bidi) is None:
        return None
    shown = value + CURSOR_END
    spans: tuple[Span, ...] = ()
    if cursor is not None:
        start = cursor  # on a combining mark (a haraka): its letter's cell, where the terminal draws it
        while 0 < start < len(value) and char_width(shown[start]) == 0:
            start -= 1
        end = cursor + 1  # a mark with no letter before it: the next character that takes a cell
        while end < len(shown) and not any(char_width(ch) for ch in shown[start:end]):
            end += 1
        spans = (Span(start, end, "cursor"),)
    layout = layout_paragraph(shown, 10_000, base="auto", mode="app", spans=spans)
    if len(layout.lines) != 1 or layout.lines[0].cells > width:
        return None
    line = layout.lines[0]
    return (width - line.cells if line.rtl else 0), line.pieces("")


def wrap_block(text: str, width: int, *, bidi: str, base: str = "auto", strip_harakat: bool = False,
               spans: Sequence[Span] = (), preformatted: bool = False) -> list[VLine]:
    """Lay out one block at ``width`` cells. Preformatted text keeps its line breaks and reads
    left to right; other text is one paragraph with its own direction."""
    mode = _mode(bidi)
    if preformatted:
        out: list[VLine] = []
        offset = 0
        for raw in text.split("\n"):
            local = [Span(max(s.start - offset, 0), min(s.end - offset, len(raw)), s.kind)
                     for s in spans if s.start < offset + len(raw) and s.end > offset]
            layout = layout_paragraph(raw, width, base="ltr", mode=mode, spans=local)
            out.extend(VLine(0, line.pieces(""), False) for line in layout.lines)
            offset += len(raw) + 1
        return out
    layout = layout_paragraph(text, width, base=base, mode=mode, strip_harakat=strip_harakat, spans=spans)
    return [VLine(line.pad, line.pieces(""), line.rtl) for line in layout.lines]


def cells(text: str) -> int:
    """Terminal cells ``text`` takes."""
    return cell_len(text)

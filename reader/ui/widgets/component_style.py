"""Component styles for the Line API widgets, with their colours as they will actually be drawn.

A Line API widget layers component styles (read row, date, cursor, search hit) over its own style, so it
asks Textual for *partial* styles. But a partial style leaves colours unresolved: ``$text-muted`` is
``auto 60%`` (a contrast colour against the background), which a partial style turns into plain white,
and ``$primary 30%`` loses its transparency. White muted text is invisible in a light theme. This takes
the text attributes from the partial style and each colour the component sets from the full style, where
Textual has resolved ``auto`` against the widget's background and blended the alpha.
"""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def component_style(widget: Widget, name: str) -> Style:
    """``widget``'s component class ``name`` as a style to add over the widget's own style."""
    partial = widget.get_component_rich_style(name, partial=True)
    if partial.color is None and partial.bgcolor is None:
        return partial
    full = widget.get_component_rich_style(name)
    return partial + Style(color=full.color if partial.color is not None else None,
                           bgcolor=full.bgcolor if partial.bgcolor is not None else None)

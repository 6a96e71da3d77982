"""The reader's own state between runs: theme, selected source and article, kept sources.

Kept in a small JSON file beside the archive (``Paths.state_file``), never in the config file, which the app
never rewrites. A missing or damaged state file means a fresh start, not an error; writes go through a
temporary file and a rename so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class KeptSource:
    """A search or entity filter the user kept as a source (Newsboat's query feeds)."""

    kind: str
    """``search`` or ``entity``."""
    value: str
    """The query text, or the entity's normalised key."""
    label: str
    """What the sources pane shows."""


@dataclass(frozen=True, slots=True)
class UIState:
    """Everything restored on the next start."""

    theme: str | None = None
    """The theme last picked in the reader (beats the config's theme)."""
    source: str = "all"
    """The selected source's key (``all``, ``unread``, ``feed:3``, ``search:...``)."""
    article: str | None = None
    """The open article's id."""
    kept: tuple[KeptSource, ...] = field(default=())
    show_entities: bool = True
    """Whether the entities pane is shown."""
    bidi: str | None = None
    """The BiDi mode last chosen with the b key, if any."""

    def with_changes(self, **changes: Any) -> UIState:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)


def load_state(path: Path) -> UIState:
    """Read the state file; anything unreadable gives the default state."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        kept = tuple(KeptSource(**k) for k in data.pop("kept", []))
        known = {k: v for k, v in data.items() if k in UIState.__dataclass_fields__}
        return UIState(kept=kept, **known)
    except (OSError, ValueError, TypeError):
        return UIState()


def save_state(path: Path, state: UIState) -> None:
    """Write the state file atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    data = asdict(state)
    temp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temp, path)

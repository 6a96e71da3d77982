"""Print the raw occurrences of a surface in a gold document, numbered as annotate.py counts them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from annotate import HERE, matches

name, surface = sys.argv[1], sys.argv[2]
path = next(p for p in (HERE / "heldout" / f"{name}.json", HERE / "dev" / f"{name}.json") if p.exists())
doc = json.loads(Path(path).read_text(encoding="utf-8"))
text = doc["text"]
for number, (start, end) in enumerate(matches(text, surface, doc["language"] == "ar"), 1):
    print(
        number,
        text[max(0, start - 25) : start]
        + "⟦"
        + text[start:end]
        + "⟧"
        + text[end : end + 15].replace("\n", " "),
    )

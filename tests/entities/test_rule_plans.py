"""The Arabic rules are tried at a word only when its cue kind can start them (``_plan``). A rule left out
must be one that would have found nothing there: checked at every word of the gold set's Arabic
paragraphs, before the rules run and after."""

from __future__ import annotations

import json
from pathlib import Path

from reader.entities.arabic import _RULES, _Paragraph, _plan

GOLD = Path(__file__).resolve().parent.parent / "data" / "entities"


def _left_out_find_nothing(paragraph: _Paragraph) -> int:
    tried = 0
    for i, word in enumerate(paragraph.folded):
        plan = _plan(word)
        for rule in _RULES:
            if rule in plan or (rule is _Paragraph._given and paragraph.texts[i] == "أم"):
                continue
            assert rule(paragraph, i) is None, (rule.__name__, paragraph.texts[i])
            tried += 1
    return tried


def test_rules_left_out_find_nothing() -> None:
    tried = 0
    planned = 0
    for path in sorted(GOLD.glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc["language"] != "ar":
            continue
        for line in str(doc["text"]).split("\n"):
            if not line.strip():
                continue
            paragraph = _Paragraph(line)
            tried += _left_out_find_nothing(paragraph)
            planned += sum(len(_plan(w)) for w in paragraph.folded)
            paragraph.run()
            tried += _left_out_find_nothing(paragraph)
    assert tried > 10_000 and planned > 500

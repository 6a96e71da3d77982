"""The gold set is well formed: every span's text is what its offsets cut out, spans are typed, ordered and
never overlap, and the set is as large and as varied as the issue asks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent.parent / "data" / "entities"
DOCS = sorted([*GOLD.glob("heldout/*.json"), *GOLD.glob("dev/*.json")])


def _load(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", DOCS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_spans_match_their_text(path: Path) -> None:
    doc = _load(path)
    text = str(doc["text"])
    previous_end = 0
    spans = doc["entities"]
    assert isinstance(spans, list) and spans, "an annotated document has entities"
    for span in spans:
        start, end = span["start"], span["end"]
        assert span["type"] in ("PERSON", "ORG", "LOC", "DATE")
        assert 0 <= start < end <= len(text)
        assert text[start:end] == span["text"]
        assert text[start:end] == text[start:end].strip(), "spans do not start or end with spaces"
        assert start >= previous_end, "spans are sorted and do not overlap"
        previous_end = end
    assert doc["split"] == path.parent.name


def test_size_and_sources() -> None:
    docs = [_load(p) for p in DOCS]
    arabic = [d for d in docs if d["language"] == "ar"]
    english = [d for d in docs if d["language"] == "en"]
    assert len(arabic) >= 30
    assert len(english) >= 10
    ant_sources = {d["source"] for d in arabic if "ANT corpus" in str(d["origin"])}
    assert len(ant_sources) >= 3
    for split in ("heldout", "dev"):
        assert sum(1 for d in arabic if d["split"] == split) >= 15
        assert sum(1 for d in english if d["split"] == split) >= 5
    assert len({d["id"] for d in docs}) == len(docs)


def test_documented() -> None:
    readme = (GOLD / "README.md").read_text(encoding="utf-8")
    assert "Chouigui" in readme and "AICCSA 2017" in readme
    assert (GOLD / "GUIDELINES.md").read_text(encoding="utf-8").count("##") >= 5

"""The extractor's whole output on the gold set, pinned to a checksum.

Speed work on the rules must not change what they find. The per-type scores only notice a changed span when
it crosses a gold boundary; this test notices any change at all: a type, a key, a display name, a surface
form or an offset, on every gold document (dev and held-out, Arabic and English), read both with its
language hint and without one. It pins behaviour, not correctness: when a change to the rules is meant to
change the output, check the bench's scores and then update ``EXPECTED`` to the digest the failure prints.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reader.entities import extract
from reader.model import Entity

GOLD = Path(__file__).resolve().parent.parent / "data" / "entities"
DOCS = sorted([*GOLD.glob("heldout/*.json"), *GOLD.glob("dev/*.json")])

EXPECTED = "d1738cbf591da9e716ef0a6e41b821a9086d02f450289ce1790b09cc8f49c83e"


def _canonical(entities: list[Entity]) -> list[object]:
    return [
        [e.type.value, e.key, e.name, [[m.span.start, m.span.end, m.span.kind, m.text] for m in e.mentions]]
        for e in entities
    ]


def output_digest() -> str:
    """SHA-256 of the extractor's output on every gold document, with and without its language hint."""
    digest = hashlib.sha256()
    for path in DOCS:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = str(doc["text"])
        for hint in (str(doc["language"]), None):
            record = [path.parent.name, path.stem, hint, _canonical(extract(text, language=hint))]
            digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()


def test_output_on_gold_set_is_unchanged() -> None:
    assert len(DOCS) >= 40
    assert output_digest() == EXPECTED

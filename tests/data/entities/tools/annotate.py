"""Turn a hand-written annotation list (ann/<id>.ann) into the spans of a gold document, and print the
document with its spans marked so the annotator can read every one.

An .ann file lists what the annotator found while reading the article, one line each:

    TYPE<TAB>surface          every occurrence of the surface (Arabic: after any proclitics)
    TYPE<TAB>surface@2        only the 2nd occurrence (1-based, counting raw matches in text order)
    !surface@3                not the 3rd occurrence (e.g. the word used in another sense)
    # comment

Longer surfaces win over shorter ones where they overlap. The gold is the annotator's judgement: this
script only finds offsets, and the rendering it prints is what gets checked against the text.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
TYPES = {"PERSON", "ORG", "LOC", "DATE"}
_W = r"[^\W_]"  # a letter or digit (Arabic included); tatweel is a letter too (Lm)


def matches(text: str, surface: str, arabic: bool) -> list[tuple[int, int]]:
    """Raw occurrences of ``surface`` as a whole word, after optional proclitics in Arabic."""
    found: list[tuple[int, int]] = []
    body = re.escape(surface)
    if arabic:
        patterns = [rf"(?<!{_W})(?:[وف]?[بلك]?ـ?)({body})(?!{_W})"]
        if surface.startswith("ال") and len(surface) > 3:
            patterns.append(rf"(?<!{_W})[وف]?ل({re.escape('ل' + surface[2:])})(?!{_W})")
    else:
        patterns = [rf"(?<![\w])({body})(?![\w])"]
    for pattern in patterns:
        for m in re.finditer(pattern, text):
            found.append((m.start(1), m.end(1)))
    return sorted(set(found))


def annotate(doc: dict[str, object], lines: list[str]) -> tuple[list[dict[str, object]], list[str]]:
    text = str(doc["text"])
    arabic = doc["language"] == "ar"
    wanted: list[tuple[str, str, int | None]] = []
    excluded: dict[str, set[int]] = {}
    problems: list[str] = []
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("!"):
            surface, _, n = line[1:].rpartition("@")
            excluded.setdefault(surface, set()).add(int(n))
            continue
        kind, _, surface = line.partition("\t")
        if kind not in TYPES:
            problems.append(f"bad type in {line!r}")
            continue
        nth: int | None = None
        head, sep, tail = surface.rpartition("@")
        if sep and tail.isdigit():
            surface, nth = head, int(tail)
        wanted.append((kind, surface, nth))
    taken = [False] * len(text)
    spans: list[dict[str, object]] = []
    order = sorted(range(len(wanted)), key=lambda i: (-len(wanted[i][1]), i))
    for index in order:
        kind, surface, nth = wanted[index]
        found = matches(text, surface, arabic)
        if not found:
            problems.append(f"not found: {kind} {surface}")
            continue
        used = 0
        for number, (start, end) in enumerate(found, 1):
            if nth is not None and number != nth:
                continue
            if number in excluded.get(surface, set()):
                continue
            if any(taken[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            spans.append({"start": start, "end": end, "type": kind, "text": text[start:end]})
            used += 1
        if not used:
            problems.append(f"no free occurrence: {kind} {surface}")
    spans.sort(key=lambda s: (int(str(s["start"])), int(str(s["end"]))))
    return spans, problems


def render(text: str, spans: list[dict[str, object]]) -> str:
    out: list[str] = []
    pos = 0
    for span in spans:
        start, end = int(str(span["start"])), int(str(span["end"]))
        out.append(text[pos:start])
        out.append(f"⟦{text[start:end]}|{span['type']}⟧")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def main(argv: list[str]) -> int:
    status = 0
    for name in argv:
        ann = HERE / "ann" / f"{name}.ann"
        path = next(
            p for p in (HERE / "heldout" / f"{name}.json", HERE / "dev" / f"{name}.json") if p.exists()
        )
        doc = json.loads(path.read_text(encoding="utf-8"))
        spans, problems = annotate(doc, ann.read_text(encoding="utf-8").splitlines())
        doc["entities"] = spans
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"== {name}: {len(spans)} spans")
        print(render(str(doc["text"]), spans))
        for problem in problems:
            print("!!", problem)
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

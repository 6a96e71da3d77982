"""Build the texts of the entity gold set (run once; the texts are then committed and annotated by hand).

Arabic: 32 articles of the ANT corpus copy in /work/shared/data/news/ar (title, a newline, then the <TEXT>
lines), cut after the last whole line that keeps the text within about 1,600 characters (a single over-long
line is cut at its last full stop before that when whole lines would give less than 600 characters).
English: 10 digests of 5 consecutive English rows of
/work/shared/data/news/he/articles_final.csv (headline and snippet, one line each), plus the two wire-style
reports written for this set (written/*.txt). The split is stratified by source with a fixed seed.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
NEWS = Path("/work/shared/data/news")
LIMIT = 1600

ARABIC = {
    "AL": [
        "internationalNews-1117-20180511",
        "internationalNews-1206-20180517",
        "internationalNews-1325-20180525",
        "internationalNews-1474-20180604",
        "internationalNews-1533-20180609",
        "internationalNews-1830-20180708",
        "internationalNews-449-20180312",
    ],
    "BB": [
        "internationalNews-1-20180218",
        "middleEast-1062-20181005",
        "middleEast-1079-20181009",
        "middleEast-125-20180302",
        "middleEast-174-20180311",
        "middleEast-190-20180314",
        "middleEast-271-20180331",
    ],
    "CN": [
        "middleEast-1022-20180525",
        "middleEast-1169-20180810",
        "middleEast-1217-20180815",
        "middleEast-1241-20180817",
        "middleEast-1314-20180908",
        "middleEast-1363-20180912",
    ],
    "FR": [
        "middleEast-1-20180218",
        "middleEast-111-20180306",
        "middleEast-137-20180312",
        "middleEast-162-20180316",
        "middleEast-175-20180318",
        "middleEast-212-20180406",
    ],
    "SK": [
        "middleEast-1355-20180430",
        "middleEast-1414-20180503",
        "middleEast-1652-20180513",
        "middleEast-2127-20180603",
        "middleEast-2781-20180706",
        "middleEast-3434-20180817",
    ],
}
SOURCES = {
    "AL": "Al Arabiya",
    "BB": "BBC Arabic",
    "CN": "CNN Arabic",
    "FR": "France 24 Arabic",
    "SK": "Sky News Arabia",
}
ANT = (
    "ANT corpus v2.1 (antcorpus/antcorpus.multisource.data; A. Chouigui, O. Ben Khiroun, B. Elayeb, "
    "AICCSA 2017); citation licence"
)
JPOST = "taljacob28/hebrew-news-sentiment articles_final.csv (MIT); Jerusalem Post headlines and snippets"


def cut(text: str) -> tuple[str, bool]:
    if len(text) <= LIMIT:
        return text, False
    lines = text.split("\n")
    kept: list[str] = []
    for line in lines:
        if sum(len(k) + 1 for k in kept) + len(line) > LIMIT:
            break
        kept.append(line)
    used = sum(len(k) + 1 for k in kept)
    if used < 600:  # whole lines give too little: cut the next line at its last full stop that fits
        body = lines[len(kept)]
        room = LIMIT - used
        stop = body.rfind(".", 0, room)
        kept.append(body[: stop + 1] if stop > 0 else body[:room])
    return "\n".join(kept), True


def arabic_doc(path: Path) -> tuple[str, bool]:
    raw = path.read_text(encoding="utf-8")
    title = re.search(r"<TITLE>(.*?)</TITLE>", raw, re.S)
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    assert title and body
    lines = [" ".join(line.split()) for line in body.group(1).strip().split("\n")]
    text = "\n".join([" ".join(title.group(1).split()), *[ln for ln in lines if ln]])
    return cut(text)


def english_rows() -> list[dict[str, str]]:
    with open(NEWS / "he" / "articles_final.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["language"] == "English"]
    seen: set[str] = set()
    unique = []
    for row in sorted(rows, key=lambda r: int(r["id"])):
        if row["snippet"] in seen:
            continue
        seen.add(row["snippet"])
        unique.append(row)
    return unique


def main() -> int:
    rng = random.Random(20240606)
    docs: list[dict[str, object]] = []
    for code, items in ARABIC.items():
        order = list(items)
        rng.shuffle(order)
        half = len(order) // 2 + (1 if code in ("AL", "FR") else 0)
        for index, item in enumerate(order):
            name = NEWS / "ar" / f"{code}-{item}.txt"
            text, truncated = arabic_doc(name)
            docs.append(
                {
                    "id": name.stem,
                    "split": "heldout" if index < half else "dev",
                    "language": "ar",
                    "source": SOURCES[code],
                    "origin": f"{ANT}: {name.name}",
                    "truncated": truncated,
                    "text": text,
                }
            )
    rows = english_rows()
    groups = [rows[i : i + 5] for i in range(0, len(rows) - 4, 5)]
    step = len(groups) / 10
    chosen = [groups[int(i * step)] for i in range(10)]
    for index, group in enumerate(chosen):
        text = "\n".join(
            line for r in group for line in (r["headline"].strip(), " ".join(r["snippet"].split()))
        )
        ids = ",".join(r["id"] for r in group)
        docs.append(
            {
                "id": f"jpost-{group[0]['id']}",
                "split": "heldout" if index % 2 == 0 else "dev",
                "language": "en",
                "source": "The Jerusalem Post",
                "origin": f"{JPOST}: rows {ids}",
                "truncated": False,
                "text": text,
            }
        )
    for path in sorted((HERE / "tools" / "written").glob("*.txt")):
        split = "heldout" if "heldout" in path.stem else "dev"
        docs.append(
            {
                "id": path.stem,
                "split": split,
                "language": "en",
                "source": "written for Khabar on the pattern of wire reports",
                "origin": "written for this gold set (MIT, as Khabar)",
                "truncated": False,
                "text": path.read_text(encoding="utf-8").strip(),
            }
        )
    seed = Path("/work/shared/seed/zagros-arabic-erbil-2021-05-22.txt")
    docs.append(
        {
            "id": seed.stem,
            "split": "dev",
            "language": "ar",
            "source": "Zagros Arabic (seed article)",
            "origin": "Khabar's bundled seed article",
            "truncated": False,
            "text": seed.read_text(encoding="utf-8").strip(),
        }
    )
    for doc in docs:
        out = HERE / str(doc["split"]) / f"{doc['id']}.json"
        out.parent.mkdir(exist_ok=True)
        if out.exists() and "--force" not in sys.argv:
            continue
        doc["entities"] = []
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

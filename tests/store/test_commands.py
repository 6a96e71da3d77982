"""The archive's commands end to end: list, show, search, mark, export, vacuum, through ``cli.main``.

Each test has its own ``--home``; one subprocess test checks exit codes and one-line errors as a user sees
them."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.cli import main
from reader.model import Block, BlockKind, Entity, EntityType, Link
from reader.store import Store
from reader.store import export as ex
from tests.conftest import khabar_cmd, subprocess_env

from .helpers import article, feed


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A Khabar home with two feeds and five articles, two of them Arabic."""
    root = tmp_path / "home"
    with Store.open(root / "khabar.db") as store:
        ar = store.add_feed(feed("https://ar.example/feed", "الجزيرة نت", tags=("arabic",)))
        en = store.add_feed(feed("https://en.example/feed", "World News", tags=("english",)))
        assert ar.id is not None and en.id is not None
        ar_ids = store.write_feed_entries(ar.id, [
            article("1", "افتتاح مدرسة جديدة في أربيل", "افتتحت وزارة التربية مدرسة جديدة في أربيل.",
                    feed_url=ar.url, day=1),
            replace(article("2", "الإمارات العربية المتحدة تستضيف القمة",
                            ["زار الوفد الإمارات.", "فقرة ثانية"], feed_url=ar.url, day=2,
                            url="https://ar.example/2"),
                    links=(Link(1, "https://ar.example/src", "المصدر"),)),
        ]).new
        store.write_feed_entries(en.id, [
            article("a", "Kirkuk oil exports resume", "Oil exports from Kirkuk resumed on Monday.",
                    feed_url=en.url, day=3),
            replace(article("b", "Café culture", "", feed_url=en.url, day=4),
                    blocks=(Block(BlockKind.HEADING, "A heading", 2),
                            Block(BlockKind.LIST_ITEM, "first item"), Block(BlockKind.QUOTE, "a quote"),
                            Block(BlockKind.PARAGRAPH, "zurich cafés"))),
            article("c", "Old read story", "ancient history", feed_url=en.url, day=-400),
        ])
        store.set_entities(ar_ids[0], [Entity(EntityType.LOC, "اربيل", "أربيل")])
        old = [a.id for a in store.list_articles() if a.title == "Old read story"]
        store.set_state(old, read=True)
    return root


def run(home: Path, *args: str) -> int:
    return main(["--home", str(home), *args])


def ids_of(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def test_list(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "list") == 0
    out = capsys.readouterr().out
    assert len(ids_of(out)) == 5
    assert run(home, "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in rows][:2] == ["Café culture", "Kirkuk oil exports resume"]
    assert set(rows[0]) >= {"id", "feed", "title", "published", "read", "starred", "saved"}
    assert [r["id"] for r in rows] == ids_of(out)
    for args, expected in [(("--unread",), 4), (("--feed", "World News"), 3), (("--tag", "arabic"), 2),
                           (("--search", "اربيل"), 1), (("--entity", "أربيل"), 1), (("--limit", "2"), 2),
                           (("--starred",), 0), (("--saved",), 0)]:
        assert run(home, "list", "--json", *args) == 0
        assert len(json.loads(capsys.readouterr().out)) == expected, args


def test_list_columns_stay_aligned_with_rtl_titles(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for mode in ("app", "terminal", "off"):
        assert run(home, "--bidi", mode, "list") == 0
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 5
        feed_start = 12 + 2 + 16 + 2 + 3 + 2
        for line in lines:
            visible = line.replace("\u200e", "")
            assert cell_len(visible) <= 100
            assert visible[12:14] == "  " and visible[30:32] == "  "
            assert visible[feed_start + 18:feed_start + 20] == "  ", (mode, visible)
        arabic = [line for line in lines if any("\u0600" <= c <= "\u06ff" or "\ufe70" <= c <= "\ufeff"
                                                for c in line)]
        assert len(arabic) == 2
        if mode == "app":  # shaped presentation forms, not logical letters
            assert any("\ufe70" <= c <= "\ufeff" for c in arabic[0])
        if mode == "off":
            assert "الجزيرة نت" in "".join(lines)


def test_show(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "list", "--json", "--search", "الامارات") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert run(home, "--bidi", "off", "show", row["id"], "--width", "40") == 0
    out = capsys.readouterr().out
    assert "الإمارات العربية المتحدة" in out and "https://ar.example/2" in out
    assert "[1] https://ar.example/src (المصدر)" in out
    assert all(cell_len(line) <= 40 for line in out.splitlines())
    assert run(home, "show", row["id"], "--width", "30") == 0
    assert all(cell_len(line) <= 30 for line in capsys.readouterr().out.splitlines())
    assert run(home, "list", "--json", "--search", "cafe") == 0
    [row] = json.loads(capsys.readouterr().out)
    assert run(home, "show", row["id"], "--width", "60") == 0
    out = capsys.readouterr().out
    assert "• first item" in out and "│ a quote" in out and "A heading" in out


def test_search(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "search", "--json", "كركوك OR kirkuk") == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["title"] for h in hits] == ["Kirkuk oil exports resume"]
    hit = hits[0]
    assert [hit["snippet"][s:e] for s, e in hit["highlights"]] == ["Kirkuk"]
    assert run(home, "search", "مدرسه") == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 2  # the article line and its snippet
    assert run(home, "search", "nothing-matches-this") == 0


def test_mark(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "list", "--json", "--unread") == 0
    ids = [r["id"] for r in json.loads(capsys.readouterr().out)]
    assert run(home, "mark", ids[0], ids[1], "--read") == 0
    assert "marked 2 articles read" in capsys.readouterr().out
    assert run(home, "mark", ids[2], "--star") == 0
    assert run(home, "mark", ids[3], "--save") == 0
    capsys.readouterr()
    assert run(home, "list", "--json", "--unread") == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert run(home, "list", "--json", "--starred") == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [ids[2]]
    assert run(home, "mark", ids[3], "nosucharticle", "--unsave") == 1
    captured = capsys.readouterr()
    assert "nosucharticle" in captured.err
    assert run(home, "mark", "nosucharticle", "--read") == 2


def test_export_and_vacuum(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out" / "archive.json"
    assert run(home, "export", "-o", str(target)) == 0
    loaded = ex.load(target.read_text(encoding="utf-8"))
    assert len(loaded.articles) == 5 and {f.title for f in loaded.feeds} == {"الجزيرة نت", "World News"}
    assert run(home, "export", "--format", "opml") == 0
    assert "xmlUrl=\"https://ar.example/feed\"" in capsys.readouterr().out
    assert run(home, "export", "--format", "md") == 0
    assert "## Kirkuk oil exports resume" in capsys.readouterr().out
    assert run(home, "vacuum", "--keep-days", "30") == 0
    assert "purged 1 article" in capsys.readouterr().out
    assert run(home, "list", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 4


def test_errors_are_one_line_with_exit_codes(home: Path) -> None:
    env = subprocess_env(home)
    cases = [(("show", "000000000000"), 2, "no article"),
             (("search", "NOT x"), 2, "NOT needs a word"),
             (("list", "--feed", "nope"), 2, "no feed"),
             (("list", "--limit", "-1"), 2, "--limit"),
             (("mark", "000000000000", "--read"), 2, "no article '000000000000'")]
    for args, code, text in cases:
        done = subprocess.run(khabar_cmd(*args), env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == code, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and text in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run(khabar_cmd("list"), env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 5


def test_empty_archive_is_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "fresh" / "home"
    assert run(home, "list") == 0
    assert capsys.readouterr().out == ""
    assert (home / "khabar.db").exists()


def test_corrupt_archive_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "khabar.db").write_bytes(b"garbage" * 1000)
    assert run(home, "list") == 1
    assert "damaged or not a Khabar archive" in capsys.readouterr().err


def test_dates_are_printed(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(home, "list", "--json", "--limit", "1") == 0
    [row] = json.loads(capsys.readouterr().out)
    published = datetime.fromisoformat(row["published"])
    assert published.tzinfo is not None
    assert published - datetime(2024, 5, 1, 12, tzinfo=UTC) == timedelta(days=4)


def test_list_on_an_empty_archive_says_where_articles_come_from(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(tmp_path / "new"), "list"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "the archive is empty" in err and "khabar refresh" in err
    assert main(["--home", str(tmp_path / "subscribed"), "add", "https://example.org/feed"]) == 0
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "subscribed"), "list"]) == 0
    assert "no articles yet: 'khabar refresh' fetches your 1 feed" in capsys.readouterr().err
    # Only an empty archive: a filter that matches nothing in a full one says nothing of the kind.
    seed = Path(__file__).resolve().parents[2] / "sample_feeds" / "zagros-arabic-erbil-2021-05-22.txt"
    assert main(["--home", str(tmp_path / "new"), "import", "--no-entities", str(seed)]) == 0
    capsys.readouterr()
    assert main(["--home", str(tmp_path / "new"), "list", "--starred"]) == 0
    assert "empty" not in capsys.readouterr().err

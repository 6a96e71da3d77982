"""What reaches a terminal from the hostile archive: ``khabar list``, ``list --json``, ``show``, ``feeds``
and ``render`` print no escape, no C0 or C1 control and no bidi control, and keep to their width.

The commands run as subprocesses for the listing, a sample of articles and ``render`` of every raw corpus
file; every article is also shown in-process through ``reader.cli.main`` (the same code, without paying
for a Python start per article).
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.cli import main
from reader.store import ArticleQuery
from tests.hostile.conftest import Built, run_khabar
from tests.hostile.corpus import FEEDS, MARKUP, PAGES, PWNED, unsafe

WIDTH = 60


def assert_clean_lines(output: str, width: int | None = None) -> None:
    for line in output.split("\n"):
        assert not unsafe(line), (unsafe(line), line[:200])
        assert not PWNED.search(line), line
        if width is not None:
            assert cell_len(line) <= width, (cell_len(line), line)


def in_process(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def ids(built: Built) -> list[str]:
    with built.store() as store:
        return [a.id for a in store.list_articles(ArticleQuery(limit=100_000))]


def test_list_is_clean(built: Built, ids: list[str]) -> None:
    listing = run_khabar(built.home, "--bidi", "app", "list", "--limit", "1000")
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert len(lines) == len(ids)
    assert_clean_lines(listing.stdout)
    # Markup is printed as the text it is.
    for text in MARKUP.values():
        assert any(text[:20] in line for line in lines), text


def test_list_json_is_clean_and_complete(built: Built, ids: list[str]) -> None:
    listing = run_khabar(built.home, "list", "--json", "--limit", "1000")
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    assert sorted(row["id"] for row in rows) == sorted(ids)
    for row in rows:
        for value in row.values():
            if isinstance(value, str):
                assert not unsafe(value.replace("\u202a", "").replace("\u202b", "").replace("\u202c", "")
                                  .replace("\u202d", "").replace("\u202e", "").replace("\u2066", "")
                                  .replace("\u2067", "").replace("\u2068", "").replace("\u2069", "")), value


@pytest.mark.parametrize("mode", ["app", "terminal"])
def test_show_every_article_is_clean_and_fits(built: Built, ids: list[str], mode: str) -> None:
    for article_id in ids:
        code, out, err = in_process("--home", str(built.home), "--bidi", mode, "show", article_id,
                                    "--width", str(WIDTH))
        assert code == 0, err
        assert out.strip(), article_id
        assert_clean_lines(out, WIDTH)


def test_show_in_a_subprocess(built: Built) -> None:
    with built.store() as store:
        chosen = [a.id for a in store.list_articles(ArticleQuery(limit=1000))
                  if a.title.startswith(("raw osc", "charref dcs", "\u202e", "[@click"))
                  or "PWNED" in a.title]
    assert len(chosen) >= 4
    for article_id in chosen[:6]:
        shown = run_khabar(built.home, "--bidi", "app", "show", article_id, "--width", str(WIDTH))
        assert shown.returncode == 0, shown.stderr
        assert_clean_lines(shown.stdout, WIDTH)
        assert_clean_lines(shown.stderr)


def test_feeds_listing_is_clean(built: Built) -> None:
    for args in (("feeds",), ("feeds", "--json")):
        listing = run_khabar(built.home, *args)
        assert listing.returncode == 0, listing.stderr
        assert_clean_lines(listing.stdout.replace("\u202e", "").replace("\u202c", ""))
    plain = run_khabar(built.home, "feeds").stdout
    assert "last error: not a readable feed" in plain


def test_refresh_and_import_messages_are_clean(built: Built) -> None:
    for run in (built.subscribe, built.refresh, built.pages):
        assert_clean_lines(run.stdout)
        assert_clean_lines(run.stderr)


@pytest.mark.parametrize("mode", ["app", "terminal"])
def test_render_of_raw_corpus_files(tmp_path: Path, mode: str) -> None:
    """``khabar render`` is the pipe users push arbitrary text through: every raw file of the corpus, bytes
    and all (invalid UTF-8, NULs, UTF-16), once as a file and once through standard input, comes out clean
    and in width. (Raw XML still holds its character references as text, so only controls are checked.)"""
    raw = b"\n".join(p.read_bytes() for p in sorted([*FEEDS.iterdir(), *PAGES.iterdir()]))
    source = tmp_path / "corpus.bin"
    source.write_bytes(raw)
    as_file = run_khabar(tmp_path, "--bidi", mode, "render", "--width", "40", str(source))
    assert as_file.returncode == 0, as_file.stderr
    assert len(as_file.stdout.splitlines()) > 500
    for line in as_file.stdout.split("\n"):
        assert not unsafe(line) and cell_len(line) <= 40, line
    piped = run_khabar(tmp_path, "--bidi", mode, "render", "--width", "40",
                       stdin=raw.decode("utf-8", "replace"))
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == as_file.stdout

"""What the archive's commands print, as a user's shell sees it: in a pipe (``khabar list | grep``) the text
is logical and greppable, on a terminal (a real pty) it is laid out by the RTL engine; ``--limit`` notices;
counted nouns; ``--entity`` with the names a reader types.

Every test runs ``python -m reader`` in a subprocess against a real archive, with standard output a pipe
or the slave end of a pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from reader.entities import extract
from reader.model import Block, BlockKind
from reader.store import Store
from tests.conftest import khabar_cmd, subprocess_env

from .helpers import article, feed

TITLE = "القوات العراقية تدخل الموصل"
BODY = "سيطرت القوات على الموصل بعد معارك، وزار وفد من إقليم كوردستان مدينة أربيل."
FEED_TITLE = "أخبار العراق"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
"""Arabic presentation forms: what ``app`` mode's shaping writes, and what nobody can grep."""
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with one Arabic article (entities from the real extractor) and four English ones."""
    root = tmp_path_factory.mktemp("output") / "home"
    with Store.open(root / "khabar.db") as store:
        ar = store.add_feed(feed("https://iq.example/feed", FEED_TITLE, tags=("عربي", "iraq")))
        en = store.add_feed(feed("https://en.example/feed", "World News"))
        assert ar.id is not None and en.id is not None
        [aid] = store.write_feed_entries(ar.id, [
            replace(article("m", TITLE, feed_url=ar.url, day=5),
                    blocks=(Block(BlockKind.PARAGRAPH, BODY),))]).new
        store.set_entities(aid, extract(BODY, language="ar"))
        store.write_feed_entries(en.id, [article(str(i), f"Story {i}", "Plain text.", feed_url=en.url, day=i)
                                         for i in range(4)])
    return root


def _pipe(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(khabar_cmd(*args), env=subprocess_env(home, COLUMNS="100", **env),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done


def _tty(home: Path, *args: str) -> str:
    """Standard output of the command when it is a terminal (a pty), with the pty's CR LF undone."""
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen(khabar_cmd(*args), env=subprocess_env(home, COLUMNS="100"), stdout=slave,
                                 stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _logical(text: str) -> None:
    """Text a pipe should get: no shaping, no controls, no escape sequences, no bidi marks."""
    assert not PRESENTATION_FORMS.search(text), text
    assert not CONTROLS.search(text.replace("\n", "")), ascii(text)


@pytest.mark.parametrize("args", [("list",), ("list", "--entity", "الموصل"), ("search", "الموصل"),
                                  ("feeds",)])
def test_pipe_gets_logical_text(home: Path, args: tuple[str, ...]) -> None:
    out = _pipe(home, *args).stdout
    _logical(out)
    wanted = FEED_TITLE if args[0] == "feeds" else TITLE
    assert wanted in out  # grep finds it as typed


def test_show_into_a_file_is_greppable(home: Path) -> None:
    [line] = [x for x in _pipe(home, "list").stdout.splitlines() if TITLE in x]
    out = _pipe(home, "show", line.split()[0]).stdout
    _logical(out)
    assert TITLE in out and "إقليم كوردستان" in out


def test_entities_of_an_article_into_a_pipe(home: Path) -> None:
    [line] = [x for x in _pipe(home, "list").stdout.splitlines() if TITLE in x]
    out = _pipe(home, "entities", line.split()[0]).stdout
    _logical(out)
    assert "الموصل" in out and "أربيل" in out


def test_terminal_gets_the_laid_out_text(home: Path) -> None:
    """On a terminal ``auto`` still means the app's own layout (TERM=dumb is no BiDi terminal): shaped
    letters in visual order, inside the BDSM explicit-mode switch."""
    listed = _tty(home, "list")
    assert "\x1b[8l" in listed and "\x1b[8h" in listed
    assert PRESENTATION_FORMS.search(listed)
    assert TITLE not in listed
    [line] = [x for x in _pipe(home, "list").stdout.splitlines() if TITLE in x]
    shown = _tty(home, "show", line.split()[0])
    assert PRESENTATION_FORMS.search(shown) and "\x1b[8l" in shown
    assert BODY not in shown


def test_explicit_mode_is_obeyed_in_a_pipe(home: Path) -> None:
    out = _pipe(home, "--bidi", "app", "list").stdout
    assert PRESENTATION_FORMS.search(out)
    assert "\x1b" not in out  # the switch is for terminals only
    assert TITLE in _pipe(home, "--bidi", "terminal", "list").stdout


def test_limit_notice_and_limit_zero(home: Path) -> None:
    done = _pipe(home, "list", "--limit", "2")
    assert len(done.stdout.splitlines()) == 2
    assert "showing 2 of 5 articles; use --limit N or --limit 0 for all" in done.stderr
    everything = _pipe(home, "list", "--limit", "0")
    assert len(everything.stdout.splitlines()) == 5 and everything.stderr == ""
    assert _pipe(home, "list", "--limit", "5").stderr == ""
    one = _pipe(home, "list", "--feed", FEED_TITLE, "--limit", "1")
    assert one.stderr == "" and len(one.stdout.splitlines()) == 1


def test_entity_filter_with_typed_names(home: Path) -> None:
    """``khabar list --entity الموصل`` found nothing: the extractor keys it موصل."""
    for typed in ["الموصل", "موصل", "بالموصل", "كوردستان", "كردستان", "أربيل"]:
        lines = _pipe(home, "list", "--entity", typed).stdout.splitlines()
        assert len(lines) == 1 and TITLE in lines[0], typed
    done = _pipe(home, "list", "--entity", "بغداد")
    assert done.stdout == ""


def test_counts_are_grammatical(home: Path, tmp_path: Path) -> None:
    target = tmp_path / "one.opml"
    with Store.open(tmp_path / "single" / "khabar.db") as store:
        store.add_feed(feed())
    single = tmp_path / "single"
    done = _pipe(single, "export", "--format", "opml", "-o", str(target))
    assert "exported 1 feed to" in done.stderr
    done = _pipe(home, "export", "--format", "opml", "-o", str(target))
    assert "exported 2 feeds to" in done.stderr


def test_feed_tags_keep_their_order_in_app_mode(home: Path) -> None:
    """Each tag laid out on its own: "عربي, iraq" as one right-to-left line showed "iraq" first."""
    out = _pipe(home, "--bidi", "app", "feeds").stdout
    assert re.search(r"\[[\ufb50-\ufdff\ufe70-\ufeff]{4}, iraq\]", out), out
    assert "[عربي, iraq]" in _pipe(home, "feeds").stdout

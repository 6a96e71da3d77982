"""``khabar render`` end to end: a real subprocess, and a real pseudo-terminal for the BDSM switch."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.rtl.cells import text_width
from reader.rtl.layout import layout_paragraph
from tests.conftest import khabar_cmd, subprocess_env

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "sample_feeds" / "zagros-arabic-erbil-2021-05-22.txt"
EXPLICIT, IMPLICIT = b"\x1b[8l", b"\x1b[8h"


def render(*args: str, stdin: bytes | None = None, home: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(khabar_cmd("render", *args), input=stdin, capture_output=True,
                          env=subprocess_env(home), check=False)


def test_renders_the_seed_article_padded_to_the_width(tmp_path: Path) -> None:
    result = render("--width", "40", "--bidi", "app", str(SEED), home=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out  # a pipe gets no escape sequences
    lines = out.split("\n")[:-1]
    expected = [line.padded for paragraph in SEED.read_text(encoding="utf-8").split("\n")
                for line in layout_paragraph(paragraph, 40).lines]
    assert lines == expected
    assert all(text_width(line) == 40 for line in lines if line)  # RTL lines fill exactly N cells


def test_nopad_ltr_stdin_and_blank_lines(tmp_path: Path) -> None:
    text = "Hello world\n\nمرحبا بالعالم\n".encode()
    result = render("--width", "20", "--bidi", "app", "--nopad", "-", stdin=text, home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == "Hello world\n\nﻢﻟﺎﻌﻟﺎﺑ ﺎﺒﺣﺮﻣ\n"
    padded = render("--width", "20", "--bidi", "app", stdin=text, home=tmp_path)
    assert padded.stdout.decode() == "Hello world\n\n" + " " * 7 + "ﻢﻟﺎﻌﻟﺎﺑ ﺎﺒﺣﺮﻣ\n"


def test_terminal_and_off_modes_print_logical_text(tmp_path: Path) -> None:
    text = "\u202eمرحبا\u202c (عالم)\n".encode()
    for mode in ("terminal", "off"):
        result = render("--width", "30", "--bidi", mode, stdin=text, home=tmp_path)
        assert result.stdout.decode() == "مرحبا (عالم)\n"


def test_base_direction_and_strip_harakat(tmp_path: Path) -> None:
    result = render("--width", "20", "--bidi", "app", "--nopad", "--base", "rtl", "--strip-harakat",
                    stdin="Hello عَالَم\n".encode(), home=tmp_path)
    assert result.stdout.decode() == "ﻢﻟﺎﻋ Hello\n"


def test_hostile_input_is_sanitised(tmp_path: Path) -> None:
    raw = b"title\x1b]0;pwned\x07 \x1b[2Jred\x00 \xff\xfe bad utf8\r\nnext\n"
    result = render("--width", "40", "--bidi", "app", stdin=raw, home=tmp_path)
    assert result.returncode == 0
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out and "pwned" not in out and "\x00" not in out
    assert out == "title red \ufffd\ufffd bad utf8\nnext\n"


@pytest.mark.parametrize(
    "args", [["/nonexistent/file"], ["--width", "0"], ["--width", "abc"], ["--base", "up"]]
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    result = render(*args, stdin=b"", home=tmp_path)
    assert result.returncode == 2
    assert b"khabar" in result.stderr and b"Traceback" not in result.stderr


def test_render_does_not_import_textual(tmp_path: Path) -> None:
    code = ("import sys\nfrom reader.cli import main\n"
            f"rc = main(['render', '--width', '20', '--bidi', 'app', {str(SEED)!r}])\n"
            "print('TEXTUAL' if any(m.startswith('textual') for m in sys.modules) else 'OK')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=subprocess_env(tmp_path),
                            check=False)
    assert result.stdout.decode().rstrip().endswith("OK")


# -- a real terminal: the explicit-mode switch ------------------------------------------------------------

def _as_a_job() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Pty:
    """khabar render with its standard output (and input) on a pseudo-terminal we read."""

    def __init__(self, *args: str, home: Path, stdin_file: Path | None = None) -> None:
        self.master, slave = pty.openpty()
        stdin = open(stdin_file, "rb") if stdin_file else slave  # noqa: SIM115
        # As a shell starts a job in a terminal, whatever started the tests: a process group of its own
        # whose parent (this process) is in the same session (the kernel discards SIGTSTP sent to an
        # orphaned group, which the tests' own group may be under nohup), and SIGINT not ignored (a
        # non-interactive shell ignores it in background jobs, and Python then keeps it ignored).
        self.proc = subprocess.Popen(khabar_cmd("render", *args), stdin=stdin, stdout=slave,
                                     stderr=subprocess.PIPE, env=subprocess_env(home, TERM="xterm-256color"),
                                     process_group=0, preexec_fn=_as_a_job)
        os.close(slave)
        if stdin_file:
            stdin.close()  # type: ignore[union-attr]
        self.buffer = b""

    def read_until(self, marker: bytes, *, count: int = 1) -> bytes:
        """Read until ``marker`` has been seen ``count`` times (a hang guard of 60 s, not a timing check)."""
        while self.buffer.count(marker) < count:
            ready, _, _ = select.select([self.master], [], [], 60)
            assert ready, f"no {marker!r} after {self.buffer!r}"
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.buffer += chunk
        return self.buffer

    def finish(self) -> int:
        code = self.proc.wait(timeout=60)
        self.read_until(b"\x00never")  # drain what is left
        os.close(self.master)
        return code


def test_bdsm_sent_first_and_restored_last_on_a_terminal(tmp_path: Path) -> None:
    term = Pty("--width", "40", "--bidi", "app", str(SEED), home=tmp_path)
    code = term.finish()
    assert code == 0
    out = term.buffer
    assert out.startswith(EXPLICIT)
    assert out.endswith(IMPLICIT)
    assert out.count(EXPLICIT) == 1 and out.count(IMPLICIT) == 1
    body = out[len(EXPLICIT):-len(IMPLICIT)].decode("utf-8").replace("\r\n", "\n")
    first = layout_paragraph(SEED.read_text(encoding="utf-8").split("\n")[0], 40).lines[0]
    assert body.startswith(first.padded + "\n")


def test_no_switch_in_terminal_mode(tmp_path: Path) -> None:
    term = Pty("--width", "40", "--bidi", "terminal", str(SEED), home=tmp_path)
    assert term.finish() == 0
    assert EXPLICIT not in term.buffer and IMPLICIT not in term.buffer


def test_switch_restored_on_interrupt_and_around_suspend(tmp_path: Path) -> None:
    # Interactive: render reads the terminal itself, line by line.
    term = Pty("--width", "30", "--bidi", "app", home=tmp_path)
    term.read_until(EXPLICIT)
    os.write(term.master, "مرحبا\n".encode())
    term.read_until("ﺎﺒﺣﺮﻣ".encode())

    # Ctrl+Z: implicit mode comes back before the process stops, explicit again when it continues.
    term.proc.send_signal(signal.SIGTSTP)
    for _ in range(600):  # a hang guard of 60 s, not a timing check
        pid, status = os.waitpid(term.proc.pid, os.WUNTRACED | os.WNOHANG)
        if pid:
            break
        time.sleep(0.1)
    assert pid and os.WIFSTOPPED(status), "the process did not stop on SIGTSTP"
    assert term.read_until(IMPLICIT).endswith(IMPLICIT)
    term.proc.send_signal(signal.SIGCONT)
    term.read_until(EXPLICIT, count=2)

    # Ctrl+C: a clean exit that restores implicit mode last.
    term.proc.send_signal(signal.SIGINT)
    term.read_until(IMPLICIT, count=2)  # read before the pty closes: a closed pty may drop the tail
    code = term.finish()
    assert code == 130
    assert term.buffer.endswith(IMPLICIT)
    assert term.buffer.count(IMPLICIT) == 2


def test_switch_restored_on_sigterm(tmp_path: Path) -> None:
    term = Pty("--width", "30", "--bidi", "app", home=tmp_path)
    term.read_until(EXPLICIT)
    term.proc.send_signal(signal.SIGTERM)
    term.read_until(IMPLICIT)  # read while the process is still there: a closed pty may drop the tail
    assert term.finish() == 128 + signal.SIGTERM
    assert term.buffer.endswith(IMPLICIT)

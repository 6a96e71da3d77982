#!/usr/bin/env python3
"""The quick start's two commands, needing nothing but Python 3.11+:

    python3 dev.py run     # create .venv if needed, install Khabar into it, open it on the sample feeds
    python3 dev.py test    # create .venv if needed, install Khabar with its test tools, run the tests

Either works first on a fresh clone. The environment is (re)installed only when pyproject.toml changes.
``run`` keeps its archive in ``.khabar-home/`` inside the checkout, so trying Khabar never touches your own
archive; extra arguments are passed on (``python3 dev.py run --bidi terminal``,
``python3 dev.py test -k rtl``).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".khabar-install-stamp"


def _say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def ensure_env() -> None:
    """Create the virtual environment and install Khabar with its test extra, once per pyproject change."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py must explain itself on an older Python
        sys.exit(f"dev.py: Khabar needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not PYTHON.exists():
        _say(f"creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    _say("installing Khabar and its test tools into .venv (once)")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted + "\n")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_env()
    if command == "run":
        home = ROOT / ".khabar-home"
        args = [str(PYTHON), "-m", "reader", "--home", str(home), *rest]
    else:
        args = [str(PYTHON), "-m", "pytest", *rest]
    os.chdir(ROOT)
    if os.name == "nt":  # pragma: no cover - execv does not replace the process on Windows
        return subprocess.call(args)
    os.execv(args[0], args)
    return 0  # pragma: no cover


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Argument parsing and dispatch for the ``khabar`` command; nothing else.

With no subcommand ``khabar`` opens the TUI: that is the only path that imports Textual. Global options may
be given before or after the subcommand. Exit codes: 0 success, 1 partial failure, 2 usage error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from collections.abc import Sequence
from typing import Any

from reader import __version__
from reader.commands import COMMANDS, Context, module_name
from reader.config import BIDI_MODES, default_paths, load_settings
from reader.errors import KhabarError

DESCRIPTION = """\
Khabar (خبر) is a keyboard-driven terminal news reader that shows Arabic, Persian, Urdu, Hebrew and
Kurdish correctly in any terminal, keeps an offline archive and shows the entities in every article.
Run with no command to open the reader."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with code 2 and a one-line message."""

    def error(self, message: str) -> Any:  # pragma: no cover - argparse calls this and exits
        self.print_usage(sys.stderr)
        self.exit(2, f"khabar: error: {message}\n")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """Options accepted before or after the subcommand. After it, defaults are suppressed so a value given
    before the subcommand is not overwritten."""
    default: Any = argparse.SUPPRESS if suppress else None
    parser.add_argument("--home", metavar="DIR", default=default,
                        help="keep config, archive and state in DIR (also env KHABAR_HOME)")
    parser.add_argument("--config", metavar="FILE", default=default, help="read settings from FILE")
    parser.add_argument("--db", metavar="FILE", default=default, help="use FILE as the archive")
    parser.add_argument("--offline", action="store_true",
                        default=argparse.SUPPRESS if suppress else False,
                        help="never touch the network")
    parser.add_argument("--theme", metavar="NAME", default=default, help="colour theme for the TUI")
    parser.add_argument("--bidi", choices=BIDI_MODES, default=default,
                        help="how RTL text reaches the terminal (default: auto)")


def _available(command: str) -> bool:
    return importlib.util.find_spec(module_name(command)) is not None


def build_parser() -> argparse.ArgumentParser:
    """The full parser: global options and one subparser per available command."""
    parser = _Parser(prog="khabar", description=DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter,
                     epilog="Run 'khabar COMMAND --help' for a command's options. "
                            "Keys in the reader: press ? once it is open.")
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    _global_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        if not _available(command):
            continue
        module = importlib.import_module(module_name(command))
        child = sub.add_parser(command, help=module.HELP, description=module.HELP)
        module.add_arguments(child)
        _global_options(child, suppress=True)
    return parser


def make_context(args: argparse.Namespace) -> Context:
    """Resolve paths and settings from the global options."""
    paths = default_paths(args.home)
    if args.config:
        from pathlib import Path

        paths = type(paths)(Path(args.config), paths.db_file, paths.state_file, paths.themes_dir)
    if args.db:
        from pathlib import Path

        db = Path(args.db)
        paths = type(paths)(paths.config_file, db, db.with_name(db.stem + ".state.json"), paths.themes_dir)
    overrides = {"theme": args.theme, "bidi": args.bidi}
    settings, warnings = load_settings(paths.config_file, overrides=overrides, required=bool(args.config))
    ctx = Context(paths=paths, settings=settings, offline=bool(args.offline),
                  cli={k: v for k, v in overrides.items() if v is not None})
    for warning in warnings:
        ctx.warn(f"{paths.config_file}: {warning}")
    return ctx


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``khabar`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        ctx = make_context(args)
        if args.command is None:
            from reader.ui.run import run_tui

            return run_tui(ctx)
        module = importlib.import_module(module_name(args.command))
        return int(module.run(args, ctx))
    except KhabarError as exc:
        print(f"khabar: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("khabar: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into something that stopped reading (e.g. `khabar list | head`): not an error.
        sys.stderr.close()
        return 0

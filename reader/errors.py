"""One exception hierarchy for the whole of Khabar.

Library code raises these and never prints; the CLI and the TUI turn them into one clear line for the user.
Each carries a message that is safe to show (feed content quoted in it has been sanitised by the caller).
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base of every error Khabar reports to the user without a traceback."""

    exit_code: int = 1


class UsageError(KhabarError):
    """The command line asked for something impossible (exit code 2)."""

    exit_code = 2


class ConfigError(KhabarError):
    """The configuration file is unreadable or a value is invalid; names the key and the reason."""

    exit_code = 2


class FetchError(KhabarError):
    """A feed or page could not be fetched (network, HTTP status, size caps, offline mode)."""


class ParseError(KhabarError):
    """Fetched bytes could not be turned into a feed or an article."""


class StoreError(KhabarError):
    """The archive could not be opened, read or written (read-only, disk full, corrupted)."""


class QueryError(KhabarError):
    """A search query could not be understood."""

    exit_code = 2


class NotFoundError(KhabarError):
    """An ARTICLE or FEED argument names nothing in the archive."""

    exit_code = 2

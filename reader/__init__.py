"""Khabar: a terminal news reader that shows right-to-left scripts correctly.

This module holds only the version, so that importing the package costs nothing and headless commands
start fast.
"""

__version__ = "0.1.0"

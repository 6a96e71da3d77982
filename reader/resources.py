"""Find the data that ships with Khabar: ``themes/`` and ``sample_feeds/``.

In a wheel they live inside the package as ``reader/_data/<name>`` (pyproject force-includes them there);
in a source checkout or an editable install they sit beside the package at the top of the repository.
Both are read through ``importlib.resources`` so a zipped install works too.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from reader.errors import KhabarError

_NAMES = ("themes", "sample_feeds")


def data_dir(name: str) -> Traversable:
    """Return the shipped data folder ``name`` (``themes`` or ``sample_feeds``)."""
    if name not in _NAMES:
        raise ValueError(f"unknown data folder {name!r}")
    packaged = resources.files("reader") / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise KhabarError(f"Khabar's bundled {name} folder is missing from this installation")


def sample_feeds_path() -> Path:
    """Return the bundled sample feeds as a real directory path (feeds are read as local files)."""
    folder = data_dir("sample_feeds")
    with resources.as_file(folder) as path:
        return Path(path)

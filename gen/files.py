"""Finding files below a folder: the one tree walk every command uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path


def walk(folder: Path, wanted: Callable[[Path], bool], skip: tuple[str, ...]) -> Iterator[Path]:
    """The files below `folder` that `wanted` accepts, each folder's entries in name order.

    Sub-folders whose names start with one of the `skip` prefixes are not entered.
    """
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.is_dir():
            if not entry.name.startswith(skip):
                yield from walk(entry, wanted, skip)
        elif wanted(entry):
            yield entry

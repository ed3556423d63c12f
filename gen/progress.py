"""The progress bar of long runs: drawn on a terminal only, so logs never get control characters;
redrawn with a carriage return and spaces only, so any console shows it, the old Windows one too."""

from __future__ import annotations

import os
import shutil
import threading
from typing import TextIO

from gen.console import cells

HANDFUL = 5  # a run of at most this many items finishes before a bar would help
BAR_WIDTH = 24


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is an interactive terminal that can redraw a line (not TERM=dumb)."""
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """`标签 [#####.....] 12/33 平安办/安保经费` redrawn in place on one line of `stream`.

    Drawn only on a terminal, unless `quiet`, and only once there are more than a handful
    of items; otherwise it writes nothing at all. A redraw returns to the start of the line and
    covers the longer line before with spaces: no escape codes, which the Windows console
    shows as text unless a program switches them on.
    """

    def __init__(self, stream: TextIO, label: str, total: int = 0, quiet: bool = False) -> None:
        self.stream, self.label, self.total = stream, label, total
        self.done = 0
        self.shown = not quiet and is_terminal(stream)
        self.drawn = 0  # the cells of the line on screen
        self._lock = threading.Lock()  # progress may be reported from worker threads

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def update(self, done: int, total: int | None = None, item: str = "") -> None:
        """`done` of `total` items are done; redraw."""
        with self._lock:
            self.total = self.total if total is None else total
            self.done = min(done, self.total)
            if self.shown and self.total > HANDFUL:
                line = fit(self.line(item), _columns() - 1)
                self.stream.write("\r" + line + " " * (self.drawn - cells(line)))
                self.stream.flush()
                self.drawn = max(self.drawn, cells(line))

    def line(self, item: str = "") -> str:
        """The bar's text for the current count."""
        filled = BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        return f"{self.label} [{bar}] {self.done}/{self.total} {item}".rstrip()

    def close(self) -> None:
        """Erase the bar, so the next line starts clean."""
        with self._lock:
            if self.drawn:
                self.stream.write("\r" + " " * self.drawn + "\r")
                self.stream.flush()
                self.drawn = 0


def fit(text: str, columns: int) -> str:
    """`text` cut to `columns` terminal cells (a Chinese character takes two)."""
    width = 0
    for index, char in enumerate(text):
        width += cells(char)
        if width > columns:
            return text[:index]
    return text


def _columns() -> int:
    """The terminal's width."""
    return shutil.get_terminal_size((80, 24)).columns

"""Where a line of text wraps, as Word, WPS, Excel and LibreOffice break Chinese text."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Both keep these with their neighbour rather than begin or end a line with them
NO_LINE_START = frozenset("）》」』】〕〉”’，。、；：！？)]}%,.;:!?")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
_EPSILON = 1e-9  # a line exactly as wide as the room fits


def is_wide(char: str) -> bool:
    """Whether 宋体 draws `char` one em wide: Chinese, full-width and ambiguous characters."""
    return unicodedata.east_asian_width(char) in "WFA"


def pieces(line: str) -> list[str]:
    """A line cut where it may wrap: between Chinese characters and at spaces.

    A Latin word stays whole, and closing or opening punctuation stays with its neighbour.
    """
    cut: list[str] = []
    for char in line:
        last = cut[-1][-1] if cut else None
        glued = last is not None and (
            char in NO_LINE_START
            or last in NO_LINE_END
            or not (is_wide(char) or is_wide(last) or char.isspace() or last.isspace())
        )
        if glued:
            cut[-1] += char
        else:
            cut.append(char)
    return cut


def wrap(line: str, room: float, width: Callable[[str], float]) -> list[str]:
    """The lines one line of text fills, each as far as `room` goes (`width` measures a piece).

    A piece longer than a whole line is broken wherever it must be.
    """
    lines, used = [""], 0.0
    for piece in pieces(line):
        too_long = width(piece) > room + _EPSILON and len(piece) > 1
        for part in piece if too_long else (piece,):
            size = width(part)
            if lines[-1] and used + size > room + _EPSILON:
                lines.append("")
                used = 0.0
            lines[-1] += part
            used += size
    return lines

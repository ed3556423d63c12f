"""The console gen prints to: a character it cannot show is replaced, never a crash; Chinese text
measured and wrapped in terminal cells."""

from __future__ import annotations

import os
import sys
import unicodedata


def tolerant_streams() -> None:
    """Make stdout and stderr replace what their encoding cannot show instead of failing.

    A GBK console or a redirected `gen check > 结果.txt` on Chinese Windows writes GBK, which has
    no 𠀀 or emoji: such a character becomes "?" and the rest prints. A UTF-8 stream encodes
    every character as before, so its bytes do not change.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def echo_utf8(text: str) -> None:
    """Print machine-read text (JSON) to stdout as UTF-8, whatever the console's encoding.

    Redirected on Chinese Windows (`gen check --format json > 结果.json`), stdout writes GBK,
    which no JSON reader expects and which turns a name GBK lacks into "?" (a file a tool can no
    longer find). A console or a UTF-8 stream prints the text as any other.
    """
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None or (stream.encoding or "").lower().replace("-", "") == "utf8":
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8", errors="replace"))  # a lone surrogate of a non-UTF-8 name
    buffer.flush()


def stdout_finished() -> bool:
    """Flush stdout; False when its reader has stopped reading (`gen check | head -1`).

    What was not read is then dropped: stdout is pointed at the null device, so that neither
    a later print nor Python's own flush at exit reports the closed pipe.
    """
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return False
    return True


def cells(text: str) -> int:
    """How many terminal columns `text` takes: a Chinese character or full-width mark takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


NO_LINE_START = frozenset("，。、；：？！）》”’」』…")  # punctuation that stays after its text
NO_LINE_END = frozenset("（《“‘「『")  # punctuation that stays before its text


def wrap(text: str, columns: int) -> list[str]:
    """`text` broken into lines of at most `columns` cells, between words and Chinese characters.

    A line never starts with a closing mark (。，）) nor ends with an opening one (（“); a word
    longer than a line is left whole.
    """
    lines, line = [], ""
    for piece in _pieces(text):
        if line.strip() and cells(line + piece.rstrip()) > columns:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    return [*lines, line.rstrip()] if line.strip() else lines


def _pieces(text: str) -> list[str]:
    """The unbreakable pieces of `text`: a word, a run of spaces, a Chinese character with its marks."""
    pieces: list[str] = []
    for char in text:
        if pieces and _holds_together(pieces[-1][-1], char):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


def _holds_together(before: str, char: str) -> bool:
    """Whether no line may break between `before` and `char`."""
    if char in NO_LINE_START or before in NO_LINE_END:
        return True
    if before.isspace() or char.isspace():
        return before.isspace() and char.isspace()
    return cells(before) == 1 and cells(char) == 1

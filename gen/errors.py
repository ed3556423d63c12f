"""Findings (what `gen check` reports) and the one exception base the CLI catches."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Literal, NamedTuple

Level = Literal["error", "warning"]
MAX_FINDINGS = 100  # per file: the rest is counted in one closing finding
MAX_DEFECT_TEXT = 200  # characters of an unexpected exception's own text quoted in its finding

# What cannot stand in a one-line message: line breaks, control characters, lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """Text on one printable line: line breaks and control characters written as \\n, \\u000b…"""
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text)


def shown(path: PurePath) -> str:
    """A path as messages print it: the way the user's system writes it (`projects\\平安办` on
    Windows, `projects/平安办` elsewhere), as the user typed it, on one printable line (the
    bytes of a name that is not UTF-8 as \\xNN)."""
    text = str(path)
    with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate that no byte stands for
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return one_line(text)


class GenError(Exception):
    """A failure with a message for the user and the exit code it maps to."""

    exit_code = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


def error_detail(exc: BaseException) -> str:
    """An unforeseen exception as one short line (its type and message), quoted in a Chinese message."""
    text = " ".join(str(exc).split())
    text = text if len(text) <= MAX_DEFECT_TEXT else text[:MAX_DEFECT_TEXT] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class BrokenTemplate(GenError):
    """A template that cannot be read, compiled or filled in: every project of its 表样 fails alike."""


class UsageError(GenError):
    """The command was called wrongly (a path that does not exist, no projects)."""

    exit_code = 2


class Location(NamedTuple):
    """Where a value was written: a file and a 1-based line.

    A named tuple rather than a frozen dataclass: loading makes one per line of every file,
    and a named tuple is made five times faster.
    """

    file: Path
    line: int


@dataclass(frozen=True)
class Finding:
    """One problem in one place: an error stops that project, a warning does not."""

    file: Path
    line: int  # 1-based; 0 when the finding is about the whole file (e.g. it cannot be written)
    path: str  # YAML path, e.g. "项目资金.财政资金"; "" for the whole file
    level: Level
    code: str  # stable identifier, e.g. "sum-mismatch"
    message: str  # Chinese: what is wrong and how to fix it

    def __post_init__(self) -> None:
        """Keep every finding on one printable line, whatever the values it quotes contain."""
        object.__setattr__(self, "path", one_line(self.path))
        object.__setattr__(self, "message", one_line(self.message))

    @classmethod
    def at(cls, where: Location, path: str, level: Level, code: str, message: str) -> Finding:
        """Build a finding at a location."""
        return cls(where.file, where.line, path, level, code, message)

    @classmethod
    def defect(cls, file: Path, exc: Exception) -> Finding:
        """An unexpected exception while reading or checking `file`, as that file's own error."""
        message = (
            f"检查这个文件时程序内部出错（{error_detail(exc)}）；这是 gen 的缺陷，不是文件的错："
            "请把这个文件和这条提示发给维护人员，其他项目照常检查和生成"
        )
        return cls(file, 0, "", "error", "internal-error", message)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file.as_posix(), self.line, self.path, self.code)

    def __str__(self) -> str:
        file = shown(self.file)
        where = f"{file}:{self.line}:" if self.line else f"{file}:"
        label = "" if self.level == "error" else "警告: "
        path = f" {self.path}:" if self.path else ""
        return f"{where}{path} {label}{self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": shown(PurePosixPath(self.file.as_posix())),  # the same on every system
            "line": self.line,
            "path": self.path,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }

"""Findings (what `gen check` reports) and the one exception base the CLI catches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Literal

Level = Literal["error", "warning"]


def shown(path: PurePath) -> str:
    """A path as messages print it: the way the user's system writes it (`projects\\平安办` on
    Windows, `projects/平安办` elsewhere), as the user typed it."""
    return str(path)


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
    text = text if len(text) <= 200 else text[:200] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class UsageError(GenError):
    """The command was called wrongly (a path that does not exist, no projects)."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was written: a file and a 1-based line."""

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

    @classmethod
    def at(cls, where: Location, path: str, level: Level, code: str, message: str) -> Finding:
        """Build a finding at a location."""
        return cls(where.file, where.line, path, level, code, message)

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file.as_posix(), self.line, self.path, self.code)

    def __str__(self) -> str:
        where = f"{shown(self.file)}:{self.line}:" if self.line else f"{shown(self.file)}:"
        label = "" if self.level == "error" else "警告: "
        path = f" {self.path}:" if self.path else ""
        return f"{where}{path} {label}{self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file.as_posix(),
            "line": self.line,
            "path": self.path,
            "level": self.level,
            "code": self.code,
            "message": self.message,
        }

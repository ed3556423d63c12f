"""Findings (what `gen check` reports), the one exception base the CLI catches, and the Chinese
reason for a failed read or write."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import Literal, NamedTuple

from gen.characters import UNPRINTABLE

Level = Literal["error", "warning"]
MAX_FINDINGS = 100  # per file: the rest is counted in one closing finding
MAX_DEFECT_TEXT = 200  # characters of an unexpected exception's own text quoted in its finding

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """Text on one printable line: line breaks and control characters written as \\n, \\u000b…"""
    return UNPRINTABLE.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text)


def shown(path: PurePath) -> str:
    """A path as messages print it: the way the user's system writes it (`projects\\平安办` on
    Windows, `projects/平安办` elsewhere), as the user typed it, on one printable line (the
    bytes of a name that is not UTF-8 as \\xNN)."""
    text = str(path)
    with contextlib.suppress(UnicodeEncodeError):  # a lone surrogate that no byte stands for
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return one_line(text)


# What cmd, PowerShell or a Unix shell would split a path at, or read as something else
_SHELL_SPECIAL = frozenset(" \t&|<>^();'$`!*?[]{}#~%,=@")


def typed(path: PurePath) -> str:
    """A path as a command in a message should have it: shown(), in double quotes when a shell
    would split it (“新建文件夹 (2)”, Windows' own name for a new folder) or read it otherwise.

    Double quotes keep it one argument in cmd, PowerShell and a Unix shell; a $, ` or % in it
    may still be read there, as in any command the user types.
    """
    text = shown(path)
    return f'"{text}"' if _SHELL_SPECIAL.intersection(text) or not text else text


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


class AlreadyThere(UsageError):
    """What a command was asked to create is there already (`count` files, the first named):
    the one wording of every command."""

    def __init__(self, path: str, fix: str, count: int = 1) -> None:
        what = f"{path} 等 {count} 个文件" if count > 1 else f"{path} "
        super().__init__(f"{what}已存在，没有覆盖；{fix}")


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


# ---------------------------------------------------------------- why a read or write failed

HELD_OPEN = "文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
SHARING_VIOLATIONS = (32, 33)  # Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


class HeldOpen(PermissionError):
    """Windows refused to replace or delete a file because another program has it open."""


READ_ONLY = "文件是只读的，没有覆盖；请取消它的只读属性后重试，或另选一个文件名"


class ReadOnly(PermissionError):
    """A file the user named is read-only: gen does not replace it, on any system."""


_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EFBIG: "文件超出了这个磁盘允许的大小",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOTDIR: "路径中有一个同名文件挡住了文件夹",
    errno.EISDIR: "这里已有一个同名文件夹",
    errno.EEXIST: "文件已存在，没有覆盖",
    errno.ENOENT: "文件或文件夹不存在（可能刚被移走或删除）",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.ELOOP: "路径中的符号链接（快捷方式）指向了自己",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EIO: "读写磁盘时出错（磁盘、U 盘或网络盘可能有故障）",
    errno.EINVAL: "文件名中有系统不允许的字符",
    errno.EILSEQ: "文件名中有系统不允许的字符",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.ENOMEM: "内存不足",
    errno.EAGAIN: "系统资源暂时不够，请稍后重试",
    errno.EINTR: "操作被中断，请重试",
    errno.ENODEV: "设备不存在（U 盘或网络盘可能已断开）",
    errno.ENXIO: "设备不存在（U 盘或网络盘可能已断开）",
    errno.ESTALE: "网络盘上的文件已失效，请重新打开这个文件夹",
    errno.ETIMEDOUT: "网络盘没有响应",
    errno.EHOSTDOWN: "网络盘没有响应",
    errno.EHOSTUNREACH: "网络盘没有响应",
    errno.ENETDOWN: "网络已断开",
    errno.ENETUNREACH: "网络已断开",
    errno.ENOTCONN: "网络盘已断开",
    errno.ECONNRESET: "网络盘的连接被断开",
    errno.ECONNABORTED: "网络盘的连接被断开",
    errno.ENOLCK: "系统无法锁定文件",
    errno.EOPNOTSUPP: "这个磁盘不支持这项操作",
}
_READING_REASONS = {
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOENT: "文件不存在，可能已被移动或删除，或是指向不存在文件的链接",
    errno.ELOOP: "链接循环：这个链接最终又指向它自己",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EIO: "磁盘读取出错",
}
# Windows reports a file open in Word or WPS as "access denied" (when it cannot be told apart from
# a read-only file) or a sharing violation. What a disk cannot do, such as a hard link on FAT32
# or exFAT, is "incorrect function" or "not supported", which Python calls EINVAL: not a name.
_WINDOWS_REASONS = {
    5: "没有写入权限，或文件正在 WPS、Word 中打开（请关闭后重试）",
    1: _REASONS[errno.EOPNOTSUPP],  # ERROR_INVALID_FUNCTION
    50: _REASONS[errno.EOPNOTSUPP],  # ERROR_NOT_SUPPORTED
}


# What to do after an OS error no code foresaw, where checking the path and its permissions
# is not it; "" where the reason already says it (请稍后重试).
_ADVICE: dict[int | None, str] = {
    errno.ENOENT: "请检查路径是否正确",
    errno.ENOTDIR: "请把挡住的文件移走，或换一个路径",
    errno.ENOSPC: "请腾出磁盘空间后重试",
    errno.EDQUOT: "请腾出磁盘空间后重试",
    errno.EFBIG: "请换一个磁盘",
    errno.EROFS: "请换一个可以写入的位置",
    errno.ENAMETOOLONG: "请缩短文件夹和文件的名字",
    errno.EMFILE: "请重新运行",  # gen's own limit of open files: another run starts afresh
    errno.ENFILE: "请关闭一些程序后重试",
    errno.EBUSY: "请关闭正在使用它的程序后重试",
    errno.ETXTBSY: "请关闭正在使用它的程序后重试",
    errno.ENOMEM: "请关闭一些程序后重试",
    errno.EAGAIN: "",
    errno.EINTR: "",
    errno.ESTALE: "",
    **dict.fromkeys(
        (
            errno.EIO,
            errno.ENODEV,
            errno.ENXIO,
            errno.ETIMEDOUT,
            errno.EHOSTDOWN,
            errno.EHOSTUNREACH,
            errno.ENETDOWN,
            errno.ENETUNREACH,
            errno.ENOTCONN,
            errno.ECONNRESET,
            errno.ECONNABORTED,
        ),
        "请检查磁盘、U 盘或网络盘的连接后重试",
    ),
}
_CHECK_THE_PATH = "请检查路径和它的权限"


def access_refused(exc: OSError) -> str:
    """An OS error no code foresaw, in Chinese: path, reason and what to do; never a traceback.

    The one wording of every command (and of gen watch, which goes on watching).
    """
    where = f" {shown(Path(exc.filename))}" if isinstance(exc.filename, str) else ""
    denied = exc.errno in (errno.EACCES, errno.EPERM)  # to read or to write: not known here
    reason = "没有访问权限" if denied else disk_reason(exc, reading=True)
    advice = _CHECK_THE_PATH if denied else _ADVICE.get(exc.errno, _CHECK_THE_PATH)
    if path_too_long(exc):  # the reason says what to do
        advice = ""
    return f"无法访问{where}：{reason}；{advice}" if advice else f"无法访问{where}：{reason}"


# A full path Windows programs may use (MAX_PATH less its closing NUL) unless long paths are
# turned on. Past it Windows says "path not found", or "name out of range" (206); Python makes
# both ENOENT, and a file opened with os.open carries no Windows error number at all.
WINDOWS_PATH_LIMIT = 259
_NAME_OUT_OF_RANGE = 206
ON_WINDOWS = sys.platform == "win32"


def path_too_long(exc: OSError) -> str:
    """Why Windows refused a path longer than it allows, with what to do; "" for any other error.

    The length counted is the full path's, as Windows counts it (UTF-16 units): what the limit
    is about, though a message shows the path as the user typed it.
    """
    if not ON_WINDOWS or exc.errno != errno.ENOENT or not isinstance(exc.filename, str):
        return ""
    length = len(os.path.abspath(exc.filename).encode("utf-16-le")) // 2
    if length <= WINDOWS_PATH_LIMIT and getattr(exc, "winerror", None) != _NAME_OUT_OF_RANGE:
        return ""  # a file or folder that is really not there
    return (
        f"路径太长（完整路径共 {length} 个字符，Windows 默认最多 {WINDOWS_PATH_LIMIT} 个）；"
        "请缩短文件夹和文件的名字，或把文件夹移到离盘符近的位置（如 D:\\预算）"
    )


def disk_reason(exc: OSError, reading: bool = False) -> str:
    """A short Chinese reason for a failed write (or read), for messages; never the system's English."""
    if too_long := path_too_long(exc):
        return too_long
    if reading and exc.errno in _READING_REASONS:
        return _READING_REASONS[exc.errno]
    if isinstance(exc, ReadOnly):
        return READ_ONLY
    windows = getattr(exc, "winerror", None)
    if isinstance(exc, HeldOpen) or windows in SHARING_VIOLATIONS:
        return HELD_OPEN
    if windows in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[windows]
    number = exc.errno
    if number in _REASONS:
        return _REASONS[number]
    if not number:
        return "操作系统报告了一个没有说明原因的错误"
    name = errno.errorcode.get(number)
    return (
        f"操作系统报告错误 {name}（错误号 {number}）"
        if name
        else f"操作系统报告错误（错误号 {number}）"
    )

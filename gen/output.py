"""The only code that writes to disk: atomic writes, so no half-written form is ever left."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import re
import secrets
import socket
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from gen.errors import GenError, shown

ON_WINDOWS = sys.platform == "win32"
HELD_OPEN = "文件正被其他程序（如 WPS、Word、Excel）打开，请关闭后重新生成"
SHARING_VIOLATIONS = (32, 33)  # Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
TEMP_PREFIX = ".~gen-"  # a temp file is named like this until it is renamed into place
TEMP_SUFFIX = ".tmp"
# .~gen-<process id>-<computer tag>-<random>.tmp; the older .~gen-<random>.tmp has no owner
_TEMP_OWNER = re.compile(
    rf"{re.escape(TEMP_PREFIX)}([0-9]{{1,10}})-([0-9a-f]{{6}})-[0-9a-f]+{TEMP_SUFFIX}"
)
LEGACY_TEMP_AGE = 24 * 3600  # seconds
_MAX_PID = 2**31 - 1
_QUERY_LIMITED_INFORMATION, _ACCESS_DENIED, _STILL_ACTIVE = 0x1000, 5, 259  # Windows API values


class WriteFailed(GenError):
    """A file could not be written: the one Chinese wording every command prints for it."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path, self.error = path, error
        self.held_open = disk_reason(error) == HELD_OPEN  # closing the program is the fix
        super().__init__(f"无法写入 {shown(path)}：{disk_reason(error)}")

    @property
    def exists(self) -> bool:
        """The file was there already (write_new never replaces one)."""
        return isinstance(self.error, FileExistsError)


class RemoveFailed(GenError):
    """An outdated output could not be deleted: "无法删除 <path>：<reason>"."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path, self.error = path, error
        self.removed: list[Path] = []  # what remove_form did delete before or after it
        self.held_open = disk_reason(error) == HELD_OPEN  # closing the program is the fix
        super().__init__(f"无法删除 {shown(path)}：{disk_reason(error)}")


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (or its pieces, in order) to `path` through a temp file and an atomic rename.

    A killed build leaves the old file or the new one, never a mix. There is no fsync: a form
    is rebuilt from its YAML in milliseconds, and syncing every form tripled the time to
    write one; the rename's atomicity is what keeps half-written forms out of output/.
    WriteFailed when it cannot be written.
    """
    _written_through_temp(path, data, lambda temp: _replace(temp, path))


class HeldOpen(PermissionError):
    """Windows refused to replace or delete a file because another program has it open."""


def _replace(temp: str, path: Path) -> None:
    """Rename `temp` onto `path`.

    Windows refuses to replace a file that WPS, Word or Excel has open, mostly with “access
    denied” rather than a sharing violation; for a file that is there and not read-only, that
    refusal is HeldOpen.
    """
    try:
        os.replace(temp, path)
    except PermissionError as exc:
        if ON_WINDOWS and os.access(path, os.W_OK):
            raise HeldOpen(exc.errno, exc.strerror, str(path)) from exc
        raise


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, atomically; WriteFailed (`exists`) if it does."""

    def claim(temp: str) -> None:
        os.link(temp, path)  # fails, atomically, if the path was taken meanwhile
        os.unlink(temp)

    _written_through_temp(path, data, claim)


def _written_through_temp(
    path: Path, data: bytes | Iterable[bytes], put_in_place: Callable[[str], None]
) -> None:
    """Write `data` to a temp file beside `path`, then put it in place; no temp is left behind."""
    try:
        _make_folder(path.parent)
        fd, temp_name = _temp_file(path.parent)
    except OSError as exc:
        raise WriteFailed(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.writelines([data] if isinstance(data, bytes) else data)
        put_in_place(temp_name)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise WriteFailed(path, exc) from exc
        raise


def _make_folder(folder: Path) -> None:
    """Create a folder and its parents; a file standing where a folder is needed is ENOTDIR."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from exc


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new temp file in `folder`, opened for writing, with the mode a new file usually gets.

    Its name carries this process's id and a tag of this computer's name, so another build
    can tell whether the writer is still running (remove_stale_temps). os.open applies the
    umask to 0o666 as any program's new file does (mkstemp would make it 0o600).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    owner = f"{os.getpid()}-{_host_tag()}"
    while True:
        name = os.path.join(folder, f"{TEMP_PREFIX}{owner}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue


@functools.cache
def _host_tag() -> str:
    """A short tag of this computer's name: a temp named by another computer is not ours to judge."""
    return hashlib.blake2b(socket.gethostname().encode("utf-8"), digest_size=3).hexdigest()


def remove_stale_temps(out_dir: Path) -> list[Path]:
    """Delete the temp files that killed writers left behind; return what was removed.

    Only provably stale temps go: those written on this computer by a process that is no
    longer running. The temp of a build running at the same time (or on another computer
    writing to a shared folder) is left alone.
    """
    if not out_dir.is_dir():
        return []
    removed = []
    for temp in sorted(out_dir.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")):
        if _is_stale(temp):
            with contextlib.suppress(OSError):
                temp.unlink()
                removed.append(temp)
    return removed


def _is_stale(temp: Path) -> bool:
    """Whether the writer of a temp file is gone (see remove_stale_temps)."""
    owner = _TEMP_OWNER.fullmatch(temp.name)
    if owner is None:  # named by gen 0.1.0 before owners were recorded: stale once a day old
        try:
            return time.time() - temp.lstat().st_mtime > LEGACY_TEMP_AGE
        except OSError:
            return False
    pid, host = int(owner[1]), owner[2]
    return host == _host_tag() and not process_running(pid)


def process_running(pid: int) -> bool:
    """Whether a process with this id runs on this computer (one we may not signal counts)."""
    if pid <= 0 or pid > _MAX_PID:
        return False
    if sys.platform == "win32":
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)  # signal 0: nothing is sent, only whether the process exists is checked
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return True


if sys.platform == "win32":

    def _windows_process_running(pid: int) -> bool:
        """Windows: open the process and ask whether it has exited (os.kill would end it)."""
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
        if not handle:
            return ctypes.get_last_error() == _ACCESS_DENIED  # it exists, under another user
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == _STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)


def remove_output(path: Path) -> bool:
    """Delete an earlier output that no longer matches its project; True if one was there.

    RemoveFailed when it is there but cannot be deleted (a read-only folder, a file in use).
    """
    try:
        path.unlink()
    except (FileNotFoundError, NotADirectoryError):  # not there, or a folder on its way is a file
        return False
    except OSError as exc:
        raise RemoveFailed(path, exc) from exc
    return True


def remove_form(form: Path) -> list[Path]:
    """Delete a form and the PDF made from it; the files that were there.

    Both are tried; RemoveFailed (the first failure) when one of them could not be deleted.
    """
    removed, failed = [], None
    for path in (form, form.with_suffix(".pdf")):
        try:
            if remove_output(path):
                removed.append(path)
        except RemoveFailed as exc:
            failed = failed or exc
    if failed is not None:
        failed.removed = removed
        raise failed
    return removed


def is_inside(folder: Path, path: Path) -> bool:
    """Whether `path` lies inside `folder` once symlinks and `..` are resolved (its last part kept).

    The last part is not followed: deleting a symlink deletes the link, not what it points to.
    """
    try:
        where = path.parent.resolve() / path.name
        return where.is_relative_to(folder.resolve()) and path.name not in ("", ".", "..")
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name the system refuses
        return False


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
# a read-only file) or a sharing violation.
_WINDOWS_REASONS = {5: "没有写入权限，或文件正在 WPS、Word 中打开（请关闭后重试）"}


def access_refused(exc: OSError) -> str:
    """An OS error no code foresaw, in Chinese: the path and the reason, never a traceback.

    The one wording of every command (and of gen watch, which goes on watching).
    """
    where = f" {shown(Path(exc.filename))}" if isinstance(exc.filename, str) else ""
    denied = exc.errno in (errno.EACCES, errno.EPERM)  # to read or to write: not known here
    reason = "没有访问权限" if denied else disk_reason(exc, reading=True)
    return f"无法访问{where}：{reason}；请检查路径和它的权限"


def disk_reason(exc: OSError, reading: bool = False) -> str:
    """A short Chinese reason for a failed write (or read), for messages; never the system's English."""
    if reading and exc.errno in _READING_REASONS:
        return _READING_REASONS[exc.errno]
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

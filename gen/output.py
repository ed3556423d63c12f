"""The only code that writes to disk: atomic writes, so no half-written form is ever left."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".~gen-"  # a temp file is named like this until it is renamed into place
TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder and an atomic rename.

    A killed build leaves the old file or the new one, never a mix. There is no fsync: a form
    is rebuilt from its YAML in milliseconds, and syncing every form tripled the time to
    write one; the rename's atomicity is what keeps half-written forms out of output/.
    """
    _written_through_temp(path, data, lambda temp: os.replace(temp, path))


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, atomically; FileExistsError if it does."""

    def claim(temp: str) -> None:
        os.link(temp, path)  # fails, atomically, if the path was taken meanwhile
        os.unlink(temp)

    _written_through_temp(path, data, claim)


def _written_through_temp(path: Path, data: bytes, put_in_place: Callable[[str], None]) -> None:
    """Write `data` to a temp file beside `path`, then put it in place; no temp is left behind."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file stands where a folder is needed
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from exc
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
        os.chmod(temp_name, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; a form gets the usual mode
        put_in_place(temp_name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _umask() -> int:
    """The process umask, read once (reading it means setting it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def remove_stale_temps(out_dir: Path) -> list[Path]:
    """Delete temp files a killed earlier build left behind; return what was removed."""
    if not out_dir.is_dir():
        return []
    removed = []
    for temp in sorted(out_dir.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}")):
        with contextlib.suppress(OSError):
            temp.unlink()
            removed.append(temp)
    return removed


def remove_output(path: Path) -> bool:
    """Delete an earlier output that no longer matches its project; True if one was there."""
    try:
        path.unlink()
    except (FileNotFoundError, NotADirectoryError):  # not there, or a folder on its way is a file
        return False
    return True


_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOTDIR: "路径中有一个同名文件挡住了文件夹",
    errno.EISDIR: "这里已有一个同名文件夹",
    errno.EEXIST: "文件已存在，没有覆盖",
}


def disk_reason(exc: OSError) -> str:
    """A short Chinese reason for a failed write, for messages."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))

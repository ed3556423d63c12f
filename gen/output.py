"""The only code that writes to disk: atomic writes, so no half-written form is ever left."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from gen.errors import GenError

TEMP_PREFIX = ".~gen-"  # a temp file is named like this until it is renamed into place
TEMP_SUFFIX = ".tmp"


class WriteFailed(GenError):
    """A file could not be written: the one Chinese wording every command prints for it."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path, self.error = path, error
        super().__init__(f"无法写入 {path.as_posix()}：{disk_reason(error)}")

    @property
    def exists(self) -> bool:
        """The file was there already (write_new never replaces one)."""
        return isinstance(self.error, FileExistsError)


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write `data` (or its pieces, in order) to `path` through a temp file and an atomic rename.

    A killed build leaves the old file or the new one, never a mix. There is no fsync: a form
    is rebuilt from its YAML in milliseconds, and syncing every form tripled the time to
    write one; the rename's atomicity is what keeps half-written forms out of output/.
    WriteFailed when it cannot be written.
    """
    _written_through_temp(path, data, lambda temp: os.replace(temp, path))


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

    os.open applies the umask to 0o666 as any program's new file does (mkstemp would make it 0o600).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        name = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue


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

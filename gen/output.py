"""The only code that writes to disk: atomic writes, so no half-written form is ever left."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import platform
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from gen.errors import HELD_OPEN, ON_WINDOWS, GenError, HeldOpen, ReadOnly, disk_reason, shown

TEMP_PREFIX = ".~gen-"  # a temp file is named like this until it is renamed into place
TEMP_SUFFIX = ".tmp"
# .~gen-<process id>-<computer tag>-<random>.tmp; the older .~gen-<random>.tmp has no owner
_TEMP_OWNER = re.compile(
    rf"{re.escape(TEMP_PREFIX)}([0-9]{{1,10}})-([0-9a-f]{{6}})-[0-9a-f]+{TEMP_SUFFIX}"
)
LEGACY_TEMP_AGE = 24 * 3600  # seconds
_MAX_PID = 2**31 - 1
_QUERY_LIMITED_INFORMATION, _ACCESS_DENIED, _STILL_ACTIVE = 0x1000, 5, 259  # Windows API values


# The files gen writes whose type their name's suffix must say: what, suffix, the program
FILE_TYPES = {
    "汇总表": (".xlsx", "Excel"),
    "合订本": (".docx", "Word"),
    "修订稿": (".docx", "Word"),
}


class WrongSuffix(GenError):
    """A 汇总表, 合订本 or 修订稿 named with a suffix that is not its type's."""


def check_suffix(path: Path, what: str) -> None:
    """WrongSuffix when `path` does not end as a `what` of FILE_TYPES must (a 汇总表 in .xlsx)."""
    suffix, program = FILE_TYPES[what]
    if path.suffix.lower() != suffix:
        raise WrongSuffix(f"“{shown(path)}”须以 {suffix} 结尾（{what}是 {program} 文件）")


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


def write_named(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a file at a path the user named (a 汇总表, 合订本, 修订稿, the schema), atomically.

    A read-only file there is one the user meant to keep: WriteFailed rather than replacing
    it. POSIX lets a rename replace a read-only file and Windows refuses with its own reason,
    so the rule is kept here, alike on every system. The forms in the output folder are gen's
    own, and written with write_atomic whatever their attributes.
    """
    if _read_only(path):
        raise WriteFailed(path, ReadOnly(errno.EACCES, os.strerror(errno.EACCES), str(path)))
    write_atomic(path, data)


def _read_only(path: Path) -> bool:
    """Whether a file is there whose owner may not write it (on Windows: its 只读 attribute)."""
    try:
        mode = path.stat().st_mode
    except OSError:  # not there, or not to be looked at: writing it says what is wrong
        return False
    return stat.S_ISREG(mode) and not mode & stat.S_IWUSR


# On Windows a virus scanner or the search indexer opens a file just written for a moment, and
# a rename of it, or onto it, fails meanwhile as it does for a file WPS holds open. As pip and
# git for Windows do, the rename is tried again for a moment before it is taken as refused.
_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4)  # seconds: 0.75 in all


def _renamed(rename: Callable[[str, Path], None], temp: str, path: Path) -> None:
    """rename(temp, path); on Windows tried again while something holds either for a moment.

    A read-only file at `path` is refused at once: waiting would not change it.
    """
    for delay in _RETRY_DELAYS if ON_WINDOWS else ():
        try:
            rename(temp, path)
            return
        except PermissionError:
            if os.path.exists(path) and not os.access(path, os.W_OK):
                raise
            time.sleep(delay)
    rename(temp, path)


def _replace(temp: str, path: Path) -> None:
    """Rename `temp` onto `path`.

    Windows refuses to replace a file that WPS, Word or Excel has open, mostly with “access
    denied” rather than a sharing violation; for a file that is there and not read-only, that
    refusal is HeldOpen.
    """
    try:
        _renamed(os.replace, temp, path)
    except PermissionError as exc:
        if ON_WINDOWS and os.access(path, os.W_OK):
            raise HeldOpen(exc.errno, exc.strerror, str(path)) from exc
        raise


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, atomically; WriteFailed (`exists`) if it does."""
    _written_through_temp(path, data, lambda temp: _put_new(temp, path))


# What link() says on a file system without hard links: EPERM from FAT32 and exFAT on Linux
# (the kernel's drivers and exfat-fuse), ENOTSUP on macOS, ENOSYS, EOPNOTSUPP or EINVAL from
# some FUSE and network file systems, EMLINK where a file may have one name only. Any other
# failure with one of these numbers is told by the way round it, which meets it too.
_NO_HARD_LINKS = frozenset(
    (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL, errno.EMLINK)
)


def _put_new(temp: str, path: Path) -> None:
    """Give the finished `temp` the name `path` unless a file has it (FileExistsError then).

    Windows renames without replacing a file. A POSIX rename replaces one, so there the temp
    is linked to its name, which fails, atomically, if the name was taken meanwhile; a file
    system without hard links (FAT32, exFAT: USB sticks) gets _put_in_reservation instead.
    """
    if ON_WINDOWS:
        _renamed(os.rename, temp, path)
        return
    try:
        os.link(temp, path)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _put_in_reservation(temp, path)
    else:
        os.unlink(temp)


def _put_in_reservation(temp: str, path: Path) -> None:
    """Take `path` by creating an empty file there, which fails, atomically, if the name was
    taken meanwhile; then rename `temp` over it.

    Any failure, or a Ctrl-C during the rename, removes the empty file again; a writer killed
    between the two steps leaves it.
    """
    os.close(os.open(path, _NEW_FILE, 0o666))
    try:
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def _written_through_temp(
    path: Path, data: bytes | Iterable[bytes], put_in_place: Callable[[str], None]
) -> None:
    """Write `data` to a temp file beside `path`, then put it in place; no temp is left behind.

    The temp is named before it is created, so that a Ctrl-C at any point, even just as the
    file comes into being, removes it (a name carrying this process's id is never another's).
    On Windows, where an open file cannot be deleted, one landing in the instant between the
    file's creation and its descriptor being kept leaves it, for the next build to clear.
    """
    names = _temp_names(path.parent)
    temp_name = next(names)
    fd: int | None = None  # open and not yet closed
    try:
        try:
            fd = _created(temp_name)
        except FileNotFoundError:  # its folder is not there yet, or was removed meanwhile
            _make_folder(path.parent)  # (another build's --clean): made only then
            fd = _created(temp_name)
        while fd is None:  # a temp of an earlier process with the same id
            temp_name = next(names)
            fd = _created(temp_name)
        if isinstance(data, bytes):
            _write_all(fd, data)
        else:
            _write_pieces(fd, data)
        closing, fd = fd, None
        os.close(closing)
        put_in_place(temp_name)
    except BaseException as exc:
        if fd is not None:  # Windows deletes no file that is open
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise WriteFailed(path, exc) from exc
        raise


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` to a file descriptor (a write may take only part of it)."""
    with memoryview(data) as view:
        while view:
            view = view[os.write(fd, view) :]


_CHUNK = 64 * 1024  # pieces are written in chunks of about this size: few writes, little memory


def _write_pieces(fd: int, pieces: Iterable[bytes]) -> None:
    """Write the pieces in order, gathered into chunks (the state file comes in one per form)."""
    gathered: list[bytes] = []
    size = 0
    for piece in pieces:
        gathered.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            _write_all(fd, b"".join(gathered))
            gathered, size = [], 0
    if gathered:
        _write_all(fd, b"".join(gathered))


def _make_folder(folder: Path) -> None:
    """Create a folder and its parents; a file standing where a folder is needed is ENOTDIR."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from exc


def blocking_file(folder: Path) -> Path | None:
    """The file (or broken symlink) standing where `folder` or a parent must be a folder, if any."""
    for place in (folder, *folder.parents):
        if os.path.lexists(place):  # a link that leads nowhere, or to itself, is there too
            return None if place.is_dir() else place
    return None


def not_a_folder(place: Path) -> str:
    """Why a blocking_file() cannot be a folder, for a message: “f 是一个文件，不是文件夹”."""
    broken = place.is_symlink() and not place.exists()
    what = "一个失效的符号链接（指向不存在的位置或指向自己）" if broken else "一个文件"
    return f"{shown(place)} 是{what}，不是文件夹"


def _temp_names(folder: Path) -> Iterator[str]:
    """Names for a new temp file in `folder`, each one likely free.

    A name carries this process's id and a tag of this computer's name, so another build
    can tell whether the writer is still running (remove_stale_temps).
    """
    owner = f"{os.getpid()}-{_host_tag()}"
    while True:
        yield os.path.join(folder, f"{TEMP_PREFIX}{owner}-{os.urandom(4).hex()}{TEMP_SUFFIX}")


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _created(name: str) -> int | None:
    """A new file, opened for writing, with the mode a new file usually gets; None if it exists.

    os.open applies the umask to 0o666 as any program's new file does (mkstemp would make it
    0o600).
    """
    try:
        return os.open(name, _NEW_FILE, 0o666)
    except FileExistsError:
        return None


@functools.cache
def _host_tag() -> str:
    """A short tag of this computer's name: a temp named by another computer is not ours to judge."""
    # platform.node() is the host name socket.gethostname() gives, without loading socket
    return hashlib.blake2b(platform.node().encode("utf-8"), digest_size=3).hexdigest()


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
    except FileNotFoundError:
        return False
    except OSError as exc:
        if not _there(path):  # Linux says EROFS on a read-only disk before it looks for the file
            return False
        raise RemoveFailed(path, exc) from exc
    return True


def _there(path: Path) -> bool:
    """Whether a file (or a link, working or not) is at `path`; True when that cannot be told."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):  # not there, or a folder on its way is a file
        return False
    except OSError as exc:  # ELOOP: a folder on its way is a link to itself, so nothing is there
        return exc.errno != errno.ELOOP
    return True


def remove_outdated(path: Path) -> str:
    """Delete what gen wrote before at a path the user named, when its new version could not be
    made: it shows what no longer is. The words to add to the message saying so ("" for none).

    A read-only one is the user's to keep, as it is when it is written (write_named).
    """
    if _read_only(path):
        return ""
    try:
        removed = remove_output(path)
    except RemoveFailed as exc:
        return f"；以前生成的 {shown(path)} 与现在的项目不符，{exc.message}，请手动删除它"
    return f"；以前生成的 {shown(path)} 与现在的项目不符，已删除" if removed else ""


def remove_empty_folders(folder: Path, top: Path) -> None:
    """Delete `folder` and its parents below `top` while they are empty (a folder in use stays)."""
    try:
        inside = folder.resolve().relative_to(top.resolve())
    except (OSError, ValueError):
        return
    for depth in range(len(inside.parts), 0, -1):
        try:
            (top / Path(*inside.parts[:depth])).rmdir()
        except OSError:  # not empty, or not ours to remove
            return


class Removal(NamedTuple):
    """What remove_form did: the files it deleted, and why each of the others stays."""

    removed: list[Path]
    failed: list[RemoveFailed]


def remove_form(form: Path) -> Removal:
    """Delete a form and the PDF made from it; each is tried, and each that stays is told."""
    removal = Removal([], [])
    for path in (form, form.with_suffix(".pdf")):
        try:
            if remove_output(path):
                removal.removed.append(path)
        except RemoveFailed as exc:
            removal.failed.append(exc)
    return removal


def is_inside(folder: Path, path: Path) -> bool:
    """Whether `path` lies inside `folder` once symlinks and `..` are resolved (its last part kept).

    The last part is not followed: deleting a symlink deletes the link, not what it points to.
    """
    try:
        where = path.parent.resolve() / path.name
        return where.is_relative_to(folder.resolve()) and path.name not in ("", ".", "..")
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name the system refuses
        return False

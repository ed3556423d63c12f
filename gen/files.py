"""Finding files below a folder (the one tree walk every command uses), names Windows refuses,
and hashing a file."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path, PurePath

from gen.errors import Finding, disk_reason, shown, typed

Problems = list[Finding] | None  # where the walk notes what it skipped and why (None: nowhere)


def walk(
    folder: Path,
    wanted: Callable[[Path], bool],
    skip: tuple[str, ...],
    problems: Problems = None,
    links: list[Path] | None = None,
) -> Iterator[Path]:
    """The files below `folder` that `wanted` accepts, each folder's entries in name order.

    Sub-folders whose names start with one of the `skip` prefixes are not entered. A folder
    is entered once only, so a linked folder that leads back into the tree ends there; a folder
    that cannot be listed, an entry that cannot be looked at (in a folder that may be listed
    but not entered), a name that is not UTF-8 and a wanted name that is not a regular
    file (a pipe would block whoever reads it; a link to nowhere) are left out. Each of these is
    added to `problems` (when given) as a finding. The walk keeps its own stack: any depth is fine.
    With `links`, a link to a wanted file or to a folder is neither followed nor yielded but
    added there (a git revision holds a link, not what it leads to).
    """
    seen: set[object] = set()  # (device, inode) of each folder entered
    pending = [iter(_entries(folder, seen, problems))]
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        if entry.name.startswith(skip) and not wanted(entry):
            continue  # a folder never entered, or a file nobody asked for: not looked at
        if links is not None and entry.is_symlink():
            if wanted(entry) or _is_folder(entry, None):
                links.append(entry)
            continue
        is_folder = _is_folder(entry, problems)
        if is_folder:
            if not entry.name.startswith(skip) and utf8_name(entry, problems):
                pending.append(iter(_entries(entry, seen, problems)))
        elif is_folder is False and wanted(entry) and _readable(entry, problems):
            yield entry


def _readable(entry: Path, problems: Problems) -> bool:
    """Whether a wanted file can be read: a UTF-8 name, a regular file."""
    return utf8_name(entry, problems) and regular_file(entry, problems)


def _is_folder(entry: Path, problems: Problems) -> bool | None:
    """Whether an entry is a folder (through links); None when it cannot even be looked at."""
    try:
        return entry.is_dir()
    except OSError as exc:  # e.g. in a folder that may be listed but not entered
        message = f"无法查看这一项（{disk_reason(exc, reading=True)}）；它若是文件夹，其中的文件没有检查，请检查权限"
        _note(problems, Finding(entry, 0, "", "error", "unreadable", message))
        return None


def _entries(folder: Path, seen: set[object], problems: Problems) -> list[Path]:
    """A folder's entries in name order; none when it was seen before or cannot be listed."""
    try:
        info = folder.stat()
        # Some network drives give every file inode 0: then the resolved path tells folders apart.
        identity = (info.st_dev, info.st_ino) if info.st_ino else str(folder.resolve())
        if identity in seen:
            message = "这个文件夹是链接，指向的文件夹已经查找过（链接循环或重复）；已跳过，每个文件夹只查找一次"
            _note(problems, Finding(folder, 0, "", "warning", "folder-seen", message))
            return []
        seen.add(identity)
        return sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        message = f"无法打开这个文件夹（{disk_reason(exc, reading=True)}）；其中的文件没有检查，请检查文件夹的权限"
        _note(problems, Finding(folder, 0, "", "error", "unreadable-folder", message))
        return []


def utf8_name(path: Path, problems: Problems) -> bool:
    """Whether a name can be shown and written in messages and forms: it is valid UTF-8."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        message = "名称不是 UTF-8 编码（可能是 GBK 编码的中文名）；请重命名它"
        _note(problems, Finding(path, 0, "", "error", "bad-file-name", message))
        return False
    return True


def regular_file(path: Path, problems: Problems) -> bool:
    """Whether a path is a regular file (through links), the only kind of file read."""
    try:
        if stat.S_ISREG(path.stat().st_mode):
            return True
        message = NOT_REGULAR
    except OSError as exc:
        message = f"无法读取这个文件（{disk_reason(exc, reading=True)}）"
    _note(problems, Finding(path, 0, "", "error", "unreadable", message))
    return False


NOT_REGULAR = "这不是普通文件（是管道、设备等特殊文件）；gen 只读取普通文件"


def _note(problems: Problems, finding: Finding) -> None:
    """Add a finding to `problems`, if the caller keeps them."""
    if problems is not None:
        problems.append(finding)


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes; "" when it is missing or no file (a template: rendering says so)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    except OSError:
        return ""


# ---------------------------------------------------------------- names Windows cannot hold

_CONTROL = re.compile("[\x00-\x1f]")  # the control characters Windows refuses in a name
WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')  # besides control characters
# Names Windows keeps for devices, with or without an extension (CON, CON.txt, com1…).
WINDOWS_RESERVED = re.compile(
    r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)(?=\.|$)", re.IGNORECASE
)


def windows_refuses(name: str) -> str | None:
    """Why Windows cannot hold a file or folder of this name (含有字符“:”), or None.

    A repository holding one cannot be checked out there, nor the file copied to a U 盘.
    """
    control = _CONTROL.search(name)
    if control:
        return f"含有控制字符 U+{ord(control[0]):04X}"
    forbidden = WINDOWS_FORBIDDEN.search(name)
    if forbidden:
        return f"含有字符“{forbidden[0]}”"
    reserved = WINDOWS_RESERVED.match(name)
    if reserved:
        return f"“{reserved[0]}”是留给设备的名字"
    if name.endswith((" ", ".")):
        return "以空格结尾" if name.endswith(" ") else "以句点结尾"
    return None


def windows_held(name: str) -> str:
    """The name as Windows can hold it: each character it refuses as "_", no space or dot at
    the end, "_" after a device name (CON_.docx); "" when nothing is left."""
    text = WINDOWS_FORBIDDEN.sub("_", _CONTROL.sub("_", name)).rstrip(" .")
    return WINDOWS_RESERVED.sub(r"\1_", text)


def refused_name(path: PurePath, start: int = 0) -> tuple[int, str] | None:
    """The first name of `path` from path.parts[start] on that Windows refuses (its index in
    path.parts, and why), or None.

    The drive or root is no name (D:\\ holds a colon), nor are . and ..
    """
    for index, part in enumerate(path.parts):
        if index >= start and part not in (path.anchor, ".", ".."):
            reason = windows_refuses(part)
            if reason is not None:
                return index, reason
    return None


def new_names(path: Path, folder: bool) -> int:
    """The index in path.parts of the first name gen makes in writing `path`: the first one not
    there yet, and the file's own name in any case (it is written anew)."""
    last = len(path.parts) - (0 if folder else 1)
    for index in range(last):
        if not os.path.lexists(Path(*path.parts[: index + 1])):
            return index
    return last


def windows_name_problem(path: PurePath, folder: bool, made_from: int = 0) -> str | None:
    """Why a file (or, if `folder`, a folder) gen is to write at `path` is better not made, and
    a name that would do; None when Windows can hold every name of it that gen makes: those
    from path.parts[made_from] on (new_names), the folders there already being the user's.

    Made on Linux or macOS, it would reach colleagues on Windows in a shared folder or a zip
    that they cannot open; Windows itself refuses it late, or reads it otherwise (a dot at
    the end is dropped, a colon names a stream, NUL is the null device).
    """
    refused = refused_name(path, made_from)
    if refused is None:
        return None
    index, reason = refused
    parts = path.parts
    what = "文件夹名" if folder or index < len(parts) - 1 else "文件名"
    held = [part if part in (path.anchor, ".", "..") else windows_held(part) for part in parts]
    fix = f"，如 {typed(type(path)(*held))}" if all(held) else ""
    return (
        f"{what}“{shown(type(path)(parts[index]))}”在 Windows 上不能用：{reason}；"
        f"请换一个名字{fix}（否则在 Windows 电脑上无法打开、复制它）"
    )

"""The only code that writes to disk: atomic writes, so no half-written form is ever left."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_PREFIX = ".~gen-"  # a temp file is named like this until it is renamed into place
TEMP_SUFFIX = ".tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temp file in the same folder and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def _umask() -> int:
    """The process umask (mkstemp makes 0600 files; a form should get the usual mode)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
    except FileNotFoundError:
        return False
    return True


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, atomically; FileExistsError if it does."""
    if path.exists():
        raise FileExistsError(path)
    write_atomic(path, data)

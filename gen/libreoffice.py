"""LibreOffice, the one program gen runs: where it is installed, and how to start and stop it
apart from the user's.

gen gives LibreOffice profiles of its own, kept in the user's cache folder between runs (one
per LibreOffice running at once, each locked by the gen process using it). Each LibreOffice
runs in a process group of its own, so stopping it stops every process it started.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from gen.errors import GenError, disk_reason

INSTALL_HINT = (
    "请安装 LibreOffice：Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui；"
    "Windows/macOS 从 https://zh-cn.libreoffice.org 下载安装"
)


def find_soffice() -> str | None:
    """The LibreOffice program on PATH or in a usual install folder; None when not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _install_places() if os.path.isfile(place)), None)


class CannotStart(GenError):
    """The system refused to start LibreOffice (a program that may not be run, a broken install)."""

    def __init__(self, program: str, error: OSError) -> None:
        self.reason = disk_reason(error, reading=True)
        super().__init__(f"无法启动 LibreOffice（{program}）：{self.reason}")


def start(command: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start LibreOffice in its own process group, so that it can be stopped as a whole."""
    group: dict[str, Any] = (
        {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        if sys.platform == "win32"
        else {"start_new_session": True}
    )
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, **group)
    except OSError as exc:
        raise CannotStart(command[0], exc) from exc


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill a LibreOffice `start` started, and every process it started."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.wait()


# Where Windows installers put LibreOffice: both Program Files folders (a 32-bit LibreOffice on
# 64-bit Windows goes to the (x86) one), and a per-user install below %LOCALAPPDATA%\Programs.
WINDOWS_ROOTS = ("PROGRAMFILES", "PROGRAMW6432", "PROGRAMFILES(X86)", "LOCALAPPDATA")


def _install_places() -> list[str]:
    """Where the LibreOffice installers for macOS and Windows put the program.

    On Windows the folder is `LibreOffice`, or for older and side-by-side installs
    `LibreOffice 7`, `LibreOffice 24.8` …: the plain one first, then the newest version.
    """
    places = ["/Applications/LibreOffice.app/Contents/MacOS/soffice"]
    for variable in WINDOWS_ROOTS:  # case does not matter on Windows
        root = os.environ.get(variable)
        if not root:
            continue
        if variable == "LOCALAPPDATA":
            root = os.path.join(root, "Programs")
        folders = sorted(glob.glob(os.path.join(glob.escape(root), "LibreOffice *")), key=_version)
        for folder in [os.path.join(root, "LibreOffice"), *reversed(folders)]:
            places.append(os.path.join(folder, "program", "soffice.exe"))
    return places


def _version(folder: str) -> tuple[int, ...]:
    """`…\\LibreOffice 24.8` → (24, 8), for finding the newest install."""
    number = os.path.basename(folder).removeprefix("LibreOffice ")
    return tuple(int(part) for part in number.split(".") if part.isdigit())


# The version an install states in its settings: <prop oor:name="ooSetupVersion"><value>7.4</value>
_VERSION = re.compile(rb'<prop oor:name="ooSetupVersion">\s*<value>(\d+\.\d+)</value>')


def product_version(program: str) -> str | None:
    """The version of the LibreOffice at `program` ("7.4"), from its install's settings file.

    The file is share/registry/main.xcd beside the program folder (Contents/Resources/registry
    on macOS); None when it is not there or states no version.
    """
    root = Path(os.path.realpath(program)).parent.parent
    for settings in (root / "share" / "registry", root / "Resources" / "registry"):
        try:
            found = _VERSION.search((settings / "main.xcd").read_bytes())
        except OSError:
            continue
        if found:
            return found.group(1).decode("ascii")
    return None


def profile_option(folder: Path) -> str:
    """The option that gives LibreOffice a profile of its own, so a user's open window is untouched."""
    return f"-env:UserInstallation={folder.resolve().as_uri()}"


# ---------------------------------------------------------------- profiles kept between runs

PROFILE_SLOTS = 16  # cached profiles tried before a run takes a temporary one
_READY = "ready"  # written beside a profile once a run with it converted a file

# LibreOffice runs its graphics self-test (about a second) at each start until the profile
# records that this version has started before, which a headless run never records itself.
# A new profile is given that record, so the test does not run; nothing else is set.
_SEED = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" \
oor:op="fuse"><value>{version}</value></prop></item>
</oor:items>
"""


def cache_folder() -> Path:
    """gen's folder in the user's cache: %LOCALAPPDATA%\\gen, ~/Library/Caches/gen, ~/.cache/gen."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA") or os.path.join(Path.home(), "AppData", "Local")
        return Path(local) / "gen"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "gen"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gen"


@dataclass
class Profile:
    """A LibreOffice user profile of gen's own: kept in the cache between runs, or temporary.

    Starting LibreOffice with a new profile first sets the profile up, about a second; a kept
    profile skips that. `reused` says the profile was made by an earlier run, so when a run
    with it converts nothing, the profile may be to blame.
    """

    folder: Path  # what -env:UserInstallation points at
    reused: bool = False
    slot: Path | None = None  # the cache slot holding it; None for a temporary profile
    version: str | None = None  # of the LibreOffice using it, when known

    def option(self) -> str:
        """The command-line option that makes LibreOffice use this profile."""
        return profile_option(self.folder)

    def rebuild(self) -> None:
        """Throw the profile away: the next run sets up a new one (told its version has run)."""
        if self.slot is not None:
            with contextlib.suppress(OSError):
                (self.slot / _READY).unlink()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.reused = False
        if self.version is not None:
            settings = self.folder / "user" / "registrymodifications.xcu"
            with contextlib.suppress(OSError):
                settings.parent.mkdir(parents=True)
                settings.write_text(_SEED.format(version=self.version), encoding="utf-8")

    def worked(self, program: str) -> None:
        """Note that a run with this profile converted a file: later runs may use it as it is."""
        if self.slot is not None and not self.reused:
            with contextlib.suppress(OSError):
                (self.slot / _READY).write_text(_made_by(program, self.version), encoding="utf-8")


def new_profile(folder: Path, version: str | None) -> Profile:
    """A profile set up anew in `folder` for LibreOffice `version` (product_version), for runs
    of one gen process; the caller throws it away."""
    profile = Profile(folder, version=version)
    profile.rebuild()
    return profile


def _made_by(program: str, version: str | None) -> str:
    """What the ready mark of a profile says: the program and version it was set up for."""
    return program if version is None else f"{program}\n{version}"


@contextlib.contextmanager
def profiles(count: int, program: str, temp: Path) -> Iterator[list[Profile]]:
    """`count` profiles, each locked for this process until the block ends.

    Cached profiles are taken from free slots of the cache folder (one a second gen process
    holds is skipped); a profile that looks broken is set up anew. When the cache cannot be
    used, temporary profiles below `temp` are given instead.
    """
    with contextlib.ExitStack() as locks:
        free = _free_slots(locks, count)
        version = product_version(program)
        given = [_cached(slot, program, version) for slot in free]
        given += [new_profile(temp / f"profile-{n}", version) for n in range(len(given), count)]
        yield given


def _free_slots(locks: contextlib.ExitStack, count: int) -> list[Path]:
    """Up to `count` cache slots this process now holds the lock of."""
    try:
        root = cache_folder() / "libreoffice"
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return []
    held: list[Path] = []
    for number in range(PROFILE_SLOTS):
        if len(held) == count:
            break
        lock = _try_lock(root / f"{number}.lock")
        if lock is not None:
            locks.callback(lock.close)
            held.append(root / str(number))
    return held


def _try_lock(path: Path) -> IO[bytes] | None:
    """The open lock file, locked for this process; None when another process holds it.

    The operating system releases the lock when the process ends, however it ends.
    """
    try:
        handle = open(path, "a+b")  # noqa: SIM115 (held open while the lock is needed)
    except OSError:
        return None
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def _cached(slot: Path, program: str, version: str | None) -> Profile:
    """The profile of a cache slot this process holds; set up anew when it looks broken.

    A profile set up for another program or version, or by an older gen, is set up anew too.
    """
    profile = Profile(slot / "profile", reused=True, slot=slot, version=version)
    try:
        made_by = (slot / _READY).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        made_by = None  # never finished a run: set up when a run was killed, or failed
    if made_by != _made_by(program, version) or not _settings_readable(profile.folder):
        profile.rebuild()
        return profile
    with contextlib.suppress(OSError):
        (profile.folder / ".lock").unlink()  # left by a killed run: no process uses the slot now
    return profile


def _settings_readable(folder: Path) -> bool:
    """Whether the profile's settings file is there and is whole XML (a killed run can cut it)."""
    from xml.etree import ElementTree

    try:
        ElementTree.parse(folder / "user" / "registrymodifications.xcu")
    except (OSError, ElementTree.ParseError):
        return False
    return True

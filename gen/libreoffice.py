"""LibreOffice, the one program gen runs: where it is installed, and how to start it apart from the user's."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

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


def profile_option(folder: Path) -> str:
    """The option that gives LibreOffice a profile of its own, so a user's open window is untouched."""
    return f"-env:UserInstallation={folder.resolve().as_uri()}"

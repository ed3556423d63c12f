"""LibreOffice, the one program gen runs: where it is installed, and how to start it apart from the user's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

INSTALL_HINT = (
    "请安装 LibreOffice：Debian/Ubuntu 运行 sudo apt-get install libreoffice-writer-nogui；"
    "Windows/macOS 从 https://zh-cn.libreoffice.org 下载安装"
)


def find_soffice() -> str | None:
    """The LibreOffice program on PATH or in its usual install folder; None when not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _install_places() if os.path.isfile(place)), None)


def _install_places() -> list[str]:
    """Where the LibreOffice installers for macOS and Windows put the program."""
    places = ["/Applications/LibreOffice.app/Contents/MacOS/soffice"]
    for variable in ("PROGRAMFILES", "PROGRAMFILES(X86)"):  # case does not matter on Windows
        if os.environ.get(variable):
            places.append(
                os.path.join(os.environ[variable], "LibreOffice", "program", "soffice.exe")
            )
    return places


def profile_option(folder: Path) -> str:
    """The option that gives LibreOffice a profile of its own, so a user's open window is untouched."""
    return f"-env:UserInstallation={folder.resolve().as_uri()}"

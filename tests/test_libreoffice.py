"""Finding LibreOffice: on PATH, else in the folders its Windows and macOS installers use."""

from __future__ import annotations

from pathlib import Path

import pytest

from gen import libreoffice
from gen.libreoffice import WINDOWS_ROOTS, find_soffice


def installed(root: Path, folder: str) -> str:
    """A fake soffice.exe in `root`/`folder`/program."""
    program = root / folder / "program" / "soffice.exe"
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    return str(program)


@pytest.fixture
def windows(tmp_path, monkeypatch):
    """No soffice on PATH and no Windows folder variables set: each test sets its own."""
    monkeypatch.setattr(libreoffice.shutil, "which", lambda name: None)
    for variable in WINDOWS_ROOTS:
        monkeypatch.delenv(variable, raising=False)
    return tmp_path


def test_not_installed(windows):
    assert find_soffice() is None


def test_in_program_files(windows, monkeypatch):
    program = installed(windows / "Program Files", "LibreOffice")
    monkeypatch.setenv("PROGRAMFILES", str(windows / "Program Files"))
    assert find_soffice() == program


def test_a_32_bit_install_with_its_version_in_the_folder_name(windows, monkeypatch):
    monkeypatch.setenv("PROGRAMFILES", str(windows / "Program Files"))  # nothing there
    program = installed(windows / "Program Files (x86)", "LibreOffice 7")
    monkeypatch.setenv("PROGRAMFILES(X86)", str(windows / "Program Files (x86)"))
    assert find_soffice() == program


def test_the_plain_folder_first_then_the_newest_version(windows, monkeypatch):
    monkeypatch.setenv("PROGRAMFILES", str(windows))
    for version in ("7", "7.6", "24.8", "24.2"):
        installed(windows, f"LibreOffice {version}")
    assert find_soffice() == str(windows / "LibreOffice 24.8" / "program" / "soffice.exe")
    installed(windows, "LibreOffice")
    assert find_soffice() == str(windows / "LibreOffice" / "program" / "soffice.exe")


def test_a_per_user_install(windows, monkeypatch):
    program = installed(windows / "Programs", "LibreOffice")
    monkeypatch.setenv("LOCALAPPDATA", str(windows))
    assert find_soffice() == program

"""Finding LibreOffice: on PATH, else in the folders its Windows and macOS installers use."""

from __future__ import annotations

import subprocess
import sys
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


# ---------------------------------------------------------------- the installed version

SETTINGS = """<oor:data xmlns:oor="http://openoffice.org/2001/registry">
<prop oor:name="ooSetupVersion" oor:type="xs:string" oor:nillable="false">
  <value/>
</prop>
<prop oor:name="ooSetupVersion">
  <value>{}</value>
</prop>
</oor:data>"""


def with_settings(program: Path, registry: Path, version: str) -> str:
    """A fake program and the main.xcd of its install, stating `version`."""
    program.parent.mkdir(parents=True)
    program.write_bytes(b"")
    registry.mkdir(parents=True)
    (registry / "main.xcd").write_text(SETTINGS.format(version), encoding="utf-8")
    return str(program)


def test_the_version_is_read_from_the_install_settings(tmp_path):
    root = tmp_path / "LibreOffice"
    program = with_settings(root / "program/soffice.exe", root / "share/registry", "24.8")
    assert libreoffice.product_version(program) == "24.8"


def test_the_version_of_a_macos_install(tmp_path):
    contents = tmp_path / "LibreOffice.app/Contents"
    program = with_settings(contents / "MacOS/soffice", contents / "Resources/registry", "7.6")
    assert libreoffice.product_version(program) == "7.6"


@pytest.mark.skipif(sys.platform == "win32", reason="a symbolic link, as /usr/bin/soffice is")
def test_the_version_through_a_link_on_path(tmp_path):
    root = tmp_path / "lib/libreoffice"
    program = with_settings(root / "program/soffice", root / "share/registry", "7.4")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin/soffice").symlink_to(program)
    assert libreoffice.product_version(str(tmp_path / "bin/soffice")) == "7.4"


def test_no_version_without_the_settings_or_with_none_stated(tmp_path):
    assert libreoffice.product_version(installed(tmp_path, "LibreOffice")) is None
    root = tmp_path / "other"
    program = with_settings(root / "program/soffice", root / "share/registry", "")
    assert libreoffice.product_version(program) is None


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_the_version_of_the_libreoffice_installed_here():
    program = find_soffice()
    assert program is not None
    stated = subprocess.run([program, "--version"], capture_output=True, text=True, check=True)
    major, minor = stated.stdout.split()[1].split(".")[:2]  # LibreOffice 7.4.7.2 40(Build:2)
    assert libreoffice.product_version(program) == f"{major}.{minor}"

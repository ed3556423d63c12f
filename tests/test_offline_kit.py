"""The offline install kits (tools/make_offline_kit.py): installers, guides, and resolving wheels offline.

The tests marked `kit` build the real kits, which needs the package index; `.ci/run` runs them
after the main suite (`pytest -m kit`). The others run everywhere.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO

TRAIL_BYTES_CMD_TREATS_SPECIALLY = set(b'%^&|<>()"!')


def load_kit_tool():
    """tools/make_offline_kit.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_offline_kit", REPO / "tools" / "make_offline_kit.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_offline_kit"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


kit = load_kit_tool()
WINDOWS = kit.PLATFORMS["win_amd64"]
LINUX = kit.PLATFORMS["manylinux_x86_64"]


# --- the Windows installer, read as cmd reads it ---------------------------------------------


def bat_lines(data: bytes) -> list[str]:
    """The lines of a .bat file: CRLF throughout, GBK after `chcp 936`, ASCII before it."""
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    raw = data.split(b"\r\n")
    switch = next(i for i, line in enumerate(raw) if line.startswith(b"chcp 936"))
    assert all(line.isascii() for line in raw[: switch + 1])
    return [line.decode("gbk") for line in raw]


def bat_commands(lines: list[str]) -> list[str]:
    """The lines cmd runs: no echo, rem, label or empty line."""
    skipped = ("echo", "rem ", ":", "@echo")
    return [line for line in lines if line.strip() and not line.lower().startswith(skipped)]


def test_the_windows_installer_is_ascii_then_gbk_in_crlf_lines():
    data = kit.text_files(WINDOWS, "0.1.0")[kit.WINDOWS_SCRIPT]
    lines = bat_lines(data)
    assert lines[0] == "@echo off"
    for line in lines:
        if not line.isascii():
            assert line.startswith(("echo ", "rem ")), line  # Chinese only in messages
            for char in line:
                encoded = char.encode("gbk")
                # a GBK trail byte that is also % ^ & | < > ( ) " ! would break the line if the
                # console fell back to another code page
                assert len(encoded) == 1 or encoded[1] not in TRAIL_BYTES_CMD_TREATS_SPECIALLY


def test_the_windows_installer_makes_a_venv_installs_offline_and_builds_the_samples():
    lines = bat_lines(kit.text_files(WINDOWS, "0.1.0")[kit.WINDOWS_SCRIPT])
    commands = bat_commands(lines)
    venv = commands.index("%PY% -m venv .venv")
    install = next(i for i, c in enumerate(commands) if " -m pip install " in c)
    build = commands.index('".venv\\Scripts\\gen.exe" build projects')
    assert venv < install < build
    assert commands[install].startswith('".venv\\Scripts\\python.exe" -m pip install ')
    pip_arguments = commands[install].split()[4:]
    assert "--no-index" in pip_arguments and pip_arguments[-1] == "gen"
    assert pip_arguments[pip_arguments.index("--find-links") + 1] == "wheels"
    for step in (venv, install, build):  # each step stops the script when it fails
        assert commands[step + 1] == "if errorlevel 1 goto failed"
    tried = [c for c in commands if 'set "PY=' in c and "&&" in c]
    assert [c.rsplit("PY=", 1)[1].rstrip('"') for c in tried] == [
        "py -3.13", "py -3.12", "py -3.11", "python"
    ]  # fmt: skip
    labels = {line[1:] for line in lines if line.startswith(":")}
    targets = {c.rsplit("goto ", 1)[1] for c in commands if "goto " in c}
    assert targets == labels == {"no_python", "failed", "done"}
    assert lines[lines.index(":done") + 1 :][:3] == [
        "pause", "if defined OLDCP chcp %OLDCP% >nul", "exit /b %CODE%"
    ]  # fmt: skip


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX sh to check install.sh with")
def test_the_linux_installer_is_valid_sh(tmp_path):
    script = tmp_path / kit.LINUX_SCRIPT
    script.write_bytes(kit.text_files(LINUX, "0.1.0")[kit.LINUX_SCRIPT])
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True).returncode == 0
    text = script.read_text(encoding="utf-8")
    assert "-m pip install --quiet --no-index --find-links wheels" in text
    assert ".venv/bin/gen build projects" in text


def test_the_guides_open_in_notepad_and_in_a_linux_editor():
    windows = kit.text_files(WINDOWS, "0.1.0")[kit.GUIDE]
    assert windows.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark
    text = windows.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert "安装.bat" in text and r".venv\Scripts\activate" in text and "gen 0.1.0" in text
    assert "进入 gen-0.1.0-win_amd64 文件夹，双击 安装.bat" in text  # the zip's one top folder
    assert "README.md" in text  # the whole manual ships in the kit
    linux = kit.text_files(LINUX, "0.1.0")[kit.GUIDE].decode("utf-8")
    assert "\r" not in linux and "sh install.sh" in linux and ". .venv/bin/activate" in linux


# --- resolving wheels as the target machine would -------------------------------------------


def fake_wheel(folder: Path, file_name: str, requires: list[str], python: str = "") -> None:
    """A wheel holding only its METADATA."""
    name, version = file_name.split("-")[:2]
    lines = [f"Name: {name}", f"Version: {version}", *(f"Requires-Dist: {r}" for r in requires)]
    if python:
        lines.append(f"Requires-Python: {python}")
    with zipfile.ZipFile(folder / file_name, "w") as wheel:
        wheel.writestr(f"{name}-{version}.dist-info/METADATA", "\n".join(lines) + "\n")


@pytest.fixture
def wheel_folder(tmp_path):
    """gen needs foo (compiled, Windows and Linux for 3.12 only) and, on Windows, colorama."""
    fake_wheel(
        tmp_path, "gen-0.1.0-py3-none-any.whl", ["foo>=1", 'colorama; sys_platform == "win32"']
    )
    fake_wheel(tmp_path, "foo-1.0-cp312-cp312-win_amd64.whl", ["bar"])
    fake_wheel(tmp_path, "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl", ["bar"])
    fake_wheel(tmp_path, "bar-2.0-py3-none-any.whl", [], python=">=3.12")
    fake_wheel(tmp_path, "colorama-0.4.6-py2.py3-none-any.whl", [])
    return tmp_path


def names(wheels) -> list[str]:
    return [wheel.path.name for wheel in wheels]


def test_resolving_follows_the_target_platform_and_python(wheel_folder):
    wheels = kit.wheels_in(wheel_folder)
    chosen, missing = kit.resolve(wheels, WINDOWS, "3.12")
    assert missing == []
    assert names(chosen) == [
        "bar-2.0-py3-none-any.whl",
        "colorama-0.4.6-py2.py3-none-any.whl",  # asked for by a marker only Windows meets
        "foo-1.0-cp312-cp312-win_amd64.whl",
        "gen-0.1.0-py3-none-any.whl",
    ]
    chosen, missing = kit.resolve(wheels, LINUX, "3.12")
    assert missing == [] and "colorama-0.4.6-py2.py3-none-any.whl" not in names(chosen)
    assert "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl" in names(chosen)
    assert kit.resolve(wheels, WINDOWS, "3.11")[1] == ["foo>=1"]  # no cp311 wheel of foo


def test_a_kit_with_a_wheel_for_another_platform_or_a_missing_python_is_refused(wheel_folder):
    folder = wheel_folder.parent / "kit"
    shutil.copytree(wheel_folder, folder / "wheels")
    problems = kit.check_kit(folder, WINDOWS)
    assert (
        "foo-1.0-cp312-cp312-manylinux_2_17_x86_64.whl：不是Windows 64 位或纯 Python 的 wheel"
        in problems
    )
    assert "Python 3.11：缺少 foo>=1" in problems and "Python 3.13：缺少 foo>=1" in problems
    assert f"缺少 {kit.WINDOWS_SCRIPT}" in problems and "缺少示例项目 projects/" in problems
    assert "缺少 README.md" in problems and "缺少 docs/FORMAT.md" in problems


def test_the_kit_pins_the_versions_installed_here():
    pins = kit.tested_versions()
    assert f"lxml=={importlib.metadata.version('lxml')}" in pins
    assert f"docxtpl=={importlib.metadata.version('docxtpl')}" in pins
    assert all("==" in pin for pin in pins) and not any(p.startswith("gen==") for p in pins)


# --- the real kits (need the package index) ---------------------------------------------------


@pytest.fixture(scope="module")
def kits(tmp_path_factory) -> dict[str, Path]:
    """Both kits, built by the script as a maintainer runs it, unzipped: platform → folder."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "make_offline_kit.py"), "-o", str(out)],
        check=True, timeout=1800,
    )  # fmt: skip
    folders = {}
    for platform in kit.PLATFORMS:
        (archive,) = out.glob(f"gen-*-offline-{platform}.zip")
        with zipfile.ZipFile(archive) as package:
            package.extractall(out / platform)
            (top,) = {name.split("/")[0] for name in package.namelist()}
        folders[platform] = out / platform / top
    return folders


@pytest.mark.kit
def test_the_windows_kit_holds_only_windows_or_pure_wheels_for_every_python(kits):
    folder = kits["win_amd64"]
    assert kit.check_kit(folder, WINDOWS) == []
    wheels = kit.wheels_in(folder / "wheels")
    for wheel in wheels:
        assert {tag.platform for tag in wheel.tags} & {"win_amd64", "any"}, wheel.path.name
    for python in kit.PYTHONS:
        chosen, missing = kit.resolve(wheels, WINDOWS, python)
        assert missing == []
        lxml = next(wheel for wheel in chosen if wheel.name == "lxml")
        assert lxml.path.name.endswith(f"-cp{python.replace('.', '')}-win_amd64.whl")
    installer = (folder / kit.WINDOWS_SCRIPT).read_bytes()
    assert installer == kit.text_files(WINDOWS, "0.1.0")[kit.WINDOWS_SCRIPT]


def python_for(version: str) -> str | None:
    """A working CPython `version` on this machine: on PATH, or one pyenv installed."""
    candidates = [shutil.which(f"python{version}")]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates += sorted(str(p) for p in pyenv.glob(f"{version}.*/bin/python{version}"))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    return None


@pytest.mark.kit
@pytest.mark.parametrize("version", kit.PYTHONS)
def test_the_linux_kit_installs_without_the_index_and_builds_the_samples(kits, version, tmp_path):
    python = python_for(version)
    if python is None:
        pytest.skip(f"Python {version} is not installed here")
    folder = tmp_path / "kit"
    shutil.copytree(kits["manylinux_x86_64"], folder)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    # no index, and no configuration that could point pip anywhere but the kit
    environment.update(
        PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, HOME=str(tmp_path), PYTHON=python
    )
    done = subprocess.run(
        ["sh", "install.sh"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已生成 33 个，失败 0 个" in done.stderr and "安装成功" in done.stdout
    assert len(list((folder / "output").rglob("*.docx"))) == 33
    venv_python = folder / ".venv" / "bin" / "python"
    reported = subprocess.run(
        [str(venv_python), "-c", "import sys; print(sys.version_info[:2])"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert reported.stdout.strip() == str(tuple(int(p) for p in version.split(".")))
    listed = subprocess.run(
        [str(venv_python), "-m", "pip", "list", "--format", "json"],
        capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    installed = {kit.canonicalize_name(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    chosen, _ = kit.resolve(kit.wheels_in(folder / "wheels"), LINUX, version)
    for wheel in chosen:  # every library came from the kit
        assert installed[wheel.name] == str(wheel.version)

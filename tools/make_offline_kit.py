"""Builds the offline install kits: gen, every library it needs as a wheel, templates, samples, an installer.

Run `python tools/make_offline_kit.py [--platform win_amd64|manylinux_x86_64|all] [-o dist/]` in the
project's virtual environment on a machine that reaches the package index. Each kit is one zip,
`gen-<version>-offline-<platform>.zip`, holding one folder:

    wheels/        gen's wheel and the wheels of every library it needs, for CPython 3.11–3.13
    templates/     the two Word templates
    projects/      the sample projects
    安装.bat / install.sh   makes .venv, installs with `pip --no-index`, then runs `gen build projects`
    使用说明.txt   what to do, in Chinese

The libraries are pinned to the versions installed here, the ones the test suite ran with. pip
decides markers such as `platform_system == "Windows"` by the machine it runs on, not by
`--platform`, so after downloading, the kit is resolved again as the target machine would
(check_kit) and whatever is still missing is downloaded by name. check_kit also runs in the tests.
"""

from __future__ import annotations

import argparse
import email.parser
import importlib.metadata
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
PYTHONS = ("3.11", "3.12", "3.13")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # no build time in the zip
WINDOWS_SCRIPT = "安装.bat"
LINUX_SCRIPT = "install.sh"
GUIDE = "使用说明.txt"


@dataclass(frozen=True)
class Platform:
    """One kind of target machine."""

    name: str  # as given to --platform
    label: str  # in the zip's name and the guide
    pip_platforms: tuple[str, ...]  # what pip download is told
    wheel_platforms: tuple[str, ...]  # platform tags a wheel may carry, besides "any"
    markers: dict[str, str]  # the environment markers of such a machine
    script: str


# manylinux2014 is glibc 2.17: every x86_64 Linux of the last ten years (CentOS 7, UOS, Kylin).
_MANYLINUX = tuple(f"manylinux_2_{minor}_x86_64" for minor in range(17, 4, -1)) + (
    "manylinux2014_x86_64",
    "manylinux2010_x86_64",
    "manylinux1_x86_64",
)
PLATFORMS = {
    "win_amd64": Platform(
        "win_amd64",
        "Windows 64 位",
        ("win_amd64",),
        ("win_amd64",),
        {
            "os_name": "nt",
            "sys_platform": "win32",
            "platform_system": "Windows",
            "platform_machine": "AMD64",
        },
        WINDOWS_SCRIPT,
    ),  # fmt: skip
    "manylinux_x86_64": Platform(
        "manylinux_x86_64",
        "Linux x86_64",
        ("manylinux_2_17_x86_64", "manylinux2014_x86_64"),
        _MANYLINUX,
        {
            "os_name": "posix",
            "sys_platform": "linux",
            "platform_system": "Linux",
            "platform_machine": "x86_64",
        },
        LINUX_SCRIPT,
    ),  # fmt: skip
}


# --- resolving a folder of wheels as the target machine would ----------------------------------


@dataclass(frozen=True)
class Wheel:
    """One wheel file: its project, version and tags."""

    path: Path
    name: str  # canonical
    version: Version
    tags: frozenset[Tag]


def wheels_in(folder: Path) -> list[Wheel]:
    """Every wheel in `folder`, by name order."""
    found = []
    for path in sorted(folder.glob("*.whl")):
        name, version, _, tags = parse_wheel_filename(path.name)
        found.append(Wheel(path, canonicalize_name(name), version, frozenset(tags)))
    return found


def supported_tags(platform: Platform, python: str) -> set[Tag]:
    """The wheel tags CPython `python` accepts on `platform`."""
    version = tuple(int(part) for part in python.split("."))
    platforms = list(platform.wheel_platforms)
    return set(cpython_tags(version, platforms=platforms)) | set(
        compatible_tags(version, f"cp{python.replace('.', '')}", platforms)
    )


def target_environment(platform: Platform, python: str) -> dict[str, str]:
    """The marker environment of CPython `python` on `platform`."""
    environment = dict(default_environment())
    environment.update(platform.markers)
    environment.update(
        python_version=python,
        python_full_version=f"{python}.0",
        implementation_name="cpython",
        platform_python_implementation="CPython",
        extra="",
    )
    return environment


def metadata(wheel: Wheel) -> email.message.Message:
    """The METADATA of a wheel."""
    with zipfile.ZipFile(wheel.path) as package:
        name = next(n for n in package.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.BytesParser().parsebytes(package.read(name))


def resolve(
    wheels: Sequence[Wheel], platform: Platform, python: str
) -> tuple[list[Wheel], list[str]]:
    """The wheels pip would install for `gen` from these alone, and the requirements none meets."""
    tags, environment = supported_tags(platform, python), target_environment(platform, python)
    chosen: dict[str, Wheel] = {}
    missing: list[str] = []
    wanted = [Requirement("gen")]
    while wanted:
        requirement = wanted.pop(0)
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = canonicalize_name(requirement.name)
        if name in chosen:
            if not requirement.specifier.contains(chosen[name].version, prereleases=True):
                missing.append(f"{requirement}（已选 {chosen[name].version}）")
            continue
        candidates = [
            wheel
            for wheel in wheels
            if wheel.name == name
            and requirement.specifier.contains(wheel.version, prereleases=True)
            and wheel.tags & tags
            and _runs_on(wheel, python)
        ]
        if not candidates:
            missing.append(str(requirement))
            continue
        best = max(candidates, key=lambda wheel: wheel.version)
        chosen[name] = best
        wanted += (Requirement(text) for text in metadata(best).get_all("Requires-Dist") or ())
    return sorted(chosen.values(), key=lambda wheel: wheel.name), missing


def _runs_on(wheel: Wheel, python: str) -> bool:
    """Whether the wheel's Requires-Python admits `python`."""
    needed = metadata(wheel).get("Requires-Python")
    return needed is None or SpecifierSet(needed).contains(f"{python}.0")


def check_kit(folder: Path, platform: Platform) -> list[str]:
    """What keeps the kit in `folder` from installing offline on `platform` (empty when nothing)."""
    problems = []
    wheels = wheels_in(folder / "wheels")
    for wheel in wheels:
        platforms = {tag.platform for tag in wheel.tags}
        if not platforms & {"any", *platform.wheel_platforms}:
            problems.append(f"{wheel.path.name}：不是{platform.label}或纯 Python 的 wheel")
    for python in PYTHONS:
        _, missing = resolve(wheels, platform, python)
        problems += (f"Python {python}：缺少 {requirement}" for requirement in missing)
    for part in (
        "templates/绩效目标表.docx",
        "templates/绩效目标申报表.docx",
        platform.script,
        GUIDE,
        "README.md",
        "docs/FORMAT.md",
    ):
        if not (folder / part).is_file():
            problems.append(f"缺少 {part}")
    if not list((folder / "projects").rglob("*.yaml")):
        problems.append("缺少示例项目 projects/")
    return problems


# --- downloading --------------------------------------------------------------------------------


def pip(*arguments: str) -> None:
    """Run pip of this Python; its own output explains a failure."""
    subprocess.run([sys.executable, "-m", "pip", *arguments], check=True)


def build_gen_wheel(folder: Path) -> Path:
    """gen's own wheel (templates included), built from this checkout."""
    pip("wheel", str(REPO), "--no-deps", "--quiet", "--wheel-dir", str(folder))
    (wheel,) = folder.glob("gen-*.whl")
    return wheel


def tested_versions() -> list[str]:
    """`name==version` of every library gen needs that is installed here."""
    pins: dict[str, str] = {}
    wanted = [Requirement(text) for text in importlib.metadata.requires("gen") or ()]
    while wanted:
        requirement = wanted.pop(0)
        name = canonicalize_name(requirement.name)
        if name in pins or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        pins[name] = distribution.version
        wanted += (Requirement(text) for text in distribution.requires or ())
    return [f"{name}=={version}" for name, version in sorted(pins.items())]


def download(
    requirements: Iterable[str], platform: Platform, python: str, wheels: Path, pins: Path
) -> None:
    """Wheels for `requirements` and what they need, for CPython `python` on `platform`."""
    platforms = [option for tag in platform.pip_platforms for option in ("--platform", tag)]
    pip(
        "download", *requirements, "--quiet", "--only-binary=:all:", *platforms,
        "--python-version", python, "--implementation", "cp", "--constraint", str(pins),
        "--find-links", str(wheels), "--dest", str(wheels),
    )  # fmt: skip


def gather_wheels(gen_wheel: Path, platform: Platform, wheels: Path, pins: Path) -> None:
    """Every wheel gen needs for each Python on `platform`, until the kit resolves offline."""
    shutil.copy2(gen_wheel, wheels)
    for python in PYTHONS:
        download([str(wheels / gen_wheel.name)], platform, python, wheels, pins)
        for _ in range(5):  # a dependency that only the target's markers ask for, and its own
            _, missing = resolve(wheels_in(wheels), platform, python)
            if not missing:
                break
            download(missing, platform, python, wheels, pins)


# --- the kit ------------------------------------------------------------------------------------


WINDOWS_INSTALLER = r"""@echo off
rem gen offline installer. ASCII up to "chcp 936", GBK after it.
setlocal
cd /d "%~dp0"
set "OLDCP="
for /f "tokens=2 delims=:." %%c in ('chcp') do set /a OLDCP=%%c
chcp 936 >nul
rem 以下提示为中文（GBK）。在本文件夹建立虚拟环境 .venv，从 wheels 文件夹安装 gen，不需要联网。
set "PY="
py -3.13 -c "pass" >nul 2>&1 && set "PY=py -3.13"
if not defined PY py -3.12 -c "pass" >nul 2>&1 && set "PY=py -3.12"
if not defined PY py -3.11 -c "pass" >nul 2>&1 && set "PY=py -3.11"
if not defined PY python -c "import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))" >nul 2>&1 && set "PY=python"
if not defined PY goto no_python
echo 第 1 步：用 %PY% 在本文件夹建立虚拟环境 .venv
%PY% -m venv .venv
if errorlevel 1 goto failed
echo 第 2 步：从 wheels 文件夹安装 gen（不需要联网）
".venv\Scripts\python.exe" -m pip install --quiet --no-index --find-links wheels --disable-pip-version-check --upgrade gen
if errorlevel 1 goto failed
echo 第 3 步：用示例项目试运行 gen build projects
".venv\Scripts\gen.exe" build projects
if errorlevel 1 goto failed
echo.
echo 安装成功。示例表格已生成在本文件夹的 output 里。
echo 以后使用：在本文件夹打开命令提示符，先运行 .venv\Scripts\activate 再运行 gen 命令，详见 使用说明.txt
set "CODE=0"
goto done

:no_python
echo 没有找到 Python 3.11、3.12 或 3.13。
echo 请先安装 64 位 Python（安装时勾选 Add python.exe to PATH），再双击运行本文件。
set "CODE=1"
goto done

:failed
echo 安装没有完成。请把上面的提示截图，连同 使用说明.txt 一起发给维护人员。
set "CODE=1"
goto done

:done
pause
if defined OLDCP chcp %OLDCP% >nul
exit /b %CODE%
"""

LINUX_INSTALLER = """#!/bin/sh
# gen 离线安装：在本文件夹建立虚拟环境 .venv，从 wheels 文件夹安装 gen（不需要联网），
# 再用示例项目试运行 gen build projects。指定 Python：PYTHON=python3.12 ./install.sh
set -eu
cd "$(dirname "$0")"

fits() { "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; }

if [ -z "${PYTHON:-}" ]; then
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && fits "$candidate"; then
      PYTHON=$candidate
      break
    fi
  done
fi
if [ -z "${PYTHON:-}" ] || ! fits "$PYTHON"; then
  echo "没有找到 Python 3.11、3.12 或 3.13；请先安装其中之一（Debian/Ubuntu：sudo apt-get install python3 python3-venv）" >&2
  exit 1
fi

echo "第 1 步：用 $PYTHON 在本文件夹建立虚拟环境 .venv"
if ! "$PYTHON" -m venv .venv; then
  echo "无法建立虚拟环境；Debian/Ubuntu 请先运行 sudo apt-get install python3-venv" >&2
  exit 1
fi
echo "第 2 步：从 wheels 文件夹安装 gen（不需要联网）"
.venv/bin/python -m pip install --quiet --no-index --find-links wheels --disable-pip-version-check \
  --upgrade gen
echo "第 3 步：用示例项目试运行 gen build projects"
.venv/bin/gen build projects
echo
echo "安装成功。示例表格已生成在本文件夹的 output 里。"
echo "以后使用：在本文件夹运行 . .venv/bin/activate，再运行 gen 命令，详见 使用说明.txt"
"""

GUIDE_TEXT = """gen 离线安装包（{label}）  gen {version}

gen 把每个项目的 YAML 文件生成为“财政项目支出绩效目标表”和“财政项目支出绩效目标申报表”
Word 表格。这个安装包不需要联网：gen 和它用到的全部程序库都在 wheels 文件夹里。

一、准备
  电脑上需要 Python 3.11、3.12 或 3.13{python_note}

二、安装
  1. 把压缩包整个解压到一个文件夹，例如 {example}。解压出的 {folder} 文件夹
     就是 gen 的文件夹，下面说的“这个文件夹”都是它。
  2. 进入 {folder} 文件夹，{run}
     它会在这个文件夹里建立虚拟环境 .venv，从 wheels 文件夹安装 gen，
     再用 projects 里的示例项目试生成一次表格，放在 output 文件夹里。
  3. 最后显示“安装成功”就好了。

三、日常使用
  {open_shell}
    {activate}
    gen check projects       检查全部项目，列出审核会退回的问题（不写文件）
    gen build projects       生成表格，放在 output 文件夹里
    gen new projects{sep}本单位{sep}新项目.yaml    新建一个项目文件，按提示填写
    gen --help               查看全部命令
  projects 里是示例项目，每个 .yaml 文件一个项目，可以照着写，也可以换成自己的文件夹。
  表格的字体、字号、列宽在 templates 文件夹的两个 Word 模板里，可以用 Word 或 WPS 修改。
  全部命令、项目文件的写法和常见问题见 README.md（用记事本打开）和 docs 文件夹。

四、常见问题
  {faq}
  以后升级：把新的安装包解压到一个新的文件夹，运行其中的{script_name}，再把原来文件夹里
  自己的项目文件和改过的模板拷过去（不要解压覆盖原来的文件夹：会盖掉改过的模板和示例）。
"""

GUIDES = {
    "win_amd64": {
        "python_note": "（64 位）。没有的话，请把 Python 安装程序\n"
        "  （python.org 的 Windows installer (64-bit)）拷到电脑上安装，安装时勾选\n"
        "  “Add python.exe to PATH”。",
        "example": r"D:\gen",
        "run": "双击 安装.bat。",
        "open_shell": "在这个文件夹的地址栏输入 cmd 后回车，打开命令提示符，然后运行：",
        "activate": r".venv\Scripts\activate      （每次打开命令提示符后先运行这一句）",
        "sep": "\\",
        "faq": "提示“没有找到 Python”：还没有安装 Python，或安装时没有勾选 py launcher 和\n"
        "  Add python.exe to PATH；重新运行 Python 安装程序，选 Modify 补上。\n"
        "  生成时提示表格正被其他程序打开：在 WPS 或 Word 里关闭那个表格，再运行一次。",
        "script_name": " 安装.bat",
    },
    "manylinux_x86_64": {
        "python_note": "，以及 venv 模块（Debian/Ubuntu：\n"
        "  sudo apt-get install python3 python3-venv）。系统需是 x86_64、glibc 2.17 以上\n"
        "  （近十年的发行版，如 UOS、麒麟、CentOS 7 及以后）。",
        "example": "~/gen",
        "run": "在终端里运行 sh install.sh",
        "open_shell": "在终端里进入这个文件夹，然后运行：",
        "activate": ". .venv/bin/activate      （每次打开终端后先运行这一句）",
        "sep": "/",
        "faq": "要用某个 Python：PYTHON=python3.12 sh install.sh\n"
        "  提示“无法建立虚拟环境”：先安装 python3-venv。",
        "script_name": " sh install.sh",
    },
}


def guide(platform: Platform, version: str) -> str:
    """使用说明.txt for `platform`."""
    folder = kit_folder(platform, version)
    return GUIDE_TEXT.format(
        label=platform.label, version=version, folder=folder, **GUIDES[platform.name]
    )


def kit_folder(platform: Platform, version: str) -> str:
    """The one top folder of the kit's zip: what the user unpacks and works in."""
    return f"gen-{version}-{platform.name}"


def text_files(platform: Platform, version: str) -> dict[str, bytes]:
    """The installer and the guide, encoded as the platform reads them.

    cmd reads a .bat in the console's code page, line by line: the lines before `chcp 936` are
    ASCII, the Chinese lines after it GBK, and every line ends in CRLF (cmd's `goto` misreads
    LF-only files). Notepad opens UTF-8 with a byte-order mark on every Windows.
    """
    text = guide(platform, version)
    if platform.name == "win_amd64":
        return {
            WINDOWS_SCRIPT: WINDOWS_INSTALLER.replace("\n", "\r\n").encode("gbk"),
            GUIDE: ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"),
        }
    return {LINUX_SCRIPT: LINUX_INSTALLER.encode("utf-8"), GUIDE: text.encode("utf-8")}


def assemble(folder: Path, platform: Platform, gen_wheel: Path, pins: Path) -> None:
    """Lay the kit out in `folder`."""
    (folder / "wheels").mkdir(parents=True)
    gather_wheels(gen_wheel, platform, folder / "wheels", pins)
    shutil.copytree(REPO / "templates", folder / "templates")
    shutil.copytree(REPO / "projects", folder / "projects")
    shutil.copy2(REPO / "README.md", folder / "README.md")
    shutil.copytree(REPO / "docs", folder / "docs")
    version = str(parse_wheel_filename(gen_wheel.name)[1])
    for name, data in text_files(platform, version).items():
        (folder / name).write_bytes(data)


def write_zip(folder: Path, target: Path) -> None:
    """Zip `folder` as the one top folder of `target`, in name order, install.sh executable."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if path.name == LINUX_SCRIPT else 0o644) << 16
            archive.writestr(info, path.read_bytes())


def make_kit(platform: Platform, out_dir: Path, work: Path, gen_wheel: Path, pins: Path) -> Path:
    """Build, check and zip the kit for `platform`; the zip's path."""
    version = str(parse_wheel_filename(gen_wheel.name)[1])
    folder = work / kit_folder(platform, version)
    assemble(folder, platform, gen_wheel, pins)
    problems = check_kit(folder, platform)
    if problems:
        raise SystemExit("离线安装包不完整：\n" + "\n".join(problems))
    target = out_dir / f"gen-{version}-offline-{platform.name}.zip"
    write_zip(folder, target)
    return target


def main(argv: Sequence[str]) -> int:
    """Command line: which platforms, which folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", choices=[*PLATFORMS, "all"], default="all")
    parser.add_argument("-o", "--output", type=Path, default=REPO / "dist")
    options = parser.parse_args(argv)
    chosen = (
        list(PLATFORMS.values()) if options.platform == "all" else [PLATFORMS[options.platform]]
    )
    with tempfile.TemporaryDirectory(prefix="gen-kit-") as temp:
        work = Path(temp)
        gen_wheel = build_gen_wheel(work / "gen")
        pins = work / "pins.txt"
        pins.write_text("\n".join(tested_versions()) + "\n", encoding="utf-8")
        for platform in chosen:
            print(make_kit(platform, options.output, work, gen_wheel, pins))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

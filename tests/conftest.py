"""Shared fixtures and texts: a CLI runner, project writers, a template-compile spy, the paths."""

from __future__ import annotations

import errno
import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "projects"
CORPUS = Path(__file__).resolve().parent / "corpus"

# Lines 1-8 of the hand-written projects (here, in test_rules and in test_schema): 1 表样, 2 年度,
# 3 项目名称, 4 项目类别, 5 主管部门, 6 实施单位, 7 计划开始日期, 8 计划完成日期.
PROJECT_HEAD = """\
表样: 绩效目标表
年度: 2026
项目名称: 社工
项目类别: 经常性项目
主管部门: 浦江镇人民政府
实施单位: 浦江镇社区党群服务中心
计划开始日期: 2026-01-01
计划完成日期: 2026-12-31
"""

GOOD_PROJECT = (
    PROJECT_HEAD
    + """\
项目资金:
  项目资金总额: 3082.53
  财政资金: 3082.53
  其他资金: 0
年度资金:
  年度资金申请总额: 3082.53
  当年财政拨款: 3082.53
  上年结转资金: 0
  其他资金: 0
项目总目标: 保障社工2026年度工资福利、公用经费等的正常支出。
年度总体目标: |
  保障社工工资福利的正常支出。
  保障公用经费的正常支出。
绩效指标:
  产出指标:
    数量指标:
      社工数量: 118人
    时效指标:
      资金支付及时性: 每月
  效益指标:
    社会效益指标:
      对社工社保、福利等方面的保障: 提升
  满意度指标:
    服务对象满意度指标:
      社工满意度: ≥90%
"""
)


def good_project(name: str = "社工") -> str:
    """A clean project whose goals and indicators are its own, so projects don't copy each other."""
    return GOOD_PROJECT.replace("社工", name)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path):
    """Write a file below tmp_path (dedented), creating folders; return its path."""

    def write_file(relative: str, text: str) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test with tmp_path as the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A copy of the sample projects/ that a test may change."""
    target = tmp_path / "projects"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def compiled_forms(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The forms whose template the Renderer compiles during the test, in order."""
    from gen.render import Renderer

    compiled: list[str] = []
    original = Renderer._compile

    def counting(self, form):
        compiled.append(form)
        return original(self, form)

    monkeypatch.setattr(Renderer, "_compile", counting)
    return compiled


def sharing_violation(path: str) -> PermissionError:
    """What Windows raises on a file another program holds open: WinError 32."""
    error = PermissionError(13, "The process cannot access the file", path)
    error.winerror = 32  # type: ignore[attr-defined]  (set by Python on Windows only)
    return error


def held_open(*names: str, winerror: bool = True):
    """An os.replace / os.unlink that fails for files with these names as Windows does."""
    replace, unlink = os.replace, os.unlink

    def failing(real):
        def call(src, dst=None):
            target = os.fspath(dst if dst is not None else src)
            if os.path.basename(target) in names:
                if winerror:
                    raise sharing_violation(target)
                raise PermissionError(13, "Access is denied", target)  # WinError 5
            return real(src) if dst is None else real(src, dst)

        return call

    return failing(replace), failing(unlink)


def link_refused(monkeypatch: pytest.MonkeyPatch, number: int = errno.EPERM) -> None:
    """os.link failing with `number`: by default as a file system without hard links refuses it
    (FAT32 and exFAT on Linux say EPERM)."""

    def refused(src, dst, **kwargs):
        raise OSError(number, os.strerror(number), os.fspath(src), None, os.fspath(dst))

    monkeypatch.setattr(os, "link", refused)


def read_only_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """os.unlink as on a read-only mount on Linux: EROFS, whether the file is there or not."""

    def refused(path, *, dir_fd=None):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    monkeypatch.setattr(os, "unlink", refused)


def built_with_pdf(
    runner: CliRunner, write: Callable[[str, str], Path], folder: Path, pdf: str
) -> Path:
    """Projects 甲 and 乙 built from `folder`/projects into its output/, whose folder is returned;
    the form named `pdf` has a PDF beside it, as gen build --pdf leaves one."""
    from gen.cli import main

    for name in ("甲", "乙"):
        write(f"projects/{name}.yaml", good_project(name))
    assert runner.invoke(main, ["build", "projects", "-j", "1"]).exit_code == 0
    (folder / "output" / f"{pdf}.pdf").write_bytes(b"%PDF-1.4 old")
    return folder / "output"


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """gen's cache folder (LibreOffice profiles) in a temp folder, shared by the whole run.

    Set through the environment, so gen processes started by a test use it too.
    """
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.setenv("LOCALAPPDATA", str(folder))
        yield folder / "gen"


@pytest.fixture(scope="session", autouse=True)
def no_defaults_above(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Stop at once if a _defaults.yaml lies above the tests' temp folders or the repository.

    Every _defaults.yaml above a project applies to it, however far up: one left in /tmp would
    change what hundreds of tests read, and they would fail in ways that do not name it.
    """
    base = tmp_path_factory.getbasetemp().resolve()
    above = {*base.parents, *REPO.parents}
    stray = sorted(
        str(folder / "_defaults.yaml") for folder in above if (folder / "_defaults.yaml").exists()
    )
    if stray:
        pytest.exit(
            f"remove {', '.join(stray)}: it would apply to every project the tests write", 3
        )


def unlistable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Folders called `name` cannot be listed, as if their permissions forbade it."""
    listing = Path.iterdir

    def iterdir(folder: Path):  # type: ignore[no-untyped-def]
        if folder.name == name:
            raise PermissionError(errno.EACCES, "Permission denied")
        return listing(folder)

    monkeypatch.setattr(Path, "iterdir", iterdir)

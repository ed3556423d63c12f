"""The pre-commit hooks: their entry runs gen check, inside a git repository, without the network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLES

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent  # where `gen` and `pre-commit` are installed

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def test_hooks_run_gen_check():
    assert [hook["id"] for hook in HOOKS] == ["gen-check", "gen-check-changed"]
    assert {hook["entry"] for hook in HOOKS} == {"gen check"}
    whole, changed = HOOKS
    assert whole["pass_filenames"] is False  # a _defaults.yaml change affects every project below
    assert changed["pass_filenames"] is True and changed["require_serial"] is True


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A unit's own repository: the sample projects, and the hooks as local system hooks."""
    shutil.copytree(SAMPLES, tmp_path / "projects")
    local = [{**hook, "language": "system"} for hook in HOOKS]  # installing needs the network
    config = {"repos": [{"repo": "local", "hooks": local}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    return tmp_path


def _git(repo: Path, *args: str) -> None:
    """Run git in the repository."""
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run …` offline, with this environment's gen on the PATH."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
    }
    command = [str(BIN / "pre-commit"), "run", *args]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=120)


def _break(repo: Path, relative: str, old: str, new: str) -> None:
    """Make a mistake in a file and stage it."""
    path = repo / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _git(repo, "add", "-A")


def test_clean_projects_pass(repo):
    done = _run(repo, "--all-files")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gen check（检查全部项目）" in done.stdout and "Passed" in done.stdout


def test_a_broken_project_stops_the_commit(repo):
    _break(repo, "projects/平安办/安保经费.yaml", "  财政资金: 2035.58", "  财政资金: 三千")
    done = _run(repo, "gen-check", "--files", "projects/平安办/安保经费.yaml")
    assert done.returncode == 1
    assert (
        "projects/平安办/安保经费.yaml:6: 项目资金.财政资金: 应为数字，实际为“三千”" in done.stdout
    )
    changed = _run(repo, "gen-check-changed", "--files", "projects/平安办/安保经费.yaml")
    assert changed.returncode == 1
    assert "已检查 1 个项目，失败 1 个" in changed.stdout


def test_a_broken_defaults_file_is_caught_by_gen_check(repo):
    _break(repo, "projects/平安办/_defaults.yaml", "零值: '0'", "零值: 无")
    done = _run(repo, "gen-check", "--files", "projects/平安办/_defaults.yaml")
    assert done.returncode == 1
    assert "projects/平安办/_defaults.yaml:5: 格式.零值:" in done.stdout
    skipped = _run(repo, "gen-check-changed", "--files", "projects/平安办/_defaults.yaml")
    assert skipped.returncode == 0  # documented: this hook does not look at _defaults.yaml
    assert "(no files to check)Skipped" in skipped.stdout


# ---------------------------------------------------------------- the plain git hook of the README


def _readme_hook() -> str:
    """The shell script README.md shows for .git/hooks/pre-commit."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    script = readme.split("```sh\n#!/bin/sh\n", 1)[1].split("```", 1)[0]
    return "#!/bin/sh\n" + script


def _commit(repo: Path, bin_dir: Path) -> subprocess.CompletedProcess[str]:
    """`git commit` with only git and sh to be found on the PATH, as from a window without the venv."""
    env = {
        **os.environ,
        "PATH": str(bin_dir),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"]
    command[0] = str(bin_dir / "git")
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def hooked(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The repository with README's hook installed, and a folder holding only git and sh."""
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(_readme_hook(), encoding="utf-8")
    hook.chmod(0o755)
    bin_dir = tmp_path_factory.mktemp("bin")
    for program in ("git", "sh"):
        found = shutil.which(program)
        assert found is not None
        (bin_dir / program).symlink_to(found)
    return repo, bin_dir


def _install_gen(repo: Path) -> None:
    """The repository's own .venv/bin/gen: this environment's gen."""
    gen = repo / ".venv" / "bin" / "gen"
    gen.parent.mkdir(parents=True)
    gen.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gen "$@"\n', encoding="utf-8")
    gen.chmod(0o755)
    (repo / ".git" / "info" / "exclude").write_text(".venv/\n", encoding="utf-8")  # not committed


@pytest.mark.skipif(sys.platform == "win32", reason="the hook is run by sh")
def test_the_readme_hook_uses_the_gen_of_the_repository_without_an_activated_venv(hooked):
    repo, bin_dir = hooked
    _install_gen(repo)
    _break(repo, "projects/平安办/安保经费.yaml", "  财政资金: 2035.58", "  财政资金: 三千")
    refused = _commit(repo, bin_dir)
    assert refused.returncode == 1
    # git shows a hook's output on stderr
    assert "projects/平安办/安保经费.yaml:6: 项目资金.财政资金: 应为数字，实际为“三千”" in (
        refused.stderr
    )
    _break(repo, "projects/平安办/安保经费.yaml", "  财政资金: 三千", "  财政资金: 2035.58")
    assert _commit(repo, bin_dir).returncode == 0


@pytest.mark.skipif(sys.platform == "win32", reason="the hook is run by sh")
def test_the_readme_hook_says_in_chinese_when_it_finds_no_gen(hooked):
    repo, bin_dir = hooked
    _break(repo, "projects/平安办/安保经费.yaml", "  财政资金: 2035.58", "  财政资金: 三千")
    refused = _commit(repo, bin_dir)
    assert refused.returncode == 1
    assert refused.stderr == (
        "找不到 gen：请在仓库的文件夹里安装 gen（.venv），或在激活了虚拟环境的命令窗口里提交\n"
    )

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

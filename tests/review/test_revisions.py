"""Reading versions: git revisions through two git processes, Chinese file names, nothing of the
user's working tree, index or HEAD touched; Chinese messages (exit code 2) when it cannot."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import GOOD_PROJECT, unlistable
from scenario import SECURITY, change_everything, git, sample_repository

from gen.cli import main
from gen.review import revisions
from gen.review.revisions import Git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def invoke(folder: Path, *arguments: str) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        return CliRunner().invoke(main, ["diff", *arguments])


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample repository with a second commit (every change) tagged 2027-报送."""
    repo = sample_repository(tmp_path_factory.mktemp("revisions") / "repo")
    git(repo, "tag", "2026-报送")
    change_everything(repo)
    git(repo, "add", "-A", "projects")
    git(repo, "commit", "-q", "-m", "改动")
    return repo


def test_a_revision_is_read_with_its_chinese_file_names(history):
    repo = Git(history)
    commit = repo.commit("2026-报送")
    files = repo.files(commit, ["projects/平安办"])
    assert "projects/平安办/安保经费.yaml" in files
    assert "projects/_defaults.yaml" in files  # the defaults above the path come along
    assert not any(name.startswith("projects/司法所") for name in files)
    assert files["projects/平安办/安保经费.yaml"] == git(
        history, "show", "2026-报送:projects/平安办/安保经费.yaml"
    ).encode("utf-8")


def test_one_listing_and_one_read_per_revision(history, monkeypatch):
    calls: list[list[str]] = []
    original = revisions._run_git

    def spy(arguments, folder, stdin=None):
        calls.append(arguments)
        return original(arguments, folder, stdin=stdin)

    monkeypatch.setattr(revisions, "_run_git", spy)
    result = invoke(history, "2026-报送", "HEAD")
    assert result.exit_code == 0, result.output
    commands = [c[0] for c in calls]  # the same whatever the number of files
    assert commands == ["rev-parse"] * 3 + ["ls-tree", "cat-file"] * 2


def _state(repo: Path) -> dict[str, str]:
    """Everything a read-only command must leave as it was."""
    files = sorted(p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
    return {
        "index": hashlib.sha256((repo / ".git/index").read_bytes()).hexdigest(),
        "HEAD": (repo / ".git/HEAD").read_text(),
        "head": git(repo, "rev-parse", "HEAD"),
        "status": git(repo, "--no-optional-locks", "status", "--porcelain", "-uall"),
        "files": "\n".join(f"{p}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in files),
    }


def test_reading_revisions_touches_nothing_and_leaves_no_copy(history, tmp_path, monkeypatch):
    copy = tmp_path / "repo"
    shutil.copytree(history, copy)
    (copy / SECURITY).write_text(
        (copy / SECURITY).read_text(encoding="utf-8").replace("380岗", "400岗"), encoding="utf-8"
    )
    git(copy, "add", SECURITY)  # something staged
    (copy / "projects/新文件.yaml").write_text(GOOD_PROJECT, encoding="utf-8")  # untracked
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    before = _state(copy)
    for arguments in ([], ["2026-报送"], ["2026-报送", "HEAD"], ["HEAD~1", "HEAD", "projects"]):
        result = invoke(copy, *arguments)
        assert result.exit_code == 0, result.output
    assert _state(copy) == before
    assert list(temporary.iterdir()) == []


def test_a_tag_and_the_working_tree(history):
    result = invoke(history, "2026-报送", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"old": "2026-报送"' in result.stdout and '"new": "工作区"' in result.stdout


def test_not_in_a_repository(tmp_path):
    (tmp_path / "projects").mkdir()
    result = invoke(tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：当前文件夹 {tmp_path.resolve().as_posix()} 不在 git 仓库中：gen diff 默认比较最近一次提交"
        "（HEAD）和工作区；要比较两个文件夹，请写 gen diff 旧文件夹 新文件夹\n"
    )


def test_a_mistyped_second_folder_outside_a_repository_is_named(tmp_path):
    (tmp_path / "projects").mkdir()
    result = invoke(tmp_path, "projects", "2027/projects")
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：找不到“2027/projects”：要比较两个文件夹，请写 gen diff 旧文件夹 新文件夹，两个都要存在"
        f"（当前文件夹 {tmp_path.resolve().as_posix()} 不在 git 仓库中，不能按版本比较）\n"
    )


def test_an_empty_argument_is_refused_not_taken_for_the_current_folder(tmp_path):
    (tmp_path / "projects").mkdir()
    result = invoke(tmp_path, "projects", "")
    assert result.exit_code == 2
    assert result.stderr == "错误：有一个参数是空的；请写出版本或路径（当前文件夹写 .）\n"


def _no_such_revision(name: str) -> str:
    """The message for a revision that is neither a file nor a version git knows."""
    return (
        f"错误：找不到“{name}”：HEAD 和 工作区 中都没有这个文件或文件夹，"
        "git 仓库里也没有叫这个名字的版本（分支、标签或提交）；"
        "可用 git log --oneline 或 git tag 查看已有的版本，版本要写在路径前面"
    )


def test_an_unknown_revision(history):
    result = invoke(history, "2025-报送")
    assert result.exit_code == 2
    assert result.stderr == _no_such_revision("2025-报送") + "\n"


def test_an_older_revision_in_a_shallow_clone_says_how_to_fetch_it(history, tmp_path):
    """CI checks out the latest commit alone by default: the revision is in the repository,
    only not in this clone, and git log shows one commit; the message says what to fetch."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", history.as_uri(), str(clone))
    result = invoke(clone, "HEAD~1")
    assert result.exit_code == 2
    assert result.stderr == _no_such_revision("HEAD~1") + (
        "；这个仓库是浅克隆（shallow clone），只取下了最近的提交，更早的版本和别的分支不在本地："
        "请运行 git fetch --unshallow（CI 中：GitHub 在检出步骤设 fetch-depth: 0，"
        "GitLab 设变量 GIT_DEPTH: 0）后重试\n"
    )
    assert invoke(clone).exit_code == 0  # HEAD against the working tree needs nothing more


def test_git_missing(history, monkeypatch):
    monkeypatch.setattr(revisions.shutil, "which", lambda name: None)
    result = invoke(history)
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：找不到 git 命令：gen diff 要用 git 读取旧版本；请安装 git（https://git-scm.com），"
        "或者比较两个文件夹：gen diff 旧文件夹 新文件夹\n"
    )


def test_two_folders_need_no_git(tmp_path, monkeypatch):
    monkeypatch.setattr(revisions.shutil, "which", lambda name: None)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    result = invoke(tmp_path, "a", "b")
    assert result.exit_code == 0, result.output
    assert "没有改动。" in result.stdout


def test_a_repository_without_a_commit(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "projects").mkdir()
    result = invoke(tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：git 仓库里还没有“HEAD”这个版本（还没有提交过？）")


def test_a_path_outside_the_repository(history, tmp_path):
    result = invoke(history, "HEAD", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path} 不在 git 仓库 {history.resolve().as_posix()} 里" in result.stderr


def test_no_projects_folder_here(history):
    result = invoke(history / "projects")
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：找不到 projects：HEAD 和 工作区 中都没有它；请在存放 projects/ 的文件夹中运行，或指明路径\n"
    )


def test_a_path_in_neither_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    result = invoke(tmp_path, "a", "b", "平安办")
    assert result.exit_code == 2
    assert result.stderr == (
        "错误：找不到 平安办：a 和 b 里都没有它；两个文件夹之后的路径是相对于这两个文件夹的\n"
    )


def test_a_project_deleted_with_its_folder_is_found_in_the_old_version(history, tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(history, copy)
    shutil.rmtree(copy / "projects/司法所")
    result = invoke(copy, "HEAD", "projects/司法所")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n删除 projects/司法所/") == 5


def test_git_refusing_the_repository_is_quoted(tmp_path, monkeypatch):
    said = "fatal: detected dubious ownership in repository at '/srv/单位仓库'"

    def refusing(arguments, folder, stdin=None):
        return subprocess.CompletedProcess(arguments, 128, b"", said.encode() + b"\n")

    monkeypatch.setattr(revisions, "_run_git", refusing)
    result = invoke(tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：git 无法打开当前文件夹 {tmp_path.resolve().as_posix()} 所在的仓库；git 的说明：{said}\n"
    )


def test_a_bare_repository_is_no_folder_of_projects(tmp_path, history):
    bare = tmp_path / "单位仓库.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(history), str(bare)], check=True)
    result = invoke(bare)
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：当前文件夹 {bare.resolve().as_posix()} 是 git 仓库自己的存储（裸仓库或 .git 文件夹），"
        "里面没有项目文件；请在检出了项目文件的文件夹里运行 gen diff\n"
    )
    inside = invoke(history / ".git")
    assert inside.exit_code == 2 and "是 git 仓库自己的存储" in inside.stderr


# ---------------------------------------------------------------- what neither version compares

LINK = (
    "这是链接（指向 {}）；git 只记下链接指向哪里，不记下内容，所以 gen diff 在两个版本里"
    "都不比较链接，请比较它指向的文件"
)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_and_an_unreadable_folder_in_the_working_tree_are_named(tmp_path, monkeypatch):
    repo = sample_repository(tmp_path / "repo")
    os.mkfifo(repo / "projects" / "管道.yaml")
    (repo / "projects" / "锁住").mkdir()
    (repo / "projects" / "锁住" / "社工.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    unlistable(monkeypatch, "锁住")
    result = invoke(repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "比较：HEAD → 工作区（projects）",
        "",
        "未比较（工作区）：projects/管道.yaml: 这不是普通文件（是管道、设备等特殊文件）；gen 只读取普通文件",
        "未比较（工作区）：projects/锁住: 无法打开这个文件夹（没有读取权限）；其中的文件没有检查，"
        "请检查文件夹的权限",
        "",
    ]
    assert "没有改动。" in result.stdout


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_are_left_out_of_both_versions_and_named(tmp_path):
    repo = sample_repository(tmp_path / "repo")
    projects = repo / "projects"
    (projects / "link.yaml").symlink_to(Path("平安办") / "安保经费.yaml")
    (projects / "A链接").symlink_to("平安办")  # before 平安办 in name order
    result = invoke(repo)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:5] == [
        f"未比较（工作区）：projects/A链接: 警告: {LINK.format('平安办')}",
        f"未比较（工作区）：projects/link.yaml: 警告: {LINK.format('平安办/安保经费.yaml')}",
        "",
    ]
    assert "没有改动。" in result.stdout  # 平安办 itself is still compared, with itself
    git(repo, "add", "projects")
    git(repo, "commit", "-q", "-m", "链接")
    (projects / "平安办" / "安保经费.yaml").unlink()
    committed = invoke(repo, "--format", "json")
    listing = json.loads(committed.stdout)
    assert [(s["version"], s["file"], s["code"]) for s in listing["skipped"]] == [
        ("HEAD、工作区", "projects/A链接", "link-skipped"),
        ("HEAD、工作区", "projects/link.yaml", "link-skipped"),
    ]
    assert [(p["status"], p["path"]) for p in listing["projects"]] == [
        ("removed", "projects/平安办/安保经费.yaml")  # and not also through the links
    ]

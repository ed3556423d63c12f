"""The two versions `gen diff` compares: git revisions read through the git command, the working
tree, or two folders — each presented as a folder of project files that the normal Loader reads.

A revision is never checked out: its project files are listed with one `git ls-tree` and read
with one `git cat-file --batch`, then written to a temporary folder. The user's working tree,
index and HEAD are only ever read.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gen.errors import Finding, UsageError, shown
from gen.files import walk
from gen.load import DEFAULTS_NAME, YAML_SUFFIXES, Loader, find_project_files, is_project_file

HEAD = "HEAD"
WORKTREE = "工作区"
DEFAULT_PATH = "projects"
_BLOB_MODES = (b"100644", b"100755")  # regular files; links and submodules are not projects
_LINK_MODE = b"120000"
LINK_SKIPPED = (
    "这是链接（指向 {target}）；git 只记下链接指向哪里，不记下内容，所以 gen diff 在两个版本里"
    "都不比较链接，请比较它指向的文件"
)


@dataclass(frozen=True)
class Side:
    """One version of the projects: a folder whose files are read, and how to name them."""

    label: str  # HEAD, 2026-报送, 工作区, 2026/projects
    base: Path  # the folder the files are read from: the compared root or a temporary copy of it
    shown_root: Path  # the compared root as the user names it (relative to the current folder)
    boundary: Path | None  # the highest folder whose _defaults.yaml apply (None: as gen build)
    skipped: list[Finding] = field(default_factory=list)  # what was not compared, and why

    def loader(self) -> Loader:
        """A Loader that reads this version's _defaults.yaml files and no others."""
        return Loader(self.boundary)

    def project_files(self, paths: Sequence[str]) -> list[Path]:
        """The project files below the given paths (relative to the compared root) that exist here.

        What the walk could not read (a pipe, an unreadable folder) and links (a git revision
        holds a link, not the file or folder it leads to: so neither version follows one) are
        noted in `skipped` instead.
        """
        problems: list[Finding] = []
        links: list[Path] = []
        found: set[Path] = set()
        for path in (self.base / path for path in paths):
            if path.is_symlink():
                links.append(path)
            elif path.is_dir():
                found.update(walk(path, is_project_file, ("_", "."), problems, links))
            elif path.exists():
                found.update(find_project_files([path], problems))
        problems += [_link_finding(link, os.readlink(link)) for link in links]
        self.skipped.extend(self.located(finding) for finding in problems)
        return sorted(found, key=lambda file: file.as_posix())

    def has(self, path: str) -> bool:
        """Whether a path (relative to the compared root) exists in this version."""
        return (self.base / path).exists()

    def key(self, file: Path) -> str:
        """A file's path relative to the compared root: what matches a project across versions."""
        return Path(os.path.relpath(file, self.base)).as_posix()

    def shown(self, file: Path) -> Path:
        """A file as the user knows it: the temporary copy's name is never shown."""
        relative = Path(os.path.relpath(file, self.base))
        if relative.parts[:1] == ("..",):
            return file
        shown = self.shown_root / relative
        return shown if shown.is_absolute() else Path(os.path.relpath(shown.absolute()))

    def located(self, finding: Finding) -> Finding:
        """A finding about one of this version's files, naming the file as the user knows it."""
        return Finding(
            self.shown(finding.file),
            finding.line,
            finding.path,
            finding.level,
            finding.code,
            finding.message,
        )


@dataclass(frozen=True)
class Versions:
    """What `gen diff` was asked to compare: two versions and the paths that limit the projects."""

    old: Side
    new: Side
    paths: tuple[str, ...]  # relative to the compared root (the repository's top, or each folder)


@contextmanager
def opened(arguments: Sequence[str]) -> Iterator[Versions]:
    """The versions named by `[OLD] [NEW] [PATH...]`; temporary copies are removed afterwards.

    When the first two arguments are both folders, they are the two versions and the rest are
    paths inside each. Otherwise leading arguments that are not files or folders but git
    revisions are the versions (NEW defaults to the working tree, OLD to HEAD), and the rest
    are paths.
    """
    if "" in arguments:  # Path("") is the current folder
        raise UsageError("有一个参数是空的；请写出版本或路径（当前文件夹写 .）")
    if len(arguments) >= 2 and Path(arguments[0]).is_dir() and Path(arguments[1]).is_dir():
        yield _folders(Path(arguments[0]), Path(arguments[1]), arguments[2:])
        return
    try:
        git = Git.here()
    except NotARepository:
        _refuse_missing_folder(arguments)
        raise
    revisions = _leading_revisions(git, arguments)
    given = list(arguments[len(revisions) :])
    paths = git.relative_paths(given or [DEFAULT_PATH])
    with ExitStack() as stack:
        old = git.revision_side(*(revisions[0] if revisions else git.head()), paths, stack)
        if len(revisions) == 2:
            new = git.revision_side(*revisions[1], paths, stack)
        else:
            new = git.worktree_side()
        _check_paths_exist(old, new, paths, given, git)
        yield Versions(old, new, tuple(paths))


def _refuse_missing_folder(arguments: Sequence[str]) -> None:
    """Outside git, a folder and a path that is not there: two folders were meant, one mistyped."""
    if len(arguments) >= 2 and Path(arguments[0]).is_dir():
        for argument in arguments[1:]:
            if not Path(argument).exists():
                raise UsageError(
                    f"找不到“{argument}”：要比较两个文件夹，请写 gen diff 旧文件夹 新文件夹，"
                    f"两个都要存在（当前文件夹 {shown(Path.cwd())} 不在 git 仓库中，不能按版本比较）"
                )


def _leading_revisions(git: Git, arguments: Sequence[str]) -> list[tuple[str, str]]:
    """The first arguments (two at most) that are not files or folders but git revisions,
    each with the commit it names."""
    revisions: list[tuple[str, str]] = []
    for argument in arguments[:2]:
        commit = None if Path(argument).exists() else git.commit(argument)
        if commit is None:
            break
        revisions.append((argument, commit))
    return revisions


def _folders(old: Path, new: Path, paths: Sequence[str]) -> Versions:
    """Two folders compared with each other; paths are inside each of them."""
    chosen = [Path(p).as_posix() for p in paths] or ["."]
    for path in chosen:
        if not ((old / path).exists() or (new / path).exists()):
            raise UsageError(
                f"找不到 {path}：{shown(old)} 和 {shown(new)} 里都没有它；"
                "两个文件夹之后的路径是相对于这两个文件夹的"
            )
    return Versions(_folder_side(old), _folder_side(new), tuple(chosen))


def _folder_side(folder: Path) -> Side:
    """A folder as a version: its _defaults.yaml files apply as in gen build."""
    return Side(folder.as_posix(), folder, folder, None)


def _check_paths_exist(
    old: Side, new: Side, paths: Sequence[str], given: Sequence[str], git: Git
) -> None:
    """Every path must be in one of the two versions (a new folder, a deleted one)."""
    for path, typed in zip(paths, given or [DEFAULT_PATH], strict=True):
        if old.has(path) or new.has(path):
            continue
        if not given:
            raise UsageError(
                f"找不到 {typed}：{old.label} 和 {new.label} 中都没有它；"
                "请在存放 projects/ 的文件夹中运行，或指明路径"
            )
        raise UsageError(
            f"找不到“{typed}”：{old.label} 和 {new.label} 中都没有这个文件或文件夹，"
            "git 仓库里也没有叫这个名字的版本（分支、标签或提交）；"
            "可用 git log --oneline 或 git tag 查看已有的版本，版本要写在路径前面"
            f"{_shallow_note(git)}"
        )


def _shallow_note(git: Git) -> str:
    """In a shallow clone (CI checks out one commit by default) older versions are not there."""
    if not git.shallow():
        return ""
    return (
        "；这个仓库是浅克隆（shallow clone），只取下了最近的提交，更早的版本和别的分支不在本地："
        "请运行 git fetch --unshallow（CI 中：GitHub 在检出步骤设 fetch-depth: 0，"
        "GitLab 设变量 GIT_DEPTH: 0）后重试"
    )


# ---------------------------------------------------------------- git


class NotARepository(UsageError):
    """The current folder is in no git repository."""


class Git:
    """The repository around the current folder, read through the git command."""

    def __init__(self, top: Path) -> None:
        self.top = top  # the repository's top folder, absolute

    @classmethod
    def here(cls) -> Git:
        """The repository the current folder is in."""
        done = _run_git(["rev-parse", "--show-toplevel"], Path.cwd())
        said = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0 and "must be run in a work tree" in said:
            raise UsageError(  # a bare repository, or inside a .git folder
                f"当前文件夹 {shown(Path.cwd())} 是 git 仓库自己的存储（裸仓库或 .git 文件夹），"
                "里面没有项目文件；请在检出了项目文件的文件夹里运行 gen diff"
            )
        if done.returncode != 0 and "not a git repository" not in said.lower():
            raise UsageError(  # e.g. "detected dubious ownership": git says what to run
                f"git 无法打开当前文件夹 {shown(Path.cwd())} 所在的仓库；git 的说明：{said}"
            )
        if done.returncode != 0:
            raise NotARepository(
                f"当前文件夹 {shown(Path.cwd())} 不在 git 仓库中：gen diff 默认比较最近一次提交"
                "（HEAD）和工作区；要比较两个文件夹，请写 gen diff 旧文件夹 新文件夹"
            )
        return cls(Path(os.fsdecode(done.stdout.rstrip(b"\n"))))

    def relative_paths(self, paths: Sequence[str]) -> list[str]:
        """Paths given on the command line, relative to the repository's top folder."""
        relative = []
        for path in paths:
            try:
                inside = os.path.relpath(Path(path).absolute(), self.top)
            except ValueError:  # another drive (Windows)
                inside = ".."
            if inside == ".." or inside.startswith(".." + os.sep):
                raise UsageError(
                    f"{path} 不在 git 仓库 {shown(self.top)} 里；请指定仓库里的文件或文件夹"
                )
            relative.append(Path(inside).as_posix())
        return relative

    def worktree_side(self) -> Side:
        """The files as they are on disk now, saved or not, committed or not."""
        shown = Path(os.path.relpath(self.top))
        return Side(WORKTREE, shown, shown, self.top)

    def head(self) -> tuple[str, str]:
        """HEAD and its commit; a repository without a commit has none."""
        commit = self.commit(HEAD)
        if commit is None:
            raise UsageError(
                f"git 仓库里还没有“{HEAD}”这个版本（还没有提交过？）；"
                "请先提交一次，或者比较两个文件夹：gen diff 旧文件夹 新文件夹"
            )
        return HEAD, commit

    def revision_side(
        self, revision: str, commit: str, paths: Sequence[str], stack: ExitStack
    ) -> Side:
        """A committed version, copied to a temporary folder that `stack` removes."""
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="gen-diff-")))
        files, links = self.snapshot(commit, paths)
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        side = Side(_short(revision), folder, Path(os.path.relpath(self.top)), folder)
        side.skipped.extend(side.located(_link_finding(folder / n, t)) for n, t in links.items())
        return side

    def shallow(self) -> bool:
        """Whether the repository is a shallow clone, holding only the latest commits."""
        done = self.run(["rev-parse", "--is-shallow-repository"], check=False)
        return done.returncode == 0 and done.stdout.strip() == b"true"

    def commit(self, revision: str) -> str | None:
        """The commit a revision names (HEAD~2, a tag, a branch…), None when there is none."""
        done = self.run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"],
            check=False,
        )
        return done.stdout.decode("ascii").strip() if done.returncode == 0 else None

    def files(self, commit: str, paths: Sequence[str]) -> dict[str, bytes]:
        """The YAML files of a commit below `paths`, and the _defaults.yaml files above them."""
        return self.snapshot(commit, paths)[0]

    def snapshot(
        self, commit: str, paths: Sequence[str]
    ) -> tuple[dict[str, bytes], dict[str, str]]:
        """The YAML files of a commit below `paths` (with the _defaults.yaml files above them),
        and the links there that may stand for a project or a folder, each with its target.

        One `git ls-tree` and one `git cat-file --batch`: a link's blob is its target's path.
        """
        specs = sorted({*paths, *_defaults_above(paths)})
        listing = self.run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *specs]).stdout
        wanted: dict[str, str] = {}
        links: dict[str, str] = {}
        for entry in filter(None, listing.split(b"\0")):
            meta, _, name = entry.partition(b"\t")
            mode, kind, blob = meta.split(b" ")
            path = name.decode("utf-8", "surrogateescape")  # git keeps names as UTF-8 bytes
            if kind != b"blob":
                continue
            if mode in _BLOB_MODES and path.lower().endswith(YAML_SUFFIXES):
                wanted[path] = blob.decode("ascii")
            elif mode == _LINK_MODE and _may_be_project(path):
                links[path] = blob.decode("ascii")
        contents = self.blobs([*wanted.values(), *links.values()])
        files = dict(zip(wanted, contents, strict=False))
        targets = contents[len(wanted) :]
        return files, {n: os.fsdecode(t) for n, t in zip(links, targets, strict=True)}

    def blobs(self, ids: Sequence[str]) -> list[bytes]:
        """The contents of blobs, read by one `git cat-file --batch`."""
        if not ids:
            return []
        out = self.run(["cat-file", "--batch"], stdin="".join(f"{i}\n" for i in ids)).stdout
        contents, at = [], 0
        for _ in ids:
            header_end = out.index(b"\n", at)
            size = int(out[at:header_end].split(b" ")[2])
            contents.append(out[header_end + 1 : header_end + 1 + size])
            at = header_end + 1 + size + 1  # the content is followed by a newline
        return contents

    def run(
        self, arguments: list[str], stdin: str | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """Run a git command in the repository's top folder."""
        done = _run_git(arguments, self.top, stdin=stdin)
        if check and done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip()
            raise UsageError(f"git {arguments[0]} 失败：{reason}")
        return done


def _may_be_project(path: str) -> bool:
    """Whether a link's name could be a project file's, or a folder's (no suffix)."""
    name = PurePosixPath(path)
    return name.suffix == "" or name.name.lower().endswith(YAML_SUFFIXES)


def _link_finding(link: Path, target: str) -> Finding:
    """A link left out of the comparison, with where it points."""
    message = LINK_SKIPPED.format(target=target)
    return Finding(link, 0, "", "warning", "link-skipped", message)


def _short(revision: str) -> str:
    """A revision as it is shown: a full commit id (as CI passes it) cut to 12 digits."""
    return revision[:12] if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", revision) else revision


def _defaults_above(paths: Sequence[str]) -> list[str]:
    """The _defaults.yaml paths of every folder from the top of the repository down to `paths`."""
    found = []
    for path in paths:
        folder = PurePosixPath(path)
        for parent in [folder, *folder.parents]:
            found.append((parent / DEFAULTS_NAME).as_posix())
    return found


def _run_git(
    arguments: list[str], folder: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git; a machine without git gets a message saying what to install."""
    executable = shutil.which("git")
    if executable is None:
        raise UsageError(
            "找不到 git 命令：gen diff 要用 git 读取旧版本；请安装 git（https://git-scm.com），"
            "或者比较两个文件夹：gen diff 旧文件夹 新文件夹"
        )
    # git's own messages in English, whatever the locale: a few are recognised, others quoted
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    environment["LANGUAGE"] = "en"
    return subprocess.run(
        [executable, "--literal-pathspecs", *arguments],
        cwd=folder,
        input=stdin.encode("ascii") if stdin is not None else None,
        capture_output=True,
        env=environment,
        check=False,
    )

"""Which project files a command works on, and which form each one writes (mirroring its folder)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from gen.errors import Finding, UsageError, shown
from gen.files import windows_refuses
from gen.load import find_project_files
from gen.report import ProjectResult

DEFAULT_PROJECTS = Path("projects")
DEFAULT_OUTPUT = Path("output")


def targets(
    paths: Sequence[Path], out_dir: Path | None, problems: list[Finding] | None = None
) -> list[ProjectResult]:
    """One result per project file; its form's place mirrors the file's place in the projects tree.

    The tree is the nearest folder called projects/ in the path given (so `projects/平安办` and
    `projects/平安办/安保经费.yaml` write `output/平安办/安保经费.docx`, as `projects` does), else
    the folder given.

    Two projects whose forms would be one file are a clash, also when the two names differ
    only in letter case: Windows and macOS see one file there. Without `out_dir` (gen check)
    the clash is told as a build into output/ would meet it. What the walk could not look
    at goes to `problems`; when that leaves no project at all, its first error is the usage error.
    """
    results: list[ProjectResult] = []
    seen: dict[str, tuple[Path, Path]] = {}  # a form's path in lower case → (its project, the form)
    found: list[Finding] = []
    taken: set[str] = set()  # the files already listed, absolute
    for root in paths or [DEFAULT_PROJECTS]:
        if not root.exists():
            hint = "（请在存放 projects/ 的文件夹中运行，或指明路径）" if not paths else ""
            raise UsageError(f"找不到 {shown(root)}{hint}")
        for file in find_project_files([root], found):
            if (same := os.path.abspath(file)) in taken:
                continue  # named twice (`projects projects/平安办`): one project all the same
            taken.add(same)
            relative = file.relative_to(tree_root(root))
            form = (out_dir or DEFAULT_OUTPUT) / relative.with_suffix(".docx")
            result = ProjectResult(file, form if out_dir else None)
            result.findings += _windows_names(file, relative)
            key = form.as_posix().casefold()
            if key in seen:
                result.findings.append(_clash(file, form, *seen[key]))
                result.output = None  # the form is the other project's
            else:
                seen[key] = (file, form)
            results.append(result)
    errors = [f for f in found if f.is_error]
    if not results and errors:
        raise UsageError(str(errors[0]))
    if problems is not None:
        problems.extend(found)
    return results


def tree_root(path: Path) -> Path:
    """The folder a path's forms are mirrored below: its nearest projects/ folder, else itself.

    A file named on its own, outside any projects/ folder, is mirrored below its own folder.
    """
    for folder in (path, *path.parents):
        if folder.name == DEFAULT_PROJECTS.name:
            return folder
    return path if path.is_dir() else path.parent


def _windows_names(file: Path, relative: Path) -> list[Finding]:
    """The file's name, or a folder's between the projects tree and it, that Windows refuses."""
    for index, part in enumerate(relative.parts):
        reason = windows_refuses(part)
        if reason is not None:
            what = "文件名" if index == len(relative.parts) - 1 else "文件夹名"
            message = (
                f"{what}“{part}”在 Windows 上不能用：{reason}；请给它改名"
                "（否则在 Windows 电脑上无法检出、复制它和它的表格）"
            )
            return [Finding(file, 0, "", "error", "windows-name", message)]
    return []


def _clash(file: Path, target: Path, other: Path, other_target: Path) -> Finding:
    """Two projects that would write the same form, or two forms named alike but for case."""
    if target == other_target:
        message = f"与 {shown(other)} 生成同一个文件 {shown(target)}；请给其中一个改名"
    else:
        message = (
            f"生成的 {shown(target)} 与 {shown(other)} 生成的 {shown(other_target)} 只差字母大小写，"
            "在 Windows 和 macOS 上是同一个文件；请给其中一个改名"
        )
    return Finding(file, 0, "", "error", "output-clash", message)

"""What a check or build found and did: one result per project, and the report's closing line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gen.errors import Finding, UsageError, shown
from gen.load import Source

NAMED_PROJECTS = 3  # projects a broken template failed that are named; more are counted


@dataclass
class ProjectResult:
    """What happened to one project file."""

    path: Path
    output: Path | None = None  # where its form goes (None for `check`)
    findings: list[Finding] = field(default_factory=list)
    built: bool = False
    source: Source | None = None  # kept by check() only
    doc: dict[str, Any] | None = None  # the validated document, kept by check() only
    skipped: bool = False  # build() found its inputs and its form unchanged

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))


@dataclass
class Report:
    """The outcome of a check or build, for the CLI to print and tests to inspect."""

    results: list[ProjectResult]
    strict: bool = False
    findings: list[Finding] = field(default_factory=list)  # every finding, in a stable order
    removed: list[Path] = field(default_factory=list)  # old forms (and PDFs) of failed projects
    outdated_pdfs: list[Path] = field(default_factory=list)  # PDFs of forms that have changed
    problems: list[str] = field(default_factory=list)  # failures of the run as a whole, Chinese
    stale: list[Path] = field(default_factory=list)  # forms whose project file was deleted
    # their PDFs, removed with them (clean); without clean, those left of a form deleted by hand
    stale_pdfs: list[Path] = field(default_factory=list)
    cleaned: bool = False  # the stale forms and PDFs were removed (build with clean)
    is_build: bool = False  # a build (forms written), not only a check
    # a broken template's message → the projects it failed; said once, not once per project
    broken_templates: dict[str, list[Path]] = field(default_factory=dict)
    built_forms: dict[str, int] = field(default_factory=dict)  # 表样 → forms written of it
    notes: list[str] = field(default_factory=list)  # what the user should know, not a failure

    @classmethod
    def of(cls, results: list[ProjectResult], strict: bool, is_build: bool = False) -> Report:
        """The report of these results, every finding once, in a stable order."""
        if not results:
            raise UsageError("没有找到项目文件（*.yaml）；以“_”开头的文件只作共用设置，不算项目")
        # a _defaults.yaml error recurs per project: dict.fromkeys keeps each finding once
        unique = dict.fromkeys(f for r in results for f in r.findings)
        findings = sorted(unique, key=Finding.sort_key)
        return cls(results, strict, findings, is_build=is_build)

    @property
    def built(self) -> list[ProjectResult]:
        return [r for r in self.results if r.built]

    @property
    def skipped(self) -> list[ProjectResult]:
        return [r for r in self.results if r.skipped]

    @property
    def failed(self) -> list[ProjectResult]:
        return [r for r in self.results if r.failed(self.strict)]

    @property
    def warned(self) -> list[ProjectResult]:
        return [r for r in self.results if r.warnings]

    @property
    def exit_code(self) -> int:
        failed = self.failed or self.problems or any(f.is_error for f in self.findings)
        return 1 if failed else 0

    def add_failure(self, result: ProjectResult, message: str) -> None:
        """A failure that happened after checking (template or disk), on the project's file."""
        finding = Finding(result.path, 0, "", "error", "write-failed", message)
        result.findings.append(finding)
        self.findings.append(finding)

    def add_template_failure(self, result: ProjectResult, message: str) -> None:
        """A project failed by its broken template: counted under the template's one message."""
        result.findings.append(Finding(result.path, 0, "", "error", "template-failed", message))
        self.broken_templates.setdefault(message, []).append(result.path)

    def problem_lines(self) -> list[str]:
        """The run's own problems, then each broken template once with the projects it failed."""
        broken = [
            f"{m}；{_projects(paths)}因此没有生成" for m, paths in self.broken_templates.items()
        ]
        return [*self.problems, *broken]

    def closing_line(self, elapsed: float | None = None) -> str:
        """How many were built (or checked), failed and warned, the time taken, what was removed."""
        counts = f"失败 {len(self.failed)} 个，有警告 {len(self.warned)} 个"
        if not self.is_build:
            return f"已检查 {len(self.results)} 个项目，{counts}"
        line = f"已生成 {len(self.built)} 个，{counts}"
        if self.skipped:
            line += f"，未变 {len(self.skipped)} 个"
        if elapsed is not None:
            line += f"，{elapsed_text(elapsed)}"
        forms = [path for path in self.removed if path.suffix == ".docx"]
        if forms:
            line += f"；已删除 {len(forms)} 个失败项目的旧表格"
        if len(forms) < len(self.removed):
            line += f"；已删除 {len(self.removed) - len(forms)} 个失败项目的旧 PDF"
        if self.outdated_pdfs:
            line += f"；已删除 {len(self.outdated_pdfs)} 个按旧表格生成的 PDF（需要时用 gen build --pdf 重新生成）"
        if self.stale and self.cleaned:
            line += f"；已删除 {len(self.stale)} 个项目文件已不存在的旧表格"
        if self.stale_pdfs and self.cleaned:
            line += f"；已删除 {len(self.stale_pdfs)} 个项目文件已不存在的旧 PDF"
        stale = [f"{len(self.stale)} 个旧表格"] if self.stale else []
        stale += [f"{len(self.stale_pdfs)} 个旧 PDF "] if self.stale_pdfs else []
        if stale and not self.cleaned:  # 1 个旧表格和 2 个旧 PDF 的项目文件…
            line += f"；{'和 '.join(stale)}的项目文件已不存在（加 --clean 删除）"
        return line


def _projects(paths: list[Path]) -> str:
    """A few project files by name, more by their number."""
    if len(paths) > NAMED_PROJECTS:
        return f"{len(paths)} 个项目"
    return "、".join(shown(path) for path in paths) + " "


def elapsed_text(seconds: float) -> str:
    """用时 3.2 秒 / 用时 2 分 5 秒."""
    if seconds < 60:
        return f"用时 {seconds:.1f} 秒"
    minutes, seconds = divmod(round(seconds), 60)
    return f"用时 {minutes} 分 {seconds} 秒"

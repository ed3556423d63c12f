"""Orchestration: find the project files, check them, render the good ones, write; return a report."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gen import output
from gen.errors import Finding, GenError, UsageError
from gen.load import Loader, Source, find_project_files
from gen.model import project_from, render_context
from gen.rules import check_project, check_projects
from gen.schema import validate

DEFAULT_PROJECTS = Path("projects")
DEFAULT_OUTPUT = Path("output")


@dataclass
class ProjectResult:
    """What happened to one project file."""

    path: Path
    output: Path | None = None  # where its form goes (None for `check`)
    findings: list[Finding] = field(default_factory=list)
    built: bool = False
    source: Source | None = None
    doc: dict[str, Any] | None = None

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
    removed: list[Path] = field(default_factory=list)  # outdated forms of failed projects

    @property
    def built(self) -> list[ProjectResult]:
        return [r for r in self.results if r.built]

    @property
    def failed(self) -> list[ProjectResult]:
        return [r for r in self.results if r.failed(self.strict)]

    @property
    def warned(self) -> list[ProjectResult]:
        return [r for r in self.results if r.warnings]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or any(f.is_error for f in self.findings) else 0


def check(paths: Sequence[Path] = (), *, strict: bool = False) -> Report:
    """Validate every project under `paths` without writing anything."""
    results = list(_checked(_targets(paths, out_dir=None)))
    return _report(results, strict)


def build(
    paths: Sequence[Path] = (),
    *,
    out_dir: Path = DEFAULT_OUTPUT,
    templates: Path | None = None,
    strict: bool = False,
    progress: Callable[[ProjectResult], None] | None = None,
) -> Report:
    """Check every project under `paths` and write a form for each one that passes.

    `progress` is called once per project when it is done (built or refused), in path order.
    """
    from gen.render import Renderer, find_template_dir  # docxtpl is only loaded to build

    renderer = Renderer(find_template_dir(templates))  # fails early on a missing template dir
    output.remove_stale_temps(out_dir)
    results = list(_checked(_targets(paths, out_dir=out_dir)))
    report = _report(results, strict)
    for result in results:
        if result.failed(strict):
            if result.output and output.remove_output(result.output):
                report.removed.append(result.output)
        else:
            _write(result, renderer, report)
        if progress is not None:
            progress(result)
    report.findings.sort(key=Finding.sort_key)
    return report


def _write(result: ProjectResult, renderer: Any, report: Report) -> None:
    """Render one checked project and write it atomically; a failure is that project's error."""
    assert result.doc is not None and result.output is not None
    project = project_from(result.doc)
    try:
        data = renderer.render(project.form, render_context(project))
        output.write_atomic(result.output, data)
    except GenError as exc:
        _fail(result, report, exc.message)
    except OSError as exc:
        _fail(result, report, f"无法写入 {result.output.as_posix()}：{_os_reason(exc)}")
    else:
        result.built = True


def _fail(result: ProjectResult, report: Report, message: str) -> None:
    """Record a failure that happened after checking (template or disk)."""
    finding = Finding(result.path, 0, "", "error", "write-failed", message)
    result.findings.append(finding)
    report.findings.append(finding)


def _os_reason(exc: OSError) -> str:
    """A short Chinese reason for a disk error."""
    reasons = {13: "没有写入权限", 28: "磁盘空间不足", 30: "文件系统只读", 36: "文件名太长"}
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))


def _targets(paths: Sequence[Path], out_dir: Path | None) -> Iterator[ProjectResult]:
    """One result per project file; the output mirrors the tree below each named folder."""
    seen: dict[Path, Path] = {}
    for root in paths or [DEFAULT_PROJECTS]:
        if not root.exists():
            hint = "（请在存放 projects/ 的文件夹中运行，或指明路径）" if not paths else ""
            raise UsageError(f"找不到 {root.as_posix()}{hint}")
        for file in find_project_files([root]):
            relative = file.relative_to(root) if root.is_dir() else Path(file.name)
            target = out_dir / relative.with_suffix(".docx") if out_dir else None
            result = ProjectResult(file, target)
            if target is not None and target in seen:
                result.findings.append(_clash(file, target, seen[target]))
            elif target is not None:
                seen[target] = file
            yield result


def _clash(file: Path, target: Path, other: Path) -> Finding:
    """Two projects that would write the same form."""
    message = f"与 {other.as_posix()} 生成同一个文件 {target.as_posix()}；请给其中一个改名"
    return Finding(file, 0, "", "error", "output-clash", message)


def _checked(results: Iterator[ProjectResult]) -> Iterator[ProjectResult]:
    """Load, validate and rule-check each project; then the checks across projects."""
    loader = Loader()
    checked = []
    for result in results:
        source, findings = loader.load(result.path)
        result.findings.extend(findings)
        if source is not None:
            result.source = source
            doc, findings = validate(source)
            result.findings.extend(findings)
            if doc is not None:
                result.doc = doc
                result.findings.extend(check_project(source, doc))
        checked.append(result)
    pairs = [(r, (r.source, r.doc)) for r in checked if r.source and r.doc is not None]
    by_source = {id(source): result for result, (source, _) in pairs}
    for finding in check_projects([pair for _, pair in pairs]):
        _owner(finding, by_source, checked).findings.append(finding)
    yield from checked


def _owner(
    finding: Finding, by_source: dict[int, ProjectResult], results: list[ProjectResult]
) -> ProjectResult:
    """The project a cross-project finding belongs to (its file, or the project using that _defaults.yaml)."""
    for result in results:
        if result.path == finding.file:
            return result
    for result in by_source.values():
        if result.source and finding.file in {loc.file for loc in result.source.origins.values()}:
            return result
    return results[0]


def _report(results: list[ProjectResult], strict: bool) -> Report:
    """Collect every finding in a stable order."""
    unique = dict.fromkeys(
        f for r in results for f in r.findings
    )  # a _defaults.yaml error recurs per project
    findings = sorted(unique, key=Finding.sort_key)
    if not results:
        raise UsageError("没有找到项目文件（*.yaml）；以“_”开头的文件只作共用设置，不算项目")
    return Report(results, strict, findings)

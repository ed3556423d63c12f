"""Orchestration: find the project files, check them, render the good ones, write; return a report."""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from gen import output
from gen.checking import TreeLoader, check_across
from gen.errors import Finding, UsageError, shown
from gen.files import file_hash
from gen.load import Loader
from gen.others import printed_entries
from gen.plan import Action, Incremental, Step, forget_deleted
from gen.report import ProjectResult, Report
from gen.state import State
from gen.targets import DEFAULT_OUTPUT, targets
from gen.templates import find_template_dir, installed_notes, template_file
from gen.vocabulary import FORMS
from gen.workers import PROCESS_DIED, FormWriter, Outcome, WarmWriter, default_jobs, write_forms

Progress = Callable[[ProjectResult, int, int], None]  # (result, projects done, projects in all)


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where to, with which templates, how strictly, how many processes."""

    out_dir: Path = DEFAULT_OUTPUT
    templates: Path | None = None  # the template folder (default: ./templates, else the package's)
    strict: bool = False  # warnings fail a project too
    jobs: int | None = None  # render processes (default: every core)
    force: bool = False  # render every form, changed or not
    clean: bool = False  # remove the forms of deleted project files


def check(paths: Sequence[Path] = (), *, strict: bool = False) -> Report:
    """Validate every project under `paths` without writing anything."""
    problems: list[Finding] = []
    results = targets(paths, out_dir=None, problems=problems)
    _checked(results, TreeLoader(), known=None)
    return _report(results, problems, strict, is_build=False)


def build(
    paths: Sequence[Path] = (),
    options: BuildOptions = BuildOptions(),
    progress: Progress | None = None,
    warm: WarmWriter | None = None,
) -> Report:
    """Check every project under `paths` and write a form for each one that passes.

    A project whose inputs did not change since its form was written is skipped (its findings
    are reported all the same) unless `options.force`. `progress(result, done, total)` is
    called once per project when it is done (built, skipped or refused), in path order.
    `warm` keeps the compiled templates for the next build of the same process.
    """
    template_dir = find_template_dir(options.templates)  # fails early on a missing template dir
    out_dir = _output_folder(options.out_dir)
    state = State.read(out_dir)
    problems: list[Finding] = []
    results = targets(paths, out_dir=out_dir, problems=problems)
    loader = TreeLoader()
    steps = _checked(results, loader, Incremental(state, options.force))
    printed = {form: _printed(template_file(template_dir, form)) for form in FORMS}
    for step in steps:
        step.check_rows(printed)
    report = _report(results, problems, options.strict, is_build=True)
    templates = {form: file_hash(template_file(template_dir, form)) for form in FORMS}
    for step in steps:
        step.decide(report.strict, templates)
    writer = warm.for_build(template_dir, templates) if warm is not None else None
    outcomes = _rendered(steps, loader, template_dir, options.jobs or default_jobs(), writer)
    with closing(outcomes):  # the render processes end and are waited for before temps are judged
        for done, step in enumerate(steps, start=1):
            if step.action is Action.RENDER:
                step.record(next(outcomes), templates, state, report)
            elif step.action is Action.REFUSE:
                step.refuse(state, report)
            if progress is not None:
                progress(step.result, done, len(steps))
    if any(finding.message == PROCESS_DIED for finding in report.findings):
        output.remove_stale_temps(out_dir)  # the render processes stopped with it left theirs
    report.notes = installed_notes(template_dir, _forms_of_each_kind(steps, report))
    forget_deleted(report, state, options.clean)
    _save(state, report)
    report.findings.sort(key=Finding.sort_key)
    return report


def _printed(template: Path) -> tuple[Path, tuple[str, ...]]:
    """A template and the 其他栏目 entries it prints."""
    return template, printed_entries(template)


def _forms_of_each_kind(steps: list[Step], report: Report) -> dict[str, int]:
    """How many of these projects' forms of each 表样 output/ holds: written now or unchanged."""
    counts = dict(report.built_forms)
    for step in steps:
        if step.action is Action.SKIP and step.entry is not None:
            counts[step.entry.form] = counts.get(step.entry.form, 0) + 1
    return counts


def _report(
    results: list[ProjectResult], problems: list[Finding], strict: bool, is_build: bool
) -> Report:
    """The report of the projects, with what the walk could not look at (an unreadable folder)."""
    report = Report.of(results, strict, is_build=is_build)
    report.findings = sorted([*report.findings, *problems], key=Finding.sort_key)
    return report


def _save(state: State, report: Report) -> None:
    """Write the state file; if it cannot be, that is the run's problem, not the forms'."""
    try:
        state.write()
    except output.WriteFailed as exc:
        report.problems.append(
            f"{exc.message}；已生成的表格完好，下次生成时未能记下的表格会重新生成"
        )


def _output_folder(out_dir: Path) -> Path:
    """The output folder, cleared of temp files a killed earlier build left; a file there is a usage error."""
    blocker = output.blocking_file(out_dir)
    if blocker == out_dir:
        raise UsageError(f"输出位置 {output.not_a_folder(out_dir)}；请用 -o 指定一个文件夹")
    if blocker is not None:
        raise UsageError(
            f"无法生成到 {shown(out_dir)}：{output.not_a_folder(blocker)}；"
            "请用 -o 换一个输出文件夹，或把它移走"
        )
    output.remove_stale_temps(out_dir)
    return out_dir


def _checked(results: list[ProjectResult], loader: Loader, known: Incremental | None) -> list[Step]:
    """Check each project (or take its findings from the last build), then the checks across projects."""
    steps = [Step.checked(result, loader, known) for result in results]
    check_across(results, [step.digest for step in steps])
    return steps


def _rendered(
    steps: list[Step], loader: Loader, template_dir: Path, jobs: int, writer: FormWriter | None
) -> Generator[Outcome, None, None]:
    """The outcome of every step marked RENDER, in order."""
    chosen = [step for step in steps if step.action is Action.RENDER]
    tasks = (step.task(loader) for step in chosen)
    return write_forms(tasks, len(chosen), template_dir, jobs, writer)

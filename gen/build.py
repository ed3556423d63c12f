"""Orchestration: find the project files, check them, render the good ones, write; return a report."""

from __future__ import annotations

import os
import pickle
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from gen import output
from gen.errors import Finding, GenError, UsageError
from gen.load import Loader, Source, find_project_files
from gen.model import project_from, render_context
from gen.rules import check_copies, check_project
from gen.schema import FORMS, validate
from gen.state import Digest, Entry, State, file_hash, fingerprint

DEFAULT_PROJECTS = Path("projects")
DEFAULT_OUTPUT = Path("output")
# Options of build() that change what a form contains, hashed with each project's inputs.
# None yet: the 格式 options live in the YAML files and the templates are hashed on their own.
OUTPUT_OPTIONS: dict[str, str] = {}


@dataclass
class ProjectResult:
    """What happened to one project file."""

    path: Path
    output: Path | None = None  # where its form goes (None for `check`)
    findings: list[Finding] = field(default_factory=list)
    built: bool = False
    source: Source | None = None  # kept by check() only
    doc: dict[str, Any] | None = None  # kept by check(), and by build(documents=True)
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
    removed: list[Path] = field(default_factory=list)  # outdated forms of failed projects
    stale: list[Path] = field(default_factory=list)  # forms whose project file was deleted
    cleaned: bool = False  # the stale forms were removed (build(clean=True))

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
        return 1 if self.failed or any(f.is_error for f in self.findings) else 0


def check(paths: Sequence[Path] = (), *, strict: bool = False) -> Report:
    """Validate every project under `paths` without writing anything."""
    results = _targets(paths, out_dir=None)
    _check_all(results, Loader(), keep_sources=True, keep_documents=True)
    return _report(results, strict)


def build(
    paths: Sequence[Path] = (),
    *,
    out_dir: Path = DEFAULT_OUTPUT,
    templates: Path | None = None,
    strict: bool = False,
    progress: Callable[[ProjectResult, int, int], None] | None = None,
    jobs: int | None = None,
    force: bool = False,
    clean: bool = False,
    documents: bool = False,
) -> Report:
    """Check every project under `paths` and write a form for each one that passes.

    A project whose inputs did not change since its form was written is skipped (its
    findings are reported all the same) unless `force`; `jobs` processes render (default:
    every core); `clean` removes the forms of deleted projects; `documents` loads the
    documents of skipped projects too, for reports over every project.
    `progress(result, done, total)` is called once per project when it is done (built, skipped
    or refused), in path order.
    """
    from gen.render import find_template_dir  # docxtpl is only loaded to build

    template_dir = find_template_dir(templates)  # fails early on a missing template dir
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(
            f"输出位置 {out_dir.as_posix()} 是一个文件，不是文件夹；请用 -o 指定一个文件夹"
        )
    output.remove_stale_temps(out_dir)
    state = State.read(out_dir)
    results = _targets(paths, out_dir=out_dir)
    loader = Loader()
    plan = _check_all(results, loader, state=state, force=force, keep_documents=documents)
    report = _report(results, strict)
    hashes = {form: file_hash(template_dir / f"{form}.docx") for form in FORMS}
    _decide(report, plan, hashes, documents)
    outcomes = _rendered(results, plan, loader, template_dir, jobs)
    for done, (result, step) in enumerate(zip(results, plan, strict=True), start=1):
        if step.action == RENDER:
            _record(result, step, next(outcomes), hashes, state, report)
        elif step.action == REFUSE:
            _refuse(result, step, state, report)
        if progress is not None:
            progress(result, done, len(results))
    _forget_deleted(report, state, clean)
    report.cleaned = clean
    state.write()
    report.findings.sort(key=Finding.sort_key)
    return report


def default_jobs() -> int:
    """How many processes render by default: every core this process may use."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# ---------------------------------------------------------------- checking


@dataclass
class _Step:
    """What build() does with one checked project, and what it knows of it."""

    entry: Entry | None  # its state entry (findings of the project alone); None for check()
    digest: Digest | None  # what the checks across projects compare; None if it did not validate
    cached: bool = False  # the findings came from the state: its inputs did not change
    document: bytes | None = None  # the validated document, packed: small, and what a process takes
    action: str = ""  # RENDER, SKIP or REFUSE, decided once every project is checked


RENDER, SKIP, REFUSE = "render", "skip", "refuse"


def _check_all(
    results: list[ProjectResult],
    loader: Loader,
    *,
    state: State | None = None,
    force: bool = False,
    keep_sources: bool = False,
    keep_documents: bool = False,
) -> list[_Step]:
    """Check each project (or take its findings from `state`), then the checks across projects."""
    steps, digests = [], []
    for result in results:
        step = _check_one(result, loader, state, force, (keep_sources, keep_documents))
        steps.append(step)
        digests.append(step.digest)
    _check_across(results, digests)
    return steps


def _check_one(
    result: ProjectResult,
    loader: Loader,
    state: State | None,
    force: bool,
    keep: tuple[bool, bool],
) -> _Step:
    """One project's own checks, or its cached findings when its inputs are unchanged."""
    files = [*loader.defaults_files(result.path), result.path]
    inputs = fingerprint(files, OUTPUT_OPTIONS) if state is not None else None
    if state is not None and result.output is not None and inputs is not None and not force:
        entry = state.get(result.output, result.path)
        if entry is not None and entry.inputs == inputs:
            result.findings.extend(entry.findings)
            return _Step(entry, entry.digest, cached=True)
    findings, source, doc = checked_project(result.path, loader)
    result.findings.extend(findings)
    keep_sources, keep_documents = keep  # memory stays flat when a build keeps neither
    result.doc = doc if keep_documents else None
    result.source = source if keep_sources else None
    digest = Digest.of(source, doc) if source is not None and doc is not None else None
    project = str(result.path.resolve())
    entry = Entry(project, inputs or "", findings, digest) if inputs is not None else None
    return _Step(entry, digest, document=_packed(doc))


def _packed(doc: dict[str, Any] | None) -> bytes | None:
    """A validated document as compressed bytes: every project's waits for rendering at once."""
    return None if doc is None else zlib.compress(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL), 1)


def _unpacked(document: bytes) -> dict[str, Any]:
    """The document _packed() stored."""
    loaded: dict[str, Any] = pickle.loads(zlib.decompress(document))
    return loaded


def checked_project(
    path: Path, loader: Loader
) -> tuple[list[Finding], Source | None, dict[str, Any] | None]:
    """Load, validate and rule-check one project."""
    source, findings = loader.load(path)
    if source is None:
        return findings, None, None
    doc, found = validate(source)
    findings = findings + found
    if doc is not None:
        findings += check_project(source, doc)
    return findings, source, doc


def _check_across(results: list[ProjectResult], digests: list[Digest | None]) -> None:
    """The copy-paste checks across projects, each finding given to the project it is about."""
    owners: dict[tuple[Path, int, str], ProjectResult] = {}
    pairs = []
    for result, digest in zip(results, digests, strict=True):
        if digest is None:
            continue
        pairs.append((digest.source(), digest.marks))
        for name, where in digest.origins.items():
            owners.setdefault((where.file, where.line, name), result)
    by_file = {result.path: result for result in results}
    for finding in check_copies(pairs):
        owner = by_file.get(finding.file) or owners.get((finding.file, finding.line, finding.path))
        (owner or results[0]).findings.append(finding)


# ---------------------------------------------------------------- deciding and writing


def _decide(
    report: Report,
    plan: list[_Step],
    hashes: dict[str, str],
    documents: bool,
) -> None:
    """Mark each project RENDER, SKIP or REFUSE."""
    for result, step in zip(report.results, plan, strict=True):
        if result.failed(report.strict):
            step.action = REFUSE
        elif step.cached and _unchanged(result, step, hashes):
            step.action = SKIP
            result.skipped = True
        else:
            step.action = RENDER
    if documents:
        _load_skipped(report.results, plan)


def _unchanged(result: ProjectResult, step: _Step, hashes: dict[str, str]) -> bool:
    """Whether a cached project's form was written from the same template and is still there."""
    entry = step.entry
    assert entry is not None and result.output is not None
    fresh = entry.template != "" and entry.template == hashes.get(entry.form)
    return fresh and entry.output_matches(result.output)


def _load_skipped(results: list[ProjectResult], plan: list[_Step]) -> None:
    """Give skipped projects their documents as well."""
    loader = Loader()
    for result, step in zip(results, plan, strict=True):
        if step.action == SKIP:
            result.doc = checked_project(result.path, loader)[2]


def _rendered(
    results: list[ProjectResult],
    plan: list[_Step],
    loader: Loader,
    template_dir: Path,
    jobs: int | None,
) -> Iterator[Outcome]:
    """The outcome of every project marked RENDER, in order."""
    chosen = [(r, step) for r, step in zip(results, plan, strict=True) if step.action == RENDER]
    tasks = (_task(result, step, loader) for result, step in chosen)
    return write_forms(tasks, len(chosen), template_dir, jobs or default_jobs())


def _task(result: ProjectResult, step: _Step, loader: Loader) -> tuple[bytes | None, Path]:
    """What a render process needs: the pickled document (loaded again if cached) and the form."""
    document, step.document = step.document, None  # handed over: kept nowhere else
    if document is None:
        doc = checked_project(result.path, loader)[2]
        document = _packed(doc)
    assert result.output is not None
    return document, result.output


def _record(
    result: ProjectResult,
    step: _Step,
    outcome: Outcome,
    hashes: dict[str, str],
    state: State,
    report: Report,
) -> None:
    """Note a rendered form in the report and the state."""
    assert result.output is not None
    if isinstance(outcome, str):
        _fail(result, report, outcome)
        state.drop(result.output)
        return
    form, size, mtime_ns = outcome
    result.built = True
    if step.entry is not None:
        step.entry.form, step.entry.template = form, hashes.get(form, "")
        step.entry.size, step.entry.mtime_ns = size, mtime_ns
        state.put(result.output, step.entry)


def _refuse(result: ProjectResult, step: _Step, state: State, report: Report) -> None:
    """A project that failed: remove its earlier form; remember its findings."""
    if result.output is None:
        return  # it would clash with another project's form, which is not its to remove
    if output.remove_output(result.output):
        report.removed.append(result.output)
    if step.entry is not None and not step.cached:
        state.put(result.output, step.entry)
    elif step.entry is None:
        state.drop(result.output)


def _forget_deleted(report: Report, state: State, clean: bool) -> None:
    """Forms whose project file was deleted: reported as stale, removed with `clean`."""
    for form in state.orphans():
        if not form.exists():
            state.drop(form)
        elif clean:
            output.remove_output(form)
            state.drop(form)
            report.stale.append(form)
        else:
            report.stale.append(form)


def _fail(result: ProjectResult, report: Report, message: str) -> None:
    """Record a failure that happened after checking (template or disk)."""
    finding = Finding(result.path, 0, "", "error", "write-failed", message)
    result.findings.append(finding)
    report.findings.append(finding)


def _targets(paths: Sequence[Path], out_dir: Path | None) -> list[ProjectResult]:
    """One result per project file; the output mirrors the tree below each named folder."""
    return list(_each_target(paths, out_dir))


def _each_target(paths: Sequence[Path], out_dir: Path | None) -> Iterator[ProjectResult]:
    """The results of _targets, one by one."""
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
                result.output = None  # the form is the other project's
            elif target is not None:
                seen[target] = file
            yield result


def _clash(file: Path, target: Path, other: Path) -> Finding:
    """Two projects that would write the same form."""
    message = f"与 {other.as_posix()} 生成同一个文件 {target.as_posix()}；请给其中一个改名"
    return Finding(file, 0, "", "error", "output-clash", message)


def _report(results: list[ProjectResult], strict: bool) -> Report:
    """Collect every finding in a stable order."""
    unique = dict.fromkeys(
        f for r in results for f in r.findings
    )  # a _defaults.yaml error recurs per project
    findings = sorted(unique, key=Finding.sort_key)
    if not results:
        raise UsageError("没有找到项目文件（*.yaml）；以“_”开头的文件只作共用设置，不算项目")
    return Report(results, strict, findings)


# ---------------------------------------------------------------- rendering, here or in processes

Outcome = tuple[str, int, int] | str  # (表样, size, mtime_ns) of a written form, or why it failed
PARALLEL_MIN = 40  # fewer forms than this render faster here than a pool of processes starts
BATCH = 8  # forms per task sent to a process: fewer round trips, still evenly spread
_worker: _FormWriter | None = None  # each process's writer, made once by _start_worker


class _FormWriter:
    """Renders documents with one Renderer and writes each form atomically."""

    def __init__(self, template_dir: Path) -> None:
        from gen.render import Renderer

        self.renderer = Renderer(template_dir)

    def write(self, document: bytes | None, target: Path) -> Outcome:
        """Render and write one form from its pickled document; a failure is returned as its message."""
        if document is None:
            return "项目文件在生成过程中被改动或删除；请重新运行 gen build"
        project = project_from(_unpacked(document))
        try:
            output.write_atomic(target, self.renderer.render(project.form, render_context(project)))
            stat = target.stat()
        except GenError as exc:
            return exc.message
        except OSError as exc:
            return f"无法写入 {target.as_posix()}：{output.disk_reason(exc)}"
        return project.form, stat.st_size, stat.st_mtime_ns


def _start_worker(template_dir: Path) -> None:
    """Process initializer: one writer (and compiled templates) per process."""
    global _worker
    _worker = _FormWriter(template_dir)


def _write_batch(batch: list[tuple[bytes | None, Path]]) -> list[Outcome]:
    """Run in a process: write a batch of forms."""
    assert _worker is not None
    return [_worker.write(doc, target) for doc, target in batch]


def write_forms(
    tasks: Iterable[tuple[bytes | None, Path]], count: int, template_dir: Path, jobs: int
) -> Iterator[Outcome]:
    """Write every (document, form path) task; outcomes come back in task order.

    Tasks are drawn lazily and only a few batches are in flight, so memory does not grow
    with the number of forms. Below PARALLEL_MIN forms, or with one job, no pool is started.
    """
    if count == 0:
        return
    if jobs <= 1 or count < PARALLEL_MIN:
        writer = _FormWriter(template_dir)
        for doc, target in tasks:
            yield writer.write(doc, target)
        return
    workers = min(jobs, -(-count // BATCH))
    with ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(template_dir,)) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in _batches(tasks, BATCH):
            pending.append(pool.submit(_write_batch, batch))
            if len(pending) >= 4 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch

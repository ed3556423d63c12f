"""Rebuild on save: which projects a changed file affects, and the loop that rebuilds them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gen.build import DEFAULT_OUTPUT, DEFAULT_PROJECTS, Report, build
from gen.errors import GenError
from gen.load import DEFAULTS_NAME, YAML_SUFFIXES, Loader, find_project_files

Job = tuple[tuple[Path, ...], Path]  # the paths one build() call takes, and its output folder
OnReport = Callable[[Report], None]
OnError = Callable[[str], None]


@dataclass(frozen=True)
class Rebuilder:
    """How to build, and where to send each report or problem."""

    out_dir: Path
    templates: Path | None
    strict: bool
    on_report: OnReport
    on_error: OnError

    def run(self, jobs: Iterable[Job]) -> None:
        """Build each job; a problem is passed on and the watcher goes on."""
        for targets, out_dir in jobs:
            try:
                report = build(
                    targets, out_dir=out_dir, templates=self.templates, strict=self.strict
                )
            except GenError as exc:
                self.on_error(exc.message)
            except OSError as exc:
                self.on_error(f"无法读取或写入：{exc}")
            else:
                self.on_report(report)


def watch(
    paths: Sequence[Path] = (),
    *,
    out_dir: Path = DEFAULT_OUTPUT,
    templates: Path | None = None,
    strict: bool = False,
    on_report: OnReport,
    on_error: OnError,
    stop_event: threading.Event | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Build everything once, then rebuild what each change affects until stopped or Ctrl-C."""
    rebuilder = Rebuilder(out_dir, templates, strict, on_report, on_error)
    try:
        _watch(list(paths) or [DEFAULT_PROJECTS], rebuilder, stop_event, on_ready)
    except KeyboardInterrupt:
        return  # Ctrl-C while a build was running: stop as quietly as between builds


def _watch(
    roots: list[Path],
    rebuilder: Rebuilder,
    stop_event: threading.Event | None,
    on_ready: Callable[[], None] | None,
) -> None:
    """The first build, then one round of builds per batch of changes."""
    import watchfiles

    from gen.render import find_template_dir

    find_project_files(roots)  # a path that does not exist stops here, before watching
    template_dir = find_template_dir(rebuilder.templates)
    rebuilder.run([(tuple(roots), rebuilder.out_dir)])
    changes = watchfiles.watch(
        *_watched_folders(roots, template_dir),
        stop_event=stop_event,
        debounce=300,
        raise_interrupt=False,
    )
    if on_ready is not None:
        on_ready()
    for batch in changes:
        changed = [Path(name) for _, name in batch]
        rebuilder.run(affected(changed, roots, rebuilder.out_dir, template_dir))


def _watched_folders(roots: Sequence[Path], template_dir: Path) -> list[Path]:
    """The folders to watch: the roots, the folders of the _defaults.yaml above them, the templates."""
    folders = {(root if root.is_dir() else root.parent).resolve() for root in roots}
    for root in roots:
        probe = (root if root.is_dir() else root.parent) / "_"
        folders.update(file.parent.resolve() for file in Loader().defaults_files(probe))
    folders.add(template_dir.resolve())
    return sorted(f for f in folders if not any(p in folders for p in f.parents))


def affected(
    changed: Iterable[Path], roots: Sequence[Path], out_dir: Path, template_dir: Path
) -> list[Job]:
    """The builds a set of changed files calls for, each with the output folder it mirrors into."""
    jobs: dict[Job, None] = {}
    for path in changed:
        path = path.resolve()
        for root in roots:
            for job in _jobs_for(path, root, out_dir, template_dir.resolve()):
                jobs[job] = None
    return _without_covered(list(jobs))


def _jobs_for(path: Path, root: Path, out_dir: Path, template_dir: Path) -> list[Job]:
    """What one changed file means for one root: nothing, one project, a folder, or everything."""
    base = (root if root.is_dir() else root.parent).resolve()
    if template_dir in path.parents:
        return [((root,), out_dir)] if path.suffix.lower() == ".docx" else []
    if path.name == DEFAULTS_NAME:
        folder = path.parent
        if folder == base or folder in base.parents:
            return [((root,), out_dir)]  # above (or at) the root: everything in it
        if base in folder.parents and root.is_dir():
            return _folder_job(folder, root, base, out_dir)
        return []
    if not _is_project(path) or not path.is_file():
        return []  # a deleted or renamed-away file: nothing to build
    if root.is_file():
        return [((root,), out_dir)] if path == root.resolve() else []
    if base not in path.parents or _hidden(path.relative_to(base)):
        return []
    return [((_as_given(path, root, base),), out_dir / path.parent.relative_to(base))]


def _folder_job(folder: Path, root: Path, base: Path, out_dir: Path) -> list[Job]:
    """Every project below a folder inside the root (when it still holds any)."""
    relative = folder.relative_to(base)
    given = root / relative
    if not given.is_dir() or not find_project_files([given]):
        return []
    return [((given,), out_dir / relative)]


def _is_project(path: Path) -> bool:
    """A file gen builds: *.yaml or *.yml, and no part of its name starting with '_' or '.'."""
    return path.suffix.lower() in YAML_SUFFIXES and not path.name.startswith(("_", "."))


def _hidden(relative: Path) -> bool:
    """Whether a file lies in a folder gen skips (its name starts with '_' or '.')."""
    return any(part.startswith(("_", ".")) for part in relative.parts)


def _as_given(path: Path, root: Path, base: Path) -> Path:
    """A file below the root, written relative to the root as the user gave it."""
    return root / path.relative_to(base)


def _without_covered(jobs: list[Job]) -> list[Job]:
    """Drop a job whose files another job (a folder above them) already builds."""

    def covers(outer: Job, inner: Job) -> bool:
        (outer_path,), (inner_path,) = outer[0], inner[0]
        return outer_path.resolve() in inner_path.resolve().parents

    kept: list[Job] = []
    for job in jobs:
        if not any(covers(other, job) for other in kept + jobs if other is not job):
            kept.append(job)
    return kept

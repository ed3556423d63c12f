"""Rebuild on save: which projects a changed file affects, and the loop that rebuilds them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gen.build import BuildOptions, build
from gen.errors import GenError, access_refused, error_detail
from gen.load import YAML_SUFFIXES, Loader, find_project_files
from gen.report import Report
from gen.targets import DEFAULT_PROJECTS
from gen.templates import find_template_dir
from gen.workers import WarmWriter

READY_MS = 200  # the watcher says it is ready this long after it starts (or at the first change)
# A batch of changes is built once no new change came for STEP_MS (an editor's save is a few
# events within a millisecond or two), or after DEBOUNCE_MS of changes that keep coming.
STEP_MS = 10
DEBOUNCE_MS = 300
OnReport = Callable[[Report], None]
OnError = Callable[[str], None]


@dataclass(frozen=True)
class Rebuilder:
    """How to build, and where to send each report or problem."""

    roots: tuple[Path, ...]
    options: BuildOptions
    on_report: OnReport
    on_error: OnError
    warm: WarmWriter = field(default_factory=WarmWriter)  # templates stay compiled
    # the folders that held projects at the last build: one of them gone is a change, whatever
    # its name (a folder "2025.项目" moved out looks like a file once it is gone)
    project_folders: set[Path] = field(default_factory=set)

    def run(self) -> None:
        """Build the roots (only changed projects are rendered); a problem is passed on.

        Whatever a save breaks, the watcher reports it and keeps watching.
        """
        try:
            report = build(self.roots, self.options, warm=self.warm)
        except GenError as exc:
            self.on_error(exc.message)
        except OSError as exc:
            self.on_error(f"{access_refused(exc)}；改正后保存即可重新生成")
        except Exception as exc:  # never the end of the watch: the next save may fix it
            self.on_error(
                f"生成时出现意外错误（{error_detail(exc)}）；仍在监视，改正后保存即可重新生成"
            )
        else:
            self.on_report(report)
            self.project_folders.clear()
            self.project_folders.update(_folders_of(result.path for result in report.results))


def watch(
    paths: Sequence[Path],
    options: BuildOptions,
    *,
    on_report: OnReport,
    on_error: OnError,
    stop_event: threading.Event | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Build everything once, then build again after each change, until stopped or Ctrl-C.

    Each build is a whole `gen build` of the roots: the incremental build renders only the
    projects whose file, _defaults.yaml or template changed, and the checks across projects
    see every project, as they would on the command line.
    """
    roots = tuple(paths) or (DEFAULT_PROJECTS,)
    rebuilder = Rebuilder(roots, options, on_report, on_error)
    try:
        _watch(rebuilder, stop_event, on_ready)
    except KeyboardInterrupt:
        return  # Ctrl-C while a build was running: stop as quietly as between builds


def _watch(
    rebuilder: Rebuilder,
    stop_event: threading.Event | None,
    on_ready: Callable[[], None] | None,
) -> None:
    """The first build, then one build per batch of relevant changes."""
    import watchfiles

    find_project_files(list(rebuilder.roots))  # a path that does not exist stops here
    template_dir = find_template_dir(rebuilder.options.templates)
    rebuilder.run()
    watched = _watched_folders(rebuilder.roots, template_dir)
    changes = watchfiles.watch(
        *watched,
        stop_event=stop_event,
        step=STEP_MS,
        debounce=DEBOUNCE_MS,
        raise_interrupt=True,  # caught in watch(): watchfiles would log an English line
        yield_on_timeout=True,  # the first (empty) batch says the watcher is running
        rust_timeout=READY_MS,
    )
    ready = on_ready is None
    for batch in changes:
        if not ready and on_ready is not None:
            on_ready()  # only now: a save from here on is seen
            ready = True
        changed = [Path(name) for _, name in batch]
        out_dir = rebuilder.options.out_dir
        if batch and wants_rebuild(
            changed, template_dir, out_dir, watched, rebuilder.project_folders
        ):
            rebuilder.run()


def _watched_folders(roots: Sequence[Path], template_dir: Path) -> list[Path]:
    """What to watch: the roots and the templates, with all below them; and each _defaults.yaml
    above a root: its folder when that is in the current folder (so that a new one there is seen
    too), the file alone when it is farther up (a whole home folder or drive watched would cost
    much, and every change there would rebuild)."""
    watched = {(root if root.is_dir() else root.parent).resolve() for root in roots}
    here = Path.cwd().resolve()
    for root in roots:
        probe = (root if root.is_dir() else root.parent) / "_"
        for file in Loader().defaults_files(probe):
            folder = file.parent.resolve()
            watched.add(folder if folder.is_relative_to(here) else folder / file.name)
    watched.add(template_dir.resolve())
    return sorted(f for f in watched if not any(p in watched for p in f.parents))


def wants_rebuild(
    changed: Iterable[Path],
    template_dir: Path,
    out_dir: Path | None = None,
    watched: Sequence[Path] = (),
    project_folders: Collection[Path] = (),
) -> bool:
    """Whether a batch of changed files can change a form: a YAML file, a template, a folder.

    Editor backups (a.yaml~), Word's lock files (~$绩效目标表.docx) and our own temp files
    are not; a deleted project is (its form becomes stale). A folder renamed, moved in or
    out is told as the folder alone, without its files: it is, unless it is the output folder
    or in it (the build makes those) or hidden below a `watched` folder (.git). A folder
    gone is known as one by its name without a suffix, or by being in `project_folders`
    (resolved folders that held projects).
    """
    templates = template_dir.resolve()
    output = out_dir.resolve() if out_dir is not None else None
    roots = [folder.resolve() for folder in watched]
    for path in changed:
        if path.name.startswith(("~$", ".~")):
            continue
        if path.suffix.lower() in YAML_SUFFIXES:
            return True
        if path.suffix.lower() == ".docx" and _parent(path) == templates:
            return True
        made = output is not None and (path == output or output in path.parents)
        if not made and _folder_event(path, roots, project_folders):
            return True
    return False


def _folder_event(path: Path, roots: Sequence[Path], project_folders: Collection[Path]) -> bool:
    """Whether a changed path is a folder, or was one (gone, and named without a suffix or
    known to have held projects), and not a hidden one below the watched folder it is in."""
    below = next((path.relative_to(r).parts for r in roots if path.is_relative_to(r)), path.parts)
    if any(part.startswith(".") for part in below):
        return False
    try:
        if path.is_dir():
            return True
        return not path.exists() and (not path.suffix or _gone(path) in project_folders)
    except OSError:
        return False


def _gone(path: Path) -> Path:
    """A path that is no longer there, resolved as far as it can be: through its folder."""
    return path.parent.resolve() / path.name


def _folders_of(projects: Iterable[Path]) -> set[Path]:
    """The resolved folders the project files are in, and the folders above those."""
    folders: set[Path] = set()
    for parent in {project.parent for project in projects}:
        try:
            folder = parent.resolve()
        except (OSError, RuntimeError):  # a symlink loop: its own finding
            continue
        while folder not in folders and folder != folder.parent:
            folders.add(folder)
            folder = folder.parent
    return folders


def _parent(path: Path) -> Path | None:
    """The resolved folder of a changed file; None when it cannot be resolved (a symlink loop)."""
    try:
        return path.resolve().parent
    except (OSError, RuntimeError):
        return None

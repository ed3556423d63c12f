"""Rebuild on save: which projects a changed file affects, and the loop that rebuilds them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gen.build import DEFAULT_PROJECTS, BuildOptions, build
from gen.errors import GenError
from gen.load import YAML_SUFFIXES, Loader, find_project_files
from gen.report import Report
from gen.templates import find_template_dir
from gen.workers import WarmWriter

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

    def run(self) -> None:
        """Build the roots (only changed projects are rendered); a problem is passed on."""
        try:
            report = build(self.roots, self.options, warm=self.warm)
        except GenError as exc:
            self.on_error(exc.message)
        except OSError as exc:
            self.on_error(f"无法读取或写入：{exc}")
        else:
            self.on_report(report)


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
    changes = watchfiles.watch(
        *_watched_folders(rebuilder.roots, template_dir),
        stop_event=stop_event,
        step=STEP_MS,
        debounce=DEBOUNCE_MS,
        raise_interrupt=False,
    )
    if on_ready is not None:
        on_ready()
    for batch in changes:
        if wants_rebuild([Path(name) for _, name in batch], template_dir):
            rebuilder.run()


def _watched_folders(roots: Sequence[Path], template_dir: Path) -> list[Path]:
    """The folders to watch: the roots, the folders of the _defaults.yaml above them, the templates."""
    folders = {(root if root.is_dir() else root.parent).resolve() for root in roots}
    for root in roots:
        probe = (root if root.is_dir() else root.parent) / "_"
        folders.update(file.parent.resolve() for file in Loader().defaults_files(probe))
    folders.add(template_dir.resolve())
    return sorted(f for f in folders if not any(p in folders for p in f.parents))


def wants_rebuild(changed: Iterable[Path], template_dir: Path) -> bool:
    """Whether a batch of changed files can change a form: a YAML file or a template.

    Editor backups (a.yaml~), Word's lock files (~$绩效目标表.docx) and our own temp files
    are not; a deleted project is (its form becomes stale).
    """
    templates = template_dir.resolve()
    for path in changed:
        if path.name.startswith(("~$", ".~")):
            continue
        if path.suffix.lower() in YAML_SUFFIXES:
            return True
        if path.suffix.lower() == ".docx" and path.resolve().parent == templates:
            return True
    return False

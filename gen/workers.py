"""Rendering and writing forms, here or spread over processes (documents travel packed); outcomes in order."""

from __future__ import annotations

import os
import pickle
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gen import output
from gen.errors import GenError

if TYPE_CHECKING:
    from concurrent.futures import Future

Outcome = tuple[str, int, int] | str  # (表样, size, mtime_ns) of a written form, or why it failed
Task = tuple[bytes | None, Path]  # a packed document (None: it could not be read) and its form
PARALLEL_MIN = 40  # fewer forms than this render faster here than a pool of processes starts
BATCH = 8  # forms per task sent to a process: fewer round trips, still evenly spread


def default_jobs() -> int:
    """How many processes render by default: every core this process may use."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def packed(doc: dict[str, Any] | None) -> bytes | None:
    """A validated document as compressed bytes: small while it waits, and what a process takes."""
    return None if doc is None else zlib.compress(pickle.dumps(doc, pickle.HIGHEST_PROTOCOL), 1)


def unpacked(document: bytes) -> dict[str, Any]:
    """The document packed() stored."""
    loaded: dict[str, Any] = pickle.loads(zlib.decompress(document))
    return loaded


class FormWriter:
    """Renders documents with one Renderer and writes each form atomically."""

    def __init__(self, template_dir: Path) -> None:
        from gen.render import Renderer  # docxtpl is loaded only where forms are rendered

        self.renderer = Renderer(template_dir)

    def write(self, document: bytes | None, target: Path) -> Outcome:
        """Render and write one form from its packed document; a failure is returned as its message."""
        if document is None:
            return "项目文件在生成过程中被改动或删除；请重新运行 gen build"
        from gen.model import project_from, render_context  # not needed by gen check

        project = project_from(unpacked(document))
        try:
            output.write_atomic(target, self.renderer.render(project.form, render_context(project)))
            stat = target.stat()
        except GenError as exc:
            return exc.message
        except OSError as exc:  # the form vanished right after it was written
            return output.WriteFailed(target, exc).message
        return project.form, stat.st_size, stat.st_mtime_ns


class WarmWriter:
    """A FormWriter kept from one build to the next (gen watch): templates compile once.

    Each build hands over the hashes of the template files; a template whose hash changed
    is compiled again.
    """

    def __init__(self) -> None:
        self._writer: FormWriter | None = None
        self._hashes: dict[str, str] = {}

    def for_build(self, template_dir: Path, hashes: dict[str, str]) -> FormWriter:
        """The writer for a build with these template hashes."""
        if self._writer is None or self._writer.renderer.template_dir != template_dir:
            self._writer = FormWriter(template_dir)
        else:
            changed = [form for form, digest in hashes.items() if self._hashes.get(form) != digest]
            self._writer.renderer.forget(changed)
        self._hashes = dict(hashes)
        return self._writer


@cache
def _process_writer(template_dir: Path) -> FormWriter:
    """The writer of this process (one per template folder): templates are compiled once."""
    return FormWriter(template_dir)


def _write_batch(template_dir: Path, batch: list[Task]) -> list[Outcome]:
    """Run in a process: write a batch of forms."""
    writer = _process_writer(template_dir)
    return [writer.write(doc, target) for doc, target in batch]


def write_forms(
    tasks: Iterable[Task],
    count: int,
    template_dir: Path,
    jobs: int,
    writer: FormWriter | None = None,
) -> Iterator[Outcome]:
    """Write every (document, form path) task; outcomes come back in task order.

    Tasks are drawn lazily and only a few batches are in flight, so memory does not grow
    with the number of forms. Below PARALLEL_MIN forms, or with one job, no pool is started
    and the forms are written here (by `writer` when given).
    """
    if count == 0:
        return
    if jobs <= 1 or count < PARALLEL_MIN:
        writer = writer or FormWriter(template_dir)
        for doc, target in tasks:
            yield writer.write(doc, target)
        return
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing only when it is used

    workers = min(jobs, -(-count // BATCH))
    with ProcessPoolExecutor(workers) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in _batches(tasks, BATCH):
            pending.append(pool.submit(_write_batch, template_dir, batch))
            if len(pending) >= 4 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch

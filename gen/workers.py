"""Rendering and writing forms, here or spread over processes (documents travel packed); outcomes in order."""

from __future__ import annotations

import hashlib
import os
import pickle
import signal
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gen import output
from gen.errors import BrokenTemplate, GenError, error_detail
from gen.files import file_hash

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor


@dataclass(frozen=True)
class TemplateFailed:
    """A form not written because its template is broken: said once for all projects it fails."""

    message: str


@dataclass(frozen=True)
class OpenElsewhere:
    """A form not written because another program (WPS, Word) has it open: its old version
    cannot be deleted either, for the same reason, which is said once."""

    message: str


@dataclass(frozen=True)
class Written:
    """A form written: its 表样, size and SHA-256, and the SHA-256 of the file it replaced."""

    form: str
    size: int
    sha256: str
    replaced: str  # "" when there was no form there before


# A written form, or why it failed: the project's or the template's fault, or a program's
Outcome = Written | str | TemplateFailed | OpenElsewhere
Task = tuple[bytes | None, Path]  # a packed document (None: it could not be read) and its form
PARALLEL_MIN = 40  # fewer forms than this render faster here than a pool of processes starts
BATCH = 8  # forms per task sent to a process: fewer round trips, still evenly spread
PROCESS_DIED = (
    "生成进程意外退出，这张表格没有生成；请用 gen build -j 1 重新生成，"
    "仍出错时请把这条消息告诉维护 gen 的同事"
)


def default_jobs() -> int:
    """How many processes render by default: every core this process may use."""
    counted = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counted is not None:
        return counted() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def packed(doc: dict[str, Any] | None) -> bytes | None:
    """A validated document as bytes: small while it waits, and what a process takes.

    A project pickles to a few KB, a quarter of what its objects take; compressing it as well
    would halve that again, at a cost larger than packing and unpacking together.
    """
    return None if doc is None else pickle.dumps(doc, pickle.HIGHEST_PROTOCOL)


def unpacked(document: bytes) -> dict[str, Any]:
    """The document packed() stored."""
    loaded: dict[str, Any] = pickle.loads(document)
    return loaded


class FormWriter:
    """Renders documents with one Renderer and writes each form atomically."""

    def __init__(self, template_dir: Path) -> None:
        from gen.render import Renderer  # docxtpl is loaded only where forms are rendered

        self.renderer = Renderer(template_dir)

    def write(self, document: bytes | None, target: Path) -> Outcome:
        """Render and write one form from its packed document; a failure is returned as its message.

        Whatever goes wrong with one project is that project's message: the others still build.
        """
        if document is None:
            return "项目文件在生成过程中被改动或删除；请重新运行 gen build"
        try:
            from gen.model import project_from, render_context  # not needed by gen check

            project = project_from(unpacked(document))
            data = self.renderer.render(project.form, render_context(project))
            replaced = file_hash(target)
            output.write_atomic(target, data)
        except BrokenTemplate as exc:
            return TemplateFailed(exc.message)
        except output.WriteFailed as exc:
            return OpenElsewhere(exc.message) if exc.held_open else exc.message
        except GenError as exc:
            return exc.message
        except Exception as exc:  # the boundary of one project: never the end of the build
            return unexpected_failure(exc)
        return Written(project.form, len(data), hashlib.sha256(data).hexdigest(), replaced)


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


def unexpected_failure(exc: BaseException) -> str:
    """The message of a project whose form failed in a way gen does not foresee."""
    return (
        f"生成表格时出现意外错误（{error_detail(exc)}）；其他项目不受影响。"
        "请检查这个项目文件里不寻常的字符或数值；无法解决时请把这条消息告诉维护 gen 的同事"
    )


@cache
def _process_writer(template_dir: Path) -> FormWriter:
    """The writer of this process (one per template folder): templates are compiled once."""
    return FormWriter(template_dir)


def _ignore_interrupts() -> None:
    """Run in each render process: Ctrl-C is the main process's to handle (no tracebacks here)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
) -> Generator[Outcome, None, None]:
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
    workers = min(jobs, -(-count // BATCH))
    from concurrent.futures import ProcessPoolExecutor  # multiprocessing only when it is used

    pool = ProcessPoolExecutor(workers, initializer=_ignore_interrupts)
    try:
        pending: deque[tuple[Future[list[Outcome]], int]] = deque()
        for batch in _batches(tasks, BATCH):
            pending.append((_submitted(pool, template_dir, batch), len(batch)))
            if len(pending) >= 4 * workers:
                yield from _results(*pending.popleft())
        while pending:
            yield from _results(*pending.popleft())
    finally:  # after Ctrl-C the batches not yet started are dropped, the running ones finish
        pool.shutdown(wait=True, cancel_futures=True)


def _submitted(
    pool: ProcessPoolExecutor, template_dir: Path, batch: list[Task]
) -> Future[list[Outcome]]:
    """A batch handed to the pool; a pool that cannot take it gives a future holding why."""
    try:
        return pool.submit(_write_batch, template_dir, batch)
    except Exception as exc:  # BrokenProcessPool: a render process died
        from concurrent.futures import Future

        failed: Future[list[Outcome]] = Future()
        failed.set_exception(exc)
        return failed


def _results(future: Future[list[Outcome]], size: int) -> list[Outcome]:
    """The outcomes of a batch; if its process died, each of its forms fails with the reason."""
    try:
        return future.result()
    except Exception as exc:
        from concurrent.futures import BrokenExecutor

        if isinstance(exc, BrokenExecutor):
            return [PROCESS_DIED] * size  # its render process died
        return [unexpected_failure(exc)] * size  # the batch could not be sent or returned


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of `size` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch

"""PDF copies of Word files: headless LibreOffice runs, one per core, convert the batch."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from gen import libreoffice, output
from gen.delivery import PDF_TIMEOUT_SECONDS
from gen.errors import GenError
from gen.libreoffice import INSTALL_HINT
from gen.workers import default_jobs

POLL_SECONDS = 0.05
# The files one LibreOffice is given at a time: it ignores, without a word, what comes after
# about 250 arguments (LibreOffice 7.4: 243 files after gen's options), and more files are
# then given to it again in another start, with the same profile.
BATCH_FILES = 200


class SofficeMissing(GenError):
    """LibreOffice is not installed, so no PDF can be made."""


@dataclass
class Conversion:
    """The outcome of one batch: the PDFs written and why the others are missing."""

    written: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)  # .docx → Chinese reason
    timed_out: bool = False


def find_soffice() -> str:
    """The LibreOffice program; SofficeMissing if it is not installed."""
    found = libreoffice.find_soffice()
    if found is None:
        raise SofficeMissing(f"找不到 LibreOffice（soffice），无法生成 PDF；{INSTALL_HINT}")
    return found


def convert(
    pairs: Sequence[tuple[Path, Path]],
    *,
    timeout: float = PDF_TIMEOUT_SECONDS,
    soffice: str | None = None,
    progress: Callable[[int], None] | None = None,
    jobs: int | None = None,
    named: Collection[Path] = (),
) -> Conversion:
    """Convert each (docx, pdf) pair, one LibreOffice per core; a PDF lands only when complete.

    The files are split by size between `jobs` LibreOffice runs (default: every core), each
    with a profile of its own. `timeout` is how long a run may go without finishing another
    file before it is stopped; `progress` gets the number of files done so far. A PDF in
    `named` is the user's own file (the 合订本's): a read-only one there is not replaced.
    """
    program = soffice or find_soffice()
    result = Conversion()
    if not pairs:
        return result
    docs = [docx for docx, _ in pairs]
    with tempfile.TemporaryDirectory(prefix="gen-pdf-", ignore_cleanup_errors=True) as temp:
        work = Path(temp)
        inputs = _stage_inputs(work / "in", docs)
        shares = split_by_size([path.stat().st_size for path in inputs], jobs or default_jobs())
        with libreoffice.profiles(len(shares), program, work) as given:
            runs = [
                _Run([inputs[n] for n in share], work / f"out-{k}", profile)
                for k, (share, profile) in enumerate(zip(shares, given, strict=True))
            ]
            result.timed_out = _run_all(program, runs, timeout, progress)
        made = {path.stem: path for run in runs for path in run.pdfs()}
        for number, (docx, target) in enumerate(pairs):
            write = output.write_named if target in named else output.write_atomic
            _collect(_converted(made.get(f"{number:05d}")), docx, target, result, write)
    return result


def split_by_size(sizes: Sequence[int], parts: int) -> list[list[int]]:
    """The indices of `sizes` in at most `parts` shares of about equal total size, each in order.

    Largest first, each to the share with the least so far.
    """
    shares: list[list[int]] = [[] for _ in range(max(1, min(parts, len(sizes))))]
    totals = [0] * len(shares)
    for index in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = totals.index(min(totals))
        shares[lightest].append(index)
        totals[lightest] += sizes[index]
    return [sorted(share) for share in shares]


def _stage_inputs(folder: Path, files: Sequence[Path]) -> list[Path]:
    """Copy the inputs under numbered names, so two X.docx from different folders never clash."""
    folder.mkdir()
    staged = []
    for number, file in enumerate(files):
        copy = folder / f"{number:05d}.docx"
        shutil.copyfile(file, copy)
        staged.append(copy)
    return staged


def soffice_command(program: str, profile: str, out: Path, inputs: Sequence[Path]) -> list[str]:
    """The LibreOffice command line: a profile of gen's own, so a user's open LibreOffice is untouched."""
    return [
        program,
        profile,
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(out),
        *(str(path) for path in inputs),
    ]


@dataclass
class _Run:
    """One LibreOffice and its share of the files."""

    inputs: list[Path]
    out: Path
    profile: libreoffice.Profile
    process: subprocess.Popen[bytes] | None = None
    given: int = 0  # inputs handed to LibreOffice so far, BATCH_FILES at a time
    done: int = 0  # PDFs written so far
    deadline: float = 0.0
    stopped: bool = False  # made no progress for the timeout
    retried: bool = False  # run again with a new profile

    def start(self, program: str, timeout: float) -> None:
        """Start LibreOffice on the share's first batch, into an empty output folder."""
        shutil.rmtree(self.out, ignore_errors=True)
        self.out.mkdir()
        self.given = self.done = 0
        self.stopped = False
        self.start_next(program, timeout)

    def start_next(self, program: str, timeout: float) -> None:
        """Start LibreOffice on the share's next batch."""
        batch = self.inputs[self.given : self.given + BATCH_FILES]
        self.given += len(batch)
        command = soffice_command(program, self.profile.option(), self.out, batch)
        with open(self.out.with_suffix(".log"), "ab") as log:
            self.process = libreoffice.start(command, log)
        self.deadline = time.monotonic() + timeout

    def more(self) -> bool:
        """Whether some of the share is still to be given to LibreOffice."""
        return not self.stopped and self.given < len(self.inputs)

    def pdfs(self) -> list[Path]:
        """The PDFs in the output folder (the last may still be being written)."""
        return sorted(self.out.glob("*.pdf"))

    def check(self, timeout: float) -> bool:
        """Count finished files and stop a run stalled past the timeout; True while it runs."""
        assert self.process is not None
        running = self.process.poll() is None
        count = len(self.pdfs())
        if count > self.done:
            self.done, self.deadline = count, time.monotonic() + timeout
        if running and time.monotonic() > self.deadline:
            libreoffice.stop(self.process)
            self.stopped, running = True, False
        return running

    def blames_profile(self) -> bool:
        """Whether a finished run converted nothing with a profile an earlier run made."""
        return self.done == 0 and self.profile.reused and not self.retried


def _run_all(
    program: str, runs: list[_Run], timeout: float, progress: Callable[[int], None] | None
) -> bool:
    """Run every share to its end, batch by batch; True if one was stopped for making no progress.

    A run whose first batch converts nothing with a kept profile is run again once with a new
    profile: the profile may be broken. LibreOffice is stopped whatever ends the wait (Ctrl-C too).
    """
    running: list[_Run] = []
    try:
        for run in runs:
            run.start(program, timeout)
            running.append(run)
        while running:
            assert running[0].process is not None
            with contextlib.suppress(subprocess.TimeoutExpired):
                running[0].process.wait(timeout=POLL_SECONDS)
            for run in list(running):
                if run.check(timeout):
                    continue
                running.remove(run)
                if run.blames_profile():
                    run.profile.rebuild()
                    run.retried = True
                    run.start(program, timeout)
                    running.append(run)
                elif run.more():
                    run.start_next(program, timeout)
                    running.append(run)
                elif run.done:
                    run.profile.worked(program)
            if progress is not None:
                progress(sum(run.done for run in runs))
    finally:
        for run in running:
            if run.process is not None:
                libreoffice.stop(run.process)
    if progress is not None:
        progress(sum(len(run.inputs) for run in runs))
    return any(run.stopped for run in runs)


def _converted(path: Path | None) -> bytes | None:
    """A PDF LibreOffice made, or None if it is missing or was cut off."""
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    complete = data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    return data if complete else None


def _collect(
    data: bytes | None,
    docx: Path,
    target: Path,
    result: Conversion,
    write: Callable[[Path, bytes], None] = output.write_atomic,
) -> None:
    """Write one finished PDF into place atomically with `write`, or record why it is missing."""
    if data is None:
        result.failed[docx] = (
            "转换超时，未生成 PDF"
            if result.timed_out
            else "LibreOffice 未能把它转换为 PDF（文件可能已损坏，请在 Word 中打开检查）"
        )
        return
    try:
        write(target, data)
    except output.WriteFailed as exc:
        result.failed[docx] = exc.message
    else:
        result.written.append(target)

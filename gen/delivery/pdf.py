"""PDF copies of Word files: one headless LibreOffice run converts the whole batch."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from gen import libreoffice, output
from gen.errors import GenError
from gen.libreoffice import INSTALL_HINT

DEFAULT_TIMEOUT = 120  # seconds without a new PDF before the conversion counts as hung
POLL_SECONDS = 0.2


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
    timeout: float = DEFAULT_TIMEOUT,
    soffice: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Conversion:
    """Convert each (docx, pdf) pair in one LibreOffice run; a PDF lands only when complete.

    `timeout` is how long the run may go without finishing another file before it is
    stopped; `progress` gets the number of files done so far.
    """
    program = soffice or find_soffice()
    result = Conversion()
    if not pairs:
        return result
    with tempfile.TemporaryDirectory(prefix="gen-pdf-", ignore_cleanup_errors=True) as temp:
        work = Path(temp)
        inputs = _stage_inputs(work / "in", [docx for docx, _ in pairs])
        result.timed_out = _run_soffice(program, work, inputs, timeout, progress)
        for number, (docx, target) in enumerate(pairs):
            _collect(_converted(work / "out", number), docx, target, result)
    return result


def _stage_inputs(folder: Path, files: Sequence[Path]) -> list[Path]:
    """Copy the inputs under numbered names, so two X.docx from different folders never clash."""
    folder.mkdir()
    staged = []
    for number, file in enumerate(files):
        copy = folder / f"{number:05d}.docx"
        shutil.copyfile(file, copy)
        staged.append(copy)
    return staged


def soffice_command(program: str, work: Path, inputs: Sequence[Path]) -> list[str]:
    """The LibreOffice command line: its own profile, so a user's open LibreOffice is untouched."""
    return [
        program,
        libreoffice.profile_option(work / "profile"),
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(work / "out"),
        *(str(path) for path in inputs),
    ]


def _run_soffice(
    program: str,
    work: Path,
    inputs: Sequence[Path],
    timeout: float,
    progress: Callable[[int], None] | None,
) -> bool:
    """Run LibreOffice until it ends or makes no progress for `timeout` seconds; True if stopped."""
    (work / "out").mkdir()
    with open(work / "soffice.log", "wb") as log:
        process = _start(soffice_command(program, work, inputs), log)
    try:
        return _wait(process, work / "out", len(inputs), timeout, progress)
    except BaseException:  # Ctrl-C: LibreOffice runs in its own group, which Ctrl-C does not reach
        _stop(process)
        raise


def _wait(
    process: subprocess.Popen[bytes],
    out: Path,
    count: int,
    timeout: float,
    progress: Callable[[int], None] | None,
) -> bool:
    """Wait for LibreOffice to end, or to make no progress for `timeout` seconds; True if stopped."""
    done, deadline = 0, time.monotonic() + timeout
    while True:
        try:
            process.wait(timeout=POLL_SECONDS)
            break
        except subprocess.TimeoutExpired:
            pass
        finished = sum(1 for _ in out.glob("*.pdf"))
        if finished > done:
            done, deadline = finished, time.monotonic() + timeout
            if progress is not None:
                progress(done)
        if time.monotonic() > deadline:
            _stop(process)
            return True
    if progress is not None:
        progress(count)
    return False


def _start(command: list[str], log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start LibreOffice in its own process group, so a hung run can be stopped as a whole."""
    group: dict[str, Any] = (
        {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
        if sys.platform == "win32"
        else {"start_new_session": True}
    )
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, **group)
    except OSError as exc:
        raise GenError(
            f"无法启动 LibreOffice（{command[0]}）：{output.disk_reason(exc, reading=True)}"
        ) from exc


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and every process it started."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
    else:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.kill()
    process.wait()


def _converted(folder: Path, number: int) -> bytes | None:
    """The PDF made from input `number`, or None if it is missing or was cut off."""
    try:
        data = (folder / f"{number:05d}.pdf").read_bytes()
    except OSError:
        return None
    complete = data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    return data if complete else None


def _collect(data: bytes | None, docx: Path, target: Path, result: Conversion) -> None:
    """Write one finished PDF into place atomically, or record why it is missing."""
    if data is None:
        result.failed[docx] = (
            "转换超时，未生成 PDF"
            if result.timed_out
            else "LibreOffice 未能把它转换为 PDF（文件可能已损坏，请在 Word 中打开检查）"
        )
        return
    try:
        output.write_atomic(target, data)
    except output.WriteFailed as exc:
        result.failed[docx] = exc.message
    else:
        result.written.append(target)

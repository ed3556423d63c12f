"""gen as a user runs it: a subprocess among a copy of the sample projects, with a time limit.

`run()` can first execute a few lines of Python in the gen process (`patch`), to make a fault
that cannot be made for real (a full disk; a folder that refuses deletion even to root).
`snapshot()` records a tree, so a test can show that nothing outside output/ changed.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import SAMPLES

TIME_LIMIT = 120  # seconds: a hang fails the test instead of stopping the suite
FORM_COUNT = 33  # the sample projects


@dataclass(frozen=True)
class Run:
    """What one gen command did."""

    code: int
    out: str
    err: str


def run(
    cwd: Path,
    *args: str,
    patch: str = "",
    env: dict[str, str] | None = None,
    timeout: float = TIME_LIMIT,
) -> Run:
    """Run `gen ARGS` in `cwd` (with `env` added); no traceback may reach the user."""
    code = textwrap.dedent(patch) + "\nfrom gen.cli import main\nmain(prog_name='gen')\n"
    env = {**os.environ, "PYTHONUTF8": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=env,
    )
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    return Run(done.returncode, done.stdout, done.stderr)


def samples(folder: Path) -> Path:
    """A copy of the sample projects/ in `folder`; returns `folder`."""
    shutil.copytree(SAMPLES, folder / "projects")
    return folder


def snapshot(root: Path, *, leave_out: str = "output") -> dict[str, bytes | str]:
    """Every file (its bytes), folder and symlink below `root`, except below `leave_out`."""
    seen: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if relative == leave_out or relative.startswith(f"{leave_out}/"):
            continue
        if path.is_symlink():
            seen[relative] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            seen[relative] = "folder"
        else:
            seen[relative] = path.read_bytes()
    return seen


def forms(out: Path) -> dict[str, bytes]:
    """The .docx files below an output folder, by their path inside it."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.docx"))}


def temps(out: Path) -> list[Path]:
    """Temp files left in an output folder."""
    return sorted(out.rglob(".~gen-*"))


@dataclass(frozen=True)
class Reference:
    """What a clean build of the samples writes: every form, the 汇总表 and the book."""

    forms: dict[str, bytes]
    summary: bytes
    book: bytes


@cache
def reference() -> Reference:
    """The clean build of the samples, made once per test run."""
    scratch = Path(tempfile.mkdtemp(prefix="gen-reference-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    folder = samples(scratch)
    done = run(folder, "build", "projects", "--summary", "s.xlsx", "--book", "b.docx")
    assert done.code == 0, done.err
    built = forms(folder / "output")
    assert len(built) == FORM_COUNT
    return Reference(built, (folder / "s.xlsx").read_bytes(), (folder / "b.docx").read_bytes())

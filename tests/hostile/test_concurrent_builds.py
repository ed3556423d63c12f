"""Two builds into one output folder at once: neither removes the other's temp files.

A build removes the temp files that killed builds left, but only those whose writer (the
process id in the name) is no longer running; a running writer's temp stays.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from subprocess import PIPE

import pytest
from buildfs import TIME_LIMIT, forms, reference, run, samples, temps

HOLD_A_TEMP = """
import sys, time
from pathlib import Path
from gen import output
name = next(output._temp_names(Path(sys.argv[1])))
fd = output._created(name)
print(name, flush=True)
time.sleep(60)
"""


def test_the_temp_of_a_running_build_survives_another_build(tmp_path):
    folder = samples(tmp_path)
    (folder / "output").mkdir()
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_A_TEMP, str(folder / "output")],
        stdout=subprocess.PIPE,
        text=True,
    ) as writer:
        assert writer.stdout is not None
        temp = writer.stdout.readline().strip()
        assert temp
        try:
            assert run(folder, "build", "projects").code == 0
            assert [str(t) for t in temps(folder / "output")] == [temp]  # still writing: kept
        finally:
            writer.kill()
    assert run(folder, "build", "projects", "--force").code == 0
    assert temps(folder / "output") == []  # its writer is gone: removed


# The first build writes as onto a slow network drive: each temp file lives 50 ms before it is
# renamed into place, so the second build's clean-up is sure to find some of them.
SLOW_DISK = """
import os, time
from gen import output
real_replace = os.replace
def replace(src, dst):
    if os.path.basename(str(src)).startswith(output.TEMP_PREFIX):
        time.sleep(0.05)
    return real_replace(src, dst)
os.replace = replace
"""


def concurrent_rounds(tmp_path, rounds: int) -> None:
    """A slow `gen build --force` and, once it writes, a second one into the same folder."""
    folder = samples(tmp_path)
    (tmp_path / "slow").mkdir()
    (tmp_path / "slow" / "sitecustomize.py").write_text(SLOW_DISK, encoding="utf-8")
    command = [sys.executable, "-m", "gen", "build", "projects", "--force", "-q"]
    slow = {**os.environ, "PYTHONPATH": str(tmp_path / "slow")}
    for _ in range(rounds):
        started = time.time()
        first = subprocess.Popen(command, cwd=folder, stdout=PIPE, stderr=PIPE, env=slow)
        wait_for_a_form_since(folder / "output", started)
        second = subprocess.Popen(command, cwd=folder, stdout=PIPE, stderr=PIPE)
        for build in (first, second):
            out, err = build.communicate(timeout=TIME_LIMIT)
            assert (build.returncode, out.decode(), err.decode()) == (0, "", "")
        assert forms(folder / "output") == reference().forms
        assert temps(folder / "output") == []


def wait_for_a_form_since(out: Path, started: float) -> None:
    """Until a build has put its first form in place."""
    deadline = time.monotonic() + TIME_LIMIT
    while not any(form.stat().st_mtime >= started for form in out.rglob("*.docx")):
        assert time.monotonic() < deadline, "the first build wrote nothing"
        time.sleep(0.02)


def test_two_builds_at_once_both_write_every_form(tmp_path):
    concurrent_rounds(tmp_path, rounds=2)


@pytest.mark.slow
def test_two_builds_at_once_many_times(tmp_path):
    concurrent_rounds(tmp_path, rounds=20)

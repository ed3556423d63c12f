"""gen watch and Ctrl-C as a user meets them: a real process, real saves, a real SIGINT.

The watcher survives any failure of a rebuild and says so in Chinese; `--clean` works as in
`gen build` (the closing line's hint names it); Ctrl-C prints no English and no traceback, also
when it lands in the middle of a build spread over render processes.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

from buildfs import TIME_LIMIT, forms, temps
from conftest import REPO, good_project

from gen import workers
from gen.build import BuildOptions, build

TEMPLATES = REPO / "templates"
# Rebuilds fail, unforeseen, while a project named 炸 exists (outside any project's own checks).
FAILS_WITH_炸 = """
import gen.build
real = gen.build.check_across
def check_across(results, digests):
    if any(result.path.name == "炸.yaml" for result in results):
        raise ValueError("炸")
    return real(results, digests)
gen.build.check_across = check_across
"""


def english(text: str) -> list[str]:
    """Words of English in what gen printed (the key name Ctrl-C and --clean are gen's own)."""
    return re.findall(r"[A-Za-z]{3,}", text.replace("Ctrl-C", "").replace("--clean", ""))


class Gen:
    """A gen process in its own process group (as a terminal runs it), its stderr line by line."""

    def __init__(self, cwd: Path, *args: str, patch: str = "") -> None:
        code = textwrap.dedent(patch) + "\nfrom gen.cli import main\nmain(prog_name='gen')\n"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONUTF8": "1"},
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.out)),
            threading.Thread(target=self._read, args=(self.process.stderr, self.err, self.lines)),
        ]
        for reader in self.readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, lines: list[str], passed: queue.Queue[str] | None = None) -> None:
        """Keep every line of a stream (and pass it on)."""
        for line in stream:
            lines.append(line)
            if passed is not None:
                passed.put(line)

    def line_starting(self, start: str) -> str:
        """The next stderr line that starts with `start` (or contains it after a [time])."""
        deadline = time.monotonic() + TIME_LIMIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if line.startswith(start) or re.sub(r"^\[[0-9:]+\] ", "", line).startswith(start):
                return line
        raise AssertionError(f"no line starting with {start!r}; stderr: {''.join(self.err)}")

    def ctrl_c(self) -> tuple[int, str, str]:
        """Ctrl-C at the terminal: SIGINT to the whole process group; exit code, stdout, stderr."""
        os.killpg(self.process.pid, signal.SIGINT)
        code = self.process.wait(timeout=TIME_LIMIT)
        self.close()
        return code, "".join(self.out), "".join(self.err)

    def close(self) -> None:
        """Stop the process if it still runs; take its last lines; close the pipes."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for reader in self.readers:
            reader.join(timeout=TIME_LIMIT)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> Gen:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def test_watch_survives_an_unforeseen_error_cleans_and_stops_quietly(tmp_path):
    projects = tmp_path / "projects"
    projects.mkdir()
    (projects / "社工.yaml").write_text(good_project(), encoding="utf-8")
    (projects / "其他.yaml").write_text(good_project("其他"), encoding="utf-8")
    args = ("watch", "--clean", "--templates", str(TEMPLATES))
    with Gen(tmp_path, *args, patch=FAILS_WITH_炸) as watcher:
        watched(watcher, projects, tmp_path / "output")


def watched(watcher: Gen, projects: Path, output: Path) -> None:
    """Through a failed rebuild, a deleted project and Ctrl-C."""
    assert "已生成 2 个" in watcher.line_starting("已生成")
    watcher.line_starting("正在监视")
    (projects / "炸.yaml").write_text(good_project("炸"), encoding="utf-8")
    assert watcher.line_starting("错误：") == (
        "错误：生成时出现意外错误（ValueError: 炸）；仍在监视，改正后保存即可重新生成\n"
    )
    (projects / "炸.yaml").unlink()
    (projects / "其他.yaml").unlink()
    line = watcher.line_starting("已生成")
    assert line.endswith("；已删除 1 个项目文件已不存在的旧表格\n")
    assert sorted(forms(output)) == ["社工.docx"]
    code, out, err = watcher.ctrl_c()
    assert code == 0
    assert "Traceback" not in err + out
    assert english(err.replace("ValueError: 炸", "")) == []


# enough forms that the build is still writing when Ctrl-C comes after its first form
PARALLEL_PROJECTS = workers.PARALLEL_MIN + 400


def test_ctrl_c_in_the_middle_of_a_parallel_build(tmp_path):
    for index in range(PARALLEL_PROJECTS):
        name = f"项目{index:03d}"
        path = tmp_path / "projects" / f"单位{index % 3}" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(good_project(name), encoding="utf-8")
    with Gen(tmp_path, "build", "projects", "-j", "2") as builder:
        deadline = time.monotonic() + TIME_LIMIT
        while not list((tmp_path / "output").rglob("*.docx")):
            assert time.monotonic() < deadline and builder.process.poll() is None
            time.sleep(0.01)
        code, out, err = builder.ctrl_c()
    assert code == 130
    assert err == "已中断：已写完的文件完好，没写完的没有留下\n"
    assert out == ""
    assert temps(tmp_path / "output") == []
    written = forms(tmp_path / "output")
    assert 0 < len(written) < PARALLEL_PROJECTS
    clean = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "clean", jobs=1))
    assert clean.exit_code == 0
    assert written == {k: v for k, v in forms(tmp_path / "clean").items() if k in written}

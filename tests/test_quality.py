"""The code stays as the project's habits ask: ruff-clean, ruff-formatted, mypy-clean."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

CODE = ["gen", "tests", "tools", "bench"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    done = run(sys.executable, "-m", "ruff", "check", *CODE)
    assert done.returncode == 0, done.stdout


def test_code_is_ruff_formatted():
    done = run(sys.executable, "-m", "ruff", "format", "--check", *CODE)
    assert done.returncode == 0, done.stdout


def test_mypy_is_clean_on_the_package():
    done = run(sys.executable, "-m", "mypy", "gen")
    assert done.returncode == 0, done.stdout


def test_a_powershell_line_stops_at_the_first_failing_step():
    # Windows PowerShell 5.1 has no &&: after `;` the next command runs even when one failed,
    # so each one after the first is guarded by `if ($?) { … }` (nested: a skipped block sets
    # $? again)
    import re

    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:powershell|ps1|pwsh)\n(.*?)```", text, re.DOTALL):
            for line in block.splitlines():
                assert not re.search(r";\s*(?!if \(\$\?\) \{)\S", line), (page.name, line)
                assert not re.search(r"\}\s*;", line), (page.name, line)

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

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


def _wide(character: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(character) in ("W", "F")


def test_no_line_of_the_manual_breaks_between_two_chinese_characters():
    # Markdown turns a line break inside a paragraph into a space, and browsers show it between
    # two Chinese characters ("排得 一样长"): a paragraph is one line where it joins them
    import re

    new_block = re.compile(r"\s*([-*+] |\d+[.)] |#|\||>|```|~~~|$)")
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        lines = page.read_text(encoding="utf-8").split("\n")
        fenced = False
        for number, (line, following) in enumerate(zip(lines, lines[1:], strict=False), 1):
            if re.match(r"\s*(```|~~~)", line):
                fenced = not fenced
            if fenced or not line.strip() or new_block.match(following) or line[0] in "#|":
                continue
            assert not (_wide(line.rstrip()[-1]) and _wide(following.lstrip()[0])), (
                f"{page.name}:{number}"
            )

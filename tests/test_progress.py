"""The progress bar: drawn on a terminal for long runs only; never a control character in logs, never
an escape code anywhere."""

from __future__ import annotations

import io
import re

import pytest
from conftest import good_project

from gen import progress
from gen.cli import main
from gen.console import cells
from gen.progress import HANDFUL, ProgressBar, fit

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # anything but \t and \n


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def many(write):
    """More projects than a handful."""
    for number in range(HANDFUL + 2):
        write(f"projects/p{number}.yaml", good_project(f"项目{number}"))


def test_no_bar_when_not_a_terminal():
    stream = io.StringIO()
    with ProgressBar(stream, "生成", total=50) as bar:
        for done in range(1, 51):
            bar.update(done, item="projects/a.yaml")
    assert stream.getvalue() == ""


def test_a_bar_on_a_terminal():
    stream = Terminal()
    with ProgressBar(stream, "生成", total=10) as bar:
        for number in range(10):
            bar.update(number + 1, item=f"p{number}.yaml")
        assert stream.getvalue().endswith("\r生成 [########################] 10/10 p9.yaml")
    assert stream.getvalue().count("\r生成 [") == 10
    width = len("生成 [########################] 10/10 p9.yaml") + 2  # 生成 takes four cells
    assert stream.getvalue().endswith("\r" + " " * width + "\r")  # erased with spaces
    assert "\x1b" not in stream.getvalue()


def test_a_shorter_line_covers_the_longer_one_before():
    stream = Terminal()
    bar = ProgressBar(stream, "生成", total=10)
    bar.update(1, item="projects/平安办/安保经费.yaml")
    bar.update(2, item="a.yaml")
    first, second = stream.getvalue().split("\r")[1:]
    assert second.startswith("生成 [####") and second.endswith("2/10 a.yaml" + " " * 23)
    assert cells(second) == cells(
        first
    )  # 23 = 29 cells of the first item (平安办 安保经费 take two each) - 6


def test_no_bar_on_a_dumb_terminal(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    with ProgressBar(Terminal(), "生成", total=50) as bar:
        bar.update(10)
    assert bar.stream.getvalue() == ""


def test_no_bar_for_a_handful_or_when_quiet():
    for bar in (ProgressBar(Terminal(), "生成", total=HANDFUL),
                ProgressBar(Terminal(), "生成", total=50, quiet=True)):  # fmt: skip
        with bar:
            bar.update(3)
        assert bar.stream.getvalue() == ""


def test_the_total_may_come_with_the_first_update():
    stream = Terminal()
    with ProgressBar(stream, "转换 PDF") as bar:
        bar.update(2, total=12)
    assert "\r转换 PDF [####....................] 2/12" in stream.getvalue()


def test_a_long_line_is_cut_to_the_terminal_width():
    assert fit("平安办/安保经费", 7) == "平安办/"  # a Chinese character takes two cells
    assert fit("平安办/安保经费", 6) == "平安办"
    assert fit("abc", 10) == "abc"


def test_the_build_writes_no_control_characters_when_not_a_terminal(runner, in_tmp, many):
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 0
    assert not CONTROL.search(result.stderr)
    assert re.fullmatch(r"已生成 7 个，失败 0 个，有警告 0 个，用时 \d+\.\d 秒\n", result.stderr)


def test_the_build_draws_a_bar_on_a_terminal(runner, in_tmp, many, monkeypatch):
    monkeypatch.setattr(progress, "is_terminal", lambda stream: True)
    result = runner.invoke(main, ["build", "projects"])
    assert result.exit_code == 0
    assert "\r生成 [###" in result.stderr and "7/7 projects/p6.yaml" in result.stderr
    assert "\r已生成 7 个，失败 0 个" in result.stderr  # the bar is erased first
    assert "\x1b" not in result.stderr


def test_quiet_draws_nothing(runner, in_tmp, many, monkeypatch):
    monkeypatch.setattr(progress, "is_terminal", lambda stream: True)
    result = runner.invoke(main, ["build", "-q", "projects"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert (in_tmp / "output/p0.docx").is_file()

"""click in Chinese: every message of the installed click is in the catalog, every screen of the
command line is free of English, and nothing outside click is translated."""

from __future__ import annotations

import argparse
import ast
import gettext
import importlib
import re
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gen import click_chinese
from gen.cli import main
from gen.click_chinese import MESSAGES, PLURALS, FloatRange, IntRange, speak_chinese
from gen.console import cells

CLICK_SOURCE = sorted(Path(click.__file__).parent.glob("*.py"))

# Words a clerk's screen may show: names of programs, formats and file types, and gen's own
# command names and option values (typed as they are).
ALLOWED = {
    *[
        "YAML",
        "JSON",
        "Schema",
        "PDF",
        "LibreOffice",
        "WPS",
        "Word",
        "Excel",
        "docx",
        "xlsx",
        "doc",
        "wps",
        "yaml",
        "VS",
        "Code",
        "CI",
        "CPU",
    ],
    *["Ctrl", "gen", "text", "json", "output", "projects", "templates"],
    *["git", "HEAD", "github", "gitlab", "GitHub", "GitLab", "Actions"],  # names the user types
    *main.commands,
}


def click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """The literal messages click passes to `_()` and the (singular, plural) pairs to `ngettext()`."""
    singles, plurals = set(), set()
    for file in CLICK_SOURCE:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and texts and isinstance(texts[0], str):
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) >= 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


def placeholders(text: str) -> set[str]:
    """The names a message is formatted with: `{name!r}` → name, `%(prog)s` → prog."""
    names = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    return names | set(re.findall(r"%\((\w+)\)s", text))


def english_words(text: str, typed: tuple[str, ...] = ()) -> list[str]:
    """Words of three or more Latin letters, leaving out option names, file names and paths,
    what the user typed, and the allowed names."""
    for word in typed:  # as a whole word: "-o" typed leaves "--output" alone
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", text)
    text = re.sub(r"(?<![\w-])--?[\w-]+", " ", text)  # -h, --pdf-timeout
    text = re.sub(r"[\w./\\-]*[./\\][\w./\\-]*", " ", text)  # projects/, _defaults.yaml, .docx
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]


def test_every_message_of_click_is_in_the_catalog():
    singles, plurals = click_messages()
    assert singles, "click's messages are no longer found where gettext is called"
    assert sorted(singles - MESSAGES.keys()) == []
    assert sorted(plurals - PLURALS.keys()) == []
    assert "required" in MESSAGES  # click translates the "[required]" note with _(variable)


@pytest.mark.parametrize("msgid", sorted(MESSAGES))
def test_a_translation_uses_only_the_placeholders_click_fills(msgid):
    assert placeholders(MESSAGES[msgid]) <= placeholders(msgid)


@pytest.mark.parametrize("pair", sorted(PLURALS))
def test_both_forms_of_a_plural_use_only_their_placeholders(pair):
    for english, chinese in zip(pair, PLURALS[pair], strict=True):
        assert placeholders(chinese) <= placeholders(english)


def test_only_clicks_own_modules_are_translated():
    speak_chinese()
    for file in CLICK_SOURCE:
        source = file.read_text(encoding="utf-8")
        module = click if file.stem == "__init__" else getattr(click, file.stem, None)
        if module is not None and "from gettext import gettext as _" in source:
            assert module._ is click_chinese.gettext, file.name
    assert click.core.ngettext is click_chinese.ngettext
    assert gettext.gettext("Usage:") == "Usage:"  # the process-wide gettext is untouched
    assert argparse._ is gettext.gettext


SCREENS = [
    (["--help"], 0),
    *[([name, "--help"], 0) for name in main.commands],
    (["--version"], 0),
    (["chek"], 2),  # no such command, did you mean
    (["bui"], 2),
    (["rollover", "2026"], 2),  # missing option
    (["rollover", "--to", "2027", "-o", "x"], 2),  # missing argument
    (["import"], 2),
    (["new"], 2),
    (["build", "--pdf-timeout", "0"], 2),  # out of range
    (["build", "--jobs", "many"], 2),  # not a number
    (["rollover", "in", "--to", "27", "-o", "x"], 2),
    (["check", "--format", "xml"], 2),  # bad choice
    (["new", "a.yaml", "--form", "表"], 2),
    (["build", "--pdf-timeout"], 2),  # option without its value
    (["check", "--strictly"], 2),  # no such option, did you mean
    (["check", "--bogus"], 2),
    (["schema", "extra", "args"], 2),  # unexpected arguments
    (["check", "--strict=yes"], 2),  # a flag given a value
    (["diff", "--format", "x"], 2),
    (["template"], 2),
    (["watch", "--pdf"], 2),
    (["summary", "-o", "."], 2),  # a folder where a file is wanted
    (["build", "-j", "0"], 2),
]


@pytest.mark.parametrize(("args", "exit_code"), SCREENS, ids=[" ".join(a) for a, _ in SCREENS])
def test_no_english_on_any_screen(runner, in_tmp, args, exit_code):
    result = runner.invoke(main, args, prog_name="gen", terminal_width=80)
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    assert english_words(result.output, typed=tuple(args)) == []


def test_the_checker_finds_english():
    assert english_words("Usage: gen build [OPTIONS] --pdf projects/a.yaml") == ["Usage", "OPTIONS"]


def test_a_usage_error_in_full(runner):
    result = runner.invoke(main, ["chek"], prog_name="gen")
    assert result.stderr == (
        "用法：gen [选项] 命令 [参数]...\n"
        "运行“gen --help”查看帮助。\n"
        "\n"
        "错误：没有这个命令“chek”；是不是要用其中之一：“check”、“schema”？\n"
    )


def test_a_missing_option_and_a_bad_value(runner):
    missing = runner.invoke(main, ["rollover", "projects"], prog_name="gen")
    assert missing.stderr.endswith("错误：缺少必填的选项“--to”\n")
    year = runner.invoke(main, ["rollover", "projects", "--to", "99999"], prog_name="gen")
    assert year.stderr.endswith("错误：“--to”的值无效：99999 超出范围：应在 1000 到 9999 之间。\n")


@pytest.mark.parametrize("typed", ["0", "0.50", "-3", "1e-3", " 0 ", "nan", "NaN"])
def test_a_number_out_of_range_is_shown_as_typed(runner, typed):
    bad = runner.invoke(main, ["build", "--pdf-timeout", typed], prog_name="gen")
    assert bad.exit_code == 2
    shown = typed.strip()
    assert bad.stderr.endswith(f"错误：“--pdf-timeout”的值无效：{shown} 超出范围：应至少为 1。\n")


def test_a_number_in_range_is_read_as_its_type():
    assert FloatRange(min=1).convert("2", None, None) == 2.0
    assert type(FloatRange(min=1).convert("2", None, None)) is float
    assert IntRange(1000, 9999).convert(" 2027", None, None) == 2027


@pytest.mark.parametrize(
    ("option", "typed", "kind"),
    [("--pdf-timeout", "十", "数字"), ("-j", "1.5", "整数"), ("-j", "两", "整数")],
)
def test_a_range_option_that_is_no_number_says_so(runner, option, typed, kind):
    bad = runner.invoke(main, ["build", option, typed], prog_name="gen")
    assert bad.exit_code == 2
    name = "-j/--jobs" if option == "-j" else option
    assert bad.stderr.endswith(f"错误：“{name}”的值无效：“{typed}”不是{kind}。\n")


def test_help_fits_an_80_column_console(runner):
    for args in (["--help"], *([name, "--help"] for name in main.commands)):
        output = runner.invoke(main, args, prog_name="gen", terminal_width=80).output
        assert max(cells(line) for line in output.splitlines()) <= 80, args


def test_the_help_of_build(runner):
    output = runner.invoke(main, ["build", "--help"], prog_name="gen", terminal_width=80).output
    assert output.startswith("用法：gen build [选项] [路径]...\n")
    assert "\n选项：\n" in output
    assert (
        "  -o, --output 文件夹  输出文件夹（结构与所给的文件夹相同）。  [默认：output]\n" in output
    )
    assert (
        "  --pdf-timeout 秒数   LibreOffice 这么久没有转换完下一个文件就停止它。\n"
        "                       [默认：120；至少为 1]\n"
    ) in output
    assert "  -h, --help           显示这个帮助并退出。\n" in output


def test_ctrl_c_is_reported_in_chinese(runner, in_tmp, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib.import_module("gen.build"), "check", interrupted)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 130
    assert result.stderr == "已中断：已写完的文件完好，没写完的没有留下\n"


def test_a_help_text_of_several_paragraphs_keeps_them_apart(runner):
    result = runner.invoke(main, ["diff", "--help"])
    assert (
        "\n  比较两个版本的项目，用表格的说法列出改动；可另写 Word 修订稿。\n\n"
        "  旧版本、新版本是 git 版本（提交、标签、分支；默认 HEAD 与工作区）或两个文件\n"
        "  夹；路径限定比较的项目（默认 projects/）。\n\n选项：\n"
    ) in result.output


def test_ranges_are_told_in_words():
    assert IntRange(1000, 9999)._describe_range() == "在 1000 到 9999 之间"
    assert FloatRange(min=1)._describe_range() == "至少为 1"
    assert IntRange(max=9)._describe_range() == "至多为 9"
    assert FloatRange(0, 1, min_open=True)._describe_range() == "大于 0，至多为 1"


def test_a_folder_where_a_file_is_wanted_is_said_in_chinese(runner, in_tmp):
    (in_tmp / "adir").mkdir()
    result = runner.invoke(main, ["summary", "-o", "adir"], prog_name="gen")
    assert result.stderr.endswith(
        "错误：“-o/--output”的值无效：“adir”是一个文件夹，这里要的是文件。\n"
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", "--format", "xml"], "“--format”的值无效：“xml”不是可用的值；可选：“text”、“json”、“github”、“gitlab”。"),
        (["diff", "--format", "x"], "“--format”的值无效：“x”不是可用的值；可选：“text”、“json”。"),
        (["new", "a.yaml", "--form", "表"], "“--表样/--form”的值无效：“表”不是可用的值；可选：“绩效目标表”、“绩效目标申报表”。"),
        (["rollover", "projects", "-o", "x"], "缺少必填的选项“--to”"),
        (["import"], "缺少参数“路径...”"),
        (["template"], "缺少参数“表格文件”"),
        (["build", "-j", "x"], "“-j/--jobs”的值无效：“x”不是整数。"),
        (["build", "--bogus"], "没有这个选项“--bogus”；是不是要用其中之一：“--book”、“--jobs”？"),
        (["check", "--strictly"], "没有这个选项“--strictly”；是不是要用“--strict”？"),
        (["watch", "--pdf"], "没有这个选项“--pdf”。"),
        (["bui"], "没有这个命令“bui”；是不是要用“build”？"),
        (["build", "--strict=1"], "选项“--strict”后面不能跟值。"),
        (["build", "-o"], "选项“-o”后面要跟一个值。"),
    ],
)  # fmt: skip
def test_usage_errors_quote_as_gen_does(runner, in_tmp, args, said):
    result = runner.invoke(main, args, prog_name="gen")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, f"错误：{said}")


@pytest.mark.parametrize("args", [["build", "--strict=1"], ["build", "-o"]])
def test_an_error_of_clicks_parser_shows_the_usage_too(runner, in_tmp, args):
    lines = runner.invoke(main, args, prog_name="gen").stderr.splitlines()
    assert lines[:2] == ["用法：gen build [选项] [路径]...", "运行“gen build --help”查看帮助。"]


def test_a_required_choice_is_missed_with_its_choices_quoted(runner):
    @click.command(cls=click_chinese.Command)
    @click.option("--form", type=click_chinese.Choice(["甲", "乙"]), required=True)
    def command(form: str) -> None:
        """A command with a required choice; gen has none yet."""

    result = runner.invoke(command, [])
    assert result.stderr.splitlines()[-1] == "错误：缺少必填的选项“--form”；可选：“甲”、“乙”"


USAGE_ERRORS = [args for args, exit_code in SCREENS if exit_code == 2]


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=[" ".join(a) for a in USAGE_ERRORS])
def test_no_ascii_quote_or_full_stop_in_a_usage_error(runner, in_tmp, args):
    error = runner.invoke(main, args, prog_name="gen").stderr.splitlines()[-1]
    assert error.startswith("错误：")
    assert not re.search(r"'|\.$|\. |, ", error), error

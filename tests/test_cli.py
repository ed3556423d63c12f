"""The command line: options, printed findings, the closing line and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from conftest import GOOD_PROJECT, good_project

from gen.cli import main

BAD_AMOUNT = GOOD_PROJECT.replace("  财政资金: 3082.53", "  财政资金: 三千")


def test_help_lists_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "build" in result.output and "check" in result.output


def test_python_dash_m_gen_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "gen", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("gen 版本 ")


def test_check_prints_file_line_path_and_message(runner, in_tmp, write):
    write("projects/平安办/安保经费.yaml", BAD_AMOUNT)
    result = runner.invoke(main, ["check", "projects"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        'projects/平安办/安保经费.yaml:11: 项目资金.财政资金: 应为数字，实际为 "三千"'
    ]
    assert result.stderr.strip() == "已检查 1 个项目，失败 1 个，有警告 0 个"


def test_check_defaults_to_projects_folder(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_without_projects_folder_is_a_usage_error(runner, in_tmp):
    result = runner.invoke(main, ["check"])
    assert result.exit_code == 2
    assert "找不到 projects" in result.stderr


def test_check_json_lists_findings(runner, in_tmp, write):
    write("projects/a.yaml", BAD_AMOUNT)
    result = runner.invoke(main, ["check", "--format", "json", "projects"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": "projects/a.yaml",
            "line": 11,
            "path": "项目资金.财政资金",
            "level": "error",
            "code": "wrong-type",
            "message": '应为数字，实际为 "三千"',
        }
    ]


def test_strict_turns_warnings_into_exit_1(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("社工满意度: ≥90%", "社工满意度: 满意"))
    assert runner.invoke(main, ["check", "projects"]).exit_code == 0
    assert runner.invoke(main, ["check", "--strict", "projects"]).exit_code == 1


def test_build_writes_forms_and_says_how_many(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["build", "projects", "-o", "out"])
    assert result.exit_code == 1
    assert (in_tmp / "out" / "a.docx").is_file()
    assert not (in_tmp / "out" / "b.docx").exists()
    closing = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"已生成 1 个，失败 1 个，有警告 0 个，用时 \d+\.\d 秒", closing)


def test_build_with_a_missing_template_folder_is_a_usage_error(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "--templates", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    assert not (in_tmp / "output").exists()


def test_unknown_option_is_a_usage_error(runner):
    assert runner.invoke(main, ["check", "--nope"]).exit_code == 2

"""The console: text measured and wrapped in terminal cells; no command fails on a character the
console or pipe cannot encode."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import good_project

from gen.authoring.json_schema import schema_text
from gen.console import NO_LINE_START, cells, wrap


def test_a_chinese_character_takes_two_cells():
    assert cells("gen 生成") == 8
    assert cells("（默认：120）") == 13


def test_chinese_wraps_between_characters_and_words_stay_whole():
    text = "同时用 LibreOffice 在每个 .docx 旁生成 PDF。"
    lines = wrap(text, 16)
    assert lines == ["同时用", "LibreOffice 在每", "个 .docx 旁生成", "PDF。"]
    assert all(cells(line) <= 16 for line in lines)


def test_no_line_starts_with_a_closing_mark():
    lines = wrap("甲乙丙丁戊，己庚辛。", 10)
    assert lines == ["甲乙丙丁", "戊，己庚", "辛。"]
    assert not any(line[0] in NO_LINE_START for line in lines)


def test_a_word_longer_than_the_line_is_left_whole():
    assert wrap("见 https://zh-cn.libreoffice.org 下载", 12) == [
        "见",
        "https://zh-cn.libreoffice.org",
        "下载",
    ]


def test_empty_text_has_no_lines():
    assert wrap("", 10) == []


UNSHOWABLE = "𠀀😀☑"  # none of these is in GBK

# Every command, run on input that holds UNSHOWABLE: its exit code, and a line it prints.
BAD_LINE = "projects/平安办???/坏.yaml:11: 项目资金.财政资金: 应为数字，实际为“三千???”"
COMMANDS = [
    (["check", "projects"], 1, BAD_LINE),
    (["build", "projects", "-j", "1"], 1, BAD_LINE),
    (
        ["summary", "projects", "-o", f"汇总{UNSHOWABLE}.xlsx"],
        1,
        "汇总表：汇总???.xlsx（1 个项目）",
    ),
    (["new", f"新{UNSHOWABLE}.yaml"], 0, "已创建 新???.yaml："),
    (["rollover", "projects", "--to", "2027", "-o", "2027"], 0, "保障巡逻???2026年度"),
    (["import", f"无{UNSHOWABLE}.docx", "-o", "导入"], 1, "无???.docx: 不是 Word 文件"),
    (["build", f"没有{UNSHOWABLE}"], 2, "错误：找不到 没有???"),
    (["check", "--format", UNSHOWABLE], 2, "“???”不是可用的值"),
]

# Runs each command in one process (one start-up for all): a line "#N" on stdout and stderr
# opens the output of command N, "#N exit C" closes it.
DRIVER = """
import sys
from gen.cli import main
for number, args in enumerate(sys.argv[1].split("\\n")):
    for stream in (sys.stdout, sys.stderr):
        print(f"#{number}", file=stream, flush=True)
    try:
        main(args.split("\\t"), prog_name="gen")
    except SystemExit as exit:
        print(f"#{number} exit {exit.code}", flush=True)
"""


def run_gen(commands: list[list[str]], cwd: Path, encoding: str) -> dict[int, tuple[int, str]]:
    """Run the commands with stdout and stderr pipes of `encoding`: number → (exit code, output)."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    lines = "\n".join("\t".join(args) for args in commands)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, lines], cwd=cwd, env=env, capture_output=True, timeout=300
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(encoding, "replace")
    out, err = (
        re.split(r"^#(\d+)\n", s.decode(encoding, "replace"), flags=re.M)
        for s in (done.stdout, done.stderr)
    )
    results = {}
    for number in range(len(commands)):
        text = out[2 * number + 2] + err[2 * number + 2]
        code = re.search(rf"^#{number} exit (\d+)$", text, re.M)
        results[number] = (int(code.group(1)) if code else -1, text)
    return results


@pytest.fixture
def unshowable(in_tmp, write):
    """Projects whose names, texts, findings and file names hold characters GBK cannot encode."""
    write(f"projects/平安办{UNSHOWABLE}/好.yaml", good_project(f"巡逻{UNSHOWABLE}"))
    bad = good_project("坏").replace("  财政资金: 3082.53", f"  财政资金: 三千{UNSHOWABLE}")
    write(f"projects/平安办{UNSHOWABLE}/坏.yaml", bad)
    write(f"无{UNSHOWABLE}.docx", "不是 Word 文件")
    return in_tmp


def test_a_gbk_pipe_replaces_what_it_cannot_show_and_every_command_runs(unshowable):
    results = run_gen([args for args, _, _ in COMMANDS], unshowable, "gbk")
    for number, (args, exit_code, shown) in enumerate(COMMANDS):
        code, output = results[number]
        assert (code, shown in output) == (exit_code, True), (args, output)


@pytest.mark.parametrize(
    "args", [["check", "projects", "--format", "json"], ["check", "projects", "--format", "gitlab"]]
)
def test_json_is_utf8_whatever_the_pipe_encoding(unshowable, args):
    """`gen check --format json > 结果.json` on Chinese Windows: a JSON reader gets UTF-8, and a
    file name GBK cannot write is still the name of the file."""
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run(
        [sys.executable, "-m", "gen", *args], cwd=unshowable, env=env, capture_output=True
    )
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    findings = json.loads(done.stdout.decode("utf-8"))
    bad = f"projects/平安办{UNSHOWABLE}/坏.yaml"
    assert bad in json.dumps(findings, ensure_ascii=False)


def test_the_schema_on_stdout_is_utf8_whatever_the_pipe_encoding(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run(
        [sys.executable, "-m", "gen", "schema"], cwd=tmp_path, env=env, capture_output=True
    )
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == schema_text()


def test_utf8_and_ascii_pipes(unshowable):
    utf8 = run_gen([["check", "projects"]], unshowable, "utf-8")
    assert utf8[0][0] == 1
    assert BAD_LINE.replace("???", UNSHOWABLE) in utf8[0][1]  # every character kept
    ascii = run_gen([["check", "projects"]], unshowable, "ascii")
    assert ascii[0][0] == 1  # click writes UTF-8 to a stream that claims ASCII

"""Hostile input as a user meets it: `gen check` and `gen build` in a subprocess, bad files among the samples.

Each case is one bad file (or link, or pipe) in its own folder below a copy of the sample
projects/. One tree holds every case and is checked and built once (two processes); a few
cases that used to stop every project are also built alone. Every run is bounded by a
timeout, so a hang fails. What is asserted: exit code 1, each bad file named at its line
with its Chinese message, every finding on one line, no traceback, every sample form
byte-identical to a clean build, and nothing outside the output folder touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES

HANG = 180  # seconds: far above any honest run on a busy machine, far below a hang
HERE = "坏"  # the folder below projects/ that holds the cases
LINUX = sys.platform == "linux"

# A valid project of its own (人才活动 with other names), run with the root _defaults.yaml:
# 1 主管部门, 2 实施单位, 4 项目名称, 5 项目类别, 7 项目资金总额, 8 财政资金, 9 其他资金,
# 11 年度资金申请总额, 12 当年财政拨款, 15 项目总目标, 16 年度总体目标, 21 开展活动次数.
BASE = "主管部门: 测试部门\n实施单位: 测试单位\n" + (
    SAMPLES / "人才办" / "人才活动.yaml"
).read_text(encoding="utf-8").replace("人才", "测试")
END = BASE.count("\n") + 1  # the line of anything appended to BASE

Special = tuple[str, str]  # ("fifo", "") or ("symlink", target)


@dataclass(frozen=True)
class Case:
    """One bad input: its files (in its own folder), and what `gen check` must say of them."""

    name: str
    files: dict[str, str | bytes | Special]
    findings: list[tuple[str, int, str, str]]  # (file in the folder, line, code, message)
    form: str | None = None  # the one form it must build (a valid case), else none
    printed: str | None = None  # text that form must show


def replaced(old: str, new: str) -> str:
    """BASE with one line's text replaced."""
    assert BASE.count(old) == 1
    return BASE.replace(old, new)


def appended(line: str) -> str:
    """BASE with a line added at the end (line END)."""
    return BASE + line + "\n"


TAG = "不能使用 YAML 类型标记“{}”；请删除它，直接写值（要按文字处理就加引号）"
TOO_DEEP = (
    "嵌套超过 20 层；项目文件最多只有 4 层（绩效指标 → 一级指标 → 二级指标 → 三级指标），"
    "请检查这里的缩进和括号"
)
ANCHOR = (
    "以“&”或“*”开头的值会被当作 YAML 锚点或别名，项目文件里不能使用；"
    "如果这是文字，请用引号括起来；几个项目共用的内容请写在 _defaults.yaml 里"
)
ESCAPED = "含有 Word 表格不能保存的字符 {}，写作“{}”；请删除双引号里的“{}”"
UNKNOWN = "没有这一项；这里可用的键：表样、年度、项目名称、项目类别、主管部门、实施单位、计划开始日期、计划完成日期、项目期间、项目资金、年度资金、项目总目标、年度总体目标、绩效指标、其他栏目、格式；本区表样上 gen 没有的栏目，请缩进写在 “其他栏目:” 下面"
WIDE = "文件是 {} 编码{}，不是 UTF-8；请在编辑器里用 UTF-8 编码另存这个文件（记事本：另存为 → 编码选“UTF-8”）"
GOAL = "项目总目标: 通过建立测试工作机制"
VALUE = "开展活动次数: ≥10次"


def _laughs() -> str:
    """Nine levels of nine aliases each: a billion strings if expanded."""
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 10):
        name, before = chr(ord("a") + level), chr(ord("a") + level - 1)
        text += f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    return text


def _escaped(escape: str, name: str) -> str:
    return ESCAPED.format(name, escape, escape)


CASES = [
    Case(
        "tag-int",
        {"项目.yaml": appended("年度: !!int abc")},
        [
            ("项目.yaml", END, "yaml-tag", TAG.format("!!int")),
            ("项目.yaml", END, "wrong-type", "应为四位年份，实际为“abc”；请只写数字，如 2026"),
        ],
    ),
    Case(
        "tag-bool",
        {"项目.yaml": appended("年度: !!bool maybe")},
        [("项目.yaml", END, "yaml-tag", TAG.format("!!bool"))],
    ),
    Case(
        "tag-empty-int",
        {"项目.yaml": appended("年度: !!int ''")},
        [("项目.yaml", END, "yaml-tag", TAG.format("!!int"))],
    ),
    Case(
        "tag-verbatim",
        {"项目.yaml": appended("年度: !<tag:yaml.org,2002:int> zz")},
        [("项目.yaml", END, "yaml-tag", TAG.format("!!int"))],
    ),
    Case(
        "deep-500",
        {"项目.yaml": appended("格式: " + "[" * 500 + "]" * 500)},
        [("项目.yaml", END, "too-deep", TOO_DEEP)],
    ),
    Case(
        "deep-5000",  # past libyaml's own limit of 1000
        {"项目.yaml": appended("格式: " + "[" * 5000 + "]" * 5000)},
        [("项目.yaml", END, "too-deep", TOO_DEEP)],
    ),
    Case(
        "int-5000-digits",
        {"项目.yaml": appended("年度: " + "9" * 5000)},
        [
            (
                "项目.yaml",
                END,
                "wrong-type",
                "应为四位年份，实际为“" + "9" * 20 + "…（共 5000 个字符）”",
            )
        ],
    ),
    Case(
        "surrogate-value",
        {"项目.yaml": replaced(GOAL, '项目总目标: "社\\uD800工"\nx: 通过建立测试工作机制')},
        [
            (
                "项目.yaml",
                15,
                "control-character",
                _escaped("\\uD800", "U+D800（单独的代理码位，不是完整的字符）"),
            ),
        ],
    ),
    Case(
        "bel-ff-value",
        {"项目.yaml": replaced(GOAL, '项目总目标: "社\\a工\\f"\nx: 通过建立测试工作机制')},
        [
            ("项目.yaml", 15, "control-character", _escaped("\\a", "U+0007（响铃符）")),
            ("项目.yaml", 15, "control-character", _escaped("\\f", "U+000C（换页符）")),
        ],
    ),
    Case(
        "bel-key",
        {"项目.yaml": appended('"社\\a工": 1')},
        [
            ("项目.yaml", END, "control-character", _escaped("\\a", "U+0007（响铃符）")),
            ("项目.yaml", END, "unknown-key", UNKNOWN),
        ],
    ),
    Case(
        "control-characters",
        {"项目.yaml": replaced(VALUE, '开展活动次数: "≥10\\v次\\0\\x1b\\uFFFE"')},
        [
            ("项目.yaml", 21, "control-character", _escaped("\\v", "U+000B（垂直制表符）")),
            ("项目.yaml", 21, "control-character", _escaped("\\0", "U+0000（空字符）")),
            ("项目.yaml", 21, "control-character", _escaped("\\x1b", "U+001B（转义符）")),
            ("项目.yaml", 21, "control-character", _escaped("\\uFFFE", "U+FFFE（非字符）")),
        ],
    ),
    Case("billion-laughs", {"项目.yaml": _laughs()}, [("项目.yaml", 1, "yaml-anchor", ANCHOR)]),
    Case(
        "tiny-exponent",
        {"项目.yaml": replaced("项目资金总额: 42", "项目资金总额: 1.0e-999999999")},
        [
            (
                "项目.yaml",
                7,
                "bad-amount",
                "金额不能用科学计数法（实际为“1.0e-999999999”）；请直接写出数字",
            )
        ],
    ),
    Case(
        "amounts-not-decimal",
        {
            "项目.yaml": replaced("财政资金: 42\n", "财政资金: 0x1F\n")
            .replace("  其他资金: 0\n年度资金", "  其他资金: 1:30\n年度资金")
            .replace("当年财政拨款: 42", "当年财政拨款: 1_000")
        },
        [
            ("项目.yaml", 8, "wrong-type", "应为数字，实际为“0x1F”"),
            ("项目.yaml", 9, "wrong-type", "应为数字，实际为“1:30”"),
            ("项目.yaml", 12, "wrong-type", "应为数字，实际为“1_000”"),
        ],
    ),
    Case(
        "leading-zeros",  # 042 is 42 as written, never octal 34
        {"项目.yaml": BASE.replace(": 42\n", ": 042\n")},
        [],
        form="项目.docx",
        printed="42",
    ),
    Case(
        "largest-amounts",
        {
            "项目.yaml": BASE.replace(": 42\n", ": 123456789012345.123456\n")
            .replace("项目资金总额: 123456789012345.123456", "项目资金总额: 123456789012345.123457")
            .replace("  其他资金: 0\n年度资金", "  其他资金: 0.000001\n年度资金")
            .replace(
                "年度资金申请总额: 123456789012345.123456",
                "年度资金申请总额: 123456789012345.123457",
            )
            .replace("上年结转资金: 0", "上年结转资金: 0.000001")
        },
        [],
        form="项目.docx",
        printed="123456789012345.123457",
    ),
    Case(
        "blank-goal",
        {"项目.yaml": replaced(GOAL, "项目总目标: 　\nx: 通过建立测试工作机制")},
        [("项目.yaml", 15, "missing-key", "没有填写内容；请在冒号后填写")],
    ),
    Case(
        "line-break-in-value",
        {"项目.yaml": replaced("项目类别: 经常性项目", '项目类别: "经常性\\n项目"')},
        [
            (
                "项目.yaml",
                5,
                "bad-choice",
                "“经常性\\n项目”不是绩效目标表的项目类别；可选：专项资金、经常性项目、一次性项目",
            )
        ],
    ),
    Case(
        "ten-thousand-keys",
        {"项目.yaml": BASE + "".join(f"未知键{i}: {i}\n" for i in range(10_000))},
        [
            ("项目.yaml", END, "unknown-key", UNKNOWN),
            (
                "项目.yaml",
                END + 100,
                "more-findings",
                "还有 9900 处问题未列出；请先改正上面的问题，再运行 gen check",
            ),
        ],
    ),
    Case(
        "utf-16",
        {"项目.yaml": "\ufeff".encode("utf-16-le") + BASE.encode("utf-16-le")},
        [("项目.yaml", 1, "encoding", WIDE.format("UTF-16", "（Windows 记事本里叫“Unicode”）"))],
    ),
    Case(
        "utf-32",
        {"项目.yaml": BASE.encode("utf-32")},
        [("项目.yaml", 1, "encoding", WIDE.format("UTF-32", ""))],
    ),
    Case(
        "bad-defaults",
        {"_defaults.yaml": "年度: !!int abc\n", "项目.yaml": BASE},
        [("_defaults.yaml", 1, "yaml-tag", TAG.format("!!int"))],
    ),
    Case(
        "too-big",
        {"项目.yaml": BASE + "# " + "长" * 100_000 + "\n"},
        [
            (
                "项目.yaml",
                1,
                "unreadable",
                "文件太大（超过 256 KB）；项目文件一般只有几 KB，请确认没有选错文件",
            )
        ],
    ),
]
if hasattr(os, "mkfifo"):
    CASES.append(
        Case(
            "fifo",
            {"管道.yaml": ("fifo", "")},
            [
                (
                    "管道.yaml",
                    0,
                    "unreadable",
                    "这不是普通文件（是管道、设备等特殊文件）；gen 只读取普通文件",
                )
            ],
        )
    )
if LINUX:  # links need rights on Windows; names of any bytes are Linux's
    CASES += [
        Case(
            "file-link-loop",
            {"环.yaml": ("symlink", "环.yaml")},
            [
                (
                    "环.yaml",
                    0,
                    "unreadable",
                    "无法读取这个文件（链接循环：这个链接最终又指向它自己）",
                )
            ],
        ),
        Case(
            "folder-link-loop",  # built once, not once per turn of the loop
            {"项目.yaml": BASE, "sub/up": ("symlink", "..")},
            [
                (
                    "sub/up",
                    0,
                    "folder-seen",
                    "这个文件夹是链接，指向的文件夹已经查找过（链接循环或重复）；已跳过，每个文件夹只查找一次",
                )
            ],
            form="项目.docx",
        ),
        Case(
            "name-not-utf8",
            {os.fsdecode(b"\xba\xc3.yaml"): BASE},
            [
                (
                    "\\xba\\xc3.yaml",
                    0,
                    "bad-file-name",
                    "名称不是 UTF-8 编码（可能是 GBK 编码的中文名）；请重命名它",
                )
            ],
        ),
    ]
ALONE = ("tag-int", "deep-5000", "int-5000-digits", "surrogate-value", "bel-key", "billion-laughs")


# ---------------------------------------------------------------- running gen as a user does


@dataclass
class Run:
    """One tree after `gen check --format json` and `gen build`: what they said and left."""

    root: Path
    check: subprocess.CompletedProcess[str] | None
    build: subprocess.CompletedProcess[str]
    before: dict[str, Any]
    after: dict[str, Any]
    findings: list[dict[str, Any]] = field(default_factory=list)


def gen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run gen in `root` as a user would; a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "gen", *args],
        cwd=root,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=HANG,
    )


def sample_tree(root: Path) -> Path:
    """A copy of the sample projects/ in `root`."""
    shutil.copytree(SAMPLES, root / "projects")
    return root


def plant(folder: Path, case: Case) -> None:
    """Write a case's files into its folder."""
    for name, content in case.files.items():
        path = folder / case.name / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):
            kind, target = content
            os.mkfifo(path) if kind == "fifo" else path.symlink_to(target)
        else:
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def snapshot(root: Path) -> dict[str, Any]:
    """Every entry below `root` but output/: content hash and mtime of files, link targets."""
    seen: dict[str, Any] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if Path(folder, d) != root / "output"]
        for name in dirs + files:
            path = Path(folder, name)
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                seen[str(path)] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                seen[str(path)] = ("file", digest, info.st_mtime_ns)
            else:
                seen[str(path)] = ("other", stat.S_IFMT(info.st_mode))
    return seen


def forms(output: Path) -> dict[str, bytes]:
    """Every form below an output folder, by its path there."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*.docx")}


def document_text(form: Path) -> str:
    """The text of a form's document.xml."""
    with zipfile.ZipFile(form) as package:
        return package.read("word/document.xml").decode("utf-8")


@pytest.fixture(scope="module")
def clean_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The sample forms of a clean build, built once for the module."""
    root = sample_tree(tmp_path_factory.mktemp("clean"))
    done = gen(root, "build", "-q", "projects", "-o", "output")
    assert done.returncode == 0, done.stderr
    return forms(root / "output")


@pytest.fixture(scope="module")
def every_case(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The samples with every case planted, checked and built once."""
    root = sample_tree(tmp_path_factory.mktemp("hostile"))
    for case in CASES:
        plant(root / "projects" / HERE, case)
    before = snapshot(root)
    check = gen(root, "check", "--format", "json", "projects")
    build = gen(root, "build", "projects", "-o", "output")
    run = Run(root, check, build, before, snapshot(root))
    run.findings = json.loads(check.stdout)
    return run


def assert_user_sees_no_defect(run: Run, clean_forms: dict[str, bytes]) -> None:
    """Exit code 1, no traceback, one finding per line, every sample form as built clean, the tree untouched."""
    for done in filter(None, (run.check, run.build)):
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert all(line.startswith("projects/") for line in run.build.stdout.splitlines())
    built = forms(run.root / "output")
    assert {name: built.get(name) for name in clean_forms} == clean_forms
    assert run.after == run.before


# ---------------------------------------------------------------- every case in one tree


def test_the_samples_still_build_byte_identical_beside_every_case(
    every_case: Run, clean_forms: dict[str, bytes]
) -> None:
    assert_user_sees_no_defect(every_case, clean_forms)
    assert "internal-error" not in {f["code"] for f in every_case.findings}


def test_only_the_valid_cases_build_a_form(every_case: Run, clean_forms: dict[str, bytes]) -> None:
    extra = set(forms(every_case.root / "output")) - set(clean_forms)
    assert extra == {f"{HERE}/{case.name}/{case.form}" for case in CASES if case.form}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_case_is_named_at_its_line(every_case: Run, case: Case) -> None:
    folder = f"projects/{HERE}/{case.name}/"
    said = [
        (f["file"].removeprefix(folder), f["line"], f["code"], f["message"])
        for f in every_case.findings
        if f["file"].startswith(folder)
    ]
    for expected in case.findings:
        assert expected in said
    printed = every_case.build.stdout.splitlines()
    for file, line, _code, message in case.findings:
        where = f"{folder}{file}:{line}:" if line else f"{folder}{file}:"
        assert any(p.startswith(where) and p.endswith(message) for p in printed), where
    errors = {f["level"] for f in every_case.findings if f["file"].startswith(folder)}
    assert ("error" in errors) == (case.form is None)
    if case.form and case.printed:
        text = document_text(every_case.root / "output" / HERE / case.name / case.form)
        assert f">{case.printed}<" in text


def test_a_leading_zero_is_never_octal(every_case: Run) -> None:
    text = document_text(every_case.root / "output" / HERE / "leading-zeros" / "项目.docx")
    assert ">42<" in text and ">34<" not in text


# ---------------------------------------------------------------- the worst cases, each alone


@pytest.mark.parametrize("name", ALONE)
def test_one_bad_file_alone_stops_only_itself(
    tmp_path: Path, clean_forms: dict[str, bytes], name: str
) -> None:
    case = next(case for case in CASES if case.name == name)
    root = sample_tree(tmp_path)
    plant(root / "projects" / HERE, case)
    before = snapshot(root)
    build = gen(root, "build", "-q", "projects", "-o", "output")
    run = Run(root, None, build, before, snapshot(root))
    assert_user_sees_no_defect(run, clean_forms)
    file, line, _code, message = case.findings[0]
    assert f"projects/{HERE}/{name}/{file}:{line}: " in build.stdout
    assert message in build.stdout
    assert set(forms(root / "output")) == set(clean_forms)

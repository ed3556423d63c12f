"""The messages for hostile input, each with its exact text and line: load, schema, walk, boundary.

GOOD_PROJECT's lines: 2 年度, 4 项目类别, 10 项目资金总额, 11 财政资金, 12 其他资金, 14 年度资金申请总额,
15 当年财政拨款, 18 项目总目标, 19 年度总体目标 (a block: 20-21), 22 绩效指标, 25 社工数量.
"""

from __future__ import annotations

import errno
import os
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import GOOD_PROJECT, unlistable

import gen.checking
import gen.load
from gen.amounts import exact_sum
from gen.build import check
from gen.checking import capped, checked_project
from gen.errors import MAX_FINDINGS, Finding, UsageError, disk_reason, one_line, shown
from gen.files import walk
from gen.load import MAX_DEPTH, Loader, find_project_files, parse_file, parse_text

TOO_DEEP = (
    f"嵌套超过 {MAX_DEPTH} 层；项目文件最多只有 4 层（绩效指标 → 一级指标 → 二级指标 → 三级指标），"
    "请检查这里的缩进和括号"
)
ANCHOR = (
    "以“&”或“*”开头的值会被当作 YAML 锚点或别名，项目文件里不能使用；"
    "如果这是文字，请用引号括起来；几个项目共用的内容请写在 _defaults.yaml 里"
)


def changed(old: str, new: str) -> str:
    """GOOD_PROJECT with one line's text replaced (the line must be there once)."""
    assert GOOD_PROJECT.count(old) == 1
    return GOOD_PROJECT.replace(old, new)


def findings_of(tmp_path: Path, text: str | bytes, name: str = "p.yaml") -> list[Finding]:
    """Every finding of one project file written from text (or bytes), checked as build does."""
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8", "surrogatepass")
    path.write_bytes(text)
    return checked_project(path, Loader(root=tmp_path))[0]


def brief(findings: list[Finding], code: str | None = None) -> list[tuple[int, str, str, str]]:
    """(line, path, level, message) of the findings, only those of `code` when given."""
    return [(f.line, f.path, f.level, f.message) for f in findings if code in (None, f.code)]


# ---------------------------------------------------------------- YAML tags, anchors, nesting

TAG_MESSAGE = "不能使用 YAML 类型标记“{}”；请删除它，直接写值（要按文字处理就加引号）"


@pytest.mark.parametrize(
    ("value", "tag", "shown"),
    [
        ("!!int abc", "!!int", "“abc”"),
        ("!!bool maybe", "!!bool", "“maybe”"),
        ("!!int ''", "!!int", "“”"),
        ("!<tag:yaml.org,2002:int> zz", "!!int", "“zz”"),
        ("!!str 2026", "!!str", "“2026”"),
    ],
)
def test_a_yaml_tag_is_an_error_at_its_line(
    tmp_path: Path, value: str, tag: str, shown: str
) -> None:
    findings = findings_of(tmp_path, changed("年度: 2026", f"年度: {value}"))
    assert brief(findings, "yaml-tag") == [(2, "年度", "error", TAG_MESSAGE.format(tag))]
    if tag != "!!str":  # the value is read as written all the same
        assert brief(findings, "wrong-type") == [
            (2, "年度", "error", f"应为四位年份，实际为{shown}；请只写数字，如 2026")
        ]


def test_a_tag_on_a_key_or_a_mapping_is_reported(tmp_path: Path) -> None:
    text = changed("项目资金:\n", "项目资金: !!omap\n").replace("  财政资金:", "  !foo 财政资金:")
    assert brief(findings_of(tmp_path, text), "yaml-tag") == [
        (9, "项目资金", "error", TAG_MESSAGE.format("!!omap")),
        (11, "项目资金.财政资金", "error", TAG_MESSAGE.format("!foo")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: &x 文字\n",
        "a: *x\n",  # an alias of nothing: the same message, not a syntax error
        "a: 1\nb: &a [x, x]\nc: &b [*a, *a]\nd: &c [*b, *b]\n",
    ],
)
def test_anchors_and_aliases_are_refused_before_anything_expands(tmp_path: Path, text: str) -> None:
    line = 2 if text.startswith("a: 1") else 1
    source, findings = parse_file(_write(tmp_path / "p.yaml", text))
    assert source is None
    assert brief(findings) == [(line, "", "error", ANCHOR)]


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 10):
        name, before = chr(ord("a") + level), chr(ord("a") + level - 1)
        text += f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n"
    source, findings = parse_file(_write(tmp_path / "p.yaml", text))
    assert source is None and brief(findings) == [(1, "", "error", ANCHOR)]


def test_an_ampersand_inside_text_is_text(tmp_path: Path) -> None:
    findings = findings_of(tmp_path, changed("社工数量: 118人", "社工数量: R&D 118人 * 2"))
    assert [f for f in findings if f.is_error] == []


@pytest.mark.parametrize(
    ("levels", "line"),
    [
        (MAX_DEPTH + 1, 1),  # composed by libyaml, stopped while converting
        (1500, 1),  # past libyaml's own limit: PyYAML's events, checked without recursion
    ],
)
def test_flow_nesting_too_deep(tmp_path: Path, levels: int, line: int) -> None:
    text = "年度: " + "[" * levels + "]" * levels + "\n"
    assert brief(findings_of(tmp_path, text), "too-deep") == [(line, "", "error", TOO_DEEP)]


def test_block_nesting_too_deep_is_reported_where_it_passes_the_limit(tmp_path: Path) -> None:
    text = "".join("  " * depth + f"k{depth}:\n" for depth in range(30)) + "  " * 30 + "x: 1\n"
    # line n holds the mapping n levels down: the first one past the limit is on line MAX_DEPTH + 1
    assert brief(findings_of(tmp_path, text), "too-deep") == [
        (MAX_DEPTH + 1, "", "error", TOO_DEEP)
    ]


def test_nesting_up_to_the_limit_is_fine(tmp_path: Path) -> None:
    text = changed("社工数量: 118人", "社工数量: " + "[" * (MAX_DEPTH - 4) + "]" * (MAX_DEPTH - 4))
    assert brief(findings_of(tmp_path, text), "too-deep") == []


# ---------------------------------------------------------------- numbers as written


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("017", 17),
        ("02026", 2026),
        ("+5", 5),
        ("-3", -3),
        (".5", Decimal("0.5")),
        ("87.90", Decimal("87.90")),
        ("1e3", Decimal("1E+3")),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1:30", "1:30"),
        ("1_000", "1_000"),
        ("１２３", "１２３"),  # full-width digits are text
        (".inf", ".inf"),
        ("yes", True),
        ("Off", False),
        ("~", None),
        ("2026-1-5", date(2026, 1, 5)),
        ("'017'", "017"),
        ('"yes"', "yes"),
    ],
)
def test_plain_scalars_are_typed_from_the_text_as_written(
    tmp_path: Path, written: str, value: object
) -> None:
    source, findings = parse_text(tmp_path / "p.yaml", f"a: {written}\n")
    assert source is not None and findings == []
    assert source.data["a"] == value and type(source.data["a"]) is type(value)
    assert source.raw[("a",)] == written.strip("'\"")


def test_an_integer_of_any_length_is_read(tmp_path: Path) -> None:
    findings = findings_of(tmp_path, changed("年度: 2026", "年度: " + "9" * 5000))
    shown = "9" * 20 + "…（共 5000 个字符）"
    assert brief(findings, "wrong-type") == [(2, "年度", "error", f"应为四位年份，实际为“{shown}”")]


def test_an_octal_looking_amount_is_its_decimal_digits(tmp_path: Path) -> None:
    text = changed("  财政资金: 3082.53", "  财政资金: 03082.53")
    assert [f for f in findings_of(tmp_path, text) if f.is_error] == []


@pytest.mark.parametrize(
    ("written", "line", "message"),
    [
        ("0x1F", 12, "应为数字，实际为“0x1F”"),
        ("1:30", 12, "应为数字，实际为“1:30”"),
        ("1_000", 12, "应为数字，实际为“1_000”"),
        ("1e0", 12, "金额不能用科学计数法（实际为“1e0”）；请直接写出数字，写成 1"),
        ("1.0e-999999999", 12, "金额不能用科学计数法（实际为“1.0e-999999999”）；请直接写出数字"),
        ("1" * 16, 12, "金额的整数部分有 16 位，最多 15 位（单位是万元）；请核对金额"),
        (
            "0.1234567",
            12,
            "金额有 7 位小数，最多 6 位（万元的第 6 位小数就是 1 分钱）；请核对金额",
        ),
    ],
)
def test_amounts_are_refused_unless_written_plainly_and_in_bounds(
    tmp_path: Path, written: str, line: int, message: str
) -> None:
    findings = findings_of(
        tmp_path, changed("  其他资金: 0\n年度资金:", f"  其他资金: {written}\n年度资金:")
    )
    errors = [f for f in findings if f.is_error and f.code != "sum-mismatch"]
    assert brief(errors) == [(line, "项目资金.其他资金", "error", message)]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("1" * 17, "金额的整数部分有 17 位，最多 15 位（单位是元）；请核对金额"),
        ("0.1234567", "金额有 7 位小数，最多 6 位（单位是元，第 2 位小数就是 1 分钱）；请核对金额"),
    ],
)
def test_an_amount_out_of_bounds_is_told_in_the_projects_own_unit(
    tmp_path: Path, written: str, message: str
) -> None:
    text = changed("  其他资金: 0\n年度资金:", f"  其他资金: {written}\n年度资金:")
    findings = findings_of(tmp_path, text + "格式:\n  金额单位: 元\n")
    errors = [f for f in findings if f.is_error and f.code != "sum-mismatch"]
    assert brief(errors) == [(12, "项目资金.其他资金", "error", message)]


def test_the_largest_amounts_add_up_exactly(tmp_path: Path) -> None:
    text = (
        changed("  项目资金总额: 3082.53", "  项目资金总额: 999999999999999.999999")
        .replace("  财政资金: 3082.53", "  财政资金: 999999999999998.999998")
        .replace("  其他资金: 0\n年度资金:", "  其他资金: 1.000001\n年度资金:")
    )
    assert [f for f in findings_of(tmp_path, text) if f.is_error] == []
    wrong = text.replace("999999999999999.999999", "999999999999999.999998")
    assert brief(findings_of(tmp_path, wrong), "sum-mismatch") == [
        (
            10,
            "项目资金.项目资金总额",
            "error",
            "项目资金总额 999999999999999.999998 不等于 财政资金 + 其他资金 = "
            "999999999999999.999999；请改正总额或删除该行让程序计算",
        )
    ]


def test_exact_sum_keeps_every_digit() -> None:
    parts = [Decimal("123456789012.12345678901234567891"), Decimal("1"), Decimal("1E-30")]
    assert exact_sum(parts) == Decimal("123456789013.123456789012345678910000000001")
    assert exact_sum([]) == 0
    assert str(exact_sum([Decimal("3082.53"), Decimal("0")])) == "3082.53"


@pytest.mark.parametrize("blank", ['"   "', "　", "'　　'"])
def test_a_value_of_only_spaces_is_empty(tmp_path: Path, blank: str) -> None:
    text = changed(
        "项目总目标: 保障社工2026年度工资福利、公用经费等的正常支出。", f"项目总目标: {blank}"
    )
    text = text.replace("社工数量: 118人", f"社工数量: {blank}")
    assert brief([f for f in findings_of(tmp_path, text) if f.is_error]) == [
        (18, "项目总目标", "error", "没有填写内容；请在冒号后填写"),
        (
            25,
            "绩效指标.产出指标.数量指标.社工数量",
            "error",
            "没有填写指标值；请填写，例如 100%、≥8次、提升",
        ),
    ]


# ---------------------------------------------------------------- characters a form cannot hold


@pytest.mark.parametrize(
    ("escape", "name"),
    [
        ("\\v", "U+000B（垂直制表符）"),
        ("\\0", "U+0000（空字符）"),
        ("\\a", "U+0007（响铃符）"),
        ("\\f", "U+000C（换页符）"),
        ("\\e", "U+001B（转义符）"),
        ("\\x1b", "U+001B（转义符）"),
        ("\\x7f", "U+007F（删除符）"),
        ("\\u0001", "U+0001（控制字符）"),
        ("\\uFFFE", "U+FFFE（非字符）"),
        ("\\uffff", "U+FFFF（非字符）"),
        ("\\uD800", "U+D800（单独的代理码位，不是完整的字符）"),
    ],
)
def test_an_escaped_control_character_is_named_at_its_line(
    tmp_path: Path, escape: str, name: str
) -> None:
    text = changed("社工数量: 118人", f'社工数量: "118{escape}人"')
    message = f"含有 Word 表格不能保存的字符 {name}，写作“{escape}”；请删除双引号里的“{escape}”"
    path = "绩效指标.产出指标.数量指标.社工数量"
    assert brief(findings_of(tmp_path, text), "control-character") == [(25, path, "error", message)]


def test_control_characters_in_a_key_and_over_lines_each_at_its_own_line(tmp_path: Path) -> None:
    text = changed("社工数量: 118人", '"社工\\b数量": 118人').replace(
        "项目总目标: 保障社工2026年度工资福利、公用经费等的正常支出。",
        '项目总目标: "第一行\n  第二行\\v\n  第三行\\e"',
    )
    findings = [f for f in findings_of(tmp_path, text) if f.code == "control-character"]
    assert [(f.line, f.path, f.message) for f in findings] == [
        (
            19,
            "项目总目标",
            "含有 Word 表格不能保存的字符 U+000B（垂直制表符），写作“\\v”；请删除双引号里的“\\v”",
        ),
        (
            20,
            "项目总目标",
            "含有 Word 表格不能保存的字符 U+001B（转义符），写作“\\e”；请删除双引号里的“\\e”",
        ),
        (
            27,
            "绩效指标.产出指标.数量指标.社工\\u0008数量",
            "含有 Word 表格不能保存的字符 U+0008（退格符），写作“\\b”；请删除双引号里的“\\b”",
        ),
    ]


def test_a_character_not_written_as_an_escape_is_named_all_the_same(tmp_path: Path) -> None:
    # YAML's reader lets no such character through unescaped: this is the converter's fallback.
    converter = gen.load._Converter(tmp_path / "p.yaml", "a: b\n", yaml.SafeLoader(""))
    node = yaml.ScalarNode("tag:yaml.org,2002:str", "b\x85", yaml.Mark("", 0, 0, 3, "", 0))
    converter._check_characters(node, ("a",), "b\x85")
    message = "含有 Word 表格不能保存的字符 U+0085（下一行符）；请删除它（它在编辑器里看不见：可把这个值删掉重新输入）"
    assert brief(converter.findings) == [(1, "a", "error", message)]


def test_a_raw_control_character_in_the_file_is_named(tmp_path: Path) -> None:
    text = changed("社工数量: 118人", "社工数量: 118\x0b人")
    message = "文件里有不能使用的字符 U+000B（垂直制表符）；请删除它（它在编辑器里可能看不见：可把这一行删掉重新输入）"
    assert brief(findings_of(tmp_path, text)) == [(25, "", "error", message)]


# ---------------------------------------------------------------- reading the file


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16"),
        ("utf-16-be", b"\xfe\xff", "UTF-16"),
        ("utf-16-le", b"", "UTF-16"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32"),
        ("utf-32-be", b"", "UTF-32"),
    ],
)
def test_utf16_and_utf32_files_are_named(tmp_path: Path, codec: str, bom: bytes, name: str) -> None:
    hint = "（Windows 记事本里叫“Unicode”）" if name == "UTF-16" else ""
    message = f"文件是 {name} 编码{hint}，不是 UTF-8；请在编辑器里用 UTF-8 编码另存这个文件（记事本：另存为 → 编码选“UTF-8”）"
    findings = findings_of(tmp_path, bom + GOOD_PROJECT.encode(codec))
    assert brief(findings) == [(1, "", "error", message)]


def test_a_nul_byte_in_a_utf8_file_is_a_character_not_an_encoding(tmp_path: Path) -> None:
    findings = findings_of(tmp_path, changed("社工数量: 118人", "社工数量: 118\x00人"))
    assert [(f.line, f.code) for f in findings] == [(25, "control-character")]


def test_a_short_file_with_a_nul_byte_is_not_taken_for_utf16(tmp_path: Path) -> None:
    """Its bytes read as UTF-16 give some ":", but no "key: value"."""
    (finding,) = findings_of(tmp_path, "年度:\x00 2026\n".encode())
    assert (finding.line, finding.code) == (1, "control-character")


def test_gbk_is_still_called_gbk(tmp_path: Path) -> None:
    message = "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器里用 UTF-8 编码另存这个文件"
    assert brief(findings_of(tmp_path, GOOD_PROJECT.encode("gbk"))) == [(1, "", "error", message)]


def test_an_unreadable_file_gives_a_chinese_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "p.yaml", GOOD_PROJECT)

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("gen.load.os.open", refuse)
    assert brief(parse_file(path)[1]) == [(1, "", "error", "无法读取文件（没有读取权限）")]


def test_read_reasons_are_chinese() -> None:
    def read_reason(exc: OSError) -> str:
        return disk_reason(exc, reading=True)

    assert read_reason(OSError(errno.ELOOP, "Too many levels of symbolic links")) == (
        "链接循环：这个链接最终又指向它自己"
    )
    assert read_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "不能跨磁盘移动文件"
    assert read_reason(OSError(errno.ECHILD, "No child processes")) == (
        "操作系统报告错误 ECHILD（错误号 10）"
    )
    assert read_reason(OSError("no errno")) == "操作系统报告了一个没有说明原因的错误"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    message = "这不是普通文件（是管道、设备等特殊文件）；gen 只读取普通文件"
    assert brief(parse_file(fifo)[1]) == [(1, "", "error", message)]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_fifo_named_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UsageError) as caught:
        find_project_files([fifo])
    message = "这不是普通文件（是管道、设备等特殊文件）；gen 只读取普通文件"
    assert caught.value.message == f"{fifo.as_posix()}：{message}"


def test_a_projects_folder_that_cannot_be_listed_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "projects" / "a.yaml", GOOD_PROJECT)

    def refuse(folder: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(UsageError) as caught:
        check([tmp_path / "projects"])
    assert caught.value.message == (
        f"{(tmp_path / 'projects').as_posix()}: "
        "无法打开这个文件夹（没有读取权限）；其中的文件没有检查，请检查文件夹的权限"
    )


def test_an_unreadable_folder_is_reported_and_the_others_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "a" / "p.yaml", GOOD_PROJECT)
    _write(tmp_path / "b" / "q.yaml", GOOD_PROJECT.replace("社工", "义工"))
    unlistable(monkeypatch, "a")
    report = check([tmp_path])
    assert [r.path for r in report.results] == [tmp_path / "b" / "q.yaml"]
    assert [(f.file, f.code) for f in report.findings] == [(tmp_path / "a", "unreadable-folder")]
    assert report.exit_code == 1


def test_a_file_over_256_kb_is_refused(tmp_path: Path) -> None:
    text = GOOD_PROJECT + "# " + "x" * 300_000 + "\n"
    message = "文件太大（超过 256 KB）；项目文件一般只有几 KB，请确认没有选错文件"
    assert brief(findings_of(tmp_path, text)) == [(1, "", "error", message)]


# ---------------------------------------------------------------- the tree walk


def test_the_walk_reports_an_unreadable_folder_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a/1.yaml", "b/2.yaml", "c/3.yaml"):
        _write(tmp_path / name, "a: 1\n")
    unlistable(monkeypatch, "b")
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [
        tmp_path / "a/1.yaml",
        tmp_path / "c/3.yaml",
    ]
    message = "无法打开这个文件夹（没有读取权限）；其中的文件没有检查，请检查文件夹的权限"
    assert [(f.file, f.line, f.level, f.message) for f in problems] == [
        (tmp_path / "b", 0, "error", message)
    ]


def test_the_walk_reports_an_entry_it_cannot_look_at_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder that may be listed but not entered (r without x; some links, e.g. into /proc):
    # its entries are named, yet asking what they are is refused.
    for name in ("a/1.yaml", "b/2.yaml", "c/3.yaml", "_x/4.yaml"):
        _write(tmp_path / name, "a: 1\n")
    looking = Path.is_dir

    def is_dir(path: Path) -> bool:
        if path.name in ("b", "_x"):
            raise PermissionError(errno.EACCES, "Permission denied")
        return looking(path)

    monkeypatch.setattr(Path, "is_dir", is_dir)
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [
        tmp_path / "a/1.yaml",
        tmp_path / "c/3.yaml",
    ]
    message = "无法查看这一项（没有读取权限）；它若是文件夹，其中的文件没有检查，请检查权限"
    assert [(f.file, f.line, f.level, f.message) for f in problems] == [
        (tmp_path / "b", 0, "error", message)  # a skipped name (_x) is not even looked at
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_the_walk_enters_a_folder_once_and_skips_broken_files(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "1.yaml", "a: 1\n")
    (tmp_path / "a" / "loop").symlink_to("..")  # back up the tree
    (tmp_path / "a" / "self.yaml").symlink_to("self.yaml")
    (tmp_path / "a" / "gone.yaml").symlink_to("nowhere.yaml")
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [tmp_path / "a/1.yaml"]
    assert [(f.file.name, f.level, f.message) for f in problems] == [
        (
            "gone.yaml",
            "error",
            "无法读取这个文件（文件不存在，可能已被移动或删除，或是指向不存在文件的链接）",
        ),
        (
            "loop",
            "warning",
            "这个文件夹是链接，指向的文件夹已经查找过（链接循环或重复）；已跳过，每个文件夹只查找一次",
        ),
        ("self.yaml", "error", "无法读取这个文件（链接循环：这个链接最终又指向它自己）"),
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need rights on Windows")
def test_folders_without_inode_numbers_are_told_apart_by_their_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a/1.yaml", "b/2.yaml"):
        _write(tmp_path / name, "a: 1\n")
    (tmp_path / "b" / "loop").symlink_to("..")
    real_stat = Path.stat

    def no_inode(path: Path, **kwargs: bool) -> os.stat_result:  # as some network drives do
        info = real_stat(path, **kwargs)
        return os.stat_result((info.st_mode, 0, *tuple(info)[2:]))

    monkeypatch.setattr(Path, "stat", no_inode)
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [
        tmp_path / "a/1.yaml",
        tmp_path / "b/2.yaml",
    ]
    assert [(f.file.name, f.code) for f in problems] == [("loop", "folder-seen")]


@pytest.mark.skipif(sys.platform != "linux", reason="file names of any bytes are Linux's")
def test_a_name_that_is_not_utf8_is_reported_and_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "好.yaml", "a: 1\n")
    bad = os.fsdecode(os.fsencode(tmp_path) + b"/\xba\xc3.yaml")
    Path(bad).write_text("a: 1\n", encoding="utf-8")
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [tmp_path / "好.yaml"]
    assert [str(f) for f in problems] == [
        f"{tmp_path.as_posix()}/\\xba\\xc3.yaml: 名称不是 UTF-8 编码（可能是 GBK 编码的中文名）；请重命名它"
    ]


def test_the_walk_keeps_its_own_stack(tmp_path: Path) -> None:
    folder = tmp_path
    for _ in range(400):  # deeper than the recursion limit below allows a recursive walk
        folder = folder / "d"
        folder.mkdir()
    _write(folder / "x.yaml", "a: 1\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(250)
    try:
        found = list(walk(tmp_path, lambda p: True, skip=()))
    finally:
        sys.setrecursionlimit(limit)
    assert found == [folder / "x.yaml"]


# ---------------------------------------------------------------- findings and the boundary


def test_a_finding_is_one_printable_line() -> None:
    finding = Finding(Path("a.yaml"), 3, "键\n二", "error", "x", '"经常性\n项目\x07\ud800" 不对')
    assert str(finding) == 'a.yaml:3: 键\\n二: "经常性\\n项目\\u0007\\ud800" 不对'
    assert one_line("a\r\tb\u2028") == "a\\r\\tb\\u2028"
    assert shown(Path(os.fsdecode(b"x/\xff.yaml"))) == "x/\\xff.yaml"


def test_findings_are_capped_per_file() -> None:
    many = [Finding(Path("a.yaml"), line, "", "warning", "w", "警告") for line in range(1, 152)]
    many.append(Finding(Path("a.yaml"), 160, "", "error", "e", "错误"))
    many.append(Finding(Path("b.yaml"), 1, "", "error", "e", "错误"))
    kept = capped(many)
    assert len(kept) == MAX_FINDINGS + 2
    assert kept[MAX_FINDINGS] == Finding(
        Path("a.yaml"),
        101,
        "",
        "error",
        "more-findings",
        "还有 52 处问题未列出；请先改正上面的问题，再运行 gen check",
    )
    assert kept[-1].file == Path("b.yaml")


def test_ten_thousand_unknown_keys_give_a_hundred_findings_and_a_count(tmp_path: Path) -> None:
    text = GOOD_PROJECT + "".join(f"未知键{i}: {i}\n" for i in range(10_000))  # from line 34
    findings = findings_of(tmp_path, text)
    assert len(findings) == MAX_FINDINGS + 1
    assert (findings[0].line, findings[0].path, findings[0].code) == (34, "未知键0", "unknown-key")
    assert brief(findings[-1:]) == [
        (134, "", "error", "还有 9900 处问题未列出；请先改正上面的问题，再运行 gen check")
    ]


def test_a_defect_while_checking_one_project_is_its_own_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(source: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(gen.checking, "validate", broken)
    message = (
        "检查这个文件时程序内部出错（RecursionError: maximum recursion depth exceeded）；"
        "这是 gen 的缺陷，不是文件的错：请把这个文件和这条提示发给维护人员，其他项目照常检查和生成"
    )
    assert brief(findings_of(tmp_path, GOOD_PROJECT)) == [(0, "", "error", message)]


def test_a_defect_while_reading_a_defaults_file_is_that_file_s_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = _write(tmp_path / "_defaults.yaml", "年度: 2026\n")
    decoded = gen.load._decoded

    def broken(path: Path, data: bytes) -> object:
        if path.name == "_defaults.yaml":
            raise ValueError("x" * 300)
        return decoded(path, data)

    monkeypatch.setattr(gen.load, "_decoded", broken)
    findings = findings_of(tmp_path, GOOD_PROJECT)
    assert [(f.file, f.line, f.code) for f in findings] == [(defaults, 0, "internal-error")]
    assert f"（ValueError: {'x' * 200}…）" in findings[0].message  # the text cut, not the type


def _write(path: Path, text: str) -> Path:
    """Write a UTF-8 file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

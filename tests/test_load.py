"""Tests for gen.load: finding project files, parsing with lines, syntax hints, _defaults.yaml."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, SAMPLES

from gen import load, yaml_errors
from gen.errors import Finding, Location, UsageError
from gen.load import Loader, Source, find_project_files, parse_file

CASES = Path(__file__).parent / "cases"


def brief(findings: list[Finding]) -> list[tuple[int, str, str, str, str]]:
    """The parts of findings a test compares."""
    return [(f.line, f.path, f.level, f.code, f.message) for f in findings]


def load_case(scenario: str, name: str = "社工.yaml") -> tuple[Source | None, list[Finding]]:
    """Load one project of a scenario folder, with that folder as the defaults boundary."""
    return Loader(root=CASES / scenario).load(CASES / scenario / name)


def write(path: Path, text: str) -> Path:
    """Write a UTF-8 file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- find_project_files


def test_find_walks_folders_sorted_and_skips_underscore_and_dot(tmp_path: Path) -> None:
    for name in ("b/2.yaml", "a.yml", "b/1.yaml", "_defaults.yaml", "b/_x.yaml", ".h/c.yaml"):
        write(tmp_path / name, "a: 1\n")
    write(tmp_path / "notes.txt", "")
    write(tmp_path / "_old" / "d.yaml", "a: 1\n")
    found = find_project_files([tmp_path])
    assert found == [tmp_path / "a.yml", tmp_path / "b/1.yaml", tmp_path / "b/2.yaml"]


def test_find_keeps_relative_paths_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "projects" / "x.yaml", "a: 1\n")
    monkeypatch.chdir(tmp_path)
    assert find_project_files([Path("projects"), Path("projects/x.yaml")]) == [
        Path("projects/x.yaml")
    ]


def test_find_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        find_project_files([tmp_path / "nope"])
    assert caught.value.message == f"找不到 {(tmp_path / 'nope').as_posix()}；请检查路径是否写对"
    assert caught.value.exit_code == 2


def test_find_named_file_must_be_yaml(tmp_path: Path) -> None:
    path = write(tmp_path / "x.txt", "")
    with pytest.raises(UsageError) as caught:
        find_project_files([path])
    assert caught.value.message == (
        f"{path.as_posix()} 不是项目文件；项目文件必须以 .yaml 或 .yml 结尾"
    )


def test_find_named_defaults_file_is_not_a_project(tmp_path: Path) -> None:
    path = write(tmp_path / "_defaults.yaml", "年度: 2026\n")
    with pytest.raises(UsageError) as caught:
        find_project_files([path])
    assert caught.value.message == (
        f"{path.as_posix()} 以“_”开头，是共用设置而不是项目；请指定项目文件或文件夹"
    )


# ---------------------------------------------------------------- scalars, origins, raw text


def test_scalars_keep_their_written_form(tmp_path: Path) -> None:
    text = (
        "年度: 2026\n项目名称: '2026'\n项目资金:\n  项目资金总额: 87.90\n  财政资金: 87.9\n"
        "  其他资金: 0\n计划开始日期: 2026-1-1\n计划完成日期: 2026-13-01\n千分位: yes\n空: ~\n"
        "值: 0.50\n大: 1.5e+3\n无穷: .inf\n"
    )
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert findings == []
    assert source is not None
    data = source.data
    assert data["年度"] == 2026 and type(data["年度"]) is int
    assert data["项目名称"] == "2026"
    funds = data["项目资金"]
    assert funds == {"项目资金总额": Decimal("87.90"), "财政资金": Decimal("87.9"), "其他资金": 0}
    assert str(funds["项目资金总额"]) == "87.90" and type(funds["项目资金总额"]) is Decimal
    assert data["计划开始日期"] == date(2026, 1, 1)
    assert data["计划完成日期"] == "2026-13-01"
    assert data["千分位"] is True and data["空"] is None
    assert (
        data["值"] == Decimal("0.50") and data["大"] == Decimal("1.5e3") and data["无穷"] == ".inf"
    )
    assert source.raw[("值",)] == "0.50" and source.raw[("千分位",)] == "yes"
    assert source.raw[("项目资金", "项目资金总额")] == "87.90"


def test_no_float_anywhere_in_the_corpus() -> None:
    def leaves(value: object) -> list[object]:
        if isinstance(value, dict):
            return [leaf for item in value.values() for leaf in leaves(item)]
        return [value]

    for path in sorted(CORPUS.glob("*.yaml")):
        source, _ = Loader().load(path)
        assert source is not None
        assert not [leaf for leaf in leaves(source.data) if isinstance(leaf, float)], path


def test_origins_are_the_key_lines(tmp_path: Path) -> None:
    text = "年度: 2026\n绩效指标:\n  产出指标:\n    数量指标:\n      社工数量: 118人\n"
    path = write(tmp_path / "p.yaml", text)
    source, _ = parse_file(path)
    assert source is not None
    assert source.origins[("年度",)] == Location(path, 1)
    assert source.origins[("绩效指标", "产出指标", "数量指标", "社工数量")] == Location(path, 5)
    assert source.locate("绩效指标", "产出指标", "质量指标") == Location(path, 3)
    assert source.locate("项目名称") == Location(path, 1)


def test_value_lines_point_at_a_block_below_its_key(tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", "项目资金:\n  财政资金：87.9\n")
    source, findings = parse_file(path)
    assert findings == [] and source is not None
    assert source.data == {"项目资金": "财政资金：87.9"}
    assert source.locate_value("项目资金") == Location(path, 2)
    assert source.locate_value("年度") == Location(path, 1)


def test_corpus_loads_without_findings() -> None:
    paths = sorted(CORPUS.glob("*.yaml"))
    assert len(paths) == 33
    for path in paths:
        source, findings = Loader().load(path)
        assert source is not None and findings == [], path


# ---------------------------------------------------------------- file-level errors


def test_bad_yaml_unclosed_quote() -> None:
    source, findings = load_case("bad-yaml")
    assert source is None
    assert brief(findings) == [
        (16, "", "error", "yaml-syntax", "YAML 语法错误：引号没有闭合；请补上另一半引号")
    ]


def test_duplicate_keys_name_both_lines() -> None:
    source, findings = load_case("duplicate-key")
    assert source is not None and source.data["项目名称"] == "社工"
    assert brief(findings) == [
        (
            6,
            "项目名称",
            "error",
            "duplicate-key",
            "键 “项目名称” 重复：第 3 行和第 6 行都写了它（YAML 只会保留后一个）；请删除或合并其中一行",
        ),
        (
            14,
            "项目资金.财政资金",
            "error",
            "duplicate-key",
            "键 “财政资金” 重复：第 12 行和第 14 行都写了它（YAML 只会保留后一个）；请删除或合并其中一行",
        ),
    ]


FULLWIDTH = "请把全角冒号“：”改为半角冒号“:”并在其后加空格"


def test_fullwidth_colon_in_a_mapping_is_a_syntax_error_at_its_line() -> None:
    source, findings = load_case("fullwidth-colon")
    assert source is None
    message = f"YAML 语法错误：这一行用了全角冒号“：”；{FULLWIDTH}（项目名称: 社工）"
    assert brief(findings) == [(3, "", "error", "yaml-syntax", message)]


def test_fullwidth_colon_only_line_makes_the_file_text() -> None:
    source, findings = load_case("fullwidth-colon", "只有一行.yaml")
    assert source is None
    message = f"文件最外层应为 “键: 值” 的映射，实际是一段文字：这一行用了全角冒号“：”；{FULLWIDTH}（项目名称: 社工）"
    assert brief(findings) == [(1, "", "error", "not-mapping", message)]


@pytest.mark.parametrize(
    ("text", "line", "fixed"),
    [
        ("项目名称：社工\n年度: 2026\n", 1, "项目名称: 社工"),  # PyYAML stops on line 2
        ("年度: 2026\n项目名称：社工\n", 2, "项目名称: 社工"),
        ("项目资金:\n  财政资金：1\n  其他资金: 0\n", 2, "财政资金: 1"),
        ("项目资金:\n  项目资金总额: 1\n  财政资金：1\n年度: 1\n", 3, "财政资金: 1"),
        ("项目资金：\n  财政资金: 1\n", 1, "项目资金:"),
        ("项目名称：社工\n主管部门：浦江\n", 1, "项目名称: 社工"),
    ],
)
def test_fullwidth_colon_is_found_at_the_right_line(
    tmp_path: Path, text: str, line: int, fixed: str
) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    assert [(f.line, f.message.endswith(f"{FULLWIDTH}（{fixed}）")) for f in findings] == [
        (line, True)
    ]


def test_fullwidth_colon_inside_a_value_is_fine(tmp_path: Path) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", "项目总目标: 目标：保障支出\n"))
    assert findings == [] and source is not None
    assert source.data == {"项目总目标": "目标：保障支出"}


SPACE_HINT = (
    "，它在编辑器里像一个空格，或者看不见；请删掉它，缩进和冒号后面只用半角空格"
    "（输入法切到英文状态再打空格）"
)


@pytest.mark.parametrize(
    ("text", "line", "named"),
    [
        # an input method's full-width spaces as indentation: PyYAML stops a line later
        (
            "项目资金:\n  项目资金总额: 1\n\u3000\u3000财政资金: 1\n  其他资金: 0\n",
            3,
            "U+3000（全角空格）",
        ),
        ("项目名称:\u00a0社工\n年度: 2026\n", 1, "U+00A0（不换行空格）"),
    ],
)
def test_a_space_yaml_does_not_take_is_named_at_its_line(
    tmp_path: Path, text: str, line: int, named: str
) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    message = f"YAML 语法错误：这一行有 YAML 不认作空格的字符 {named}{SPACE_HINT}"
    assert [(f.line, f.code, f.message) for f in findings] == [(line, "yaml-syntax", message)]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("项目名称: 人才\u00a0活动\n项目类别 经常性项目\n年度: 2026\n", 2),
        (
            "年度总体目标: |\n  \u3000\u3000紧扣新质生产力发展。\n项目类别 经常性项目\n年度: 2026\n",
            3,
        ),
    ],
)
def test_a_space_inside_a_text_is_not_blamed_for_a_syntax_error(
    tmp_path: Path, text: str, line: int
) -> None:
    """Full-width spaces indent Chinese prose: the real error (a missing colon) is named."""
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    assert [(f.line, f.code) for f in findings] == [(line, "yaml-syntax")]
    assert "不认作空格" not in findings[0].message


def test_git_conflict_markers_are_named(tmp_path: Path) -> None:
    text = (
        "项目名称: 社工\n<<<<<<< HEAD\n项目类别: 经常性项目\n=======\n"
        "项目类别: 一次性项目\n>>>>>>> 2027年\n年度: 2026\n"
    )
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    assert [(f.line, f.code) for f in findings] == [(2, "merge-conflict")]
    assert findings[0].message.startswith(
        "这里是 git 合并冲突留下的标记：两个版本对同一处的改动还没有合并。"
    )


def test_tab_indentation() -> None:
    source, findings = load_case("tab")
    assert source is None
    message = "YAML 语法错误：这一行有制表符（Tab）；YAML 缩进不能用制表符，请改用空格"
    assert brief(findings) == [(22, "", "error", "yaml-syntax", message)]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "a:1\nb: 2\n",
            2,
            "这里不能出现 “键: 值”；请检查这一行和上一行：是否缺少冒号、冒号后是否缺少空格、缩进是否对齐",
        ),
        (
            "a:\n    b: 1\n  c: 2\n",
            3,
            "缩进没有对齐；同一层的键必须左对齐，下一层比上一层多缩进两个空格",
        ),
        ("a: 1\n---\nb: 2\n", 2, "一个文件只能有一个 YAML 文档；请删除多余的 “---” 行"),
        ("a: 1\nb\n", 2, "这一行缺少半角冒号“:”；请写成 “键: 值”（冒号后加空格）"),
        (
            "a: 1\nb: [x\nc: 3\nd: 4\n",
            2,
            "方括号或花括号没有配对；如果这是文字，请用引号括起来",
        ),
        (
            "年度: 2026\n项目名称: !x!foo bar\n",
            2,
            "以“!”开头的是 YAML 类型标记，项目文件里不能使用；请删除它，直接写值（如果这是文字，请用引号把整个值括起来）",
        ),
        (
            "%YAML 2.0\n---\n项目名称: 社工\n",
            1,
            "以“%”开头的行是 YAML 指令，项目文件里用不到；请删除这一行（如果这是文字，请用引号把整个值括起来）",
        ),
        (
            "项目名称: 社工\n项目总目标: |x\n  保障\n",
            2,
            "“|” 或 “>” 后面不能接文字；多行文字请写成 “键: |”，文字从下一行起缩进两个空格",
        ),
        (
            "a: 1\n...\nb: 2\n",
            2,
            "“...” 和 “---” 是 YAML 文档的起止标记，项目文件里用不到；请删除这一行",
        ),
        (
            "项目名称: 社工\na: }\n",
            2,
            "值不能以 ]、}、, 这样的符号开头；如果这是文字，请用引号把整个值括起来",
        ),
        (
            '项目名称: 社工\n实施单位: "D:\\资料\\社工"\n',
            2,
            "双引号里的 \\ 是转义符；请改用单引号，或把 \\ 写成 \\\\",
        ),
        (
            "年度: 2026\n项目名称: - 社工\n",
            2,
            "“- ” 会被当作列表的开头，这里不能用；如果这是文字，请用引号把整个值括起来，否则请检查缩进",
        ),
    ],
)
def test_other_syntax_errors_are_explained(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    assert brief(findings) == [(line, "", "error", "yaml-syntax", f"YAML 语法错误：{message}")]


def test_a_syntax_error_without_its_own_explanation_is_still_chinese() -> None:
    error = yaml.MarkedYAMLError(
        problem="something new", problem_mark=yaml.Mark("", 0, 1, 0, "", 0)
    )
    finding = yaml_errors.syntax_finding(Path("p.yaml"), "a: 1\nb: 2\n", error)
    message = "YAML 语法错误：这一行无法按 “键: 值” 读取；请检查这一行的冒号、缩进和引号（如果这是文字，请用引号把整个值括起来）"
    assert (finding.line, finding.code, finding.message) == (2, "yaml-syntax", message)


@pytest.mark.parametrize(
    ("character", "name"),
    [
        ("\x85", "U+0085（下一行符）"),
        ("\u2028", "U+2028（行分隔符）"),
        ("\u2029", "U+2029（段分隔符）"),
    ],
)
def test_a_yaml_line_break_character_is_named_at_its_line(
    tmp_path: Path, character: str, name: str
) -> None:
    """YAML would read it as a line break and report a missing colon a line later."""
    text = f"年度: 2026\n项目名称: 社工{character}服务\n主管部门: 浦江镇人民政府\n"
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    message = (
        f"文件里有不能使用的字符 {name}；请删除它（它在编辑器里可能看不见：可把这一行删掉重新输入）"
    )
    assert brief(findings) == [(2, "", "error", "control-character", message)]


def test_a_goal_over_several_lines_without_a_bar_is_warned_about(tmp_path: Path) -> None:
    """Its line breaks are lost (YAML joins the lines); its value stays as YAML reads it."""
    text = "年度: 2026\n项目总目标: 保障社工工资。\n  保障公用经费。\n年度总体目标: |\n  保障。\n  支出。\n"
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is not None
    assert source.data["项目总目标"] == "保障社工工资。 保障公用经费。"
    message = (
        "这段文字分成了多行，但冒号后没有写 “|”，换行会被合并，打印出来是一整段；"
        "要保留换行，请把这一行写成 “项目总目标: |”，文字从下一行起缩进两个空格"
    )
    assert brief(findings) == [(2, "项目总目标", "warning", "joined-lines", message)]


@pytest.mark.parametrize(
    "text",
    [
        "项目总目标: 保障社工工资。\n",
        "项目总目标:\n  保障社工工资。\n",
        '项目总目标: "保障社工工资。"\n',
        "项目名称: 社工\n  服务\n",  # not a goal: a name has no line breaks to lose
    ],
)
def test_a_goal_on_one_line_or_with_a_bar_is_not_warned_about(tmp_path: Path, text: str) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is not None and findings == []


def test_empty_file() -> None:
    source, findings = load_case("empty")
    assert source is None
    message = "文件是空的；请填写项目内容，或删除这个文件"
    assert brief(findings) == [(1, "", "error", "empty-file", message)]


@pytest.mark.parametrize(
    ("text", "line"), [("---\n", 1), ("# 说明\r\n--- # 开始\r\n", 2), ("---\n...\n", 1)]
)
def test_a_file_of_a_document_marker_only_is_empty(tmp_path: Path, text: str, line: int) -> None:
    """Not “一段文字”: it holds nothing, and an empty _defaults.yaml so written sets nothing."""
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    message = "文件里除了 “---” 没有任何内容；请填写项目内容，或删除这个文件"
    assert brief(findings) == [(line, "", "error", "empty-file", message)]
    write(tmp_path / "_defaults.yaml", text)
    assert Loader().load(write(tmp_path / "q.yaml", "项目名称: 社工\n"))[1] == []


@pytest.mark.parametrize(
    ("text", "line", "value"),
    [("~\n", 1, "~"), ("# 说明\nnull # 空\n", 2, "null"), ("--- NULL\n", 1, "NULL")],
)
def test_a_file_of_a_null_alone_is_empty(tmp_path: Path, text: str, line: int, value: str) -> None:
    """Not “一段文字”: YAML reads it as nothing, and a _defaults.yaml so written sets nothing."""
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    assert source is None
    message = f"文件里只有一个空值“{value}”，没有任何内容；请填写项目内容，或删除这个文件"
    assert brief(findings) == [(line, "", "error", "empty-file", message)]
    write(tmp_path / "_defaults.yaml", text)
    assert Loader().load(write(tmp_path / "q.yaml", "项目名称: 社工\n"))[1] == []


@pytest.mark.parametrize(
    ("text", "value"), [("123\n", "123"), ("  -3.5\n", "-3.5"), ("2026\n", "2026")]
)
def test_a_file_of_a_number_alone_is_said_to_be_a_number(
    tmp_path: Path, text: str, value: str
) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", text))
    message = (
        f"文件最外层应为 “键: 值” 的映射，实际是一个数字“{value}”；"
        "请按 “项目名称: 社工” 的形式逐行填写（冒号后加空格）"
    )
    assert source is None and brief(findings) == [(1, "", "error", "not-mapping", message)]
    quoted = parse_file(write(tmp_path / "q.yaml", '"123"\n'))[1][0].message
    assert quoted.endswith("实际是一段文字；请按 “项目名称: 社工” 的形式逐行填写（冒号后加空格）")


def test_not_mapping_list() -> None:
    source, findings = load_case("not-mapping")
    assert source is None
    message = "文件最外层应为 “键: 值” 的映射，实际是一个列表；请去掉行首的“- ”"
    assert brief(findings) == [(1, "", "error", "not-mapping", message)]


def test_not_mapping_plain_text(tmp_path: Path) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", "# 说明\n社工项目\n"))
    assert source is None
    message = "文件最外层应为 “键: 值” 的映射，实际是一段文字；请按 “项目名称: 社工” 的形式逐行填写（冒号后加空格）"
    assert brief(findings) == [(2, "", "error", "not-mapping", message)]


def test_gbk_file() -> None:
    source, findings = load_case("gbk")
    assert source is None
    message = "文件不是 UTF-8 编码（可能是 GBK）；请在编辑器里用 UTF-8 编码另存这个文件"
    assert brief(findings) == [(1, "", "error", "encoding", message)]


def test_encoding_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes("年度: 2026\n项目名称: 社工\n".encode() + "主管部门: 浦江镇\n".encode("gbk"))
    _, findings = parse_file(path)
    assert [(f.line, f.code) for f in findings] == [(3, "encoding")]


def test_bom_is_a_warning_and_the_file_is_read() -> None:
    source, findings = load_case("bom")
    assert source is not None and source.data["表样"] == "绩效目标表"
    message = "文件开头有 BOM 标记（UTF-8 with BOM）；已照常读取，建议另存为不带 BOM 的 UTF-8"
    assert brief(findings) == [(1, "", "warning", "bom", message)]


def test_control_character(tmp_path: Path) -> None:
    source, findings = parse_file(write(tmp_path / "p.yaml", "年度: 2026\n项目名称: 社\x07工\n"))
    assert source is None
    message = "文件里有不能使用的字符 U+0007（响铃符）；请删除它（它在编辑器里可能看不见：可把这一行删掉重新输入）"
    assert brief(findings) == [(2, "", "error", "control-character", message)]


# ---------------------------------------------------------------- _defaults.yaml


def test_defaults_merge_nearer_over_farther_project_over_both() -> None:
    folder = CASES / "defaults"
    project = folder / "平安办" / "安保经费.yaml"
    source, findings = Loader(root=folder).load(project)
    assert findings == [] and source is not None
    assert source.path == project
    data = source.data
    assert data["年度"] == 2026
    assert data["主管部门"] == "闵行区浦江镇人民政府"  # the project overrides the top defaults
    assert data["实施单位"] == "浦江镇平安建设办公室"  # from the nearer defaults
    assert data["格式"] == {"日期格式": "YYYY-M-D", "金额小数位": 0, "千分位": True, "零值": 0}


def test_defaults_origins_point_into_the_defaults_files() -> None:
    folder = CASES / "defaults"
    top, near = folder / "_defaults.yaml", folder / "平安办" / "_defaults.yaml"
    project = folder / "平安办" / "安保经费.yaml"
    source, _ = Loader(root=folder).load(project)
    assert source is not None
    assert source.locate("年度") == Location(top, 2)
    assert source.locate("计划完成日期") == Location(top, 5)
    assert source.locate("实施单位") == Location(near, 1)
    assert source.locate("主管部门") == Location(project, 3)
    assert source.locate("格式") == Location(project, 4)
    assert source.locate("格式", "日期格式") == Location(top, 7)
    assert source.locate("格式", "千分位") == Location(near, 3)
    assert source.locate("格式", "零值") == Location(project, 5)
    assert source.raw[("格式", "千分位")] == "true"


def test_defaults_replace_top_level_keys_whole(tmp_path: Path) -> None:
    write(tmp_path / "_defaults.yaml", "项目资金:\n  财政资金: 1\n  其他资金: 2\n")
    project = write(tmp_path / "p.yaml", "项目资金:\n  财政资金: 5\n")
    source, _ = Loader(root=tmp_path).load(project)
    assert source is not None
    assert source.data["项目资金"] == {"财政资金": 5}
    assert ("项目资金", "其他资金") not in source.origins
    assert source.locate("项目资金", "财政资金") == Location(project, 2)


def test_files_named_so_that_gen_would_skip_them_are_errors(tmp_path: Path) -> None:
    """Notepad's 夜间巡逻.yaml.txt (Explorer hides the .txt) and a _defaults.yml."""
    write(tmp_path / "a" / "夜间巡逻.yaml.txt", "项目名称: 夜间巡逻\n")
    write(tmp_path / "a" / "社工.yaml", "项目名称: 社工\n")
    write(tmp_path / "_defaults.yml", "年度: 2026\n")
    write(tmp_path / "说明.txt", "不是项目\n")
    write(tmp_path / "_说明.yaml.txt", "不是项目\n")
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [tmp_path / "a" / "社工.yaml"]
    shows = "在资源管理器的“查看”里勾选“文件扩展名”就能看到"
    assert [(f.file, f.level, f.code, f.message) for f in problems] == [
        (
            tmp_path / "_defaults.yml",
            "error",
            "misnamed",
            f"共用设置的文件名必须是 _defaults.yaml，这个文件不会被读取；请把它改名为 _defaults.yaml（{shows}文件名的结尾）",
        ),
        (
            tmp_path / "a" / "夜间巡逻.yaml.txt",
            "error",
            "misnamed",
            "文件名以 .txt 结尾，gen 不把它当作项目文件（记事本保存时会自动加上 .txt，资源管理器又默认不显示它）；"
            f"请把它改名为 夜间巡逻.yaml（{shows}文件名的结尾）",
        ),
    ]


def test_a_txt_copy_beside_its_project_is_told_to_be_deleted_not_renamed(tmp_path: Path) -> None:
    write(tmp_path / "人才活动.yaml", "项目名称: 人才活动\n")
    write(tmp_path / "人才活动.yaml.txt", "项目名称: 人才活动\n")
    problems: list[Finding] = []
    assert find_project_files([tmp_path], problems) == [tmp_path / "人才活动.yaml"]
    assert [f.message.split("；")[1] for f in problems] == [
        "旁边已有 人才活动.yaml，这个文件请核对后删除（在资源管理器的“查看”里勾选“文件扩展名”就能看到文件名的结尾）"
    ]


def test_a_txt_file_named_on_the_command_line_is_told_why(tmp_path: Path) -> None:
    named = write(tmp_path / "夜间巡逻.yaml.txt", "项目名称: 夜间巡逻\n")
    with pytest.raises(UsageError, match="文件名以 .txt 结尾.*请把它改名为 夜间巡逻.yaml"):
        find_project_files([named])


def test_defaults_stop_at_root(tmp_path: Path) -> None:
    write(tmp_path / "_defaults.yaml", "年度: 2025\n")
    write(tmp_path / "a" / "_defaults.yaml", "主管部门: 镇政府\n")
    project = write(tmp_path / "a" / "b" / "p.yaml", "项目名称: 社工\n")
    source, _ = Loader(root=tmp_path / "a").load(project)
    assert source is not None
    assert source.data == {"主管部门": "镇政府", "项目名称": "社工"}


def test_defaults_above_the_cwd_apply_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from inside a unit's folder, a project still gets every _defaults.yaml above it."""
    write(tmp_path / "_defaults.yaml", "年度: 2026\n格式:\n  千分位: true\n")
    write(tmp_path / "projects" / "_defaults.yaml", "格式:\n  金额单位: 元\n")
    write(tmp_path / "projects" / "司法所" / "p.yaml", "项目名称: 社工\n")
    monkeypatch.chdir(tmp_path / "projects" / "司法所")
    loader = Loader()
    assert loader.defaults_files(Path("p.yaml")) == [
        Path("../../_defaults.yaml"),
        Path("../_defaults.yaml"),
    ]
    source, _ = loader.load(Path("p.yaml"))
    assert source is not None
    assert source.data["年度"] == 2026
    assert source.data["格式"] == {"千分位": True, "金额单位": "元"}
    assert source.locate("格式", "金额单位") == Location(Path("../_defaults.yaml"), 2)
    assert source.locate("项目名称") == Location(Path("p.yaml"), 1)


def test_defaults_in_the_cwd_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "_defaults.yaml", "年度: 2026\n")
    write(tmp_path / "p.yaml", "项目名称: 社工\n")
    monkeypatch.chdir(tmp_path)
    source, _ = Loader().load(Path("p.yaml"))
    assert source is not None
    assert source.locate("年度") == Location(Path("_defaults.yaml"), 1)


def test_broken_defaults_fail_every_project_below(tmp_path: Path) -> None:
    defaults = write(tmp_path / "_defaults.yaml", "年度: 2026\n年度: 2027\n")
    loader = Loader(root=tmp_path)
    for name in ("a.yaml", "b/c.yaml"):
        source, findings = loader.load(write(tmp_path / name, "项目名称: 社工\n"))
        assert source is None
        assert [(f.file, f.line, f.code) for f in findings] == [(defaults, 2, "duplicate-key")]


def test_unparsable_defaults_and_project_both_reported(tmp_path: Path) -> None:
    defaults = write(tmp_path / "_defaults.yaml", "年度：2026\n主管部门: 镇\n")
    project = write(tmp_path / "p.yaml", "项目名称: 社工\n项目名称: 社工\n")
    source, findings = Loader(root=tmp_path).load(project)
    assert source is None
    assert [(f.file, f.line, f.code) for f in findings] == [
        (defaults, 1, "yaml-syntax"),
        (project, 2, "duplicate-key"),
    ]


def test_empty_defaults_set_nothing(tmp_path: Path) -> None:
    write(tmp_path / "_defaults.yaml", "# 暂无共用设置\n")
    source, findings = Loader(root=tmp_path).load(write(tmp_path / "p.yaml", "年度: 2026\n"))
    assert findings == [] and source is not None
    assert source.data == {"年度": 2026}


def test_defaults_are_parsed_once_per_loader(tmp_path: Path) -> None:
    defaults = write(tmp_path / "_defaults.yaml", "年度: 2026\n")
    loader = Loader(root=tmp_path)
    first, _ = loader.load(write(tmp_path / "a.yaml", "项目名称: 甲\n"))
    defaults.write_text("年度: 2030\n", encoding="utf-8")
    second, _ = loader.load(write(tmp_path / "b.yaml", "项目名称: 乙\n"))
    fresh, _ = Loader(root=tmp_path).load(tmp_path / "b.yaml")
    assert first is not None and second is not None and fresh is not None
    assert (first.data["年度"], second.data["年度"], fresh.data["年度"]) == (2026, 2026, 2030)


def test_libyaml_and_pyyaml_read_every_file_alike(monkeypatch: pytest.MonkeyPatch) -> None:

    assert issubclass(load._FastLoader, yaml.CSafeLoader)  # libyaml is what a build uses here
    files = sorted(CORPUS.glob("*.yaml")) + sorted(SAMPLES.rglob("*.yaml"))
    fast = [load.parse_file(path) for path in files]
    monkeypatch.setattr(load, "_FastLoader", load._LineLoader)
    slow = [load.parse_file(path) for path in files]
    assert fast == slow


def test_other_rows_merge_entry_by_entry_like_the_format(tmp_path: Path) -> None:
    top = write(
        tmp_path / "_defaults.yaml", "其他栏目:\n  主管部门代码: '001'\n  联系电话: 021-1\n"
    )
    project = write(tmp_path / "a" / "p.yaml", "项目名称: x\n其他栏目:\n  联系电话: 021-2\n")
    source, _ = Loader(root=tmp_path).load(project)
    assert source is not None
    assert source.data["其他栏目"] == {"主管部门代码": "001", "联系电话": "021-2"}
    assert source.locate("其他栏目", "主管部门代码") == Location(top, 2)
    assert source.locate("其他栏目", "联系电话") == Location(project, 3)
    assert source.locate("其他栏目") == Location(project, 2)

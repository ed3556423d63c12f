"""A district's own layout: rows below the indicators, values split into columns, money blocks stacked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROJECT
from docx_grid import docx_grid
from handmade import (
    BELOW,
    TICKED,
    TITLE,
    document_xml,
    imported,
    leaf,
    make_docx,
    target_form_with,
    tc,
    tr,
)

from gen.cli import main
from gen.importing.importer import import_forms

LEAVES = [
    leaf(tc("产出指标"), "数量指标", "宣传品数", "2000份"),
    leaf(tc("效益指标"), "社会效益指标", "法治意识", "提升"),
    leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "≥90%"),
]
INDICATORS = {
    "产出指标": {"数量指标": {"宣传品数": "2000份"}},
    "效益指标": {"社会效益指标": {"法治意识": "提升"}},
    "满意度指标": {"服务对象满意度指标": {"群众满意度": "≥90%"}},
}
# Rows 14 and 15 of the form: an approval row and a signature row below the indicators
APPROVAL = tr(tc("主管部门审核意见"), tc("同意", span=2), tc("财政部门审核意见"), tc("同意"))
SIGNATURE = tr(tc("填报人"), tc("王五", span=2), tc("联系电话"), tc("64000000"))


def form(tmp_path: Path, indicators: list[str]) -> Path:
    """The hand-made 普法 form at tmp_path/普法.docx with the given rows below its header."""
    xml = document_xml(*TITLE, target_form_with(TICKED, indicators=indicators))
    return make_docx(tmp_path / "普法.docx", xml)


def test_rows_below_the_indicators_are_no_indicators_and_are_named(tmp_path, runner, monkeypatch):
    form(tmp_path, [*LEAVES, APPROVAL, SIGNATURE])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "普法.docx", "-o", "out"])
    assert result.exit_code == 0, result.output
    data = imported(tmp_path / "out" / "普法.yaml")
    assert data["绩效指标"] == INDICATORS
    # the signature row's values are the project's; the approvals are no project's
    assert data["其他栏目"] == {"填报人": "王五", "联系电话": "64000000"}
    assert result.output.splitlines()[1:] == [
        "普法.docx: 警告: 指标下面的 第 14 行（主管部门审核意见、同意、财政部门审核意见、同意） "
        "不是指标，没有导入（项目文件里没有这些栏目）；"
        "其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、三级指标和指标值各占一格，"
        "再重新导入",
        "已导入 1 个表格，无法导入的文件 0 个，未覆盖 0 个，导入警告 1 条；检查：错误 0 条，警告 0 条",
    ]


@pytest.mark.parametrize(
    ("label", "other", "fields", "unread"),
    [
        ("填报人：", "联系电话：", {"填报人": "王五", "联系电话": "64000000"}, ""),
        ("单位负责人（签字）", "填报日期", {"填报日期": "64000000"}, "单位负责人（签字）、王五"),
        ("制表人", "联系方式", {"制表人": "王五", "联系方式": "64000000"}, ""),
        ("单位（盖章）", "分管领导", {"分管领导": "64000000"}, "单位（盖章）、王五"),
    ],
)
def test_a_signature_row_where_a_level1_indicator_stands_ends_the_indicators(
    tmp_path, label, other, fields, unread
):
    # the 绩效指标 label is merged down over it, and its cells line up with the indicators'
    signature = tr(BELOW, tc(label), tc("王五"), tc(other), tc("64000000"))
    source = form(tmp_path, [*LEAVES, signature])
    result = import_forms([source], tmp_path / "out")
    data = imported(tmp_path / "out" / "普法.yaml")
    assert (data["绩效指标"], data["其他栏目"]) == (INDICATORS, fields)
    assert [note.message for note in result.notes] == [
        f"指标下面的 第 14 行（{unread}） 不是指标，没有导入（项目文件里"
        "没有这些栏目）；其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、三级指标和"
        "指标值各占一格，再重新导入"
    ][: 1 if unread else 0]


def test_the_template_keeps_the_rows_below_the_indicators_after_the_loop(
    tmp_path, runner, monkeypatch, write
):
    form(tmp_path, [*LEAVES, APPROVAL, SIGNATURE])
    write("p/社工.yaml", GOOD_PROJECT)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert made.exit_code == 0, made.output
    assert made.stdout == (
        "普法.docx: 警告: 表格里的 填报人、联系电话 是项目文件里没有的栏目，模板在这些栏里印各项目 "
        "其他栏目 下同名的一项；请在项目文件（或 _defaults.yaml）的 其他栏目 下写上，"
        "如“其他栏目: {填报人: 王五}”，没有写的印空白（gen import 从表格读入它们）\n"
        "普法.docx: 警告: 指标下面的 第 14 行（主管部门审核意见、同意、财政部门审核意见、同意） "
        "不是指标，照原表留在模板里，每一张表都印出"
        "其中的文字；其中各项目不同的内容（如审核意见），请在 Word 中把模板里的这些格子"
        "清空，或在生成的表格里改写\n"
    )
    built = runner.invoke(main, ["build", "p", "--templates", "t", "-o", "out"])
    assert built.exit_code == 0, built.output
    rows = [
        [cell.text for cell in row]
        for row in docx_grid((tmp_path / "out" / "社工.docx").read_bytes())
    ]
    assert rows[9:] == [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值"],
        ["", "产出指标", "数量指标", "社工数量", "118人"],
        ["", "", "时效指标", "资金支付及时性", "每月"],
        ["", "效益指标", "社会效益指标", "对社工社保、福利等方面的保障", "提升"],
        ["", "满意度指标", "服务对象满意度指标", "社工满意度", "≥90%"],
        ["主管部门审核意见", "同意", "财政部门审核意见", "同意"],
        ["填报人", "", "联系电话", ""],  # 社工.yaml gives no 其他栏目: blank, and warned of
    ]


def split_form(tmp_path: Path, headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    """The 普法 form whose value column is `headings` (指标性质 | 指标值 | 度量单位…), with indicator
    rows of 一级, 二级, 三级 and one cell per heading."""
    leaves = [tr(BELOW, *(tc(text) for text in row)) for row in rows]
    xml = document_xml(*TITLE, target_form_with(TICKED, indicators=leaves))
    value = '<w:tc><w:tcPr></w:tcPr><w:p><w:r><w:t xml:space="preserve">年度指标值</w:t></w:r></w:p></w:tc>'
    assert xml.count(value) == 1
    return make_docx(tmp_path / "普法.docx", xml.replace(value, "".join(tc(h) for h in headings)))


SPLIT = ("指标性质", "指标值", "度量单位")
SPLIT_ROWS = [
    ("产出指标", "数量指标", "宣传品数", "=", "2000", "份"),
    ("效益指标", "社会效益指标", "法治意识", "定性", "提升", ""),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%"),
]


def test_a_value_split_into_columns_is_imported_as_written(tmp_path, runner, monkeypatch):
    split_form(tmp_path, SPLIT, SPLIT_ROWS)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "普法.docx", "-o", "out"])
    assert result.exit_code == 0, result.output
    assert imported(tmp_path / "out" / "普法.yaml")["绩效指标"] == {
        "产出指标": {"数量指标": {"宣传品数": "=2000份"}},
        "效益指标": {"社会效益指标": {"法治意识": "提升"}},
        "满意度指标": {"服务对象满意度指标": {"群众满意度": "≥90%"}},
    }
    assert result.output.splitlines()[1] == (
        "普法.docx: 警告: 表格里的 第 12 行“定性” 不在任何认得的标签旁边，没有导入；"
        "请核对导入的 YAML，需要时手工补上"
    )


def split_values(tmp_path: Path, parts: list[tuple[str, str, str]]) -> tuple[dict, list[str]]:
    """The values and the import's messages of the 普法 form split into 指标性质 | 指标值 | 度量单位,
    its three rows holding `parts`."""
    rows = [(*row[:3], *cells) for row, cells in zip(SPLIT_ROWS, parts, strict=True)]
    result = import_forms([split_form(tmp_path, SPLIT, rows)], tmp_path / "out")
    assert result.problems == []
    tree = imported(tmp_path / "out" / "普法.yaml")["绩效指标"]
    values = {
        name: value
        for groups in tree.values()
        for leaves in groups.values()
        for name, value in leaves.items()
    }
    return values, [note.message for note in result.notes]


def test_a_money_unit_in_the_indicators_unit_column_is_no_amount_unit(tmp_path):
    """元 and 美元 under 计量单位 are an indicator's unit: the form's amounts stay in 万元."""
    rows = [
        ("产出指标", "成本指标", "人均补助", "≤", "500", "元"),
        ("效益指标", "经济效益指标", "带动外资", "≥", "10", "万美元"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥", "90", "%"),
    ]
    source = split_form(tmp_path, ("指标性质", "指标值", "计量单位"), rows)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "普法.yaml")
    assert "金额单位" not in data.get("格式", {})
    assert data["绩效指标"] == {
        "产出指标": {"成本指标": {"人均补助": "≤500元"}},
        "效益指标": {"经济效益指标": {"带动外资": "≥10万美元"}},
        "满意度指标": {"服务对象满意度指标": {"群众满意度": "≥90%"}},
    }


@pytest.mark.parametrize("header", ["计量单位（元）", "度量单位(元)"])
def test_a_unit_column_headed_with_a_money_unit_refuses_no_project(
    tmp_path, runner, monkeypatch, write, header
):
    """计量单位（元） heads the indicators' units: the build refused every project in 万元 (the
    form's unit), saying the template printed its amounts' unit as 元."""
    rows = [("产出指标", "成本指标", "人均补助", "≤", "500", "元"), *SPLIT_ROWS[1:]]
    split_form(tmp_path, ("指标性质", "指标值", header), rows)
    write("p/社工.yaml", GOOD_PROJECT)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "普法.docx", "-o", "t"]).exit_code == 0
    built = runner.invoke(main, ["build", "p", "--templates", "t", "-o", "out"])
    assert (built.exit_code, built.stdout) == (0, "")


@pytest.mark.parametrize("blank", ["/", "／", "—", "——", "-", "－", "无", " / "])
def test_a_placeholder_in_an_unused_sign_or_unit_cell_is_no_part_of_the_value(tmp_path, blank):
    parts = [(blank, "2000", "份"), ("定性", "提升", blank), (blank, "提升", blank)]
    values, notes = split_values(tmp_path, parts)
    assert values == {"宣传品数": "2000份", "法治意识": "提升", "群众满意度": "提升"}
    assert notes == [
        "表格里的 第 12 行“定性” 不在任何认得的标签旁边，没有导入；请核对导入的 YAML，需要时手工补上"
    ]


def test_a_unit_the_value_writes_itself_is_not_added_again(tmp_path):
    parts = [("=", "2000份", "份"), ("", "提升", ""), ("≥", "90%", "％")]
    values, notes = split_values(tmp_path, parts)
    assert values == {"宣传品数": "=2000份", "法治意识": "提升", "群众满意度": "≥90%"}
    assert notes == []


def test_a_unit_only_goes_after_a_bare_number_and_another_is_named_as_not_read(tmp_path):
    parts = [("", "2000", "份"), ("", "提升", "次"), ("≥", "90%", "人")]
    values, notes = split_values(tmp_path, parts)
    assert values == {"宣传品数": "2000份", "法治意识": "提升", "群众满意度": "≥90%"}
    assert notes == [
        "表格里的 第 12 行“次”、第 13 行“人” 不在任何认得的标签旁边，没有导入；"
        "请核对导入的 YAML，需要时手工补上"
    ]


@pytest.mark.parametrize(
    ("headings", "source", "cells"),
    [
        (
            SPLIT,
            [("=", "2000", "份"), ("", "提升", ""), ("≥", "90", "%")],
            [("", "118", "人"), ("", "每月", ""), ("", "提升", ""), ("≥", "90", "%")],
        ),
        (
            ("指标方向", "度量单位", "指标值"),
            [("=", "份", "2000"), ("", "", "提升"), ("≥", "%", "90")],
            [("", "人", "118"), ("", "", "每月"), ("", "", "提升"), ("≥", "%", "90")],
        ),
        (
            ("指标值", "单位"),
            [("2000", "份"), ("提升", ""), ("≥90", "%")],
            [("118", "人"), ("每月", ""), ("提升", ""), ("≥90", "%")],
        ),
    ],
)
def test_the_template_prints_each_value_split_into_the_forms_columns(
    tmp_path, runner, monkeypatch, write, headings, source, cells
):
    rows = [(*row[:3], *parts) for row, parts in zip(SPLIT_ROWS, source, strict=True)]
    split_form(tmp_path, headings, rows)
    write("p/社工.yaml", GOOD_PROJECT)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert (made.exit_code, made.stdout) == (0, "")
    assert runner.invoke(main, ["build", "p", "--templates", "t", "-o", "out"]).exit_code == 0
    grid = docx_grid((tmp_path / "out" / "社工.docx").read_bytes())
    assert [[c.text for c in row] for row in grid[9:]] == [
        ["绩效指标", "一级指标", "二级指标", "三级指标", *headings],
        ["", "产出指标", "数量指标", "社工数量", *cells[0]],
        ["", "", "时效指标", "资金支付及时性", *cells[1]],
        ["", "效益指标", "社会效益指标", "对社工社保、福利等方面的保障", *cells[2]],
        ["", "满意度指标", "服务对象满意度指标", "社工满意度", *cells[3]],
    ]


def test_the_template_says_what_the_forms_own_words_in_the_comparison_column_become(
    tmp_path, runner, monkeypatch
):
    split_form(tmp_path, SPLIT, SPLIT_ROWS)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert made.stdout == (
        "普法.docx: 警告: 指标表的“指标性质”一栏印各指标值的比较符号（≥、= 等），"
        "原表第 12 行“定性”不会印出；需要时请在生成的表格里填写\n"
    )


def test_a_weight_column_is_named_as_blank_in_the_template_and_not_as_printed(
    tmp_path, runner, monkeypatch, write
):
    rows = [
        (*row[:3], value, weight)
        for row, value, weight in zip(
            SPLIT_ROWS, ("2000份", "提升", "≥90%"), ("40", "30", "30"), strict=True
        )
    ]
    split_form(tmp_path, ("年度指标值", "分值"), rows)
    write("p/社工.yaml", GOOD_PROJECT)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert made.stdout == (
        "普法.docx: 警告: 指标表的“分值”一栏不是项目文件里的内容，模板的指标行里这一栏空着，"
        "原表第 11 行“40”、第 12 行“30”、第 13 行“30”不会印出；需要时请在生成的表格里填写\n"
    )
    assert runner.invoke(main, ["build", "p", "--templates", "t", "-o", "out"]).exit_code == 0
    grid = docx_grid((tmp_path / "out" / "社工.docx").read_bytes())
    assert [[c.text for c in row][-2:] for row in grid[9:]] == [
        ["年度指标值", "分值"],
        ["118人", ""],
        ["每月", ""],
        ["提升", ""],
        ["≥90%", ""],
    ]
    imported_values = import_forms([tmp_path / "普法.docx"], tmp_path / "in")
    assert imported_values.problems == []
    assert imported(tmp_path / "in" / "普法.yaml")["绩效指标"] == INDICATORS


# 项目资金 and, below it, 年度资金: both 其他资金 labels in one column
STACKED_MONEY = [
    tr(tc("项目资金（万元）", vmerge="restart"), tc("项目资金总额"), tc("150.00", span=3)),
    tr(BELOW, tc("其中：财政资金"), tc("100.00", span=3)),
    tr(BELOW, tc("其他资金"), tc("50.00", span=3)),
    tr(tc("年度资金（万元）", vmerge="restart"), tc("年度资金申请总额"), tc("130.00", span=3)),
    tr(BELOW, tc("其中：当年财政拨款"), tc("80.00", span=3)),
    tr(BELOW, tc("上年结转资金"), tc("20.00", span=3)),
    tr(BELOW, tc("其他资金"), tc("30.00", span=3)),
]


def stacked_form(tmp_path: Path) -> Path:
    xml = document_xml(*TITLE, target_form_with(TICKED, indicators=LEAVES, money=STACKED_MONEY))
    return make_docx(tmp_path / "普法.docx", xml)


def test_money_blocks_one_below_the_other_are_read_by_their_rows(tmp_path):
    result = import_forms([stacked_form(tmp_path)], tmp_path / "out")
    assert (result.problems, result.notes) == ([], [])
    data = imported(tmp_path / "out" / "普法.yaml")
    assert (data["项目资金"], data["年度资金"]) == (
        {"项目资金总额": 150, "财政资金": 100, "其他资金": 50},
        {"年度资金申请总额": 130, "当年财政拨款": 80, "上年结转资金": 20, "其他资金": 30},
    )


def test_the_template_of_stacked_money_blocks_prints_each_projects_amounts(
    tmp_path, runner, monkeypatch, write
):
    stacked_form(tmp_path)
    money = GOOD_PROJECT[GOOD_PROJECT.index("项目资金:") : GOOD_PROJECT.index("项目总目标:")]
    write(
        "p/社工.yaml",
        GOOD_PROJECT.replace(
            money,
            "项目资金:\n  财政资金: 7\n  其他资金: 3\n"
            "年度资金:\n  当年财政拨款: 4\n  上年结转资金: 0\n  其他资金: 6\n",
        ),
    )
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert (made.exit_code, made.stdout) == (0, "")
    built = runner.invoke(main, ["build", "p", "--templates", "t", "-o", "out"])
    assert built.exit_code == 0, built.output
    grid = docx_grid((tmp_path / "out" / "社工.docx").read_bytes())
    assert [[cell.text for cell in row] for row in grid[3:10]] == [
        ["项目资金（万元）", "项目资金总额", "10.00"],
        ["", "其中：财政资金", "7.00"],
        ["", "其他资金", "3.00"],
        ["年度资金（万元）", "年度资金申请总额", "10.00"],
        ["", "其中：当年财政拨款", "4.00"],
        ["", "上年结转资金", ""],
        ["", "其他资金", "6.00"],
    ]


def test_a_group_named_without_an_indicator_is_said_not_to_print(tmp_path, runner, monkeypatch):
    bare = tr(BELOW, tc(""), tc("质量指标"), tc(""), tc(""))
    form(tmp_path, [LEAVES[0], bare, *LEAVES[1:]])
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert made.stdout == (
        "普法.docx: 警告: 指标行里的 第 12 行“质量指标” 不是完整的指标（没有三级指标或指标值），"
        "不会印出：模板的指标行印各项目自己的指标\n"
    )

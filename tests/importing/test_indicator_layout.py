"""The indicator table of a district's own form: rows below it, and values split into columns."""

from __future__ import annotations

from pathlib import Path

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
    assert imported(tmp_path / "out" / "普法.yaml")["绩效指标"] == INDICATORS
    assert result.output.splitlines()[1:] == [
        "普法.docx: 警告: 指标下面的 第 14 行（主管部门审核意见、同意、财政部门审核意见、同意）、"
        "第 15 行（填报人、王五、联系电话、64000000） 不是指标，没有导入（项目文件里没有这些栏目）；"
        "其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、三级指标和指标值各占一格，"
        "再重新导入",
        "已导入 1 个表格，无法导入的文件 0 个，未覆盖 0 个；检查：错误 0 条，警告 0 条",
    ]


def test_a_signature_row_where_a_level1_indicator_stands_ends_the_indicators(tmp_path):
    # the 绩效指标 label is merged down over it, and its cells line up with the indicators'
    signature = tr(BELOW, tc("填报人："), tc("王五"), tc("联系电话："), tc("64000000"))
    source = form(tmp_path, [*LEAVES, signature])
    result = import_forms([source], tmp_path / "out")
    assert imported(tmp_path / "out" / "普法.yaml")["绩效指标"] == INDICATORS
    assert [note.message for note in result.notes] == [
        "指标下面的 第 14 行（填报人：、王五、联系电话：、64000000） 不是指标，没有导入（项目文件里"
        "没有这些栏目）；其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、三级指标和"
        "指标值各占一格，再重新导入"
    ]


def test_the_template_keeps_the_rows_below_the_indicators_after_the_loop(
    tmp_path, runner, monkeypatch, write
):
    form(tmp_path, [*LEAVES, APPROVAL, SIGNATURE])
    write("p/社工.yaml", GOOD_PROJECT)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "普法.docx", "-o", "t"])
    assert made.exit_code == 0, made.output
    assert made.stdout == (
        "普法.docx: 警告: 指标下面的 第 14 行（主管部门审核意见、同意、财政部门审核意见、同意）、"
        "第 15 行（填报人、王五、联系电话、64000000） 不是指标，照原表留在模板里，每一张表都印出"
        "其中的文字；其中各项目不同的内容（如审核意见、填报人），请在 Word 中把模板里的这些格子"
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
        ["填报人", "王五", "联系电话", "64000000"],
    ]

"""Where a goal's cells end: a goal takes the rows below its header down to the next label in
its columns or the next row of the form's own, never the district's rows (项目负责人 | 张三) or
the named rows of the other goal; named parts may stand beside a header merged over them."""

from __future__ import annotations

from pathlib import Path

from docx_grid import docx_cell_paragraphs, docx_rows, docx_tables
from handmade import (
    BELOW,
    TICKED,
    TITLE,
    document_xml,
    imported,
    make_docx,
    money_rows,
    para,
    run,
    tbl,
    tc,
    tr,
)

from gen.build import BuildOptions, build
from gen.importing.importer import import_forms
from gen.importing.template import make_template

HEAD = [
    tr(tc("项目名称"), tc("普法"), tc("项目类别"), tc(TICKED, span=2, raw=True)),
    tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位"), tc("浦江镇司法所", span=2)),
    tr(tc("计划开始日期"), tc("2026-01-01"), tc("计划完成日期"), tc("2026-12-31", span=2)),
]
INDICATORS = [
    tr(tc("一级指标"), tc("二级指标"), tc("三级指标"), tc("年度指标值")),
    tr(tc("产出指标"), tc("数量指标"), tc("宣传品数"), tc("2000份")),
    tr(tc("效益指标"), tc("社会效益指标"), tc("法治意识"), tc("提升")),
    tr(tc("满意度指标"), tc("服务对象满意度指标"), tc("群众满意度"), tc("≥90%")),
]
GOALS = [
    tr(tc("项目绩效目标", vmerge="restart"), tc("项目总目标", span=2), tc("年度总体目标", span=2)),
    tr(BELOW, tc("开展普法宣传。", span=2), tc("全年开展普法宣传。", span=2)),
]
OWN = [
    tr(tc("项目负责人"), tc("张三"), tc("联系电话"), tc("021-64110000")),
    tr(tc("项目类型"), tc(run("新增□  延续☑"), span=3, raw=True)),
]


def built_rows(tmp_path: Path) -> list[list[str]]:
    """The cell texts, row by row, of every table of the imported project built with the
    template made (the tables one after another)."""
    out = tmp_path / "out"
    result = build(
        [tmp_path / "projects"], BuildOptions(out_dir=out, templates=tmp_path / "templates")
    )
    assert result.exit_code == 0, [str(f) for f in result.findings]
    data = (out / "普法.docx").read_bytes()
    return [
        ["\n".join(docx_cell_paragraphs(cell)) for cell in row.iter(f"{{{row.nsmap['w']}}}tc")]
        for table in range(len(docx_tables(data)))
        for row in docx_rows(data, table)
    ]


def convert(tmp_path: Path, *blocks: str) -> tuple[Path, dict]:
    """A form of `blocks` under the title: imported (no problem, no note) and made a template."""
    form = make_docx(tmp_path / "普法.docx", document_xml(*TITLE, *blocks))
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    make_template(form, tmp_path / "templates")
    return form, imported(tmp_path / "projects" / "普法.yaml")


def test_the_districts_rows_starting_the_indicator_table_are_no_part_of_the_goals(tmp_path):
    basic = tbl(5, *HEAD, *money_rows("10", "10", "10", "10"), *GOALS)
    _, data = convert(tmp_path, basic, para("三、绩效指标"), tbl(4, *OWN, *INDICATORS))
    assert data["项目总目标"] == "开展普法宣传。"
    assert data["年度总体目标"] == "全年开展普法宣传。"
    assert data["其他栏目"] == {
        "项目负责人": "张三",
        "联系电话": "021-64110000",
        "项目类型": "延续",
    }
    rows = built_rows(tmp_path)
    assert rows[8:11] == [
        ["", "开展普法宣传。", "全年开展普法宣传。"],
        ["项目负责人", "张三", "联系电话", "021-64110000"],
        ["项目类型", "新增□  延续☑"],
    ]


def test_goals_stacked_one_under_the_other_keep_their_own_rows(tmp_path):
    # 项目总目标 and its text across the table, then 年度总体目标 in rows of named parts
    stacked = [
        tr(tc("项目绩效目标", vmerge="restart"), tc("项目总目标", span=4)),
        tr(BELOW, tc("开展普法宣传。", span=4)),
        tr(BELOW, tc("年度总体目标", span=4)),
        tr(BELOW, tc("预期目标"), tc("全年开展普法宣传。", span=3)),
        tr(BELOW, tc("实施进度"), tc("每季度一次。", span=3)),
    ]
    lead = [row.replace("<w:tr>", "<w:tr>" + tc(""), 1) for row in INDICATORS]
    form = tbl(5, *HEAD, *money_rows("10", "10", "10", "10"), *stacked, *lead)
    _, data = convert(tmp_path, form)
    assert data["项目总目标"] == "开展普法宣传。"
    assert data["年度总体目标"].rstrip() == "预期目标：全年开展普法宣传。\n实施进度：每季度一次。"
    rows = built_rows(tmp_path)
    assert rows[8:12] == [
        ["", "开展普法宣传。"],
        ["", "年度总体目标"],
        ["", "预期目标", "全年开展普法宣传。"],
        ["", "实施进度", "每季度一次。"],
    ]


def test_named_parts_beside_a_goal_header_merged_over_them(tmp_path):
    goals = [
        tr(tc("年度总体目标", vmerge="restart"), tc("预期目标"), tc("全年开展普法宣传。", span=3)),
        tr(BELOW, tc("实施进度"), tc("每季度一次。", span=3)),
        tr(tc("项目总目标"), tc("开展普法宣传。", span=4)),
    ]
    lead = [row.replace("<w:tr>", "<w:tr>" + tc(""), 1) for row in INDICATORS]
    basic = tbl(5, *HEAD, *money_rows("10", "10", "10", "10"))
    _, data = convert(tmp_path, basic, para("二、项目绩效目标"), tbl(5, *goals, *lead))
    assert data["年度总体目标"].rstrip() == "预期目标：全年开展普法宣传。\n实施进度：每季度一次。"
    assert data["项目总目标"] == "开展普法宣传。"
    rows = built_rows(tmp_path)
    assert rows[7:10] == [
        ["年度总体目标", "预期目标", "全年开展普法宣传。"],
        ["", "实施进度", "每季度一次。"],
        ["项目总目标", "开展普法宣传。"],
    ]

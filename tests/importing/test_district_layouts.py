"""Districts' own layouts of the form: gen import reads them and gen template makes them print
each project's values where the district's form has them."""

from __future__ import annotations

from pathlib import Path

from conftest import good_project
from docx_grid import docx_cell_paragraphs, docx_paragraphs, docx_part, docx_rows
from handmade import (
    BELOW,
    TICKED,
    TITLE,
    document_xml,
    edited_docx,
    imported,
    indicator_header,
    leaf,
    make_docx,
    money_rows,
    para,
    tbl,
    tc,
    text_box,
    tr,
)

from gen.build import BuildOptions, build
from gen.importing.importer import import_forms
from gen.importing.template import make_template


def form_with(goals: list[str], columns: int = 5) -> str:
    """A 5-column 绩效目标表 whose 项目绩效目标 rows are `goals`."""
    return tbl(
        columns,
        tr(tc("项目名称"), tc("普法"), tc("项目类别"), tc(TICKED, span=2, raw=True)),
        tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位"), tc("浦江镇司法所", span=2)),
        tr(tc("计划开始日期"), tc("2026-01-01"), tc("计划完成日期"), tc("2026-12-31", span=2)),
        *money_rows("10", "10", "10", "10"),
        *goals,
        indicator_header(),
        leaf(tc("产出指标"), "数量指标", "宣传品数", "2000份"),
        leaf(tc("效益指标"), "社会效益指标", "法治意识", "提升"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "≥90%"),
    )


GOALS = [
    tr(tc("项目绩效目标", vmerge="restart"), tc("项目总目标", span=2), tc("年度总体目标", span=2)),
    tr(BELOW, tc("开展普法宣传。", span=2), tc("全年开展普法宣传。", span=2)),
]
# A page of its own (python-docx adds the header and footer to it)
SECTION = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>'


def built_rows(project: Path, templates: Path, out: Path) -> list[list[str]]:
    """The cell texts, row by row, of `project` built with the templates in `templates`."""
    result = build([project], BuildOptions(out_dir=out, templates=templates))
    assert result.exit_code == 0, [str(f) for f in result.findings]
    data = next(out.rglob("*.docx")).read_bytes()
    return [
        ["\n".join(docx_cell_paragraphs(cell)) for cell in row.iter(f"{{{row.nsmap['w']}}}tc")]
        for row in docx_rows(data)
    ]


# ---------------------------------------------------------------- a goal in rows of named parts

SPLIT_GOAL = [
    tr(tc("项目绩效目标", vmerge="restart"), tc("项目总目标", span=2), tc("年度总体目标", span=2)),
    tr(
        BELOW,
        tc("开展普法宣传。", span=2, vmerge="restart"),
        tc("预期目标"),
        tc("全年开展普法宣传。"),
    ),
    tr(BELOW, tc(span=2, vmerge="continue"), tc("实施进度："), tc("1-6月筹备，\n\n7-12月实施。")),
]


def test_a_goal_written_in_rows_of_named_parts_is_imported_part_by_part(tmp_path):
    form = make_docx(tmp_path / "普法.docx", document_xml(*TITLE, form_with(SPLIT_GOAL)))
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert (
        data["年度总体目标"].rstrip()
        == "预期目标：全年开展普法宣传。\n实施进度：1-6月筹备，7-12月实施。"
    )
    assert data["项目总目标"] == "开展普法宣传。"


def test_a_template_prints_each_part_of_the_goal_in_its_own_row(tmp_path, write):
    form = make_docx(tmp_path / "普法.docx", document_xml(*TITLE, form_with(SPLIT_GOAL)))
    made = make_template(form, tmp_path / "templates")
    assert made.note is None  # the sample's goal is no text kept on every form
    import_forms([form], tmp_path / "projects")
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert rows[8][-2:] == ["预期目标", "全年开展普法宣传。"]
    assert rows[9][-2:] == ["实施进度：", "1-6月筹备，7-12月实施。"]

    project = (tmp_path / "projects" / "普法.yaml").read_text(encoding="utf-8")
    other = tmp_path / "other" / "普法.yaml"
    other.parent.mkdir()
    other.write_text(
        project.replace("预期目标：全年开展普法宣传。", "第一段。").replace(
            "实施进度：1-6月筹备，7-12月实施。", "第二段。"
        ),
        encoding="utf-8",
    )
    rows = built_rows(other.parent, tmp_path / "templates", tmp_path / "out2")
    assert rows[8][-2:] == ["预期目标", "第一段。\n第二段。"]  # a goal without parts: whole
    assert rows[9][-2:] == ["实施进度：", ""]


# ---------------------------------------------------------------- the unit named outside the table


def test_the_unit_named_above_the_table_and_in_the_page_header_is_each_projects(tmp_path):
    form = make_docx(
        tmp_path / "普法.docx",
        document_xml(*TITLE, para("填报单位（盖章）：浦江镇司法所"), form_with(GOALS), SECTION),
    )
    edited_docx(form, with_page_lines("单位名称：浦江镇司法所 {注}", "浦江镇司法所 制表"))
    make_template(form, tmp_path / "templates")
    project = tmp_path / "projects" / "安保经费.yaml"
    project.parent.mkdir()
    project.write_text(
        good_project("安保经费").replace("浦江镇社区党群服务中心", "浦江镇平安办"), encoding="utf-8"
    )
    build(
        [project.parent], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "templates")
    )
    data = (tmp_path / "out" / "安保经费.docx").read_bytes()
    assert "填报单位（盖章）：浦江镇平安办" in docx_paragraphs(data)
    header = docx_part(data, "word/header1.xml")
    footer = docx_part(data, "word/footer1.xml")
    assert "".join(header.itertext()) == "单位名称：浦江镇平安办 {注}"
    assert "".join(footer.itertext()) == "浦江镇平安办 制表"


def test_the_unit_named_in_rows_above_the_form_and_below_its_indicators_is_each_projects(
    tmp_path,
):
    # the title and the unit in rows of the table above 项目名称, a row of signatures below
    above = tr(tc("2026年财政项目支出绩效目标表", span=5)) + tr(
        tc("填报单位（盖章）：浦江镇司法所", span=3), tc("单位：万元", span=2)
    )
    below = tr(tc("填报单位：浦江镇司法所", span=3), tc("填报人：王芳", span=2))
    table = form_with(GOALS)
    table = table.replace("<w:tr>", above + "<w:tr>", 1).replace("</w:tbl>", below + "</w:tbl>")
    form = make_docx(tmp_path / "普法.docx", document_xml(table))
    make_template(form, tmp_path / "templates")
    project = tmp_path / "projects" / "安保经费.yaml"
    project.parent.mkdir()
    project.write_text(
        good_project("安保经费").replace("浦江镇社区党群服务中心", "浦江镇平安办"), encoding="utf-8"
    )
    rows = built_rows(project.parent, tmp_path / "templates", tmp_path / "out")
    assert rows[1] == ["填报单位（盖章）：浦江镇平安办", "单位：万元"]
    # 填报人 is a field of each project's: 安保经费 gives none, so it prints blank
    assert rows[-1] == ["填报单位：浦江镇平安办", "填报人："]
    assert rows[3][3] == "浦江镇平安办"  # the 实施单位 cell, as before


def with_page_lines(header: str, footer: str):
    """An edit putting a line in the page header and one in the footer."""

    def edit(document) -> None:
        section = document.sections[0]
        section.header.paragraphs[0].text = header
        section.footer.paragraphs[0].text = footer

    return edit


# ---------------------------------------------------------------- values in a nested table or text box


def test_a_value_typed_in_a_table_or_text_box_inside_its_cell_is_imported(tmp_path):
    nested = tbl(1, tr(tc("浦江镇司法所")))
    unit_cell = f'<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{nested}<w:p/></w:tc>'
    goals = [
        GOALS[0],
        tr(
            BELOW,
            tc("开展普法宣传。", span=2),
            tc(text_box("全年开展普法宣传。"), span=2, raw=True),
        ),
    ]
    table = form_with(goals).replace(tc("浦江镇司法所", span=2), unit_cell)
    form = make_docx(tmp_path / "普法.docx", document_xml(*TITLE, table))
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["实施单位"] == "浦江镇司法所"
    assert data["年度总体目标"] == "全年开展普法宣传。"
    assert report.findings == []


# ---------------------------------------------------------------- a label and its value in one cell


def test_a_form_writing_labels_and_values_in_one_cell_is_imported_and_templated(tmp_path):
    table = form_with(GOALS).replace(
        tr(tc("项目名称"), tc("普法"), tc("项目类别"), tc(TICKED, span=2, raw=True)),
        tr(tc("项目名称：普法", span=2), tc("项目类别：经常性项目", span=3)),
    )
    form = make_docx(tmp_path / "普法.docx", document_xml(*TITLE, table))
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert (data["项目名称"], data["项目类别"]) == ("普法", "经常性项目")
    make_template(form, tmp_path / "templates")
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert rows[0] == ["项目名称：普法", "项目类别：经常性项目"]


def test_one_label_written_with_its_value_beside_label_value_pairs_is_imported(tmp_path):
    table = form_with(GOALS).replace(
        tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位"), tc("浦江镇司法所", span=2)),
        tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位：浦江镇司法所", span=3)),
    )
    form = make_docx(tmp_path / "普法.docx", document_xml(*TITLE, table))
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert (data["主管部门"], data["实施单位"]) == ("浦江镇人民政府", "浦江镇司法所")

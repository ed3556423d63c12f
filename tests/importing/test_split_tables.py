"""A form printed as two or more tables one below the other (the basic information, then the
indicators, with empty paragraphs or a heading between them): gen import reads it as one form and
gen template tags the cells of each table where they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import good_project
from docx_grid import docx_cell_paragraphs, docx_paragraphs, docx_rows, docx_tables
from handmade import (
    BELOW,
    TICKED,
    TITLE,
    document_xml,
    goal_rows,
    imported,
    make_docx,
    money_rows,
    para,
    target_form_with,
    tbl,
    tc,
    tr,
)

from gen.build import BuildOptions, build
from gen.errors import GenError
from gen.importing.importer import import_forms
from gen.importing.template import make_template

INDICATORS = {
    "产出指标": {"数量指标": {"宣传品数": "2000份"}},
    "效益指标": {"社会效益指标": {"法治意识": "提升"}},
    "满意度指标": {"服务对象满意度指标": {"群众满意度": "≥90%"}},
}


def basic_table(name: str = "普法") -> str:
    """The basic-information table of a district's form: names, dates, money and goals."""
    return tbl(
        5,
        tr(tc("项目名称"), tc(name), tc("项目类别"), tc(TICKED, span=2, raw=True)),
        tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位"), tc("浦江镇司法所", span=2)),
        tr(tc("计划开始日期"), tc("2026-01-01"), tc("计划完成日期"), tc("2026-12-31", span=2)),
        *money_rows("10", "10", "10", "10"),
        *goal_rows("项目总目标", f"开展{name}宣传。", f"全年开展{name}宣传。", spans=(2, 2)),
    )


def indicator_table(columns: int = 4) -> str:
    """The indicator table below it: the four headings (a 绩效指标 column first when 5 wide)."""
    lead = (tc("绩效指标", vmerge="restart"),) if columns == 5 else ()
    below = (BELOW,) if columns == 5 else ()
    rows = [
        ("产出指标", "数量指标", "宣传品数", "2000份"),
        ("效益指标", "社会效益指标", "法治意识", "提升"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    return tbl(
        columns,
        tr(*lead, tc("一级指标"), tc("二级指标"), tc("三级指标"), tc("年度指标值")),
        *(tr(*below, *(tc(text) for text in row)) for row in rows),
    )


# What stands between the two tables in districts' files
BETWEEN = {
    "nothing": "",
    "empty paragraphs": para("") + para(""),
    "a heading": para("") + para("三、绩效指标"),
    "the block's name": para("绩效指标"),
}


def split_form(tmp_path: Path, between: str, columns: int = 4, name: str = "普法") -> Path:
    """A .docx of the title, the basic table, `between` and the indicator table."""
    xml = document_xml(*TITLE, basic_table(name), between, indicator_table(columns))
    return make_docx(tmp_path / "in" / f"{name}.docx", xml)


@pytest.mark.parametrize("between", BETWEEN.values(), ids=BETWEEN.keys())
def test_a_form_split_into_two_tables_is_imported_as_one(tmp_path, between):
    report = import_forms([split_form(tmp_path, between)], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["项目名称"] == "普法" and data["实施单位"] == "浦江镇司法所"
    assert data["年度"] == 2026 and data["项目类别"] == "经常性项目"
    assert data["项目资金"]["项目资金总额"] == 10
    assert data["年度总体目标"] == "全年开展普法宣传。"
    assert data["绩效指标"] == INDICATORS


def test_a_form_split_into_three_tables_is_imported_as_one(tmp_path):
    whole = basic_table()
    at = whole.index("<w:tr>", whole.index("计划完成日期"))  # the money rows start a table
    grid = whole[len("<w:tbl>") : whole.index("</w:tblGrid>") + len("</w:tblGrid>")]
    three = whole[:at] + "</w:tbl>" + para("") + "<w:tbl>" + grid + whole[at:]
    xml = document_xml(*TITLE, three, para("绩效指标"), indicator_table(5))
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    report = import_forms([source], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["项目资金"]["财政资金"] == 10 and data["计划完成日期"].year == 2026
    assert data["绩效指标"] == INDICATORS


def test_the_rows_of_a_split_form_are_named_by_their_own_table(tmp_path):
    indicators = indicator_table().replace(tc("提升"), tc("提升") + tc("备注"))
    xml = document_xml(*TITLE, basic_table(), para("三、绩效指标"), indicators)
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    report = import_forms([source], tmp_path / "projects")
    (note,) = report.notes
    assert "表格里的 第 2 个表格第 3 行“备注” 不在任何认得的标签旁边" in note.message


def test_a_form_split_into_two_tables_lacking_a_label_names_both_tables(tmp_path):
    indicators = indicator_table().replace("二级指标", "指标类别")
    xml = document_xml(*TITLE, basic_table(), para(""), indicators)
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    (problem,) = import_forms([source], tmp_path / "projects").problems
    assert problem.message.startswith("没有找到“二级指标”这一栏（在第 1–2 个表格找过；")


def test_whole_forms_one_after_another_stay_forms_of_their_own(tmp_path):
    # each table is a whole form: none is read as the rest of the one above it
    first = target_form_with(TICKED, name="普法")
    second = target_form_with(TICKED, name="禁毒")
    xml = document_xml(*TITLE, first, para(""), para("三、下一张表"), second)
    source = make_docx(tmp_path / "in" / "两张.docx", xml)
    report = import_forms([source], tmp_path / "projects")
    assert report.problems == []
    assert sorted(p.name for p in (tmp_path / "projects").iterdir()) == ["普法.yaml", "禁毒.yaml"]


def test_split_forms_one_after_another_are_each_read_whole(tmp_path):
    xml = document_xml(
        *TITLE,
        basic_table("普法"),
        para("三、绩效指标"),
        indicator_table(),
        *TITLE,
        basic_table("禁毒"),
        para("三、绩效指标"),
        indicator_table(5),
    )
    source = make_docx(tmp_path / "in" / "两张.docx", xml)
    report = import_forms([source], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    for name in ("普法", "禁毒"):
        data = imported(tmp_path / "projects" / f"{name}.yaml")
        assert data["年度总体目标"] == f"全年开展{name}宣传。"
        assert data["绩效指标"] == INDICATORS


def test_a_table_below_a_complete_form_is_not_read_as_part_of_it(tmp_path):
    # a table of signatures below a whole form: the form lacks nothing, so it is no part of it
    signatures = tbl(2, tr(tc("主管部门审核意见"), tc("同意")), tr(tc("三级指标"), tc("")))
    xml = document_xml(*TITLE, target_form_with(TICKED), para(""), signatures)
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    report = import_forms([source], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    assert imported(tmp_path / "projects" / "普法.yaml")["绩效指标"]["产出指标"]


def test_a_table_under_a_title_of_its_own_is_not_joined_to_the_form_above(tmp_path):
    # the indicator table under a year line is a form of its own (lacking the rest), so the
    # form above is refused as before, saying where its label is
    xml = document_xml(*TITLE, basic_table(), para("（2026年度）"), indicator_table())
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    (problem,) = import_forms([source], tmp_path / "projects").problems
    assert problem.message == (
        "“一级指标”这一栏在下一个表格（第 2 个）里：这张表被分成了两个表格，这个表格没有导入。"
        "请在 Word 中删除两个表格之间的段落（“（2026年度）”），把它们合并成一个表格后再运行"
    )


# ---------------------------------------------------------------- gen template


def built(projects: Path, templates: Path, out: Path) -> dict[str, bytes]:
    """Each project below `projects` built with `templates`: the form's bytes by project name."""
    result = build([projects], BuildOptions(out_dir=out, templates=templates))
    assert result.exit_code == 0, [str(f) for f in result.findings]
    return {path.stem: path.read_bytes() for path in out.rglob("*.docx")}


def table_texts(data: bytes, table: int) -> list[list[str]]:
    """The cell texts, row by row, of one table of a built form."""
    return [
        ["\n".join(docx_cell_paragraphs(cell)) for cell in row.iter(f"{{{row.nsmap['w']}}}tc")]
        for row in docx_rows(data, table)
    ]


@pytest.mark.parametrize("columns", [4, 5])
def test_a_template_from_a_split_form_keeps_both_tables_and_the_heading(tmp_path, columns):
    source = split_form(tmp_path, para("") + para("三、绩效指标"), columns)
    made = make_template(source, tmp_path / "templates")
    assert made.note is None
    projects = tmp_path / "projects"
    projects.mkdir()
    (projects / "安保经费.yaml").write_text(good_project("安保经费"), encoding="utf-8")
    import_forms([source], projects)
    forms = built(projects, tmp_path / "templates", tmp_path / "out")
    assert set(forms) == {"安保经费", "普法"}
    for name, data in forms.items():
        assert len(docx_tables(data)) == 2
        assert "三、绩效指标" in docx_paragraphs(data)
        basic, indicators = table_texts(data, 0), table_texts(data, 1)
        assert basic[0][:2] == ["项目名称", name]
        lead = ["绩效指标"] if columns == 5 else []
        assert indicators[0] == [*lead, "一级指标", "二级指标", "三级指标", "年度指标值"]
    basic, indicators = table_texts(forms["安保经费"], 0), table_texts(forms["安保经费"], 1)
    assert basic[1][3] == "浦江镇社区党群服务中心"
    assert basic[-1][-1] == "保障安保经费工资福利的正常支出。\n保障公用经费的正常支出。"
    assert [row[-2:] for row in indicators[1:]] == [
        ["安保经费数量", "118人"],
        ["资金支付及时性", "每月"],
        ["对安保经费社保、福利等方面的保障", "提升"],
        ["安保经费满意度", "≥90%"],
    ]
    assert [row[-2:] for row in table_texts(forms["普法"], 1)[1:]] == [
        ["宣传品数", "2000份"],
        ["法治意识", "提升"],
        ["群众满意度", "≥90%"],
    ]


def test_gen_template_still_refuses_a_file_of_several_whole_forms(tmp_path):
    xml = document_xml(*TITLE, target_form_with(TICKED), para(""), target_form_with(TICKED, "禁毒"))
    source = make_docx(tmp_path / "in" / "两张.docx", xml)
    with pytest.raises(GenError) as caught:
        make_template(source, tmp_path / "templates")
    assert "文件里有 2 张表" in caught.value.message


def test_a_heading_with_the_year_between_the_tables_is_no_title_and_prints_each_year(tmp_path):
    # “三、2026年度绩效指标” names a part of the form, not a new form: the tables are one form,
    # and the heading's year is each project's
    source = split_form(tmp_path, para("三、2026年度绩效指标"))
    report = import_forms([source], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    assert imported(tmp_path / "projects" / "普法.yaml")["绩效指标"] == INDICATORS
    make_template(source, tmp_path / "templates")
    later = tmp_path / "later"
    later.mkdir()
    (later / "安保经费.yaml").write_text(
        good_project("安保经费").replace("2026", "2027"), encoding="utf-8"
    )
    data = built(later, tmp_path / "templates", tmp_path / "out")["安保经费"]
    assert "三、2027年度绩效指标" in docx_paragraphs(data)

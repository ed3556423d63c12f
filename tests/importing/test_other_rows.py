"""Rows of a district's form that gen has no key for (项目负责人, 联系电话, 项目类型 □新增 ☑延续):
gen import reads them into 其他栏目, gen template prints each project's 其他栏目 there."""

from __future__ import annotations

from pathlib import Path

from docx_grid import docx_rows
from handmade import TITLE, W14_NS, checkbox, document_xml, imported, make_docx, run, tc, tr
from test_district_layouts import GOALS, built_rows, form_with

from gen.importing.importer import import_forms
from gen.importing.template import make_template

DATES = tr(tc("计划开始日期"), tc("2026-01-01"), tc("计划完成日期"), tc("2026-12-31", span=2))
# The district's own rows, below the dates: two pairs a row, a code, and a choice of boxes
OWN_ROWS = [
    tr(tc("项目负责人"), tc("张三"), tc("联 系 电 话："), tc("021-64110000", span=2)),
    tr(tc("主管部门代码"), tc("017"), tc("联系人"), tc("", span=2)),
    tr(tc("项目类型"), tc(run("新增□  延续☑"), span=4, raw=True)),
]


def district_form(path: Path, rows: list[str] = OWN_ROWS) -> Path:
    """A 5-column 绩效目标表 with `rows` below its dates."""
    table = form_with(GOALS).replace(DATES, DATES + "".join(rows))
    return make_docx(path, document_xml(*TITLE, table))


def control_row(label: str) -> str:
    """A row of boxes drawn by checkbox content controls, 延续 ticked."""
    boxes = f"{checkbox(False)}{run('新增 ')}{checkbox(True)}{run('延续')}"
    return tr(tc(label), tc(boxes, span=4, raw=True))


def test_the_rows_are_imported_into_other_rows_in_form_order(tmp_path):
    report = import_forms([district_form(tmp_path / "普法.docx")], tmp_path / "projects")
    assert report.problems == [] and report.notes == []  # nothing left unread
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert list(data["其他栏目"].items()) == [
        ("项目负责人", "张三"),
        ("联系电话", "021-64110000"),
        ("主管部门代码", "017"),  # a code as written, not the number 17
        ("联系人", ""),
        ("项目类型", "延续"),
    ]
    assert data["项目类别"] == "经常性项目"  # 项目类型's boxes are no 项目类别
    assert report.check is not None and report.check.findings == []


def test_a_row_named_like_the_nature_with_other_boxes_keeps_the_form_a_target_form(tmp_path):
    form = district_form(tmp_path / "普法.docx", [control_row("项目属性")])
    import_forms([form], tmp_path / "projects")
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["表样"] == "绩效目标表" and "项目性质" not in data
    assert data["其他栏目"] == {"项目属性": "延续"}
    assert make_template(form, tmp_path / "templates").path.name == "绩效目标表.docx"


def test_the_template_prints_each_projects_other_rows(tmp_path):
    form = district_form(tmp_path / "普法.docx")
    made = make_template(form, tmp_path / "templates")
    assert made.note == (
        f"{form}: 警告: 表格里的 项目负责人、联系电话、主管部门代码、联系人、项目类型 是项目文件里"
        "没有的栏目，模板在这些栏里印各项目 其他栏目 下同名的一项（项目类型 勾与写的值同名的那个框）；"
        "请在项目文件（或 _defaults.yaml）的 其他栏目 下写上，如“其他栏目: {项目负责人: 张三}”，"
        "没有写的印空白（gen import 从表格读入它们）"
    )
    import_forms([form], tmp_path / "projects")
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert rows[3:6] == [
        ["项目负责人", "张三", "联 系 电 话：", "021-64110000"],
        ["主管部门代码", "017", "联系人", ""],
        ["项目类型", "新增□  延续☑"],
    ]

    other = tmp_path / "other" / "法律援助.yaml"
    other.parent.mkdir()
    text = (tmp_path / "projects" / "普法.yaml").read_text(encoding="utf-8")
    other.write_text(
        text.replace("张三", "李四")
        .replace("021-64110000", "64110000")  # a number, printed as written
        .replace("联系人: ''", "联系人: 王五")
        .replace("项目类型: 延续", "项目类型: 新增"),
        encoding="utf-8",
    )
    rows = built_rows(other.parent, tmp_path / "templates", tmp_path / "out2")
    assert rows[3:6] == [
        ["项目负责人", "李四", "联 系 电 话：", "64110000"],
        ["主管部门代码", "017", "联系人", "王五"],
        ["项目类型", "新增☑  延续□"],
    ]


def test_boxes_of_a_row_of_its_own_keep_their_kind(tmp_path):
    form = district_form(tmp_path / "普法.docx", [control_row("项目类型")])
    make_template(form, tmp_path / "templates")
    project = tmp_path / "projects" / "普法.yaml"
    import_forms([form], project.parent)
    project.write_text(
        project.read_text(encoding="utf-8").replace("项目类型: 延续", "项目类型: 新增"),
        encoding="utf-8",
    )
    built_rows(project.parent, tmp_path / "templates", tmp_path / "out")
    row = docx_rows((tmp_path / "out" / "普法.docx").read_bytes())[3]
    checked = [node.get(f"{{{W14_NS}}}val") for node in row.iter(f"{{{W14_NS}}}checked")]
    assert checked == ["1", "0"]  # 新增's control is ticked, 延续's not
    assert "".join(row.itertext()) == "项目类型☒新增 ☐延续"

"""Rows of a district's form that gen has no key for (项目负责人, 联系电话, 项目类型 □新增 ☑延续):
gen import reads them into 其他栏目, gen template prints each project's 其他栏目 there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import good_project
from docx_grid import W_NS, docx_cell_paragraphs, docx_paragraphs, docx_rows
from handmade import (
    TITLE,
    W14_NS,
    checkbox,
    document_xml,
    imported,
    make_docx,
    para,
    run,
    tc,
    tr,
)
from test_district_layouts import GOALS, built_rows, form_with

from gen.build import BuildOptions, build
from gen.cli import main
from gen.importing.importer import import_forms
from gen.importing.template import make_template

DATES = tr(tc("计划开始日期"), tc("2026-01-01"), tc("计划完成日期"), tc("2026-12-31", span=2))
# The district's own rows, below the dates: two pairs a row, a code, and a choice of boxes
OWN_ROWS = [
    tr(tc("项目负责人"), tc("张三"), tc("联 系 电 话："), tc("021-64110000", span=2)),
    tr(tc("主管部门代码"), tc("017"), tc("联系人"), tc("", span=2)),
    tr(tc("项目类型"), tc(run("新增□  延续☑"), span=4, raw=True)),
]


def district_form(path: Path, rows: list[str] = OWN_ROWS, name: str = "普法") -> Path:
    """A 5-column 绩效目标表 named `name` with `rows` below its dates."""
    table = form_with(GOALS).replace(DATES, DATES + "".join(rows))
    return make_docx(path, document_xml(*TITLE, table.replace(tc("普法"), tc(name))))


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


def test_import_defaults_moves_the_entries_every_form_shares_one_by_one(tmp_path):
    folder = tmp_path / "in" / "司法所"
    for name, leader, contact in (("普法", "张三", ""), ("法援", "李四", "王五")):
        rows = [
            tr(tc("项目负责人"), tc(leader), tc("联系电话"), tc("021-64110000", span=2)),
            tr(tc("主管部门代码"), tc("017"), tc("联系人"), tc(contact, span=2)),
        ]
        district_form(folder / f"{name}.docx", rows, name)
    out = tmp_path / "projects" / "司法所"
    result = import_forms([tmp_path / "in"], tmp_path / "projects", defaults=True)
    assert result.problems == [] and result.defaults == [out / "_defaults.yaml"]
    assert imported(out / "_defaults.yaml")["其他栏目"] == {
        "联系电话": "021-64110000",
        "主管部门代码": "017",  # a code, still as written
    }
    assert imported(out / "普法.yaml")["其他栏目"] == {"项目负责人": "张三", "联系人": ""}
    assert imported(out / "法援.yaml")["其他栏目"] == {"项目负责人": "李四", "联系人": "王五"}
    assert result.check is not None  # the forms' same goals are warned of, nothing else
    assert {f.code for f in result.check.findings} == {"duplicate-goal", "duplicate-indicators"}
    # each form prints what it printed: its own entries and the shared ones of _defaults.yaml
    make_template(folder / "普法.docx", tmp_path / "templates")
    rows = built_rows(out / "法援.yaml", tmp_path / "templates", tmp_path / "out")
    assert rows[3:5] == [
        ["项目负责人", "李四", "联系电话", "021-64110000"],
        ["主管部门代码", "017", "联系人", "王五"],
    ]


def test_import_defaults_keeps_an_entry_the_forms_write_differently(tmp_path):
    for name, code in (("普法", "017"), ("法援", "018")):
        rows = [tr(tc("主管部门代码"), tc(code), tc("项目负责人"), tc("张三", span=2))]
        district_form(tmp_path / "in" / f"{name}.docx", rows, name)
    import_forms([tmp_path / "in"], tmp_path / "projects", defaults=True)
    assert imported(tmp_path / "projects" / "_defaults.yaml")["其他栏目"] == {"项目负责人": "张三"}
    assert imported(tmp_path / "projects" / "法援.yaml")["其他栏目"] == {"主管部门代码": "018"}


# ---------------------------------------------------------------- below the indicators

# Rows below the indicators: fields filled in per project, a signature and approvals that are not
BELOW_ROWS = [
    tr(tc("填报人"), tc("张三"), tc("联系电话"), tc("021-64110000", span=2)),
    tr(tc("单位负责人（签字）"), tc(""), tc("填报日期"), tc("2026-01-15", span=2)),
    tr(tc("主管部门审核意见"), tc("同意"), tc("财政部门审核意见"), tc("", span=2)),
    tr(tc("单位（盖章）", span=2), tc("（盖章）\n\n年  月  日", span=3)),
]
# Lines below the table: a field line, a signature line and a note, printed on every form
BELOW_LINES = [
    para("填报人：张三\u3000\u3000联系电话：021-64110000"),
    para("单位负责人（签字）：            填报日期：    年  月  日"),
    para("注：本表由项目实施单位填写。"),
]


def below_form(path: Path, rows: list[str] = BELOW_ROWS, lines: list[str] = ()) -> Path:
    """A 5-column 绩效目标表 with `rows` below its indicators and `lines` below the table."""
    table = form_with(GOALS).replace("</w:tbl>", "".join(rows) + "</w:tbl>")
    return make_docx(path, document_xml(*TITLE, table, *lines))


def changed(project: Path, folder: str, *edits: tuple[str, str]) -> Path:
    """A copy of an imported project file in tmp/`folder`, with (old, new) texts replaced."""
    text = project.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    copy = project.parent.parent / folder / project.name
    copy.parent.mkdir()
    copy.write_text(text, encoding="utf-8")
    return copy


def imported_below(tmp_path: Path, rows: list[str], lines: list[str] = ()) -> tuple[Path, Path]:
    """below_form(rows, lines) imported without a word: the form and its project file."""
    form = below_form(tmp_path / "普法.docx", rows, lines)
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    return form, tmp_path / "projects" / "普法.yaml"


def test_fields_below_the_indicators_are_imported_and_signatures_are_not(tmp_path):
    report = import_forms([below_form(tmp_path / "普法.docx")], tmp_path / "projects")
    assert report.problems == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["其他栏目"] == {
        "填报人": "张三",
        "联系电话": "021-64110000",
        "填报日期": "2026-01-15",  # text, as printed
    }
    assert [note.message for note in report.notes] == [
        "指标下面的 第 15 行（单位负责人（签字））、第 16 行（主管部门审核意见、同意、财政部门审核意见）、"
        "第 17 行（单位（盖章）、（盖章）年  月  日） 不是指标，没有导入（项目文件里没有这些栏目）；"
        "其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、三级指标和指标值各占一格，"
        "再重新导入"
    ]
    assert report.check is not None and report.check.findings == []


def test_the_template_prints_each_projects_fields_below_the_indicators(tmp_path):
    form = below_form(tmp_path / "普法.docx")
    made = make_template(form, tmp_path / "templates")
    assert made.note is not None
    assert "表格里的 填报人、联系电话、填报日期 是项目文件里没有的栏目" in made.note
    import_forms([form], tmp_path / "projects")
    other = changed(
        tmp_path / "projects" / "普法.yaml",
        "other",
        ("填报人: 张三", "填报人: 李四"),
        ("021-64110000", "64110001"),
        ("'2026-01-15'", "'2026-02-01'"),
    )
    for folder, who, phone, day in (
        (tmp_path / "projects", "张三", "021-64110000", "2026-01-15"),
        (other.parent, "李四", "64110001", "2026-02-01"),
    ):
        rows = built_rows(folder, tmp_path / "templates", tmp_path / "out" / folder.name)
        assert rows[-4:] == [
            ["填报人", who, "联系电话", phone],
            ["单位负责人（签字）", "", "填报日期", day],
            ["主管部门审核意见", "同意", "财政部门审核意见", ""],  # as on the form
            ["单位（盖章）", "（盖章）\n年  月  日"],
        ]


def test_fields_on_lines_below_the_table_are_imported_and_printed_per_project(tmp_path):
    form, project = imported_below(tmp_path, [], BELOW_LINES)
    assert imported(project)["其他栏目"] == {"填报人": "张三", "联系电话": "021-64110000"}
    made = make_template(form, tmp_path / "templates")
    assert made.note is not None and "表格里的 填报人、联系电话 是项目文件里没有的栏目" in made.note
    other = changed(
        project, "other", ("填报人: 张三", "填报人: 李四"), ("021-64110000", "64110001")
    )
    printed = []
    for folder in (project.parent, other.parent):
        built_rows(folder, tmp_path / "templates", tmp_path / "out" / folder.name)
        data = (tmp_path / "out" / folder.name / "普法.docx").read_bytes()
        printed.append(docx_paragraphs(data)[-3:])
    assert printed == [
        [
            "填报人：张三\u3000\u3000联系电话：021-64110000",
            "单位负责人（签字）：            填报日期：    年  月  日",
            "注：本表由项目实施单位填写。",
        ],
        [
            "填报人：李四\u3000\u3000联系电话：64110001",
            "单位负责人（签字）：            填报日期：    年  月  日",
            "注：本表由项目实施单位填写。",
        ],
    ]


def test_a_row_below_the_indicators_written_as_one_line_is_read_like_a_line(tmp_path):
    row = tr(
        tc("填报人：张三\u3000\u3000联系电话：021-64110000\u3000\u3000单位负责人（签字）：", span=5)
    )
    form, project = imported_below(tmp_path, [row])
    assert imported(project)["其他栏目"] == {"填报人": "张三", "联系电话": "021-64110000"}
    make_template(form, tmp_path / "templates")
    other = changed(project, "other", ("填报人: 张三", "填报人: 李四"))
    rows = built_rows(other.parent, tmp_path / "templates", tmp_path / "out")
    assert rows[-1] == [
        "填报人：李四\u3000\u3000联系电话：021-64110000\u3000\u3000单位负责人（签字）："
    ]


def test_a_field_written_in_a_row_and_on_a_line_below_prints_the_entry_in_both(tmp_path):
    lines = [para("填报人：张三\u3000\u3000联系电话：64110000")]  # another 联系电话: left as it is
    form, project = imported_below(tmp_path, BELOW_ROWS[:1], lines)
    assert imported(project)["其他栏目"] == {"填报人": "张三", "联系电话": "021-64110000"}
    make_template(form, tmp_path / "templates")
    other = changed(project, "other", ("填报人: 张三", "填报人: 李四"))
    rows = built_rows(other.parent, tmp_path / "templates", tmp_path / "out")
    assert rows[-1] == ["填报人", "李四", "联系电话", "021-64110000"]
    paragraphs = docx_paragraphs((tmp_path / "out" / "普法.docx").read_bytes())
    assert paragraphs[-1] == "填报人：李四\u3000\u3000联系电话：64110000"


@pytest.mark.parametrize(
    "line",
    [
        "单位负责人（签字）：张三",  # a name where a hand signs: the sample's, not the project's
        "审核意见：同意",
        "填报单位（盖章）：",
        "填报人：            联系电话：",  # blank space to write in
        "填报日期：    年  月  日",
        "填报人：张三联系电话：021-64110000",  # no space: whose characters are whose?
        "单位：万元",
        "1.本表金额：按万元填写",
        "备注：无",
    ],
)
def test_a_line_below_the_table_without_a_field_prints_as_on_the_form(tmp_path, line):
    form = below_form(tmp_path / "普法.docx", rows=[], lines=[para(line)])
    import_forms([form], tmp_path / "projects")
    assert "其他栏目" not in imported(tmp_path / "projects" / "普法.yaml")
    make_template(form, tmp_path / "templates")
    built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert docx_paragraphs((tmp_path / "out" / "普法.docx").read_bytes())[-1] == line


# ---------------------------------------------------------------- gen build: rows and entries


def district_projects(tmp_path: Path) -> tuple[Path, Path]:
    """A template made from the district's form, and a folder for its projects whose
    _defaults.yaml gives the rows every project shares."""
    make_template(district_form(tmp_path / "普法.docx"), tmp_path / "templates")
    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "_defaults.yaml").write_text(
        "其他栏目:\n  主管部门代码: '017'\n  联系电话: 021-64110000\n", encoding="utf-8"
    )
    return tmp_path / "templates", folder


def test_a_row_the_project_gives_no_entry_for_prints_blank_with_a_warning(tmp_path):
    templates, folder = district_projects(tmp_path)
    text = good_project("普法") + "其他栏目:\n  项目负责人: 张三\n  联系电话: 64110000\n"
    (folder / "普法.yaml").write_text(text, encoding="utf-8")
    key_line = text.splitlines().index("其他栏目:") + 1
    for _ in range(2):  # built, then unchanged: said both times
        result = build([folder], BuildOptions(out_dir=tmp_path / "out", templates=templates))
        assert [(f.file, f.line, f.path, f.level, f.message) for f in result.findings] == [
            (
                folder / "普法.yaml",
                key_line,
                "其他栏目",
                "warning",
                f"模板 {templates / '绩效目标表.docx'} 印 其他栏目 的 联系人、项目类型，这个项目和它的 "
                "_defaults.yaml 都没有写，表上这几格印成空白；请在 其他栏目 下写上，如 联系人: …"
                "（确实不填的，写 联系人: 后面空着）",
            )
        ]
    rows = [
        ["\n".join(docx_cell_paragraphs(cell)) for cell in row.iter(f"{{{W_NS}}}tc")]
        for row in docx_rows((tmp_path / "out" / "普法.docx").read_bytes())
    ]
    assert rows[3:6] == [  # the project's own 联系电话 over the one of _defaults.yaml
        ["项目负责人", "张三", "联 系 电 话：", "64110000"],
        ["主管部门代码", "017", "联系人", ""],
        ["项目类型", "新增□  延续□"],
    ]
    strict = build(
        [folder], BuildOptions(out_dir=tmp_path / "o2", templates=templates, strict=True)
    )
    assert strict.exit_code == 1 and not (tmp_path / "o2" / "普法.docx").exists()


def test_a_project_without_other_rows_is_warned_at_its_first_line(tmp_path):
    templates, folder = district_projects(tmp_path)
    (folder / "_defaults.yaml").unlink()
    (folder / "普法.yaml").write_text(good_project("普法"), encoding="utf-8")
    result = build([folder], BuildOptions(out_dir=tmp_path / "out", templates=templates))
    assert [(f.line, f.path, f.message.split("，")[0]) for f in result.findings] == [
        (
            1,
            "其他栏目",
            f"模板 {templates / '绩效目标表.docx'} 印 其他栏目 的 项目负责人、联系电话、主管部门代码、联系人、项目类型",
        )
    ]


def test_an_entry_the_template_has_no_row_for_is_named(tmp_path):
    templates, folder = district_projects(tmp_path)
    text = good_project("普法") + (
        "其他栏目:\n  项目负责任人: 张三\n  联系人: 王五\n  项目类型: 新增\n  项目负责人: 张三\n"
    )
    (folder / "普法.yaml").write_text(text, encoding="utf-8")
    result = build([folder], BuildOptions(out_dir=tmp_path / "out", templates=templates))
    assert [(f.line, f.path, f.level, f.message) for f in result.findings] == [
        (
            text.splitlines().index("  项目负责任人: 张三") + 1,
            "其他栏目.项目负责任人",
            "warning",
            f"模板 {templates / '绩效目标表.docx'} 没有“项目负责任人”这一栏，这一项不会印出（模板印的是 "
            "项目负责人、联系电话、主管部门代码、联系人、项目类型）；如果是栏目名称与表上写的不同，请改成表上的名称",
        )
    ]
    # gen's own template prints no 其他栏目: each entry is named, those of _defaults.yaml there
    result = build([folder], BuildOptions(out_dir=tmp_path / "own"))
    assert [(f.file.name, f.path) for f in result.findings] == [
        ("_defaults.yaml", "其他栏目.主管部门代码"),
        ("_defaults.yaml", "其他栏目.联系电话"),
        ("普法.yaml", "其他栏目.项目负责任人"),
        ("普法.yaml", "其他栏目.联系人"),
        ("普法.yaml", "其他栏目.项目类型"),
        ("普法.yaml", "其他栏目.项目负责人"),
    ]
    assert "（这个模板不印 其他栏目）" in result.findings[0].message


# ---------------------------------------------------------------- gen diff


def test_a_changed_entry_is_listed_and_a_tracked_change_in_its_cell(tmp_path, runner, monkeypatch):
    templates, folder = district_projects(tmp_path)
    text = (
        good_project("普法") + "其他栏目:\n  项目负责人: 张三\n  联系人: 王五\n  项目类型: 延续\n"
    )
    for side, phone in (("old", "021-64110000"), ("new", "021-64110001")):
        (tmp_path / side).mkdir()
        shutil.copy(folder / "_defaults.yaml", tmp_path / side / "_defaults.yaml")
        changed = text if side == "old" else text.replace("项目类型: 延续", "项目类型: 新增")
        written = changed + f"  联系电话: '{phone}'\n"
        (tmp_path / side / "普法.yaml").write_text(written, encoding="utf-8")
    redline = tmp_path / "r.docx"
    arguments = ["old", "new", "--docx", str(redline), "--templates", str(templates)]
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["diff", *arguments])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[3:5] == [
        "  其他栏目.联系电话: 021-64110000 → 021-64110001",
        "  其他栏目.项目类型: 延续 → 新增",
    ]
    rows = docx_rows(redline.read_bytes())
    assert [row.find(f".//{{{W_NS}}}del") is not None for row in rows[3:6]] == [True, False, True]
    assert [resolved(row) for row in (rows[3], rows[5])] == [
        ("项目负责人张三联 系 电 话：021-64110000", "项目负责人张三联 系 电 话：021-64110001"),
        ("项目类型新增□  延续☑", "项目类型新增☑  延续□"),
    ]


def resolved(row) -> tuple[str, str]:
    """A redline row's text with every change rejected, and with every change accepted."""
    rejected, accepted = [], []
    for node in row.iter(f"{{{W_NS}}}t", f"{{{W_NS}}}delText"):
        inserted = any(a.tag == f"{{{W_NS}}}ins" for a in node.iterancestors())
        if node.tag == f"{{{W_NS}}}delText" or not inserted:
            rejected.append(node.text or "")
        if node.tag == f"{{{W_NS}}}t":
            accepted.append(node.text or "")
    return "".join(rejected), "".join(accepted)


def test_gens_own_templates_print_a_project_the_same_with_or_without_other_rows(tmp_path):
    plain = tmp_path / "plain" / "社工.yaml"
    other = tmp_path / "other" / "社工.yaml"
    for path, extra in ((plain, ""), (other, "其他栏目:\n  项目负责人: 张三\n")):
        path.parent.mkdir()
        path.write_text(good_project() + extra, encoding="utf-8")
        result = build([path.parent], BuildOptions(out_dir=path.parent / "out"))
        assert not result.failed
    forms = [path.parent / "out" / "社工.docx" for path in (plain, other)]
    assert forms[0].read_bytes() == forms[1].read_bytes()


# ---------------------------------------------------------------- a label and its value in one cell

INLINE_ROWS = [
    tr(tc("项目负责人：张三", span=2), tc("联 系 电 话:\n021-64110000", span=3)),
    tr(tc(run("项目类型：□新增 ☑延续"), span=5, raw=True)),
]


def test_a_row_written_with_its_value_in_one_cell_is_read_and_printed_after_the_colon(tmp_path):
    form = district_form(tmp_path / "普法.docx", INLINE_ROWS)
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["其他栏目"] == {
        "项目负责人": "张三",
        "联系电话": "021-64110000",
        "项目类型": "延续",
    }
    made = make_template(form, tmp_path / "templates")
    assert (
        made.note is not None
        and "项目负责人、联系电话、项目类型 是项目文件里没有的栏目" in made.note
    )
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert rows[3:5] == [
        ["项目负责人：张三", "联 系 电 话:\n021-64110000"],
        ["项目类型：□新增 ☑延续"],
    ]
    project = tmp_path / "projects" / "普法.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("项目类型: 延续", "项目类型: 新增"), encoding="utf-8")
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out2")
    assert rows[4] == ["项目类型：☑新增 □延续"]


NOT_ROWS = [
    tr(tc("注：联系电话请填写座机号码。", span=5)),
    tr(tc("说明"), tc("联系电话请填写座机", span=4)),
    tr(tc("（单位：万元）", span=2), tc("联系电话：请填写座机", span=3)),
    tr(tc(run("项目类型：新增□ 延续☑"), span=5, raw=True)),
]


def test_notes_units_and_inline_boxes_not_told_apart_are_no_rows_of_the_districts(tmp_path):
    form = district_form(tmp_path / "普法.docx", NOT_ROWS)
    report = import_forms([form], tmp_path / "projects")
    assert "其他栏目" not in imported(tmp_path / "projects" / "普法.yaml")
    (note,) = report.notes  # listed as not imported, and printed as they are by a template
    assert "“注：联系电话请填写座机号码。”" in note.message
    assert "等 6 格 不在任何认得的标签旁边，没有导入" in note.message
    make_template(form, tmp_path / "templates")
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert rows[3:7] == [
        ["注：联系电话请填写座机号码。"],
        ["说明", "联系电话请填写座机"],
        ["（单位：万元）", "联系电话：请填写座机"],
        ["项目类型：新增□ 延续☑"],
    ]


def test_a_type_written_as_text_beside_the_category_is_a_row_of_the_districts(tmp_path):
    # 项目类型 | 延续项目 on a form that has its own 项目类别: no second 项目类别, but an entry
    form = district_form(tmp_path / "普法.docx", [tr(tc("项目类型"), tc("延续项目", span=4))])
    report = import_forms([form], tmp_path / "projects")
    assert report.problems == [] and report.notes == []
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert data["项目类别"] == "经常性项目" and data["其他栏目"] == {"项目类型": "延续项目"}
    make_template(form, tmp_path / "templates")
    project = tmp_path / "projects" / "普法.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("项目类型: 延续项目", "项目类型: 新增项目"), encoding="utf-8")
    rows = built_rows(tmp_path / "projects", tmp_path / "templates", tmp_path / "out")
    assert rows[3] == ["项目类型", "新增项目"]

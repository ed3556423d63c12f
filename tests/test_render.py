"""Rendering hand-made contexts with the real templates, read back cell by cell."""

from __future__ import annotations

import importlib.util
import io
import shutil
import sys
import zipfile
from pathlib import Path

import docx
import jinja2
import pytest
from docx_grid import (
    NS,
    docx_cell_paragraphs,
    docx_grid,
    docx_paragraphs,
    docx_part,
    docx_rows,
    docx_run_fonts,
    docx_runs,
    docx_tables,
    w,
)
from lxml import etree

from gen import render
from gen.characters import XML_ILLEGAL
from gen.docxtpl_tags import GroupMergeTemplate
from gen.errors import GenError
from gen.render import Renderer, core_properties
from gen.tags import group_merge_cells
from gen.vocabulary import AMOUNT_UNITS

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
BOX_FONT = "Segoe UI Symbol"
A4_LEAST_SIDE_MARGIN = 850  # 1.5 cm: clear of what any printer leaves unprinted

C = "continue"
R = "restart"
BELOW = ("", 1, C)


def indicator(
    level1: str, level2: str, level3: str, value: str, new1: bool = False, new2: bool = False
):
    """One 指标行 entry; a new 一级 group always starts a new 二级 group."""
    return {
        "一级": level1,
        "二级": level2,
        "三级": level3,
        "值": value,
        "一级起": new1,
        "二级起": new1 or new2,
    }


# Groups chosen to catch merging by text: 数量指标 twice in a row as two groups, a one-row
# 二级 group, 时效指标 on both sides of a 一级 boundary, a one-row 一级 group.
INDICATORS = [
    indicator("产出指标", "数量指标", "社工数量", "118人", new1=True),
    indicator("产出指标", "数量指标", "开展活动次数", "≥8次"),
    indicator("产出指标", "数量指标", "覆盖人数", "500人", new2=True),
    indicator("产出指标", "时效指标", "资金支付及时性", "每月", new2=True),
    indicator("效益指标", "时效指标", "长效管理机制", "建立健全", new1=True),
    indicator("效益指标", "社会效益指标", "保障辖区稳定性", "保障", new2=True),
    indicator("满意度指标", "服务对象满意度指标", "社工满意度", "100%", new1=True),
]

INDICATOR_GRID = [
    [BELOW, ("产出指标", 1, R), ("数量指标", 1, R), ("社工数量", 1, None)],
    [BELOW, BELOW, BELOW, ("开展活动次数", 1, None)],
    [BELOW, BELOW, ("数量指标", 1, R), ("覆盖人数", 1, None)],
    [BELOW, BELOW, ("时效指标", 1, R), ("资金支付及时性", 1, None)],
    [BELOW, ("效益指标", 1, R), ("时效指标", 1, R), ("长效管理机制", 1, None)],
    [BELOW, BELOW, ("社会效益指标", 1, R), ("保障辖区稳定性", 1, None)],
    [BELOW, ("满意度指标", 1, R), ("服务对象满意度指标", 1, R), ("社工满意度", 1, None)],
]


def context(**changes):
    """A complete render context (as model.render_context builds it), with some values replaced."""
    base = {
        "年度": "2026",
        "金额单位": "万元",
        "项目名称": "社工",
        "主管部门": "浦江镇人民政府",
        "实施单位": "浦江镇社区党群服务中心",
        "项目类别": "经常性项目",
        "项目性质": "",
        "类别框": {"专项资金": "☐", "经常性项目": "☑", "一次性项目": "☐"},
        "计划开始日期": "2026-01-01",
        "计划完成日期": "2026-12-31",
        "项目资金总额": "3,082.53",
        "财政资金": "3,000.00",
        "其他资金": "82.53",
        "年度资金申请总额": "3,082.53",
        "当年财政拨款": "3,080.00",
        "上年结转资金": "2.53",
        "年度其他资金": "",
        "项目期间": "2026年-2027年",
        "项目总目标": ["第一段目标。", "第二段目标。"],
        "年度总体目标": ["年度目标。"],
        "指标行": INDICATORS,
    }
    base.update(changes)
    return base


def application_context(**changes):
    """A context for 绩效目标申报表."""
    values = {"项目性质": "经常性项目", "项目类别": "运转类项目"}
    values.update(changes)
    return context(**values)


@pytest.fixture(scope="module")
def renderer():
    return Renderer(TEMPLATES)


@pytest.fixture(scope="module")
def target(renderer):
    return renderer.render("绩效目标表", context())


@pytest.fixture(scope="module")
def application(renderer):
    return renderer.render("绩效目标申报表", application_context())


def test_target_form_grid(target):
    """绩效目标表: every cell, span and merge of LAYOUT.md, rows 1–10 and the indicators."""
    expected = [
        [("项目名称", 1, None), ("社工", 1, None), ("项目类别", 1, None),
         ("专项资金☐ 经常性项目☑ 一次性项目☐", 2, None)],
        [("主管部门", 1, None), ("浦江镇人民政府", 1, None), ("实施单位", 1, None),
         ("浦江镇社区党群服务中心", 2, None)],
        [("计划开始日期", 1, None), ("2026-01-01", 1, None), ("计划完成日期", 1, None),
         ("2026-12-31", 2, None)],
        [("项目资金 (万元)", 1, R), ("项目资金总额", 1, None), ("3,082.53", 1, None),
         ("年度资金申请总额", 1, None), ("3,082.53", 1, None)],
        [BELOW, ("其中：财政资金", 1, R), ("3,000.00", 1, R), ("其中：当年财政拨款", 1, None),
         ("3,080.00", 1, None)],
        [BELOW, BELOW, BELOW, ("上年结转资金", 1, None), ("2.53", 1, None)],
        [BELOW, ("其他资金", 1, None), ("82.53", 1, None), ("其他资金", 1, None), ("", 1, None)],
        [("项目绩效目标", 1, R), ("项目总目标 (2026年-2027年)", 2, None), ("年度总体目标", 2, None)],
        [BELOW, ("第一段目标。\n第二段目标。", 2, None), ("年度目标。", 2, None)],
        [("绩效指标", 1, R), ("一级指标", 1, None), ("二级指标", 1, None), ("三级指标", 1, None),
         ("年度指标值", 1, None)],
    ]  # fmt: skip
    values = [row["值"] for row in INDICATORS]
    indicators = [cells + [(v, 1, None)] for cells, v in zip(INDICATOR_GRID, values, strict=True)]
    assert docx_grid(target) == expected + indicators


def test_application_form_grid(application):
    """绩效目标申报表: 6 columns, 项目性质/项目类别 as text, E–F merged from row 4 down."""
    expected = [
        [("项目名称", 1, None), ("社工", 1, None), ("项目性质", 1, None), ("经常性项目", 1, None),
         ("项目类别", 1, None), ("运转类项目", 1, None)],
        [("主管部门", 1, None), ("浦江镇人民政府", 1, None), ("实施单位", 1, None),
         ("浦江镇社区党群服务中心", 3, None)],
        [("计划开始日期", 1, None), ("2026-01-01", 1, None), ("计划完成日期", 1, None),
         ("2026-12-31", 3, None)],
        [("项目资金 (万元)", 1, R), ("项目资金总额", 1, None), ("3,082.53", 1, None),
         ("年度资金申请总额", 1, None), ("3,082.53", 2, None)],
        [BELOW, ("其中：财政资金", 1, R), ("3,000.00", 1, R), ("其中：当年财政拨款", 1, None),
         ("3,080.00", 2, None)],
        [BELOW, BELOW, BELOW, ("上年结转资金", 1, None), ("2.53", 2, None)],
        [BELOW, ("其他资金", 1, None), ("82.53", 1, None), ("其他资金", 1, None), ("", 2, None)],
        [("项目绩效目标", 1, R), ("项目总目标", 2, None), ("年度总体目标", 3, None)],
        [BELOW, ("第一段目标。\n第二段目标。", 2, None), ("年度目标。", 3, None)],
        [("绩效指标", 1, R), ("一级指标", 1, None), ("二级指标", 1, None), ("三级指标", 1, None),
         ("年度指标值", 2, None)],
    ]  # fmt: skip
    values = [row["值"] for row in INDICATORS]
    indicators = [cells + [(v, 2, None)] for cells, v in zip(INDICATOR_GRID, values, strict=True)]
    assert docx_grid(application) == expected + indicators


@pytest.mark.parametrize("form", ["target", "application"])
def test_title_and_year_line(form, request):
    title = {"target": "财政项目支出绩效目标表", "application": "财政项目支出绩效目标申报表"}[form]
    assert docx_paragraphs(request.getfixturevalue(form))[:2] == [title, "(2026年度)"]


@pytest.mark.parametrize("form", ["target", "application"])
def test_title_runs_are_set_in_the_title_font_body_in_the_body_font(form, request):
    data = request.getfixturevalue(form)
    title, year = docx_part(data).findall(".//w:body/w:p", NS)[:2]
    assert {docx_run_fonts(r)["eastAsia"] for r in title.findall("w:r", NS)} == {"黑体"}
    assert {docx_run_fonts(r)["eastAsia"] for r in year.findall("w:r", NS)} == {"宋体"}


def test_neighbouring_level1_groups_with_the_same_name_stay_separate(renderer):
    rows = [
        indicator("产出指标", "数量指标", "甲", "1", new1=True),
        indicator("产出指标", "数量指标", "乙", "2", new1=True),
    ]
    grid = docx_grid(renderer.render("绩效目标表", context(指标行=rows)))
    assert [row[1:3] for row in grid[10:]] == [
        [("产出指标", 1, R), ("数量指标", 1, R)],
        [("产出指标", 1, R), ("数量指标", 1, R)],
    ]


def test_first_indicator_row_always_starts_its_groups(renderer):
    """A context whose first row lacks the start flags still cannot merge into the header row."""
    rows = [indicator("产出指标", "数量指标", "甲", "1")]
    grid = docx_grid(renderer.render("绩效目标表", context(指标行=rows)))
    assert grid[10][:3] == [BELOW, ("产出指标", 1, R), ("数量指标", 1, R)]


def test_no_indicators_leaves_the_header_row(renderer):
    grid = docx_grid(renderer.render("绩效目标表", context(指标行=[])))
    assert len(grid) == 10
    assert grid[-1][0] == ("绩效指标", 1, R)


def test_group_merge_sits_in_schema_order(target):
    """vMerge after tcW (and gridSpan), before vAlign, as Word requires."""
    for row in docx_rows(target):
        for cell in row.findall("w:tc", NS):
            names = [child.tag.split("}")[1] for child in cell.find("w:tcPr", NS)]
            order = ["tcW", "gridSpan", "vMerge", "vAlign"]
            assert names == [name for name in order if name in names]


def test_checkbox_glyphs_use_the_symbol_font_on_every_slot(renderer):
    data = renderer.render(
        "绩效目标表",
        context(类别框={"专项资金": "☑", "经常性项目": "☐", "一次性项目": "☐"}),
    )
    boxes = [run for run in docx_runs(data) if run.findtext("w:t", namespaces=NS) in ("☐", "☑")]
    assert [run.findtext("w:t", namespaces=NS) for run in boxes] == ["☑", "☐", "☐"]
    for run in boxes:
        assert docx_run_fonts(run) == dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), BOX_FONT)
    assert docx_grid(data)[0][3].text == "专项资金☑ 经常性项目☐ 一次性项目☐"


@pytest.mark.parametrize("form", ["target", "application"])
def test_every_run_names_its_east_asian_font(form, request):
    data = request.getfixturevalue(form)
    runs = docx_runs(data)
    assert runs
    assert all(docx_run_fonts(run).get("eastAsia") for run in runs)
    defaults = docx_part(data, "word/styles.xml").find(
        ".//w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS
    )
    assert defaults.get(w("eastAsia")) == "宋体"
    assert not any(
        "Theme" in key for key in defaults.attrib
    )  # a theme font would win over eastAsia


@pytest.mark.parametrize("form", ["target", "application"])
def test_every_row_cannot_split_and_cells_are_centred(form, request):
    rows = docx_rows(request.getfixturevalue(form))
    assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
    cells = [cell for row in rows for cell in row.findall("w:tc", NS)]
    assert all(cell.find("w:tcPr/w:vAlign", NS).get(w("val")) == "center" for cell in cells)


@pytest.mark.parametrize(("form", "columns"), [("target", 5), ("application", 6)])
def test_one_fixed_table_filling_an_a4_text_width(form, columns, request):
    data = request.getfixturevalue(form)
    (table,) = docx_tables(data)
    widths = [int(col.get(w("w"))) for col in table.findall("w:tblGrid/w:gridCol", NS)]
    assert len(widths) == columns
    section = docx_part(data).find(".//w:body/w:sectPr", NS)
    size, margins = section.find("w:pgSz", NS), section.find("w:pgMar", NS)
    assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
    left, right = int(margins.get(w("left"))), int(margins.get(w("right")))
    assert left == right >= A4_LEAST_SIDE_MARGIN
    assert sum(widths) == 11906 - left - right
    assert table.find("w:tblPr/w:tblLayout", NS).get(w("type")) == "fixed"
    assert table.find("w:tblPr/w:tblW", NS).get(w("w")) == str(sum(widths))


def test_goals_print_one_paragraph_per_element(target):
    row = docx_rows(target)[8]
    total, annual = row.findall("w:tc", NS)[1:]
    assert docx_cell_paragraphs(total) == ["第一段目标。", "第二段目标。"]
    assert docx_cell_paragraphs(annual) == ["年度目标。"]


def test_an_empty_goal_list_still_leaves_a_paragraph_in_the_cell(renderer):
    row = docx_rows(renderer.render("绩效目标表", context(项目总目标=[])))[8]
    assert docx_cell_paragraphs(row.findall("w:tc", NS)[1]) == [""]


@pytest.mark.parametrize("form", ["target", "application"])
def test_python_docx_opens_the_output(form, request):
    document = docx.Document(io.BytesIO(request.getfixturevalue(form)))
    assert len(document.tables) == 1


def test_markup_in_values_prints_literally(renderer):
    text = "R&D <研发> {{ x }} {% if %} {_{ \"引号\" 'x'"
    rows = [indicator("产出指标", "数量指标", text, text, new1=True)]
    data = renderer.render("绩效目标表", context(项目名称=text, 项目总目标=[text], 指标行=rows))
    grid = docx_grid(data)
    assert grid[0][1].text == text
    assert grid[8][1].text == text
    assert [cell.text for cell in grid[10][3:]] == [text, text]
    assert docx_part(data, "docProps/core.xml").findtext("{*}title") == text


def test_line_break_inside_a_value_becomes_a_word_line_break(renderer):
    grid = docx_grid(renderer.render("绩效目标表", context(实施单位="甲单位\n乙单位")))
    assert grid[1][3].text == "甲单位\n乙单位"


def test_missing_variable_names_the_template(renderer):
    values = application_context()
    del values["项目性质"]
    with pytest.raises(GenError) as caught:
        renderer.render("绩效目标申报表", values)
    message = caught.value.message
    assert "绩效目标申报表.docx" in message
    assert "用到了 gen 不提供的占位符“项目性质”" in message


def test_missing_checkbox_key_names_the_template(renderer):
    with pytest.raises(GenError, match=r"绩效目标表\.docx.*一次性项目"):
        renderer.render("绩效目标表", context(类别框={"专项资金": "☐", "经常性项目": "☑"}))


def test_rerender_is_byte_identical():
    first = Renderer(TEMPLATES).render("绩效目标表", context())
    again = Renderer(TEMPLATES)
    assert again.render("绩效目标表", context()) == first
    assert again.render("绩效目标表", context()) == first
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_other_parts_are_copied_in_template_order(target):
    template = zipfile.ZipFile(TEMPLATES / "绩效目标表.docx")
    output = zipfile.ZipFile(io.BytesIO(target))
    assert output.namelist() == template.namelist()
    changed = {"word/document.xml", "docProps/core.xml"}
    for name in template.namelist():
        if name not in changed:
            assert output.read(name) == template.read(name), name
    core = output.read("docProps/core.xml").decode()
    assert "<dc:title>社工</dc:title>" in core
    assert "dcterms" not in core  # no timestamps


@pytest.mark.parametrize("title", ["社工", "", "R&D <研发> \"引号\" 'x' ]]>", "甲\r\n乙\t丙"])
def test_core_properties_are_what_lxml_writes(title):
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc = "http://purl.org/dc/elements/1.1/"
    root = etree.Element(f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc})
    etree.SubElement(root, f"{{{dc}}}title").text = title
    etree.SubElement(root, f"{{{dc}}}creator").text = "gen"
    expected = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    assert core_properties(title) == expected


def test_every_character_a_title_cannot_hold_is_refused_before_the_title_is_written(renderer):
    """core_properties needs no check of its own: render() refuses each such character first."""
    for char in XML_ILLEGAL.findall("".join(map(chr, range(sys.maxunicode + 1)))):
        with pytest.raises(GenError) as raised:
            renderer.render("绩效目标表", context(项目名称=f"甲{char}"))
        assert raised.value.message == (
            f"项目名称中有 Word 文档不能容纳的字符 U+{ord(char):04X}；请在项目文件中删除这个字符"
        )


def test_each_template_is_compiled_once(compiled_forms):
    renderer = Renderer(TEMPLATES)
    for _ in range(3):
        renderer.render("绩效目标表", context())
        renderer.render("绩效目标申报表", application_context())
    assert compiled_forms == ["绩效目标表", "绩效目标申报表"]


def test_unknown_form_is_an_error(renderer):
    with pytest.raises(GenError, match="未知的表样“总表”"):
        renderer.render("总表", context())


def test_missing_template_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr("gen.templates.INSTALLED", ())  # no installed copy to fall back on
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"找不到模板文件 {(tmp_path / '绩效目标表.docx').as_posix()}；"
        "请把 绩效目标表.docx 放进模板目录，或用 --templates 指定目录"
    )


def test_a_file_that_is_not_a_docx_is_named(tmp_path):
    (tmp_path / "绩效目标表.docx").write_text("不是 zip", encoding="utf-8")
    with pytest.raises(GenError, match=r"绩效目标表\.docx 不是有效的 Word 文档"):
        Renderer(tmp_path).render("绩效目标表", context())


def copy_template(tmp_path: Path, form: str, old: str, new: str) -> None:
    """Copy a template into tmp_path with one piece of document.xml replaced."""
    with zipfile.ZipFile(TEMPLATES / f"{form}.docx") as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(tmp_path / f"{form}.docx", "w") as target:
        for info, data in parts:
            if info.filename == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            target.writestr(info, data)


def test_template_syntax_error_names_the_file_and_the_place(tmp_path):
    copy_template(tmp_path, "绩效目标表", "{{ 主管部门 }}", "{% if 主管部门 %}")
    with pytest.raises(GenError) as caught:
        Renderer(tmp_path).render("绩效目标表", context())
    assert caught.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 有语法错误："
        "{% if %} 没有对应的 {% endif %}（出错位置附近的文字：“{% if 主管部门 %}”）；"
        "请在 Word 中打开模板改正占位符"
    )


def test_unknown_placeholder_in_a_template_names_the_file(tmp_path):
    copy_template(tmp_path, "绩效目标表", "{{ 主管部门 }}", "{{ 主管单位 }}")
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 用到了 gen 不提供的占位符“主管单位”"
        "（出错位置附近的文字：“{{ 主管单位 }}”）；请检查模板中的占位符名称是否拼写正确"
    )


def test_broken_output_xml_is_reported_not_repaired(tmp_path):
    """A row tag left inside a paragraph of text would drop half a row; strict parsing says so."""
    copy_template(tmp_path, "绩效目标表", "{%tr endfor %}", "{% endfor %}")
    with pytest.raises(GenError, match=r"绩效目标表\.docx 生成的文档不是有效的 XML"):
        Renderer(tmp_path).render("绩效目标表", context())


def test_a_control_character_computed_by_a_template_is_named_as_a_cause(tmp_path):
    copy_template(tmp_path, "绩效目标表", "{{ 主管部门 }}", "{{ '%c' % 1 }}")
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 生成的文档不是有效的 XML；"
        "请检查模板中 {%tr %}、{%p %} 等标签是否成对、各占一行或一段，"
        "以及占位符里的表达式是否算出了 Word 文档不能容纳的控制字符"
    )


# --- the groupmerge tag on hand-written cells ----------------------------------------------


def group_merge(cell_xml: str, starts: list[bool]) -> list[str]:
    """Render one patched cell in a loop; the cell XML of each iteration."""
    patched = GroupMergeTemplate().patch_xml(cell_xml)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string("{% for row in rows %}" + patched + "|{% endfor %}")
    return template.render(rows=[{"起": s, "名": "甲"} for s in starts]).split("|")[:-1]


def test_group_merge_adds_a_tcpr_when_there_is_none():
    cells = group_merge(
        "<w:tc><w:p><w:r><w:t>{% groupmerge row.起 %}{{ row.名 }}</w:t></w:r></w:p></w:tc>",
        [True, False],
    )
    assert cells == [
        '<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t xml:space="preserve">甲</w:t></w:r></w:p></w:tc>',
        '<w:tc><w:tcPr><w:vMerge w:val="continue"/></w:tcPr><w:p><w:r><w:t xml:space="preserve"></w:t></w:r></w:p></w:tc>',
    ]  # fmt: skip


def test_group_merge_replaces_an_existing_vmerge_after_gridspan():
    cell = (
        '<w:tc><w:tcPr><w:tcW w:w="1" w:type="dxa"/><w:vMerge/><w:gridSpan w:val="2"/>'
        '<w:vAlign w:val="center"/></w:tcPr><w:p><w:r><w:t>{% groupmerge row.起 %}</w:t></w:r>'
        "<w:r><w:t>{{ row.名 }}</w:t></w:r></w:p></w:tc>"
    )
    first, second = group_merge(cell, [False, False])
    assert '<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/><w:vAlign' in first
    assert first.count("vMerge") == 1
    assert "甲" in first  # loop.first always starts a group
    assert '<w:gridSpan w:val="2"/><w:vMerge w:val="continue"/><w:vAlign' in second
    assert "甲" not in second  # text split over runs is dropped in every run


def test_group_merge_fills_an_empty_tcpr():
    cells = group_merge(
        "<w:tc><w:tcPr/><w:p><w:r><w:t>{% groupmerge row.起 %}x</w:t></w:r></w:p></w:tc>", [True]
    )
    assert cells[0].startswith('<w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>')


def test_an_unclosed_group_merge_tag_stays_in_its_cell():
    """An unclosed tag is left for Jinja to tell; the next cell's tag is still its own."""
    unclosed = "<w:tc><w:p><w:r><w:t>{% groupmerge row.起</w:t></w:r></w:p></w:tc>"
    closed = "<w:tc><w:p><w:r><w:t>{% groupmerge row.起 %}{{ row.名 }}</w:t></w:r></w:p></w:tc>"
    patched = group_merge_cells(unclosed + closed)
    assert patched.startswith(unclosed)
    assert patched[len(unclosed) :].startswith(
        '<w:tc><w:tcPr>{% if loop.first or (row.起) %}<w:vMerge w:val="restart"/>'
    )


# --- making the templates ------------------------------------------------------------------


def load_make_templates(monkeypatch):
    """tools/make_templates.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "make_templates", ROOT / "tools" / "make_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_templates", module)  # dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_make_templates_writes_the_same_bytes_every_time(tmp_path, monkeypatch):
    make_templates = load_make_templates(monkeypatch)
    first = make_templates.write_templates(tmp_path / "a")
    second = make_templates.write_templates(tmp_path / "b")
    assert [p.name for p in first] == ["绩效目标表.docx", "绩效目标申报表.docx"]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


def _as_word_saves_it(text: str) -> str:
    """A tag split over runs the way Word splits it after an edit: new runs, a proofErr mark."""
    split = {
        "{{ 项目名称 }}": '{{ 项目</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>名称 }}',
        "{% groupmerge row.一级起 %}": "{% group</w:t></w:r><w:r><w:t>merge row.一级起 %}",
        "{{ row.二级 }}": "{{</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t> row.二级 }}",
    }
    for tag, pieces in split.items():
        assert tag in text
        text = text.replace(tag, pieces)
    return text


def test_tags_that_word_split_over_runs_still_render(tmp_path):
    edited = tmp_path / "templates"
    edited.mkdir()
    source = TEMPLATES / "绩效目标表.docx"
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(edited / source.name, "w") as copy:
        for item in package.infolist():
            data = package.read(item)
            if item.filename == "word/document.xml":
                data = _as_word_saves_it(data.decode("utf-8")).encode("utf-8")
            copy.writestr(item, data)
    expected = docx_grid(Renderer(TEMPLATES).render("绩效目标表", context()))
    assert docx_grid(Renderer(edited).render("绩效目标表", context())) == expected


def test_the_unit_label_follows_the_projects_unit(renderer):
    assert docx_grid(renderer.render("绩效目标表", context()))[3][0].text == "项目资金 (万元)"
    for form in ("绩效目标表", "绩效目标申报表"):
        grid = docx_grid(renderer.render(form, application_context(金额单位="元")))
        assert grid[3][0].text == "项目资金 (元)"


def unit_refusal(path: Path, text: str, printed: str, unit: str, written: str | None = None) -> str:
    """The message refusing a project in `unit` under a template printing `printed` in `text`
    (as `written` there: 萬元 for 万元)."""
    return (
        f"模板 {path.as_posix()} 在{text}处把金额单位固定印作“{printed}”，"
        f"这个项目的金额单位（格式.金额单位）却是{unit}，印出来的金额会差一万倍；"
        f"请在 Word 中把模板里的“{written or printed}”改为 {{{{ 金额单位 }}}}（各项目印自己的单位），"
        f"或者在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: {printed}，"
        f"并把金额改写成以{printed}为单位"
    )


@pytest.mark.parametrize(
    ("old", "new", "text", "printed"),
    [
        ("项目资金 ({{ 金额单位 }})", "项目资金 (万元)", "“项目资金 (万元)”", "万元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（元）", "“项目资金（元）”", "元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（单位：元）", "“项目资金（单位：元）”", "元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（ 元 ）", "“项目资金（ 元 ）”", "元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（万　元）", "“项目资金（万　元）”", "万元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（单位：RMB元）", "“项目资金（单位：RMB元）”", "元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（￥元）", "“项目资金（￥元）”", "元"),
        ("项目资金 ({{ 金额单位 }})", "项目资金（万元整）", "“项目资金（万元整）”", "万元"),
        # the year tag is shown as "…": the message quotes what reads in the paragraph
        ("({{ 年度 }}年度)", "({{ 年度 }}年度)  金额单位：万元", "“(…年度)  金额单位：万元”", "万元"),
        ("({{ 年度 }}年度)", "({{ 年度 }}年度) 单位:元", "“(…年度) 单位:元”", "元"),
    ],
)  # fmt: skip
def test_a_template_printing_a_unit_as_text_refuses_projects_in_the_other(
    tmp_path, old, new, text, printed
):
    copy_template(tmp_path, "绩效目标表", old, new)
    renderer = Renderer(tmp_path)  # a template made from a form, or edited in Word
    other = "元" if printed == "万元" else "万元"
    assert docx_grid(renderer.render("绩效目标表", context(金额单位=printed)))[0][1].text == "社工"
    with pytest.raises(GenError) as raised:
        renderer.render("绩效目标表", context(金额单位=other))
    assert raised.value.message == unit_refusal(tmp_path / "绩效目标表.docx", text, printed, other)


@pytest.mark.parametrize(
    ("new", "printed", "written"),
    [
        ("项目资金（萬元）", "万元", "萬元"),
        ("项目资金（圆）", "元", "圆"),
        ("项目资金（单位：人民币圆）", "元", "圆"),
        ("项目资金（万圆）", "万元", "万圆"),
        ("项目资金（万）", "万元", "万"),  # 万 alone: the tag in its place prints 万元 or 元
        ("项目资金（单位：万）", "万元", "万"),
    ],
)
def test_a_unit_printed_in_other_characters_is_checked_as_written(tmp_path, new, printed, written):
    """A template made from a form printing 萬元 or 圆 printed 元 amounts under 萬元 unchecked."""
    copy_template(tmp_path, "绩效目标表", "项目资金 ({{ 金额单位 }})", new)
    renderer = Renderer(tmp_path)
    other = "元" if printed == "万元" else "万元"
    assert docx_grid(renderer.render("绩效目标表", context(金额单位=printed)))[3][0].text == new
    with pytest.raises(GenError) as raised:
        renderer.render("绩效目标表", context(金额单位=other))
    path = tmp_path / "绩效目标表.docx"
    assert raised.value.message == unit_refusal(path, f"“{new}”", printed, other, written)


@pytest.mark.parametrize(
    "header",
    [
        "计量单位（元）",
        "度量单位(万元)",
        "计量单位</w:t></w:r></w:p><w:p><w:r><w:t>（元）",  # wrapped by hand in its cell
    ],
    ids=["one-line", "ascii", "two-lines"],
)
def test_an_indicator_unit_header_is_no_amount_unit(tmp_path, header):
    """计量单位（元） heads the indicators' units: it refused every project in 万元 (or 元)."""
    copy_template(tmp_path, "绩效目标表", "<w:t>年度指标值</w:t>", f"<w:t>{header}</w:t>")
    renderer = Renderer(tmp_path)
    for unit in AMOUNT_UNITS:
        assert docx_grid(renderer.render("绩效目标表", context(金额单位=unit)))[0][1].text == "社工"


def test_a_unit_wrapped_in_its_label_cell_is_quoted_whole(tmp_path):
    """The cell's paragraphs are read as one text: “项目资金” over “（元）” states 元."""
    wrapped = "项目资金</w:t></w:r></w:p><w:p><w:r><w:t>（元）"
    copy_template(tmp_path, "绩效目标表", "项目资金 ({{ 金额单位 }})", wrapped)
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    path = tmp_path / "绩效目标表.docx"
    assert raised.value.message == unit_refusal(path, "“项目资金（元）”", "元", "万元")


def template_with_page(tmp_path: Path, name: str, runs: list[str]) -> Path:
    """The 绩效目标表 template with a page header or footer part of these runs' texts."""
    shutil.copy(TEMPLATES / "绩效目标表.docx", tmp_path)
    root = "hdr" if "header" in name else "ftr"
    texts = "".join(f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' for text in runs)
    part = f'<w:{root} xmlns:w="{NS["w"]}"><w:p>{texts}</w:p></w:{root}>'
    with zipfile.ZipFile(tmp_path / "绩效目标表.docx", "a") as package:
        package.writestr(name, part)
    return tmp_path / "绩效目标表.docx"


def test_a_unit_printed_in_a_page_header_counts_too(tmp_path):
    template_with_page(tmp_path, "word/header1.xml", ["单位：", "元"])
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == unit_refusal(
        tmp_path / "绩效目标表.docx", "页眉里的“单位：元”", "元", "万元"
    )


@pytest.mark.parametrize(
    ("new", "printed", "unit", "why"),
    [
        ("项目资金（千元）", "千元", "万元", "只能以元或万元为单位，这个项目的金额是万元，印出来的金额会差十倍"),
        ("项目资金（千元）", "千元", "元", "只能以元或万元为单位，这个项目的金额是元，印出来的金额会差一千倍"),
        ("项目资金（单位：人民币百万元）", "百万元", "元", "只能以元或万元为单位，这个项目的金额是元，印出来的金额会差一百万倍"),
        ("项目资金（亿元）", "亿元", "万元", "只能以元或万元为单位，这个项目的金额是万元，印出来的金额会差一万倍"),
        # another currency: printed 人民币 amounts under it without a word
        ("项目资金（美元）", "美元", "万元", "只能是人民币，以元或万元为单位，这个项目的金额是万元，印出来的金额会被当作美元"),
        ("项目资金（单位：港币）", "港币", "元", "只能是人民币，以元或万元为单位，这个项目的金额是元，印出来的金额会被当作港币"),
        ("项目资金（千美元）", "千美元", "元", "只能是人民币，以元或万元为单位，这个项目的金额是元，印出来的金额会被当作千美元"),
        ("项目资金（USD）", "USD", "万元", "只能是人民币，以元或万元为单位，这个项目的金额是万元，印出来的金额会被当作USD"),
    ],
)  # fmt: skip
def test_a_template_printing_a_unit_gen_does_not_print_refuses_every_project(
    tmp_path, new, printed, unit, why
):
    """A template edited to print 千元 would print 万元 (or 元) amounts under it: never built."""
    copy_template(tmp_path, "绩效目标表", "项目资金 ({{ 金额单位 }})", new)
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context(金额单位=unit))
    assert raised.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 在“{new}”处把金额单位固定印作“{printed}”，"
        f"gen 的金额{why}；"
        f"请在 Word 中把模板里的“{printed}”改为 {{{{ 金额单位 }}}}（各项目印自己的单位）"
    )


def test_a_template_printing_a_power_of_ten_alone_refuses_it_as_its_unit(tmp_path):
    """项目资金（千） is 千元, as 项目资金（万） is 万元: 万元 amounts were printed under it."""
    copy_template(tmp_path, "绩效目标表", "项目资金 ({{ 金额单位 }})", "项目资金（千）")
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context(金额单位="万元"))
    assert raised.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 在“项目资金（千）”处把金额单位固定印作“千元”，"
        "gen 的金额只能以元或万元为单位，这个项目的金额是万元，印出来的金额会差十倍；"
        "请在 Word 中把模板里的“千”改为 {{ 金额单位 }}（各项目印自己的单位）"
    )


def test_tags_in_a_page_header_and_footer_are_filled_in(tmp_path):
    """As docxtpl does: “{{ 年度 }}年度” in a header prints the project's year, not the tag."""
    template_with_page(tmp_path, "word/header1.xml", ["{", "{ 年度 }}年度  ", "{{ 实施单位 }}"])
    footer = f'<w:ftr xmlns:w="{NS["w"]}"><w:p><w:r><w:t>第 1 页</w:t></w:r></w:p></w:ftr>'
    with zipfile.ZipFile(tmp_path / "绩效目标表.docx", "a") as package:
        package.writestr("word/footer2.xml", footer)
    built = zipfile.ZipFile(
        io.BytesIO(Renderer(tmp_path).render("绩效目标表", context(年度="2027")))
    )
    header = etree.fromstring(built.read("word/header1.xml"))
    assert "".join(header.itertext()) == "2027年度  浦江镇社区党群服务中心"
    assert built.read("word/footer2.xml") == footer.encode()  # no tag: copied as it is


def test_a_syntax_error_in_a_page_footer_names_the_template(tmp_path):
    template_with_page(tmp_path, "word/footer1.xml", ["第 {{ 页码 } 页"])
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message.startswith(
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 有语法错误："
    )
    assert "第 {{ 页码 } 页" in raised.value.message


def test_a_failing_expression_in_a_page_header_names_the_template_and_its_text(tmp_path):
    template_with_page(tmp_path, "word/header2.xml", ["{{ 年度 | int // 0 }}年度"])
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 无法填入数据：除数为零"
        "（出错位置附近的文字：“{{ 年度 | int // 0 }}年度”）；"
        "请检查模板中占位符里的表达式，或换回 gen 自带的模板"
    )


def test_a_damaged_page_footer_names_the_template_and_the_part(tmp_path):
    shutil.copy(TEMPLATES / "绩效目标表.docx", tmp_path)
    with zipfile.ZipFile(tmp_path / "绩效目标表.docx", "a") as package:
        package.writestr("word/footer1.xml", "<w:ftr>{{ 年度 }</w:ft")
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"模板文件 {(tmp_path / '绩效目标表.docx').as_posix()} 已损坏：word/footer1.xml 不是有效的 XML；"
        "请在 Word 中打开并另存模板，或换回 gen 自带的模板"
    )


def test_words_that_only_contain_yuan_state_no_unit(tmp_path):
    copy_template(
        tmp_path,
        "绩效目标表",
        "({{ 年度 }}年度)",
        "({{ 年度 }}年度 元旦前报送，单位名称：{{ 实施单位 }})",
    )
    for unit in ("元", "万元"):
        Renderer(tmp_path).render("绩效目标表", context(金额单位=unit))


def test_a_value_a_document_cannot_hold_is_named_not_blamed_on_the_template(renderer):
    values = context()
    values["项目总目标"] = ["保障\v社工"]
    with pytest.raises(GenError) as raised:
        renderer.render("绩效目标表", values)
    assert (
        raised.value.message
        == "项目总目标中有 Word 文档不能容纳的字符 U+000B；请在项目文件中删除这个字符"
    )
    values = context()
    values["指标行"] = [{**values["指标行"][0], "值": "\ud800"}]
    with pytest.raises(GenError, match="^绩效指标中有 Word 文档不能容纳的字符 U[+]D800；"):
        renderer.render("绩效目标表", values)


def test_a_broken_template_is_read_once_and_fails_every_project_alike(tmp_path, compiled_forms):
    (tmp_path / "绩效目标表.docx").write_bytes(b"PK\x03\x04 broken")
    renderer = Renderer(tmp_path)
    messages = set()
    for _ in range(3):
        with pytest.raises(GenError) as raised:
            renderer.render("绩效目标表", context())
        messages.add(raised.value.message)
    assert compiled_forms == ["绩效目标表"]
    assert messages == {
        f"模板文件 {(tmp_path / '绩效目标表.docx').as_posix()} 不是有效的 Word 文档（.docx），"
        "可能已损坏；请在 Word 中打开它另存为 .docx，或换回 gen 自带的模板"
    }


def test_a_template_expression_that_raises_names_the_template(tmp_path):
    copy_template(tmp_path, "绩效目标表", "{{ 主管部门 }}", "{{ 主管部门 | int // 0 }}")
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"模板 {(tmp_path / '绩效目标表.docx').as_posix()} 无法填入数据：除数为零"
        "（出错位置附近的文字：“{{ 主管部门 | int // 0 }}”）；"
        "请检查模板中占位符里的表达式，或换回 gen 自带的模板"
    )


def test_an_unforeseen_failure_while_compiling_names_the_template(tmp_path, monkeypatch):
    shutil.copy(TEMPLATES / "绩效目标表.docx", tmp_path)
    monkeypatch.setattr(render, "jinja_source", lambda xml: 1 / 0)
    with pytest.raises(GenError) as raised:
        Renderer(tmp_path).render("绩效目标表", context())
    assert raised.value.message == (
        f"模板文件 {(tmp_path / '绩效目标表.docx').as_posix()} 无法读取"
        "（ZeroDivisionError: division by zero）；请在 Word 中打开并重新保存模板，或换回 gen 自带的模板"
    )

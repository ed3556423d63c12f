"""Balanced lines: a value that would leave a character or two alone on its last line."""

from __future__ import annotations

import zipfile

import jinja2
import pytest
from conftest import REPO, SAMPLES
from docx_grid import NS, docx_part, docx_rows, w
from lxml import etree

from gen.balance import (
    FILTER,
    WORD_CELL_MARGIN,
    FieldCell,
    balancing_indent,
    drop_balancing_indents,
    prepare,
)
from gen.build import BuildOptions, build
from gen.importing.template import make_template
from gen.model import TEXT_FIELDS

TEMPLATES = REPO / "templates"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ROOM, EM = 1480, 210  # 项目名称 in the templates: 1600 twips less two margins of 60; 10.5 pt


def template_part(name: str, part: str) -> bytes:
    """A part of a shipped template."""
    with zipfile.ZipFile(TEMPLATES / name) as package:
        return package.read(part)


def document(cells: str, table_props: str = "") -> bytes:
    """A document.xml with one table row of the given cells."""
    return (
        f"<w:document {W}><w:body><w:tbl><w:tblPr>{table_props}</w:tblPr>"
        f"<w:tr>{cells}</w:tr></w:tbl></w:body></w:document>"
    ).encode()


CENTRED = '<w:jc w:val="center"/>'


def cell(text: str, width: str = '<w:tcW w:w="1600" w:type="dxa"/>', props: str = CENTRED) -> str:
    """A table cell holding one paragraph of one run, centred unless `props` say otherwise."""
    return (
        f"<w:tc><w:tcPr>{width}</w:tcPr><w:p><w:pPr>{props}</w:pPr>"
        f"<w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    )


def prepared(
    document: bytes, styles: bytes | None, fields: tuple[str, ...] = TEXT_FIELDS
) -> tuple[str, tuple[FieldCell, ...]]:
    """A template's document.xml prepared for balancing, and its cells."""
    root = etree.fromstring(document)
    cells = prepare(root, styles, fields)
    return etree.tostring(root, encoding="unicode"), cells


def test_the_templates_project_name_cell_is_measured_from_the_template():
    for name in ("绩效目标表.docx", "绩效目标申报表.docx"):
        _, cells = prepared(
            template_part(name, "word/document.xml"), template_part(name, "word/styles.xml")
        )
        assert FieldCell("项目名称", ROOM, EM) in cells
        assert FieldCell("主管部门", ROOM, EM) in cells


@pytest.mark.parametrize(
    ("value", "indent", "lines"),
    [
        ("社区矫正安置帮教", 267, "社区矫正/安置帮教"),  # 7 + 1 → 4 + 4
        ("一二三四五六七八九十一二三四五", 162, "5/5/5"),  # 7 + 7 + 1
        ("闵行区街区党组织服务群众专项经费", 57, "6/6/4"),  # 7 + 7 + 2
        ("第四届人民警察节升警旗暨鲁汇派出所新址揭牌仪式", 57, "6/6/6/5"),  # 7 + 7 + 7 + 2
        ("人才健康体检", 0, "one line"),
        ("浦江镇实有人口移动信息采集终端租赁服务", 0, "7/7/5: no stray"),
        ("社区矫正安置帮A", 0, "a Latin letter: widths unknown"),
        ("“两个实有”全覆盖", 0, "quotation marks: Word may set them in Times New Roman"),
    ],
)
def test_a_stray_tail_is_balanced_away_and_nothing_else(value, indent, lines):
    assert balancing_indent(value, ROOM, EM) == indent, lines


def test_only_text_is_balanced():
    assert balancing_indent(12345678, ROOM, EM) == 0
    assert balancing_indent(None, ROOM, EM) == 0


def test_the_indent_leaves_room_for_the_even_lines_and_no_more():
    for value, even in (("社区矫正安置帮教", 4), ("闵行区街区党组织服务群众专项经费", 6)):
        room = ROOM - 2 * balancing_indent(value, ROOM, EM)
        assert even * EM < room < (even + 1) * EM


def test_margins_and_font_size_come_from_the_cell_the_table_the_run_or_the_styles():
    styles = (
        f'<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/></w:rPr>'
        '</w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:styleId="Big">'
        '<w:rPr><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" '
        'w:styleId="Bigger"><w:basedOn w:val="Big"/></w:style></w:styles>'
    ).encode()
    table_margins = '<w:tblCellMar><w:left w:w="50"/><w:right w:w="70"/></w:tblCellMar>'
    cells = (
        cell("{{ 甲 }}")
        + cell("{{ 乙 }}", props='<w:pStyle w:val="Bigger"/>' + CENTRED)
        + cell("{{乙}}", '<w:tcW w:w="2000"/><w:tcMar><w:left w:w="0"/></w:tcMar>')
        + cell("{{ 丙 }}", '<w:tcW w:w="50" w:type="pct"/>')  # a percentage: not measured
        + cell("{{ 丁 }}", props='<w:ind w:left="100"/>' + CENTRED)  # indented: left alone
        + cell("项目 {{ 戊 }}")  # not a lone placeholder
    )
    assert prepared(document(cells, table_margins), styles, tuple("甲乙丙丁戊"))[1] == (
        FieldCell("甲", 1480, 240),
        FieldCell("乙", 1480, 280),
        FieldCell("乙", 1930, 240),
    )
    assert prepared(document(cell("{{ 甲 }}")), None, ("甲",))[1] == (
        FieldCell("甲", 1600 - 2 * WORD_CELL_MARGIN, 200),
    )


def test_the_paragraph_is_indented_where_the_schema_wants_it_only_when_its_value_needs_it():
    source, cells = prepared(
        document(
            cell("{{ 项目名称 }}", props='<w:pStyle w:val="CellValue"/><w:jc w:val="center"/>')
            + cell("{{ 主管部门 }}", props=""),  # no pPr children: centred by its style
            '<w:tblCellMar><w:left w:w="60"/><w:right w:w="60"/></w:tblCellMar>',
        ),
        f'<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="21"/></w:rPr>'
        '</w:rPrDefault><w:pPrDefault><w:pPr><w:jc w:val="center"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults></w:styles>".encode(),
    )
    assert cells == (FieldCell("项目名称", ROOM, EM), FieldCell("主管部门", ROOM, EM))
    env = jinja2.Environment()
    env.filters[FILTER] = balancing_indent
    rendered = env.from_string(source).render(项目名称="社区矫正安置帮教", 主管部门="人才办")
    first, second = etree.fromstring(rendered.encode()).iterfind(".//w:p", NS)
    assert [child.tag for child in first.find("w:pPr", NS)] == [w("pStyle"), w("ind"), w("jc")]
    ind = first.find("w:pPr/w:ind", NS)
    assert (ind.get(w("left")), ind.get(w("right"))) == ("267", "267")
    assert "".join(first.itertext()) == "社区矫正安置帮教"
    assert list(second.find("w:pPr", NS)) == []  # 0: no indent at all
    assert "".join(second.itertext()) == "人才办"


def test_a_built_form_balances_the_name_and_keeps_its_text(tmp_path):
    names = ("司法所/社区矫正安置帮教", "人才办/人才活动")
    report = build(
        [SAMPLES / f"{name}.yaml" for name in names],
        BuildOptions(out_dir=tmp_path, templates=TEMPLATES, jobs=1),
    )
    assert len(report.built) == 2
    indents = {}
    for name in names:
        data = (tmp_path / f"{name}.docx").read_bytes()
        name_cell = docx_rows(data)[0].findall("w:tc", NS)[1]
        assert "".join(name_cell.itertext()) == name.split("/")[1]
        ind = name_cell.find("w:p/w:pPr/w:ind", NS)
        indents[name] = None if ind is None else (ind.get(w("left")), ind.get(w("right")))
        assert len(docx_part(data).findall(".//w:ind", NS)) == (ind is not None)
    assert indents == {"司法所/社区矫正安置帮教": ("267", "267"), "人才办/人才活动": None}


def test_a_template_made_from_a_balanced_form_keeps_no_indent(tmp_path):
    build(
        [SAMPLES / "司法所/社区矫正安置帮教.yaml"],
        BuildOptions(out_dir=tmp_path / "out", templates=TEMPLATES, jobs=1),
    )
    form = tmp_path / "out/司法所/社区矫正安置帮教.docx"
    assert docx_part(form.read_bytes()).find(".//w:ind", NS) is not None
    made = make_template(form, tmp_path / "templates")
    name_cell = docx_rows(made.path.read_bytes())[0].findall("w:tc", NS)[1]
    assert "".join(name_cell.itertext()) == "{{ 项目名称 }}"
    assert name_cell.find(".//w:ind", NS) is None


def test_only_an_even_indent_and_nothing_else_is_taken_for_a_balancing_one():
    cells = etree.fromstring(
        document(
            cell("甲", props='<w:ind w:left="267" w:right="267"/>')
            + cell("乙", props='<w:ind w:left="100" w:right="200"/>')
            + cell("丙", props='<w:ind w:left="100" w:right="100" w:firstLine="210"/>')
        )
    ).findall(".//w:tc", NS)
    for tc in cells:
        drop_balancing_indents(tc)
    assert [tc.find(".//w:ind", NS) is not None for tc in cells] == [False, True, True]


def test_only_the_contexts_free_texts_are_balanced():
    cells = (
        cell("{%p for para in 项目总目标 %}")
        + cell("{{ para }}")  # a loop's value
        + cell("{{ 财政资金 }}")  # an amount
        + cell("{{ 项目名称 }}")
    )
    source, found = prepared(document(cells), None)
    assert [c.field for c in found] == ["项目名称"]
    assert source.count(FILTER) == 3  # the 项目名称 cell's if and its two sides only
    assert "项目名称" in TEXT_FIELDS and not {"para", "财政资金"} & set(TEXT_FIELDS)


def test_only_a_centred_paragraph_that_nothing_indents_is_prepared():
    styles = (
        f'<w:styles {W}><w:style w:type="paragraph" w:styleId="Centred"><w:pPr>'
        '<w:jc w:val="center"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Body">'
        '<w:basedOn w:val="Centred"/></w:style><w:style w:type="paragraph" w:styleId="Chinese">'
        '<w:basedOn w:val="Body"/><w:pPr><w:ind w:firstLineChars="200"/></w:pPr></w:style>'
        "</w:styles>"
    ).encode()
    fields = tuple("甲乙丙丁戊己")
    cells = (
        cell("{{ 甲 }}", props='<w:pStyle w:val="Body"/>')  # centred through its style chain
        + cell("{{ 乙 }}", props='<w:jc w:val="both"/>')  # Word's default: an indent would show
        + cell("{{ 丙 }}", props="")  # left-aligned
        + cell("{{ 丁 }}", props='<w:pStyle w:val="Chinese"/>')  # its style indents the first line
        + cell("{{ 戊 }}", props='<w:ind w:firstLine="420"/>' + CENTRED)  # indented here
        + cell("{{ 己 }}", '<w:tcW w:w="400" w:type="dxa"/>')  # room for less than two characters
    )
    source, found = prepared(document(cells), styles, fields)
    assert [c.field for c in found] == ["甲"]
    assert source.count(FILTER) == 3


def test_a_template_with_a_raw_block_is_left_as_it_is():
    cells = cell("{% raw %}{{ 项目名称 }}{% endraw %}") + cell("{{ 项目名称 }}")
    source, found = prepared(document(cells), None)
    assert found == () and FILTER not in source

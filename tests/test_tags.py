"""gen's own reading of template tags against docxtpl's: the same source wherever gen reads one."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, REPO
from docx_grid import docx_part
from docxtpl import DocxTemplate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gen.render import _document_source, read_package
from gen.tags import jinja_source, own_reading

TEMPLATES = REPO / "templates"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCXTPL = DocxTemplate(io.BytesIO())


def docxtpl_reading(xml: str) -> str:
    return DocxTemplate.patch_xml(DOCXTPL, xml)


def document(body: str) -> str:
    return f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def paragraph(*runs: str, attributes: str = "") -> str:
    return f"<w:p{attributes}>{''.join(runs)}</w:p>"


def run(text: str, preserve: bool = False, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    opening = '<w:t xml:space="preserve">' if preserve else "<w:t>"
    return f"<w:r>{props}{opening}{text}</w:t></w:r>"


def row(*cells: str) -> str:
    return (
        "<w:tr>"
        + "".join(f'<w:tc><w:tcPr><w:tcW w:w="1"/></w:tcPr>{c}</w:tc>' for c in cells)
        + "</w:tr>"
    )


def table(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"


# ---------------------------------------------------------------- what gen reads itself


@pytest.mark.parametrize("form", ["绩效目标表", "绩效目标申报表"])
def test_gen_reads_its_own_templates_as_docxtpl_does(form):
    path = TEMPLATES / f"{form}.docx"
    xml = _document_source(path, dict(read_package(path)))
    own = own_reading(xml)
    assert own is not None
    assert own == docxtpl_reading(xml)
    assert "{%tr" not in own and "{%p" not in own and "{% for row in 指标行 %}" in own


SPLIT_AND_MOVED = [
    # a placeholder Word split over three runs, a brace in a run of its own
    paragraph(run("名称：{"), run("{ 项目", bold=True), run("名称 }"), run("}")),
    # typographic quotes and an escaped < inside a tag, a spell-check mark inside it
    paragraph(
        run("{% if 项目类别 == “经常性” and 1 &lt; 2 %}"),
        '<w:proofErr w:type="spellStart"/>',
        run("☑{% endif %}"),
    ),
    # a row loop and a paragraph condition, the row tags in rows of their own
    table(
        row(paragraph(run("{%tr for row in 指标行 %}"))),
        row(
            paragraph(run("{{ row.名称 }}")),
            paragraph(run("{%p if row.备注 %}")),
            paragraph(run("x")),
        ),
        row(paragraph(run("{%p endif %}")), paragraph(run("{%tr endfor %}"))),
    ),
    # text before a tag in a bare w:t, and a bare w:t that holds none
    paragraph(run(" 单位： "), run("{{ 实施单位 }} ", preserve=True), run(" 元 ")),
    # a paragraph tag split over runs, with attributes on the paragraph
    paragraph(run("{%"), run("p if 年度 %"), run("}"), attributes=' w:rsidR="00A1"'),
    paragraph(run("{%p endif %}")),
]


@pytest.mark.parametrize("body", SPLIT_AND_MOVED)
def test_tags_split_over_runs_and_element_tags_read_as_docxtpl_does(body):
    xml = document(body)
    own = own_reading(xml)
    assert own is not None
    assert own == docxtpl_reading(xml)


def test_a_split_placeholder_is_joined_in_its_first_run():
    xml = document(paragraph(run("名称：{"), run("{ 项目", bold=True), run("名称 }"), run("}")))
    assert own_reading(xml) == document(
        '<w:p><w:r><w:t xml:space="preserve">名称：{{ 项目名称 }}</w:t></w:r></w:p>'
    )


def test_a_row_tag_takes_the_place_of_its_row():
    xml = document(
        table(row(paragraph(run("{%tr for row in 指标行 %}"))), row(paragraph(run("a"))))
    )
    assert own_reading(xml) == document(
        "<w:tbl><w:tblPr/>{% for row in 指标行 %}"
        '<w:tr><w:tc><w:tcPr><w:tcW w:w="1"/></w:tcPr><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr>'
        "</w:tbl>"
    )


# ---------------------------------------------------------------- what gen leaves to docxtpl

LEFT_TO_DOCXTPL = {
    "a cell tag": table(row(paragraph(run("{%tc for c in cs %}")))),
    "a run tag": paragraph(run("{%r if a %}x{%r endif %}")),
    "a rich-text placeholder": paragraph(run("{{r 名称 }}")),
    "a paragraph placeholder": paragraph(run("{{p 名称 }}")),
    "a comment": paragraph(run("{# 备注 #}")),
    "a tag that joins the text before it": paragraph(run("a")) + paragraph(run("{%- if a %}")),
    "docxtpl's vertical merge": table(row(paragraph(run("{% vm %}{{ a }}")))),
    "a column span": table(row(paragraph(run("{% colspan n %}")))),
    "a cell colour": table(row(paragraph(run("{% cellbg c %}")))),
    "a tag over two lines": paragraph(run("{{ a\n }}")),
    "a tag left open": paragraph(run("{{ a ")),
    "an empty placeholder, quotes after it": paragraph(run("{{}}‘甲’ {{ a }}")),
    "a tag inside another": paragraph(run("{{ a {{ b }} }}")),
    "two row tags in one row": table(
        row(paragraph(run("{%tr if a %}")), paragraph(run("{%tr if b %}")))
    ),
    "a row tag outside any row": paragraph(run("{%tr for r in rs %}")),
    "a row tag whose words hold a brace": table(row(paragraph(run("{%tr for r in {'a': 1} %}")))),
    "a paragraph tag with a tab after p": paragraph(run("{%p\tif a %}")),
}


@pytest.mark.parametrize("body", LEFT_TO_DOCXTPL.values(), ids=LEFT_TO_DOCXTPL.keys())
def test_tags_gen_does_not_read_itself_are_left_to_docxtpl(body):
    xml = document(body)
    assert own_reading(xml) is None
    assert jinja_source(xml) == docxtpl_reading(xml)


# ---------------------------------------------------------------- generated layouts

# What templates hold: text, placeholders, statements, quotes and escapes, Chinese and spaces
PLAIN = [
    "项目",
    "名称：",
    " ",
    "  a ",
    "‘",
    "{{ 项目名称 }}",
    "{{ row.名称 }}",
    "{{ '“引”' }}",
    "{% if a &lt; b %}",
    "{% endif %}",
    "{% groupmerge row.起 %}",
    "{{ 金额 &gt; 0 }}",
]
ELEMENT_TAGS = ["{%tr for row in rows %}", "{%tr endfor %}", "{%p if x %}", "{%p endif %}"]
# What can make a template docxtpl's to read: stray delimiters, its own tags, odd layouts
ODD = [
    "{",
    "}",
    "%",
    "#",
    "}}",
    "{%",
    "%}",
    "-",
    "\n",
    "{%tc x %}",
    "{{r x }}",
    "{# c #}",
    "{%- if a %}",
    "{% vm %}",
    "{%tr for r in {1: 2} %}",
    "{%p if a % 2 %}",
]
FUZZ = settings(
    deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
BETWEEN_RUNS = ["", '<w:proofErr w:type="spellStart"/>', '<w:bookmarkStart w:id="0" w:name="a"/>']


@st.composite
def paragraphs(draw, tokens: list[str]) -> str:
    """A paragraph of tokens, cut into runs at any places, with or without xml:space."""
    text = "".join(draw(st.lists(st.sampled_from(tokens), max_size=5)))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=4)))
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    runs = [
        draw(st.sampled_from(BETWEEN_RUNS)) + run(piece, draw(st.booleans()), draw(st.booleans()))
        for piece in pieces
    ]
    return paragraph(*runs, attributes=draw(st.sampled_from(["", ' w:rsidR="00A1"'])))


@st.composite
def tables(draw, tokens: list[str], nested: bool = True) -> str:
    """A table of 1–3 rows, a row now and then holding a row tag or a nested table."""
    rows = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.integers(0, 3)) == 0:
            rows.append(row(paragraph(run(draw(st.sampled_from(ELEMENT_TAGS[:2]))))))
            continue
        cells = []
        for _ in range(draw(st.integers(1, 2))):
            inside = draw(st.lists(blocks(tokens, tables_too=False), min_size=1, max_size=2))
            if nested and draw(st.integers(0, 5)) == 0:
                inside.append(draw(tables(tokens, nested=False)))
            cells.append("".join(inside))
        rows.append(row(*cells))
    return table(*rows)


def blocks(tokens: list[str], tables_too: bool = True) -> st.SearchStrategy[str]:
    """A paragraph, a paragraph tag in a paragraph of its own, or a table."""
    tagged = st.sampled_from(ELEMENT_TAGS[2:]).map(lambda tag: paragraph(run(tag)))
    kinds = [paragraphs(tokens), tagged, *([tables(tokens)] if tables_too else [])]
    return st.one_of(*kinds)


def bodies(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.lists(blocks(tokens), min_size=1, max_size=5).map("".join)


@settings(FUZZ, max_examples=400)
@given(bodies(PLAIN))
def test_templates_of_the_tags_gen_reads_are_read_by_gen_as_docxtpl_does(body):
    """However Word splits them over runs, placeholders, statements and row and paragraph tags
    in elements of their own are read by gen itself, and the same as docxtpl reads them."""
    xml = document(body)
    own = own_reading(xml)
    assert own is not None
    assert own == docxtpl_reading(xml)


@settings(FUZZ, max_examples=1500)
@given(bodies(PLAIN + ELEMENT_TAGS * 4 + ODD))
def test_wherever_gen_reads_a_template_itself_it_reads_it_as_docxtpl_does(body):
    """Any mix, stray delimiters and docxtpl's own tags too: gen's reading, when it gives one,
    is docxtpl's."""
    xml = document(body)
    own = own_reading(xml)
    if own is not None:
        assert own == docxtpl_reading(xml)


# ---------------------------------------------------------------- in a build

LOADS = """
import sys
from gen.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in ("docxtpl", "docx") if m in sys.modules))
"""


def built_loading(tmp_path: Path, templates: Path) -> tuple[subprocess.CompletedProcess, Path]:
    """`gen build` of one project with these templates in a process of its own: what it loaded."""
    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "a.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", LOADS, "build", "projects", "--templates", str(templates)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert "已生成 1 个" in done.stderr, done.stderr
    return done, tmp_path / "output" / "a.docx"


def test_a_build_with_gens_templates_loads_neither_docxtpl_nor_python_docx(tmp_path):
    done, _ = built_loading(tmp_path, TEMPLATES)
    assert done.stdout.strip().splitlines()[-1] == "LOADED:"


def test_a_template_with_a_tag_of_docxtpl_only_is_read_by_docxtpl(tmp_path):
    """A comment tag ({# #}) is docxtpl's to read: the form is built, without the comment."""
    templates = tmp_path / "templates"
    templates.mkdir()
    for form in ("绩效目标表", "绩效目标申报表"):
        with zipfile.ZipFile(TEMPLATES / f"{form}.docx") as source:
            parts = [(info, source.read(info)) for info in source.infolist()]
        with zipfile.ZipFile(templates / f"{form}.docx", "w") as target:
            for info, data in parts:
                if info.filename == "word/document.xml":
                    assert "{{ 主管部门 }}".encode() in data
                    data = data.replace(
                        "{{ 主管部门 }}".encode(), "{# 备注 #}{{ 主管部门 }}".encode()
                    )
                target.writestr(info, data)
    (tmp_path / "build").mkdir()
    done, form = built_loading(tmp_path / "build", templates)
    assert done.stdout.strip().splitlines()[-1] == "LOADED:docxtpl,docx"
    text = "".join(docx_part(form.read_bytes()).itertext())
    assert "浦江镇人民政府" in text
    assert "备注" not in text and "{#" not in text

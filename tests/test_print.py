"""How the forms print: grid widths, merges and theme as Word and WPS read them; pages and wraps."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SAMPLES
from docx_grid import NS, docx_cell_paragraphs, docx_part, docx_rows, docx_tables, w

from gen.build import BuildOptions, build
from gen.delivery.book import compose_book

TEMPLATES = REPO / "templates"
THEME_PART = "word/theme/theme1.xml"
THEME_TYPE = "application/vnd.openxmlformats-officedocument.theme+xml"
THEME_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
PROJECT_NAME_CELL = (0, 1)  # row 1, column B


def word_metrics() -> bool:
    """Whether LibreOffice lays Times New Roman out with its own widths (Liberation Serif has them)."""
    if shutil.which("fc-match") is None:
        return False
    found = subprocess.run(["fc-match", "Times New Roman"], capture_output=True, text=True)
    return "Liberation Serif" in found.stdout or "Times New Roman" in found.stdout


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
needs_word_metrics = pytest.mark.skipif(
    not word_metrics(),
    reason="no font with Times New Roman's widths, so lines wrap unlike Word: "
    "apt-get install fonts-liberation",
)


def load_tool(name: str):
    """A script of tools/ as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_forms(tmp_path_factory) -> list[Path]:
    """Every sample project built with the repository's templates."""
    out = tmp_path_factory.mktemp("forms")
    report = build([SAMPLES], BuildOptions(out_dir=out, templates=TEMPLATES, jobs=1))
    assert len(report.built) == 33
    return sorted(out.rglob("*.docx"))


def packages(sample_forms: list[Path]) -> list[tuple[str, bytes]]:
    """The two templates and every built form, by name."""
    templates = [(p.name, p.read_bytes()) for p in sorted(TEMPLATES.glob("*.docx"))]
    return templates + [(p.name, p.read_bytes()) for p in sample_forms]


# --- what Word and WPS read -------------------------------------------------------------------


def test_the_templates_are_what_make_templates_writes(tmp_path):
    make_templates = load_tool("make_templates")
    for path in make_templates.write_templates(tmp_path):
        assert path.read_bytes() == (TEMPLATES / path.name).read_bytes(), path.name


def test_every_cell_width_is_the_sum_of_the_grid_columns_it_spans(sample_forms):
    for name, data in packages(sample_forms):
        (table,) = docx_tables(data)
        grid = [int(col.get(w("w"))) for col in table.findall("w:tblGrid/w:gridCol", NS)]
        assert int(table.find("w:tblPr/w:tblW", NS).get(w("w"))) == sum(grid), name
        for number, row in enumerate(docx_rows(data)):
            column = 0
            for cell in row.findall("w:tc", NS):
                span_element = cell.find("w:tcPr/w:gridSpan", NS)
                span = 1 if span_element is None else int(span_element.get(w("val")))
                width = cell.find("w:tcPr/w:tcW", NS)
                assert width.get(w("type")) == "dxa", (name, number)
                assert int(width.get(w("w"))) == sum(grid[column : column + span]), (name, number)
                column += span
            assert column == len(grid), (name, number)


def test_every_vertical_merge_says_restart_or_continue(sample_forms):
    seen = set()
    for name, data in packages(sample_forms):
        for merge in docx_part(data).iter(w("vMerge")):
            assert merge.get(w("val")) in ("restart", "continue"), name
            seen.add(merge.get(w("val")))
    assert seen == {"restart", "continue"}


def theme_of(data: bytes) -> tuple[str, str, str]:
    """The theme part's root tag, its content type and the target of its relationship."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = docx_part(data, "[Content_Types].xml")
        rels = docx_part(data, "word/_rels/document.xml.rels")
        root = docx_part(data, THEME_PART).tag
        assert THEME_PART in package.namelist()
    overrides = {o.get("PartName"): o.get("ContentType") for o in types}
    targets = [r.get("Target") for r in rels if r.get("Type") == THEME_REL]
    return root, overrides.get("/" + THEME_PART, ""), ",".join(targets)


def test_templates_forms_and_the_book_carry_a_theme(sample_forms):
    theme = ("{http://schemas.openxmlformats.org/drawingml/2006/main}theme", THEME_TYPE)
    for name, data in packages(sample_forms):
        assert theme_of(data) == (*theme, "theme/theme1.xml"), name
    book = compose_book(sample_forms[:3], title="合订")
    assert theme_of(book)[:2] == theme


def test_the_indicator_rows_keep_with_the_next_and_the_rows_above_do_not(sample_forms):
    for name, data in packages(sample_forms):
        rows = docx_rows(data)
        cells = [row.findall("w:tc", NS) for row in rows]
        header = next(
            i for i, row in enumerate(cells) if docx_cell_paragraphs(row[1]) == ["一级指标"]
        )
        for number, row in enumerate(rows):
            keeps = {p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(w("p"))}
            assert keeps == {number >= header}, (name, number)


# --- pages and wraps, measured on LibreOffice's PDFs ---------------------------------------------

LONG_FORM = "加长的项目.docx"


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """tools/measure_print.py over the samples and one form whose indicators overflow page 1."""
    measure_print = load_tool("measure_print")
    root = tmp_path_factory.mktemp("print")
    long = root / "long"
    long.mkdir()
    sample = (SAMPLES / "司法所" / "社区矫正安置帮教.yaml").read_text(encoding="utf-8")
    extra = "".join(f"      新增质量指标{i}: 100%\n" for i in range(6))
    text = sample.replace("    质量指标:\n", "    质量指标:\n" + extra)
    defaults = (SAMPLES / "_defaults.yaml").read_text(encoding="utf-8")
    unit = "主管部门: 浦江镇人民政府\n实施单位: 浦江镇司法所\n"
    (long / "加长的项目.yaml").write_text(defaults + unit + text, encoding="utf-8")
    results = measure_print.measure([SAMPLES, long], root / "work", TEMPLATES)
    return {result.name: result for result in results}


@needs_soffice
@needs_word_metrics
def test_every_sample_form_prints_on_one_page(printed):
    pages = {name: result.pages for name, result in printed.items() if name != LONG_FORM}
    assert len(pages) == 33
    assert pages == dict.fromkeys(pages, 1)


@needs_soffice
def test_every_paragraph_is_found_in_the_pdf(printed):
    assert {name: r.unmatched for name, r in printed.items() if r.unmatched} == {}


@needs_soffice
@needs_word_metrics
def test_no_cell_wraps_a_stray_character(printed):
    stray = [(name, str(wrap)) for name, r in printed.items() for wrap in r.short_tails]
    assert stray == []
    names = {
        name: [str(wrap) for wrap in r.wrapped_cells if wrap.cell == PROJECT_NAME_CELL]
        for name, r in printed.items()
    }
    # balanced: "社区矫正安置帮/教" and "闵行区街区党组/织服务群众专项/经费" before
    assert names["司法所/社区矫正安置帮教.docx"] == ["社区矫正/安置帮教"]
    assert names["党群服务中心/闵行区街区党组织服务群众专项经费.docx"] == [
        "闵行区街区党/组织服务群众/专项经费"
    ]
    assert names["人才办/人才活动.docx"] == []


@needs_soffice
def test_an_overflowing_indicator_table_moves_to_the_next_page_whole_with_its_header(printed):
    long = printed[LONG_FORM]
    assert long.pages == 2
    assert long.header_page == 2
    assert long.indicator_rows == 15
    assert long.last_page_rows == 15  # none left behind on page 1
    assert not long.lone_last_row

"""A form → gen import → gen template → gen build gives the form back: the samples and hand-made forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES
from docx_grid import (
    docx_cell_fonts,
    docx_grid_widths,
    docx_merged_grid,
    docx_paragraphs,
    docx_section,
)
from handmade import Filled, WordStyle, normalised, same_data, word_form

from gen.build import BuildOptions, build
from gen.importing.importer import import_forms
from gen.importing.template import make_template
from gen.load import find_project_files
from gen.vocabulary import APPLICATION_FORM, TARGET_FORM


def rebuilt(form: Path, work: Path) -> bytes:
    """`form` imported, made the template, and its project built with that template."""
    report = import_forms([form], work / "projects")
    assert report.problems == [], report.findings
    make_template(form, work / "templates")
    built = build(
        [work / "projects"], BuildOptions(out_dir=work / "out", templates=work / "templates")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    return (work / "out" / f"{form.stem}.docx").read_bytes()


def assert_same_form(original: bytes, again: bytes) -> None:
    """The same cells, texts, spans, column widths, fonts, page and lines around the table."""
    assert docx_merged_grid(again) == docx_merged_grid(original)
    assert docx_grid_widths(again) == docx_grid_widths(original)
    assert docx_cell_fonts(again) == docx_cell_fonts(original)
    assert docx_paragraphs(again) == docx_paragraphs(original)
    assert docx_section(again) == docx_section(original)


# ---------------------------------------------------------------- the samples


@pytest.fixture(scope="module")
def sample_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample projects built with the shipped templates."""
    out = tmp_path_factory.mktemp("samples") / "forms"
    assert build([SAMPLES], BuildOptions(out_dir=out)).exit_code == 0
    return out


def test_a_template_from_one_sample_form_rebuilds_every_sample_byte_for_byte(
    sample_forms, tmp_path
):
    import_forms([sample_forms], tmp_path / "projects")
    for source in (
        sample_forms / "司法所" / "普法.docx",
        sample_forms / "信访办" / "劝导队经费.docx",
    ):
        make_template(source, tmp_path / "templates")
    assert sorted(p.name for p in (tmp_path / "templates").iterdir()) == [
        f"{APPLICATION_FORM}.docx",
        f"{TARGET_FORM}.docx",
    ]
    options = BuildOptions(out_dir=tmp_path / "again", templates=tmp_path / "templates")
    assert build([tmp_path / "projects"], options).exit_code == 0
    forms = sorted(sample_forms.rglob("*.docx"))
    assert len(forms) == 33
    for form in forms:
        again = tmp_path / "again" / form.relative_to(sample_forms)
        assert again.read_bytes() == form.read_bytes(), form.name


def test_every_sample_form_rebuilds_itself_from_its_own_template(sample_forms, tmp_path):
    for form in sorted(sample_forms.rglob("*.docx")):
        work = tmp_path / form.stem
        assert rebuilt(form, work) == form.read_bytes(), form.name


# ---------------------------------------------------------------- forms made in Word


TARGET = (2.6, 3.0, 2.8, 3.6, 3.4)
APPLICATION = (2.4, 2.8, 2.2, 3.2, 1.8, 2.2)
HANDMADE = {
    "wingdings-fangsong-12pt": (
        Filled(period=(2025, 2026)),
        WordStyle(unit_line=True, goal_label="项目总目标（{first}年-{last}年）"),
    ),
    "unicode-boxes-songti-other-widths": (
        Filled(
            category="一次性项目",
            amounts=("3,082.53", "3,082.53", "", "2,035.58", "2,035.58", "", ""),
        ),
        WordStyle(
            widths_cm=(3.2, 2.4, 2.4, 3.4, 3.0),
            font="宋体",
            size=10.5,
            boxes="unicode",
            year_line="({year}年度)",
            value_label="指标值",
            signature=False,
            mark_formatting=False,
        ),
    ),
    "content-control-kaiti-no-period": (
        Filled(category="专项资金", start="2026.1.1", end="2026.12.31"),
        WordStyle(
            font="楷体",
            size=11,
            boxes="control",
            goal_label="项目总体目标",
            value_label="年度(/项目)指标值",
        ),
    ),
    "application-six-columns-label-on-data-row": (
        Filled(category="运转类项目", period=(2024, 2026), start="2026-1-1", end="2026-12-31"),
        WordStyle(
            widths_cm=APPLICATION,
            title="财政项目支出绩效目标申报表",
            goal_label="项目总体目标({first} 年-{last} 年)",
            value_label="年度(/项目)指标值",
            allocation_label="本年财政拨款",
            label_on_data_row=True,
            unit_line=True,
        ),
    ),
}


@pytest.mark.parametrize(("filled", "style"), HANDMADE.values(), ids=HANDMADE.keys())
def test_a_form_made_in_word_comes_back_cell_for_cell(tmp_path, filled, style):
    form = word_form(tmp_path / "in" / "表.docx", filled, style)
    assert_same_form(form.read_bytes(), rebuilt(form, tmp_path / "work"))


def test_another_districts_form_in_yuan_comes_back_cell_for_cell(tmp_path):
    form = word_form(tmp_path / "in" / "表.docx", *other_district())
    assert_same_form(form.read_bytes(), rebuilt(form, tmp_path / "work"))


def other_district() -> tuple[Filled, WordStyle]:
    """A 申报表 of another district: its own widths, 仿宋 12 pt, amounts in 元 with separators,
    zeros printed 0.00, a full-width year line, "单位：元" above and a signature line below."""
    filled = Filled(
        name="街镇社区治理专项",
        category="运转类项目",
        period=(2024, 2026),
        start="2026/1/1",
        end="2026/12/31",
        amounts=(
            "10,308,000.00",
            "10,308,000.00",
            "0.00",
            "3,436,000.00",
            "3,436,000.00",
            "0.00",
            "0.00",
        ),
    )
    style = WordStyle(
        widths_cm=(2.2, 3.1, 2.0, 3.4, 1.6, 2.5),
        title="财政项目支出绩效目标申报表",
        unit="元",
        unit_line=True,
        goal_label="项目总体目标({first} 年-{last} 年)",
        value_label="年度(/项目)指标值",
        allocation_label="本年财政拨款",
    )
    return filled, style


def test_the_word_forms_keep_their_other_parts(tmp_path):
    """Styles, settings, fonts and every other part of the package are the form's own."""
    filled, style = HANDMADE["wingdings-fangsong-12pt"]
    form = word_form(tmp_path / "表.docx", filled, style)
    make_template(form, tmp_path / "templates")
    template = tmp_path / "templates" / f"{TARGET_FORM}.docx"
    original, made = _parts(form), _parts(template)
    assert list(made) == list(original)
    assert {n for n in original if original[n] != made[n]} == {"word/document.xml"}


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of a .docx by name, in zip order."""
    import zipfile

    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def test_templates_made_from_word_forms_print_every_sample(sample_forms, tmp_path):
    """Each sample built with templates made from forms of another layout reads back the same."""
    for (filled, style), name in (
        (HANDMADE["wingdings-fangsong-12pt"], "目标表"),
        (HANDMADE["application-six-columns-label-on-data-row"], "申报表"),
    ):
        make_template(word_form(tmp_path / f"{name}.docx", filled, style), tmp_path / "t")
    options = BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    assert build([SAMPLES], options).exit_code == 0
    result = import_forms([tmp_path / "out"], tmp_path / "back")
    assert result.problems == [] and len(result.written) == 33
    for sample in find_project_files([SAMPLES]):
        relative = sample.relative_to(SAMPLES)
        same_data(normalised(sample), normalised(tmp_path / "back" / relative))

"""The ways districts mark a choice: crosses, typed ticks, square brackets, a tick beside a box,
filled marks, symbol fonts; read by gen import and made to tick by gen template, or refused with
a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROJECT
from docx_grid import docx_part, w
from handmade import (
    TITLE,
    document_xml,
    imported,
    make_docx,
    run,
    sym,
    target_docx,
    target_form_with,
)

from gen.build import BuildOptions, build
from gen.cli import main
from gen.importing.importer import import_forms
from gen.importing.tables import body_tables, cell_text
from gen.importing.template import make_template

CATEGORIES = ("专项资金", "经常性项目", "一次性项目")


def imported_category(tmp_path: Path, cell: str) -> str | None:
    """The 项目类别 gen import writes for a form whose 项目类别 cell is `cell`."""
    import_forms([target_docx(tmp_path / "普法.docx", cell)], tmp_path / "out")
    return imported(tmp_path / "out" / "普法.yaml").get("项目类别")


def built_cells(tmp_path: Path, cell: str) -> dict[str, object]:
    """The 项目类别 w:tc of a project of each category, built with a template made from a form
    whose 项目类别 cell is `cell`."""
    make_template(target_docx(tmp_path / "普法.docx", cell), tmp_path / "t")
    for category in CATEGORIES:
        project = GOOD_PROJECT.replace("项目类别: 经常性项目", f"项目类别: {category}")
        (tmp_path / "p").mkdir(exist_ok=True)
        (tmp_path / "p" / f"{category}.yaml").write_text(
            project.replace("社工", category), encoding="utf-8"
        )
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    return {
        category: body_tables(docx_part((tmp_path / "out" / f"{category}.docx").read_bytes()))[0]
        .rows[0][3]
        .elements[0]
        for category in CATEGORIES
    }


def printed(tmp_path: Path, cell: str) -> list[str]:
    """The 项目类别 cell as printed for a 专项资金, a 经常性项目 and a 一次性项目 project."""
    return [cell_text(tc) for tc in built_cells(tmp_path, cell).values()]


# ---------------------------------------------------------------- gen import


@pytest.mark.parametrize(
    ("cell", "category"),
    [
        (run("（×）专项资金 （×）经常性项目 （√）一次性项目"), "一次性项目"),
        (run("（×）经常性项目 （√）一次性项目 （×）专项资金"), "一次性项目"),
        (run("专项资金（×） 经常性项目（√） 一次性项目（ ）"), "经常性项目"),
        (run("（V）专项资金 （ ）经常性项目 （ ）一次性项目"), "专项资金"),
        (run("专项资金(v) 经常性项目( ) 一次性项目( )"), "专项资金"),
        (run("[ ]专项资金 [ ]经常性项目 [√]一次性项目"), "一次性项目"),
        (run("【 】专项资金 【√】经常性项目 【 】一次性项目"), "经常性项目"),
        (run("专项资金□ 经常性项目□√ 一次性项目□"), "经常性项目"),
        (run("▇专项资金 □经常性项目 □一次性项目"), "专项资金"),
        (run("○专项资金 ●经常性项目 ○一次性项目"), "经常性项目"),
        (run("☐专项资金 ☒经常性项目 ☐一次性项目"), "经常性项目"),
        (run("☒专项资金 ☒经常性项目 ☑一次性项目"), "一次性项目"),
        (
            run("专项资金") + sym("F0A3") + run(" 经常性项目") + sym("F0A3") + run(" 一次性项目"),
            None,
        ),
        (run("专项资金") + sym("F0A2") + run(" 经常性项目") + sym("F0A3"), "专项资金"),
        (
            run("专项资金") + sym("F054") + run(" 经常性项目") + sym("F052") + run(" 一次性项目"),
            "经常性项目",
        ),
        (run("专项资金 √经常性项目 一次性项目"), "经常性项目"),
    ],
    ids=[
        "crosses-for-the-others",
        "crosses-in-another-order",
        "crosses-after",
        "typed-V",
        "typed-v-half-width-brackets",
        "square-brackets",
        "lenticular-brackets",
        "tick-beside-an-empty-box",
        "filled-block",
        "circles",
        "word-crossed-box-alone",
        "crossed-boxes-beside-a-tick",
        "wingdings2-none-ticked",
        "wingdings2-black-square",
        "wingdings2-crossed-boxes-beside-a-tick",
        "tick-on-the-chosen-name-only",
    ],
)
def test_import_reads_the_choice_however_the_form_marks_it(tmp_path, cell, category):
    assert imported_category(tmp_path, cell) == category


def test_crosses_without_a_tick_are_not_imported(tmp_path, runner, monkeypatch):
    target_docx(
        tmp_path / "旧表" / "普法.docx", run("（×）专项资金 （ ）经常性项目 （ ）一次性项目")
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表", "-o", "projects"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "旧表/普法.docx: 第 1 个表格第 1 行“项目类别”旁的勾选框“（×）专项资金 （ ）经常性项目 （ ）一次性项目”"
        "只有“×”、没有“√”，看不出“×”是选中了这一项还是没有选它；为了不勾错，这个表格没有导入。"
        "请在 Word 中在选中的那一项的框里写上“√”（没有选的框空着或写“×”都可以，"
        "如“（×）专项资金  （√）经常性项目”）后再运行"
    )
    assert not (tmp_path / "projects").exists()


# ---------------------------------------------------------------- gen template


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (
            "（×）专项资金 （√）经常性项目 （×）一次性项目",
            [
                "（√）专项资金 （×）经常性项目 （×）一次性项目",
                "（×）专项资金 （√）经常性项目 （×）一次性项目",
                "（×）专项资金 （×）经常性项目 （√）一次性项目",
            ],
        ),
        (
            "（V）专项资金 （ ）经常性项目 （ ）一次性项目",
            [
                "（V）专项资金 （ ）经常性项目 （ ）一次性项目",
                "（ ）专项资金 （V）经常性项目 （ ）一次性项目",
                "（ ）专项资金 （ ）经常性项目 （V）一次性项目",
            ],
        ),
        (
            "[√]专项资金 [ ]经常性项目 [ ]一次性项目",
            [
                "[√]专项资金 [ ]经常性项目 [ ]一次性项目",
                "[ ]专项资金 [√]经常性项目 [ ]一次性项目",
                "[ ]专项资金 [ ]经常性项目 [√]一次性项目",
            ],
        ),
        (
            "□专项资金 □√经常性项目 □一次性项目",
            [
                "□√专项资金 □经常性项目 □一次性项目",
                "□专项资金 □√经常性项目 □一次性项目",
                "□专项资金 □经常性项目 □√一次性项目",
            ],
        ),
        (
            "▇专项资金 □经常性项目 □一次性项目",
            [
                "▇专项资金 □经常性项目 □一次性项目",
                "□专项资金 ▇经常性项目 □一次性项目",
                "□专项资金 □经常性项目 ▇一次性项目",
            ],
        ),
        (
            "○专项资金 ●经常性项目 ○一次性项目",
            [
                "●专项资金 ○经常性项目 ○一次性项目",
                "○专项资金 ●经常性项目 ○一次性项目",
                "○专项资金 ○经常性项目 ●一次性项目",
            ],
        ),
    ],
    ids=[
        "crosses-for-the-others",
        "typed-V",
        "square-brackets",
        "tick-beside-an-empty-box",
        "filled-block",
        "circles",
    ],
)
def test_the_template_ticks_the_projects_slot_as_the_form_marks_it(tmp_path, cell, expected):
    assert printed(tmp_path, run(cell)) == expected


def _chars(tc) -> list[str | None]:
    return [s.get(w("char")) for s in tc.iter(w("sym"))]


def test_symbol_crosses_beside_a_tick_print_in_the_slots_not_taken(tmp_path):
    cell = run("专项资金") + sym("F054") + run(" 经常性项目") + sym("F052") + run(" 一次性项目")
    cell += sym("F054")
    cells = built_cells(tmp_path, cell)
    assert [_chars(tc) for tc in cells.values()] == [
        ["F052", "F054", "F054"],
        ["F054", "F052", "F054"],
        ["F054", "F054", "F052"],
    ]


def test_a_wingdings2_black_square_is_the_tick_and_the_white_one_the_box(tmp_path):
    cell = run("专项资金") + sym("F0A3") + run(" 经常性项目") + sym("F0A2") + run(" 一次性项目")
    cells = built_cells(tmp_path, cell + sym("F0A3"))
    assert [_chars(tc) for tc in cells.values()] == [
        ["F0A2", "F0A3", "F0A3"],
        ["F0A3", "F0A2", "F0A3"],
        ["F0A3", "F0A3", "F0A2"],
    ]


def _template_refusal(tmp_path: Path, runner, monkeypatch, cell: str) -> str:
    """What gen template says of a form whose 项目类别 cell is `cell` (it writes nothing)."""
    make_docx(tmp_path / "旧表.docx", document_xml(*TITLE, target_form_with(cell)))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "旧表.docx", "-o", "模板"])
    assert result.exit_code == 1
    assert not (tmp_path / "模板").exists()
    return result.output


def test_the_template_refuses_crosses_without_a_tick(tmp_path, runner, monkeypatch):
    cell = run("专项资金（×） 经常性项目（×） 一次性项目（ ）")
    assert _template_refusal(tmp_path, runner, monkeypatch, cell) == (
        "错误：旧表.docx: 第 1 个表格第 1 行“项目类别”旁的勾选框“专项资金（×） 经常性项目（×） 一次性项目（ ）”"
        "只有“×”、没有“√”，看不出“×”是选中了这一项还是没有选它；为了不勾错，没有用这个表格做模板。"
        "请在 Word 中在选中的那一项的框里写上“√”（没有选的框空着或写“×”都可以，"
        "如“（×）专项资金  （√）经常性项目”）后再运行\n"
    )


def test_the_template_refuses_a_typed_tick_beside_a_symbol_box(tmp_path, runner, monkeypatch):
    cell = run("专项资金") + sym("F0A3") + run(" 经常性项目") + sym("F0A3") + run("√ 一次性项目")
    cell += sym("F0A3")
    assert _template_refusal(tmp_path, runner, monkeypatch, cell) == (
        "错误：旧表.docx: 勾选框“☐√”的框和勾一个是用 Word 的“插入符号”写的、一个是直接打出的文字，"
        "gen template 照它做不出模板；请在 Word 中把它改为一个打了勾的框（如 ☑）后再运行\n"
    )

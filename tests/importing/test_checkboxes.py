"""The ways districts mark a choice: crosses, typed ticks, square brackets, a tick beside a box,
filled marks, symbol fonts, a tick on the chosen name only, a bold name; read by gen import and
made to tick by gen template, or refused with a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROJECT
from docx_grid import docx_part, w
from handmade import (
    TITLE,
    declaration_form,
    document_xml,
    imported,
    make_docx,
    para,
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


def styled(text: str, props: str) -> str:
    """A run with its own properties (<w:b/>, <w:u w:val="single"/> …)."""
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


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
        (run("☐专项；☑经常性；☐一次性"), "经常性"),
        (run("专项资金 ") + styled("经常性项目", "<w:b/>") + run(" 一次性项目"), "经常性项目"),
        (run("专项资金 经常性项目 ") + styled("一次性项目", '<w:u w:val="single"/>'), "一次性项目"),
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
        "short-names-and-semicolons",
        "bold-name",
        "underlined-name",
    ],
)
def test_import_reads_the_choice_however_the_form_marks_it(tmp_path, cell, category):
    assert imported_category(tmp_path, cell) == category


def test_two_names_set_apart_alike_are_not_guessed_and_check_says_so(tmp_path, runner, monkeypatch):
    bold = "<w:b/>"
    cell = run("专项资金 ") + styled("经常性项目", bold) + run(" ") + styled("一次性项目", bold)
    target_docx(tmp_path / "旧表" / "普法.docx", cell)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表", "-o", "projects"])
    assert imported(tmp_path / "projects" / "普法.yaml")["项目类别"] == (
        "专项资金 经常性项目 一次性项目"
    )
    assert (
        "projects/普法.yaml:5: 项目类别: “专项资金 经常性项目 一次性项目”不是绩效目标表的项目类别；"
        "可选：专项资金、经常性项目、一次性项目"
    ) in result.output.splitlines()


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


def test_application_nature_ticked_on_its_name_only(tmp_path):
    form = declaration_form(
        "信访代理员经费", "2026.1.1", "2026.12.31", nature=run("√经常性 一次性 阶段性")
    )
    source = make_docx(
        tmp_path / "信访.docx", document_xml(para("财政项目支出绩效目标申报表"), form)
    )
    import_forms([source], tmp_path / "out")
    assert imported(tmp_path / "out" / "信访.yaml")["项目性质"] == "经常性"


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
        (
            "√经常性项目 一次性项目 专项资金",
            [
                "经常性项目 一次性项目 √专项资金",
                "√经常性项目 一次性项目 专项资金",
                "经常性项目 √一次性项目 专项资金",
            ],
        ),
        (
            "专项资金 经常性项目√ 一次性项目",
            [
                "专项资金√ 经常性项目 一次性项目",
                "专项资金 经常性项目√ 一次性项目",
                "专项资金 经常性项目 一次性项目√",
            ],
        ),
        (
            "☐专项；☑经常性；☐一次性",
            ["☑专项；☐经常性；☐一次性", "☐专项；☑经常性；☐一次性", "☐专项；☐经常性；☑一次性"],
        ),
        (
            "☐专项资金 ☑经常性项目 一次性项目",
            [
                "☑专项资金 ☐经常性项目 一次性项目",
                "☐专项资金 ☑经常性项目 一次性项目",
                "☐专项资金 ☐经常性项目 ☑一次性项目",
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
        "tick-on-the-chosen-name-only",
        "tick-after-the-chosen-name-only",
        "short-names-and-semicolons",
        "one-name-without-a-box",
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


def test_application_nature_ticked_on_its_name_only_makes_a_template(tmp_path, write):
    form = declaration_form(
        "信访代理员经费", "2026.1.1", "2026.12.31", nature=run("√经常性 一次性 阶段性")
    )
    source = make_docx(
        tmp_path / "信访.docx", document_xml(para("财政项目支出绩效目标申报表"), form)
    )
    assert make_template(source, tmp_path / "t").boxes == 3
    for nature in ("经常性项目", "一次性", "阶段性项目"):
        head = f"表样: 绩效目标申报表\n项目性质: {nature}\n项目类别: 运转类项目"
        project = GOOD_PROJECT.replace("表样: 绩效目标表", head).replace(
            "项目类别: 经常性项目\n", ""
        )
        write(f"p/{nature}.yaml", project.replace("社工", nature))
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    natures = {
        nature: cell_text(
            body_tables(docx_part((tmp_path / "out" / f"{nature}.docx").read_bytes()))[0]
            .rows[0][3]
            .elements[0]
        )
        for nature in ("经常性项目", "一次性", "阶段性项目")
    }
    assert natures == {
        "经常性项目": "√经常性 一次性 阶段性",
        "一次性": "经常性 √一次性 阶段性",
        "阶段性项目": "经常性 一次性 √阶段性",
    }


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


@pytest.mark.parametrize(
    "cell",
    [
        run("专项资金 ") + styled("经常性项目", '<w:u w:val="single"/>') + run(" 一次性项目"),
        run("专项资金 经常性项目 一次性项目"),
    ],
    ids=["underlined", "unmarked"],
)
def test_the_template_refuses_choices_written_without_boxes(tmp_path, runner, monkeypatch, cell):
    assert _template_refusal(tmp_path, runner, monkeypatch, cell) == (
        "错误：旧表.docx: 第 1 个表格第 1 行“项目类别”旁写着“专项资金 经常性项目 一次性项目”，"
        "这几项都没有勾选框，gen template 照它做不出按各项目勾选的模板；为了不勾错，没有用这个表格做模板。"
        "请在 Word 中在每一项前面加上勾选框（如“☐专项资金 ☑经常性项目 ☐一次性项目”），"
        "或者只写选中的那一项（每张表在这一格印各项目自己的项目类别）后再运行\n"
    )


def test_the_template_refuses_a_typed_tick_beside_a_symbol_box(tmp_path, runner, monkeypatch):
    cell = run("专项资金") + sym("F0A3") + run(" 经常性项目") + sym("F0A3") + run("√ 一次性项目")
    cell += sym("F0A3")
    assert _template_refusal(tmp_path, runner, monkeypatch, cell) == (
        "错误：旧表.docx: 勾选框“☐√”的框和勾一个是用 Word 的“插入符号”写的、一个是直接打出的文字，"
        "gen template 照它做不出模板；请在 Word 中把它改为一个打了勾的框（如 ☑）后再运行\n"
    )

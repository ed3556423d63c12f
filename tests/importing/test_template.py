"""gen template: what the template holds, checkboxes of every kind, refusals and their messages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, REPO, SAMPLES
from docx_grid import NS, docx_cell_paragraphs, docx_paragraphs, docx_part, docx_rows, w
from handmade import (
    TITLE,
    W14_NS,
    Filled,
    WordStyle,
    checkbox,
    declaration_form,
    document_xml,
    make_docx,
    para,
    run,
    sym,
    target_docx,
    target_form_with,
    word_form,
)
from lxml.etree import QName

from gen.build import BuildOptions, build
from gen.cli import main
from gen.errors import GenError
from gen.importing.printed import BOX_MARKS, box_choices, ticked_choices
from gen.importing.tables import body_tables, cell_text
from gen.importing.template import make_template
from gen.templates import INSTALLED, template_file
from gen.vocabulary import APPLICATION_FORM, TARGET_FORM

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)


def template_of(form: Path, out: Path) -> bytes:
    """The template made from `form` into `out`."""
    made = make_template(form, out)
    return made.path.read_bytes()


def cell_texts(data: bytes) -> list[list[str]]:
    """The text of each cell of the first table, row by row (paragraphs joined by "\n")."""
    return [
        ["\n".join(docx_cell_paragraphs(tc)) for tc in row.findall("w:tc", NS)]
        for row in docx_rows(data)
    ]


def run_of(data: bytes, text: str):
    """The w:r whose text is exactly `text`."""
    return next(
        r
        for r in docx_part(data).iter(w("r"))
        if "".join(t.text or "" for t in r.iter(w("t"))) == text
    )


# ---------------------------------------------------------------- what the template holds


@pytest.fixture
def fangsong(tmp_path: Path) -> bytes:
    """The template of a 仿宋 12 pt form with a period in its goal label and a "单位" line."""
    form = word_form(
        tmp_path / "表.docx",
        Filled(period=(2025, 2026)),
        WordStyle(unit_line=True, value_label="年度(/项目)指标值"),
    )
    return template_of(form, tmp_path / "templates")


def test_value_cells_hold_their_tags_in_the_values_own_font(fangsong):
    rows = cell_texts(fangsong)
    assert rows[0][:3] == ["项目名称", "{{ 项目名称 }}", "项目类别"]
    assert rows[1] == ["主管部门", "{{ 主管部门 }}", "实施单位", "{{ 实施单位 }}"]
    assert rows[2] == ["计划开始日期", "{{ 计划开始日期 }}", "计划完成日期", "{{ 计划完成日期 }}"]
    assert [row[-1] for row in rows[3:7]] == [
        "{{ 年度资金申请总额 }}",
        "{{ 当年财政拨款 }}",
        "{{ 上年结转资金 }}",
        "{{ 年度其他资金 }}",
    ]
    assert rows[3][1:3] == ["项目资金总额", "{{ 项目资金总额 }}"]
    assert rows[4][2] == "{{ 财政资金 }}" and rows[6][2] == "{{ 其他资金 }}"
    name = run_of(fangsong, "{{ 项目名称 }}")
    assert name.find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == "仿宋"
    assert name.find("w:rPr/w:sz", NS).get(w("val")) == "24"
    # a blank cell keeps the font of its paragraph mark
    carried = run_of(fangsong, "{{ 上年结转资金 }}")
    assert carried.find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == "仿宋"


def test_the_year_and_the_goal_period_become_tags_in_the_same_runs(fangsong):
    assert docx_paragraphs(fangsong)[:3] == [
        "财政项目支出绩效目标表",
        "（{{ 年度 }}年度）",
        "单位：万元",
    ]
    rows = cell_texts(fangsong)
    assert rows[7][1] == "项目总目标（{{ 项目起始年 }}年-{{ 项目结束年 }}年）"
    assert rows[8][1:] == [
        "{%p for para in 项目总目标 %}\n{{ para }}\n{%p endfor %}",
        "{%p for para in 年度总体目标 %}\n{{ para }}\n{%p endfor %}",
    ]
    # the line below the table prints each project's 其他栏目, the spaces between kept
    assert docx_paragraphs(fangsong)[-1] == (
        "填报人：{{ 其他栏目['填报人'] | default('') }}        "
        "联系电话：{{ 其他栏目['联系电话'] | default('') }}        "
        "填报日期：{{ 其他栏目['填报日期'] | default('') }}"
    )


def test_the_indicator_rows_become_one_loop_row_under_the_forms_header(fangsong):
    rows = cell_texts(fangsong)
    assert rows[9] == ["绩效指标", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"]
    assert rows[10:] == [
        ["", "{%tr for row in 指标行 %}"],
        [
            "",
            "{% groupmerge row.一级起 %}{{ row.一级 }}",
            "{% groupmerge row.二级起 %}{{ row.二级 }}",
            "{{ row.三级 }}",
            "{{ row.值 }}",
        ],
        ["", "{%tr endfor %}"],
    ]
    spans = [tc.find("w:tcPr/w:gridSpan", NS) for tc in docx_rows(fangsong)[10].findall("w:tc", NS)]
    assert spans[1].get(w("val")) == "4"


def test_a_goal_label_without_a_period_stays_as_it_is(tmp_path):
    form = word_form(tmp_path / "表.docx", style=WordStyle(goal_label="项目总体目标"))
    assert cell_texts(template_of(form, tmp_path / "t"))[7][1] == "项目总体目标"


def test_the_application_form_prints_category_and_nature_as_text(tmp_path):
    style = WordStyle(widths_cm=(2.4, 2.8, 2.2, 3.2, 1.8, 2.2), title="财政项目支出绩效目标申报表")
    form = word_form(tmp_path / "表.docx", Filled(category="运转类项目"), style)
    made = make_template(form, tmp_path / "t")
    assert made.path == tmp_path / "t" / f"{APPLICATION_FORM}.docx" and made.boxes == 0
    assert cell_texts(made.path.read_bytes())[0] == [
        "项目名称",
        "{{ 项目名称 }}",
        "项目性质",
        "{{ 项目性质 }}",
        "项目类别",
        "{{ 项目类别 }}",
    ]


def test_labels_followed_by_a_colon_are_kept_and_their_values_tagged(tmp_path):
    xml = document_xml(*TITLE, target_form_with(run("经常性项目☑")))
    for label in ("项目名称", "主管部门", "实施单位"):
        xml = xml.replace(f">{label}<", f">{label}：<")
    rows = cell_texts(template_of(make_docx(tmp_path / "普法.docx", xml), tmp_path / "t"))
    assert rows[0][:2] == ["项目名称：", "{{ 项目名称 }}"]
    assert rows[1] == ["主管部门：", "{{ 主管部门 }}", "实施单位：", "{{ 实施单位 }}"]


def test_text_that_looks_like_a_tag_prints_as_written(tmp_path, write):
    note = "备注：按{{标准}}执行，{%不变%}，{#不是注释#}。"
    xml = document_xml(*TITLE, target_form_with(run("经常性项目☑")), para(note))
    make_template(make_docx(tmp_path / "普法.docx", xml), tmp_path / "t")
    project = write("p/普法.yaml", GOOD_PROJECT.replace("社工", "普法"))
    built = build(
        [project.parent], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0
    assert docx_paragraphs((tmp_path / "out" / "普法.docx").read_bytes())[-1] == note


# ---------------------------------------------------------------- checkboxes of every kind


def _boxes(ticked: str) -> dict[str, str]:
    """The 项目类别 cell of each kind people use, `ticked` being the ticked choice."""
    choices = ("专项资金", "经常性项目", "一次性项目")

    def each(make) -> str:
        return "".join(run(f" {c}") + make(c == ticked) for c in choices)

    return {
        "wingdings2-sym": each(lambda on: sym("F052" if on else "F0A3")),
        "wingdings-sym-low-codes": each(lambda on: sym("00FE" if on else "00A8", "Wingdings")),
        "content-control": each(checkbox),
        "typed-in-wingdings2": each(
            lambda on: (
                '<w:r><w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr>'
                f"<w:t>{'R' if on else '£'}</w:t></w:r>"
            )
        ),
        "tick-and-square": each(lambda on: run("√" if on else "□")),
        "form-field": each(
            lambda on: (
                '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>'
                f'<w:sizeAuto/><w:default w:val="{int(on)}"/></w:checkBox></w:ffData></w:fldChar></w:r>'
                '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            )
        ),
    }


@pytest.mark.parametrize("kind", list(_boxes("经常性项目")))
def test_every_box_kind_ticks_by_the_projects_category_in_its_own_kind(tmp_path, write, kind):
    form = target_docx(tmp_path / "普法.docx", _boxes("一次性项目")[kind])
    made = make_template(form, tmp_path / "t")
    assert made.boxes == 3
    for category in ("专项资金", "经常性项目", "一次性项目"):
        project = GOOD_PROJECT.replace("项目类别: 经常性项目", f"项目类别: {category}")
        write(f"p/{category}.yaml", project.replace("社工", category))
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    expected = _category_tc(form.read_bytes())
    for category in ("专项资金", "经常性项目", "一次性项目"):
        data = (tmp_path / "out" / f"{category}.docx").read_bytes()
        text = cell_text(_category_tc(data))
        assert ticked_choices(text) == [category], (kind, text)
        assert len(box_choices(text)) == 3
        assert _marks(text) <= _marks(cell_text(expected)), kind  # the form's own glyphs
        assert _kinds(_category_tc(data)) == _kinds(expected), kind


def _marks(text: str) -> set[str]:
    """The box characters in a text."""
    return {ch for ch in text if ch in BOX_MARKS}


def _first_row(data: bytes) -> list[str]:
    """The text of each cell of the first row of a built form (项目性质 and 项目类别 are there)."""
    return [cell.text for cell in body_tables(docx_part(data))[0].rows[0]]


def _category_tc(data: bytes):
    """The w:tc of the 项目类别 boxes (row 1, column D)."""
    root = docx_part(data)
    return body_tables(root)[0].rows[0][3].elements[0]


def _kinds(tc) -> list[tuple[str, str]]:
    """The elements that draw the boxes of a cell: (tag, symbol font), in order."""
    tags = (w("sym"), f"{{{W14_NS}}}checkbox", w("checkBox"), w("rFonts"))
    return [(QName(node).localname, node.get(w("font"), "")) for node in tc.iter(*tags)]


def _built_boxes(folder: Path, cell: str) -> object:
    """The 项目类别 cell of a 经常性项目 project built with a template made from `cell`."""
    make_template(target_docx(folder / "普法.docx", cell), folder / "t")
    (folder / "p").mkdir()
    (folder / "p" / "社工.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    build([folder / "p"], BuildOptions(out_dir=folder / "out", templates=folder / "t"))
    return _category_tc((folder / "out" / "社工.docx").read_bytes())


# Every name FORMAT.md accepts for a 绩效目标表 项目类别, with the box (0–2) it ticks.
CATEGORY_NAMES = {
    "专项资金": 0,
    "专项": 0,
    "经常性项目": 1,
    "经常性": 1,
    "一次性项目": 2,
    "一次性": 2,
}


@pytest.mark.parametrize(
    "labels", [("专项资金", "经常性项目", "一次性项目"), ("专项", "经常性", "一次性")]
)
def test_a_box_ticks_for_the_full_and_the_short_name_whatever_the_form_prints(
    tmp_path, write, labels
):
    cell = " ".join(f"{label}{'☑' if i == 1 else '☐'}" for i, label in enumerate(labels))
    make_template(target_docx(tmp_path / "普法.docx", run(cell)), tmp_path / "t")
    for name, printed in _printed_for_every_name(tmp_path, write).items():
        box = CATEGORY_NAMES[name]
        expected = " ".join(f"{label}{'☑' if i == box else '☐'}" for i, label in enumerate(labels))
        assert printed == expected, name


def _printed_for_every_name(tmp_path: Path, write) -> dict[str, str]:
    """The 项目类别 cell a project of each name in CATEGORY_NAMES prints with the template in t/."""
    for name in CATEGORY_NAMES:
        project = GOOD_PROJECT.replace("项目类别: 经常性项目", f"项目类别: {name}")
        write(f"p/{name}.yaml", project.replace("社工", f"社工{name}"))
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    return {
        name: cell_text(_category_tc((tmp_path / "out" / f"{name}.docx").read_bytes()))
        for name in CATEGORY_NAMES
    }


def test_application_boxes_tick_for_every_name_of_the_nature_and_the_category(tmp_path, write):
    form = declaration_form(
        "信访代理员经费",
        "2026.1.1",
        "2026.12.31",
        nature=run("☑经常性 ☐一次性 ☐阶段性"),
        category=run("☐人员类项目 ☑运转类项目 ☐特定目标类项目"),
    )
    made = make_template(
        make_docx(tmp_path / "信访.docx", document_xml(para("财政项目支出绩效目标申报表"), form)),
        tmp_path / "t",
    )
    assert made.boxes == 6
    chosen = {
        "甲": ("阶段性项目", "公用经费"),
        "乙": ("一次性", "特定目标类"),
        "丙": ("经常性项目", "人员类项目"),
    }
    for name, (nature, category) in chosen.items():
        head = f"表样: 绩效目标申报表\n项目性质: {nature}\n项目类别: {category}"
        project = GOOD_PROJECT.replace("表样: 绩效目标表", head)
        write(f"p/{name}.yaml", project.replace("项目类别: 经常性项目\n", "").replace("社工", name))
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    printed = {
        name: _first_row((tmp_path / "out" / f"{name}.docx").read_bytes())[3::2] for name in chosen
    }
    assert printed == {
        "甲": ["☐经常性 ☐一次性 ☑阶段性", "☐人员类项目 ☑运转类项目 ☐特定目标类项目"],
        "乙": ["☐经常性 ☑一次性 ☐阶段性", "☐人员类项目 ☐运转类项目 ☑特定目标类项目"],
        "丙": ["☑经常性 ☐一次性 ☐阶段性", "☑人员类项目 ☐运转类项目 ☐特定目标类项目"],
    }


def _bracket_cell(layout: str, ticked: int) -> str:
    """专项资金, 经常性项目, 一次性项目 with bracket boxes before or after them, one ticked."""
    names = ("专项资金", "经常性项目", "一次性项目")
    boxes = ["（√）" if i == ticked else "（  ）" for i in range(3)]
    if layout == "before":
        return "  ".join(box + name for box, name in zip(boxes, names, strict=True))
    return " ".join(name + box for name, box in zip(names, boxes, strict=True))


@pytest.mark.parametrize(
    ("cell", "layout"),
    [
        (run(_bracket_cell("before", 1)), "before"),
        (run(_bracket_cell("after", 1)), "after"),
        # the brackets, spaces and tick each typed in a run of their own
        (
            run("专项资金（")
            + run("  ")
            + run("） 经常性项目（")
            + run("√")
            + run("） 一次性项目（  ")
            + run("）"),
            "after",
        ),
    ],
    ids=["before", "after", "split-runs"],
)
def test_bracket_boxes_tick_the_projects_choice_as_the_form_writes_them(
    tmp_path, write, cell, layout
):
    made = make_template(target_docx(tmp_path / "普法.docx", cell), tmp_path / "t")
    assert made.boxes == 3
    for name, printed in _printed_for_every_name(tmp_path, write).items():
        assert printed == _bracket_cell(layout, CATEGORY_NAMES[name]), name


def test_a_form_with_no_bracket_box_ticked_ticks_with_a_tick_between_its_brackets(tmp_path):
    tc = _built_boxes(tmp_path, run("(  )专项资金  (  )经常性项目  (  )一次性项目"))
    assert cell_text(tc) == "(  )专项资金  (√)经常性项目  (  )一次性项目"


def test_the_template_command_says_whose_boxes_tick(tmp_path, runner, monkeypatch):
    form = declaration_form(
        "信访代理员经费", "2026.1.1", "2026.12.31", nature=run("☑经常性 ☐一次性 ☐阶段性")
    )
    make_docx(tmp_path / "信访.docx", document_xml(para("财政项目支出绩效目标申报表"), form))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "信访.docx", "-o", "t"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"已写入 t/{APPLICATION_FORM}.docx（{APPLICATION_FORM}模板，3 个勾选框按项目性质勾选）"
    )


def test_a_symbol_box_switches_its_code_in_the_forms_code_page(tmp_path):
    tc = _built_boxes(tmp_path, _boxes("专项资金")["wingdings2-sym"])
    assert [s.get(w("char")) for s in tc.iter(w("sym"))] == ["F0A3", "F052", "F0A3"]
    low = _built_boxes(tmp_path / "low", _boxes("专项资金")["wingdings-sym-low-codes"])
    assert [s.get(w("char")) for s in low.iter(w("sym"))] == ["00A8", "00FE", "00A8"]


def test_a_content_control_switches_its_state_and_its_glyph(tmp_path):
    tc = _built_boxes(tmp_path, _boxes("专项资金")["content-control"])
    states = [c.get(f"{{{W14_NS}}}val") for c in tc.iter(f"{{{W14_NS}}}checked")]
    glyphs = ["".join(t.text or "" for t in sdt.iter(w("t"))) for sdt in tc.iter(w("sdt"))]
    assert (states, glyphs) == (["0", "1", "0"], ["☐", "☒", "☐"])


def test_a_template_from_a_yuan_form_builds_yuan_projects_and_refuses_wanyuan_ones(
    tmp_path, runner, monkeypatch
):
    yuan = ("563,800.00", "563,800.00", "", "563,800.00", "563,800.00", "", "")
    style = WordStyle(unit="元", unit_line=True, signature=False)
    word_form(tmp_path / "本区.docx", Filled(amounts=yuan), style)
    shutil.copytree(SAMPLES, tmp_path / "projects")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "本区模板"]).exit_code == 0
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects/本区"]).exit_code == 0
    built = runner.invoke(
        main, ["build", "projects/本区", "projects/平安办", "--templates", "本区模板"]
    )
    assert built.exit_code == 1
    assert (
        docx_paragraphs((tmp_path / "output" / "本区" / "本区.docx").read_bytes())[2] == "单位：元"
    )
    refusals = built.stdout.splitlines()
    assert len(refusals) == len(list((tmp_path / "projects" / "平安办").glob("[!_]*.yaml")))
    assert (
        "projects/平安办/安保经费.yaml: 模板 本区模板/绩效目标表.docx 在“单位：元”处"
        "把金额单位固定印作“元”，这个项目的金额单位（格式.金额单位）却是万元，印出来的金额会差一万倍；"
        "请在 Word 中把模板里的“元”改为 {{ 金额单位 }}（各项目印自己的单位），或者在项目文件"
        "（或 _defaults.yaml）的 格式 下写 金额单位: 元，并把金额改写成以元为单位"
    ) in refusals
    assert not (tmp_path / "output" / "平安办").exists()


# ---------------------------------------------------------------- refusals


def test_an_existing_template_is_kept_unless_force(tmp_path, runner, monkeypatch):
    form = target_docx(tmp_path / "普法.docx", _boxes("经常性项目")["wingdings2-sym"])
    (tmp_path / "templates").mkdir()  # the gen folder's templates/, with the other form's
    shutil.copy(REPO / "templates" / f"{APPLICATION_FORM}.docx", tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(main, ["template", "普法.docx"])
    assert first.exit_code == 0, first.output
    assert first.output == (
        f"已写入 templates/{TARGET_FORM}.docx（{TARGET_FORM}模板，3 个勾选框按项目类别勾选）\n"
        "下一步：gen import 普法.docx 读入项目，然后 gen build 按这个版式生成表格\n"
    )
    made = (tmp_path / "templates" / f"{TARGET_FORM}.docx").read_bytes()
    (tmp_path / "templates" / f"{TARGET_FORM}.docx").write_bytes(b"mine")
    again = runner.invoke(main, ["template", "普法.docx"])
    assert again.exit_code == 2
    assert again.output == (
        f"错误：templates/{TARGET_FORM}.docx 已存在，没有覆盖；"
        "要用 普法.docx 做的模板替换它，请加 --force\n"
    )
    assert (tmp_path / "templates" / f"{TARGET_FORM}.docx").read_bytes() == b"mine"
    assert runner.invoke(main, ["template", "普法.docx", "--force"]).exit_code == 0
    assert (tmp_path / "templates" / f"{TARGET_FORM}.docx").read_bytes() == made
    assert form.exists()


def test_the_next_step_quotes_paths_a_shell_would_split(tmp_path, runner, monkeypatch):
    (tmp_path / "新建文件夹 (2)").mkdir()
    target_docx(tmp_path / "新建文件夹 (2)" / "普法.docx", _boxes("经常性项目")["wingdings2-sym"])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "新建文件夹 (2)/普法.docx", "-o", "我的 模板"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith(
        '下一步：gen import "新建文件夹 (2)/普法.docx" 读入项目，'
        '然后 gen build --templates "我的 模板" 按这个版式生成表格'
    )


def test_the_next_step_builds_with_the_folder_written_and_names_what_it_lacks(
    tmp_path, runner, monkeypatch
):
    target_docx(tmp_path / "普法.docx", _boxes("经常性项目")["wingdings2-sym"])
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "普法.docx", "-o", "本区模板"])
    assert result.exit_code == 0, result.output
    installed = template_file(tmp_path / "本区模板", APPLICATION_FORM)
    assert installed.parent in INSTALLED  # the installed copy, named in both notes
    assert result.output.splitlines()[1] == (
        "下一步：gen import 普法.docx 读入项目，然后 gen build --templates 本区模板 按这个版式生成表格；"
        f"本区模板 里没有 {APPLICATION_FORM}.docx，这种表样的项目仍按随 gen 安装的模板 {installed} 生成"
    )
    projects = tmp_path / "projects"
    projects.mkdir()
    (projects / "申报.yaml").write_text(
        GOOD_PROJECT.replace("表样: 绩效目标表", f"表样: {APPLICATION_FORM}").replace(
            "项目类别: 经常性项目", "项目类别: 运转类项目\n项目性质: 经常性项目"
        ),
        encoding="utf-8",
    )
    built = runner.invoke(main, ["build", "--templates", "本区模板"])
    assert built.exit_code == 0, built.output  # as the hint said
    assert built.stderr.splitlines()[0] == (
        f"提示：本区模板 里没有 {APPLICATION_FORM}.docx，这种表样的 1 张表格"
        f"按随 gen 安装的模板 {installed} 生成"
    )


def test_written_cells_no_label_claims_are_named_as_printed_on_every_form(
    tmp_path, runner, monkeypatch, write
):
    # "资金总额" is no label gen knows: its amount would print on every project's form
    xml = document_xml(*TITLE, target_form_with(run("经常性项目☑")))
    make_docx(tmp_path / "本区.docx", xml.replace(">项目资金总额<", ">资金总额<"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "本区.docx", "-o", "t"])
    assert result.exit_code == 0
    assert result.stdout == (
        "本区.docx: 警告: 表格里的 第 4 行“资金总额”、第 4 行“10” 不在任何认得的标签旁边，"
        "会原样印在每一张表上；如果其中有填写的内容（如金额），请在 Word 中把它旁边的标签改为"
        "标准写法（如“项目资金总额”）后重新运行 gen template\n"
    )
    assert "已写入 t/绩效目标表.docx" in result.stderr


def test_a_form_missing_a_label_names_it_and_where_it_looked(tmp_path, runner, monkeypatch):
    xml = document_xml(*TITLE, target_form_with(run("经常性项目☑"))).replace("计划开始日期", "开工")
    make_docx(tmp_path / "旧表.docx", xml)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "旧表.docx", "-o", "模板"])
    assert result.exit_code == 1
    assert result.output.startswith(
        "错误：旧表.docx: 没有找到“计划开始日期”或“计划开始时间”这一栏"
        "（在第 1 个表格的第 1–13 行找过；找到的标签：项目名称、项目类别、主管部门、"
    )
    assert result.output.endswith(
        "为了不漏掉这一项，没有用这个表格做模板。请确认这是绩效目标表或绩效目标申报表；"
        "如果这一栏在表格里写法不同，请在 Word 中把它改为“计划开始日期”后再运行\n"
    )
    assert not (tmp_path / "模板").exists()


def test_boxes_that_cannot_be_told_whose_they_are_are_refused(tmp_path, runner, monkeypatch):
    cell = run("（  ）专项资金  （√）经常性项目  一次性项目（  ）")
    make_docx(tmp_path / "旧表.docx", document_xml(*TITLE, target_form_with(cell)))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "旧表.docx", "-o", "模板"])
    assert result.exit_code == 1
    assert result.output == (
        "错误：旧表.docx: 第 1 个表格第 1 行“项目类别”旁的勾选框"
        "“（  ）专项资金  （√）经常性项目  一次性项目（  ）”"
        "看不出每个框是它前面那一项的还是后面那一项的；为了不勾错，没有用这个表格做模板。"
        "请在 Word 中把每个框都紧挨着写在它那一项的同一边，各项之间空一格"
        "（如“（  ）专项资金  （√）经常性项目”或“专项资金（  ）  经常性项目（√）”）后再运行\n"
    )
    assert not (tmp_path / "模板").exists()


def test_a_file_with_several_forms_is_refused(tmp_path):
    xml = document_xml(
        para("财政项目支出绩效目标申报表"),
        para("（2026年度）"),
        declaration_form("信访代理员经费", "2026.1.1", "2026.12.31"),
        para("（2026年度）"),
        declaration_form("劝导队经费", "2026.1.1", "2026.12.31"),
    )
    source = make_docx(tmp_path / "两张.docx", xml)
    with pytest.raises(GenError) as caught:
        make_template(source, tmp_path / "t")
    assert caught.value.message == (
        f"{source.as_posix()}: 文件里有 2 张表；gen template 只从一张表做模板：请把其中一张另存为"
        "单独的文件（保留标题和表格前后的文字）后再运行"
    )
    assert not (tmp_path / "t").exists()


def test_a_file_without_a_form_says_what_it_holds(tmp_path, runner, monkeypatch):
    make_docx(tmp_path / "通知.docx", document_xml(para("关于报送绩效目标的通知")))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "通知.docx"])
    assert result.exit_code == 1
    assert result.output == (
        "错误：通知.docx: 没有找到绩效目标表：文件里没有表格（只有 1 段文字，开头是“关于报送绩效目标的通知”）\n"
    )
    assert not (tmp_path / "templates").exists()


# ---------------------------------------------------------------- LibreOffice


@needs_soffice
def test_templates_and_forms_open_in_libreoffice_and_an_old_doc_makes_one(tmp_path, write):
    build([SAMPLES / "信访办" / "劝导队经费.yaml"], BuildOptions(out_dir=tmp_path / "built"))
    _soffice(tmp_path, "doc", tmp_path / "old", tmp_path / "built" / "信访办" / "劝导队经费.docx")
    made = make_template(tmp_path / "old" / "劝导队经费.doc", tmp_path / "t")
    assert made.form == APPLICATION_FORM
    form = word_form(tmp_path / "表.docx", style=WordStyle(boxes="control"))
    made_target = make_template(form, tmp_path / "t")
    write("p/社工.yaml", GOOD_PROJECT)
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0
    files = [made.path, made_target.path, tmp_path / "out" / "社工.docx"]
    _soffice(tmp_path, "pdf", tmp_path / "pdf", *files)
    for file in files:
        assert (tmp_path / "pdf" / f"{file.stem}.pdf").stat().st_size > 1000, file


def _soffice(tmp_path: Path, kind: str, out: Path, *files: Path) -> None:
    """Convert files with a headless LibreOffice of its own profile."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("line", "tagged", "printed"),
    [
        ("（2026年度）", "（{{ 年度 }}年度）", "（2027年度）"),
        ("(2026 年度)", "({{ 年度 }} 年度)", "(2027 年度)"),
        ("（2026年）", "（{{ 年度 }}年）", "（2027年）"),
        (
            "2026年度财政项目支出绩效目标表",
            "{{ 年度 }}年度财政项目支出绩效目标表",
            "2027年度财政项目支出绩效目标表",
        ),
        (
            "（２０２６年度）",
            '（{% for d in 年度 %}{{ "０１２３４５６７８９"[d|int] }}{% endfor %}年度）',
            "（２０２７年度）",
        ),
        # spaced out to fill the line: each digit in its place, the spaces as written
        (
            "（2 0 2 6 年 度）",
            "（{{ 年度[-4] }} {{ 年度[-3] }} {{ 年度[-2] }} {{ 年度[-1] }} 年 度）",
            "（2 0 2 7 年 度）",
        ),
        ("（2　0　2　6年度）", None, "（2　0　2　7年度）"),
        ("（二 〇 二 六 年度）", None, "（二 〇 二 七 年度）"),
        # the letter O for a zero: the project's year in digits
        ("（2O26年度）", "（{{ 年度 }}年度）", "（2027年度）"),
        ("（２Ｏ２６年度）", None, "（２０２７年度）"),
    ],
)
def test_year_lines_keep_their_style(tmp_path, write, line, tagged, printed):
    xml = document_xml(
        para("财政项目支出绩效目标表"), para(line), target_form_with(run("经常性项目☑"))
    )
    form = make_docx(tmp_path / "普法.docx", xml)
    template = docx_paragraphs(template_of(form, tmp_path / "t"))
    assert tagged is None or template[1] == tagged
    write("p/社工.yaml", GOOD_PROJECT.replace("年度: 2026", "年度: 2027").replace("2026-", "2027-"))
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    assert docx_paragraphs((tmp_path / "out" / "社工.docx").read_bytes())[1] == printed


@pytest.mark.parametrize(
    ("line", "tagged", "printed"),
    [
        ("（二〇二六年度）", "〇一二三四五六七八九", "（二〇三〇年度）"),
        ("（二○二六年度）", "○一二三四五六七八九", "（二○三○年度）"),  # its circle for 〇
        ("（二零二六年）", "零一二三四五六七八九", "（二零三零年）"),
        ("（贰零贰陆年度）", "零壹贰叁肆伍陆柒捌玖", "（贰零叁零年度）"),
    ],
)
def test_a_year_in_chinese_digits_prints_each_projects_year_in_them(
    tmp_path, write, line, tagged, printed
):
    xml = document_xml(
        para("财政项目支出绩效目标表"), para(line), target_form_with(run("经常性项目☑"))
    )
    form = make_docx(tmp_path / "普法.docx", xml)
    loop = f'{{% for d in 年度 %}}{{{{ "{tagged}"[d|int] }}}}{{% endfor %}}'
    assert docx_paragraphs(template_of(form, tmp_path / "t"))[1] == f"（{loop}{line[5:]}"
    write("p/社工.yaml", GOOD_PROJECT.replace("2026", "2030"))
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    assert docx_paragraphs((tmp_path / "out" / "社工.docx").read_bytes())[1] == printed


def test_a_goal_labels_period_in_chinese_digits_prints_each_projects_in_them(tmp_path, write):
    style = WordStyle(
        year_line="（二〇二六年度）", goal_label="项目总目标（二〇二五年至二〇二六年）"
    )
    form = word_form(tmp_path / "表.docx", Filled(period=(2025, 2026)), style)
    template = template_of(form, tmp_path / "t")
    chinese = '"〇一二三四五六七八九"[d|int]'
    first, last = (
        f"{{% for d in {name} %}}{{{{ {chinese} }}}}{{% endfor %}}"
        for name in ("项目起始年", "项目结束年")
    )
    assert cell_texts(template)[7][1] == f"项目总目标（{first}年至{last}年）"
    project = GOOD_PROJECT.replace("年度: 2026", "年度: 2027").replace("2026-", "2027-")
    write("p/社工.yaml", project + "项目期间: 2026-2030\n")
    built = build(
        [tmp_path / "p"], BuildOptions(out_dir=tmp_path / "out", templates=tmp_path / "t")
    )
    assert built.exit_code == 0, [str(f) for f in built.findings]
    printed = (tmp_path / "out" / "社工.docx").read_bytes()
    assert docx_paragraphs(printed)[1] == "（二〇二七年度）"
    assert cell_texts(printed)[7][1] == "项目总目标（二〇二六年至二〇三〇年）"


def test_a_missing_file_is_a_usage_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["template", "我们的表.docx"])
    assert (result.exit_code, result.output) == (
        2,
        "错误：找不到 我们的表.docx；请检查路径是否写对\n",
    )
    assert not (tmp_path / "templates").exists()

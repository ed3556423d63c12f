"""Forms as districts make them: the unit in the page header or a text box, the year in the title,
hidden text, a form inside a text box, two amounts in one cell."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from docx.enum.style import WD_STYLE_TYPE
from docx_grid import docx_cell_paragraphs, docx_paragraphs, docx_part, docx_rows
from handmade import (
    TICKED,
    TITLE,
    Filled,
    WordStyle,
    document_xml,
    edited_docx,
    imported,
    leaf,
    make_docx,
    money_rows,
    run,
    target_form_with,
    tbl,
    tc,
    text_box_element,
    tr,
    word_form,
)

from gen.cli import main
from gen.errors import shown
from gen.importing.importer import import_forms
from gen.importing.printed import parse_amount

YUAN = ("80,000.00", "80,000.00", "", "80,000.00", "80,000.00", "", "")


def yuan_form(
    path: Path, label: str = "项目资金", amounts: tuple[str, ...] = YUAN, **places: str
) -> Path:
    """A form whose amounts (`amounts`) are in 元, its 项目资金 label `label`, and the unit written
    in the places given: header, footer, text_box (in the year line), below (a line after the
    table)."""

    def edit(document: Any) -> None:
        for word_run in document.tables[0].cell(3, 0).paragraphs[0].runs:
            word_run.text = label if word_run.text else ""
        section = document.sections[0]
        if "header" in places:
            section.header.paragraphs[0].text = places["header"]
        if "footer" in places:
            section.footer.paragraphs[0].text = places["footer"]
        if "text_box" in places:
            document.paragraphs[1]._p.append(text_box_element(places["text_box"]))
        if "below" in places:
            document.add_paragraph(places["below"])

    form = word_form(path, Filled(amounts=amounts), WordStyle(unit="元", signature=False))
    return edited_docx(form, edit)


# ---------------------------------------------------------------- the unit outside the table


@pytest.mark.parametrize(
    ("place", "unit"),
    [
        ({"header": "金额单位：元"}, "元"),
        ({"footer": "单位：元"}, "元"),
        ({"text_box": "单位：元"}, "元"),
        ({"below": "注：金额单位：元"}, "元"),
        # 万 alone abbreviates 万元: such a form was imported with a warning that it states no unit
        ({"header": "金额单位：万"}, "万元"),
        ({"text_box": "（单位：万）"}, "万元"),
        ({"below": "注：本表金额以万为单位"}, "万元"),
        ({"footer": "单位:万"}, "万元"),
    ],
    ids=["header", "footer", "text-box", "below", *(f"wan-{i}" for i in range(4))],
)
def test_a_unit_printed_outside_the_table_is_imported(tmp_path, place, unit):
    source = yuan_form(tmp_path / "in" / "本区.docx", **place)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert data.get("格式", {}).get("金额单位", "万元") == unit
    assert data["项目资金"] == {"项目资金总额": 80000, "财政资金": 80000}


def noted_form(path: Path, note: str) -> Path:
    """A form in 元 whose unit is said only in a row of the table below the indicators."""
    indicators = [
        leaf(tc("产出指标"), "数量指标", "宣传品数", "2000份"),
        leaf(tc("效益指标"), "社会效益指标", "法治意识", "提升"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "≥90%"),
        tr(tc(note, span=5)),
    ]
    money = money_rows("80000", "80000", "80000", "80000", label="项目资金")
    form = target_form_with(TICKED, indicators=indicators, money=money)
    return make_docx(path, document_xml(*TITLE, form))


def test_a_unit_in_a_row_below_the_indicators_is_the_forms(tmp_path, runner, monkeypatch):
    """gen build reads the row of a template made from the form: gen import reads it too."""
    source = noted_form(tmp_path / "本区.docx", "注：本表金额单位：元")
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: 指标下面的 第 14 行（注：本表金额单位：元） 不是指标，没有导入"
        "（项目文件里没有这些栏目）；其中若有指标，请在 Word 中让它像上面的指标行一样一级、二级、"
        "三级指标和指标值各占一格，再重新导入"
    ]
    assert imported(tmp_path / "out" / "本区.yaml")["格式"]["金额单位"] == "元"
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects"]).exit_code == 0
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")


def test_a_unit_gen_does_not_print_in_a_row_below_the_indicators_is_refused(tmp_path):
    source = noted_form(tmp_path / "本区.docx", "注：金额单位：千元")
    result = import_forms([source], tmp_path / "out")
    assert [f.message for f in result.problems] == [
        thousands_refused(
            "千元", "“注：金额单位：千元”", "80000 千元是 80000000 元，也就是 8000 万元"
        )
    ]


@pytest.mark.parametrize(
    "header",
    [
        "填报单位：元氏县民政局",
        "实施单位: 元江县财政局",
        "单位：元阳县民政局",
        "计量单位：元",  # an indicator's unit
        "计量单位：美元",
        "单位：美元大厦物业管理处",
        "币种：人民币",  # the currency, not whether amounts are in 元 or 万元
    ],
)
def test_a_place_named_after_a_unit_label_is_no_unit(tmp_path, header):
    """“填报单位：元氏县…” names a county that starts with 元, not the amounts' unit."""
    source = yuan_form(tmp_path / "in" / "本区.docx", header=header)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == []
    assert "金额单位" not in imported(tmp_path / "out" / "本区.yaml").get("格式", {})


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("金额单位：元", ["元"]),
        ("（单位：万元）", ["万元"]),
        ("财政项目支出绩效目标表    单位：元", ["元"]),
        ("编制单位：元谋县   金额单位：万元", ["万元"]),
        ("填报单位：元氏县民政局", []),
        ("单位：元氏县民政局", []),
        ("单位：元谋县财政局    金额单位：万元", ["万元"]),
        ("单位：元。", ["元"]),
        ("单位：万元 年度：2026", ["万元"]),
        ("项目资金（万 元）", ["万元"]),
        ("单位：人民币 元", ["元"]),
        ("金额单位：万元人民币", ["万元"]),
        ("单位 元", ["元"]),
        ("项目资金（元，保留两位小数）", ["元"]),
        ("金额单位　万元", ["万元"]),
        ("单位 元氏县民政局", []),
        ("Unit单位：元", []),  # a word is told by its letters, of any script
        ("单位：元Xian County", []),
        ("2026单位：元", ["元"]),  # a digit ends no word
        ("填报单位 元江县", []),
        ("单位：元人民币", ["元"]),
        ("单位：RMB元", ["元"]),
        ("单位：ＲＭＢ 万元", ["万元"]),
        ("单位：CNY元", ["元"]),
        ("单位：￥元", ["元"]),
        ("单位：¥ 万元", ["万元"]),
        ("项目资金（￥）", ["元"]),
        ("金额（¥）", ["元"]),
        ("人民币（元）", ["元"]),
        ("单位：人民币（万元）", ["万元"]),
        ("（人民币：元）", ["元"]),
        ("单位：元整", ["元"]),
        ("项目资金（万元整）", ["万元"]),
        ("币种：人民币  单位：万元", ["万元"]),
        ("单位：美元", []),
        # the traditional 萬 and the formal 圆 (圓) of 元, and a label in traditional characters
        ("单位：萬元", ["万元"]),
        ("项目资金（萬元）", ["万元"]),
        ("金額單位：萬元", ["万元"]),
        ("（單位：萬 元）", ["万元"]),
        ("单位：圆", ["元"]),
        ("单位：圓", ["元"]),
        ("单位：人民币圆", ["元"]),
        ("人民币（圆）", ["元"]),
        ("单位：万圆", ["万元"]),
        ("项目资金（萬圆）", ["万元"]),
        ("单位：圆明园管理处", []),
        ("单位：萬人", []),
        # 万 alone, as forms abbreviate 万元, where it can be nothing else
        ("单位：万", ["万元"]),
        ("单位:万", ["万元"]),
        ("（单位：万）", ["万元"]),
        ("金额单位：万", ["万元"]),
        ("金额单位：万    填报日期：2026年1月10日", ["万元"]),
        ("单位：萬", ["万元"]),
        ("项目资金（万）", ["万元"]),
        ("金额（万）", ["万元"]),
        ("其中：当年财政拨款（万，保留两位小数）", ["万元"]),
        ("本表金额以万为单位", ["万元"]),
        ("单位：万人", []),
        ("单位：万元户", []),
        ("单位：万（人次）", []),
        ("服务人数（万）", []),
        ("（万）", []),
        ("填报单位：万达集团", []),
        ("计量单位：万", []),
    ],
)
def test_the_unit_a_line_states(text, units):
    from gen.vocabulary import stated_units

    assert stated_units(text) == units


@pytest.mark.parametrize(
    ("place", "said"),
    [
        ({"header": "金额单位：元"}, "页眉里的“金额单位：元”"),
        ({"text_box": "单位：元"}, "文本框里的“单位：元”"),
    ],
    ids=["header", "text-box"],
)
def test_a_unit_outside_the_table_that_differs_from_the_label_is_warned(tmp_path, place, said):
    source = yuan_form(tmp_path / "in" / "本区.docx", label="项目资金（万元）", **place)
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: 表格上写的金额单位不一致（“项目资金（万元）”是万元，{said}是元）；"
        "已按万元导入（格式.金额单位），请核对金额是用哪个单位写的，需要时改正金额或 格式.金额单位"
    ]
    assert "金额单位" not in imported(tmp_path / "out" / "本区.yaml").get("格式", {})


@pytest.mark.parametrize(
    ("place", "where", "said"),
    [
        ({"header": "金额单位：元"}, "word/header1.xml", "页眉里的“金额单位：元”"),
        ({"text_box": "单位：元"}, "word/document.xml", "文本框里的“单位：元”"),
        ({"header": "单　　位：元"}, "word/header1.xml", "页眉里的“单　　位：元”"),
    ],
    ids=["header", "text-box", "spaced-label"],
)
def test_a_form_with_its_unit_outside_the_table_builds_in_yuan(
    tmp_path, runner, monkeypatch, place, where, said
):
    yuan_form(tmp_path / "本区.docx", **place)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects"]).exit_code == 0
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")
    form = (tmp_path / "output" / "本区.docx").read_bytes()
    amounts = [docx_cell_paragraphs(tc) for tc in docx_rows(form)[3].findall("w:tc", NS)]
    assert amounts[2] == ["80,000.00"]
    printed = [
        "".join(t.text or "" for t in p.iter(W + "t")) for p in docx_part(form, where).iter(W + "p")
    ]
    assert next(iter(place.values())) in printed  # the line stating the unit, as it was
    # the same template refuses a project in 万元, naming the place of its unit once, untagged
    wan = (tmp_path / "projects" / "本区.yaml").read_text(encoding="utf-8")
    (tmp_path / "万元").mkdir()
    (tmp_path / "万元" / "本区.yaml").write_text(wan.replace("  金额单位: 元\n", ""), "utf-8")
    refused = runner.invoke(main, ["build", "万元", "--templates", "模板", "-o", "万元输出"])
    assert refused.stdout.splitlines()[0] == (
        f"万元/本区.yaml: 模板 模板/绩效目标表.docx 在{said}处把金额单位固定印作“元”，"
        "这个项目的金额单位（格式.金额单位）却是万元，印出来的金额会差一万倍；"
        "请在 Word 中把模板里的“元”改为 {{ 金额单位 }}（各项目印自己的单位），"
        "或者在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: 元，并把金额改写成以元为单位"
    )


def test_a_unit_on_the_year_line_is_quoted_as_it_reads(tmp_path, runner, monkeypatch):
    style = WordStyle(unit="元", year_line="（{year}年度）  单位：元")
    word_form(tmp_path / "本区.docx", Filled(amounts=YUAN), style)
    shutil.copytree(SAMPLES, tmp_path / "projects")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    built = runner.invoke(main, ["build", "projects/平安办/安保经费.yaml", "--templates", "模板"])
    assert built.stdout.startswith(
        "projects/平安办/安保经费.yaml: 模板 模板/绩效目标表.docx 在“（…年度）  单位：元”处"
        "把金额单位固定印作“元”，"
    )


# ---------------------------------------------------------------- a unit gen does not print

THOUSANDS = ("56.38", "56.38", "", "56.38", "56.38", "", "")  # 56.38 千元 is 56380 元


def thousands_refused(unit: str, said: str, example: str) -> str:
    """What gen import says of a form whose amounts are in `unit` (千元…), stated by `said`."""
    return (
        f"表格上的金额单位是{unit}（{said}）；gen 的金额只能以元或万元为单位，"
        f"为了不把{unit}的金额当作元或万元，这个表格没有导入。请在 Word 中把金额改写成以元或万元为单位"
        f"（如 {example}），并把“{unit}”改为“元”或“万元”后再导入"
    )


def foreign_refused(units: str, said: str, quoted: str | None = None) -> str:
    """What gen import says of a form whose amounts are in another currency (美元…)."""
    return (
        f"表格上的金额单位是{units}（{said}）；gen 的金额只能是人民币，以元或万元为单位，"
        f"为了不把{units}的金额当作人民币，这个表格没有导入。"
        "请在 Word 中把金额按汇率折算成人民币、以元或万元为单位，"
        f"并把“{quoted or units}”改为“元”或“万元”后再导入"
    )


@pytest.mark.parametrize(
    ("style", "unit"),
    [
        (WordStyle(unit="萬元"), "万元"),
        (WordStyle(unit="圆"), "元"),
        (WordStyle(unit="万圆"), "万元"),
        (WordStyle(unit="元", unit_line=True), "元"),
        (WordStyle(unit="萬元", unit_line=True), "万元"),
        (WordStyle(unit="万"), "万元"),
    ],
    ids=[
        "wan-traditional",
        "yuan-formal",
        "wan-formal",
        "line",
        "line-traditional",
        "wan-alone",
    ],
)
def test_a_unit_in_other_characters_is_read(tmp_path, style, unit):
    """项目资金（萬元）and 项目资金（万）were no label at all (the cell listed as unread), and
    项目资金（圆）and “单位：万” stated no unit: the form was imported in 万元 with a warning that
    it states none."""
    source = word_form(tmp_path / "in" / "本区.docx", Filled(amounts=YUAN), style)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data.get("格式", {}).get("金额单位", "万元"), data["项目资金"]["财政资金"]) == (
        unit,
        80000,
    )


def test_a_unit_in_the_capitals_of_accounts_is_refused_as_written(tmp_path):
    """仟元 is 千元: the form is refused, and told to change the 仟元 it prints."""
    source = yuan_form(tmp_path / "in" / "本区.docx", label="项目资金（仟元）")
    result = import_forms([source], tmp_path / "out")
    assert [f.message for f in result.problems] == [
        thousands_refused(
            "千元", "“项目资金（仟元）”", "80000.00 千元是 80000000 元，也就是 8000 万元"
        ).replace("并把“千元”", "并把“仟元”")
    ]


@pytest.mark.parametrize("label", ["项目资金（千）", "项目资金（单位：千）"])
def test_a_power_of_ten_alone_is_refused_as_its_unit(tmp_path, label):
    """项目资金（千） is 千元, as 项目资金（万） is 万元: it was imported as 万元, ten times too much,
    with only a warning that the form states no unit."""
    source = yuan_form(tmp_path / "in" / "本区.docx", label=label)
    result = import_forms([source], tmp_path / "out")
    assert [f.message for f in result.problems] == [
        thousands_refused(
            "千元", f"“{label}”", "80000.00 千元是 80000000 元，也就是 8000 万元"
        ).replace("并把“千元”", "并把“千”")
    ]
    assert not (tmp_path / "out" / "本区.yaml").exists()


def test_a_unit_label_with_a_note_in_its_brackets_is_read(tmp_path):
    """“项目资金（元，保留两位小数）”: the label, and its unit, with a note after it."""
    source = yuan_form(tmp_path / "in" / "本区.docx", label="项目资金（元，保留两位小数）")
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data["格式"]["金额单位"], data["项目资金"]["财政资金"]) == ("元", 80000)


def test_a_line_offering_two_units_is_warned_not_taken_for_its_first(tmp_path):
    """“金额单位：元/万元” on a blank form says neither: the import warns, never silently."""
    source = yuan_form(tmp_path / "in" / "本区.docx", header="金额单位：元/万元")
    result = import_forms([source], tmp_path / "out")
    said = "页眉里的“金额单位：元/万元”"
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: 表格上写的金额单位不一致（{said}同时写了元和万元）；"
        "已按元导入（格式.金额单位），请核对金额是用哪个单位写的，需要时改正金额或 格式.金额单位"
    ]


@pytest.mark.parametrize(
    ("places", "unit", "said"),
    [
        ({"label": "项目资金（千元）"}, "千元", "“项目资金（千元）”"),
        ({"label": "项目资金 (单位:千元)"}, "千元", "“项目资金 (单位:千元)”"),
        ({"header": "金额单位：千元"}, "千元", "页眉里的“金额单位：千元”"),
        ({"footer": "单位：千元"}, "千元", "页脚里的“单位：千元”"),
        ({"text_box": "（单位：千元）"}, "千元", "文本框里的“（单位：千元）”"),
        ({"below": "注：金额单位：千元"}, "千元", "表格下面的“注：金额单位：千元”"),
        ({"header": "金额单位：人民币千元"}, "千元", "页眉里的“金额单位：人民币千元”"),
        ({"label": "项目资金（千　元）"}, "千元", "“项目资金（千　元）”"),  # spread over the cell
        # the label says 万元, the header 千元: which the amounts are in cannot be told
        (
            {"label": "项目资金（万元）", "header": "单位：千元"},
            "千元",
            "页眉里的“单位：千元”",
        ),
        # another currency: read as no unit, such a form was imported in 万元 without a word
        ({"header": "单位：美元"}, "美元", "页眉里的“单位：美元”"),
        ({"label": "项目资金（美元）"}, "美元", "“项目资金（美元）”"),
        ({"below": "金额（美元）"}, "美元", "表格下面的“金额（美元）”"),
        ({"footer": "单位：港币"}, "港币", "页脚里的“单位：港币”"),
        ({"text_box": "（单位：欧元）"}, "欧元", "文本框里的“（单位：欧元）”"),
        ({"header": "金额单位：日元"}, "日元", "页眉里的“金额单位：日元”"),
        ({"header": "币种：英镑"}, "英镑", "页眉里的“币种：英镑”"),
        ({"header": "金额单位：千美元"}, "千美元", "页眉里的“金额单位：千美元”"),
        ({"header": "单位：USD"}, "USD", "页眉里的“单位：USD”"),
        ({"label": "项目资金（港　元）"}, "港元", "“项目资金（港　元）”"),
        # the label says 元, the header 美元: which currency the amounts are in cannot be told
        ({"label": "项目资金（元）", "header": "单位：美元"}, "美元", "页眉里的“单位：美元”"),
    ],
    ids=[
        "label",
        "label-unit",
        "header",
        "footer",
        "text-box",
        "below",
        "rmb",
        "spaced",
        "label-and-header",
        "dollars-header",
        "dollars-label",
        "dollars-below",
        "hk-footer",
        "euro-text-box",
        "yen",
        "currency",
        "thousand-dollars",
        "code",
        "dollars-spaced",
        "yuan-label-and-dollars-header",
    ],
)
def test_a_form_in_a_unit_gen_does_not_print_is_refused_not_read_as_wanyuan(
    tmp_path, places, unit, said
):
    source = yuan_form(tmp_path / "in" / "本区.docx", **{"label": "项目资金", **places})
    result = import_forms([source], tmp_path / "out")
    example = "80000.00 千元是 80000000 元，也就是 8000 万元"
    refusal = (
        thousands_refused(unit, said, example) if unit == "千元" else foreign_refused(unit, said)
    )
    assert [str(f) for f in result.problems] == [f"{shown(source)}: " + refusal]
    assert (result.forms, result.notes) == ([], [])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("unit", "example"),
    [
        ("千元", "56.38 千元是 56380 元，也就是 5.638 万元"),
        ("百万元", "56.38 百万元是 56380000 元，也就是 5638 万元"),
        ("亿元", "56.38 亿元是 5638000000 元，也就是 563800 万元"),
        ("十万元", "56.38 十万元是 5638000 元，也就是 563.8 万元"),
    ],
)
def test_the_refusal_converts_the_forms_first_amount_exactly(tmp_path, unit, example):
    style = WordStyle(unit=unit, signature=False)
    source = word_form(tmp_path / "in" / "本区.docx", Filled(amounts=THOUSANDS), style)
    result = import_forms([source], tmp_path / "out")
    said = f"“项目资金（{unit}）”"
    assert [str(f) for f in result.problems] == [
        f"{shown(source)}: " + thousands_refused(unit, said, example)
    ]


@pytest.mark.parametrize("label", ["其中：财政资金（千元）", "其他资金（千元）"])
def test_a_unit_on_any_amount_label_is_read(tmp_path, label):
    """Refused for its unit: 其中：财政资金（千元） was a missing 财政资金 label, and a form with
    其他资金（千元） was imported in 万元, the label named as a cell not read."""
    old = "其中：财政资金" if label.startswith("其中") else "其他资金"
    money = money_rows("10", "10", "10", "10", label="项目资金")
    xml = document_xml(*TITLE, target_form_with(TICKED, money=money))
    assert f">{old}<" in xml
    xml = xml.replace(f">{old}<", f">{label}<", 1)
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.problems] == [
        f"{shown(source)}: "
        + thousands_refused("千元", f"“{label}”", "10 千元是 10000 元，也就是 1 万元")
    ]


def test_a_form_in_thousands_and_another_currency_names_both(tmp_path):
    source = yuan_form(tmp_path / "in" / "本区.docx", label="项目资金（千元）", footer="单位：美元")
    result = import_forms([source], tmp_path / "out")
    said = "“项目资金（千元）”、页脚里的“单位：美元”"
    assert [str(f) for f in result.problems] == [
        f"{shown(source)}: " + foreign_refused("千元、美元", said, "千元”“美元")
    ]


def test_the_other_files_import_beside_a_form_in_another_currency(tmp_path):
    dollars = yuan_form(tmp_path / "in" / "美元.docx", header="单位：美元")
    yuan = yuan_form(tmp_path / "in" / "本区.docx", header="单位：￥元")
    result = import_forms([tmp_path / "in"], tmp_path / "out")
    assert [str(f) for f in result.problems] == [
        f"{shown(dollars)}: " + foreign_refused("美元", "页眉里的“单位：美元”")
    ]
    assert [form.source for form in result.forms] == [yuan]
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data["格式"]["金额单位"], data["项目资金"]["财政资金"]) == ("元", 80000)
    assert not (tmp_path / "out" / "美元.yaml").exists()


def test_the_other_forms_of_a_file_import_beside_one_refused(tmp_path):
    """A file of several forms: the one refused is named by its place, the others import."""
    thousands = money_rows("56.38", "56.38", "56.38", "56.38", label="项目资金（千元）")
    xml = document_xml(
        *TITLE,
        target_form_with(TICKED, name="普法"),
        *TITLE,
        target_form_with(TICKED, name="调解", money=thousands),
    )
    source = make_docx(tmp_path / "in" / "司法所.docx", xml)
    result = import_forms([source], tmp_path / "out")
    example = "56.38 千元是 56380 元，也就是 5.638 万元"
    assert [str(f) for f in result.problems] == [
        f"{shown(source)}: 第 2 个表：" + thousands_refused("千元", "“项目资金（千元）”", example)
    ]
    assert [(form.number, form.target.name) for form in result.written] == [(1, "普法.yaml")]
    assert imported(tmp_path / "out" / "普法.yaml")["项目名称"] == "普法"
    assert result.exit_code == 1
    # the file was read: its refused form is counted as a form, not the file as unreadable
    assert result.closing_line().startswith(
        "已导入 1 个表格，无法导入的文件 0 个，无法导入的表 1 个，未覆盖 0 个，"
    )


@pytest.mark.parametrize(
    ("second", "said"),
    [
        (
            target_form_with(run("☑经常性项目 一次性项目☐"), name="调解"),
            "第 2 个表格第 1 行“项目类别”旁的勾选框“☑经常性项目 一次性项目☐”看不出每个框是它前面"
            "那一项的还是后面那一项的；为了不勾错，这个表格没有导入。",
        ),
        (
            target_form_with(TICKED, name="调解").replace(">实施单位<", ">执行者<"),
            "没有找到“实施单位”这一栏（在第 2 个表格的第 1–13 行找过；",
        ),
    ],
    ids=["boxes", "missing-label"],
)
def test_a_refused_form_whose_message_names_its_table_is_named_once(tmp_path, second, said):
    """It read “第 2 个表：第 2 个表格第 1 行…”: the table's place, said twice."""
    xml = document_xml(*TITLE, target_form_with(TICKED, name="普法"), *TITLE, second)
    source = make_docx(tmp_path / "in" / "司法所.docx", xml)
    result = import_forms([source], tmp_path / "out")
    assert [f.message[: len(said)] for f in result.problems] == [said]
    assert [form.target.name for form in result.written] == ["普法.yaml"]


@pytest.mark.parametrize("label", ["上年结转资金（元）", "其他资金（元）"])
def test_the_unit_of_any_amount_label_is_the_forms(tmp_path, label):
    """Only 项目资金, 项目资金总额, 财政资金, 年度资金申请总额 and 当年财政拨款 told the unit: a
    form stating 元 on another amount label only was imported in 万元."""
    money = money_rows("10000", "10000", "10000", "10000", label="项目资金")
    xml = document_xml(*TITLE, target_form_with(TICKED, money=money))
    old = label.removesuffix("（元）")
    xml = xml.replace(f">{old}<", f">{label}<", 1)
    result = import_forms([make_docx(tmp_path / "in" / "普法.docx", xml)], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "普法.yaml")
    assert (data["格式"]["金额单位"], data["项目资金"]["财政资金"]) == ("元", 10000)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("金额单位：千元", ["千元"]),
        ("（单位：百万元）", ["百万元"]),
        ("项目资金（亿元）", ["亿元"]),
        ("金额单位：人民币元", ["元"]),
        ("（单位：人民币万元）", ["万元"]),
        ("填报单位：元氏县民政局", []),
        ("填报单位：千元村委会", []),
        ("金额单位：元/万元", ["元", "万元"]),
        ("单位：万元、元", ["万元", "元"]),
        ("项目资金（千　元）", ["千元"]),
        ("单位：百 万 元", ["百万元"]),
        ("资金单位：元", ["元"]),
        ("货币单位：万元", ["万元"]),
        ("金额单位为：元", ["元"]),
        ("单位为元", ["元"]),
        ("注：本表金额以元为单位", ["元"]),
        ("资金单位：元江县财政局", []),
        ("填报单位为元氏县民政局", []),
        ("单位：美元", ["美元"]),
        ("金额（美元）", ["美元"]),
        ("单位：港币", ["港币"]),
        ("（单位：港元）", ["港元"]),
        ("金额单位：欧元", ["欧元"]),
        ("单位：日元", ["日元"]),
        ("单位：英镑", ["英镑"]),
        ("单位：千美元", ["千美元"]),
        ("单位：万美元", ["万美元"]),
        ("项目资金（美　元）", ["美元"]),
        ("币种：美元", ["美元"]),
        ("以美元为单位", ["美元"]),
        ("单位：USD", ["USD"]),
        ("项目资金（usd）", ["usd"]),
        ("单位：US＄", ["US$"]),
        ("（€）", ["€"]),
        ("单位：元/美元", ["元", "美元"]),
        ("单　位：元", ["元"]),  # the label spread to line up with the lines below it
        ("金 额 单 位：万元", ["万元"]),
        ("币 种：美元", ["美元"]),
        ("单 位：元氏县民政局", []),
        ("货币：美元", ["美元"]),
        ("货币资金：元", []),
        ("单位：元；万元", ["元", "万元"]),
        ("单位：元，万元", ["元", "万元"]),
        ("单位：元或万元", ["元", "万元"]),
        ("项目资金（元/万元）", ["元", "万元"]),
        ("项目资金（元、万元）", ["元", "万元"]),
        ("（单位：万元或元）", ["万元", "元"]),
        ("单位：万元，元以下四舍五入", ["万元"]),
        ("单位：美元大厦物业管理处", []),
        ("单位：USDA", []),
        ("计量单位：元", []),
        ("计量单位：美元", []),
        ("计量单位（元）", []),  # the header of the indicators' unit column
        ("度量单位 (万元)", []),
        ("币种：人民币", []),
        ("（¥80,000.00）", []),
        ("单位：仟元", ["千元"]),  # the capital of accounts: 仟元 is 千元
        # a power of ten alone is its unit of 元, as 万 alone is 万元
        ("单位：千", ["千元"]),
        ("（单位：百万）", ["百万元"]),
        ("项目资金（千）", ["千元"]),
        ("本表金额以千为单位", ["千元"]),
        ("单位：仟", ["千元"]),
        ("单位：千米", []),
        ("单位：千（人次）", []),
        ("（千）", []),
        ("单位：佰萬元", ["百万元"]),
        ("项目资金（億元）", ["亿元"]),
        ("单位：日圆", ["日元"]),
        ("幣種：港幣", ["港币"]),
    ],
)
def test_every_unit_a_line_states_is_read(text, units):
    from gen.vocabulary import all_stated_units

    assert all_stated_units(text) == units


@pytest.mark.parametrize(
    ("text", "only"),
    [
        ("单位：人民币", True),
        ("金额单位：人民币", True),
        ("货币单位：人民币", True),
        ("货币：人民币", True),
        ("币　种：人民币", True),
        ("币种：人民币", True),
        ("币种：CNY", True),
        ("单位：rmb", True),
        ("单位 人民币", True),
        ("项目资金（RMB）", True),
        ("项目资金（人民币，保留两位小数）", True),
        ("（单位：人民币）", True),
        ("单位：人民币元", False),  # 元 of 人民币: the unit
        ("单位：人民币（万元）", False),
        ("币种：人民币  单位：万元", False),
        ("单位：人民币大厦管理处", False),
        ("填报单位：人民银行", False),
        ("发放人民币补贴", False),
        ("单位：RMBX", False),
    ],
)
def test_a_line_naming_only_the_currency(text, only):
    from gen.vocabulary import names_currency_only

    assert names_currency_only(text) is only


@pytest.mark.parametrize("below", ["资金单位：元", "注：本表金额以元为单位", "金额单位为：元"])
def test_a_unit_said_in_other_words_is_imported(tmp_path, below):
    """Read as no unit, a form in 元 was imported in 万元 without a word (10,000× off)."""
    source = yuan_form(tmp_path / "in" / "本区.docx", below=below)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    assert imported(tmp_path / "out" / "本区.yaml")["格式"]["金额单位"] == "元"


@pytest.mark.parametrize(
    "places",
    [
        {"header": "金额单位：人民币元"},
        {"header": "单位：RMB元"},
        {"header": "单位：ＲＭＢ 元"},
        {"header": "单位：￥元"},
        {"footer": "单位：¥元"},
        {"below": "金额单位：元整"},
        {"text_box": "（￥）"},
        {"header": "人民币（元）"},
        {"label": "项目资金（¥）"},
        {"label": "项目资金（人民币元）"},
        {"label": "项目资金（元整）"},
    ],
)
def test_a_unit_written_with_renminbi_is_that_unit(tmp_path, places):
    """Read as no unit, a form in 元 so written was imported in 万元 without a word."""
    source = yuan_form(tmp_path / "in" / "本区.docx", **places)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data["格式"]["金额单位"], data["项目资金"]["财政资金"]) == ("元", 80000)


# ---------------------------------------------------------------- no unit stated

BOTH_READINGS = "（项目资金总额 80000.00 按万元是 8 亿元，按元是 8 万元）"


def unstated(unstated: str, readings: str = BOTH_READINGS, place: str = "") -> str:
    """What gen import says of a form that does not say whether it is in 元 or 万元."""
    return (
        f"{place}{unstated}；已按万元导入（格式.金额单位 取默认的万元）。"
        f"请核对金额用的是哪个单位{readings}；"
        "如果是元，请在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: 元"
    )


NO_UNIT = "表格上没有写金额单位，看不出金额是以元还是以万元为单位"


def test_a_form_stating_no_unit_is_imported_in_wanyuan_and_warned(tmp_path):
    """Such a form was imported in 万元 without a word: in 元, it prints 10,000 times too much."""
    source = yuan_form(tmp_path / "in" / "本区.docx")
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: 表格上没有写金额单位，看不出金额是以元还是以万元为单位；"
        "已按万元导入（格式.金额单位 取默认的万元）。"
        "请核对金额用的是哪个单位（项目资金总额 80000.00 按万元是 8 亿元，按元是 8 万元）；"
        "如果是元，请在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: 元"
    ]
    assert result.problems == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert "金额单位" not in data["格式"]
    assert data["项目资金"] == {"项目资金总额": 80000, "财政资金": 80000}


def test_a_form_stating_only_renminbi_is_warned(tmp_path):
    """“单位：人民币” says the currency, not whether the amounts are in 元 or 万元."""
    source = yuan_form(tmp_path / "in" / "本区.docx", header="单位：人民币")
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: "
        + unstated("页眉里的“单位：人民币”只说了是人民币，没有写金额是以元还是以万元为单位")
    ]
    assert "金额单位" not in imported(tmp_path / "out" / "本区.yaml")["格式"]


@pytest.mark.parametrize(
    "places",
    [
        {"below": "货币单位：人民币"},
        {"footer": "币种：人民币"},
        {"text_box": "单位：CNY"},
        {"header": "（人民币）"},
    ],
    ids=["currency-unit", "currency", "code", "brackets"],
)
def test_every_way_of_stating_only_the_currency_is_warned(tmp_path, places):
    source = yuan_form(tmp_path / "in" / "本区.docx", **places)
    result = import_forms([source], tmp_path / "out")
    [(where, text)] = places.items()
    said = {"below": "表格下面", "footer": "页脚里", "text_box": "文本框里", "header": "页眉里"}
    assert [f.message for f in result.notes] == [
        unstated(f"{said[where]}的“{text}”只说了是人民币，没有写金额是以元还是以万元为单位")
    ]


def test_a_currency_on_an_amount_label_is_read_and_warned(tmp_path):
    """“项目资金（RMB）” was no label: its cell was listed as not read, and the unit not said."""
    source = yuan_form(tmp_path / "in" / "本区.docx", label="项目资金（RMB）")
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: "
        + unstated("“项目资金（RMB）”只说了是人民币，没有写金额是以元还是以万元为单位")
    ]
    assert "金额单位" not in imported(tmp_path / "out" / "本区.yaml")["格式"]


def test_a_required_amount_label_with_a_currency_is_no_missing_label(tmp_path):
    """“其中：财政资金（人民币）” was no label: the form was refused for a missing 财政资金."""
    money = money_rows("10", "10", "10", "10", label="项目资金")
    xml = document_xml(*TITLE, target_form_with(TICKED, money=money))
    xml = xml.replace(">其中：财政资金<", ">其中：财政资金（人民币）<", 1)
    source = make_docx(tmp_path / "in" / "普法.docx", xml)
    result = import_forms([source], tmp_path / "out")
    readings = "（项目资金总额 10 按万元是 10 万元，按元是 10 元）"
    said = "“其中：财政资金（人民币）”只说了是人民币，没有写金额是以元还是以万元为单位"
    assert [f.message for f in [*result.problems, *result.notes]] == [unstated(said, readings)]
    assert imported(tmp_path / "out" / "普法.yaml")["项目资金"]["财政资金"] == 10


@pytest.mark.parametrize(
    "places",
    [
        {"label": "项目资金（万元）"},
        {"label": "项目资金（元）"},
        {"header": "币种：人民币  金额单位：万元"},
        {"label": "项目资金（元）", "footer": "币种：人民币"},
    ],
    ids=["wanyuan", "yuan", "currency-and-wanyuan", "yuan-and-currency"],
)
def test_a_form_stating_its_unit_is_not_warned(tmp_path, places):
    source = yuan_form(tmp_path / "in" / "本区.docx", **places)
    result = import_forms([source], tmp_path / "out")
    assert (result.problems, result.notes) == ([], [])


def test_the_form_without_a_unit_is_named_in_a_file_of_several(tmp_path):
    stated = target_form_with(TICKED, name="普法")
    money = money_rows("10", "10", "10", "10", label="项目资金")
    bare = target_form_with(TICKED, name="人民调解", money=money)
    source = make_docx(tmp_path / "in" / "两表.docx", document_xml(*TITLE, stated, *TITLE, bare))
    result = import_forms([source], tmp_path / "out")
    readings = "（项目资金总额 10 按万元是 10 万元，按元是 10 元）"
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: " + unstated(NO_UNIT, readings, place="第 2 个表：")
    ]


def test_an_amount_too_large_for_wanyuan_is_told_by_the_check_not_twice(tmp_path):
    """10 亿元 or more in 万元: the check's warning says it looks like 元, at its line; the
    import's own warning does not repeat the amount."""
    amounts = ("800,000.00", "800,000.00", "", "800,000.00", "800,000.00", "", "")
    source = yuan_form(tmp_path / "in" / "本区.docx", amounts=amounts)
    result = import_forms([source], tmp_path / "out")
    out = shown(tmp_path / "out" / "本区.yaml")
    assert [str(f) for f in result.findings] == [
        f"{shown(source)}: 警告: " + unstated(NO_UNIT, readings=""),
        f"{out}:11: 项目资金.项目资金总额: 警告: 800000.00 万元就是 80 亿元，像是按元填写的；"
        "金额单位是万元（由 格式.金额单位 设置）：如果这是元，请改写为 80，"
        "或在 _defaults.yaml 的 格式 下写 “金额单位: 元”",
    ]


def test_an_amount_too_large_for_the_wanyuan_a_form_states_names_the_line_to_change(tmp_path):
    """The form says 万元 and the folder's _defaults.yaml 元: the project file writes 万元 out, so
    the check's advice is that line; a 金额单位 under the _defaults.yaml's 格式 would not do."""
    amounts = ("800,000.00", "800,000.00", "", "800,000.00", "800,000.00", "", "")
    source = yuan_form(tmp_path / "in" / "本区.docx", label="项目资金（万元）", amounts=amounts)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "_defaults.yaml").write_text("格式:\n  金额单位: 元\n", "utf-8")
    result = import_forms([source], tmp_path / "out")
    out = tmp_path / "out" / "本区.yaml"
    assert [str(f) for f in result.findings] == [
        f"{shown(out)}:11: 项目资金.项目资金总额: 警告: 800000.00 万元就是 80 亿元，像是按元填写的；"
        "金额单位是万元（由 格式.金额单位 设置）：如果这是元，请改写为 80，"
        "或把本文件第 36 行的 “金额单位: 万元” 改为 “金额单位: 元”",
    ]
    assert out.read_text("utf-8").splitlines()[35] == "  金额单位: 万元"


def test_a_form_with_no_amounts_is_warned_without_an_example(tmp_path):
    source = yuan_form(tmp_path / "in" / "本区.docx", amounts=("",) * 7)
    result = import_forms([source], tmp_path / "out")
    assert [f.message for f in result.notes] == [unstated(NO_UNIT, readings="")]


def test_a_unit_of_yuan_in_the_defaults_is_not_taken_for_a_form_stating_none(tmp_path):
    """The project keeps 万元, written out (the folder's 元 would make its amounts 元), and the
    warning says to change that line."""
    source = yuan_form(tmp_path / "in" / "本区.docx")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "_defaults.yaml").write_text("格式:\n  金额单位: 元\n", "utf-8")
    result = import_forms([source], tmp_path / "out")
    assert [f.message for f in result.notes] == [
        f"{NO_UNIT}；已按万元导入（_defaults.yaml 的 金额单位: 元 没有用于这张表，"
        "项目文件的 格式 下写明了 金额单位: 万元）。"
        f"请核对金额用的是哪个单位{BOTH_READINGS}；如果是元，请把项目文件里的 金额单位: 万元 改为 元"
    ]
    assert imported(tmp_path / "out" / "本区.yaml")["格式"]["金额单位"] == "万元"


def test_a_form_stating_no_unit_that_is_not_written_is_not_warned_of(tmp_path):
    """Nothing was imported: the file kept may have had its unit written in since."""
    source = yuan_form(tmp_path / "in" / "本区.docx")
    (tmp_path / "out").mkdir()
    kept = tmp_path / "out" / "本区.yaml"
    kept.write_text("# 已改为元\n", "utf-8")
    result = import_forms([source], tmp_path / "out")
    assert [f.code for f in [*result.problems, *result.notes]] == ["exists"]
    assert kept.read_text("utf-8") == "# 已改为元\n"


def test_a_form_stating_no_unit_imports_checks_and_makes_a_template_quietly(
    tmp_path, runner, monkeypatch
):
    """The warning is the import's alone: gen check and gen template add none of their own."""
    yuan_form(tmp_path / "本区.docx", label="项目资金（RMB）")
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(main, ["import", "本区.docx", "-o", "projects"])
    said = "“项目资金（RMB）”只说了是人民币，没有写金额是以元还是以万元为单位"
    assert (done.exit_code, done.stdout) == (
        0,
        f"本区.docx → projects/本区.yaml\n本区.docx: 警告: {unstated(said)}\n",
    )
    checked = runner.invoke(main, ["check", "projects"])
    assert (checked.exit_code, checked.stdout) == (0, "")
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    assert (made.exit_code, made.stdout) == (0, "")
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")
    form = (tmp_path / "output" / "本区.docx").read_bytes()
    amounts = [docx_cell_paragraphs(tc) for tc in docx_rows(form)[3].findall("w:tc", NS)]
    assert amounts[0] == ["项目资金（RMB）"]
    assert amounts[2] == ["80,000.00"]


TEMPLATE_REFUSED = (
    "表格上的金额单位是千元（{said}）；gen 的金额只能以元或万元为单位，用这个表格做模板会在“千元”处"
    "印出以元或万元为单位的金额，所以没有用这个表格做模板。请在 Word 中把“千元”改为“元”或“万元”"
    "（与项目文件的 格式.金额单位 相同）后再运行"
)


@pytest.mark.parametrize(
    ("places", "said"),
    [
        ({"label": "项目资金（千元）"}, "“项目资金（千元）”"),
        ({"header": "金额单位：千元"}, "页眉里的“金额单位：千元”"),
        (
            {"label": "项目资金（千元）", "footer": "单位：千元"},
            "“项目资金（千元）”、页脚里的“单位：千元”",
        ),
    ],
    ids=["label", "header", "label-and-footer"],
)
def test_no_template_is_made_from_a_form_in_thousands(tmp_path, runner, monkeypatch, places, said):
    yuan_form(tmp_path / "本区.docx", **{"label": "项目资金", **places})
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    assert (made.exit_code, made.stderr) == (
        1,
        f"错误：本区.docx: {TEMPLATE_REFUSED.format(said=said)}\n",
    )
    assert not (tmp_path / "模板").exists()


def test_no_template_is_made_from_a_form_in_thousands_written_as_accounts_write_them(
    tmp_path, runner, monkeypatch
):
    """仟元 is 千元; the message names the 仟元 the form prints, to be changed."""
    yuan_form(tmp_path / "本区.docx", label="项目资金（仟元）")
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    refused = TEMPLATE_REFUSED.format(said="“项目资金（仟元）”").replace("“千元”", "“仟元”")
    assert (made.exit_code, made.stderr) == (1, f"错误：本区.docx: {refused}\n")


def test_no_template_is_made_from_a_form_in_another_currency(tmp_path, runner, monkeypatch):
    yuan_form(tmp_path / "本区.docx", label="项目资金（美元）")
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    assert (made.exit_code, made.stderr) == (
        1,
        "错误：本区.docx: 表格上的金额单位是美元（“项目资金（美元）”）；"
        "gen 的金额只能是人民币，以元或万元为单位，用这个表格做模板会在“美元”处"
        "印出以元或万元为单位的金额，所以没有用这个表格做模板。请在 Word 中把“美元”改为“元”或“万元”"
        "（与项目文件的 格式.金额单位 相同）后再运行\n",
    )
    assert not (tmp_path / "模板").exists()


def test_a_form_in_yuan_by_its_sign_builds_in_yuan_and_refuses_wanyuan(
    tmp_path, runner, monkeypatch
):
    """gen template keeps “项目资金（￥）”: gen build reads it as 元, as gen import does."""
    yuan_form(tmp_path / "本区.docx", label="项目资金（￥）")
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects"]).exit_code == 0
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")
    shutil.copytree(SAMPLES, tmp_path / "万元")
    refused = runner.invoke(main, ["build", "万元/平安办/安保经费.yaml", "--templates", "模板"])
    assert refused.stdout.splitlines()[0] == (
        "万元/平安办/安保经费.yaml: 模板 模板/绩效目标表.docx 在“项目资金（￥）”处把金额单位固定印作“元”，"
        "这个项目的金额单位（格式.金额单位）却是万元，印出来的金额会差一万倍；"
        "请在 Word 中把模板里的“￥”改为 {{ 金额单位 }}（各项目印自己的单位），"
        "或者在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: 元，并把金额改写成以元为单位"
    )


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


# ---------------------------------------------------------------- the year in the title


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("2026年财政项目支出绩效目标表", "绩效目标表"),
        ("2026 年财政项目支出绩效目标申报表", "绩效目标申报表"),
        ("２０２６年项目支出绩效目标表", "绩效目标表"),
    ],
)
def test_the_year_is_read_from_a_title_that_starts_with_it(tmp_path, title, kind):
    application = kind == "绩效目标申报表"
    widths = WordStyle().widths_cm + ((2.0,) if application else ())
    style = WordStyle(title=title, year_line="", widths_cm=widths)
    filled = Filled(category="运转类项目" if application else "经常性项目")
    source = word_form(tmp_path / "in" / "本区.docx", filled, style)
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in [*result.problems, *result.findings]] == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data["年度"], data["表样"]) == (2026, kind)


def test_a_date_above_the_table_is_not_the_year(tmp_path):
    style = WordStyle(year_line="填报日期：2025年12月1日")
    source = word_form(tmp_path / "in" / "本区.docx", style=style)
    import_forms([source], tmp_path / "out")
    assert "年度" not in imported(tmp_path / "out" / "本区.yaml")


@pytest.mark.parametrize(
    ("title", "year_line", "said", "year"),
    [
        (
            "2026年和2027年财政项目支出绩效目标表",
            "",
            "“2026年和2027年财政项目支出绩效目标表”写的是 2026、2027 年",
            2027,
        ),
        (
            "2026、2027年财政项目支出绩效目标表",
            "",
            "“2026、2027年财政项目支出绩效目标表”写的是 2026、2027 年",
            2027,
        ),
        (
            "2027年财政项目支出绩效目标表",
            "（二〇二六年度）",
            "“2027年财政项目支出绩效目标表”写的是 2027 年，“（二〇二六年度）”写的是 2026 年",
            2026,
        ),
    ],
)
def test_a_title_naming_two_years_is_warned_of(
    tmp_path, runner, monkeypatch, title, year_line, said, year
):
    """The plan dates run over both years: the check finds nothing, the 年度 taken is told."""
    style = WordStyle(title=title, year_line=year_line, goal_label="项目总目标", signature=False)
    filled = Filled(end="2027年12月31日", period=(2026, 2027))
    source = word_form(tmp_path / "本区.docx", filled, style)
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in [*result.problems, *result.findings]] == [
        f"{shown(source)}: 警告: 表格上方写了不止一个年份（{said}）；已按离表格最近的 {year} "
        "导入 年度，请核对这张表是哪一年的，需要时改正 年度"
    ]
    assert imported(tmp_path / "out" / "本区.yaml")["年度"] == year
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    other = 2026 + 2027 - year
    assert made.exit_code == 0
    assert made.stdout.splitlines() == [
        f"本区.docx: 警告: 表格上方写了不止一个年份（{said}）；模板只把离表格最近的 {year} "
        f"换成各项目的年度，{other} 照原样印在每一张表上；如果它也是这张表的年度，"
        f"请在 Word 中把它改为 {year} 后重新运行 gen template"
    ]


@pytest.mark.parametrize(
    ("title", "year_line", "line"),
    [
        ("财政项目支出绩效目标表", "（两千零二十六年度）", "（两千零二十六年度）"),
        ("财政项目支出绩效目标表", "（20 26年度）", "（20 26年度）"),
        ("两千零二十六年财政项目支出绩效目标表", "", "两千零二十六年财政项目支出绩效目标表"),
    ],
)
def test_a_title_year_that_cannot_be_read_is_warned_of_by_the_template(
    tmp_path, runner, monkeypatch, title, year_line, line
):
    """Kept as it stands, it would print on every form of every year: the template says so."""
    style = WordStyle(title=title, year_line=year_line, goal_label="项目总目标", signature=False)
    word_form(tmp_path / "本区.docx", Filled(), style)
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    assert made.exit_code == 0
    assert made.stdout.splitlines() == [
        f"本区.docx: 警告: 表格上方的“{line}”写着年度，但看不出是哪一年（年份要写成 2026 或 二〇二六 "
        "这样的四位数）；模板照原样印这一行，每一张表、以后每一年都印同样的字。"
        "请在 Word 中把年份改为四位数后重新运行 gen template"
    ]


@pytest.mark.parametrize(
    ("title", "year_line", "tagged"),
    [
        ("财政项目支出绩效目标表", "（2026 年 度）", "（{{ 年度 }} 年 度）"),
        ("财政项目支出绩效目标表", "（二〇二六　年　度）", None),
        # the digits spaced out too
        (
            "财政项目支出绩效目标表",
            "（2 0 2 6 年 度）",
            "（{{ 年度[-4] }} {{ 年度[-3] }} {{ 年度[-2] }} {{ 年度[-1] }} 年 度）",
        ),
        ("财政项目支出绩效目标表", "（二　〇　二　六　年　度）", None),
        (
            "2026年财 政 项 目 支 出 绩 效 目 标 表",
            "",
            "{{ 年度 }}年财 政 项 目 支 出 绩 效 目 标 表",
        ),
    ],
)
def test_a_year_in_a_title_spread_out_with_spaces_is_read_and_printed(
    tmp_path, runner, monkeypatch, title, year_line, tagged
):
    """The template printed the form's year on every form, whatever the project's 年度."""
    findings, made, template = imported_and_templated(
        tmp_path, runner, monkeypatch, title, year_line
    )
    assert (findings, made.stdout.count("警告")) == ([], 0)
    assert "2026" not in "".join(template) and "二〇二六" not in "".join(template)
    if tagged is not None:
        assert tagged in template


def imported_and_templated(
    tmp_path: Path, runner: Any, monkeypatch: Any, title: str, year_line: str
) -> tuple[list[str], Any, list[str]]:
    """A form of 2026 under these title lines imported (its 年度 read as 2026) and made a template
    of: what the import said, gen template's result and the template's paragraphs."""
    style = WordStyle(title=title, year_line=year_line, signature=False)
    source = word_form(tmp_path / "本区.docx", style=style)
    result = import_forms([source], tmp_path / "out")
    assert imported(tmp_path / "out" / "本区.yaml")["年度"] == 2026
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(main, ["template", "本区.docx", "-o", "模板"])
    assert made.exit_code == 0
    template = docx_paragraphs((tmp_path / "模板" / "绩效目标表.docx").read_bytes())
    return [f.message for f in [*result.problems, *result.findings]], made, template


@pytest.mark.parametrize(
    ("title", "year_line", "said"),
    [
        ("财政项目支出绩效目标表", "（2O26年度）", "“（2O26年度）”里的“2O26”"),
        ("财政项目支出绩效目标表", "（2o26年度）", "“（2o26年度）”里的“2o26”"),
        ("财政项目支出绩效目标表", "（２Ｏ２６年度）", "“（２Ｏ２６年度）”里的“２Ｏ２６”"),
        ("2O26年财政项目支出绩效目标表", "", "“2O26年财政项目支出绩效目标表”里的“2O26”"),
    ],
)
def test_a_title_year_with_the_letter_o_for_a_zero_is_read_and_said(
    tmp_path, runner, monkeypatch, title, year_line, said
):
    """2O26 can only be 2026: import left 年度 out, and the template printed 2O26 on every form."""
    findings, made, template = imported_and_templated(
        tmp_path, runner, monkeypatch, title, year_line
    )
    read = f"表格上方的{said}把 0 写成了字母 O，读作 2026 年"
    assert findings == [f"{read}，已按此导入；请核对这张表的年份"]
    assert made.stdout.splitlines()[0] == (
        f"本区.docx: 警告: {read}；模板在这里印各项目自己的年份，0 印作数字 0"
    )
    assert not any(zero in "".join(template) for zero in ("2O26", "2o26", "２Ｏ２６"))


def test_a_template_prints_each_projects_year_in_such_a_title(tmp_path, runner, monkeypatch):
    style = WordStyle(title="2026年财政项目支出绩效目标表", year_line="")
    word_form(tmp_path / "本区.docx", style=style)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    template = (tmp_path / "模板" / "绩效目标表.docx").read_bytes()
    assert docx_paragraphs(template)[0] == "{{ 年度 }}年财政项目支出绩效目标表"
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects"]).exit_code == 0
    path = tmp_path / "projects" / "本区.yaml"
    text = path.read_text(encoding="utf-8").replace("2026", "2027")
    path.write_text(text, encoding="utf-8")
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")
    form = (tmp_path / "output" / "本区.docx").read_bytes()
    assert docx_paragraphs(form)[0] == "2027年财政项目支出绩效目标表"


# A title over a span of years: the 项目期间 of a multi-year form, whose last year is no 年度
SPAN_TITLES = [
    (
        "2026-2028年财政项目支出绩效目标表",
        "{{ 项目起始年 }}-{{ 项目结束年 }}年财政项目支出绩效目标表",
    ),
    (
        "2026—2028年度财政项目支出绩效目标表",
        "{{ 项目起始年 }}—{{ 项目结束年 }}年度财政项目支出绩效目标表",
    ),
    (
        "2026至2028年财政项目支出绩效目标表",
        "{{ 项目起始年 }}至{{ 项目结束年 }}年财政项目支出绩效目标表",
    ),
    (
        "2026年-2028年财政项目支出绩效目标表",
        "{{ 项目起始年 }}年-{{ 项目结束年 }}年财政项目支出绩效目标表",
    ),
    (
        "2026年度至2028年度财政项目支出绩效目标表",
        "{{ 项目起始年 }}年度至{{ 项目结束年 }}年度财政项目支出绩效目标表",
    ),
    (
        "2026——2028年财政项目支出绩效目标表",
        "{{ 项目起始年 }}——{{ 项目结束年 }}年财政项目支出绩效目标表",
    ),
    (
        "2026 年 度 — 2028 年 度财政项目支出绩效目标表",  # spread out with spaces
        "{{ 项目起始年 }} 年 度 — {{ 项目结束年 }} 年 度财政项目支出绩效目标表",
    ),
]
MULTI_YEAR = Filled(start="2026年1月1日", end="2028年12月31日", period=(2026, 2028))


def span_note(source: Path, title: str) -> str:
    """The warning of gen import on a form whose title gives a span of years and no 年度."""
    return (
        f"{shown(source)}: 警告: 标题“{title}”里的 2026-2028 年是项目期间，不是年度，"
        "所以没有导入 年度；请在导入的项目文件里写上这张表的年度（如 年度: 2026）"
    )


# Spans whose years a made template prints in other words: the last by its last two digits,
# or both in Chinese digits. The form's, its template's, and a 2027-2030 project's.
SPANS_WRITTEN_SHORT = [
    (
        "2026-28年财政项目支出绩效目标表",
        "{{ 项目起始年 }}-{{ 项目结束年[-2:] }}年财政项目支出绩效目标表",
        "2027-30年财政项目支出绩效目标表",
    ),
    (
        "2026—28年度财政项目支出绩效目标表",
        "{{ 项目起始年 }}—{{ 项目结束年[-2:] }}年度财政项目支出绩效目标表",
        "2027—30年度财政项目支出绩效目标表",
    ),
    (
        "二〇二六至二〇二八年财政项目支出绩效目标表",
        '{% for d in 项目起始年 %}{{ "〇一二三四五六七八九"[d|int] }}{% endfor %}至'
        '{% for d in 项目结束年 %}{{ "〇一二三四五六七八九"[d|int] }}{% endfor %}年财政项目支出绩效目标表',
        "二〇二七至二〇三〇年财政项目支出绩效目标表",
    ),
    (
        "二〇二六—二八年财政项目支出绩效目标表",
        '{% for d in 项目起始年 %}{{ "〇一二三四五六七八九"[d|int] }}{% endfor %}—'
        '{% for d in 项目结束年[-2:] %}{{ "〇一二三四五六七八九"[d|int] }}{% endfor %}年财政项目支出绩效目标表',
        "二〇二七—三〇年财政项目支出绩效目标表",
    ),
]


@pytest.mark.parametrize(
    "title", [title for title, _ in SPAN_TITLES] + [title for title, *_ in SPANS_WRITTEN_SHORT]
)
def test_a_span_of_years_in_the_title_is_no_year(tmp_path, title):
    style = WordStyle(title=title, year_line="", goal_label="项目总目标")
    source = word_form(tmp_path / "in" / "本区.docx", MULTI_YEAR, style)
    result = import_forms([source], tmp_path / "out")
    out = shown(tmp_path / "out" / "本区.yaml")
    assert [str(f) for f in [*result.problems, *result.findings]] == [
        span_note(source, title),
        f"{out}:1: 年度: 缺少必填项；请添加一行 “年度: 2026”",
    ]
    data = imported(tmp_path / "out" / "本区.yaml")
    assert "年度" not in data
    assert "项目期间" not in data  # the plan dates' years: 2026-2028


def test_a_span_in_the_title_that_the_dates_do_not_say_is_the_period(tmp_path):
    title = "2026-2028年财政项目支出绩效目标表"
    style = WordStyle(title=title, year_line="（2026年度）", goal_label="项目总目标")
    source = word_form(tmp_path / "in" / "本区.docx", Filled(), style)  # dates in 2026
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in [*result.problems, *result.findings]] == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data["年度"], data["项目期间"]) == (2026, "2026-2028")


def test_a_goal_labels_period_wins_over_the_titles(tmp_path):
    style = WordStyle(title="2025-2028年财政项目支出绩效目标表", year_line="（2026年度）")
    filled = Filled(period=(2025, 2026))  # 项目总目标（2025年-2026年）
    source = word_form(tmp_path / "in" / "本区.docx", filled, style)
    import_forms([source], tmp_path / "out")
    data = imported(tmp_path / "out" / "本区.yaml")
    assert (data["年度"], data["项目期间"]) == (2026, "2025-2026")


@pytest.mark.parametrize(
    ("title", "tagged", "printed"),
    [
        *[
            (title, tagged, title.replace("2028", "2030").replace("2026", "2027"))
            for title, tagged in SPAN_TITLES
        ],
        *SPANS_WRITTEN_SHORT,
    ],
)
def test_a_template_prints_each_projects_period_in_such_a_title(
    tmp_path, runner, monkeypatch, title, tagged, printed
):
    style = WordStyle(title=title, year_line="", goal_label="项目总目标")
    word_form(tmp_path / "本区.docx", MULTI_YEAR, style)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    template = (tmp_path / "模板" / "绩效目标表.docx").read_bytes()
    assert docx_paragraphs(template)[0] == tagged
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects"]).exit_code == 0
    path = tmp_path / "projects" / "本区.yaml"
    text = path.read_text(encoding="utf-8").replace("2028", "2030").replace("2026", "2027")
    path.write_text(text.replace("表样: 绩效目标表\n", "表样: 绩效目标表\n年度: 2028\n"), "utf-8")
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")
    form = (tmp_path / "output" / "本区.docx").read_bytes()
    assert docx_paragraphs(form)[0] == printed


def test_a_span_whose_short_last_year_is_before_the_first_is_not_read(
    tmp_path, runner, monkeypatch
):
    title = "2026-25年财政项目支出绩效目标表"  # 2125? a slip: no year is guessed
    style = WordStyle(title=title, year_line="", goal_label="项目总目标")
    source = word_form(tmp_path / "本区.docx", MULTI_YEAR, style)
    result = import_forms([source], tmp_path / "out")
    out = shown(tmp_path / "out" / "本区.yaml")
    assert [str(f) for f in [*result.problems, *result.findings]] == [
        f"{out}:1: 年度: 缺少必填项；请添加一行 “年度: 2026”"
    ]
    data = imported(tmp_path / "out" / "本区.yaml")
    assert "年度" not in data and "项目期间" not in data
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    assert docx_paragraphs((tmp_path / "模板" / "绩效目标表.docx").read_bytes())[0] == title


def test_a_full_width_span_prints_in_full_width(tmp_path, runner, monkeypatch):
    title = "２０２６－２０２８年项目支出绩效目标表"
    style = WordStyle(title=title, year_line="（２０２７年度）", goal_label="项目总目标")
    word_form(tmp_path / "本区.docx", MULTI_YEAR, style)
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["template", "本区.docx", "-o", "模板"]).exit_code == 0
    assert runner.invoke(main, ["import", "本区.docx", "-o", "projects"]).exit_code == 0
    path = tmp_path / "projects" / "本区.yaml"
    text = path.read_text(encoding="utf-8")
    assert "年度: 2027\n" in text
    text = text.replace("2027", "2028").replace("2026-", "2027-")  # 年度, the start date
    path.write_text(text.replace("2028-12-31", "2029-12-31"), encoding="utf-8")
    built = runner.invoke(main, ["build", "projects", "--templates", "模板"])
    assert (built.exit_code, built.stdout) == (0, "")
    form = (tmp_path / "output" / "本区.docx").read_bytes()
    assert docx_paragraphs(form)[:2] == [
        "２０２７－２０２９年项目支出绩效目标表",
        "（２０２８年度）",
    ]


# ---------------------------------------------------------------- two amounts in one cell


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("2035. 58", Decimal("2035.58")),  # a space after the decimal point, as forms print it
        ("3,082.53", Decimal("3082.53")),
        ("１２，３４５．００", Decimal("12345.00")),
        (" 87.90\n", Decimal("87.90")),
        ("100\n120", "100 120"),  # two lines: two amounts, not 100120
        ("1 20", "1 20"),
        ("3 082.53", "3 082.53"),
        ("2035 .58", "2035 .58"),
        ("100,\n120", "100, 120"),
    ],
)
def test_only_the_harmless_splits_of_an_amount_are_joined(printed, read):
    assert parse_amount(printed) == read


def test_two_amounts_in_one_cell_are_imported_as_text_and_reported(tmp_path):
    money = money_rows("100\n\n120", "120", "120", "1 20")  # two paragraphs; a space
    source = make_docx(
        tmp_path / "in" / "普法.docx", document_xml(*TITLE, target_form_with(TICKED, money=money))
    )
    result = import_forms([source], tmp_path / "out")
    data = imported(tmp_path / "out" / "普法.yaml")
    assert data["项目资金"] == {"项目资金总额": "100 120", "财政资金": 120}
    assert data["年度资金"] == {"年度资金申请总额": 120, "当年财政拨款": "1 20"}
    out = shown(tmp_path / "out" / "普法.yaml")
    assert [str(f) for f in result.findings] == [
        f"{out}:11: 项目资金.项目资金总额: 应为数字，实际为“100 120”",
        f"{out}:15: 年度资金.当年财政拨款: 应为数字，实际为“1 20”",
    ]


# ---------------------------------------------------------------- hidden text


def test_hidden_text_is_left_out_as_word_prints_the_form(tmp_path):
    """Hidden by the run itself, by its character style (or the style that one is based on),
    or by the paragraph's style; a run that says it is shown is shown."""

    def edit(document: Any) -> None:
        hidden = document.styles.add_style("隐藏备注", WD_STYLE_TYPE.CHARACTER)
        hidden.font.hidden = True
        based = document.styles.add_style("备注二", WD_STYLE_TYPE.CHARACTER)
        based.base_style = hidden
        hidden_paragraph = document.styles.add_style("隐藏段落", WD_STYLE_TYPE.PARAGRAPH)
        hidden_paragraph.font.hidden = True
        table = document.tables[0]
        name = table.cell(0, 1).paragraphs[0]
        name.add_run("（直接隐藏）").font.hidden = True
        name.add_run("（样式隐藏）", style="隐藏备注")
        name.add_run("（基于隐藏样式）", style="备注二")
        shown = name.add_run("（显示）", style="隐藏备注")
        shown.font.hidden = False
        table.cell(1, 1).add_paragraph("（隐藏的一段）", style="隐藏段落")
        table.cell(8, 1).add_paragraph("隐藏的目标", style="隐藏段落")

    source = edited_docx(word_form(tmp_path / "in" / "本区.docx"), edit)
    result = import_forms([source], tmp_path / "out")
    assert result.problems == result.notes == []
    data = imported(tmp_path / "out" / "本区.yaml")
    assert data["项目名称"] == "社区矫正安置帮教（显示）"
    assert data["主管部门"] == "浦江镇人民政府"
    assert data["项目总目标"] == "做好社区矫正对象的监督管理。\n开展安置帮教工作。\n"


# ---------------------------------------------------------------- a form in a text box


IN_TEXT_BOX = (
    "没有找到绩效目标表：表格在文本框里，gen 不读文本框里的表格；请在 Word 中剪切文本框里的表格，"
    "粘贴到正文（文本框外面），删去空了的文本框后再导入"
)


@pytest.mark.parametrize("other_table", [False, True], ids=["alone", "beside-a-table"])
def test_a_form_in_a_text_box_is_told_to_move_it_into_the_body(tmp_path, runner, other_table):
    box = (
        f'<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="文本框1" '
        'style="width:450pt;height:600pt"><v:textbox><w:txbxContent>'
        f"{target_form_with(TICKED)}<w:p/></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    notes = tbl(1, tr(tc("填报说明：金额保留两位小数"))) if other_table else ""
    source = make_docx(tmp_path / "in" / "普法.docx", document_xml(*TITLE, box, notes))
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.problems] == [f"{shown(source)}: {IN_TEXT_BOX}"]
    made = runner.invoke(main, ["template", str(source), "-o", str(tmp_path / "模板")])
    assert (made.exit_code, made.stderr) == (1, f"错误：{shown(source)}: {IN_TEXT_BOX}\n")

"""gen import reads every label variant forms print, and never drops a value without saying so."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from handmade import (
    BELOW,
    TICKED,
    TITLE,
    declaration_form,
    document_xml,
    imported,
    leaf,
    make_docx,
    money_rows,
    para,
    run,
    target_docx,
    target_form_with,
    tc,
    tr,
)

from gen.cli import main
from gen.errors import shown
from gen.importing.importer import import_forms


def form_with(tmp_path: Path, *replacements: tuple[str, str], before: tuple[str, ...] = ()) -> Path:
    """The hand-made 普法 form with label texts replaced, and lines above the table."""
    xml = document_xml(*TITLE, *before, target_form_with(TICKED))
    for old, new in replacements:
        assert old in xml, old
        xml = xml.replace(old, new)
    return make_docx(tmp_path / "in" / "普法.docx", xml)


def imported_from(tmp_path: Path, source: Path) -> dict:
    """Import one file into tmp_path/out; the YAML read back."""
    result = import_forms([source], tmp_path / "out")
    assert result.problems == [], [str(p) for p in result.problems]
    return imported(tmp_path / "out" / f"{source.stem}.yaml")


GOAL = "项目总目标 (2026年-2026年)"


@pytest.mark.parametrize(
    ("label", "period"),
    [
        ("项目总体目标(2024 年-2026 年)", "2024-2026"),
        ("项目总目标（2025年—2026年）", "2025-2026"),
        ("项目总体目标 （ 2023年 至 2026年 ）", "2023-2026"),
        ("项目总目标（二〇二四年至二〇二六年）", "2024-2026"),
        ("项目总目标（2024-26年）", "2024-2026"),
        ("项目总目标（2024年1月-2026年12月）", None),  # months: no span of years
        ("项目总体目标", None),
        ("项目总目标", None),
    ],
)
def test_goal_labels_with_or_without_a_period(tmp_path, label, period):
    data = imported_from(tmp_path, form_with(tmp_path, (GOAL, label)))
    assert data["项目总目标"] == "开展普法宣传。"
    assert data.get("项目期间") == period


@pytest.mark.parametrize(
    "label", ["年度指标值", "年度(/项目)指标值", "年度（/项目）指标值", "指标值"]
)
def test_indicator_value_headers(tmp_path, label):
    data = imported_from(tmp_path, form_with(tmp_path, ("年度指标值", label)))
    assert data["绩效指标"]["满意度指标"] == {"服务对象满意度指标": {"群众满意度": "≥90%"}}


@pytest.mark.parametrize("colon", ["：", ":", " ："])
def test_labels_followed_by_a_colon(tmp_path, colon):
    plain = imported_from(tmp_path / "plain", form_with(tmp_path / "plain"))
    labels = ("项目名称", "项目类别", "主管部门", "实施单位", "计划开始日期", "计划完成日期")
    replacements = [(f">{label}<", f">{label}{colon}<") for label in labels]
    assert imported_from(tmp_path, form_with(tmp_path, *replacements)) == plain


@pytest.mark.parametrize(
    ("start", "end"),
    [("开始日期", "完成日期"), ("项目起始时间", "项目截止时间"), ("开始时间", "结束时间"),
     ("项目开始日期", "截止日期"), ("起始日期：", "完成时间")],
)  # fmt: skip
def test_plan_date_labels_with_or_without_plan(tmp_path, start, end):
    plain = imported_from(tmp_path / "plain", form_with(tmp_path / "plain"))
    replaced = form_with(tmp_path, (">计划开始日期<", f">{start}<"), (">计划完成日期<", f">{end}<"))
    assert imported_from(tmp_path, replaced) == plain  # the dates too


def test_project_attribute_is_the_nature_of_an_application_form(tmp_path):
    xml = document_xml(
        para("财政项目支出绩效目标申报表"),
        declaration_form("信访代理员经费", "2026.1.1", "2026.12.31").replace(
            "项目性质", "项目属性"
        ),
    )
    data = imported_from(tmp_path, make_docx(tmp_path / "in" / "信访.docx", xml))
    assert (data["表样"], data["项目性质"]) == ("绩效目标申报表", "经常性项目")


@pytest.mark.parametrize("label", ["其中：当年财政拨款", "本年财政拨款", "其中:本年财政拨款"])
def test_this_years_appropriation(tmp_path, label):
    data = imported_from(tmp_path, form_with(tmp_path, ("其中：当年财政拨款", label)))
    assert data["年度资金"] == {"年度资金申请总额": 10, "当年财政拨款": 10}


@pytest.mark.parametrize(
    ("replacement", "before", "unit"),
    [
        (("项目资金 (万元)", "项目资金（元）"), (), "元"),
        (("项目资金 (万元)", "项目资金(单位:元)"), (), "元"),
        (("项目资金 (万元)", "项目资金"), (para("单位：元"),), "元"),
        (("项目资金 (万元)", "项目资金"), (para("金额单位：元"),), "元"),
        (("项目资金 (万元)", "项目资金（万元）"), (para("单位：元"),), None),  # the label wins
        (("项目资金 (万元)", "项目资金"), (), None),
    ],
    ids=["label", "label-unit", "line", "amount-unit-line", "label-over-line", "none"],
)
def test_the_amount_unit_goes_into_the_format(tmp_path, replacement, before, unit):
    data = imported_from(tmp_path, form_with(tmp_path, replacement, before=before))
    assert data.get("格式", {}).get("金额单位") == unit
    assert data["项目资金"] == {"项目资金总额": 10, "财政资金": 10}


def money_form(tmp_path: Path, money: list[str], stem: str = "普法") -> Path:
    """The hand-made 普法 form with its own 项目资金 rows."""
    xml = document_xml(*TITLE, target_form_with(TICKED, money=money))
    return make_docx(tmp_path / "in" / f"{stem}.docx", xml)


def test_amounts_in_yuan_with_separators_and_zeros_as_printed(tmp_path):
    money = money_rows(
        "10,308,000.00", "10,308,000.00", "3,436,000.00", "3,436,000.00", "0.00",
        label="项目资金（元）",
    )  # fmt: skip
    import_forms([money_form(tmp_path, money)], tmp_path / "out")
    written = (tmp_path / "out" / "普法.yaml").read_text(encoding="utf-8")
    assert "项目资金:\n  项目资金总额: 10308000.00\n  财政资金: 10308000.00\n" in written
    assert "  上年结转资金: 0.00\n" in written
    assert written.endswith(
        "格式:\n  日期格式: YYYY年M月D日\n  金额单位: 元\n  千分位: true\n  零值: '0.00'\n"
    )


@pytest.mark.parametrize(("zero", "style"), [("0", "0"), ("0.00", "0.00"), ("", None)])
def test_zeros_print_style(tmp_path, zero, style):
    money = money_rows("10.50", "10.50", "10.50", "10.50", zero)
    data = imported_from(tmp_path, money_form(tmp_path, money))
    assert data.get("格式", {}).get("零值") == style


def test_a_form_in_yuan_with_zeros_checks_clean(tmp_path):
    money = money_rows(
        "1,000.00", "1,000.00", "1,000.00", "1,000.00", "0.00", label="项目资金（元）"
    )
    result = import_forms([money_form(tmp_path, money)], tmp_path / "out")
    assert [str(f) for f in result.findings] == []


def test_a_form_stating_two_units_is_imported_with_a_warning(tmp_path):
    # 项目资金（万元） over 项目资金总额（元）: the amounts may be in either, 10,000 times apart
    money = money_rows("10308000", "10308000", "10308000", "10308000", label="项目资金（万元）")
    money[0] = money[0].replace(tc("项目资金总额"), tc("项目资金总额（元）"), 1)
    source = money_form(tmp_path, money)
    result = import_forms([source], tmp_path / "out")
    assert [str(f) for f in result.notes] == [
        f"{shown(source)}: 警告: 表格上写的金额单位不一致（“项目资金（万元）”是万元，"
        "“项目资金总额（元）”是元）；已按万元导入（格式.金额单位），"
        "请核对金额是用哪个单位写的，需要时改正金额或 格式.金额单位"
    ]


# ---------------------------------------------------------------- merged and blank cells


def test_a_merged_label_whose_text_sits_on_a_middle_row(tmp_path):
    """Some programs keep a merged cell's text in a later row of the merge, where it shows centred."""
    money = money_rows("10", "10", "10", "10", label="")
    money[1] = money[1].replace(BELOW, tc("项目资金（元）", vmerge="continue"), 1)
    result = import_forms([money_form(tmp_path, money, "居中")], tmp_path / "out")
    assert imported(tmp_path / "out" / "居中.yaml")["格式"]["金额单位"] == "元"
    assert result.notes == []  # it is read as the label it is, not as a stray value


def test_a_level1_cell_left_blank_on_the_first_row_of_its_block(tmp_path):
    """一级 written in the second row of its (unmerged) block: the first row belongs to it too."""
    rows = [
        leaf(tc(""), "数量指标", "宣传品数", "2000份"),
        leaf(tc("产出指标"), "质量指标", "发放准确率", "100%"),
        leaf(tc(""), "时效指标", "发放及时率", "及时"),
        leaf(tc("效益指标"), "社会效益指标", "法治意识", "提升"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    source = target_docx(tmp_path / "in" / "普法.docx", indicators=rows)
    data = imported_from(tmp_path, source)
    assert list(data["绩效指标"]) == ["产出指标", "效益指标", "满意度指标"]
    assert list(data["绩效指标"]["产出指标"]) == ["数量指标", "质量指标", "时效指标"]


def test_a_merged_level1_with_its_name_in_a_later_row(tmp_path):
    restart = {"vmerge": "restart"}
    rows = [
        leaf(tc("", **restart), "数量指标", "宣传品数", "2000份"),
        tr(BELOW, tc("产出指标", vmerge="continue"), tc("质量指标"), tc("发放准确率"), tc("100%")),
        leaf(tc("效益指标"), "社会效益指标", "法治意识", "提升"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "≥90%"),
    ]
    data = imported_from(tmp_path, target_docx(tmp_path / "in" / "普法.docx", indicators=rows))
    assert data["绩效指标"]["产出指标"] == {
        "数量指标": {"宣传品数": "2000份"},
        "质量指标": {"发放准确率": "100%"},
    }


def test_categories_and_natures_are_written_as_printed(tmp_path):
    xml = document_xml(
        para("财政项目支出绩效目标申报表"),
        para("（2026年度）"),
        declaration_form("信访代理员经费", "2026.1.1", "2026.12.31").replace(
            "运转类项目", "特定目标类"
        ),
    )
    data = imported_from(tmp_path, make_docx(tmp_path / "in" / "信访.docx", xml))
    assert (data["项目类别"], data["项目性质"]) == ("特定目标类", "经常性项目")


# ---------------------------------------------------------------- a label not found


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("计划开始日期", "开工", "“计划开始日期”或“计划开始时间”"),
        ("计划开始日期", "日期", "“计划开始日期”或“计划开始时间”"),
        ("计划完成日期", "计划完成", "“计划完成日期”或“计划完成时间”"),
        ("计划完成日期", "完成情况", "“计划完成日期”或“计划完成时间”"),
        ("其中：财政资金", "财政性资金", "“其中：财政资金”"),
        (GOAL, "总体绩效", "“项目总目标”或“项目总体目标”"),
        ("年度总体目标", "本年目标任务", "“年度总体目标”"),
        ("年度指标值", "目标值", "“年度指标值”或“指标值”"),
        ("项目类别", "类别", "“项目类别”"),
    ],
)
def test_a_label_not_found_fails_that_file_by_name(tmp_path, runner, monkeypatch, old, new, named):
    form_with(tmp_path, (old, new))
    target_docx(tmp_path / "in" / "社工.docx", name="社工")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "in", "-o", "out"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    failure = next(line for line in lines if line.startswith("in/普法.docx: "))
    assert failure.startswith(
        f"in/普法.docx: 没有找到{named}这一栏（在第 1 个表格的第 1–13 行找过；"
    )
    usual = named.split("”")[0] + "”"
    assert failure.endswith(
        "为了不漏掉这一项，这个表格没有导入。请确认这是绩效目标表或绩效目标申报表；"
        f"如果这一栏在表格里写法不同，请在 Word 中把它改为{usual}后再运行"
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["社工.yaml"]
    assert (
        lines[-1]
        == "已导入 1 个表格，无法导入的文件 1 个，未覆盖 0 个，导入警告 0 条；检查：错误 0 条，警告 0 条"
    )


def test_an_application_form_without_its_nature_fails(tmp_path):
    xml = document_xml(
        para("财政项目支出绩效目标申报表"),
        declaration_form("信访代理员经费", "2026.1.1", "2026.12.31").replace("项目性质", "性质"),
    )
    result = import_forms([make_docx(tmp_path / "信访.docx", xml)], tmp_path / "out")
    assert result.problems[0].message.startswith("没有找到“项目性质”这一栏")
    assert not (tmp_path / "out").exists()
    for other in ("属性", "项目特性"):  # a label not known is never taken for 项目性质
        named = xml.replace(">性质<", f">{other}<")
        result = import_forms([make_docx(tmp_path / f"{other}.docx", named)], tmp_path / "out")
        assert result.problems[0].message.startswith("没有找到“项目性质”这一栏")


def test_a_cell_beside_no_known_label_is_named_in_a_warning(tmp_path, runner, monkeypatch):
    money = money_rows("10", "10", "10", "10")
    money[2] = tr(BELOW, BELOW, BELOW, tc("上年结余资金"), tc("5"))
    money_form(tmp_path, money)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "in/普法.docx", "-o", "out"])
    assert result.exit_code == 0
    assert (
        "in/普法.docx: 警告: 表格里的 第 6 行“上年结余资金”、第 6 行“5” 不在任何认得的标签旁边，"
        "没有导入；请核对导入的 YAML，需要时手工补上"
    ) in result.output.splitlines()
    assert imported(tmp_path / "out" / "普法.yaml")["年度资金"] == {
        "年度资金申请总额": 10,
        "当年财政拨款": 10,
    }


def test_a_word_is_not_a_box_in_the_category_cell(tmp_path):
    data = imported_from(tmp_path, target_docx(tmp_path / "in" / "普法.docx", run("经常性项目")))
    assert data["项目类别"] == "经常性项目"


def test_a_note_column_after_the_value_is_not_the_value(tmp_path):
    rows = [
        tr(BELOW, tc("产出指标"), tc("数量指标"), tc("宣传品数"), tc("2000份"), tc("按发放登记")),
        tr(BELOW, tc("效益指标"), tc("社会效益指标"), tc("法治意识"), tc("提升"), tc("")),
        tr(BELOW, tc("满意度指标"), tc("服务对象满意度指标"), tc("群众满意度"), tc("≥90%"), tc("")),
    ]
    xml = document_xml(*TITLE, target_form_with(TICKED, indicators=rows))
    xml = xml.replace(
        "年度指标值</w:t></w:r></w:p></w:tc>",
        "年度指标值</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>备注</w:t></w:r></w:p></w:tc>",
    )
    result = import_forms([make_docx(tmp_path / "in" / "普法.docx", xml)], tmp_path / "out")
    data = imported(tmp_path / "out" / "普法.yaml")
    assert data["绩效指标"]["产出指标"] == {"数量指标": {"宣传品数": "2000份"}}
    assert [n.message.split("不在")[0] for n in result.notes] == [
        "表格里的 第 10 行“备注”、第 11 行“按发放登记” "
    ]


@pytest.mark.parametrize(
    "line",
    [
        "（2026年度）",
        "(2026 年度)",
        "（２０２６年度）",
        "（2026年）",
        "2026年度财政项目支出绩效目标表",
        "（二〇二六年度）",
        "（二○二六年度）",  # the white circle typed for 〇
        "（二零二六年）",
        "贰零贰陆年度财政项目支出绩效目标表",
        "“十四五”规划 二〇二六年度",
    ],
)
def test_year_lines(tmp_path, line):
    xml = document_xml(para("财政项目支出绩效目标表"), para(line), target_form_with(TICKED))
    assert imported_from(tmp_path, make_docx(tmp_path / "in" / "普法.docx", xml))["年度"] == 2026


@pytest.mark.parametrize(
    "line",
    [
        "浦司〔二〇二六〕第二〇号",  # a number, not a year
        "“十四五”规划",
        "填报日期：二〇二六年一月五日",  # a date
        "二〇二五年十二月编制的绩效目标表",  # a date, as 2025年12月 is
        "（一二〇二六年度）",  # a year is four digits, no part of a longer number
        "（〇二〇二年度）",  # nor starts with a zero
        "（12026年度）",  # in any digits
        "（0026年度）",
    ],
)
def test_chinese_numbers_that_are_no_year(tmp_path, line):
    xml = document_xml(para("财政项目支出绩效目标表"), para(line), target_form_with(TICKED))
    result = import_forms([make_docx(tmp_path / "in" / "普法.docx", xml)], tmp_path / "out")
    out = shown(tmp_path / "out" / "普法.yaml")
    assert [str(f) for f in result.findings] == [
        f"{out}:1: 年度: 缺少必填项；请添加一行 “年度: 2026”"
    ]
    assert "年度" not in imported(tmp_path / "out" / "普法.yaml")


# ---------------------------------------------------------------- dates in Chinese numerals


def chinese_date_note(source: Path, said: str, read: str, printed: str, pattern: str) -> str:
    """The import's warning on the dates of a form written in Chinese numerals."""
    return (
        f"{shown(source)}: 警告: {said}是用中文数字写的，已读作 {read}；gen 只用阿拉伯数字印日期，"
        f"生成的表格上印作{printed}（格式.日期格式 {pattern}）"
    )


@pytest.mark.parametrize(
    ("start", "end", "pattern", "printed"),
    [
        ("二〇二六年一月一日", "二○二六年十二月三十一日", "YYYY年M月D日",
         "“2026年1月1日”、“2026年12月31日”"),
        ("二零二六年1月1日", "二零二六年12月31日", "YYYY年M月D日",
         "“2026年1月1日”、“2026年12月31日”"),
        ("贰零贰陆年壹月壹日", "贰零贰陆年壹拾贰月叁拾壹日", "YYYY年M月D日",
         "“2026年1月1日”、“2026年12月31日”"),
        ("二〇二六 年 一 月 一 日", "二〇二六 年 十二 月 三十一 日", "YYYY 年 M 月 D 日",
         "“2026 年 1 月 1 日”、“2026 年 12 月 31 日”"),
        ("二〇二六年〇一月〇一日", "二〇二六年十二月三十一日", "YYYY年MM月DD日",
         "“2026年01月01日”、“2026年12月31日”"),
    ],
)  # fmt: skip
def test_dates_in_chinese_numerals_are_dates(tmp_path, start, end, pattern, printed):
    source = form_with(tmp_path, (">2026年1月1日<", f">{start}<"), (">2026年12月31日<", f">{end}<"))
    result = import_forms([source], tmp_path / "out")
    data = imported(tmp_path / "out" / "普法.yaml")
    assert (data["计划开始日期"], data["计划完成日期"]) == (date(2026, 1, 1), date(2026, 12, 31))
    assert data["格式"]["日期格式"] == pattern
    said = f"计划开始日期“{start}”、计划完成日期“{end}”"
    assert [str(f) for f in result.findings] == [
        chinese_date_note(source, said, "2026-01-01、2026-12-31", printed, pattern)
    ]


def test_only_the_date_in_chinese_numerals_is_named(tmp_path):
    source = form_with(tmp_path, (">2026年12月31日<", ">二〇二六年十月二十日<"))
    result = import_forms([source], tmp_path / "out")
    assert imported(tmp_path / "out" / "普法.yaml")["计划完成日期"] == date(2026, 10, 20)
    assert [str(f) for f in result.findings] == [
        chinese_date_note(
            source,
            "计划完成日期“二〇二六年十月二十日”",
            "2026-10-20",
            "“2026年10月20日”",
            "YYYY年M月D日",
        )
    ]


def test_an_impossible_date_in_chinese_numerals_is_no_date(tmp_path):
    source = form_with(tmp_path, (">2026年1月1日<", ">二〇二六年二月三十日<"))
    result = import_forms([source], tmp_path / "out")
    assert imported(tmp_path / "out" / "普法.yaml")["计划开始日期"] == "二〇二六年二月三十日"
    out = shown(tmp_path / "out" / "普法.yaml")
    assert [str(f) for f in result.findings] == [
        f"{out}:8: 计划开始日期: “二〇二六年二月三十日”不是有效日期；请填写日历上存在的日期（YYYY-MM-DD）"
    ]

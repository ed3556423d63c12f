"""Tests for gen.rules: every rule's message, line and path, the cases that must stay quiet, the corpus."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, GOOD_PROJECT

from gen import rules
from gen.errors import Finding, Location, shown
from gen.load import Source, parse_text
from gen.rules import check_project, check_projects
from gen.schema import validate


def edit(text: str, old: str, new: str) -> str:
    """`text` with one exact line fragment replaced (it must occur once)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


# GOOD_PROJECT with a one-paragraph 年度总体目标, as in the FORMAT.md example. Line numbers in the
# tests below refer to this text: 2 年度, 7 计划开始日期, 10 项目资金总额, 14 年度资金申请总额,
# 16 上年结转资金, 18 项目总目标, 19-20 年度总体目标, 21 绩效指标, 24 社工数量, 26 资金支付及时性,
# 27 效益指标, 28 社会效益指标, 30 满意度指标, 31 服务对象满意度指标, 32 社工满意度.
BASE = edit(
    GOOD_PROJECT,
    "  保障社工工资福利的正常支出。\n  保障公用经费的正常支出。\n",
    "  保障社工2026年度工资福利、公用经费等的正常支出。\n",
)
FILE = Path("projects/社工.yaml")


# ---------------------------------------------------------------- the real pipeline up to the rules


def build(text: str = BASE, path: Path = FILE) -> tuple[Source, dict[str, Any]]:
    """The Source and normalised document of a project text, as load.py and schema.py make them."""
    source, problems = parse_text(path, text)
    assert source is not None, problems
    doc, _ = validate(source)
    assert doc is not None
    return source, doc


def check(text: str) -> list[Finding]:
    return check_project(*build(text))


def only(findings: list[Finding], code: str) -> list[tuple[int, str, str, str]]:
    """(line, path, level, message) of the findings with that code."""
    return [(f.line, f.path, f.level, f.message) for f in findings if f.code == code]


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


# ---------------------------------------------------------------- the base and tolerance


def test_base_example_is_clean() -> None:
    assert check(BASE) == []


def test_missing_fields_are_skipped() -> None:
    source = Source(FILE, {})
    assert check_project(source, {}) == []
    partial = {
        "年度": 2026,
        "项目资金": {"项目资金总额": Decimal("5")},
        "年度资金": {},
        "绩效指标": {},
    }
    assert check_project(source, partial) == []
    assert check_projects([(source, {}), (source, partial)]) == []


def test_hand_written_origins_and_nearest_ancestor() -> None:
    origins = {("项目资金",): Location(FILE, 9), ("年度资金",): Location(FILE, 13)}
    source = Source(FILE, {}, origins)
    doc = {
        "项目资金": {"财政资金": Decimal("100"), "其他资金": Decimal("0")},
        "年度资金": {
            "当年财政拨款": Decimal("120"),
            "上年结转资金": Decimal("0"),
            "其他资金": Decimal("0"),
        },
    }
    assert only(check_project(source, doc), "annual-exceeds-total") == [
        (
            13,
            "年度资金",
            "error",
            "年度资金申请总额（当年财政拨款 + 上年结转资金 + 其他资金 之和）120 大于 "
            "项目资金总额（财政资金 + 其他资金 之和）100；年度申请不能超过项目总额，请核对金额",
        )
    ]


# ---------------------------------------------------------------- errors


def test_date_order() -> None:
    text = edit(BASE, "计划开始日期: 2026-01-01", "计划开始日期: 2026-12-31")
    text = edit(text, "计划完成日期: 2026-12-31", "计划完成日期: 2026-01-01")
    assert only(check(text), "date-order") == [
        (
            7,
            "计划开始日期",
            "error",
            "计划开始日期 2026-12-31 晚于计划完成日期 2026-01-01；请改正日期，开始日期不能晚于完成日期",
        )
    ]


def test_sum_mismatch_project_total() -> None:
    findings = check(edit(BASE, "  项目资金总额: 3082.53", "  项目资金总额: 3082.50"))
    assert only(findings, "sum-mismatch") == [
        (
            10,
            "项目资金.项目资金总额",
            "error",
            "项目资金总额 3082.50 不等于 财政资金 + 其他资金 = 3082.53；请改正总额或删除该行让程序计算",
        )
    ]


def test_sum_mismatch_annual_total() -> None:
    findings = check(edit(BASE, "当年财政拨款: 3082.53", "当年财政拨款: 3000"))
    assert only(findings, "sum-mismatch") == [
        (
            14,
            "年度资金.年度资金申请总额",
            "error",
            "年度资金申请总额 3082.53 不等于 当年财政拨款 + 上年结转资金 + 其他资金 = 3000；"
            "请改正总额或删除该行让程序计算",
        )
    ]


def test_sum_is_exact_decimal_87_90_equals_87_9() -> None:
    text = edit(BASE, "  项目资金总额: 3082.53", "  项目资金总额: 87.90")
    text = edit(text, "财政资金: 3082.53", "财政资金: 87.9")
    text = edit(text, "年度资金申请总额: 3082.53", "年度资金申请总额: 87.90")
    text = edit(text, "当年财政拨款: 3082.53", "当年财政拨款: 87.9")
    assert check(text) == []


def test_annual_exceeds_given_total() -> None:
    text = edit(BASE, "年度资金申请总额: 3082.53", "年度资金申请总额: 3100")
    text = edit(text, "当年财政拨款: 3082.53", "当年财政拨款: 3100")
    findings = check(text)
    assert codes(findings) == {"annual-exceeds-total"}  # not also annual-differs
    assert only(findings, "annual-exceeds-total") == [
        (
            14,
            "年度资金.年度资金申请总额",
            "error",
            "年度资金申请总额 3100 大于 项目资金总额 3082.53；年度申请不能超过项目总额，请核对金额",
        )
    ]


# ---------------------------------------------------------------- warnings: dates, amounts


def test_year_outside_dates_is_outside_the_printed_period() -> None:
    findings = check(edit(BASE, "年度: 2026", "年度: 2025"))
    assert only(findings, "year-not-in-period") == [
        (
            2,
            "年度",
            "error",
            "年度 2025 不在计划日期的年份内（计划开始日期 2026-01-01，计划完成日期 2026-12-31），"
            "表格上的项目期间 2026年-2026年 不含 2025 年；请核对年度或计划日期",
        )
    ]
    assert "year-outside-dates" not in codes(findings)  # the same fact, said once


def test_year_outside_a_written_period_is_an_error_at_the_period() -> None:
    text = edit(BASE, "年度: 2026", "年度: 2027\n项目期间: 2024-2026")
    assert only(check(text), "year-not-in-period") == [
        (
            3,
            "项目期间",
            "error",
            "年度 2027 不在项目期间 2024-2026 内，表格上的“2027年度”与“项目总目标（2024年-2026年）”"
            "互相矛盾；请核对年度，或改写项目期间（如 项目期间: 2024-2027）",
        )
    ]
    assert "year-outside-dates" not in codes(check(text))  # the same fact, said once


@pytest.mark.parametrize("period", ["2028-2025", "2025到2028"])
def test_a_period_that_is_no_period_is_not_compared_with_the_year(period: str) -> None:
    """The schema reports it; the years of the plan dates are not blamed on its line."""
    text = edit(BASE, "年度: 2026", f"年度: 2027\n项目期间: {period}")
    assert "year-not-in-period" not in codes(check(text))


def test_year_inside_the_period_but_outside_the_dates_is_a_warning() -> None:
    text = edit(BASE, "年度: 2026", "年度: 2025\n项目期间: 2025-2026")
    findings = check(text)
    assert only(findings, "year-outside-dates") == [
        (
            2,
            "年度",
            "warning",
            "年度 2025 不在计划日期的年份内（计划开始日期 2026-01-01，计划完成日期 2026-12-31）；"
            "请核对年度或计划日期",
        )
    ]
    assert "year-not-in-period" not in codes(findings)


def test_annual_differs_in_a_single_year_project() -> None:
    text = edit(BASE, "年度资金申请总额: 3082.53", "年度资金申请总额: 2000")
    text = edit(text, "当年财政拨款: 3082.53", "当年财政拨款: 2000")
    assert only(check(text), "annual-differs") == [
        (
            14,
            "年度资金.年度资金申请总额",
            "warning",
            "项目期间只有 2026 年一年，年度资金申请总额 2000 却不等于 项目资金总额 3082.53；"
            "请核对金额，跨年项目请写明项目期间（如 项目期间: 2025-2026）",
        )
    ]


def test_annual_differs_quiet_over_several_years() -> None:
    text = edit(BASE, "年度资金申请总额: 3082.53", "年度资金申请总额: 2000")
    text = edit(text, "当年财政拨款: 3082.53", "当年财政拨款: 2000")
    text = edit(
        text, "计划完成日期: 2026-12-31\n", "计划完成日期: 2026-12-31\n项目期间: '2025-2026'\n"
    )
    assert check(text) == []


def test_carryover_first_year() -> None:
    text = edit(BASE, "当年财政拨款: 3082.53", "当年财政拨款: 3072.53")
    text = edit(text, "上年结转资金: 0", "上年结转资金: 10")
    assert only(check(text), "carryover-first-year") == [
        (
            16,
            "年度资金.上年结转资金",
            "warning",
            "项目期间从 2026 年开始，2026 年度没有可结转的上年资金，上年结转资金却为 10；"
            "请改为 0，或核对项目期间",
        )
    ]
    later_year = edit(
        text, "计划完成日期: 2026-12-31\n", "计划完成日期: 2026-12-31\n项目期间: '2025-2026'\n"
    )
    assert check(later_year) == []


def test_an_amount_in_yuan_written_in_wan() -> None:
    in_yuan = BASE.replace("3082.53", "30825300.00")
    assert only(check(in_yuan), "amount-in-yuan") == [
        (
            10,
            "项目资金.项目资金总额",
            "warning",
            "30825300.00 万元就是 3082.53 亿元，像是按元填写的；金额单位是万元（由 格式.金额单位 设置）："
            "如果这是元，请改写为 3082.53，或在 _defaults.yaml 的 格式 下写 “金额单位: 元”",
        )
    ]
    said_in_yuan = in_yuan + "格式:\n  金额单位: 元\n"
    assert check(said_in_yuan) == []
    said_in_wan = in_yuan + "格式:\n  金额单位: 万元\n"  # a _defaults.yaml's 元 cannot undo it
    assert [message for *_, message in only(check(said_in_wan), "amount-in-yuan")] == [
        "30825300.00 万元就是 3082.53 亿元，像是按元填写的；金额单位是万元（由 格式.金额单位 设置）："
        "如果这是元，请改写为 3082.53，或把本文件第 34 行的 “金额单位: 万元” 改为 “金额单位: 元”"
    ]
    assert said_in_wan.splitlines()[33] == "  金额单位: 万元"
    just_below = BASE.replace("3082.53", "99999.99")  # 9.99 亿元: a large project, not a slip
    assert check(just_below) == []
    only_the_other_funds = edit(BASE, "  其他资金: 0\n年度资金", "  其他资金: 120000\n年度资金")
    assert [f.path for f in check(only_the_other_funds) if f.code == "amount-in-yuan"] == [
        "项目资金.其他资金"
    ]


def test_an_amount_in_yuan_names_the_defaults_line_that_says_wan(tmp_path: Path) -> None:
    from gen.build import check as check_files

    folder = tmp_path / "projects"
    folder.mkdir()
    (folder / "_defaults.yaml").write_text("年度: 2026\n格式:\n  金额单位: 万元\n", "utf-8")
    project = folder / "社工.yaml"
    project.write_text(BASE.replace("3082.53", "30825300.00"), "utf-8")
    findings = [f for f in check_files([project]).findings if f.code == "amount-in-yuan"]
    assert [(f.line, f.message) for f in findings] == [
        (
            10,
            "30825300.00 万元就是 3082.53 亿元，像是按元填写的；金额单位是万元（由 格式.金额单位 设置）："
            f"如果这是元，请改写为 3082.53，或把 {shown(folder / '_defaults.yaml')} 第 3 行的 "
            "“金额单位: 万元” 改为 “金额单位: 元”",
        )
    ]


# ---------------------------------------------------------------- warnings: years in the text


def test_year_outside_period_in_an_indicator_value() -> None:
    findings = check(edit(BASE, "资金支付及时性: 每月", "资金支付及时性: 2024年1月10日"))
    assert only(findings, "year-outside-period") == [
        (
            26,
            "绩效指标.产出指标.时效指标.资金支付及时性",
            "warning",
            "指标值“2024年1月10日”中的年份 2024 不在项目期间 2026年-2026年 内；请改为项目期间内的时间",
        )
    ]


def test_year_outside_period_in_the_annual_goal() -> None:
    text = edit(
        BASE, "  保障社工2026年度", "  2024年启动，2025-2027年完成，2024.1.10验收，保障社工2026年度"
    )
    assert only(check(text), "year-outside-period") == [
        (
            19,
            "年度总体目标",
            "warning",
            "年度总体目标提到的年份 2025、2027、2024 不在项目期间 2026年-2026年 内；"
            "请核对年份（引用历史情况时可忽略此警告）",
        )
    ]


@pytest.mark.parametrize(
    "value",
    ["2024-01-10", "2024.1.10", "2024/1/10", "2024年度", "2020年以来", "=2024(年)", "≤2024年底"],
)
def test_year_outside_period_date_forms(value: str) -> None:
    findings = check(edit(BASE, "资金支付及时性: 每月", f"资金支付及时性: '{value}'"))
    assert codes(findings) == {"year-outside-period"}


@pytest.mark.parametrize(
    "text",
    [
        "根据闵综治办(2017)11号文",
        "根据闵人综办（2009）18号",
        "根据沪府发〔2017〕11号",
        "根据[2017]11号文件",
        "根据财预〔2021〕101号",
        "保障2026年度支出",
        "2026年12月31日前完成",
        "支付2035.58万元，发放2000份",
        "2026-12-31前完成",
    ],
)
def test_year_outside_period_quiet(text: str) -> None:
    goal = edit(BASE, "  保障社工2026年度工资福利、公用经费等的正常支出。\n", f"  {text}\n")
    assert check(goal) == []
    value = edit(BASE, "资金支付及时性: 每月", f"资金支付及时性: '{text}'")
    assert check(value) == []


@pytest.mark.parametrize(
    "value", ["=2024.00(元)", "≥2000.00(人)", "2035.58", "=100.00(%)", "≤72(小时)", "≤3(年)"]
)
def test_system_printed_numbers_are_no_years(value: str) -> None:
    assert check(edit(BASE, "资金支付及时性: 每月", f"资金支付及时性: '{value}'")) == []


def test_project_total_goal_may_cite_history() -> None:
    text = edit(
        BASE,
        "项目总目标: 保障社工",
        "项目总目标: 经2023年第一期镇长办公会讨论通过，自2019年起保障社工",
    )
    assert check(text) == []


# ---------------------------------------------------------------- warnings: indicator values


def test_quantity_no_number() -> None:
    assert only(check(edit(BASE, "社工数量: 118人", "社工数量: 若干")), "quantity-no-number") == [
        (
            24,
            "绩效指标.产出指标.数量指标.社工数量",
            "warning",
            "数量指标的值“若干”中没有数字；请写出具体数量和单位，如 118人、≥8次",
        )
    ]


@pytest.mark.parametrize(
    "value",
    ["118人", "≥8次", "'109'", "三次", "１２个", "≥4万人次", "200元/人/月"]
    + ["=40(人)", "≥1,000(人次)", "=118.00(人)", "≤72(小时)"],
)
def test_quantity_with_a_number_is_quiet(value: str) -> None:
    assert check(edit(BASE, "社工数量: 118人", f"社工数量: {value}")) == []


def test_satisfaction_not_percent() -> None:
    assert only(
        check(edit(BASE, "社工满意度: ≥90%", "社工满意度: 较高")), "satisfaction-not-percent"
    ) == [
        (
            32,
            "绩效指标.满意度指标.服务对象满意度指标.社工满意度",
            "warning",
            "满意度指标的值“较高”不是百分比；请写成百分比，如 ≥90%",
        )
    ]
    assert codes(check(edit(BASE, "社工满意度: ≥90%", "社工满意度: 满意"))) == {
        "satisfaction-not-percent"
    }


@pytest.mark.parametrize(
    "value",
    ["100%", "＞95%", "'>=90%'", "90％", "90%以上", "≥ 99.5%"]
    + ["=100.00(%)", "≥90.00(%)", "≥ 95 %", "＞85％", "=100.00(百分比)", "≥90（%）"],
)
def test_satisfaction_percent_is_quiet(value: str) -> None:
    assert check(edit(BASE, "社工满意度: ≥90%", f"社工满意度: {value}")) == []


# ---------------------------------------------------------------- warnings: the framework


def test_nonstandard_level1_alias() -> None:
    findings = check(edit(BASE, "  效益指标:", "  效果目标:"))
    assert [(f.line, f.path, f.code, f.message) for f in findings] == [
        (
            21,
            "绩效指标",
            "missing-level1",
            "缺少一级指标“效益指标”；“效果目标”应是此项，请改名为“效益指标”",
        ),
        (
            27,
            "绩效指标.效果目标",
            "nonstandard-level1",
            "一级指标“效果目标”不是标准名称；请改为“效益指标”",
        ),
    ]


def test_nonstandard_level1_is_a_level2_name() -> None:
    findings = check(edit(BASE, "  效益指标:", "  社会效益指标:"))
    assert only(findings, "nonstandard-level1") == [
        (
            27,
            "绩效指标.社会效益指标",
            "warning",
            "一级指标“社会效益指标”不是标准名称（“社会效益指标”是“效益指标”下的二级指标）；请改为“效益指标”",
        )
    ]
    assert codes(findings) == {"nonstandard-level1", "missing-level1"}


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("效益目标", "效益指标"),
        ("产出目标", "产出指标"),
        ("满意度", "满意度指标"),
        ("产出", "产出指标"),
        ("社会效益", "效益指标"),
    ],
)
def test_nonstandard_level1_suggestions(name: str, suggestion: str) -> None:
    findings = check(edit(BASE, "  满意度指标:", f"  {name}:"))
    assert [f.message for f in findings if f.code == "nonstandard-level1"] == [
        f"一级指标“{name}”不是标准名称；请改为“{suggestion}”"
    ]


def test_nonstandard_level1_without_suggestion() -> None:
    text = edit(BASE, "  满意度指标:\n    服务对象满意度指标:", "  其他:\n    其他指标:")
    assert only(check(text), "nonstandard-level1") == [
        (
            30,
            "绩效指标.其他",
            "warning",
            "一级指标“其他”不是标准名称；请改为标准一级指标 产出指标、效益指标、满意度指标、成本指标 之一",
        )
    ]


def test_nonstandard_level1_named_by_its_level2() -> None:
    findings = check(edit(BASE, "  产出指标:", "  第一部分:"))
    assert [f.message for f in findings] == [
        "缺少一级指标“产出指标”；“第一部分”应是此项，请改名为“产出指标”",
        "一级指标“第一部分”不是标准名称；请改为“产出指标”",
    ]


def test_nonstandard_level2() -> None:
    findings = check(edit(BASE, "    服务对象满意度指标:", "    服务对象满意度:"))
    assert [(f.line, f.path, f.code, f.message) for f in findings] == [
        (
            31,
            "绩效指标.满意度指标.服务对象满意度",
            "nonstandard-level2",
            "二级指标“服务对象满意度”不是标准名称；请改为“服务对象满意度指标”",
        )
    ]


def test_suggestions_for_a_nonstandard_level2_name_are_worked_out_once() -> None:
    """Thousands of projects (or of 二级 names) may repeat one name: difflib runs once for it."""
    rules._level2_suggestions.cache_clear()
    text = edit(BASE, "    服务对象满意度指标:", "    服务对象满意度:")
    for _ in range(3):
        findings = check(text)
        assert [(f.line, f.code, f.message) for f in findings] == [
            (
                31,
                "nonstandard-level2",
                "二级指标“服务对象满意度”不是标准名称；请改为“服务对象满意度指标”",
            )
        ]
    assert rules._level2_suggestions.cache_info().misses == 1


def test_nonstandard_level2_ties_list_every_candidate() -> None:
    findings = check(edit(BASE, "    社会效益指标:", "    效益指标:"))
    assert [f.message for f in findings] == [
        "二级指标“效益指标”不是标准名称；请改为“经济效益指标”、“社会效益指标”或“生态效益指标”"
    ]


def test_misplaced_level2() -> None:
    findings = check(edit(BASE, "    社会效益指标:", "    数量指标:"))
    assert only(findings, "misplaced-level2") == [
        (
            28,
            "绩效指标.效益指标.数量指标",
            "warning",
            "二级指标“数量指标”属于一级指标“产出指标”，不应放在“效益指标”下；请把它移到“产出指标”下",
        )
    ]


def test_missing_level1() -> None:
    text = BASE.split("  满意度指标:")[0]
    text = edit(
        text, "  效益指标:\n    社会效益指标:\n      对社工社保、福利等方面的保障: 提升\n", ""
    )
    findings = check(text)
    assert only(findings, "missing-level1") == [
        (21, "绩效指标", "warning", "缺少一级指标“效益指标”；请补上该一级指标及其二级、三级指标"),
        (21, "绩效指标", "warning", "缺少一级指标“满意度指标”；请补上该一级指标及其二级、三级指标"),
    ]


def test_both_cost_schemes_are_standard() -> None:
    level2 = edit(BASE, "    时效指标:", "    成本指标:\n      人均成本: ≤2.6万元\n    时效指标:")
    assert check(level2) == []
    level1 = (
        BASE
        + "  成本指标:\n    经济成本指标:\n      人均成本: ≤2.6万元\n    社会成本指标:\n      x: 无\n"
    )
    level1 += "    生态环境成本指标:\n      y: 无\n"
    assert check(level1) == []


# ---------------------------------------------------------------- across projects


def test_duplicate_goal() -> None:
    first = build(BASE, Path("projects/a.yaml"))
    spaced = edit(BASE, "项目总目标: 保障社工2026年度", "项目总目标: 保障社工 2026 年度")
    other_goal = edit(spaced, "  保障社工2026年度", "  另一个年度目标")
    other_rows = edit(other_goal, "社工数量: 118人", "社工数量: 119人")
    second = build(other_rows, Path("projects/b.yaml"))
    third = build(other_rows, Path("projects/c.yaml"))
    assert [
        (str(f.file), f.line, f.path, f.code, f.message)
        for f in check_projects([first, second, third])
    ] == [
        (
            "projects/b.yaml",
            18,
            "项目总目标",
            "duplicate-goal",
            "项目总目标与 projects/a.yaml:18 的项目总目标完全相同；请按本项目实际情况改写",
        ),
        (
            "projects/c.yaml",
            18,
            "项目总目标",
            "duplicate-goal",
            "项目总目标与 projects/a.yaml:18 的项目总目标完全相同；请按本项目实际情况改写",
        ),
        (
            "projects/c.yaml",
            19,
            "年度总体目标",
            "duplicate-goal",
            "年度总体目标与 projects/b.yaml:19 的年度总体目标完全相同；请按本项目实际情况改写",
        ),
        (
            "projects/c.yaml",
            21,
            "绩效指标",
            "duplicate-indicators",
            "绩效指标与 projects/b.yaml:21 的绩效指标完全相同；请按本项目实际情况填写指标",
        ),
    ]


def test_duplicate_indicators_and_quiet_cases() -> None:
    first = build(BASE, Path("projects/a.yaml"))
    goals = edit(BASE, "项目总目标: 保障社工", "项目总目标: 另一个")
    goals = edit(goals, "  保障社工2026年度", "  另一个")
    second = build(goals, Path("projects/b.yaml"))
    assert only(check_projects([first, second]), "duplicate-indicators") == [
        (
            21,
            "绩效指标",
            "warning",
            "绩效指标与 projects/a.yaml:21 的绩效指标完全相同；请按本项目实际情况填写指标",
        )
    ]
    one_value = build(edit(goals, "社工满意度: ≥90%", "社工满意度: ≥95%"), Path("projects/b.yaml"))
    assert check_projects([first, one_value]) == []
    empty = Source(Path("projects/e.yaml"), {})
    assert check_projects([first, first]) == []
    blank = {"项目总目标": " \n", "年度总体目标": "", "绩效指标": {}}
    assert check_projects([(empty, blank), (empty, dict(blank))]) == []


def test_text_shared_through_defaults_is_not_copy_paste() -> None:
    defaults = Path("projects/_defaults.yaml")
    shared = {("年度总体目标",): Location(defaults, 3), ("绩效指标",): Location(defaults, 5)}
    doc = {"年度总体目标": "保障支出", "绩效指标": {"产出指标": {"数量指标": {"人数": "3人"}}}}
    one = Source(Path("projects/a.yaml"), {}, dict(shared))
    two = Source(Path("projects/b.yaml"), {}, dict(shared))
    assert check_projects([(one, doc), (two, dict(doc))]) == []


# ---------------------------------------------------------------- the real corpus


def corpus(*numbers: str) -> list[tuple[Source, dict[str, Any]]]:
    return [
        build((CORPUS / f"{n}.yaml").read_text("utf-8"), Path(f"corpus/{n}.yaml")) for n in numbers
    ]


def summary(findings: list[Finding]) -> list[tuple[str, int, str, str]]:
    return [(f.file.name, f.line, f.path, f.code) for f in findings]


def test_corpus_single_forms() -> None:
    f02, f11, f14, f15, f17, f29 = corpus("02", "11", "14", "15", "17", "29")
    assert check_project(*f02) == []  # 87.90 vs 87.9
    assert summary(check_project(*f11)) == [
        ("11.yaml", 29, "绩效指标", "missing-level1"),
        ("11.yaml", 39, "绩效指标.社会效益指标", "nonstandard-level1"),
    ]
    assert summary(check_project(*f14)) == [
        ("14.yaml", 33, "绩效指标", "missing-level1"),
        ("14.yaml", 40, "绩效指标.产出指标.时效指标.启动仪式举办时间", "year-outside-period"),
        ("14.yaml", 41, "绩效指标.效果目标", "nonstandard-level1"),
    ]
    assert check_project(*f15) == []  # 2023 in 项目总目标 is history
    assert check_project(*f17) == []  # 109, 128, 40: numbers without a unit still count
    assert summary(check_project(*f29)) == [
        ("29.yaml", 31, "绩效指标", "missing-level1"),
        ("29.yaml", 38, "绩效指标.产出指标.时效指标.走访慰问日期", "year-outside-period"),
        ("29.yaml", 39, "绩效指标.效果目标", "nonstandard-level1"),
    ]


def test_corpus_copy_paste() -> None:
    assert summary(check_projects(corpus("02", "05", "14", "15", "16", "29"))) == [
        ("05.yaml", 24, "绩效指标", "duplicate-indicators"),
        ("16.yaml", 31, "年度总体目标", "duplicate-goal"),
        ("16.yaml", 33, "绩效指标", "duplicate-indicators"),
        ("29.yaml", 29, "年度总体目标", "duplicate-goal"),
    ]
    messages = [f.message for f in check_projects(corpus("15", "16"))]
    assert messages == [
        "年度总体目标与 corpus/15.yaml:31 的年度总体目标完全相同；请按本项目实际情况改写",
        "绩效指标与 corpus/15.yaml:33 的绩效指标完全相同；请按本项目实际情况填写指标",
    ]


def test_corpus_has_no_rule_errors() -> None:
    numbers = [p.stem for p in sorted(CORPUS.glob("*.yaml"))]
    assert [str(f) for s, d in corpus(*numbers) for f in check_project(s, d) if f.is_error] == []

"""Display formatting and the render context computed from a normalised document."""

from datetime import date
from decimal import Decimal

import pytest

from gen.model import (
    Display,
    category_boxes,
    format_amount,
    format_date,
    indicators_of,
    paragraphs,
    project_from,
    render_context,
)


def doc(**changes):
    """A normalised 绩效目标表 document, as schema.validate returns it."""
    base = {
        "表样": "绩效目标表",
        "年度": 2026,
        "项目名称": "社工",
        "项目类别": "经常性项目",
        "项目性质": None,
        "主管部门": "浦江镇人民政府",
        "实施单位": "浦江镇社区党群服务中心",
        "计划开始日期": date(2026, 1, 1),
        "计划完成日期": date(2026, 12, 31),
        "项目期间": (2026, 2026),
        "项目资金": {"项目资金总额": None, "财政资金": Decimal("3082.53"), "其他资金": Decimal(0)},
        "年度资金": {
            "年度资金申请总额": None,
            "当年财政拨款": Decimal("3082.53"),
            "上年结转资金": Decimal(0),
            "其他资金": Decimal(0),
        },
        "项目总目标": "保障社工工资。",
        "年度总体目标": "1. 第一条\n\n2. 第二条\n",
        "绩效指标": {
            "产出指标": {"数量指标": {"社工数量": "118人"}, "时效指标": {"a": "每月", "b": "及时"}},
            "效益指标": {"社会效益指标": {"保障": "提升"}},
        },
        "格式": {"日期格式": "YYYY.MM.DD", "金额小数位": 2, "千分位": False, "零值": "空白"},
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("YYYY.MM.DD", "2026.01.05"),
        ("YYYY-M-D", "2026-1-5"),
        ("YYYY年M月D日", "2026年1月5日"),
        ("YYYY/MM/DD", "2026/01/05"),
    ],
)
def test_format_date(pattern, expected):
    assert format_date(date(2026, 1, 5), pattern) == expected


@pytest.mark.parametrize(
    ("value", "display", "expected"),
    [
        (Decimal("87.9"), Display(), "87.90"),
        (Decimal("87.90"), Display(), "87.90"),
        (Decimal("4.0344"), Display(), "4.0344"),
        (Decimal("3082"), Display(), "3082.00"),
        (Decimal("3082.53"), Display(thousands=True), "3,082.53"),
        (Decimal("1234567.5"), Display(thousands=True, decimals=1), "1,234,567.5"),
        (Decimal("12.5"), Display(decimals=0), "12.5"),
        (Decimal("0"), Display(), ""),
        (Decimal("0.00"), Display(zero="0"), "0"),
        (None, Display(), ""),
        (None, Display(zero="0"), "0"),
        (Decimal("0"), Display(zero="0.00"), "0.00"),
        (None, Display(zero="0.00"), "0.00"),
        (None, Display(zero="0.00", decimals=4), "0.0000"),
        (Decimal("0.000"), Display(zero="0.00"), "0.000"),  # written to three places
        (None, Display(zero="0.00", decimals=0), "0"),
        (None, Display(zero="0.00", thousands=True), "0.00"),
        (Decimal("10308000"), Display(thousands=True), "10,308,000.00"),
        (Decimal("10308000.00"), Display(thousands=True, unit="元"), "10,308,000.00"),
        (Decimal("297554.85"), Display(thousands=True, unit="元"), "297,554.85"),
        (Decimal("123456789012.5"), Display(thousands=True), "123,456,789,012.50"),
        (Decimal("999.999"), Display(thousands=True), "999.999"),
        (Decimal("1000"), Display(thousands=True, decimals=0), "1,000"),
    ],
)
def test_format_amount(value, display, expected):
    assert format_amount(value, display) == expected


def test_paragraphs_one_per_line_blank_lines_dropped():
    assert paragraphs("1. 第一条\n\n2. 第二条\n") == ["1. 第一条", "2. 第二条"]
    assert paragraphs("") == [""]


def test_category_boxes_tick_exactly_the_chosen_one():
    assert category_boxes("经常性项目") == {"专项资金": "☐", "经常性项目": "☑", "一次性项目": "☐"}
    assert list(category_boxes("专项资金")) == ["专项资金", "经常性项目", "一次性项目"]


@pytest.mark.parametrize(
    ("short", "box"), [("专项", "专项资金"), ("经常性", "经常性项目"), ("一次性", "一次性项目")]
)
def test_a_short_category_ticks_its_box(short, box):
    assert [name for name, glyph in category_boxes(short).items() if glyph == "☑"] == [box]


def test_group_starts_follow_the_tree_not_the_names():
    tree = {
        "产出指标": {"数量指标": {"a": "1人", "b": "2人"}, "时效指标": {"c": "及时"}},
        "效益指标": {"数量指标": {"d": "3人"}},  # same 二级 name right after a 一级 boundary
    }
    flags = [(i.name, i.starts_level1, i.starts_level2) for i in indicators_of(tree)]
    assert flags == [
        ("a", True, True),
        ("b", False, False),
        ("c", False, True),
        ("d", True, True),
    ]


def test_render_context_computes_totals_and_formats():
    context = render_context(project_from(doc()))
    assert context["项目资金总额"] == "3082.53"
    assert context["年度资金申请总额"] == "3082.53"
    assert context["其他资金"] == ""
    assert context["上年结转资金"] == ""
    assert context["计划开始日期"] == "2026.01.01"
    assert context["项目期间"] == "2026年-2026年"
    assert context["年度总体目标"] == ["1. 第一条", "2. 第二条"]
    assert context["类别框"]["经常性项目"] == "☑"
    assert [r["三级"] for r in context["指标行"]] == ["社工数量", "a", "b", "保障"]
    assert [(r["一级起"], r["二级起"]) for r in context["指标行"]] == [
        (True, True),
        (False, True),
        (False, False),
        (True, True),
    ]


def test_render_context_names_the_amount_unit():
    assert render_context(project_from(doc()))["金额单位"] == "万元"
    options = {"日期格式": "YYYY.MM.DD", "金额小数位": 2, "千分位": True, "零值": "0.00"}
    context = render_context(project_from(doc(格式={**options, "金额单位": "元"})))
    assert context["金额单位"] == "元"
    assert (context["项目资金总额"], context["其他资金"]) == ("3,082.53", "0.00")


def test_render_context_prints_a_given_total_as_written():
    funds = {"项目资金总额": Decimal("87.90"), "财政资金": Decimal("87.9"), "其他资金": Decimal(0)}
    context = render_context(project_from(doc(项目资金=funds)))
    assert context["项目资金总额"] == "87.90"
    assert context["财政资金"] == "87.90"


def test_no_binary_floats_in_amounts():
    project = project_from(doc())
    assert isinstance(project.funds.total, Decimal)
    assert isinstance(project.annual.total, Decimal)

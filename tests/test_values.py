"""Indicator values read as the budget systems and people print them: (comparison, number, unit)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gen.values import (
    Measure,
    has_number,
    is_comparison,
    is_percentage,
    measure,
    value_parts,
    value_years,
    years_in,
)

# Values as printed on real forms (reference/forms.txt, the corpus) and by budget systems.
MEASURES = [
    ("=100.00(%)", "=", "100.00", "%"),
    ("≥90.00(%)", "≥", "90.00", "%"),
    ("≤72(小时)", "≤", "72", "小时"),
    ("≥ 95 %", "≥", "95", "%"),
    ("≥90%", "≥", "90", "%"),
    ("＞85％", ">", "85", "%"),
    ("100%", "", "100", "%"),
    ("90分以上", "≥", "90", "分"),
    ("90%以上", "≥", "90", "%"),
    ("=100.00(百分比)", "=", "100.00", "百分比"),
    ("＝100（％）", "=", "100", "%"),
    (">=90%", "≥", "90", "%"),
    ("<=5%", "≤", "5", "%"),
    ("≧98%", "≥", "98", "%"),
    ("不低于95%", "≥", "95", "%"),
    ("不超过3个工作日", "≤", "3", "个工作日"),
    ("≮90%", "≥", "90", "%"),
    ("≯5个工作日", "≤", "5", "个工作日"),
    ("大于等于95%", "≥", "95", "%"),
    ("24小时内", "≤", "24", "小时"),
    ("118人", "", "118", "人"),
    ("≥8次", "≥", "8", "次"),
    ("≥4万人次", "≥", "4", "万人次"),
    ("200元/人/月", "", "200", "元/人/月"),
    ("7306.20平方米", "", "7306.20", "平方米"),
    ("1,000人", "", "1000", "人"),
    ("１２个", "", "12", "个"),
    ("109", "", "109", ""),
    ("=40(人)", "=", "40", "人"),
    ("2024.00", "", "2024.00", ""),
    ("=2026(年)", "=", "2026", "年"),
]


@pytest.mark.parametrize(("text", "comparison", "number", "unit"), MEASURES)
def test_measure(text: str, comparison: str, number: str, unit: str) -> None:
    assert measure(text) == Measure(comparison, Decimal(number), unit)


# Words, and numbers among words: not a measure, read by the text rules.
WORDS = [
    "提升",
    "建立健全",
    "每月",
    "当年12月前",
    "快速处置率100%",
    "2024年1月10日",
    "1-2次",
    "约100人",
]


@pytest.mark.parametrize("text", WORDS)
def test_words_are_no_measure(text: str) -> None:
    assert measure(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "=100.00(%)",
        "≥90.00(%)",
        "≥ 95 %",
        "＞85％",
        "=100.00(百分比)",
        "100%",
        "快速处置率100%",
        "满意度达90%以上",
        "满意度≥90(%)",
        "百分之九十",
    ],
)
def test_percentages(text: str) -> None:
    assert is_percentage(text)


@pytest.mark.parametrize("text", ["满意", "较高", "90分以上", "≤72(小时)", "=100.00", "百分比"])
def test_not_percentages(text: str) -> None:
    assert not is_percentage(text)


@pytest.mark.parametrize("text", ["118人", "=40(人)", "≥8次", "三次", "１２个", "109"])
def test_numbers(text: str) -> None:
    assert has_number(text)


@pytest.mark.parametrize("text", ["若干", "每月", "提升"])
def test_no_numbers(text: str) -> None:
    assert not has_number(text)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2024年1月10日", [2024]),
        ("2026年", [2026]),
        ("=2026(年)", [2026]),
        ("2026年底", [2026]),
        ("2024.1.10", [2024]),
        ("2026.12.31前", [2026]),
        ("2024.00", []),
        ("=2024.00(元)", []),
        ("≥2000(人)", []),
        ("2035.58", []),
        ("≤3年", []),
        ("=100.00(%)", []),
        ("≥90.00(%)", []),
        ("2000份", []),
    ],
)
def test_value_years(text: str, years: list[int]) -> None:
    assert value_years(text) == years


def test_years_in_text_skip_document_numbers() -> None:
    assert years_in("根据闵综治办(2017)11号，2025-2027年完成，2024.1.10验收") == [2025, 2027, 2024]


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("≥95%", ("≥", "95", "%")),
        ("118人", ("", "118", "人")),
        ("=100.00(%)", ("=", "100.00", "(%)")),
        ("＞85％", ("＞", "85", "％")),
        ("≥ 95 %", ("≥", "95", "%")),
        ("不低于90%", ("不低于", "90", "%")),
        ("1,300次", ("", "1,300", "次")),
        ("24小时内", ("", "24", "小时内")),
        ("提升", ("", "提升", "")),
        ("2026-12-31", ("", "2026-12-31", "")),
        ("1300次（每年2次）", ("", "1300次（每年2次）", "")),
    ],
)
def test_value_parts_as_a_form_prints_them_in_three_columns(value, parts) -> None:
    assert value_parts(value) == parts


def test_comparisons_written_in_a_column_of_their_own() -> None:
    assert [is_comparison(t) for t in ("≥", "＞", ">=", " = ", "不低于", "定性", "正向", "")] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]

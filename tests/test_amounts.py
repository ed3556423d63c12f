"""Amounts: exact conversion between 元 and 万元."""

from decimal import Decimal

import pytest

from gen.amounts import in_unit, in_words


@pytest.mark.parametrize(
    ("amount", "unit", "wanted", "expected"),
    [
        ("3082.53", "万元", "元", "30825300"),
        ("4.0344", "万元", "元", "40344"),
        ("0.000001", "万元", "元", "0.01"),
        ("297554.85", "元", "万元", "29.755485"),
        ("1", "元", "万元", "0.0001"),
        ("10308000.00", "元", "万元", "1030.8"),
        ("87.90", "万元", "万元", "87.90"),  # the same unit: as written
        ("0", "元", "万元", "0"),
    ],
)
def test_in_unit_is_exact(amount, unit, wanted, expected):
    converted = in_unit(Decimal(amount), unit, wanted)
    assert str(converted) == expected
    assert in_unit(converted, wanted, unit) == Decimal(amount)  # and back, nothing lost


@pytest.mark.parametrize(
    ("yuan", "said"),
    [
        ("800000000", "8 亿元"),
        ("123456789.12", "1.2345678912 亿元"),
        ("563800", "56.38 万元"),
        ("10000", "1 万元"),
        ("80000.00", "8 万元"),
        ("9999.99", "9999.99 元"),
        ("56.38", "56.38 元"),
        ("0", "0 元"),
    ],
)
def test_in_words_says_an_amount_in_its_largest_unit(yuan, said):
    assert in_words(Decimal(yuan)) == said

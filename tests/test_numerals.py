"""Dates in Chinese numerals read as the dates they are, and never as another."""

from __future__ import annotations

import pytest

from gen.numerals import (
    date_match,
    date_numbers,
    in_chinese,
    padded,
    small_number,
    year_number,
)


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("十二", 12), ("一十二", 12),
        ("二十", 20), ("二十九", 29), ("三十", 30), ("三十一", 31),
        ("壹", 1), ("拾", 10), ("拾贰", 12), ("壹拾贰", 12), ("贰拾", 20), ("叁拾壹", 31),
        ("〇一", 1), ("零壹", 1), ("零壹拾", 10), ("1", 1), ("01", 1), ("12", 12),
        ("廿", 20), ("廿一", 21), ("廿九", 29), ("卅", 30), ("卅一", 31),
    ],
)  # fmt: skip
def test_a_month_or_a_day_in_any_numerals(written, number):
    assert small_number(written) == number


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("2026", 2026), ("２０２６", 2026), ("二〇二六", 2026), ("贰零贰陆", 2026), ("28", 28),
        ("2 0 2 6", 2026), ("2　0　2　6", 2026), ("二 〇 二 六", 2026),  # spaced out in a title
        ("2O26", 2026), ("2o2O", 2020), ("２Ｏ２６", 2026),  # the letter O typed for a zero
    ],
)  # fmt: skip
def test_a_year_in_any_digits(written, year):
    assert year_number(written) == year


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("二〇二六年一月一日", (2026, 1, 1)),
        ("二○二六年十二月三十一日", (2026, 12, 31)),  # the white circle typed for 〇
        ("二零二六年1月1日", (2026, 1, 1)),
        ("2026年十月二十日", (2026, 10, 20)),
        ("贰零贰陆年壹月壹日", (2026, 1, 1)),
        ("贰零贰陆年壹拾贰月叁拾壹日", (2026, 12, 31)),
        ("二〇二六 年 十一 月 三十 日", (2026, 11, 30)),
        ("二〇二六年二月三十日", (2026, 2, 30)),  # read as written; the calendar refuses it
        ("二〇二六年一月廿一日", (2026, 1, 21)),
        ("二〇二六年十二月卅一日", (2026, 12, 31)),
    ],
)
def test_dates_in_chinese_numerals(text, numbers):
    match = date_match(text)
    assert match is not None
    assert (date_numbers(match), in_chinese(match)) == (numbers, True)


@pytest.mark.parametrize(
    "text",
    [
        "二〇二六年一二月一日",  # digits side by side: 一二月 may be January and February
        "二〇二六年一〇月一日",
        "二0二六年一月一日",  # a year in two kinds of digits
        "二〇二年一月一日",  # three digits
        "二〇二六年〇月一日",
        "二〇二六年百月一日",
        "二〇二六年一月二廿日",
        "二〇二六年一月廿十日",
    ],
)
def test_numbers_that_are_no_date(text):
    assert date_match(text) is None


def test_arabic_dates_are_no_chinese_ones():
    match = date_match("2026. 01. 01")
    assert match is not None and not in_chinese(match)


@pytest.mark.parametrize(
    ("written", "zero"),
    [("1", False), ("01", True), ("12", None), ("一", False), ("十二", False), ("〇一", True),
     ("零壹拾", True)],
)  # fmt: skip
def test_whether_a_number_is_written_padded(written, zero):
    assert padded(written) is zero

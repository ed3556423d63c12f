"""How much room text takes in a 汇总表 cell: widths in digits, wrapped lines, row heights."""

from __future__ import annotations

import pytest

from gen.delivery.sheet_text import (
    CELL_MARGIN,
    WIDE,
    fitting_width,
    lines_within,
    row_height,
    text_width,
    wrapped,
    wrapped_lines,
)


def test_a_chinese_character_is_one_em_and_wider_than_a_digit():
    assert text_width("项目") == 2 * WIDE == 3.75  # 15 px each against Arial's 8 px digit
    assert text_width("项目", bold=True) == 4.0  # emboldened 宋体 is a pixel wider
    assert text_width("2026") == pytest.approx(4.6)  # DejaVu Sans digits, 1.15 each
    assert text_width("2026-01-01") == pytest.approx(11.2)  # hyphens: 宋体's half em
    assert text_width("“2+1”") == pytest.approx(2 * WIDE + 3 * 1.15)  # 宋体's quotes are full width


def test_figures_are_measured_in_arial_whose_digit_is_the_unit():
    assert text_width("7,658.2748", figures=True) == pytest.approx(9.1)  # stops of 0.55
    assert text_width("7,658.2748", bold=True, figures=True) == pytest.approx(9.1)
    assert text_width("2026-01-01", figures=True) == pytest.approx(9.25)  # hyphens of 0.625
    assert fitting_width("2026-01-01", figures=True) == 10  # 9.25 + 0.75
    assert fitting_width("112,304.31", bold=True, figures=True) == 10


def test_a_column_fits_its_widest_line_and_its_margins():
    assert fitting_width("2026-01-01") == 12  # 11.2 + 0.75
    assert fitting_width("绩效目标申报表") == 14  # 13.125 + 0.75
    assert fitting_width("年度资金申请总额\n（万元）", bold=True) == 17  # 16 + 0.75, one line each
    assert fitting_width("（万元）", bold=True) == 9


@pytest.mark.parametrize(
    ("text", "width", "bold", "lines"),
    [
        ("人才健康体检", 27, False, 1),
        ("浦江镇实有人口移动信息采集", 27, False, 1),  # 13 characters
        ("闵行区街区党组织服务群众专项", 27, False, 1),  # 14: 26.25 digits, the room exactly
        ("闵行区街区党组织服务群众专项经", 27, False, 2),  # 15
        ("浦江镇实有人口移动信息采集终端租赁服务", 27, False, 2),
        ("浦江镇社区党群服务中心", 18, False, 2),  # 9 characters a line
        ("浦江镇党建工作办公室（人才）条线", 18, False, 2),
        ("浦江镇党建工作办公室（人才）条线", 18, True, 2),  # 8 bold a line: 公室（人才）条线
        ("闵行区浦江镇平安建设办公室", 18, True, 2),
        ("项目资金总额\n（万元）", 13, True, 2),  # the unit on its own line
        ("年度资金申请总额\n（万元）", 12, True, 3),  # 年度资金申/请总额/（万元）
    ],
)
def test_lines_of_known_texts(text, width, bold, lines):
    assert wrapped_lines(text, width, bold) == lines


def test_punctuation_stays_with_its_neighbour_and_a_latin_word_stays_whole():
    room = 4 * WIDE + CELL_MARGIN  # four Chinese characters a line
    assert wrapped_lines("一二三四", room) == 1
    assert wrapped_lines("一二三四。", room) == 2  # the stop does not begin a line: 一二三/四。
    assert wrapped_lines("一二3456", room) == 2  # 一二/3456: the number is not split


def test_a_row_is_sixteen_points_a_line_and_two_for_its_borders():
    assert [row_height(n) for n in (1, 2, 3)] == [18, 34, 50]


def test_the_lines_of_a_cell_and_the_lines_a_row_holds():
    assert wrapped("浦江镇党建工作办公室（人才）条线", 18) == [
        "浦江镇党建工作办公",
        "室（人才）条线",
    ]
    assert wrapped("项目资金总额\n（万元）", 13, bold=True) == ["项目资金总额", "（万元）"]
    assert [lines_within(height) for height in (18, 33.9, 34, 49.9, 500, 5)] == [1, 1, 2, 2, 31, 1]

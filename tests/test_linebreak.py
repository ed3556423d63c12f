"""Where a line of text wraps: between Chinese characters, never inside a word or at a bracket."""

from __future__ import annotations

from gen.linebreak import is_wide, pieces, wrap


def test_chinese_characters_and_quotation_marks_are_one_em():
    assert all(map(is_wide, "项（，“”≥"))
    assert not any(map(is_wide, "a1.% "))


def test_a_line_may_wrap_between_chinese_characters_and_at_spaces_only():
    assert pieces("社区矫正") == ["社", "区", "矫", "正"]
    assert pieces("全覆盖“2+1”工作") == ["全", "覆", "盖", "“2+1”", "工", "作"]
    assert pieces("app 签到") == ["app", " ", "签", "到"]


def test_closing_punctuation_never_begins_a_line_nor_opening_punctuation_ends_one():
    assert pieces("党群中心（南区）规范") == ["党", "群", "中", "心", "（南", "区）", "规", "范"]
    assert wrap("一二三四。", 4, len) == ["一二三", "四。"]
    assert wrap("一二三（四", 4, len) == ["一二三", "（四"]


def test_each_line_is_filled_as_far_as_it_goes():
    assert wrap("社区矫正安置帮教", 7, len) == ["社区矫正安置帮", "教"]
    assert wrap("社区矫正安置帮教", 4, len) == ["社区矫正", "安置帮教"]
    assert wrap("一二3456", 4, len) == ["一二", "3456"]  # the number is not split
    assert wrap("1234567890", 4, len) == ["1234", "5678", "90"]  # longer than a line
    assert wrap("", 4, len) == [""]

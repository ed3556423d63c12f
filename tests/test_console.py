"""The console: text measured and wrapped in terminal cells; no command fails on a character the
console or pipe cannot encode."""

from __future__ import annotations

from gen.console import NO_LINE_START, cells, wrap


def test_a_chinese_character_takes_two_cells():
    assert cells("gen 生成") == 8
    assert cells("（默认：120）") == 13


def test_chinese_wraps_between_characters_and_words_stay_whole():
    text = "同时用 LibreOffice 在每个 .docx 旁生成 PDF。"
    lines = wrap(text, 16)
    assert lines == ["同时用", "LibreOffice 在每", "个 .docx 旁生成", "PDF。"]
    assert all(cells(line) <= 16 for line in lines)


def test_no_line_starts_with_a_closing_mark():
    lines = wrap("甲乙丙丁戊，己庚辛。", 10)
    assert lines == ["甲乙丙丁", "戊，己庚", "辛。"]
    assert not any(line[0] in NO_LINE_START for line in lines)


def test_a_word_longer_than_the_line_is_left_whole():
    assert wrap("见 https://zh-cn.libreoffice.org 下载", 12) == [
        "见",
        "https://zh-cn.libreoffice.org",
        "下载",
    ]


def test_empty_text_has_no_lines():
    assert wrap("", 10) == []

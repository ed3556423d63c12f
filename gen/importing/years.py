"""The years a form's title lines write: its 年度, a span of years (项目期间), and how each is
written (digits, a letter O for a zero)."""

from __future__ import annotations

import re

from gen.importing.printed import one_line
from gen.numerals import (
    ASCII_DIGITS,
    CHINESE,
    CHINESE_DIGITS,
    DIGIT_VALUES,
    FULL_WIDTH_DIGITS,
    LETTER_ZEROS,
    year_number,
)

# The Chinese digits a year may start with (〇二六 is no year), and the Chinese words of numbers
# a year is no part of: 第二〇号, 十四五, 二〇二〇二六
_CHINESE_FIRST = "".join(c for c in CHINESE if DIGIT_VALUES[c])
_NUMBER_WORD = CHINESE + "十百千万两廿"
_ARABIC = "0-9０-９"
_NOT_LATIN = rf"{_ARABIC}A-Za-zＡ-Ｚａ-ｚ"


def _year_digits(first: str, digits: str, bound: str) -> str:
    """Four digits of one year, side by side or spaced out to fill a title's width (2 0 2 6,
    二 〇 二 六: one or two spaces between each), with no `bound` character (a digit, a Chinese
    number word) before or after them."""
    return (
        rf"(?<![{bound}])[{first}][{digits}]{{3}}(?![{bound}])"
        rf"|(?<![{bound}])(?<![{bound}]\s)(?<![{bound}]\s\s)[{first}](?:\s{{1,2}}[{digits}]){{3}}"
        rf"(?!\s{{0,2}}[{bound}])"
    )


# Four digits of one year: it starts with no zero (〇二六, 0026 are no year), so it is one of
# gen's YEARS, and is no part of a longer number (12026, 第二〇号); or four Arabic digits with the
# letter O typed for a zero (2O26, ２Ｏ２６), starting with a digit, in no word (ISO2O26, 2O26A).
_FOUR = "|".join(
    (
        _year_digits("1-9１-９", _ARABIC, _ARABIC),
        rf"(?<![{_NOT_LATIN}])[1-9１-９](?=[{_ARABIC}]{{0,2}}[{LETTER_ZEROS}])"
        rf"[{_ARABIC}{LETTER_ZEROS}]{{3}}(?![{_NOT_LATIN}])",
        _year_digits(_CHINESE_FIRST, CHINESE, _NUMBER_WORD),
    )
)
# The year of a form: "2026年度", "（2026年）", or a title that starts with it ("2026年财政项目支出
# 绩效目标表"), in any digits of a year; not a date ("2026年1月1日", 二〇二六年一月) or a year in
# other words. A title spread out with spaces (“（2026 年 度）”, “2026年财 政 项 目 支 出 绩 效 目 标 表”)
# says it as well.
YEAR = re.compile(
    rf"({_FOUR})\s*年(?:\s*度|(?=\s*[)）])"
    rf"|(?=\s*(?![{_NUMBER_WORD}]+\s*月)[^\s0-9０-９月][^\n]*?(?:目\s*标|申\s*报)\s*表))"
)
# Two years apart, the last written whole or by its last two digits before 年 (2026-28年)
PERIOD = re.compile(
    rf"({_FOUR})(\s*(?:年\s*度?)?\s*(?:[-—–~～－]{{1,2}}|至|到)\s*)"
    rf"({_FOUR}|(?:[0-9０-９]{{2}}|[{CHINESE}]{{2}})(?=\s*年))"
)
# A span of years in a title line ("2026-2028年财政项目支出绩效目标表", "2026—2028年度", "2026至2028年",
# "2026年度至2028年度", "2026——2028年", "2026-28年", "二〇二六至二〇二八年"):
# the 项目期间 of a multi-year form; its last year is no 年度.
TITLE_PERIOD = re.compile(PERIOD.pattern + r"(?=\s*年)")

# A year listed before another that a 年 follows ("2026、2027年…目标表", "2026和2027年度"): a year of
# the title too, though only the last is written as one
LISTED_YEAR = re.compile(rf"({_FOUR})\s*[、,，和及与]\s*(?=(?:{_FOUR})\s*年)")


def title_years(text: str) -> list[re.Match[str]]:
    """The years (YEAR) of a title line that are no part of a span of years (TITLE_PERIOD)."""
    spans = [match.span() for match in TITLE_PERIOD.finditer(text)]
    return [m for m in YEAR.finditer(text) if not any(a <= m.start(1) < b for a, b in spans)]


def period_years(match: re.Match[str]) -> tuple[int, int] | None:
    """The first and the last year of a PERIOD; None when the last is written by two digits
    that would make it earlier than the first (2026-25年: not a year to guess)."""
    first, last = year_number(match[1]), year_number(match[3])
    if len(match[3]) == 2:
        last += first - first % 100
        if last < first:
            return None
    return first, last


def digits_of(written: str) -> str:
    """The digits 0 to 9 in the style a year was written in (ASCII_DIGITS, FULL_WIDTH_DIGITS or
    one of CHINESE_DIGITS): the style with most of its characters, the first of a tie."""
    styles = (FULL_WIDTH_DIGITS, *CHINESE_DIGITS, ASCII_DIGITS)
    return max(styles, key=lambda digits: len(set(written) & set(digits)))


def title_year(titles: list[str]) -> int | None:
    """The year of the "(2026年度)" line above the table (the nearest one); none in a span of
    years ("2026-2028年…目标表": see title_period)."""
    years = [m[1] for text in titles for m in title_years(text)]
    return year_number(years[-1]) if years else None


def years_by_line(titles: list[str]) -> dict[str, list[int]]:
    """The years (see title_year) each title line names, by the line, in order: more than one in
    all is a form whose 年度 is to be checked by hand ("2026年和2027年…目标表", or "2027年…
    目标表" over "（2026年度）")."""
    found: dict[str, list[int]] = {}
    for text in titles:
        listed = [*LISTED_YEAR.finditer(text), *title_years(text)]
        for match in sorted(listed, key=lambda match: match.start(1)):
            years = found.setdefault(one_line(text), [])
            if year_number(match[1]) not in years:
                years.append(year_number(match[1]))
    return found


def years_said(titles: list[str]) -> str:
    """The years of the title lines, for a message: “2026年和2027年…目标表”写的是 2026、2027 年."""
    return "，".join(
        f"“{line}”写的是 {'、'.join(map(str, years))} 年"
        for line, years in years_by_line(titles).items()
    )


def letter_o_said(titles: list[str]) -> str:
    """The years of the title lines written with the letter O for a zero and what they were
    read as, for a message ("" when none): 表格上方的“（2O26年度）”里的“2O26”把 0 写成了
    字母 O，读作 2026 年."""
    said = []
    for text in titles:
        years = [m[1] for m in (*LISTED_YEAR.finditer(text), *title_years(text))]
        years += [year for m in TITLE_PERIOD.finditer(text) for year in (m[1], m[3])]
        misspelt = list(dict.fromkeys(y for y in years if set(y) & set(LETTER_ZEROS)))
        if misspelt:
            read = "、".join(str(year_number(year)) for year in misspelt)
            said.append(
                f"表格上方的“{one_line(text)}”里的“{'”“'.join(misspelt)}”把 0 写成了字母 O，"
                f"读作 {read} 年"
            )
    return "；".join(said)


def title_period(titles: list[str]) -> tuple[str, int, int] | None:
    """The span of years of the title lines nearest the table ("2026-2028年财政项目支出绩效
    目标表"): the line, its first and its last year."""
    spans = [
        (text, years)
        for text in titles
        for m in TITLE_PERIOD.finditer(text)
        if (years := period_years(m)) is not None
    ]
    if not spans:
        return None
    text, (first, last) = spans[-1]
    return one_line(text), first, last

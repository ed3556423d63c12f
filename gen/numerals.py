"""Numbers as forms write them: a year's digits (2026, 二〇二六, 贰零贰陆), a month or a day in
Chinese numerals (十二, 三十一, 拾贰), and the dates written with them (二〇二六年十二月三十一日)."""

from __future__ import annotations

import functools
import re

# The digits a year is written in, 0 to 9: ASCII, full-width (２０２６), Chinese (二〇二六; the
# circle ○ typed for 〇; 二零二六) and the capital digits of accounts (贰零贰陆).
ASCII_DIGITS = "0123456789"
FULL_WIDTH_DIGITS = "０１２３４５６７８９"
CHINESE_DIGITS = (
    "〇一二三四五六七八九",
    "○一二三四五六七八九",
    "零一二三四五六七八九",
    "零壹贰叁肆伍陆柒捌玖",
)
DIGIT_VALUES = {
    char: value
    for digits in (ASCII_DIGITS, FULL_WIDTH_DIGITS, *CHINESE_DIGITS)
    for value, char in enumerate(digits)
}
CHINESE = "".join(dict.fromkeys("".join(CHINESE_DIGITS)))  # every Chinese digit, once
_ZEROS = "".join(c for c in CHINESE if not DIGIT_VALUES[c])
_ONES = "".join(c for c in CHINESE if DIGIT_VALUES[c])
_TENS = "十拾"
_TWENTY_THIRTY = {
    "廿": 2,
    "卅": 3,
}  # a day as calendars write it: 廿一日 is the 21st, 卅一日 the 31st
# A month or a day in Chinese numerals: 一 to 九, 十, 十二, 二十, 三十一, 一十二, capitals alike
# (壹, 拾贰, 叁拾壹), 廿 and 卅 (廿一, 卅), and a zero before it as cheques write it (零壹, 零壹拾) or
# as 〇一 pads it. Digits side by side (一二, 三一) are no month or day: 一二月 may mean January
# and February.
_CHINESE_NUMBER = (
    rf"[{_ZEROS}]?(?:[{_ONES}]?[{_TENS}][{_ONES}]?|[{''.join(_TWENTY_THIRTY)}][{_ONES}]?|[{_ONES}])"
)


def date_match(text: str) -> re.Match[str] | None:
    """`text` (folded by NFKC) read whole as a date as a form prints it: the year in four
    digits of one kind, a month and a day in Arabic or Chinese numerals, between them - . / or
    年 月 (日), spaces allowed. Groups: year, separator, month, separator, day, end
    (2026年1月1日 → 2026 年 1 月 1 日). None when it is no such date."""
    return _date().fullmatch(text)


def dates_in(text: str) -> list[re.Match[str]]:
    """The dates (as date_match reads them) written in `text`, in order: a span of two written
    in one place, "2026.1.1-2026.12.31", gives both."""
    return list(_date().finditer(text))


@functools.cache
def _date() -> re.Pattern[str]:
    """The pattern of date_match, compiled when first needed (its classes of Chinese numerals
    take a millisecond): a build reads its dates from YAML and looks at a text only when it is
    no date."""
    return re.compile(
        rf"([0-9]{{4}}|[{CHINESE}]{{4}})(\s*[-./年]\s*)([0-9]{{1,2}}|{_CHINESE_NUMBER})"
        rf"(\s*[-./月]\s*)([0-9]{{1,2}}|{_CHINESE_NUMBER})(\s*日?)"
    )


# The letter O typed for the digit zero (2O26, ２Ｏ２６): a year of a title may be written so
LETTER_ZEROS = "OoＯｏ"


def year_number(digits: str) -> int:
    """A year (or its last two digits) in any digits of a year (2026, ２０２６, 二〇二六, 贰零贰陆),
    spaced out (2 0 2 6) or with the letter O for a zero (2O26)."""
    values = (0 if char in LETTER_ZEROS else DIGIT_VALUES[char] for char in "".join(digits.split()))
    return int("".join(map(str, values)))


def small_number(written: str) -> int:
    """A month's or a day's number as date_match reads it: 1, 01, 十, 十二, 二十, 三十一, 拾贰, 零壹,
    廿一."""
    if written.isascii():
        return int(written)
    number = written.lstrip(_ZEROS)
    if number[0] in _TWENTY_THIRTY:
        return _TWENTY_THIRTY[number[0]] * 10 + (DIGIT_VALUES[number[1]] if number[1:] else 0)
    for ten in _TENS:
        if ten in number:
            tens, _, ones = number.partition(ten)
            return (DIGIT_VALUES[tens] if tens else 1) * 10 + (DIGIT_VALUES[ones] if ones else 0)
    return DIGIT_VALUES[number]


def date_numbers(match: re.Match[str]) -> tuple[int, int, int]:
    """The year, month and day a date_match names (not checked against the calendar)."""
    return year_number(match[1]), small_number(match[3]), small_number(match[5])


def in_chinese(match: re.Match[str]) -> bool:
    """Whether a date_match writes its year, month or day in Chinese numerals."""
    return not all(match[group].isascii() for group in (1, 3, 5))


def padded(written: str) -> bool | None:
    """Whether a month or a day is written with a leading zero (01, 〇一, 零壹), None when the
    writing does not tell (12: a month of two digits either way)."""
    if not written.isascii():
        return written[0] in _ZEROS  # Chinese numerals pad only with a zero written
    if len(written) == 1:
        return False
    return True if written.startswith("0") else None

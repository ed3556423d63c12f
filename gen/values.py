"""How written text is read: indicator values as (comparison, number, unit), numbers, percentages, years.

Budget systems print an indicator value as a comparison, a number and a unit in their own
style — `=100.00(%)`, `≥90.00(%)`, `≤72(小时)`, `≥ 95 %`, `＞85％`, `90分以上` — and people
write `≥90%` or `118人`. Every rule that reads a value reads it here, so a style understood
once is understood everywhere; the form always prints the value exactly as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

# Comparisons before the number, in the canonical sign they mean (NFKC has folded ＞ to >).
_BEFORE = {
    "≥": "≥",
    ">=": "≥",
    "≧": "≥",
    "⩾": "≥",
    "≮": "≥",
    "大于等于": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "不小于": "≥",
    "至少": "≥",
    "≤": "≤",
    "<=": "≤",
    "≦": "≤",
    "⩽": "≤",
    "≯": "≤",
    "小于等于": "≤",
    "不高于": "≤",
    "不多于": "≤",
    "不大于": "≤",
    "不超过": "≤",
    ">": ">",
    "大于": ">",
    "高于": ">",
    "超过": ">",
    "<": "<",
    "小于": "<",
    "低于": "<",
    "=": "=",
    "==": "=",
}
# Comparisons after the unit: 90分以上, 24小时内.
_AFTER = {"及以上": "≥", "以上": "≥", "及以下": "≤", "以下": "≤", "以内": "≤", "内": "≤"}


def _alternatives(words: dict[str, str]) -> str:
    """A regex alternation of the words, longest first (so >= wins over >)."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_NUMBER = r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_MEASURE = re.compile(
    rf"(?P<before>{_alternatives(_BEFORE)})?\s*(?P<number>{_NUMBER})\s*"
    r"(?:\((?P<bracketed>[^()0-9]*)\)|(?P<unit>[^()0-9]*?))\s*"
    rf"(?P<after>{_alternatives(_AFTER)})?"
)
# A value as a form with 指标性质 | 指标值 | 度量单位 columns prints it, in the value's own
# characters: "≥95%" → ≥ | 95 | %, "＞85％" → ＞ | 85 | ％; no digit after the number.
_PARTS = re.compile(
    rf"(?P<sign>{_alternatives({**_BEFORE, '＞': '>', '＜': '<', '＝': '=', '＞＝': '≥', '＜＝': '≤'})})?"
    r"\s*(?P<number>[+-]?[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*(?P<unit>[^0-9０-９]*)"
)
PERCENT_UNITS = ("%", "百分比")
CHINESE_NUMERALS = "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
# A percentage among other words: 满意度达90%以上, 快速处置率100%, 90(百分比), 百分之九十.
_PERCENT_IN_TEXT = re.compile(
    rf"[0-9]+(?:\.[0-9]+)?\s*\(?\s*(?:%|百分比)|百分之[0-9{CHINESE_NUMERALS}]"
)

# Document numbers such as 〔2017〕11号, (2009)18号, （2009）18号, [2017]11号, 【2017】第3号.
DOC_NUMBER = re.compile(r"[〔\[(（【]\s*(?:19|20)\d{2}\s*年?\s*[〕\])）】]\s*第?\s*\d+\s*号")
# A year range written once: 2025-2026年, 2025至2026年.
YEAR_RANGE = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*[-—–~～至到]\s*((?:19|20)\d{2})\s*年")
# A year followed by 年 (2024年, 2024年度) or a full date (2024-01-10, 2024.1.10, 2024/1/10).
YEAR = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})"
    r"(?:\s*年|[-./／](?:0?[1-9]|1[0-2])[-./／](?:0?[1-9]|[12]\d|3[01])(?!\d))"
)


@dataclass(frozen=True)
class Measure:
    """An indicator value that is a number: its comparison ("" when none), number and unit."""

    comparison: str  # ≥ ≤ > < = or ""
    number: Decimal
    unit: str  # "%", "小时", "人", "百分比", "" …

    @property
    def is_percentage(self) -> bool:
        """≥90%, =100.00(%), 95(百分比)."""
        return self.unit in PERCENT_UNITS

    @property
    def year(self) -> int | None:
        """The year it names: 2026年, =2026(年), 2026年底; never 2024.00, ≤3年 or 2000(人)."""
        whole = self.number.as_tuple().exponent == 0
        if self.unit.startswith("年") and whole and 1900 <= self.number <= 2099:
            return int(self.number)
        return None


def folded(text: str) -> str:
    """Full-width forms folded to their plain ones (＞ → >, ％ → %, （ → (, ９ → 9)."""
    return unicodedata.normalize("NFKC", text)


def measure(text: str) -> Measure | None:
    """The value as (comparison, number, unit), or None when it is words (提升, 每月, 当年12月前)."""
    match = _MEASURE.fullmatch(folded(text).strip())
    if match is None:
        return None
    unit = (match["bracketed"] if match["bracketed"] is not None else match["unit"]).strip()
    before, after = match["before"], match["after"]
    comparison = _BEFORE[before] if before else _AFTER[after] if after else ""
    return Measure(comparison, Decimal(match["number"].replace(",", "")), unit)


def value_parts(value: str) -> tuple[str, str, str]:
    """An indicator value as its comparison, number and unit, each as written ("≥95%" → "≥",
    "95", "%"); a value that is not one number (提升, 2026-12-31) is all number ("", value, "").
    Printed one after the other they are the value (without the spaces between them)."""
    text = value.strip()
    match = _PARTS.fullmatch(text)
    if match is None:
        return "", text, ""
    return match["sign"] or "", match["number"], match["unit"].strip()


def is_comparison(text: str) -> bool:
    """Whether a text is a comparison written before a number: ≥, >=, ＞, 不低于…"""
    return re.sub(r"\s+", "", folded(text)) in _BEFORE


def has_number(text: str) -> bool:
    """A number is written: 118人, =40(人), ３个, 三次 (every measure has one; so do words with one)."""
    return any(ch.isdecimal() or ch in CHINESE_NUMERALS for ch in text)


def is_percentage(text: str) -> bool:
    """A percentage: ≥90%, =100.00(%), ≥ 95 %, 90(百分比), or one among words (满意度达90%以上)."""
    reading = measure(text)
    if reading is not None and reading.is_percentage:
        return True
    return _PERCENT_IN_TEXT.search(folded(text)) is not None


def years_in(text: str) -> list[int]:
    """Years named in a text (document numbers are not), in order, once each."""
    if "19" not in text and "20" not in text:
        return []  # every year starts so
    text = DOC_NUMBER.sub(" ", text)
    years: list[int] = []
    for match in YEAR_RANGE.finditer(text):
        years += [int(match.group(1)), int(match.group(2))]
    for match in YEAR.finditer(YEAR_RANGE.sub(" ", text)):
        years.append(int(match.group(1)))
    return list(dict.fromkeys(years))


def value_years(value: str) -> list[int]:
    """Years an indicator value names: a measure names one only in 年 (2026年, =2026(年))."""
    digits = folded(value).replace(",", "")
    if "19" not in digits and "20" not in digits:
        return []  # no year, as a measure (1,999年, ２０２６年) or in words, is written without
    reading = measure(value)
    if reading is None:
        return years_in(value)
    return [] if reading.year is None else [reading.year]

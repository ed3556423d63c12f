"""Printed values → project data: dates, amounts, ticked boxes, and the 格式 that prints them so."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

# An amount read as a number fits what a project file may hold (gen.amounts); a longer digit
# string stays the text the form printed, which `gen check` then reports.
from gen.amounts import MAX_DECIMALS, MAX_INTEGER_DIGITS
from gen.numerals import date_match, date_numbers, padded
from gen.schema import FORMAT_DEFAULTS
from gen.vocabulary import (
    APPLICATION_FORM,
    CATEGORIES,
    NATURES,
    SHORT_CATEGORIES,
    SHORT_NATURES,
    TARGET_FORM,
    squash,
    stated_units,
)

# The marks a form writes in its boxes; labelled_boxes reads what a cell's marks say together.
TICK_MARKS = "☑■▣√✓✔▇█◼⬛●◉⦿⊙"
BOX_CROSSES = "☒⊠⌧"  # a box with a cross in it: the look of a ticked box in Word
CROSS_MARKS = BOX_CROSSES + "×✗✘✕✖╳"
EMPTY_MARKS = "☐□▢◻⬜❑❒○◯"
BOX_MARKS = TICK_MARKS + CROSS_MARKS + EMPTY_MARKS
TYPED_TICKS, TYPED_CROSSES = "VvＶｖ", "XxＸｘ"  # letters typed for a mark, between brackets only
CHOICES = (*CATEGORIES[TARGET_FORM], *CATEGORIES[APPLICATION_FORM], *NATURES)


_NUMBER = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_SPACE_AFTER_POINT = re.compile(r"(?<=[0-9])\.[ \t]+(?=[0-9])")  # "2035. 58", as forms print it


def one_line(text: str) -> str:
    """A single-line value: lines stripped and joined (a break inside a name is only layout)."""
    return "".join(line.strip() for line in text.splitlines()).strip()


def paragraphs_text(texts: list[str]) -> str:
    """A multi-line value: the non-blank lines of the cells, stripped, one per line."""
    lines = [line.strip() for text in texts for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- boxes

# A box written with brackets: （√） ticked, （  ） or （） empty; full- or half-width brackets,
# square ones ([√] 【√】 〔√〕) too, and between them a mark or a letter typed for one: （V） （×） (x).
_BRACKETS = {"(": ")）", "（": ")）", "[": "]］", "［": "]］", "【": "】", "〔": "〕"}
_PAREN_BOX = re.compile(
    rf"[(（\[［【〔][ \u3000\xa0]*([{BOX_MARKS}{TYPED_TICKS}{TYPED_CROSSES}]?)[ \u3000\xa0]*[)）\]］】〕]"
)
_MARK_KINDS = (
    ("tick", TICK_MARKS + TYPED_TICKS),
    ("box-cross", BOX_CROSSES),
    ("cross", CROSS_MARKS + TYPED_CROSSES),
)
# A tick written beside an empty box (□√), where the box could not be ticked itself.
_BESIDE_TICKS = "√✓✔"
_BESIDE_BOXES = "☐□▢◻⬜❑❒"
# The names of the choices, full and short, to tell where the labels are; longest first, so
# that 经常性项目 is found as itself and not as 经常性.
_NAMES = (*CHOICES, *SHORT_NATURES, *(s for shorts in SHORT_CATEGORIES.values() for s in shorts))
_NAME = re.compile("|".join(re.escape(n) for n in sorted(set(_NAMES), key=lambda n: (-len(n), n))))
_FULL_NAMES = {
    **SHORT_NATURES,
    **{short: full for shorts in SHORT_CATEGORIES.values() for short, full in shorts.items()},
}


@dataclass(frozen=True)
class BoxSpan:
    """A box in a text: [start, end) — one mark (☑), a box with a tick beside it (□√), or
    brackets and what is between them. A choice the form names with no box (√经常性 一次性) is
    a span too: [start, end) is the name, and `unboxed` says on which side a tick goes."""

    start: int
    end: int
    ticked: bool
    paren: bool  # （√） / （  ）
    mark: str = "empty"  # what the box holds: tick, cross, box-cross (☒) or empty
    unboxed: str = ""  # a choice without a box: "before" or "after" it a tick is printed


class BoxLayoutError(ValueError):
    """Boxes that cannot be read for sure: some stand before their label, some after it (reason
    "side"), or a form marks with crosses and no tick, so a cross may be the choice or not ("cross")."""

    def __init__(self, text: str, reason: str = "side") -> None:
        super().__init__(text)
        self.text = text
        self.reason = reason


def box_spans(text: str) -> list[BoxSpan]:
    """The boxes of a text in order: marks (☐ ☑ √ ■ ○ …), a box with a tick beside it (□√) and
    bracket boxes (（√） （  ） [√] （V） （×））, each ticked by its own mark (see labelled_boxes)."""
    spans = [
        _span(m.start(), m.end(), m[1], paren=True)
        for m in _PAREN_BOX.finditer(text)
        if m[0][-1] in _BRACKETS[m[0][0]]
    ]
    inside = {i for span in spans for i in range(span.start, span.end)}
    marks = [i for i, ch in enumerate(text) if ch in BOX_MARKS and i not in inside]
    k = 0
    while k < len(marks):
        i = marks[k]
        pair = text[i : i + 2]
        if marks[k + 1 : k + 2] == [i + 1] and _tick_beside_box(pair):
            spans.append(BoxSpan(i, i + 2, True, False, "tick"))
            k += 2
        else:
            spans.append(_span(i, i + 1, text[i], paren=False))
            k += 1
    return sorted(spans, key=lambda span: span.start)


def _span(start: int, end: int, mark: str, *, paren: bool) -> BoxSpan:
    """A box holding `mark` ("" for none), ticked for now as the mark alone says."""
    kind = next((kind for kind, marks in _MARK_KINDS if mark and mark in marks), "empty")
    return BoxSpan(start, end, kind in ("tick", "box-cross"), paren, kind)


def _tick_beside_box(pair: str) -> bool:
    """Whether two characters are an empty box and a tick beside it, either way round (□√ √□)."""
    return len(pair) == 2 and {_box_or_tick(pair[0]), _box_or_tick(pair[1])} == {"box", "tick"}


def _box_or_tick(ch: str) -> str:
    """ "box" for an empty box's mark, "tick" for a tick that may stand beside one, else ""."""
    return "box" if ch in _BESIDE_BOXES else "tick" if ch in _BESIDE_TICKS else ""


def _chosen_by_marks(spans: list[BoxSpan], text: str) -> list[BoxSpan]:
    """The boxes ticked as the form's marks say. A tick chooses. Beside a tick a cross marks a
    choice not taken (（×）经常性项目 （√）一次性项目); with no tick anywhere a box with a cross in
    it (☒) is Word's ticked box, while a bare cross (（×）, ×) may mean either: BoxLayoutError."""
    marks = {span.mark for span in spans}
    if "tick" not in marks and "cross" in marks:
        raise BoxLayoutError(text, "cross")
    chosen = "tick" if "tick" in marks else "box-cross"
    return [
        BoxSpan(span.start, span.end, span.mark == chosen, span.paren, span.mark) for span in spans
    ]


def labelled_boxes(text: str) -> list[tuple[BoxSpan, str]]:
    """Each box of a 项目类别 (or 项目性质) cell with the choice it is the box of, and each choice
    the cell names with no box of its own (√经常性 一次性 阶段性), unticked.

    Whether boxes stand before their labels (☐专项资金) or after them (专项资金☐) is read from
    the layout: the side each box touches when the choices are separated by spaces, the side
    the text starts or ends with a box, and last where the names are. A layout that says both,
    or neither, raises BoxLayoutError: a box read with the wrong label would import, or print,
    the wrong choice. So do crosses that may mark the choice or the others (_chosen_by_marks).
    """
    spans = _chosen_by_marks(box_spans(text), text)
    edges = [0, *(span.end for span in spans)], [*(span.start for span in spans), len(text)]
    gaps = [text[start:end] for start, end in zip(*edges, strict=True)]
    if not spans or not any(gap.strip() for gap in gaps):  # no boxes, or boxes without labels
        return [(span, "") for span in spans]
    before = _boxes_before_labels(gaps)
    if before is None:
        raise BoxLayoutError(text)
    labels = gaps[1:] if before else gaps[:-1]
    boxed = [
        (span, _nearest_choice(label, at_start=before))
        for span, label in zip(spans, labels, strict=True)
    ]
    return sorted([*boxed, *_unboxed(text, boxed, before)], key=lambda pair: pair[0].start)


def _unboxed(
    text: str, boxed: list[tuple[BoxSpan, str]], before: bool
) -> list[tuple[BoxSpan, str]]:
    """The choices a text names beside its boxes with no box of their own (each once): the form
    writes them bare when not chosen, and a tick goes on the side its boxes stand."""
    taken = {full_name(choice) for _, choice in boxed}
    found = []
    for match in _NAME.finditer(text):
        if full_name(match[0]) in taken:
            continue
        taken.add(full_name(match[0]))
        side = "before" if before else "after"
        found.append((BoxSpan(match.start(), match.end(), False, False, unboxed=side), match[0]))
    return found


def full_name(choice: str) -> str:
    """The full name a choice printed on a form stands for (经常性 → 经常性项目), else itself."""
    return _FULL_NAMES.get(choice, choice)


def named_choices(text: str) -> list[re.Match[str]]:
    """Where a text names the choices, each once (where it is first named), in order."""
    first: dict[str, re.Match[str]] = {}
    for match in _NAME.finditer(text):
        first.setdefault(full_name(match[0]), match)
    return list(first.values())


def _boxes_before_labels(gaps: list[str]) -> bool | None:
    """True for ☐专项资金, False for 专项资金☐, None when the layout does not tell (or says both);
    `gaps` are the texts around the boxes."""
    sides: set[bool] = set()
    for left, right in pairwise(gaps):  # the texts either side of a box
        touches_left = bool(left.strip()) and not left[-1].isspace()
        touches_right = bool(right.strip()) and not right[0].isspace()
        if touches_left != touches_right:
            sides.add(touches_right)
    first, last = gaps[0].strip(), gaps[-1].strip()
    if bool(first) != bool(last):
        sides.add(bool(last))
    if not sides:  # written on both ends, touching both sides: which end holds a name
        named = [any(name in squash(gap) for name in _NAMES) for gap in (first, last)]
        if named[0] != named[1]:
            sides.add(named[1])
    return sides.pop() if len(sides) == 1 else None


def box_choices(text: str) -> list[tuple[str, bool]]:
    """(choice, ticked) for every box of a 项目类别 cell, whether boxes follow or precede labels."""
    return [(choice, span.ticked) for span, choice in labelled_boxes(text)]


def ticked_choices(text: str) -> list[str]:
    """The choices whose box is ticked."""
    return [choice for choice, ticked in box_choices(text) if ticked and choice]


def _nearest_choice(piece: str, at_start: bool) -> str:
    """The label next to a box in a piece of text: a full name, else a short one (经常性), else
    the nearest word."""
    folded = squash(piece)
    known = sorted((folded.find(choice), choice) for choice in CHOICES if choice in folded)
    if known:
        return known[0][1] if at_start else known[-1][1]
    short = [match[0] for match in _NAME.finditer(folded)]
    if short:
        return short[0] if at_start else short[-1]
    words = piece.split() if at_start else piece.split()[::-1]
    return words[0] if words else ""


# ---------------------------------------------------------------- dates and amounts


def parse_date(text: str) -> date | str:
    """A printed date (2026-1-1, 2026.01.01, 2026. 01. 01, 2026年1月1日, 二〇二六年十二月三十一日,
    贰零贰陆年壹月壹日); other text, and a day the calendar has not (二〇二六年二月三十日), stays text."""
    match = printed_date(text)
    if not match:
        return text
    try:
        return date(*date_numbers(match))
    except ValueError:
        return text


def printed_date(text: str) -> re.Match[str] | None:
    """A text as the date it prints (numerals.date_match), None when it is no date."""
    return date_match(unicodedata.normalize("NFKC", text).strip())


def parse_amount(text: str) -> Decimal | str | None:
    """A printed amount as the exact decimal written (3,082.53 and 2035. 58 read too); blank: None.

    Only those splits are joined: digits apart otherwise ("1 20", "100" over "120" in one cell)
    may be two amounts, and stay text (its lines joined by a space), as does an amount longer
    than any budget has (MAX_INTEGER_DIGITS, MAX_DECIMALS).
    """
    folded = _SPACE_AFTER_POINT.sub(".", unicodedata.normalize("NFKC", text).strip())
    if not folded:
        return None
    if _THOUSANDS.fullmatch(folded):
        folded = folded.replace(",", "")
    match = _NUMBER.fullmatch(folded)
    if not match or len(match[1]) > MAX_INTEGER_DIGITS or len(match[2] or "") > MAX_DECIMALS:
        return " ".join(text.split())  # on one line, its lines apart: "100 120"
    return Decimal(folded)


def amount_unit(texts: list[str]) -> str | None:
    """元 or 万元 as the first of `texts` that states a unit ("项目资金（元）", "单位：元") says."""
    return next((units[0] for units in map(stated_units, texts) if units), None)


def infer_format(dates: list[str], amounts: list[str], unit: str | None) -> dict[str, Any]:
    """The 格式 options under which the form's dates and amounts print as they do (non-defaults only)."""
    options: dict[str, Any] = {"日期格式": date_pattern(dates), "金额单位": unit}
    parsed = [(text, parse_amount(text)) for text in amounts]
    numbers = [(text, n) for text, n in parsed if isinstance(n, Decimal)]
    decimals = [-int(n.as_tuple().exponent) for _, n in numbers if n != 0]
    options["金额小数位"] = max(min([*decimals, 2]), 0)  # more decimals print anyway
    options["千分位"] = any("," in text for text, _ in numbers)
    options["零值"] = zero_style([text for text, n in numbers if n == 0])
    return {k: v for k, v in options.items() if v is not None and v != FORMAT_DEFAULTS[k]}


def zero_style(zeros: list[str]) -> str:
    """零值 as the form prints a zero: "0.00" with decimals, "0" without, 空白 when none printed."""
    if any("." in text for text in zeros):
        return "0.00"
    return "0" if zeros else "空白"


def date_pattern(texts: list[str]) -> str | None:
    """The 日期格式 pattern that prints dates as these texts show them (YYYY.M.D, YYYY年M月D日…).

    It prints Arabic digits: a date in Chinese numerals (二〇二六年一月一日) gets its separators
    and its padding (〇一 is 01), which is all of it 日期格式 can say.
    """
    matches = [m for m in map(printed_date, texts) if m]
    if not matches:
        return None
    month = next((s for m in matches if (s := _digits_style(m[3], "M")) is not None), "MM")
    day = next((s for m in matches if (s := _digits_style(m[5], "D")) is not None), "DD")
    first = matches[0]
    return f"YYYY{first[2]}{month}{first[4]}{day}{first[6]}"


def _digits_style(written: str, letter: str) -> str | None:
    """ "M" for 1 or 一, "MM" for 01 or 〇一, None when it cannot tell (12); "D" / "DD" likewise."""
    zero = padded(written)
    return None if zero is None else letter * 2 if zero else letter

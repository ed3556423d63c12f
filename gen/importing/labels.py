"""The label vocabulary: which label key a cell's text names, a label written with its value in
one cell, and the short texts a message quotes."""

from __future__ import annotations

import re
import unicodedata

from gen.importing.printed import box_spans, named_choices
from gen.values import folded
from gen.vocabulary import (
    CATEGORY_VALUES,
    CURRENCY_NOTE,
    DATE_KEYS,
    GOAL_FIELDS,
    INDICATOR_UNIT_WORDS,
    NATURE_VALUES,
    REQUIRED_FUNDS,
    UNIT_NOTE,
    WAN_NOTE,
    squash,
    unit_folded,
)

# "（元）", "(万元)", "（单位：元）", "（元，保留两位小数）", "（￥）", "（万）" after an amount label; "（千元）"
# and "（美元）" too, so that the form is refused by its unit (units.check_unit) rather than for a
# missing label; "（RMB）", "（人民币）", a currency without its unit, which import warns of
_UNIT = rf"({UNIT_NOTE}|{WAN_NOTE}|{CURRENCY_NOTE})?"

# Labels as they appear after `squash` (NFKC, no whitespace): key → pattern.
LABELS: dict[str, str] = {
    "项目名称": r"项目名称",
    "项目类别": r"项目类[别型]",
    "项目性质": r"项目(性质|属性)",
    "主管部门": r"主管(部门|单位)(及代码|名称)?",
    "实施单位": r"(项目)?实施单位(及代码|名称)?",
    "计划开始日期": r"(计划|项目)?(开始|起始)(日期|时间)",
    "计划完成日期": r"(计划|项目)?(完成|结束|截止)(日期|时间)",
    "项目资金": rf"项目资金{_UNIT}",
    "年度资金": rf"年度资金{_UNIT}",  # the 年度资金 block's own label, where it stands below
    "项目资金总额": rf"项目资金总额{_UNIT}",
    "年度资金申请总额": rf"年度资金(申请)?总额{_UNIT}",
    "财政资金": rf"(其中:?)?财政资金{_UNIT}",
    "当年财政拨款": rf"(其中:?)?(当年|本年)财政拨款{_UNIT}",
    "上年结转资金": rf"(其中:?)?上年结转(资金)?{_UNIT}",
    "其他资金": rf"(其中:?)?其他资金{_UNIT}",
    "项目绩效目标": r"(项目)?绩效目标",
    "项目总目标": r"项目总(体)?目标(\(.*\))?",
    "年度总体目标": r"年度(总体)?目标(\(.*\))?",
    "年度绩效目标": r"年度绩效目标(\(.*\))?",  # the annual goal, where a form has no 年度总体目标
    "绩效指标": r"(年度|项目)?绩效指标(\(.*\))?",
    "一级指标": r"一级指标(名称)?",
    "二级指标": r"二级指标(名称)?",
    "三级指标": r"三级指标(名称)?",
    "指标值": r".{0,12}指标值",
}
_LABELS = [(key, re.compile(pattern)) for key, pattern in LABELS.items()]
INDICATOR_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
# The labels that may stand left of the 一级 column beside the indicators: the block's own name.
INDICATOR_BLOCK_LABELS = ("绩效指标", "项目绩效目标", "年度绩效目标")
# Every form has these labels; a form without one is not imported (its value would be lost).
REQUIRED_LABELS = (
    "项目名称",
    "项目类别",
    "主管部门",
    "实施单位",
    *DATE_KEYS,
    *REQUIRED_FUNDS,
    *GOAL_FIELDS,
)
# The amounts a form may leave out (gen takes them as 0, or sums the parts)
OPTIONAL_FUNDS = ("项目资金总额", "年度资金申请总额", "上年结转资金", "其他资金")
# The labels of the amounts, which may state their unit (“项目资金（万元）”)
AMOUNT_KEYS = (
    "项目资金",
    "项目资金总额",
    "财政资金",
    "年度资金申请总额",
    "当年财政拨款",
    "年度资金",
    "上年结转资金",
    "其他资金",
)
# How a missing label is named in a message: the usual wording and its variants.
LABEL_NAMES = {
    "财政资金": "其中：财政资金",
    "当年财政拨款": "其中：当年财政拨款”或“本年财政拨款",
    "项目总目标": "项目总目标”或“项目总体目标",
    "年度总体目标": "年度总体目标",
    "指标值": "年度指标值”或“指标值",
    "计划开始日期": "计划开始日期”或“计划开始时间",
    "计划完成日期": "计划完成日期”或“计划完成时间",
}
# The columns a form splits an indicator value into, by their header (指标值 holds the number)
VALUE_COLUMNS = {
    "符号": re.compile(r"指标(性质|方向)|比较(符号|方式)?|(运算)?符号"),
    "单位": re.compile(rf"({'|'.join(INDICATOR_UNIT_WORDS)})?单位"),
}
# What stands below the indicators, where a 一级指标 would (审核意见, 填报人, 联系电话…).
# A bracketed note may follow, or the word be one (单位负责人（签字）, 单位（盖章）).
TRAILING_LABEL = re.compile(
    r".{0,10}(意见|填报人|填表人|制表人|制表|联系人|联系电话|联系方式|电话|日期|时间|负责人|经办人"
    r"|审核人|复核人|分管领导|签字|签章|盖章|备注|说明)[)）]?(?:[(（][^()（）]{0,8}[)）])?"
)
# Every choice gen knows of 项目类别 and 项目性质, full and short
CHOICE_VALUES = frozenset(
    (*NATURE_VALUES, *(v for values in CATEGORY_VALUES.values() for v in values))
)


def label_of(text: str) -> str | None:
    """The label key a cell's text is, or None for a value; a colon after a label is only punctuation."""
    folded = unit_folded(squash(text)).removesuffix(":")  # 项目资金（萬元） is 项目资金（万元）
    return next((key for key, pattern in _LABELS if pattern.fullmatch(folded)), None)


# The labels a cell may write its value after, and a colon (“实施单位：浦江镇司法所”): the single
# values, not the amounts, the goals or the indicators
INLINE_KEYS = ("项目名称", "项目类别", "项目性质", "主管部门", "实施单位", *DATE_KEYS)
CHOICE_KEYS = ("项目类别", "项目性质")  # the keys whose value may be boxes (after the colon too)


def inline_label(text: str) -> tuple[str, str] | None:
    """(key, value) of a cell writing a label of INLINE_KEYS, a colon and the value (“项目名称：
    普法”, “实施单位:\n浦江镇司法所”, “项目类别：☑经常性项目 ☐一次性项目”); None for any other
    cell, and for a value with boxes that are not gen's choices of 项目类别 or 项目性质, with
    several choices and no box, or with another label and colon in it (each read from a cell of
    its own)."""
    for at, char in enumerate(text):
        if unicodedata.normalize("NFKC", char) != ":":
            continue
        key = label_of(text[:at])
        if key is None:
            continue
        value = text[at + 1 :].strip()
        boxed = bool(box_spans(value))
        if (
            key not in INLINE_KEYS
            or not value
            or (boxed and not (key in CHOICE_KEYS and named_choices(value)))
            or (len(named_choices(value)) > 1 and not boxed)
            or _names_a_label(value)
        ):
            return None
        return key, value
    return None


def _names_a_label(text: str) -> bool:
    """Whether a text writes a label and a colon (a second “项目类别：” after a value)."""
    folded = squash(text)
    return any(
        label_of(folded[start:at])
        for at, char in enumerate(folded)
        if char == ":"
        for start in range(max(0, at - 16), at)
    )


def cell_label(text: str) -> str | None:
    """The label key a cell's text is, or starts with before its value (see inline_label)."""
    inline = inline_label(text)
    return label_of(text) or (inline[0] if inline else None)


# The labels of the goals and the indicators (see Form.inline)
BLOCK_LABELS = {*GOAL_FIELDS, "项目绩效目标", "年度绩效目标", "绩效指标", *INDICATOR_HEADER}


def inline_refusal(key: str, text: str) -> tuple[str, str]:
    """Why a label written with its value in one cell is not read (see inline_label), and what
    to do in Word, for a message."""
    folded = squash(text)
    label = re.match(f"(?:{LABELS[key]}):", folded)
    value = folded[label.end() :] if label else folded
    if _names_a_label(value):
        return (
            "而且这一格里写了不止一个标签，分不清哪些字是哪一项的内容",
            "把这一格拆分开（每个标签和它的内容各占一格）",
        )
    split = "把这样的格子各拆分成两格（标签一格，内容一格）"
    if key in CHOICE_KEYS and len(named_choices(value)) > 1 and not box_spans(value):
        first, second = named_choices(value)[:2]
        return (
            "写了几个选项，却都没有勾选框，看不出选的是哪一项",
            f"在每一项前面加上勾选框并勾上选中的一项（如“{key}：☐{first[0]} ☑{second[0]}”），"
            "或者只写选中的那一项",
        )
    if key in INLINE_KEYS:
        return "gen 在标签旁边的格子里读勾选框和几个选项", split
    return (
        "gen 只在名称、单位、日期这样的单项里读标签后面的内容，金额、目标和指标在标签旁边的格子里读",
        split,
    )


def with_value(key: str, text: str) -> bool:
    """Whether a cell holds the label `key`, a colon and a value (“实施单位：浦江镇司法所”)."""
    return re.match(f"(?:{LABELS[key]}):(?=\\S)", squash(text)) is not None


def preview(text: str) -> str:
    """A short piece of text for a message."""
    return text if len(text) <= 20 else text[:20] + "…"


# What a form writes in a cell it has no use for: /, —, ——, -, 无 (full-width forms too).
_PLACEHOLDER = re.compile(r"[/\-—–─]+|无")


def placeholder(text: str) -> bool:
    """Whether a cell holds only a placeholder for nothing (/, —, 无)."""
    return _PLACEHOLDER.fullmatch(re.sub(r"\s+", "", folded(text))) is not None

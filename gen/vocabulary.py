"""The words of the forms: 表样, categories, key names, the fund blocks, the indicator framework, boxes.

The lists and sets of these names live here, so that a term is added or changed in one place;
modules still spell a single key (“绩效指标”, “格式”) where they read it.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------- the two forms

TARGET_FORM = "绩效目标表"
APPLICATION_FORM = "绩效目标申报表"
FORMS = (TARGET_FORM, APPLICATION_FORM)

# 项目类别 means a different thing on each form; 项目性质 exists on the 申报表 only.
CATEGORIES = {
    TARGET_FORM: ("专项资金", "经常性项目", "一次性项目"),  # the ticked box, in print order
    APPLICATION_FORM: ("人员类项目", "运转类项目", "特定目标类项目"),
}
# The short forms the budget systems print, accepted beside the full names and printed as
# written; each stands for a full name (on the 绩效目标表: the box it ticks). 运转类项目 comes in
# two kinds, 公用经费项目 and 其他运转类项目, and forms print either.
SHORT_CATEGORIES = {
    TARGET_FORM: {"专项": "专项资金", "经常性": "经常性项目", "一次性": "一次性项目"},
    APPLICATION_FORM: {
        "人员类": "人员类项目",
        "运转类": "运转类项目",
        "特定目标类": "特定目标类项目",
        "其他运转类": "运转类项目",
        "其他运转类项目": "运转类项目",
        "公用经费": "运转类项目",
        "公用经费项目": "运转类项目",
    },
}
CATEGORY_VALUES = {form: (*full, *SHORT_CATEGORIES[form]) for form, full in CATEGORIES.items()}
NATURES = ("经常性项目", "一次性项目", "阶段性项目")
SHORT_NATURES = {"经常性": "经常性项目", "一次性": "一次性项目", "阶段性": "阶段性项目"}
NATURE_VALUES = (*NATURES, *SHORT_NATURES)
TICKED, EMPTY = "☑", "☐"  # the 项目类别 boxes of the 绩效目标表


def full_category(form: str, value: str) -> str:
    """The full name a 项目类别 stands for on a form (a short form's full name, else itself)."""
    return SHORT_CATEGORIES.get(form, {}).get(value, value)


# The context names of the full 项目类别 / 项目性质 a project's value stands for: a box made by
# gen template ticks by them, so that 经常性 and 经常性项目 tick the same box.
FULL_CHOICE_NAMES = {"项目类别": "项目类别全称", "项目性质": "项目性质全称"}


def full_choice(form: str, key: str, value: str) -> str:
    """The full name a 项目类别 or 项目性质 written on a form of 表样 `form` stands for."""
    if key == "项目性质":
        return SHORT_NATURES.get(value, value)
    return full_category(form, value)


YEARS = (1000, 9999)  # the first and the last 年度 a project may have (four digits)

# ---------------------------------------------------------------- amounts

# 格式.金额单位: the unit a project's amounts are written and printed in (the default first).
AMOUNT_UNITS = ("万元", "元")
# The powers of ten a unit of 元 is written with: 千元 is 10 ** 3 元, 百万元 10 ** 6 元.
_UNIT_POWERS = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}
_POWERS = "".join(_UNIT_POWERS)
# The currencies other than 人民币 a form may state its amounts in, by name (with a power of ten
# before it: 千美元), by code or by sign. gen prints none of them: such a form is refused.
FOREIGN_CURRENCIES = (
    "美元", "美金", "港元", "港币", "澳门元", "澳门币", "澳元", "新台币", "台币", "欧元", "日元",
    "英镑", "韩元", "加元", "新加坡元", "瑞士法郎", "卢布", "泰铢",
)  # fmt: skip
_FOREIGN_CODES = r"(?i:USD|HKD|MOP|TWD|EUR|JPY|GBP|KRW|AUD|CAD|SGD|CHF|RUB)(?![A-Za-z])"
_FOREIGN_SIGNS = r"(?:US|HK|NT|A|C|S)?\$|€|£"


# Other ways a form writes the characters of a unit and of the words stating it, each after the
# one gen reads: the traditional 萬 and 億, the capitals of accounts 仟 and 佰 (仟元 is 千元), the
# formal 圆 of 元 (人民币圆, 万圆) and its traditional 圓, and the traditional 單位, 金額, 資金, 貨幣,
# 幣種 and 為 (單位：萬元).
_UNIT_SPELLINGS = {
    "万": "萬", "亿": "億", "千": "仟", "百": "佰", "元": "圆圓",
    "单": "單", "额": "額", "资": "資", "货": "貨", "币": "幣", "种": "種", "为": "為",
}  # fmt: skip
_UNIT_FOLD = str.maketrans(
    {variant: plain for plain, variants in _UNIT_SPELLINGS.items() for variant in variants}
)


def unit_folded(text: str) -> str:
    """`text` with every other spelling of a unit's characters (萬, 仟, 圆, 單…) made gen's own."""
    return text.translate(_UNIT_FOLD)


def unit_exponent(unit: str) -> int:
    """n where one `unit` (元, 万元, 千元, 百万元, 亿元…) is 10 ** n 元."""
    return sum(_UNIT_POWERS[power] for power in unit.removesuffix("元"))


def in_renminbi(unit: str) -> bool:
    """Whether a stated unit is one of 元 (元, 万元, 千元…), not another currency (美元, 港币, USD)."""
    return re.fullmatch(rf"[{_POWERS}]*元", unit) is not None


# How a form states its amounts' unit in print: "项目资金（元）", "（单位：万元）", "金额单位：元",
# "单位：人民币万元" (in text folded by NFKC, with no space around ":" and brackets). Units gen does
# not print (千元, 百万元, 亿元, 美元, 港币, USD…) are read too, so that they are told, never taken
# for 元 or 万元.
# 人民币, RMB, CNY or ¥ (NFKC of ￥) may stand before the unit (单位：RMB元, ¥万元), ¥ alone is 元
# (（¥）), and 整 may follow it (单位：元整). "单位:" (or 单位为, 单位 with a space, 资金单位:,
# 货币单位:, 币种:, and 以元为单位) must not end another word, and its unit must end the word
# (人民币 may follow it): "填报单位：元氏县民政局" and "单位：元谋县财政局" (a line naming the unit
# that fills the form in) name a place; so does 计量单位：元, an indicator's unit. A word is
# told by its letters, _LETTER: a Chinese character, or a letter of any other script.
_NAMED_UNIT = rf"[{_POWERS}]*(?:元|{'|'.join(sorted(FOREIGN_CURRENCIES, key=len, reverse=True))})"
_RENMINBI = r"(?:人民币|(?i:RMB|CNY))"
_UNIT = rf"(?:(?:{_RENMINBI}|¥)[: ]?)?({_NAMED_UNIT}|{_FOREIGN_CODES}|{_FOREIGN_SIGNS}|¥)整?"
# A unit in brackets, after an amount label or in a line: （万元）, （单位：元）, （元，保留两位小数）,
# and a blank form's choice of two (（元/万元）, （元或万元）: both are read, see all_stated_units)
_NOTE_END = r"(?:[,;、/或][^()]*)?\)"
UNIT_NOTE = rf"\((?:单位:)?{_UNIT}{_NOTE_END}"
# What a line says before its unit: 单位：, 金额单位：, 单位为, 币种：, 货币：…
_LETTER = r"[^\W\d_]"  # as a class of categories, compiled in a fraction of a class of ranges
_UNIT_LABEL = (
    rf"(?:(?:金额|资金|货币|(?<!{_LETTER}))单位(?:为)?|币种|(?<!{_LETTER})货币)[: ]?(?<=[:为 ])"
)
# The end of a unit's word: no letter follows it but 人民币 (单位：元人民币) or 或 offering another
# unit (单位：元或万元)
_UNIT_END = rf"(?!(?!人民币|或){_LETTER})"
# A power of ten alone, as forms abbreviate its unit of 元, where it can be nothing else: after a
# unit's label (单位：万, 金额单位:万, （单位：千）, 以万为单位) or in brackets after an amount's word
# (项目资金（万）, 金额（千）); never in a word (单位：万人, 千米, 万元户) nor before a bracket
# (单位：万（人次）). 万 is 万元; 千, 百万, 亿… are 千元, 百万元, 亿元, told as when written whole.
_ALONE = rf"([{_POWERS}]+)"
_WAN = rf"{_ALONE}(?!{_LETTER}|\()"
WAN_NOTE = rf"\((?:单位:)?[{_POWERS}]+{_NOTE_END}"  # after an amount label: 项目资金（万）
# The words before 单位 that make it an indicator's unit (计量单位, 度量单位…), as the header of
# the indicators' unit column or a line says: 计量单位（元） is no amounts' unit either.
INDICATOR_UNIT_WORDS = ("度量", "计量", "计算", "指标")
_NOT_INDICATORS = "".join(f"(?<!{word}单位)" for word in INDICATOR_UNIT_WORDS)
_UNIT_STATEMENT = re.compile(
    rf"{_NOT_INDICATORS}{UNIT_NOTE}|{_UNIT_LABEL}{_UNIT}{_UNIT_END}|以{_UNIT}为单位"
    rf"|{_UNIT_LABEL}{_WAN}|以{_ALONE}为单位|(?<=资金|总额|拨款|结转|金额)\({_ALONE}{_NOTE_END}"
)


def all_stated_units(text: str) -> list[str]:
    """Every amount unit a label or a line of a form states, in order: 元, 万元, and the units gen
    does not print (千元, 百万元, 亿元…, 美元, 港币, USD…)."""
    tight = _tight(text)
    units = []
    for found in _UNIT_STATEMENT.finditer(tight):
        group = next(i for i, unit in enumerate(found.groups(), 1) if unit)
        units.append(_unit_name(found[group]))
        # 金额单位：元/万元, （元、万元）: a blank form's choice; both are said, for the caller to weigh
        other = _OTHER_UNIT.match(tight, found.end(group))
        if other:
            units.append(_unit_name(other[1]))
    return units


def _tight(text: str) -> str:
    """A line folded for reading its unit: NFKC, other spellings made gen's (萬元 is 万元), one space for any run of whitespace, none around
    ":" and brackets, inside a unit spread over a cell (（万 元）) or inside the label of a unit
    spread to line up with the lines below it (单　位：元, 金 额 单 位：万元)."""
    spaced = re.sub(r"\s+", " ", unit_folded(unicodedata.normalize("NFKC", text)))
    spaced = _SPACED_LABEL.sub(lambda label: label[0].replace(" ", ""), spaced)
    return _SPACED_UNIT.sub("", re.sub(r" ?([:()]) ?", r"\1", spaced))


# The currency without a unit of it, in brackets or after a unit's label: （RMB）, （人民币）,
# 单位：人民币, 币种：CNY. A form saying only that does not say whether it is in 元 or 万元.
CURRENCY_NOTE = rf"\((?:(?:单位|币种):)?{_RENMINBI}(?:[,;、][^()]*)?\)"
_CURRENCY_STATEMENT = re.compile(rf"{CURRENCY_NOTE}|{_UNIT_LABEL}{_RENMINBI}(?!{_LETTER}|\()")


def names_currency_only(text: str) -> bool:
    """Whether a label or a line of a form names the currency (人民币, RMB, CNY) as its amounts'
    unit without saying 元 or 万元: "单位：人民币", "币种：人民币", "项目资金（RMB）"."""
    return not all_stated_units(text) and _CURRENCY_STATEMENT.search(_tight(text)) is not None


def _unit_name(unit: str) -> str:
    """A unit as messages name it: the sign ¥ is 元, 万 alone 万元, 千 alone 千元."""
    if unit in _SHORT_UNITS:
        return _SHORT_UNITS[unit]
    return unit + "元" if unit.strip(_POWERS) == "" else unit


_SHORT_UNITS = {"¥": "元", "万": "万元"}
# How a unit is written short, where it is not written whole: 元 by its sign, 万元 by 万 alone
_WRITTEN_SHORT = {"元": "[￥¥]", "万元": r"[万萬](?!\s*[元圆圓])"}


def unit_as_written(unit: str, text: str) -> str:
    """How `text`, in which all_stated_units read `unit`, writes it: in its own spelling (萬元,
    仟元, 圆), the sign ￥ or ¥ where 元 is not written, 万 alone (单位：万), else the unit."""
    spelt = re.search("".join(f"[{char}{_UNIT_SPELLINGS.get(char, '')}]" for char in unit), text)
    if spelt is None and unit in _WRITTEN_SHORT:
        spelt = re.search(_WRITTEN_SHORT[unit], text)
    elif spelt is None and unit.endswith("元") and unit[:-1].strip(_POWERS) == "":
        powers = "".join(f"[{char}{_UNIT_SPELLINGS.get(char, '')}]" for char in unit[:-1])
        spelt = re.search(rf"{powers}(?!\s*[元圆圓])", text)  # 千 alone (单位：千)
    return spelt[0] if spelt else unit


# A second unit offered after the first: 元/万元, 元、万元, 元；万元, 元或万元
_OTHER_UNIT = re.compile(rf"整?\s?(?:[/、,;]|或)\s?{_UNIT}(?!(?!人民币){_LETTER})")
# A label of the unit with spaces between its characters: 单　位, 金 额 单 位, 币 种
_SPACED_LABEL = re.compile(r"(?:金 ?额 ?|资 ?金 ?|货 ?币 ?)?单 ?位|币 ?种")


# A space inside a unit, as a label cell spreads it out to fill its width: （万 元）, （千　元）,
# （人民币 元）, （美　元）
_SPACED_UNIT = re.compile(
    rf"(?<=[{_POWERS}币{''.join(name[:-1] for name in FOREIGN_CURRENCIES)}])"
    rf" (?=[{_POWERS}元{''.join(name[1:] for name in FOREIGN_CURRENCIES)}])"
)


def stated_units(text: str) -> list[str]:
    """The amount units gen prints (元, 万元) a label or a line of a form states, in order."""
    return [unit for unit in all_stated_units(text) if unit in AMOUNT_UNITS]


def squash(text: str) -> str:
    """Text for comparing labels: full-width forms folded (（ → (, ： → :), whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def row_label(text: str) -> str:
    """A row label of a form or a 其他栏目 key, as labels are compared: spaces, line breaks and
    a colon after it dropped, full-width forms folded (联 系 电 话： → 联系电话)."""
    return squash(text).removesuffix(":")


# ---------------------------------------------------------------- keys of a project file

# The traditional (or Japanese) forms of the characters in gen's keys and indicator names, each
# with its simplified one: a key typed in them is told which key it means.
_SIMPLIFIED = str.maketrans(
    "體劃別單實開當總撥數標樣稱類結績計請財質資轉門間項額値產時經濟會態續響滿務對環",
    "体划别单实开当总拨数标样称类结绩计请财质资转门间项额值产时经济会态续响满务对环",
)


def simplified(text: str) -> str:
    """`text` with the traditional forms of the characters of gen's keys made simplified."""
    return text.translate(_SIMPLIFIED)


INDICATORS = "绩效指标"
FORMAT = "格式"
# A district's own rows (项目负责人, 联系电话…): the label as the form prints it → its text
OTHERS = "其他栏目"
GOAL_FIELDS = ("项目总目标", "年度总体目标")
DATE_KEYS = ("计划开始日期", "计划完成日期")

# The two money blocks: the total first (optional; computed from the parts when absent).
FUND_BLOCKS = {
    "项目资金": ("项目资金总额", "财政资金", "其他资金"),
    "年度资金": ("年度资金申请总额", "当年财政拨款", "上年结转资金", "其他资金"),
}
FUND_TOTALS = tuple(keys[0] for keys in FUND_BLOCKS.values())
PROJECT_PARTS = FUND_BLOCKS["项目资金"][1:]
ANNUAL_PARTS = FUND_BLOCKS["年度资金"][1:]
REQUIRED_FUNDS = ("财政资金", "当年财政拨款")

# ---------------------------------------------------------------- the indicator framework

# The standard framework: both schemes (成本指标 as a 二级 of 产出指标, and as a 一级 of its own).
FRAMEWORK: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
REQUIRED_LEVEL1 = ("产出指标", "效益指标", "满意度指标")
PARENT_OF: dict[str, str] = {l2: l1 for l1, l2s in FRAMEWORK.items() for l2 in l2s}
ALL_LEVEL2: tuple[str, ...] = tuple(PARENT_OF)

# Names seen on real forms for a 一级 (the older “目标” wording).
LEVEL1_ALIASES: dict[str, str] = {
    "效果目标": "效益指标",
    "效果指标": "效益指标",
    "效益目标": "效益指标",
    "产出目标": "产出指标",
    "满意度目标": "满意度指标",
    "成本目标": "成本指标",
}

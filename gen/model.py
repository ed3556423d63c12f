"""The validated project as small frozen dataclasses, and how its values are displayed on the form."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gen.amounts import ZERO, exact_sum
from gen.values import value_parts
from gen.vocabulary import (
    AMOUNT_UNITS,
    CATEGORIES,
    EMPTY,
    FULL_CHOICE_NAMES,
    OTHERS,
    TARGET_FORM,
    TICKED,
    full_category,
    full_choice,
)


@dataclass(frozen=True)
class Display:
    """The 格式 options: how dates and amounts print, and the unit the amounts are in."""

    date_pattern: str = "YYYY.MM.DD"
    decimals: int = 2
    thousands: bool = False
    zero: str = "空白"
    unit: str = AMOUNT_UNITS[0]


class _FundBlock:
    """A money block: its parts add up to its total, which the user may also write."""

    given_total: Decimal | None

    @property
    def total(self) -> Decimal:
        """The sum of the parts."""
        raise NotImplementedError

    @property
    def printed_total(self) -> Decimal:
        """The total as the form prints it: as written, else the sum of its parts."""
        return self.total if self.given_total is None else self.given_total


@dataclass(frozen=True)
class Funds(_FundBlock):
    """项目资金 (in the project's 金额单位): the whole project's money."""

    fiscal: Decimal
    other: Decimal
    given_total: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return exact_sum((self.fiscal, self.other))


@dataclass(frozen=True)
class AnnualFunds(_FundBlock):
    """年度资金 (in the project's 金额单位): this year's request."""

    appropriation: Decimal
    carryover: Decimal
    other: Decimal
    given_total: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return exact_sum((self.appropriation, self.carryover, self.other))


@dataclass(frozen=True)
class Indicator:
    """One 三级指标 with its place in the framework and its value as written."""

    level1: str
    level2: str
    name: str
    value: str
    starts_level1: bool = False  # first row of its 一级 group in the tree
    starts_level2: bool = False  # first row of its 二级 group in the tree


@dataclass(frozen=True)
class Project:
    """One budget project, ready to print."""

    form: str
    year: int
    name: str
    category: str
    nature: str
    department: str
    unit: str
    start: date
    end: date
    period: tuple[int, int]
    funds: Funds
    annual: AnnualFunds
    goal: str
    annual_goal: str
    indicators: tuple[Indicator, ...]
    display: Display
    others: Mapping[str, str] = field(default_factory=dict)  # 其他栏目, by row_label


def project_from(doc: Mapping[str, Any]) -> Project:
    """Build the project from a normalised document (schema.validate's output, rules passed)."""
    funds, annual = doc["项目资金"], doc["年度资金"]
    return Project(
        form=doc["表样"],
        year=doc["年度"],
        name=doc["项目名称"],
        category=doc["项目类别"],
        nature=doc.get("项目性质") or "",
        department=doc["主管部门"],
        unit=doc["实施单位"],
        start=doc["计划开始日期"],
        end=doc["计划完成日期"],
        period=tuple(doc["项目期间"]),  # type: ignore[arg-type]
        funds=Funds(funds["财政资金"], funds["其他资金"], funds.get("项目资金总额")),
        annual=AnnualFunds(
            annual["当年财政拨款"],
            annual["上年结转资金"],
            annual["其他资金"],
            annual.get("年度资金申请总额"),
        ),
        goal=doc["项目总目标"],
        annual_goal=doc["年度总体目标"],
        indicators=tuple(indicators_of(doc["绩效指标"])),
        display=display_from(doc.get("格式") or {}),
        others=dict(doc.get(OTHERS) or {}),
    )


def display_from(options: Mapping[str, Any]) -> Display:
    """Read the 格式 mapping (already validated) into Display."""
    return Display(
        date_pattern=options.get("日期格式", Display.date_pattern),
        decimals=options.get("金额小数位", Display.decimals),
        thousands=options.get("千分位", Display.thousands),
        zero=str(options.get("零值", Display.zero)),
        unit=options.get("金额单位", Display.unit),
    )


def indicators_of(tree: Mapping[str, Mapping[str, Mapping[str, str]]]) -> list[Indicator]:
    """Flatten the 一级 → 二级 → 三级 tree in file order, marking where each group starts."""
    return [
        Indicator(level1, level2, name, str(value), i == j == 0, i == 0)
        for level1, level2s in tree.items()
        for j, (level2, level3s) in enumerate(level2s.items())
        for i, (name, value) in enumerate(level3s.items())
    ]


_DATE_TOKEN = re.compile(r"YYYY|MM|M|DD|D")


def format_date(value: date, pattern: str) -> str:
    """Print a date by a pattern of YYYY, MM/M and DD/D tokens (2026.01.01, 2026年1月1日)."""
    fields = {
        "YYYY": f"{value.year:04d}",
        "MM": f"{value.month:02d}",
        "M": str(value.month),
        "DD": f"{value.day:02d}",
        "D": str(value.day),
    }
    return _DATE_TOKEN.sub(lambda m: fields[m.group(0)], pattern)


def format_amount(value: Decimal | None, display: Display) -> str:
    """Print an amount with at least `decimals` places (more if written), per 千分位 and 零值.

    A zero prints per 零值: blank, "0", or "0.00" — with the amounts' places (0.0000 at four).
    """
    if value is None or value == ZERO:
        if display.zero != "0.00":
            return "" if display.zero == "空白" else "0"
        value = ZERO if value is None else value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < display.decimals:
        value = value.quantize(Decimal(1).scaleb(-display.decimals))
    return format(value, ",f" if display.thousands else "f")


def paragraphs(text: str) -> list[str]:
    """Split a goal into its paragraphs: one per non-blank line."""
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line] or [""]


def category_boxes(category: str) -> dict[str, str]:
    """The 项目类别 boxes of the 绩效目标表: the chosen one (or the one its short form means) ticked."""
    chosen = full_category(TARGET_FORM, category)
    return {choice: TICKED if choice == chosen else EMPTY for choice in CATEGORIES[TARGET_FORM]}


def common_unit(units: Iterable[str]) -> str:
    """The one 金额单位 of several projects, else 元 (a 万元 amount is exact in 元, not always
    the other way round); 万元 when there are none."""
    found = set(units) or {AMOUNT_UNITS[0]}
    return found.pop() if len(found) == 1 else "元"


# The value split as a form with 指标性质 | 指标值 | 度量单位 columns prints it (gen template)
VALUE_PARTS = ("符号", "数值", "单位")


def indicator_rows(indicators: tuple[Indicator, ...]) -> list[dict[str, Any]]:
    """One row per 三级指标 with the flags that start a merged 一级 / 二级 cell.

    The flags come from the tree's structure, never from comparing names, so two neighbouring
    groups that happen to share a name stay separate cells.
    """
    return [
        {
            "一级": indicator.level1,
            "二级": indicator.level2,
            "三级": indicator.name,
            "值": indicator.value,
            **dict(zip(VALUE_PARTS, value_parts(indicator.value), strict=True)),
            "一级起": indicator.starts_level1,
            "二级起": indicator.starts_level2,
        }
        for indicator in indicators
    ]


# The context's free texts: the values a cell may wrap (balanced by gen.balance)
TEXT_FIELDS = ("项目名称", "项目类别", "项目性质", "主管部门", "实施单位")


def render_context(project: Project) -> dict[str, Any]:
    """Everything the templates print, as display strings (see templates/*.docx)."""
    display, funds, annual = project.display, project.funds, project.annual
    first, last = project.period
    return {
        "年度": str(project.year),
        "金额单位": display.unit,
        "项目名称": project.name,
        "项目类别": project.category,
        "项目性质": project.nature,
        "类别框": category_boxes(project.category),
        # the full names the boxes of a template made by gen template tick by
        FULL_CHOICE_NAMES["项目类别"]: full_choice(project.form, "项目类别", project.category),
        FULL_CHOICE_NAMES["项目性质"]: full_choice(project.form, "项目性质", project.nature),
        "主管部门": project.department,
        "实施单位": project.unit,
        "计划开始日期": format_date(project.start, display.date_pattern),
        "计划完成日期": format_date(project.end, display.date_pattern),
        "项目资金总额": format_amount(funds.printed_total, display),
        "财政资金": format_amount(funds.fiscal, display),
        "其他资金": format_amount(funds.other, display),
        "年度资金申请总额": format_amount(annual.printed_total, display),
        "当年财政拨款": format_amount(annual.appropriation, display),
        "上年结转资金": format_amount(annual.carryover, display),
        "年度其他资金": format_amount(annual.other, display),
        "项目期间": f"{first}年-{last}年",
        "项目起始年": str(first),  # the two years of 项目期间, for a form's own goal label
        "项目结束年": str(last),
        "项目总目标": paragraphs(project.goal),
        "年度总体目标": paragraphs(project.annual_goal),
        "指标行": indicator_rows(project.indicators),
        OTHERS: dict(project.others),  # a template made from a district's form prints its rows
    }

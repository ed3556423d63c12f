"""The round trip on random forms made in Word: any layout, fonts, boxes, amounts and indicator groups.

A few seeds run by default; `pytest -m slow` runs many more.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from handmade import Filled, WordStyle, word_form
from test_template_round_trip import assert_same_form, rebuilt

from gen.vocabulary import APPLICATION_FORM, CATEGORIES, FRAMEWORK, NATURES, TARGET_FORM

WORDS = "社区治理平安建设宣传教育服务保障人才活动经费采购维修管理综合调解矫正"
DATES = (
    "{y}年{m}月{d}日",
    "{y}.{m}.{d}",
    "{y}-{m:02d}-{d:02d}",
    "{y}. {m:02d}. {d:02d}",
    "{y}/{m}/{d}",
)
VALUES = ("{n}人", "≥{n}次", "{n}%", "≥{n}%", "提升", "及时", "每月", "{n}个", "≤{n}小时")


def random_form(seed: int) -> tuple[Filled, WordStyle]:
    """A form as some clerk might lay it out and fill it in."""
    rng = random.Random(seed)
    application = rng.random() < 0.4
    columns = 6 if application else 5
    widths = tuple(round(rng.uniform(1.6, 4.0), 1) for _ in range(columns))
    start, end = _dates(rng)
    first = rng.choice((2024, 2025, 2026))
    filled = Filled(
        name=_text(rng, 2, 24),
        category=rng.choice(CATEGORIES[APPLICATION_FORM if application else TARGET_FORM]),
        nature=rng.choice(NATURES),
        department=_text(rng, 4, 12) + "人民政府",
        unit=_text(rng, 4, 14),
        start=start,
        end=end,
        period=(first, 2026),
        amounts=_amounts(rng),
        goal=tuple(_text(rng, 6, 60) + "。" for _ in range(rng.randint(1, 3))),
        annual_goal=tuple(_text(rng, 6, 60) + "。" for _ in range(rng.randint(1, 3))),
        indicators=_indicators(rng),
    )
    goal = rng.choice(("项目总目标", "项目总体目标"))
    period = rng.choice(
        ("（{first}年-{last}年）", "({first} 年-{last} 年)", " ({first}年-{last}年)", "")
    )
    style = WordStyle(
        widths_cm=widths,
        font=rng.choice(("仿宋", "宋体", "楷体", "黑体")),
        size=rng.choice((10.5, 11, 12, 14)),
        title_font=rng.choice(("黑体", "方正小标宋简体")),
        title="财政项目支出绩效目标申报表" if application else "财政项目支出绩效目标表",
        year_line=rng.choice(("（{year}年度）", "({year}年度)", "（{year}年）")),
        unit_line=rng.random() < 0.5,
        signature=rng.random() < 0.5,
        boxes=rng.choice(("wingdings", "unicode", "control")),
        goal_label=goal + period,
        value_label=rng.choice(("年度指标值", "年度(/项目)指标值", "指标值")),
        allocation_label=rng.choice(("其中：当年财政拨款", "本年财政拨款", "当年财政拨款")),
        label_on_data_row=rng.random() < 0.3,
        mark_formatting=rng.random() < 0.7,
    )
    return filled, style


def _text(rng: random.Random, shortest: int, longest: int) -> str:
    """Chinese words of a random length."""
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(shortest, longest)))


def _dates(rng: random.Random) -> tuple[str, str]:
    """Start and end of 2026 printed in one style."""
    style = rng.choice(DATES)
    start = (rng.randint(1, 6), rng.randint(1, 28))
    end = (rng.randint(7, 12), rng.randint(1, 28))
    return tuple(style.format(y=2026, m=m, d=d) for m, d in (start, end))  # type: ignore[return-value]


def _amounts(rng: random.Random) -> tuple[str, ...]:
    """The seven amounts, adding up, printed with one number of decimals, separators and zero style."""
    places = rng.choice((0, 2, 4))
    thousands = rng.random() < 0.5
    zero = rng.choice(("", "0"))
    unit = Decimal(1).scaleb(-places)
    fiscal = Decimal(rng.randint(1, 10**7)) * unit
    other = rng.choice((Decimal(0), Decimal(rng.randint(1, 10**5)) * unit))
    appropriation = min(fiscal, Decimal(rng.randint(1, 10**7)) * unit)
    carried = rng.choice((Decimal(0), min(other, Decimal(rng.randint(1, 10**4)) * unit)))
    annual_other = Decimal(0)

    def printed(amount: Decimal) -> str:
        if amount == 0:
            return zero
        return format(amount, ",f" if thousands else "f")

    amounts = (
        fiscal + other,
        fiscal,
        other,
        appropriation + carried + annual_other,
        appropriation,
        carried,
        annual_other,
    )
    return tuple(printed(amount) for amount in amounts)


def _indicators(rng: random.Random) -> tuple[tuple[str, str, str, str], ...]:
    """Indicators grouped by 一级 and 二级, groups of one to three rows."""
    rows = []
    for level1 in ("产出指标", "效益指标", "满意度指标"):
        for level2 in rng.sample(FRAMEWORK[level1], rng.randint(1, len(FRAMEWORK[level1]))):
            for _ in range(rng.randint(1, 3)):
                value = rng.choice(VALUES).format(n=rng.randint(1, 999))
                rows.append((level1, level2, _text(rng, 3, 16), value))
    return tuple(rows)


def round_trip(tmp_path: Path, seed: int) -> None:
    """The random form of `seed` comes back cell for cell."""
    filled, style = random_form(seed)
    form = word_form(tmp_path / "in" / "表.docx", filled, style)
    assert_same_form(form.read_bytes(), rebuilt(form, tmp_path / "work"))


@pytest.mark.parametrize("seed", range(3))
def test_random_word_forms_come_back(tmp_path, seed):
    round_trip(tmp_path, seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3, 60))
def test_many_random_word_forms_come_back(tmp_path, seed):
    round_trip(tmp_path, seed)

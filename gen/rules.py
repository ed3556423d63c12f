"""Cross-field and cross-project checks: sums, dates, the indicator framework, years, copy-paste."""

from __future__ import annotations

import difflib
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from gen.amounts import exact_sum, in_unit
from gen.errors import Finding, Level, shown
from gen.load import Source
from gen.schema import project_period
from gen.values import has_number, is_percentage, value_years, years_in
from gen.vocabulary import (
    ALL_LEVEL2,
    AMOUNT_UNITS,
    ANNUAL_PARTS,
    DATE_KEYS,
    FORMAT,
    FRAMEWORK,
    FUND_BLOCKS,
    GOAL_FIELDS,
    INDICATORS,
    LEVEL1_ALIASES,
    PARENT_OF,
    PROJECT_PARTS,
    REQUIRED_LEVEL1,
)

ProjectRule = Callable[[Source, dict[str, Any]], list[Finding]]
YUAN_LIKELY = Decimal(100000)  # 万元: 10 亿元, more than a town's or a district's project
NEAR = 0.6  # how similar (difflib's ratio) a name must be to a standard one to suggest it


def check_project(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """All single-project checks for one normalised document."""
    findings: list[Finding] = []
    for rule in PROJECT_RULES:
        findings.extend(rule(source, doc))
    return sorted(findings, key=Finding.sort_key)


def check_projects(items: Sequence[tuple[Source, dict[str, Any]]]) -> list[Finding]:
    """Copy-paste checks across projects, reported on the later project of each pair."""
    return check_copies([(source, copy_marks(doc)) for source, doc in items])


def copy_marks(doc: dict[str, Any]) -> dict[str, str]:
    """What the copy-paste checks compare, as short digests: a build keeps these, not the texts."""
    marks = {field: _squeezed(doc.get(field)) for field in GOAL_FIELDS}
    marks[INDICATORS] = "\n".join(sorted("\t".join(row) for row in _indicator_set(doc)))
    return {field: _digest(text) for field, text in marks.items() if text}


def check_copies(items: Sequence[tuple[Source, Mapping[str, str]]]) -> list[Finding]:
    """The copy-paste findings over each project's copy_marks()."""
    findings = [_copy(items, field, GOAL_COPY) for field in GOAL_FIELDS]
    findings.append(_copy(items, INDICATORS, INDICATOR_COPY))
    return sorted((f for group in findings for f in group), key=Finding.sort_key)


# ---------------------------------------------------------------- helpers


def _finding(source: Source, keys: Sequence[str], level: Level, code: str, message: str) -> Finding:
    """A finding at the line of `keys` (or its nearest written ancestor)."""
    return Finding.at(source.locate(*keys), ".".join(keys), level, code, message)


def _amount(value: object) -> Decimal | None:
    """An amount as Decimal, or None when absent or not a number."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def _plain(amount: Decimal) -> str:
    """A computed amount as text, without exponent notation."""
    return format(amount, "f")


def _written(source: Source, keys: Sequence[str], value: object) -> str:
    """The value as the user wrote it (the raw text), else its plain form."""
    raw = source.raw.get(tuple(keys))
    if raw is not None:
        return raw
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _block(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """A mapping field of the document, {} when missing."""
    value = doc.get(name)
    return value if isinstance(value, dict) else {}


def _sum_of(block: dict[str, Any], parts: Sequence[str]) -> Decimal | None:
    """The sum of the parts, None when any part is missing (it failed schema)."""
    amounts = [_amount(block.get(part)) for part in parts]
    if any(amount is None for amount in amounts):
        return None
    return exact_sum(a for a in amounts if a is not None)


class _Total:
    """A total as given by the user, or computed from its parts when absent."""

    def __init__(
        self, source: Source, doc: dict[str, Any], block: str, name: str, parts: Sequence[str]
    ):
        values = _block(doc, block)
        given = _amount(values.get(name))
        self.given = given is not None
        self.value = given if given is not None else _sum_of(values, parts)
        self.keys: tuple[str, ...] = (block, name) if self.given else (block,)
        if self.value is None:
            self.label = name
        elif self.given:
            self.label = f"{name} {_written(source, (block, name), given)}"
        else:
            self.label = f"{name}（{' + '.join(parts)} 之和）{_plain(self.value)}"


def _project_total(source: Source, doc: dict[str, Any]) -> _Total:
    return _Total(source, doc, "项目资金", "项目资金总额", PROJECT_PARTS)


def _annual_total(source: Source, doc: dict[str, Any]) -> _Total:
    return _Total(source, doc, "年度资金", "年度资金申请总额", ANNUAL_PARTS)


def _year(doc: dict[str, Any]) -> int | None:
    """年度, None when missing."""
    value = doc.get("年度")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _period(doc: dict[str, Any]) -> tuple[int, int] | None:
    """项目期间 (first, last), falling back to the years of the plan dates."""
    return project_period(doc.get("项目期间"), doc.get("计划开始日期"), doc.get("计划完成日期"))


def _period_text(period: tuple[int, int]) -> str:
    return f"{period[0]}年-{period[1]}年"


def _indicators(doc: dict[str, Any]) -> Iterator[tuple[str, str, str, object]]:
    """Every (一级, 二级, 三级, 值) of 绩效指标, skipping malformed branches."""
    for level1, groups in _block(doc, "绩效指标").items():
        if not isinstance(groups, dict):
            continue
        for level2, rows in groups.items():
            if not isinstance(rows, dict):
                continue
            for level3, value in rows.items():
                yield str(level1), str(level2), str(level3), value


def _quote_all(names: Sequence[str]) -> str:
    """“A”、“B”或“C”."""
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else "、".join(quoted[:-1]) + "或" + quoted[-1]


# ---------------------------------------------------------------- dates and amounts


def _plan_dates(source: Source, doc: dict[str, Any]) -> tuple[date, date, str, str] | None:
    """计划开始日期 and 计划完成日期, and each as written; None unless both are dates."""
    start, end = doc.get("计划开始日期"), doc.get("计划完成日期")
    if not (isinstance(start, date) and isinstance(end, date)):
        return None
    start_key, end_key = DATE_KEYS
    return start, end, _written(source, [start_key], start), _written(source, [end_key], end)


def _date_order(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """计划开始日期 after 计划完成日期."""
    dates = _plan_dates(source, doc)
    if dates is None or dates[0] <= dates[1]:
        return []
    message = (
        f"计划开始日期 {dates[2]} 晚于计划完成日期 {dates[3]}；请改正日期，开始日期不能晚于完成日期"
    )
    return [_finding(source, ["计划开始日期"], "error", "date-order", message)]


def _sum_mismatch(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """A given 项目资金总额 / 年度资金申请总额 that differs from the sum of its parts."""
    findings = []
    for block, name, parts in (
        ("项目资金", "项目资金总额", PROJECT_PARTS),
        ("年度资金", "年度资金申请总额", ANNUAL_PARTS),
    ):
        values = _block(doc, block)
        given, computed = _amount(values.get(name)), _sum_of(values, parts)
        if given is None or computed is None or given == computed:
            continue
        message = (
            f"{name} {_written(source, (block, name), given)} 不等于 {' + '.join(parts)} = "
            f"{_plain(computed)}；请改正总额或删除该行让程序计算"
        )
        findings.append(_finding(source, [block, name], "error", "sum-mismatch", message))
    return findings


def _annual_exceeds_total(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """年度资金申请总额 greater than 项目资金总额 (each given or computed)."""
    annual, total = _annual_total(source, doc), _project_total(source, doc)
    if annual.value is None or total.value is None or annual.value <= total.value:
        return []
    message = f"{annual.label} 大于 {total.label}；年度申请不能超过项目总额，请核对金额"
    return [_finding(source, annual.keys, "error", "annual-exceeds-total", message)]


def _year_outside_period(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """年度 outside 项目期间 (as written, else the years of the plan dates): the form contradicts itself."""
    year, period, dates = _year(doc), _period(doc), _plan_dates(source, doc)
    if year is None or period is None or period[0] <= year <= period[1]:
        return []
    if "项目期间" in source.data and "项目期间" not in doc:
        return []  # the period written is not one (the schema says so): nothing to compare
    first, last = min(period[0], year), max(period[1], year)
    if "项目期间" in source.data:
        message = (
            f"年度 {year} 不在项目期间 {period[0]}-{period[1]} 内，表格上的“{year}年度”与"
            f"“项目总目标（{_period_text(period)}）”互相矛盾；请核对年度，"
            f"或改写项目期间（如 项目期间: {first}-{last}）"
        )
        return [_finding(source, ["项目期间"], "error", "year-not-in-period", message)]
    if dates is None:
        return []
    message = (
        f"年度 {year} 不在计划日期的年份内（计划开始日期 {dates[2]}，计划完成日期 {dates[3]}），"
        f"表格上的项目期间 {_period_text(period)} 不含 {year} 年；请核对年度或计划日期"
    )
    return [_finding(source, ["年度"], "error", "year-not-in-period", message)]


def _year_outside_dates(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """年度 inside a written 项目期间 but not among the years of the plan dates."""
    year, dates, period = _year(doc), _plan_dates(source, doc), _period(doc)
    if year is None or dates is None or "项目期间" not in source.data:
        return []
    if period is not None and not period[0] <= year <= period[1]:
        return []  # _year_outside_period says it
    start, end, start_text, end_text = dates
    if min(start.year, end.year) <= year <= max(start.year, end.year):
        return []
    message = (
        f"年度 {year} 不在计划日期的年份内（计划开始日期 {start_text}，"
        f"计划完成日期 {end_text}）；请核对年度或计划日期"
    )
    return [_finding(source, ["年度"], "warning", "year-outside-dates", message)]


def _annual_differs(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """A single-year project whose 年度资金申请总额 is not its 项目资金总额."""
    period = _period(doc)
    annual, total = _annual_total(source, doc), _project_total(source, doc)
    if period is None or period[0] != period[1] or annual.value is None or total.value is None:
        return []
    if annual.value >= total.value:  # equal: fine; greater: annual-exceeds-total says it
        return []
    message = (
        f"项目期间只有 {period[0]} 年一年，{annual.label} 却不等于 {total.label}；"
        f"请核对金额，跨年项目请写明项目期间（如 项目期间: {period[0] - 1}-{period[0]}）"
    )
    return [_finding(source, annual.keys, "warning", "annual-differs", message)]


def _carryover_first_year(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """上年结转资金 in the year the project starts: there is nothing to carry over."""
    year, period = _year(doc), _period(doc)
    carryover = _amount(_block(doc, "年度资金").get("上年结转资金"))
    if year is None or period is None or carryover is None or carryover <= 0:
        return []
    if period[0] < year:
        return []
    keys = ("年度资金", "上年结转资金")
    message = (
        f"项目期间从 {period[0]} 年开始，{year} 年度没有可结转的上年资金，"
        f"上年结转资金却为 {_written(source, keys, carryover)}；请改为 0，或核对项目期间"
    )
    return [_finding(source, keys, "warning", "carryover-first-year", message)]


def _yuan_in_wan(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """An amount in 万元 so large (10 亿元 or more) that it was surely written in 元; said once."""
    options = doc.get(FORMAT)
    wan, yuan = AMOUNT_UNITS
    if isinstance(options, dict) and options.get("金额单位", wan) != wan:
        return []
    for block, keys in FUND_BLOCKS.items():
        for key in keys:
            amount = _amount(_block(doc, block).get(key))
            if amount is None or amount < YUAN_LIKELY:
                continue
            meant = _plain(in_unit(amount, yuan, wan))
            message = (
                f"{_written(source, (block, key), amount)} 万元就是 {meant} 亿元，像是按元填写的；"
                f"金额单位是万元（由 格式.金额单位 设置）：如果这是元，请改写为 {meant}，"
                f"或{_unit_to_yuan(source)}"
            )
            return [_finding(source, [block, key], "warning", "amount-in-yuan", message)]
    return []


def _unit_to_yuan(source: Source) -> str:
    """How to make a project's amounts 元: change the 格式.金额单位 line that says 万元 for it (the
    project file's own, which a _defaults.yaml cannot override, or a _defaults.yaml's), or
    write one where none does."""
    where = source.origins.get((FORMAT, "金额单位"))
    if where is None:
        return "在 _defaults.yaml 的 格式 下写 “金额单位: 元”"
    line = (
        f"本文件第 {where.line} 行"
        if where.file == source.path
        else f" {shown(where.file)} 第 {where.line} 行"
    )
    return f"把{line}的 “金额单位: 万元” 改为 “金额单位: 元”"


# ---------------------------------------------------------------- the indicator framework


def _closest(name: str, candidates: tuple[str, ...]) -> tuple[str, ...]:
    """The candidates nearest to `name` (several when they tie), () when none is near."""
    letters = Counter(name)
    scored = [(_similarity(name, letters, c), c) for c in candidates]
    best = max((score for score, _ in scored), default=0.0)
    if best < NEAR:
        return ()
    return tuple(c for score, c in scored if score == best)


def _similarity(name: str, letters: Counter[str], candidate: str) -> float:
    """difflib's ratio of the two names, or 0 when it cannot reach NEAR.

    Two cheaper upper bounds of the ratio tell most of those first, as difflib's
    real_quick_ratio and quick_ratio would: the shorter length, then the letters in common.
    """
    total = len(name) + len(candidate)
    if 2 * min(len(name), len(candidate)) < NEAR * total:
        return 0.0
    common = sum(min(count, letters[char]) for char, count in _letters(candidate).items())
    if 2 * common < NEAR * total:
        return 0.0
    return difflib.SequenceMatcher(None, name, candidate).ratio()


@cache
def _letters(name: str) -> Counter[str]:
    """How often each character occurs in a standard name."""
    return Counter(name)


def _level1_suggestion(name: str, level2_names: Sequence[str]) -> tuple[str | None, str]:
    """The standard 一级 a nonstandard one most likely means (by its name, else by its 二级), and why."""
    why = f"（“{name}”是“{PARENT_OF[name]}”下的二级指标）" if name in PARENT_OF else ""
    if name in LEVEL1_ALIASES:
        return LEVEL1_ALIASES[name], ""
    renamed = name.replace("目标", "指标")
    if renamed in FRAMEWORK:
        return renamed, ""
    if name in PARENT_OF:
        return PARENT_OF[name], why
    near = _closest(name, tuple(FRAMEWORK))
    if len(near) == 1:
        return near[0], ""
    near2 = {PARENT_OF[l2] for l2 in _closest(name, ALL_LEVEL2)}
    if len(near2) == 1:
        return near2.pop(), ""
    parents = {PARENT_OF[l2] for l2 in level2_names if l2 in PARENT_OF}
    return (parents.pop() if len(parents) == 1 else None), ""


def _missing_level1(source: Source, required: str, stand_in: str | None) -> Finding:
    """A required 一级 is absent (a misnamed one that means it is named as the likely fix)."""
    if stand_in is None:
        fix = "请补上该一级指标及其二级、三级指标"
    else:
        fix = f"“{stand_in}”应是此项，请改名为“{required}”"
    message = f"缺少一级指标“{required}”；{fix}"
    return _finding(source, ["绩效指标"], "warning", "missing-level1", message)


def _resolved_level1(name: str, level2_names: Sequence[str]) -> str | None:
    """The standard 一级 name: itself when standard, else the suggestion."""
    return name if name in FRAMEWORK else _level1_suggestion(name, level2_names)[0]


@lru_cache(maxsize=4096)  # each name once per run, however many files and checks ask
def _level2_suggestions(name: str, level1: str | None) -> tuple[str, ...]:
    """Standard 二级 names a nonstandard one most likely means."""
    renamed = name.replace("目标", "指标")
    if renamed in PARENT_OF:
        return (renamed,)
    own = FRAMEWORK.get(level1 or "", ())
    return _closest(name, own) or _closest(renamed, own) or _closest(name, ALL_LEVEL2)


def _nonstandard_level1(source: Source, level1: str, level2_names: Sequence[str]) -> Finding:
    suggestion, why = _level1_suggestion(level1, level2_names)
    if suggestion is None:
        fix = f"请改为标准一级指标 {'、'.join(FRAMEWORK)} 之一"
    else:
        fix = f"请改为“{suggestion}”"
    message = f"一级指标“{level1}”不是标准名称{why}；{fix}"
    return _finding(source, ["绩效指标", level1], "warning", "nonstandard-level1", message)


def _nonstandard_level2(source: Source, level1: str, level2: str, resolved: str | None) -> Finding:
    suggestions = _level2_suggestions(level2, resolved)
    if suggestions:
        fix = f"请改为{_quote_all(suggestions)}"
    elif resolved is not None:
        fix = f"“{resolved}”下的标准二级指标为 {'、'.join(FRAMEWORK[resolved])}"
    else:
        fix = f"请改为标准二级指标 {'、'.join(ALL_LEVEL2)} 之一"
    message = f"二级指标“{level2}”不是标准名称；{fix}"
    return _finding(source, ["绩效指标", level1, level2], "warning", "nonstandard-level2", message)


def _misplaced_level2(source: Source, level1: str, level2: str) -> Finding:
    parent = PARENT_OF[level2]
    message = (
        f"二级指标“{level2}”属于一级指标“{parent}”，不应放在“{level1}”下；请把它移到“{parent}”下"
    )
    return _finding(source, ["绩效指标", level1, level2], "warning", "misplaced-level2", message)


def _framework(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """一级/二级 names against the standard framework, and the three required 一级."""
    tree = _block(doc, "绩效指标")
    findings: list[Finding] = []
    stand_ins: dict[str, str] = {}  # required 一级 → the misnamed 一级 that probably means it
    for level1, groups in tree.items():
        level2_names = [str(k) for k in groups] if isinstance(groups, dict) else []
        resolved = _resolved_level1(str(level1), level2_names)
        if level1 not in FRAMEWORK:
            findings.append(_nonstandard_level1(source, str(level1), level2_names))
            if resolved is not None:
                stand_ins.setdefault(resolved, str(level1))
        for level2 in level2_names:
            if level2 not in PARENT_OF:
                findings.append(_nonstandard_level2(source, str(level1), level2, resolved))
            elif level1 in FRAMEWORK and level2 not in FRAMEWORK[level1]:
                findings.append(_misplaced_level2(source, str(level1), level2))
    if tree:
        for required in REQUIRED_LEVEL1:
            if required not in tree:
                findings.append(_missing_level1(source, required, stand_ins.get(required)))
    return findings


# ---------------------------------------------------------------- indicator values and years


def _outside(years: list[int], period: tuple[int, int]) -> list[int]:
    """The years outside the period."""
    return [y for y in years if not period[0] <= y <= period[1]]


def _year_outside_period_goal(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """Years in 年度总体目标 outside 项目期间 (项目总目标 may cite history: not checked)."""
    goal, period = doc.get("年度总体目标"), _period(doc)
    if not isinstance(goal, str) or period is None:
        return []
    years = _outside(years_in(goal), period)
    if not years:
        return []
    message = (
        f"年度总体目标提到的年份 {'、'.join(map(str, years))} 不在项目期间 {_period_text(period)} 内；"
        f"请核对年份（引用历史情况时可忽略此警告）"
    )
    return [_finding(source, ["年度总体目标"], "warning", "year-outside-period", message)]


def _value_findings(
    source: Source,
    keys: list[str],
    level1: str | None,
    level2: str | None,
    value: str,
    period: tuple[int, int] | None,
) -> list[Finding]:
    """The checks of one indicator value."""
    findings = []
    if level2 == "数量指标" and not has_number(value):
        message = f"数量指标的值“{value}”中没有数字；请写出具体数量和单位，如 118人、≥8次"
        findings.append(_finding(source, keys, "warning", "quantity-no-number", message))
    if level1 == "满意度指标" and not is_percentage(value):
        message = f"满意度指标的值“{value}”不是百分比；请写成百分比，如 ≥90%"
        findings.append(_finding(source, keys, "warning", "satisfaction-not-percent", message))
    years = _outside(value_years(value), period) if period is not None else []
    if period is not None and years:
        message = (
            f"指标值“{value}”中的年份 {'、'.join(map(str, years))} 不在项目期间 "
            f"{_period_text(period)} 内；请改为项目期间内的时间"
        )
        findings.append(_finding(source, keys, "warning", "year-outside-period", message))
    return findings


def _indicator_values(source: Source, doc: dict[str, Any]) -> list[Finding]:
    """Values under 数量指标 / 满意度指标, and years in every value."""
    period = _period(doc)
    findings: list[Finding] = []
    for level1, groups in _block(doc, "绩效指标").items():
        if not isinstance(groups, dict):
            continue
        resolved1 = _resolved_level1(str(level1), [str(k) for k in groups])
        for level2, rows in groups.items():
            if not isinstance(rows, dict):
                continue
            resolved2 = _resolved_level2(str(level2), resolved1)
            for level3, value in rows.items():
                if not isinstance(value, str) or not value.strip():
                    continue  # an empty value is schema's `empty-indicator-value`
                keys = ["绩效指标", str(level1), str(level2), str(level3)]
                findings += _value_findings(source, keys, resolved1, resolved2, value, period)
    return findings


def _resolved_level2(name: str, level1: str | None) -> str | None:
    """The standard 二级 name: itself when standard, else the one suggestion (None: none or several)."""
    if name in PARENT_OF:
        return name
    suggestions = _level2_suggestions(name, level1)
    return suggestions[0] if len(suggestions) == 1 else None


PROJECT_RULES: tuple[ProjectRule, ...] = (
    _date_order,
    _sum_mismatch,
    _annual_exceeds_total,
    _year_outside_period,
    _year_outside_dates,
    _annual_differs,
    _carryover_first_year,
    _yuan_in_wan,
    _framework,
    _year_outside_period_goal,
    _indicator_values,
)


# ---------------------------------------------------------------- across projects


def _squeezed(text: object) -> str:
    """Text with all whitespace removed, "" for anything that is not text."""
    return "".join(text.split()) if isinstance(text, str) else ""


def _digest(text: str) -> str:
    """A short, collision-safe digest of a compared text."""
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate is an error, not a crash
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _indicator_set(doc: dict[str, Any]) -> frozenset[tuple[str, str, str, str]]:
    """The whole indicator tree as a set of rows, whitespace removed (order does not matter)."""
    return frozenset(
        (_squeezed(l1), _squeezed(l2), _squeezed(l3), _squeezed(str(value)))
        for l1, l2, l3, value in _indicators(doc)
    )


GOAL_COPY = ("duplicate-goal", "{field}与 {where} 的{field}完全相同；请按本项目实际情况改写")
INDICATOR_COPY = (
    "duplicate-indicators",
    "{field}与 {where} 的{field}完全相同；请按本项目实际情况填写指标",
)


def _copy(
    items: Sequence[tuple[Source, Mapping[str, str]]], field: str, kind: tuple[str, str]
) -> list[Finding]:
    """Projects whose `field` is identical to an earlier project's (not through one _defaults.yaml)."""
    code, template = kind
    findings = []
    first: dict[str, Source] = {}
    for source, marks in items:
        mark = marks.get(field)
        if not mark:
            continue
        earlier = first.setdefault(mark, source)
        where = earlier.locate(field)
        if earlier.path == source.path or where == source.locate(field):
            continue  # the same file, or a text both inherit from one _defaults.yaml
        message = template.format(field=field, where=f"{shown(where.file)}:{where.line}")
        findings.append(_finding(source, [field], "warning", code, message))
    return findings

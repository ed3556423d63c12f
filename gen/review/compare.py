"""Compare two versions of the projects in the form's own terms.

Each project file is loaded, merged with its _defaults.yaml files and checked exactly as
`gen check` does; projects are matched by path, and a moved or renamed file by its
项目名称 + 实施单位. What is compared is the checked document: a change in a _defaults.yaml
shows on every project it reaches, and a version with errors is compared as far as its
fields could be read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from gen.amounts import in_unit
from gen.checking import checked_project
from gen.errors import Finding
from gen.model import (
    Indicator,
    Project,
    common_unit,
    indicators_of,
    paragraphs,
    project_from,
)
from gen.review.revisions import Side, Versions
from gen.schema import FORMAT_DEFAULTS
from gen.vocabulary import AMOUNT_UNITS, FORMAT, FUND_BLOCKS, FUND_TOTALS, INDICATORS, OTHERS

FIELDS: tuple[str, ...] = ("表样", "年度", "项目名称", "项目类别", "项目性质", "主管部门")
FIELDS += ("实施单位", "计划开始日期", "计划完成日期", "项目期间")
GOALS = ("项目总目标", "年度总体目标")
TOTALS = tuple(
    (block, keys[0]) for block, keys in FUND_BLOCKS.items()
)  # 项目资金总额, 年度资金申请总额
ALL = "合计"

Status = Literal["added", "removed", "changed"]
IndicatorKind = Literal["added", "removed", "changed", "moved"]


@dataclass(frozen=True)
class Version:
    """One project file in one version, loaded and checked as gen check would."""

    key: str  # path relative to the compared root: what matches a project across versions
    shown: Path  # the file as the user names it
    data: Mapping[str, Any]  # merged with its _defaults.yaml files; {} when it cannot be read
    doc: Mapping[str, Any] | None  # the checked document (fields that failed left out)
    errors: tuple[Finding, ...]

    @property
    def name(self) -> str:
        return _text(self.data.get("项目名称"))

    @property
    def unit(self) -> str:
        return _text(self.data.get("实施单位"))

    @property
    def money(self) -> str:
        """The 金额单位 its amounts are written in."""
        return money_unit(self.doc if self.doc is not None else self.data)

    @property
    def project(self) -> Project | None:
        """The project ready to print, when it has no errors (what gen build would print)."""
        return project_from(self.doc) if self.doc is not None and not self.errors else None


def amount_of(doc: Mapping[str, Any] | None, block: str, key: str) -> Decimal | None:
    """An amount of a checked document; a total not written is the sum of its parts."""
    amounts = (doc or {}).get(block)
    if not isinstance(amounts, dict) or key not in amounts:
        return None
    value = amounts[key]
    if value is None and key in FUND_TOTALS:
        parts = [amounts.get(part) for part in FUND_BLOCKS[block][1:]]
        numbers = [part for part in parts if isinstance(part, Decimal)]
        return sum(numbers, Decimal(0)) if len(numbers) == len(parts) else None
    return value if isinstance(value, Decimal) else None


def money_unit(doc: Mapping[str, Any] | None) -> str:
    """The 金额单位 of a document (万元 when it names none it knows)."""
    options = (doc or {}).get(FORMAT)
    unit = options.get("金额单位") if isinstance(options, dict) else None
    return unit if unit in AMOUNT_UNITS else AMOUNT_UNITS[0]


def _text(value: Any) -> str:
    """A name as text ("" when missing)."""
    return value if isinstance(value, str) else "" if value is None else str(value)


# ---------------------------------------------------------------- changes


@dataclass(frozen=True)
class FieldChange:
    """A field printed as text: 项目类别, 实施单位, a date, a 格式 option."""

    path: str
    old: str
    new: str


@dataclass(frozen=True)
class AmountChange:
    """An amount, old → new, exact (both in one 金额单位)."""

    path: str
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        """new - old, exact, without the trailing zeros a sum of four-place amounts brings."""
        exact = self.new - self.old
        return exact.quantize(Decimal(1)) if exact == exact.to_integral() else exact.normalize()

    @property
    def percent(self) -> Decimal | None:
        """The change in percent, rounded to 0.01 for display; None when the old amount is 0."""
        if self.old == 0:
            return None
        exact = self.difference / self.old * 100
        return exact.quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class TextChange(FieldChange):
    """A goal rewritten: the paragraphs as printed, old and new (shown word by word)."""


@dataclass(frozen=True)
class IndicatorChange:
    """An indicator added, removed, given another value, or moved to another 一级 / 二级."""

    kind: IndicatorKind
    old: Indicator | None
    new: Indicator | None


@dataclass(frozen=True)
class OrderChange:
    """Indicators (or groups) kept but printed in another order: the names, old and new order."""

    path: str  # 绩效指标, 绩效指标.产出指标 or 绩效指标.产出指标.数量指标
    old: tuple[str, ...]
    new: tuple[str, ...]


Change = FieldChange | AmountChange | TextChange | IndicatorChange | OrderChange


@dataclass
class ProjectChange:
    """One project that was added, removed or changed, with what changed in it."""

    status: Status
    old: Version | None
    new: Version | None
    changes: list[Change] = field(default_factory=list)

    @property
    def latest(self) -> Version:
        """The newest version there is of the project."""
        version = self.new or self.old
        assert version is not None
        return version

    @property
    def name(self) -> str:
        """The 项目名称, from the old version when the new one cannot be read ("" in neither)."""
        return next((v.name for v in (self.new, self.old) if v is not None and v.name), "")

    @property
    def unit(self) -> str:
        """The 实施单位, from the old version when the new one cannot be read ("" in neither)."""
        return next((v.unit for v in (self.new, self.old) if v is not None and v.unit), "")

    @property
    def renamed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.key != self.new.key

    @property
    def unreadable(self) -> bool:
        """Whether some of the content could not be compared because a version has errors."""
        return any(v is not None and v.errors for v in (self.old, self.new))


@dataclass(frozen=True)
class Total:
    """A sum of amounts over the projects of a 实施单位 (or all), old → new."""

    unit: str  # a 实施单位, or ALL
    old: Decimal
    new: Decimal
    old_left_out: int = 0  # its projects with errors in the old version: not in `old`
    new_left_out: int = 0

    @property
    def change(self) -> AmountChange:
        return AmountChange(self.unit, self.old, self.new)


@dataclass
class Comparison:
    """Everything `gen diff` found: the changed projects in path order, and the totals."""

    old_label: str
    new_label: str
    paths: tuple[str, ...]
    projects: list[ProjectChange]
    old_versions: list[Version]
    new_versions: list[Version]
    # (the versions' labels, a file not compared and why): a pipe, a link, an unreadable folder
    skipped: list[tuple[str, Finding]] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for p in self.projects if p.status == status)

    @property
    def renamed(self) -> int:
        return sum(1 for p in self.projects if p.renamed)

    @property
    def money(self) -> str:
        """The 金额单位 of the totals: the projects' own when they agree, else 元."""
        versions = [*self.old_versions, *self.new_versions]
        return common_unit(v.money for v in versions if not v.errors)

    @property
    def counted(self) -> bool:
        """Whether a project of either version counts in the totals: one without errors."""
        return not all(v.errors for v in [*self.old_versions, *self.new_versions])

    def totals(self, block: str, key: str) -> list[Total]:
        """One total per 实施单位 (in path order), then ALL, in self.money; projects with errors
        are left out. None at all when no project is counted."""
        if not self.counted:
            return []
        old = _sums(self.old_versions, block, key, self.money)
        new = _sums(self.new_versions, block, key, self.money)
        old_out, new_out = _with_errors(self.old_versions), _with_errors(self.new_versions)
        units = [u for u in dict.fromkeys([*new, *old, *new_out, *old_out]) if u != ALL]
        zero = Decimal(0)
        return [
            Total(u, old.get(u, zero), new.get(u, zero), old_out[u], new_out[u])
            for u in [*units, ALL]
        ]

    def left_out(self) -> tuple[int, int]:
        """How many projects of the old and the new version have errors (not in the totals)."""
        return sum(1 for v in self.old_versions if v.errors), sum(
            1 for v in self.new_versions if v.errors
        )


def _with_errors(versions: Iterable[Version]) -> Counter[str]:
    """Per 实施单位 and ALL: how many projects have errors, and are left out of the totals."""
    counted = Counter(version.unit for version in versions if version.errors)
    counted[ALL] = sum(counted.values())
    return counted


def _sums(versions: Iterable[Version], block: str, key: str, money: str) -> dict[str, Decimal]:
    """Per 实施单位 and ALL: the sum of one amount, in `money`, over the projects without errors."""
    sums: dict[str, Decimal] = {ALL: Decimal(0)}
    for version in versions:
        written = amount_of(version.doc, block, key)
        if version.errors or written is None:
            continue
        amount = in_unit(written, version.money, money)
        sums[version.unit] = sums.get(version.unit, Decimal(0)) + amount
        sums[ALL] += amount
    return sums


# ---------------------------------------------------------------- comparing


def compare(versions: Versions) -> Comparison:
    """Load both versions of every project below the paths and list what changed."""
    old = load(versions.old, versions.paths)
    new = load(versions.new, versions.paths)
    projects = [
        change
        for old_version, new_version in matched(old, new)
        if (change := project_change(old_version, new_version)) is not None
    ]
    projects.sort(key=lambda p: p.latest.key)
    return Comparison(
        versions.old.label,
        versions.new.label,
        versions.paths,
        projects,
        list(old.values()),
        list(new.values()),
        skipped(versions.old, versions.new),
    )


def skipped(old: Side, new: Side) -> list[tuple[str, Finding]]:
    """What either version left out of the comparison; what both left out is said once."""
    both = set(old.skipped) & set(new.skipped)
    labels = f"{old.label}、{new.label}"
    listed = [(labels, f) for f in dict.fromkeys(old.skipped) if f in both]
    listed += [(side.label, f) for side in (old, new) for f in side.skipped if f not in both]
    return sorted(listed, key=lambda item: item[1].sort_key())


def load(side: Side, paths: Sequence[str]) -> dict[str, Version]:
    """Every project file of one version, loaded and checked, by its path."""
    loader = side.loader()
    versions = {}
    for file in side.project_files(paths):
        findings, source, doc = checked_project(file, loader)
        errors = tuple(side.located(f) for f in findings if f.is_error)
        data = source.data if source is not None else {}
        version = Version(side.key(file), side.shown(file), data, doc, errors)
        versions[version.key] = version
    return versions


def matched(
    old: Mapping[str, Version], new: Mapping[str, Version]
) -> Iterator[tuple[Version | None, Version | None]]:
    """Pairs of versions of one project: by path, then a moved file by 项目名称 + 实施单位."""
    for key in old.keys() & new.keys():
        yield old[key], new[key]
    gone = [v for k, v in old.items() if k not in new]
    came = [v for k, v in new.items() if k not in old]
    moves = _moves(gone, came)
    yield from moves
    paired = {id(v) for pair in moves for v in pair}
    yield from ((v, None) for v in gone if id(v) not in paired)
    yield from ((None, v) for v in came if id(v) not in paired)


def _moves(gone: list[Version], came: list[Version]) -> list[tuple[Version, Version]]:
    """A removed and an added file with the same 项目名称 + 实施单位, each the only one so named."""

    def identity(version: Version) -> tuple[str, str]:
        return version.name, version.unit

    gone_count = Counter(identity(v) for v in gone)
    came_by = {identity(v): v for v in came}
    came_count = Counter(identity(v) for v in came)
    return [
        (version, came_by[identity(version)])
        for version in gone
        if version.name
        and gone_count[identity(version)] == 1
        and came_count[identity(version)] == 1
    ]


def project_change(old: Version | None, new: Version | None) -> ProjectChange | None:
    """What changed in one project; None when nothing did."""
    if old is None:
        return ProjectChange("added", None, new)
    if new is None:
        return ProjectChange("removed", old, None)
    changes = list(_changes(old.doc, new.doc)) if old.doc and new.doc else []
    same_errors = _error_texts(old) == _error_texts(new)
    unseen = bool(old.errors or new.errors) and old.data != new.data
    if changes or old.key != new.key or not same_errors or unseen:
        return ProjectChange("changed", old, new, changes)
    return None


def _error_texts(version: Version) -> set[tuple[str, str, str]]:
    """A version's errors without their lines, which move with unrelated edits."""
    return {(f.path, f.code, f.message) for f in version.errors}


def _changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[Change]:
    """Every difference between two checked documents, in the order of the form."""
    for key in FIELDS:
        if key in old and key in new and old[key] != new[key]:
            yield FieldChange(key, shown(old[key]), shown(new[key]))
    yield from _amount_changes(old, new)
    for key in GOALS:
        if key in old and key in new:
            before, after = _printed(old[key]), _printed(new[key])
            if before != after:
                yield TextChange(key, before, after)
    if INDICATORS in old and INDICATORS in new:
        yield from indicator_changes(old[INDICATORS], new[INDICATORS])
        yield from order_changes(INDICATORS, old[INDICATORS], new[INDICATORS])
    old_rows, new_rows = old.get(OTHERS) or {}, new.get(OTHERS) or {}
    for label in dict.fromkeys([*old_rows, *new_rows]):  # an entry added or removed: from, to 空
        if old_rows.get(label) != new_rows.get(label):
            yield FieldChange(
                f"{OTHERS}.{label}", shown(old_rows.get(label)), shown(new_rows.get(label))
            )
    old_format, new_format = old.get(FORMAT) or {}, new.get(FORMAT) or {}
    for key in FORMAT_DEFAULTS:
        if key in old_format and key in new_format and old_format[key] != new_format[key]:
            yield FieldChange(f"{FORMAT}.{key}", shown(old_format[key]), shown(new_format[key]))


def _amount_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> Iterator[AmountChange]:
    """The amounts of both fund blocks that differ in value (87.9 and 87.90 are the same), in
    the new version's 金额单位 (2035.58 万元 and 20355800 元 are the same)."""
    units = money_unit(old), money_unit(new)
    for block, keys in FUND_BLOCKS.items():
        for key in keys:
            before, after = amount_of(old, block, key), amount_of(new, block, key)
            if before is not None:
                before = in_unit(before, *units)
            if before is not None and after is not None and before != after:
                yield AmountChange(f"{block}.{key}", before, after)


def _printed(text: str) -> str:
    """A goal as the form prints it: its non-blank lines, stripped."""
    return "\n".join(paragraphs(text))


def indicator_changes(old_tree: Any, new_tree: Any) -> Iterator[IndicatorChange]:
    """Changed and moved indicators and added ones in the new order, then removed ones."""
    old = {place(i): i for i in indicators_of(old_tree)}
    new = {place(i): i for i in indicators_of(new_tree)}
    gone = [i for where, i in old.items() if where not in new]
    came = [i for where, i in new.items() if where not in old]
    moved_from = _moved(gone, came)
    for where, indicator in new.items():
        if where in old and old[where].value != indicator.value:
            yield IndicatorChange("changed", old[where], indicator)
        elif where not in old and indicator.name in moved_from:
            yield IndicatorChange("moved", moved_from[indicator.name], indicator)
        elif where not in old:
            yield IndicatorChange("added", None, indicator)
    for indicator in gone:
        if indicator.name not in moved_from:
            yield IndicatorChange("removed", indicator, None)


def order_changes(path: str, old: Any, new: Any, depth: int = 0) -> Iterator[OrderChange]:
    """Groups and indicators in both versions whose order changed, level by level (the order
    of those added, removed or moved elsewhere does not count)."""
    if depth == 3 or not isinstance(old, dict) or not isinstance(new, dict):
        return
    both = old.keys() & new.keys()
    before = tuple(k for k in old if k in both)
    after = tuple(k for k in new if k in both)
    if before != after:
        yield OrderChange(path, before, after)
    for key in after:
        yield from order_changes(f"{path}.{key}", old[key], new[key], depth + 1)


def place(indicator: Indicator) -> tuple[str, str, str]:
    """Where an indicator stands: 一级, 二级, 三级."""
    return (indicator.level1, indicator.level2, indicator.name)


def _moved(gone: list[Indicator], came: list[Indicator]) -> dict[str, Indicator]:
    """三级 names removed in one place and added in another, each once: where they came from."""
    gone_names = Counter(i.name for i in gone)
    came_names = Counter(i.name for i in came)
    return {i.name: i for i in gone if gone_names[i.name] == 1 and came_names[i.name] == 1}


def shown(value: Any) -> str:
    """A field's value as text for the listing."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "-".join(map(str, value))
    return str(value)

"""The comparison as text for people (in Chinese) and as JSON for tools: the same content."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from gen.characters import UNWRITABLE
from gen.errors import Finding, shown
from gen.model import Indicator
from gen.review.compare import (
    TOTALS,
    AmountChange,
    Change,
    Comparison,
    FieldChange,
    IndicatorChange,
    OrderChange,
    ProjectChange,
    TextChange,
    Total,
    Version,
    amount_of,
    place,
)
from gen.review.words import marked
from gen.vocabulary import INDICATORS

_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")
STATUS = {"added": "新增", "removed": "删除", "changed": "修改"}
INDICATOR_KIND = {"added": "新增", "removed": "删除", "changed": "修改", "moved": "移动"}
COUNT = "指标数"


# ---------------------------------------------------------------- text


def text(comparison: Comparison) -> str:
    """The whole listing: one block per changed project, then the totals."""
    where = "、".join(dict.fromkeys(p for p in comparison.paths if p != "."))  # each once
    scope = f"（{where}）" if where else ""
    lines = [f"比较：{comparison.old_label} → {comparison.new_label}{scope}", ""]
    if comparison.skipped:
        lines += [f"未比较（{label}）：{finding}" for label, finding in comparison.skipped] + [""]
    for project in comparison.projects:
        lines += project_lines(project, comparison)
    if not comparison.projects:
        lines.append("没有改动。")
    lines += ["", *summary_lines(comparison)]
    return "\n".join(lines)


def project_lines(project: ProjectChange, comparison: Comparison) -> list[str]:
    """The heading of a project, its notes, then one line per change."""
    latest = project.latest
    about = f"{project.name or '（无项目名称）'} · {project.unit or '（无实施单位）'}"
    if project.renamed:
        assert project.old is not None
        about += f"；原文件 {shown(project.old.shown)}"
    lines = [f"{STATUS[project.status]} {shown(latest.shown)}（{_entry(about)}）"]
    if project.status != "changed":
        lines.append(f"  {_outline(latest)}")
    elif project.renamed and not project.changes and not project.unreadable:
        lines.append("  内容未变（只是文件改名或移动）")
    for side, version in (("旧", project.old), ("新", project.new)):
        if version is not None and version.errors:
            label = comparison.old_label if side == "旧" else comparison.new_label
            lines.append(f"  注意：{side}版本（{label}）有错误，{_unread(project)}：")
            lines += [f"    {finding}" for finding in version.errors]
    lines += [f"  {_entry(change_line(change))}" for change in project.changes]
    return lines


def _entry(text: str) -> str:
    """Text of one entry as the listing prints it: a line break in a value continues the entry
    on an indented line (not at the margin, where it would read as another entry), and a
    character no terminal shows (only in a version with errors) is written as \\u0001."""
    text = UNWRITABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
    return _LINE_BREAK.sub("\n    ", text)


def _unread(project: ProjectChange) -> str:
    """What an error means for the comparison of this project."""
    if project.status != "changed":
        return "有错误的内容未列出"
    both = (
        project.old is not None and project.new is not None and project.old.doc and project.new.doc
    )
    return "只比较了能读出的内容" if both else "无法逐项比较"


def outline(version: Version) -> dict[str, Decimal | int]:
    """What an added or removed project amounts to: its two totals and how many indicators."""
    found: dict[str, Decimal | int] = {}
    for block, key in TOTALS:
        amount = amount_of(version.doc, block, key)
        if amount is not None:
            found[key] = amount
    tree = (version.doc or {}).get(INDICATORS)
    if isinstance(tree, dict):
        found[COUNT] = sum(
            len(level3s) for level2s in tree.values() for level3s in level2s.values()
        )
    return found


def _outline(version: Version) -> str:
    """An added or removed project in one line."""
    parts = [
        f"指标 {value} 个" if key == COUNT else f"{key} {_amount(Decimal(value))} {version.money}"
        for key, value in outline(version).items()
    ]
    return "，".join(parts) or "内容无法读出"


def change_line(change: Change) -> str:
    """One change as a line of the listing."""
    if isinstance(change, TextChange):
        return f"{change.path}: {marked(change.old, change.new)}"
    if isinstance(change, FieldChange):
        return f"{change.path}: {change.old} → {change.new}"
    if isinstance(change, AmountChange):
        return f"{change.path}: {amount_change(change)}"
    if isinstance(change, OrderChange):
        return f"{change.path} 顺序: {'、'.join(change.old)} → {'、'.join(change.new)}"
    return indicator_line(change)


def indicator_line(change: IndicatorChange) -> str:
    """绩效指标 新增 / 删除 / 修改 / 移动, with the 一级 / 二级 / 三级 path."""
    head = f"{INDICATORS} {INDICATOR_KIND[change.kind]}: "
    old, new = change.old, change.new
    if change.kind == "added" and new is not None:
        return head + f"{_place(new)}: {new.value}"
    if change.kind == "removed" and old is not None:
        return head + f"{_place(old)}: {old.value}"
    assert old is not None and new is not None
    if change.kind == "changed":
        return head + f"{_place(new)}: {old.value} → {new.value}"
    value = new.value if old.value == new.value else f"{old.value} → {new.value}"
    return head + f"{_place(old)} → {_place(new)}: {value}"


def _place(indicator: Indicator) -> str:
    """一级 / 二级 / 三级."""
    return " / ".join(place(indicator))


def amount_change(change: AmountChange, note: str = "") -> str:
    """2035.58 → 2100（+64.42，+3.16%）; from 0: （+5，新增）; `note` closes the brackets."""
    percent = "新增" if change.percent is None else f"{_signed(change.percent)}%"
    return (
        f"{_amount(change.old)} → {_amount(change.new)}"
        f"（{_signed(change.difference)}，{percent}{note}）"
    )


def summary_lines(comparison: Comparison) -> list[str]:
    """The closing summary: projects added, removed, changed; the totals per 实施单位 and in all."""
    counts = (
        f"改动：新增 {comparison.count('added')} 个项目，删除 {comparison.count('removed')} 个，"
        f"修改 {comparison.count('changed')} 个"
    )
    if comparison.renamed:
        counts += f"（其中改名或移动 {comparison.renamed} 个）"
    lines = [counts]
    if not comparison.counted:
        lines.append("合计：两个版本中都没有可以计入合计的项目")
    for block, key in TOTALS if comparison.counted else ():
        lines.append(f"{key}（{comparison.money}）:")
        for total in comparison.totals(block, key):
            left_out = _left_out(comparison, total)
            if total.old == total.new:
                lines.append(f"  {total.unit}: {_amount(total.new)}（未变{left_out}）")
            else:
                lines.append(f"  {total.unit}: {amount_change(total.change, left_out)}")
    old_errors, new_errors = comparison.left_out()
    if old_errors or new_errors:
        lines.append(
            f"（有错误的项目不计入合计：{comparison.old_label} {old_errors} 个，"
            f"{comparison.new_label} {new_errors} 个）"
        )
    return lines


def _left_out(comparison: Comparison, total: Total) -> str:
    """What a total lacks for errors, so that 77.07 → 0 is not read as a cut: "；工作区 1 个项目
    有错误，未计入"; "" when nothing was left out."""
    said = [
        f"{label} {count} 个"
        for label, count in (
            (comparison.old_label, total.old_left_out),
            (comparison.new_label, total.new_left_out),
        )
        if count
    ]
    return f"；{'、'.join(said)}项目有错误，未计入" if said else ""


def _amount(value: Decimal) -> str:
    """An amount as written, never in exponent notation."""
    return format(value, "f")


def _signed(value: Decimal) -> str:
    """+64.42, -3.5, 0."""
    return f"+{_amount(value)}" if value > 0 else _amount(value)


# ---------------------------------------------------------------- JSON


def as_json(comparison: Comparison) -> str:
    """The same content as the text, for tools; amounts are exact decimal strings."""
    document = {
        "old": comparison.old_label,
        "new": comparison.new_label,
        "paths": list(comparison.paths),
        "skipped": [{"version": label, **f.as_dict()} for label, f in comparison.skipped],
        "projects": [_project_json(p) for p in comparison.projects],
        "summary": _summary_json(comparison),
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _project_json(project: ProjectChange) -> dict[str, Any]:
    """One changed project."""
    latest = project.latest

    def path(version: Version | None) -> str | None:
        return None if version is None else version.shown.as_posix()

    def errors(version: Version | None) -> list[dict[str, Any]]:
        return [] if version is None else [_finding_json(f) for f in version.errors]

    return {
        "status": project.status,
        "path": latest.shown.as_posix(),
        "old_path": path(project.old),
        "new_path": path(project.new),
        "renamed": project.renamed,
        "name": project.name,
        "unit": project.unit,
        "amount_unit": latest.money,
        "errors": {"old": errors(project.old), "new": errors(project.new)},
        "outline": None if project.status == "changed" else _outline_json(latest),
        "changes": [change_json(c) for c in project.changes],
    }


def _outline_json(version: Version) -> dict[str, str | int]:
    """An added or removed project's totals (exact decimal strings) and indicator count."""
    return {
        key: value if isinstance(value, int) else _amount(value)
        for key, value in outline(version).items()
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as gen check --format json writes it."""
    return finding.as_dict()


def change_json(change: Change) -> dict[str, Any]:
    """One change."""
    if isinstance(change, TextChange):
        return {
            "kind": "text",
            "path": change.path,
            "old": change.old,
            "new": change.new,
            "marked": marked(change.old, change.new),
        }
    if isinstance(change, FieldChange):
        return {"kind": "field", "path": change.path, "old": change.old, "new": change.new}
    if isinstance(change, AmountChange):
        return {"kind": "amount", "path": change.path, **_amount_json(change)}
    if isinstance(change, OrderChange):
        return {
            "kind": "order",
            "path": change.path,
            "old": list(change.old),
            "new": list(change.new),
        }
    return {
        "kind": "indicator",
        "change": change.kind,
        "old": _indicator_json(change.old),
        "new": _indicator_json(change.new),
    }


def _amount_json(change: AmountChange) -> dict[str, str | None]:
    """old, new, difference and percent as exact decimal strings (percent None from 0)."""
    percent = change.percent
    return {
        "old": _amount(change.old),
        "new": _amount(change.new),
        "difference": _amount(change.difference),
        "percent": None if percent is None else _amount(percent),
    }


def _indicator_json(indicator: Indicator | None) -> dict[str, str] | None:
    """一级, 二级, 三级 and 值."""
    if indicator is None:
        return None
    return {
        "一级": indicator.level1,
        "二级": indicator.level2,
        "三级": indicator.name,
        "值": indicator.value,
    }


def _summary_json(comparison: Comparison) -> dict[str, Any]:
    """Counts, the totals per 实施单位 and in all, and the projects left out of them."""
    old_errors, new_errors = comparison.left_out()
    return {
        "added": comparison.count("added"),
        "removed": comparison.count("removed"),
        "changed": comparison.count("changed"),
        "renamed": comparison.renamed,
        "amount_unit": comparison.money,
        "totals": {
            key: [
                {"unit": total.unit, **_amount_json(total.change)}
                for total in comparison.totals(block, key)
            ]
            for block, key in TOTALS
        },
        "left_out": {"old": old_errors, "new": new_errors},
    }

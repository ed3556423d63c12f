"""A form's goals (项目总目标, 年度总体目标): the header of each, the cells holding it below or
beside the header, and a goal written in rows of named parts (预期目标 | …)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gen.importing.indicators import indicator_header_row
from gen.importing.labels import label_of
from gen.importing.printed import one_line, paragraphs_text
from gen.importing.tables import Cell, distinct, first_written
from gen.vocabulary import GOAL_FIELDS, squash

if TYPE_CHECKING:
    from gen.importing.form import Form


def goal_label(form: Form, key: str) -> Cell | None:
    """The header cell of a goal (年度绩效目标 stands for 年度总体目标 when that is absent)."""
    cells = form.labels.get(key) or (
        form.labels.get("年度绩效目标") if key == "年度总体目标" else None
    )
    return cells[0] if cells else None


def goal_cells(form: Form, key: str) -> list[Cell]:
    """The cells holding a goal: below its header down to the indicators, else beside it."""
    header = goal_label(form, key)
    if header is None:
        return []
    below: list[Cell] = []
    for r in range(max(header.rows) + 1, _goal_rows_stop(form, header)):
        cell = form.table.cell_at(r, header.col)
        if cell is not None and cell is not header and label_of(cell.text) is None:
            below.append(cell)
    below = distinct(below)
    beside = form.beside(header)
    if first_written(below) is None and first_written(beside) is not None:
        return beside
    return below or beside


def _goal_rows_stop(form: Form, header: Cell) -> int:
    """The row that ends the rows below a goal's header: the indicators' header, or the
    first row holding another label in the goal's columns (年度总体目标 below 项目总目标) or
    a written cell left of both goals' columns (项目负责人 | 张三 below the goals, as in a
    form whose second table starts with the district's own rows)."""
    stop = indicator_header_row(form) or form.rows.stop
    headers = [cell for key in GOAL_FIELDS if (cell := goal_label(form, key)) is not None]
    left = min(cell.col for cell in headers)
    for r in range(max(header.rows) + 1, stop):
        for cell in distinct(form.table.rows[r]):
            if cell.row != r or cell is header or not one_line(cell.text):
                continue
            label = label_of(cell.text)
            if label == "项目绩效目标":
                continue  # the block's name, written in a middle row
            if (label is not None and cell.col < header.end and header.col < cell.end) or (
                cell.end <= left
            ):
                return r
    return stop


def goal_parts(form: Form, key: str) -> list[tuple[Cell, list[Cell]]]:
    """A goal written in rows of named parts (“预期目标 | …”, “实施进度 | …”) below its header,
    or beside a header merged down over them: (the part's name cell, its value cells) per
    part; [] for a goal written in one piece."""
    header = goal_label(form, key)
    if header is None:
        return []
    below = range(max(header.rows) + 1, _goal_rows_stop(form, header))
    parts = _parts_in(form, below, header.col, header.end)
    if parts or len(header.rows) < 2 or first_written(goal_cells(form, key)) is None:
        return parts
    rows = range(header.row, max(header.rows) + 1)
    end = max(cell.end for cell in form.beside(header))
    return _parts_in(form, rows, header.end, end)


def _parts_in(form: Form, rows: range, start: int, end: int) -> list[tuple[Cell, list[Cell]]]:
    """The named parts of a goal in `rows`, between grid columns `start` and `end` (see
    goal_parts)."""
    parts: list[tuple[Cell, list[Cell]]] = []
    for r in rows:
        inside = [
            cell for cell in distinct(form.table.rows[r]) if cell.col >= start and cell.end <= end
        ]
        if not any(cell.row == r for cell in inside):
            continue  # the rows of a part merged down
        name, values = inside[0], inside[1:]
        if (
            name.col != start
            or not values
            or not _PART_NAME.fullmatch(squash(name.text).removesuffix(":"))
        ):
            return []
        if parts and parts[-1][0] is name:
            parts[-1][1].extend(cell for cell in values if cell not in parts[-1][1])
        else:
            parts.append((name, values))
    return parts


def goal_text(form: Form, key: str) -> str | None:
    """A goal's text, its lines as paragraphs; a goal in named parts one paragraph a part,
    after its name (预期目标：…)."""
    if goal_label(form, key) is None:
        return None
    parts = goal_parts(form, key)
    if parts:
        lines = []
        for name, values in parts:
            form.mark_read((name, *values))
            text = "".join(paragraphs_text([cell.text for cell in values]).splitlines())
            lines.append(f"{part_name(name.text)}：{text}")
        return "\n".join(lines)
    cells = goal_cells(form, key)
    form.mark_read(cells)
    return paragraphs_text([cell.text for cell in cells])


# The name of a part of a goal written in rows of its own (预期目标, 实施进度, 阶段目标一): a few
# Chinese characters, a digit or bracket at most, no sentence
_PART_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}(?:[(（]?[0-9一二三四五六七八九十]+[)）]?)?")


def part_name(text: str) -> str:
    """A goal part's name as a paragraph of the goal starts with it: 预期目标 (no colon, no space)."""
    return squash(text).removesuffix(":")

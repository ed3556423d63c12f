"""A form's indicators: the header row, the rows below it grouped by 一级 and 二级, each
row's 三级指标 and value (written across its columns), and the rows below the indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gen.importing.labels import (
    INDICATOR_BLOCK_LABELS,
    INDICATOR_HEADER,
    TRAILING_LABEL,
    VALUE_COLUMNS,
    label_of,
    placeholder,
)
from gen.importing.printed import one_line
from gen.importing.tables import Cell, distinct
from gen.values import folded, is_comparison, value_parts
from gen.vocabulary import squash

if TYPE_CHECKING:
    from gen.importing.form import Form


@dataclass
class _Group:
    """An indicator group (一级 or 二级) while reading: the cell that names it, and the name."""

    cell: Cell
    name: str


def indicator_header(form: Form) -> dict[str, Cell] | None:
    """The 一级/二级/三级指标 and 指标值 header cells, found in one row."""
    for r in form.rows:
        cells = {label_of(cell.text): cell for cell in form.table.rows[r]}
        if all(key in cells for key in INDICATOR_HEADER):
            return {key: cells[key] for key in INDICATOR_HEADER}  # type: ignore[misc]
    return None


def indicator_header_row(form: Form) -> int | None:
    """The row of the indicator header."""
    header = indicator_header(form)
    return header["三级指标"].row if header else None


def indicator_rows(form: Form) -> range:
    """The rows of the indicator block: below the header, up to the first row that is not
    an indicator row (a note spanning the columns, 审核意见, 填报人…)."""
    header = indicator_header(form)
    if header is None:
        return range(0)
    first = header["三级指标"].row + 1
    for r in range(first, form.rows.stop):
        if not _indicator_shaped(form, r, header):
            return range(first, r)
    return range(first, form.rows.stop)


def trailing_rows(form: Form) -> range:
    """The rows of the form below its indicator block (审核意见, 填报人…): no indicators."""
    block = indicator_rows(form)
    return range(block.stop, form.rows.stop) if block.stop else range(0)


def indicator_tree(form: Form) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """一级 → 二级 → [(三级, 值)], grouped by the merged cells (an empty cell continues a group)."""
    header = indicator_header(form)
    if header is None:
        return {}
    rows: list[tuple[_Group, _Group, tuple[str, str]]] = []
    level1: _Group | None = None
    level2: _Group | None = None
    for r in indicator_rows(form):
        level1, new = _group(form.table.cell_at(r, header["一级指标"].col), level1, False)
        level2, _ = _group(form.table.cell_at(r, header["二级指标"].col), level2, new)
        entry = _entry(form, r, header)
        if entry is not None and level1 is not None and level2 is not None:
            rows.append((level1, level2, entry))
        form.mark_read(_leading(form, r, header))
    tree: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for group1, group2, entry in rows:
        form.mark_read(group.cell for group in (group1, group2))
        tree.setdefault(group1.name, {}).setdefault(group2.name, []).append(entry)
    return tree


def _leading(form: Form, row: int, header: dict[str, Cell]) -> list[Cell]:
    """The cells left of the 一级 column in an indicator row (the 绩效指标 label, or blank)."""
    return [cell for cell in form.table.rows[row] if cell.end <= header["一级指标"].col]


def _indicator_shaped(form: Form, row: int, header: dict[str, Cell]) -> bool:
    """Whether a row can hold an indicator: no cell spans both the 一级 and 二级 columns (a
    note below the table, "填报人 | 王五" in a cell wide as two), no text left of the 一级
    column but the 绩效指标 label, and no 审核意见, 填报人… where a 一级指标 stands."""
    level1, level2 = header["一级指标"].col, header["二级指标"].col
    for cell in form.table.rows[row]:
        if cell.row != row:
            continue  # a merge from above (the 绩效指标 label, a group) continues
        name = squash(cell.text).removesuffix(":")
        if cell.col <= level1 and cell.end > level2:
            return False
        if cell.end <= level1 and name and label_of(name) not in INDICATOR_BLOCK_LABELS:
            return False
        if cell.col < level2 and TRAILING_LABEL.fullmatch(name):
            return False
    return True


def _entry(form: Form, row: int, header: dict[str, Cell]) -> tuple[str, str] | None:
    """(三级, 值) of one row; None for an empty row.

    The cells under the 三级指标 and 指标值 headers when both are written (a column after
    them, such as a note, is not the value); else the first and last written cell from the
    三级指标 column on (a row whose cells do not line up with the header).
    """
    parts = _part_cells(form, row, header)
    cells = [
        c
        for c in distinct(form.table.rows[row])
        if c.col >= header["三级指标"].col and c not in parts.values()
    ]
    found = [(cell, one_line(cell.text)) for cell in cells if one_line(cell.text)]
    under = [form.table.cell_at(row, header[key].col) for key in ("三级指标", "指标值")]
    written = [(cell, one_line(cell.text)) for cell in under if cell is not None]
    if len(written) == 2 and all(text for _, text in written) and under[0] is not under[1]:
        found = written
    if not found:
        form.mark_read(cells)
        return None
    form.mark_read(cell for cell in cells if not one_line(cell.text))
    form.mark_read((found[0][0], found[-1][0]))
    if len(found) == 1:
        cell, text = found[0]
        if cell.col < header["指标值"].col:
            return text, ""
        return "", _with_parts(form, text, parts)
    return found[0][1], _with_parts(form, found[-1][1], parts)


def value_columns(form: Form) -> dict[str, Cell]:
    """The header cells of the columns a form splits the value into (指标性质 | 指标值 | 度量单位),
    by role: "符号" for the comparison, "单位" for the unit."""
    header = indicator_header(form)
    if header is None:
        return {}
    found: dict[str, Cell] = {}
    for cell in form.table.rows[header["三级指标"].row]:
        if cell.col <= header["三级指标"].col or cell is header["指标值"]:
            continue
        name = squash(cell.text).removesuffix(":")
        for role, pattern in VALUE_COLUMNS.items():
            if role not in found and pattern.fullmatch(name):
                found[role] = cell
    return found


def _part_cells(form: Form, row: int, header: dict[str, Cell]) -> dict[str, Cell]:
    """The cells of one indicator row under value_columns() (not one that spans the value's)."""
    found = {}
    for role, label in value_columns(form).items():
        form.mark_read([label])
        cell = form.table.cell_at(row, label.col)
        if cell is not None and not cell.covers(header["指标值"].col):
            found[role] = cell
    return found


def _with_parts(form: Form, value: str, parts: dict[str, Cell]) -> str:
    """The value as written across its columns: "≥" | "95" | "%" → "≥95%". A placeholder in
    the comparison or unit column (/, —, 无) is a blank cell. A word in the comparison column
    (定性, 正向) is not part of the value, nor a unit beside a value that is no bare number
    (提升 | 次) or that writes another unit itself (90% | 人): they stay unread."""
    if not value:
        return value
    for cell in parts.values():
        if placeholder(cell.text):
            form.mark_read([cell])
    sign, unit = (_written(parts.get(role)) for role in ("符号", "单位"))
    if is_comparison(sign) and not value_parts(value)[0]:
        value = sign + value
        form.mark_read([parts["符号"]])
    if not unit:
        return value
    comparison, number, own = value_parts(value)
    if own and folded(own) == folded(unit):
        form.mark_read([parts["单位"]])
    elif not own and value_parts(value + unit) == (comparison, number, unit):
        value += unit
        form.mark_read([parts["单位"]])
    return value


def _group(cell: Cell | None, current: _Group | None, restart: bool) -> tuple[_Group | None, bool]:
    """The group a row belongs to in one indicator column, and whether it starts a new one.

    A merged cell continues its group; a blank unmerged cell continues the group above (people
    often leave the cells below a name empty instead of merging them); a written cell starts one.
    A group whose first rows are blank takes the name written below them (a name centred in
    unmerged cells). A new 一级 group always starts a new 二级 group (`restart`).
    """
    if cell is None:
        return current, False
    name = re.sub(r"\s+", "", cell.text)
    if not restart and current is not None:
        if cell is current.cell or not name:
            return current, False
        if not current.name:
            current.cell, current.name = cell, name
            return current, False
    return _Group(cell, name), True


def _written(cell: Cell | None) -> str:
    """A cell's text on one line; "" for no cell or a placeholder."""
    return "" if cell is None or placeholder(cell.text) else one_line(cell.text)

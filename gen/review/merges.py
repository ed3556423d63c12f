"""Vertically merged cells in a redline table, kept right for every program that opens it.

Word accepts or rejects a tracked row by removing it; every remaining row keeps its own
w:vMerge flag, so rows that carry their final flags come out right whatever is around them.
LibreOffice instead turns the flags into merged cells (spans) when it opens the file, and
accepting or rejecting only takes rows out of those spans: a span of the redline that mixes
two groups, or whose first row is taken out, comes out wrong (an 一级 cell split in two, a
group name lost). Where that would happen, the rows concerned are shown as the old rows
deleted followed by the new rows inserted, which both kinds of program resolve exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
KEPT, DELETED, INSERTED = "kept", "del", "ins"
Spans = dict[int, list[list[int]]]  # grid column → the rows of each merged cell, top first


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


@dataclass
class RowChange:
    """One row of a redline table: kept (holding its cells' changes), deleted or inserted."""

    state: str  # KEPT, DELETED or INSERTED
    old: etree._Element | None  # the old row (kept or deleted)
    new: etree._Element | None  # the new row (kept or inserted)
    element: etree._Element | None = None  # a kept row: the new row holding the changes

    def flags(self) -> dict[int, str]:
        """The row's vertical merges: grid column → "restart" or "continue"."""
        row = self.new if self.new is not None else self.old
        assert row is not None
        return merge_flags(row)


def merge_flags(row: etree._Element) -> dict[int, str]:
    """Grid column of each vertically merged cell of a row → "restart" or "continue"."""
    before = row.find(f"{_w('trPr')}/{_w('gridBefore')}")
    column = 0 if before is None else int(before.get(_w("val"), "0"))
    flags = {}
    for cell in row.iterchildren(_w("tc")):
        span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
        merge = cell.find(f"{_w('tcPr')}/{_w('vMerge')}")
        if merge is not None:
            flags[column] = merge.get(_w("val"), "continue")
        column += 1 if span is None else int(span.get(_w("val"), "1"))
    return flags


def spans(flags: Sequence[dict[int, str]]) -> Spans:
    """The merged cells that rows with these flags make, as a program that reads spans sees
    them: a "continue" with no merged cell above starts one of its own."""
    found: Spans = {}
    open_spans: dict[int, list[int]] = {}
    for index, row in enumerate(flags):
        for column in set(open_spans) - set(row):
            del open_spans[column]
        for column, flag in row.items():
            if flag == "continue" and column in open_spans:
                open_spans[column].append(index)
            else:
                open_spans[column] = [index]
                found.setdefault(column, []).append(open_spans[column])
    return found


def settled(rows: list[RowChange]) -> list[RowChange]:
    """The rows, with every stretch whose merged cells would come out wrong shown as its old
    rows deleted and then its new rows inserted (the whole table as a last resort)."""
    last: tuple[int, int] | None = None
    while (block := _unsafe_block(rows)) is not None:
        if block == last or _already_split(rows[block[0] : block[1] + 1]):
            block = (0, len(rows) - 1)
        rows = rows[: block[0]] + _split(rows[block[0] : block[1] + 1]) + rows[block[1] + 1 :]
        if block == (0, len(rows) - 1):
            return rows
        last = block
    return rows


def _split(block: Sequence[RowChange]) -> list[RowChange]:
    """A stretch of rows as its old rows deleted, then its new rows inserted."""
    olds = [RowChange(DELETED, r.old, None) for r in block if r.old is not None]
    news = [RowChange(INSERTED, None, r.new) for r in block if r.new is not None]
    return olds + news


def _already_split(block: Sequence[RowChange]) -> bool:
    """Whether a stretch is already its old rows deleted followed by its new rows inserted."""
    states = [r.state for r in block]
    return KEPT not in states and states == sorted(states)  # "del" < "ins"


def _unsafe_block(rows: Sequence[RowChange]) -> tuple[int, int] | None:
    """The smallest stretch of rows (first, last) holding every merged cell that would come out
    wrong on accepting or rejecting, and the old and new merged cells of those columns that it
    touches; None if nothing would."""
    flags = [row.flags() for row in rows]
    shown = spans(flags)
    wrong: set[int] = set()
    columns: set[int] = set()
    expected: list[Spans] = []
    for survivors in ({KEPT, DELETED}, {KEPT, INSERTED}):
        left = [i for i, row in enumerate(rows) if row.state in survivors]
        found = spans([flags[i] for i in left])
        wanted = {c: [[left[i] for i in cell] for cell in cells] for c, cells in found.items()}
        expected.append(wanted)
        for column, cells in shown.items():
            merged = {frozenset(cell) for cell in wanted.get(column, []) if len(cell) > 1}
            for cell in cells:
                if _comes_out_wrong(cell, [i for i in cell if rows[i].state in survivors], merged):
                    wrong.update(cell)
                    columns.add(column)
    if not wrong:
        return None
    cells = [cell for version in expected for c in columns for cell in version.get(c, [])]
    return _grown(min(wrong), max(wrong), cells)


def _comes_out_wrong(cell: list[int], left: list[int], merged: set[frozenset[int]]) -> bool:
    """Whether a merged cell of the redline, once rows are taken out, is not the merged cell
    (or the single cell) the version should have, or has lost its first row (and its text)."""
    if not left:
        return False
    if left[0] != cell[0]:
        return True
    if len(left) > 1:
        return frozenset(left) not in merged
    return any(left[0] in span for span in merged)


def _grown(first: int, last: int, cells: Iterable[list[int]]) -> tuple[int, int]:
    """Widen a stretch until none of these merged cells sticks out of it."""
    cells = list(cells)
    grown = True
    while grown:
        grown = False
        for cell in cells:
            inside = any(first <= i <= last for i in cell)
            if inside and (cell[0] < first or cell[-1] > last):
                first, last, grown = min(first, cell[0]), max(last, cell[-1]), True
    return first, last

"""One form: its cells and labels, the value beside each label, what every form must have, and
the project data it prints (data(), from the readers of goals, indicators, money and the rest)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from lxml import etree

from gen.importing.choices import check_boxes, chosen
from gen.importing.funds import funds
from gen.importing.goals import goal_label, goal_text
from gen.importing.indicators import indicator_header, indicator_tree, trailing_rows
from gen.importing.labels import (
    BLOCK_LABELS,
    CHOICE_VALUES,
    INDICATOR_HEADER,
    INLINE_KEYS,
    LABEL_NAMES,
    OPTIONAL_FUNDS,
    REQUIRED_LABELS,
    inline_label,
    inline_refusal,
    label_of,
    preview,
    with_value,
)
from gen.importing.other_fields import OtherLine, OtherRow, read_other_lines, read_other_rows
from gen.importing.printed import (
    BoxLayoutError,
    box_spans,
    infer_format,
    labelled_boxes,
    one_line,
    parse_date,
)
from gen.importing.tables import Cell, Table, distinct, first_written
from gen.importing.units import check_unit, unit_of
from gen.importing.wordfile import WordFileError
from gen.importing.years import PERIOD, period_years, title_period, title_year
from gen.vocabulary import APPLICATION_FORM, DATE_KEYS, OTHERS, TARGET_FORM, row_label, squash


def _between(table: Table) -> str:
    """The paragraphs before a table, for a message: 空段落, or 段落（“绩效指标”） when they have text."""
    texts = [one_line(text) for text in table.before if one_line(text)]
    if not texts:
        return "空段落"
    return f"段落（{preview('”“'.join(texts)).join('“”')}）"


@dataclass(eq=False)
class Form:
    """One form: the rows of a table from its 项目名称 row, and the title lines above it."""

    table: Table
    rows: range
    titles: list[str]
    number: int = 1  # the table's place in the document (1-based)
    title_rows: range = range(0)  # the rows of the table above the form (a title inside it)
    following: Table | None = None  # the next table, when it starts no form of its own
    # the rows (of `table`) where each further table of a form split by paragraphs starts:
    # `table` then holds the rows of them all (see forms.read_forms)
    parts: tuple[int, ...] = ()
    between: list[etree._Element] = field(default_factory=list)  # the w:p between those tables
    # (where, text) of the lines printed outside the table and the title lines: the form's text
    # boxes, the lines below the document's last table, the page headers and footers
    elsewhere: list[tuple[str, str]] = field(default_factory=list)
    below: list[etree._Element] = field(default_factory=list)  # the w:p below the last table
    _read: dict[int, Cell] = field(default_factory=dict)  # cells whose text was read
    _others: list[OtherRow] | None = None  # other_rows(), once found
    _lines: list[OtherLine] | None = None  # other_lines(), once found

    # -- labels and the values beside them

    @cached_property
    def labels(self) -> dict[str, list[Cell]]:
        """Every label cell of the form, by key, in reading order."""
        found: dict[str, list[Cell]] = {}
        for cell in self.cells():
            key = label_of(cell.text) or self.inline.get(id(cell), (None,))[0]
            if key is not None and (self.writes_inline(cell) or not self._own_choices(key, cell)):
                found.setdefault(key, []).append(cell)
        return found

    @cached_property
    def inline(self) -> dict[int, tuple[str, str]]:
        """(key, value) of each cell writing a label and its value together, by id(cell); only
        above the goals and indicators, whose texts may start so (“完成时间：12月底前”)."""
        return {
            id(cell): found
            for cell in self.cells()
            if cell.row < self.blocks_start
            and label_of(cell.text) is None
            and (found := inline_label(cell.text)) is not None
        }

    @cached_property
    def blocks_start(self) -> int:
        """The first row of the goals or the indicators (the form's end when it has neither)."""
        return next(
            (
                r
                for r in self.rows
                if any(label_of(cell.text) in BLOCK_LABELS for cell in self.table.rows[r])
            ),
            self.rows.stop,
        )

    def writes_inline(self, cell: Cell) -> bool:
        """Whether a cell writes a label and its value together (“项目名称：普法”)."""
        return id(cell) in self.inline

    def is_label(self, cell: Cell) -> bool:
        """Whether a cell is a label, or writes one with its value."""
        return label_of(cell.text) is not None or self.writes_inline(cell)

    def _own_choices(self, key: str, label: Cell) -> bool:
        """Whether a 项目类型 or 项目属性 label has boxes beside it that name none of gen's
        choices (□新增 ☑延续): a row of the district's own, not 项目类别 or 项目性质."""
        if key not in ("项目类别", "项目性质") or row_label(label.text) == key:
            return False
        text = " ".join(cell.text for cell in self.beside(label))
        if not box_spans(text):  # 项目类型 | 延续项目 beside a 项目类别 of its own
            return (
                bool(text.strip())
                and not any(choice in squash(text) for choice in CHOICE_VALUES)
                and any(row_label(cell.text) == key for cell in self.cells())
            )
        try:
            names = [choice for _, choice in labelled_boxes(text)]
        except BoxLayoutError:
            return False
        return bool(names) and not CHOICE_VALUES.intersection(names)

    def cells(self) -> list[Cell]:
        """Every cell of the form once, in reading order."""
        return distinct([cell for r in self.rows for cell in self.table.rows[r]])

    def elements(self) -> list[etree._Element]:
        """The paragraphs of the title lines above the table and the w:tc of the form's rows."""
        first = self.title_rows.start == 0  # the table's first form: the lines above are its own
        paragraphs = self.table.paragraphs if first else []
        rows = [*self.title_rows, *self.rows]
        cells = distinct([cell for r in rows for cell in self.table.rows[r]])
        return [*paragraphs, *(tc for cell in cells for tc in cell.elements)]

    @property
    def is_application(self) -> bool:
        """A 申报表: it has a 项目性质 cell, or its title says so."""
        return "项目性质" in self.labels or any("申报表" in squash(t) for t in self.titles)

    @property
    def kind(self) -> str:
        """The 表样 of the form."""
        return APPLICATION_FORM if self.is_application else TARGET_FORM

    def beside(self, label: Cell) -> list[Cell]:
        """The cells right of a label, in each row it covers, up to the next label."""
        cells: list[Cell] = []
        for r in label.rows:
            if r not in self.rows:
                continue
            for cell in self.table.rows[r]:
                if cell.col < label.end or cell is label:
                    continue
                if self.is_label(cell):
                    break
                cells.append(cell)
        return distinct(cells)

    def value_beside(self, label: Cell) -> Cell | None:
        """The cell holding a label's value: the first written one beside it.

        When all are blank, the one in the column where the labels of that column have their
        values (a blank cell between label and value is only layout). A label written with its
        value (“项目名称：普法”) holds it itself.
        """
        if self.writes_inline(label):
            return label
        cells = self.beside(label)
        written = first_written(cells)
        if written is not None or not cells:
            return written
        columns = {
            value.col
            for other in self.cells()
            if other.col == label.col and other is not label and label_of(other.text)
            for value in [first_written(self.beside(other))]
            if value is not None
        }
        return next((cell for cell in cells if cell.col in columns), cells[0])

    def value_cell(self, key: str) -> Cell | None:
        """The value cell of the first label `key`."""
        cells = self.labels.get(key)
        return self.value_beside(cells[0]) if cells else None

    def read_value(self, label: Cell) -> str:
        """The text of a label's value ("" when blank), marked as read."""
        self._read[id(label)] = label
        if self.writes_inline(label):
            return self.inline[id(label)][1]
        cell = self.value_beside(label)
        if cell is None:
            return ""
        for before in self.beside(label):
            self._read[id(before)] = before
            if before is cell:
                break
        return cell.text.strip()

    def mark_read(self, cells: Iterable[Cell]) -> None:
        """Count cells as read: the form's values, or part of its layout (see unread)."""
        self._read.update((id(cell), cell) for cell in cells)

    def is_read(self, cell: Cell) -> bool:
        """Whether a cell was read (see mark_read)."""
        return id(cell) in self._read

    def text(self, key: str) -> str | None:
        """A single-line value by its label; None when the form has no such label."""
        cells = self.labels.get(key)
        return one_line(self.read_value(cells[0])) if cells else None

    # -- what a form must have

    def missing(self) -> str | None:
        """The first label every form has that this one lacks, or None."""
        required = [*REQUIRED_LABELS, *(("项目性质",) if self.is_application else ())]
        for key in required:
            if key == "年度总体目标" and goal_label(self, key) is not None:
                continue
            if key not in self.labels:
                return key
        if indicator_header(self) is None:
            for key in INDICATOR_HEADER:
                if key not in self.labels:
                    return key
            return "一级指标、二级指标、三级指标、指标值（在同一行）"
        return None

    def _amount_with_value(self) -> str | None:
        """An amount a form may leave out (项目资金总额, 上年结转资金…) written with its label in one
        cell (“上年结转资金：5”), above the goals: refused as a required one is, rather than left
        out with a warning, and printed as it stands on every form of a template."""
        cells = [cell for cell in self.cells() if cell.row < self.blocks_start]
        return next(
            (key for key in OPTIONAL_FUNDS if any(with_value(key, c.text) for c in cells)), None
        )

    def where(self) -> str:
        """Where the labels were looked for, for messages."""
        if self.parts:
            return f"第 {self.number}–{self.last_table} 个表格"
        return f"第 {self.number} 个表格的第 {self.rows.start + 1}–{self.rows.stop} 行"

    def place(self, row: int) -> str:
        """Where a row of the form is, for messages: 第 2 个表格第 3 行."""
        before = [start for start in self.parts if start <= row]
        first = before[-1] if before else 0
        return f"第 {self.number + len(before)} 个表格第 {row - first + 1} 行"

    def row_name(self, row: int) -> str:
        """A row of the form in a listing: 第 3 行, or 第 2 个表格第 3 行 in a form of several tables."""
        return self.place(row) if self.parts else f"第 {row + 1} 行"

    # -- a form split into several tables

    @property
    def last_table(self) -> int:
        """The place in the document (1-based) of the form's last table."""
        return self.number + len(self.parts)

    def check_complete(self, refused: str = "这个表格没有导入") -> None:
        """Refuse a form missing a label every form has: its value would be lost silently.

        `refused` says what is not done with the form.
        """
        key = self.missing() or self._amount_with_value()
        if key is None:
            return
        name = LABEL_NAMES.get(key, key)
        if self.following is not None and any(
            label_of(cell.text) == key for row in self.following.rows for cell in row
        ):
            raise WordFileError(
                f"“{name}”这一栏在下一个表格（第 {self.last_table + 1} 个）里：这张表被分成了两个表格，"
                f"{refused}。请在 Word 中删除两个表格之间的{_between(self.following)}，"
                "把它们合并成一个表格后再运行",
                "missing-label",
            )
        inline = next(
            (
                c
                for c in self.cells()
                if with_value(key, c.text) and (key not in INLINE_KEYS or c.row < self.blocks_start)
            ),
            None,
        )
        if inline is not None:
            why, fix = inline_refusal(key, inline.text)
            raise WordFileError(
                f"{self.place(inline.row)}的“{preview(one_line(inline.text))}”"
                f"把“{name.split('”')[0]}”和填写的内容写在同一格里，{why}；"
                f"为了不漏掉这一项，{refused}。请在 Word 中{fix}后再运行",
                "missing-label",
            )
        found = "、".join(dict.fromkeys(one_line(c[0].text) for c in self.labels.values()))
        raise WordFileError(
            f"没有找到“{name}”这一栏（在{self.where()}找过；找到的标签：{preview(found) or '无'}）；"
            f"为了不漏掉这一项，{refused}。请确认这是绩效目标表或绩效目标申报表；"
            f"如果这一栏在表格里写法不同，请在 Word 中把它改为“{name.split('”')[0]}”后再运行",
            "missing-label",
            located=True,
        )

    # -- the fields

    def data(self) -> dict[str, Any]:
        """The project data, FORMAT.md key order, only the keys the form has."""
        self.check_complete()
        check_boxes(self)
        check_unit(self)
        form = self.kind
        dates = self.date_texts()
        parsed = {key: parse_date(text) for key, text in dates.items()}
        project, annual, amount_texts = funds(self)
        data: dict[str, Any] = {"表样": form, "年度": title_year(self.titles)}
        data["项目名称"] = self.text("项目名称")
        data["项目类别"] = chosen(self, "项目类别")
        data["项目性质"] = chosen(self, "项目性质") if form == APPLICATION_FORM else None
        data["主管部门"] = self.text("主管部门")
        data["实施单位"] = self.text("实施单位")
        data.update(parsed)
        data["项目期间"] = self._period(parsed)
        data["项目资金"], data["年度资金"] = project, annual
        data["项目总目标"] = goal_text(self, "项目总目标")
        data["年度总体目标"] = goal_text(self, "年度总体目标")
        data["绩效指标"] = indicator_tree(self)
        data[OTHERS] = {row.label: row.text for row in self.other_rows()}
        data[OTHERS].update((line.label, line.text) for line in self.other_lines())
        data["格式"] = infer_format([t for t in dates.values() if t], amount_texts, unit_of(self))
        return {key: value for key, value in data.items() if value not in (None, "", {})}

    def other_rows(self) -> list[OtherRow]:
        """The labelled cells of rows gen has no key for (see read_other_rows), found once the
        fields are read (data())."""
        if self._others is None:
            self._others = read_other_rows(self)
        return self._others

    def other_lines(self) -> list[OtherLine]:
        """The fields written as “label：value” below the indicators (see read_other_lines),
        found once."""
        if self._lines is None:
            self._lines = read_other_lines(self)
        return self._lines

    def date_texts(self) -> dict[str, str]:
        """计划开始日期 and 计划完成日期 as the form prints them, by key ("" when blank)."""
        return {key: text for key in DATE_KEYS if (text := self.text(key)) is not None}

    def unread(self) -> list[Cell]:
        """Every written cell above the trailing rows that data() did not read, in reading order."""
        self._mark_labels_read()
        trailing = trailing_rows(self)
        return [
            cell
            for cell in self.cells()
            if id(cell) not in self._read and one_line(cell.text) and cell.row not in trailing
        ]

    def unread_listing(self, cells: list[Cell] | None = None) -> str:
        """Cells (those of unread()) for a message: 第 4 行“资金总额”、… (five at most, then how many)."""
        cells = self.unread() if cells is None else cells
        named = "、".join(f"{self.row_name(c.row)}“{preview(one_line(c.text))}”" for c in cells[:5])
        return named + (f"等 {len(cells)} 格" if len(cells) > 5 else "")

    def _mark_labels_read(self) -> None:
        """Labels are part of the form, not values to import."""
        for cells in self.labels.values():
            self._read.update((id(cell), cell) for cell in cells)

    def _period(self, dates: dict[str, date | str]) -> str | None:
        """项目期间 from "项目总目标 (2025年-2026年)", else from a title over a span of years
        ("2025-2026年财政项目支出绩效目标表"), when it differs from the dates' years."""
        label = goal_label(self, "项目总目标")
        match = PERIOD.search(label.text) if label is not None else None
        years = period_years(match) if match else None
        title = title_period(self.titles)
        if years:
            first, last = years
        elif title:
            _, first, last = title
        else:
            return None
        start, end = dates.get("计划开始日期"), dates.get("计划完成日期")
        if (
            isinstance(start, date)
            and isinstance(end, date)
            and (start.year, end.year) == (first, last)
        ):
            return None
        return f"{first}-{last}"

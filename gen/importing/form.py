"""One form: its cells and labels, the value beside each label, what it must have, and the project data it prints."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from lxml import etree

from gen.importing.choices import check_boxes, chosen
from gen.importing.funds import funds
from gen.importing.goals import goal_cells, goal_label, goal_text
from gen.importing.indicators import (
    indicator_header,
    indicator_header_row,
    indicator_tree,
    trailing_rows,
)
from gen.importing.labels import (
    AMOUNT_KEYS,
    BLOCK_LABELS,
    CHOICE_VALUES,
    INDICATOR_BLOCK_LABELS,
    INDICATOR_HEADER,
    INLINE_KEYS,
    LABEL_NAMES,
    OPTIONAL_FUNDS,
    REQUIRED_LABELS,
    inline_label,
    inline_refusal,
    label_of,
    placeholder,
    preview,
    with_value,
)
from gen.importing.printed import (
    BoxLayoutError,
    box_spans,
    infer_format,
    labelled_boxes,
    one_line,
    paragraphs_text,
    parse_date,
    ticked_choices,
)
from gen.importing.tables import (
    Cell,
    Piece,
    Table,
    cell_paragraphs,
    distinct,
    first_written,
    paragraph_pieces,
)
from gen.importing.units import check_unit, unit_of
from gen.importing.wordfile import WordFileError
from gen.importing.years import PERIOD, period_years, title_period, title_year
from gen.ooxml import w
from gen.vocabulary import (
    APPLICATION_FORM,
    DATE_KEYS,
    GOAL_FIELDS,
    OTHERS,
    TARGET_FORM,
    row_label,
    squash,
)

# The label of a row of a district's own (项目负责人, 联系电话, 主管部门代码): a short name with a
# Chinese character, no braces (a template would read them as a tag)
_OTHER_LABEL = re.compile(r"(?=.*[\u4e00-\u9fff])[^{}]{1,20}")
# A label written with its value in one cell (项目负责人：张三): it starts with a Chinese character
# and closes every bracket it opens (填报单位（盖章）), so that “（单位：万元）” is none
_INLINE_OTHER = re.compile(r"[\u4e00-\u9fff][^{}()（）:]*(?:[(（][^{}()（）:]*[)）][^{}()（）:]*)*")
# The labels of notes printed on every form (注：联系电话请填写座机), and of the amounts' unit
_NOTE_LABEL = re.compile(
    r"(?:注|注意|说明|填表说明|填报说明|注意事项|提示|(?:金额)?单位)[0-9一二三四五六七八九十]?"
)


@dataclass(frozen=True)
class OtherRow:
    """A labelled cell of a row gen has no key for (项目负责人 | 张三, 项目类型 | □新增 ☑延续):
    its label as compared (row_label), the label and value cells, whether the value is boxes."""

    label: str
    label_cell: Cell
    value: Cell
    boxes: bool
    inline: bool = False  # the label, a colon and the value in one cell (项目负责人：张三)

    @property
    def text(self) -> str:
        """What the form prints there: the ticked choices of boxes, else the lines of the cell
        (after the label's colon in a cell writing both)."""
        if self.boxes:
            return "、".join(
                ticked_choices(_after_colon(self.value.text) if self.inline else self.value.text)
            )
        if self.inline:
            return paragraphs_text([_after_colon(self.value.text)])
        return paragraphs_text([self.value.text])


# Below the indicators, a label of a signature, a seal, an approval or a note: what stands beside
# it is no project's value (单位负责人（签字）, 财政部门审核意见, 单位（盖章）, 备注, 填表说明)
_SIGNING = re.compile(r"意见|签字|签章|签名|盖章|公章|印章|审批|批准|备注|说明|^注")
# A value that only asks for a hand to sign, seal or date: （签字）, （盖章）, 年 月 日
_TO_SIGN = re.compile(r"签字|签章|签名|盖章|公章|印章|年月日")
# The label of a field in a line below the table (填报人：张三): a short name, no sentence, no
# unit (单位：万元 states the amounts' unit), no number before it (1.本表…)
_LINE_LABEL = re.compile(
    r"(?=.*[\u4e00-\u9fff])(?![0-9一二三四五六七八九十])[^{}、，。；,.;!！?？]{1,10}"
)


def below_field(label: str, value: str) -> bool:
    """Whether a label and what is written beside it, below the indicators, are a field of each
    project's (填报人 | 张三, 联系电话：021-64110000): a value written, not a signature, a seal,
    an approval or a note, nor blank space or a placeholder left for one (年 月 日, /)."""
    written = squash(value)
    return bool(
        written
        and not _SIGNING.search(label)
        and not _TO_SIGN.search(written)
        and not placeholder(value)
    )


@dataclass(frozen=True)
class OtherLine:
    """A label and its value written on a line below the table, or in a cell of a row below the
    indicators that is all one cell (填报人：张三　　联系电话：021-64110000): the label as
    compared (row_label), the value as printed, and where each character of the value is."""

    label: str
    text: str
    places: tuple[tuple[Piece, int], ...]


def line_fields(paragraph: etree._Element) -> list[OtherLine]:
    """The fields of a line: each label is the word before a colon, after a space or the line's
    start; its value runs up to the space before the next label. A value typed other than as
    plain text (a symbol, a field) and a line whose labels touch the value before them (no
    space between) give no field: where the value ends cannot be told for sure."""
    pieces = paragraph_pieces(paragraph)
    places = [(piece, i) for piece in pieces for i in range(len(piece.text))]
    text = "".join(piece.text for piece in pieces)
    if _JINJA.search(text):
        return []
    starts: list[tuple[int, int]] = []  # (label start, colon) of each label
    for at, char in enumerate(text):
        if unicodedata.normalize("NFKC", char) != ":":
            continue
        start = at
        floor = starts[-1][1] + 1 if starts else 0
        while start > floor and not text[start - 1].isspace():
            start -= 1
        if not _LINE_LABEL.fullmatch(text[start:at]) or row_label(text[start:at]).endswith("单位"):
            continue  # a colon in a value (10:30), or no label of a field
        if starts and start == floor:
            return []  # 填报人：张三联系电话：… — which characters are whose?
        starts.append((start, at))
    found = []
    for k, (start, colon) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        raw = text[colon + 1 : end]
        left = colon + 1 + len(raw) - len(raw.lstrip())
        right = colon + 1 + len(raw.rstrip())
        label, value = row_label(text[start:colon]), text[left:right]
        chars = tuple(places[left:right])
        if below_field(label, value) and all(_plain(place) for place in chars):
            found.append(OtherLine(label, value, chars))
    return found


_JINJA = re.compile(r"[{}]")


def _plain(place: tuple[Piece, int]) -> bool:
    """Whether a character is typed as text in the form's own font (a template can replace it)."""
    return place[0].node.tag == w("t") and place[0].font is None


def _after_colon(text: str) -> str:
    """A cell's text after its first colon (full-width or ASCII)."""
    at = next(i for i, char in enumerate(text) if unicodedata.normalize("NFKC", char) == ":")
    return text[at + 1 :].strip()


def inline_other(text: str) -> tuple[str, bool] | None:
    """(label as row_label compares it, whether the value is boxes) of a cell writing a label of
    the district's own, a colon and the value (项目负责人：张三, 联系电话:\n64441234, 项目类型：□新增
    ☑延续), or a label and a colon alone; None for a note (注：…), a unit (单位：万元), a value
    asking for something (请填写…), one with another colon (a second label in the cell), and
    boxes whose names are not told apart from the label (项目类型：新增□ 延续☑)."""
    colons = [i for i, char in enumerate(text) if unicodedata.normalize("NFKC", char) == ":"]
    if not colons:
        return None
    label = row_label(text[: colons[0]])
    value = text[colons[0] + 1 :].strip()
    if (
        len(colons) > 1
        or not _INLINE_OTHER.fullmatch(label)
        or not _OTHER_LABEL.fullmatch(label)
        or _NOTE_LABEL.fullmatch(label)
        or value.startswith("请")
    ):
        return None
    if not box_spans(value):
        return label, False
    try:  # each box's name the same read in the whole cell (as gen template ticks them)
        names = [choice for _, choice in labelled_boxes(text)]
        own = [choice for _, choice in labelled_boxes(value)]
    except BoxLayoutError:
        return None
    return (label, True) if names == own and all(names) else None


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
    # `table` then holds the rows of them all (see joined)
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
        """The labelled cells of rows gen has no key for, above the goals and indicators and
        outside the money block, then below the indicators, in reading order; found once the
        fields are read (data()).

        In a row, the cells no known label claims pair up left to right, label then value
        (项目负责人 | 张三 | 联系电话 | 021-64110000); a label repeated, a label without a value
        cell, and boxes whose choices cannot be told apart stay unread. Below the indicators
        only a value written is a field, never a signature, a seal or an approval (below_field).
        """
        if self._others is None:
            self._others = []
            stop = indicator_header_row(self) or self.rows.stop
            skipped = self._block_rows()
            for r in range(self.rows.start, stop):
                if r not in skipped:
                    self._others += self._row_others(r, {row.label for row in self._others})
            for r in trailing_rows(self):
                taken = {row.label for row in self._others}
                self._others += self._row_others(r, taken, below=True)
            for row in self._others:
                self._read.update((id(cell), cell) for cell in (row.label_cell, row.value))
        return self._others

    def _block_rows(self) -> set[int]:
        """The rows of the money block and of the goals, where no row of a district's own is."""
        keys = (*AMOUNT_KEYS, *GOAL_FIELDS, *INDICATOR_BLOCK_LABELS)
        rows = {r for key in keys for cell in self.labels.get(key, []) for r in cell.rows}
        return rows | {r for key in GOAL_FIELDS for c in goal_cells(self, key) for r in c.rows}

    def other_lines(self) -> list[OtherLine]:
        """The fields written as “label：value” on the lines below the table and in the rows
        below the indicators that are one cell each (填报人：张三　　联系电话：021-64110000): a
        label the form has no other field of, or one whose field it writes the same (the same
        entry, printed in both places); not a value naming the form's 实施单位, 主管部门 or
        项目名称 (a template prints those from their own keys)."""
        if self._lines is None:
            taken = {row.label: row.text for row in self.other_rows()}
            self._lines = []
            for paragraph in [*self._lone_cell_paragraphs(), *self.below]:
                for line in line_fields(paragraph):
                    same = taken.get(line.label, line.text) == line.text
                    if same and not self._names_a_value(line.text):
                        self._lines.append(line)
                        taken[line.label] = line.text
        return self._lines

    def _below_field(self, row: OtherRow) -> bool:
        """Whether a row's pair below the indicators is a field of each project's: boxes, or a
        value below_field() takes that names none of the form's values."""
        return row.boxes or (below_field(row.label, row.text) and not self._names_a_value(row.text))

    def _names_a_value(self, text: str) -> bool:
        """Whether a text below the indicators names the form's 实施单位, 主管部门 or 项目名称
        (填报单位：浦江镇司法所): a template prints each project's own there from its key."""
        keys = ("实施单位", "主管部门", "项目名称")
        return any(name in text for key in keys if (name := self.text(key)))

    def _lone_cell_paragraphs(self) -> list[etree._Element]:
        """The paragraphs of the rows below the indicators that hold one written cell, not read
        as a row of the district's own (填报人：张三 alone in its cell)."""
        rows = {id(row.label_cell) for row in self.other_rows()}
        found = []
        for r in trailing_rows(self):
            own = [c for c in distinct(self.table.rows[r]) if c.row == r and c.text.strip()]
            if len(own) == 1 and id(own[0]) not in rows:
                found += [p for tc in own[0].elements for p in cell_paragraphs(tc)]
        return found

    def _row_others(self, r: int, taken: set[str], below: bool = False) -> list[OtherRow]:
        """The label and value pairs of one row among the cells nothing has read; `below` the
        indicators, only those below_field() takes."""
        known = {id(cell) for cells in self.labels.values() for cell in cells}
        runs: list[list[Cell]] = [[]]
        for cell in distinct(self.table.rows[r]):
            if cell.row != r or id(cell) in self._read or id(cell) in known:
                runs.append([])  # a cell read, or merged from above, ends a run
            else:
                runs[-1].append(cell)
        found = []
        for run in runs:
            cells = iter(run)
            for label in cells:
                inline = inline_other(label.text)
                if inline is not None and (_after_colon(label.text) or label is run[-1]):
                    # 项目负责人：张三 in one cell, or 项目负责人： with no cell for the value
                    name, boxes = inline
                    row: OtherRow | None = OtherRow(name, label, label, boxes, inline=True)
                else:
                    name = row_label(label.text)
                    if not name or ":" in name or _NOTE_LABEL.fullmatch(name):
                        continue  # a blank cell, a note or a text after a colon is no label
                    row = self._other_row(name, label, next(cells, None))
                if below and row is not None and not self._below_field(row):
                    row = None  # a signature, an approval, blank space; 填报单位：浦江镇司法所
                if row is not None and name not in taken:
                    found.append(row)
                    taken.add(name)
        return found

    def _other_row(self, name: str, label: Cell, value: Cell | None) -> OtherRow | None:
        """A label and its value cell as a row of the district's own, if they can be one."""
        if value is None or not _OTHER_LABEL.fullmatch(name):
            return None
        boxes = bool(box_spans(value.text))
        if boxes:
            try:
                choices = [choice for _, choice in labelled_boxes(value.text)]
            except BoxLayoutError:
                return None
            if not all(choices):
                return None  # a box of no name: nothing to tick it by
        return OtherRow(name, label, value, boxes)

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

    # -- the indicator table

    def trailing_listing(self) -> str:
        """The written rows of trailing_rows() for a message: 第 16 行（填报人、王五）、…"""
        listed = []
        fields = {id(cell) for row in self.other_rows() for cell in (row.label_cell, row.value)}
        # the w:t of the values on lines (alive in other_lines(), so their ids stay theirs)
        values = {id(piece.node) for line in self.other_lines() for piece, _ in line.places}
        for r in trailing_rows(self):
            texts = [
                one_line(cell.text)
                for cell in distinct(self.table.rows[r])
                if cell.row == r
                and id(cell) not in fields
                and not any(id(t) in values for tc in cell.elements for t in tc.iter(w("t")))
            ]
            texts = [preview(text) for text in texts if text]
            if texts:
                listed.append(f"{self.row_name(r)}（{'、'.join(texts)}）")
        return "、".join(listed)

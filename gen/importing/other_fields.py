"""A form's 其他栏目: the labelled cells of rows gen has no key for, the fields written as
“label：value” in one cell or on a line below the table, and what is no field (a signature,
a seal, a note)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from gen.importing.goals import goal_cells
from gen.importing.indicators import indicator_header_row, trailing_rows
from gen.importing.labels import AMOUNT_KEYS, INDICATOR_BLOCK_LABELS, placeholder, preview
from gen.importing.printed import (
    BoxLayoutError,
    box_spans,
    labelled_boxes,
    one_line,
    paragraphs_text,
    ticked_choices,
)
from gen.importing.tables import Cell, Piece, cell_paragraphs, distinct, paragraph_pieces
from gen.ooxml import w
from gen.vocabulary import GOAL_FIELDS, row_label, squash

if TYPE_CHECKING:
    from gen.importing.form import Form

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


def read_other_rows(form: Form) -> list[OtherRow]:
    """The labelled cells of rows gen has no key for, above the goals and indicators and
    outside the money block, then below the indicators, in reading order, marked read.

    In a row, the cells no known label claims pair up left to right, label then value
    (项目负责人 | 张三 | 联系电话 | 021-64110000); a label repeated, a label without a value
    cell, and boxes whose choices cannot be told apart stay unread. Below the indicators
    only a value written is a field, never a signature, a seal or an approval (below_field).
    """
    found: list[OtherRow] = []
    stop = indicator_header_row(form) or form.rows.stop
    skipped = _block_rows(form)
    for r in range(form.rows.start, stop):
        if r not in skipped:
            found += _row_others(form, r, {row.label for row in found})
    for r in trailing_rows(form):
        taken = {row.label for row in found}
        found += _row_others(form, r, taken, below=True)
    for row in found:
        form.mark_read((row.label_cell, row.value))
    return found


def read_other_lines(form: Form) -> list[OtherLine]:
    """The fields written as “label：value” on the lines below the table and in the rows
    below the indicators that are one cell each (填报人：张三　　联系电话：021-64110000): a
    label the form has no other field of, or one whose field it writes the same (the same
    entry, printed in both places); not a value naming the form's 实施单位, 主管部门 or
    项目名称 (a template prints those from their own keys)."""
    taken = {row.label: row.text for row in form.other_rows()}
    found: list[OtherLine] = []
    for paragraph in [*_lone_cell_paragraphs(form), *form.below]:
        for line in line_fields(paragraph):
            same = taken.get(line.label, line.text) == line.text
            if same and not _names_a_value(form, line.text):
                found.append(line)
                taken[line.label] = line.text
    return found


def _block_rows(form: Form) -> set[int]:
    """The rows of the money block and of the goals, where no row of a district's own is."""
    keys = (*AMOUNT_KEYS, *GOAL_FIELDS, *INDICATOR_BLOCK_LABELS)
    rows = {r for key in keys for cell in form.labels.get(key, []) for r in cell.rows}
    return rows | {r for key in GOAL_FIELDS for c in goal_cells(form, key) for r in c.rows}


def _below_field(form: Form, row: OtherRow) -> bool:
    """Whether a row's pair below the indicators is a field of each project's: boxes, or a
    value below_field() takes that names none of the form's values."""
    return row.boxes or (below_field(row.label, row.text) and not _names_a_value(form, row.text))


def _names_a_value(form: Form, text: str) -> bool:
    """Whether a text below the indicators names the form's 实施单位, 主管部门 or 项目名称
    (填报单位：浦江镇司法所): a template prints each project's own there from its key."""
    keys = ("实施单位", "主管部门", "项目名称")
    return any(name in text for key in keys if (name := form.text(key)))


def _lone_cell_paragraphs(form: Form) -> list[etree._Element]:
    """The paragraphs of the rows below the indicators that hold one written cell, not read
    as a row of the district's own (填报人：张三 alone in its cell)."""
    rows = {id(row.label_cell) for row in form.other_rows()}
    found = []
    for r in trailing_rows(form):
        own = [c for c in distinct(form.table.rows[r]) if c.row == r and c.text.strip()]
        if len(own) == 1 and id(own[0]) not in rows:
            found += [p for tc in own[0].elements for p in cell_paragraphs(tc)]
    return found


def _row_others(form: Form, r: int, taken: set[str], below: bool = False) -> list[OtherRow]:
    """The label and value pairs of one row among the cells nothing has read; `below` the
    indicators, only those below_field() takes."""
    known = {id(cell) for cells in form.labels.values() for cell in cells}
    runs: list[list[Cell]] = [[]]
    for cell in distinct(form.table.rows[r]):
        if cell.row != r or form.is_read(cell) or id(cell) in known:
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
                row = _other_row(form, name, label, next(cells, None))
            if below and row is not None and not _below_field(form, row):
                row = None  # a signature, an approval, blank space; 填报单位：浦江镇司法所
            if row is not None and name not in taken:
                found.append(row)
                taken.add(name)
    return found


def _other_row(form: Form, name: str, label: Cell, value: Cell | None) -> OtherRow | None:
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


def trailing_listing(form: Form) -> str:
    """The written rows of trailing_rows() for a message: 第 16 行（填报人、王五）、…"""
    listed = []
    fields = {id(cell) for row in form.other_rows() for cell in (row.label_cell, row.value)}
    # the w:t of the values on lines (alive in other_lines(), so their ids stay theirs)
    values = {id(piece.node) for line in form.other_lines() for piece, _ in line.places}
    for r in trailing_rows(form):
        texts = [
            one_line(cell.text)
            for cell in distinct(form.table.rows[r])
            if cell.row == r
            and id(cell) not in fields
            and not any(id(t) in values for tc in cell.elements for t in tc.iter(w("t")))
        ]
        texts = [preview(text) for text in texts if text]
        if texts:
            listed.append(f"{form.row_name(r)}（{'、'.join(texts)}）")
    return "、".join(listed)

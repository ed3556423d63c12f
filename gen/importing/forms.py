"""A document's forms: the tables read as forms, a form split into several tables joined into
one, and what a document holds instead of a form, for the message when it has none."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from lxml import etree

from gen.importing.form import Form
from gen.importing.labels import (
    INDICATOR_HEADER,
    REQUIRED_LABELS,
    cell_label,
    inline_refusal,
    label_of,
    preview,
    with_value,
)
from gen.importing.printed import one_line
from gen.importing.tables import (
    Cell,
    Table,
    body_paragraphs,
    body_tables,
    distinct,
    joined_tables,
    printed_lines,
    text_box_lines,
    trailing_paragraphs,
)
from gen.importing.wordfile import WordFileError
from gen.importing.years import TITLE_PERIOD, title_years
from gen.ooxml import BOX_PLACE, page_place, paragraph_text, w
from gen.vocabulary import squash


def read_forms(root: etree._Element, pages: Sequence[etree._Element] = ()) -> list[Form]:
    """Every form in a document (an error if none), each starting at a 项目名称 label.

    `pages`: the document's page headers and footers, whose lines may state the amount unit.
    """
    tables = body_tables(root)
    forms: list[Form] = []
    for number, table in enumerate(tables, 1):
        own = list(_table_forms(table, number))
        if (
            not own
            and forms
            and forms[-1].last_table == number - 1
            and _continues(forms[-1], table)
        ):
            forms[-1] = _joined(forms[-1], table)
        else:
            forms.extend(own)
    if not forms:
        raise WordFileError(_no_form(root, tables), "no-form")
    starting = {form.number for form in forms}
    for form in forms:  # a next table not read as the rest of the form: said if a label is there
        if form.last_table < len(tables) and form.last_table + 1 not in starting:
            form.following = tables[form.last_table]
    below = [(BELOW_PLACE, line) for p in trailing_paragraphs(root) for line in printed_lines(p)]
    printed = [(page_place(page), line) for page in pages for line in printed_lines(page)]
    for form in forms:
        boxes = [(BOX_PLACE, line) for line in text_box_lines(form.elements())]
        between = [(BETWEEN_PLACE, line) for p in form.between for line in printed_lines(p)]
        last = below if form.last_table == len(tables) else []
        form.elsewhere = boxes + between + last + printed
        if last:
            form.below = trailing_paragraphs(root)
    return forms


BELOW_PLACE = "表格下面"
BETWEEN_PLACE = "表格之间"
# A line naming the form or its year (财政项目支出绩效目标表, （2026年度）): a table below one
# starts a form of its own
_FORM_NAME = re.compile(r"目标(申报)?表|申报表")


# A heading naming a part of the form (三、2026年度绩效指标, 二、项目绩效目标): no title, even with a year
_PART_HEADING = re.compile(r"绩效指标|绩效目标|基本信息|基本情况|资金")


def _is_title(text: str) -> bool:
    """Whether a line above a table is the title of a form (its name, or a year not in a
    heading of a part of the form)."""
    folded = squash(text)
    if _FORM_NAME.search(folded):
        return True
    return not _PART_HEADING.search(folded) and bool(title_years(text) or TITLE_PERIOD.search(text))


def _no_form(root: etree._Element, tables: list[Table]) -> str:
    """Say what the document holds instead of a form."""
    if _holds_a_form(list(root.iter(w("txbxContent")))):
        return (
            "没有找到绩效目标表：表格在文本框里，gen 不读文本框里的表格；请在 Word 中剪切文本框里的"
            "表格，粘贴到正文（文本框外面），删去空了的文本框后再导入"
        )
    if not tables:
        lines = [text.strip() for text in body_paragraphs(root)]
        lines = [line for line in lines if line]
        start = f"，开头是“{preview(lines[0])}”" if lines else ""
        return f"没有找到绩效目标表：文件里没有表格（只有 {len(lines)} 段文字{start}）"
    first = [one_line(cell.text) for cell in distinct(tables[0].rows[0])] if tables[0].rows else []
    shown = "、".join(preview(text) for text in first if text)[:40]
    start = f"（第一个表格开头是“{shown}”）" if shown else ""
    nested = [
        cell
        for table in tables
        for row in table.rows
        for cell in row
        if _holds_a_form(cell.elements)
    ]
    if nested:
        return (
            "没有找到绩效目标表：表格在另一个表格的格子里（嵌套的表格），gen 不读这样的表格；"
            "请在 Word 中把它移到格子外面（剪切后粘贴到正文里）再导入"
        )
    inline = _label_with_value(tables)
    if inline is not None:
        number, row, text = inline
        why, fix = inline_refusal("项目名称", text)
        return (
            f"没有找到绩效目标表：第 {number} 个表格第 {row} 行的“{preview(text)}”把标签和填写的内容"
            f"写在同一格里，{why}；请在 Word 中{fix}后再运行"
        )
    return f"没有找到绩效目标表：找到 {len(tables)} 个表格，但没有“项目名称”等标签{start}"


def _label_with_value(tables: list[Table]) -> tuple[int, int, str] | None:
    """(table, row, text), 1-based, of the first cell holding the 项目名称 label and its value
    together (“项目名称：普法”)."""
    for number, table in enumerate(tables, 1):
        for row in table.rows:
            for cell in row:
                if with_value("项目名称", cell.text):
                    return number, cell.row + 1, one_line(cell.text)
    return None


def _holds_a_form(elements: list[etree._Element]) -> bool:
    """Whether a table inside these elements (a cell's w:tc, text boxes) has a 项目名称 label."""
    inner = [table for element in elements for table in element.iter(w("tbl"))]
    return any(
        label_of(paragraph_text(tc)) == "项目名称" for table in inner for tc in table.iter(w("tc"))
    )


def _table_forms(table: Table, number: int) -> Iterator[Form]:
    """The forms of one table: each starts at a row with a 项目名称 label."""
    starts = [r for r, row in enumerate(table.rows) if any(_is(cell, "项目名称") for cell in row)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(table.rows)
        above = range(starts[i - 1] + 1 if i else 0, start)
        titles = ([] if i else table.before) + [_row_text(table, r) for r in above]
        yield Form(table, range(start, end), titles, number, above)


def _is(cell: Cell, key: str) -> bool:
    """Whether a cell is the label `key` (or writes it with its value)."""
    return cell_label(cell.text) == key


def _row_text(table: Table, row: int) -> str:
    """All the text of a row, for finding a title or a year written inside the table."""
    return " ".join(cell.text for cell in distinct(table.rows[row]))


def _continues(form: Form, table: Table) -> bool:
    """Whether `table`, which starts no form, holds the rest of `form` (split by empty
    paragraphs or a heading such as “三、绩效指标”): the form lacks a label the table has,
    and no title of a form (its name, a year) stands between them."""
    if form.missing() is None or any(_is_title(text) for text in table.before):
        return False
    needed = {*REQUIRED_LABELS, "项目性质", "年度绩效目标", *INDICATOR_HEADER} - set(form.labels)
    return any(label_of(cell.text) in needed for row in table.rows for cell in row)


def _joined(form: Form, table: Table) -> Form:
    """`form` with the rows of `table` below its own, as one table (see _continues)."""
    whole = joined_tables(form.table, table)
    return replace(
        form,
        table=whole,
        rows=range(form.rows.start, len(whole.rows)),
        parts=(*form.parts, len(form.table.rows)),
        between=[*form.between, *table.paragraphs],
        _read={},
    )

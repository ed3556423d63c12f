"""What Word does to tracked changes when every one is accepted or rejected, on document.xml,
and a comparable form of a body: its blocks, rows, cells, paragraph and run properties, text.

Accepting: deleted rows and deleted runs go (a table with no row left goes too), inserted rows and runs stay unmarked, and a
paragraph whose mark was deleted joins the paragraph after it (keeping that one's
properties). Rejecting is the same with inserted and deleted swapped (deleted text becomes
text again). A paragraph whose mark goes but that has nothing after it to join (the last of a
cell or of the document, or one before a table) stays if it has content, else it goes unless
it is the last paragraph of its cell or of the document.
"""

from __future__ import annotations

import copy

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def accept_all(root: etree._Element) -> etree._Element:
    """A copy of a document with every tracked change accepted."""
    return _resolve(copy.deepcopy(root), keep="ins", drop="del")


def reject_all(root: etree._Element) -> etree._Element:
    """A copy of a document with every tracked change rejected."""
    return _resolve(copy.deepcopy(root), keep="del", drop="ins")


def _resolve(root: etree._Element, keep: str, drop: str) -> etree._Element:
    for row in list(root.iter(w("tr"))):
        marks = row.find(w("trPr"))
        if marks is not None and marks.find(w(drop)) is not None:
            row.getparent().remove(row)
        elif marks is not None:
            for mark in marks.findall(w(keep)):
                marks.remove(mark)
    for table in list(root.iter(w("tbl"))):
        if table.find(w("tr")) is None:  # every row deleted: the table goes too
            table.getparent().remove(table)
    for wrapper in list(root.iter(w(drop))):
        if wrapper.getparent().tag not in (w("rPr"), w("trPr")):
            wrapper.getparent().remove(wrapper)
    for wrapper in list(root.iter(w(keep))):
        if wrapper.getparent().tag in (w("rPr"), w("trPr")):
            continue
        for child in list(wrapper):
            wrapper.addprevious(child)
        wrapper.getparent().remove(wrapper)
    for text in root.iter(w("delText")):
        text.tag = w("t")
    for paragraph in list(root.iter(w("p"))):
        mark_holder = paragraph.find(f"{w('pPr')}/{w('rPr')}")
        if mark_holder is None:
            continue
        for mark in mark_holder.findall(w(keep)):
            mark_holder.remove(mark)
        gone = mark_holder.find(w(drop))
        if gone is not None:
            mark_holder.remove(gone)
            _join_next(paragraph)
    return root


def _join_next(paragraph: etree._Element) -> None:
    """The paragraph's mark is gone: its content joins the next paragraph."""
    content = [c for c in paragraph if c.tag != w("pPr")]
    following = paragraph.getnext()
    if following is not None and following.tag == w("p"):
        at = 1 if following.find(w("pPr")) is not None else 0
        for child in reversed(content):
            following.insert(at, child)
        paragraph.getparent().remove(paragraph)
        return
    parent = paragraph.getparent()
    last = [p for p in parent if p.tag == w("p")][-1] is paragraph
    if not _text_of(content) and not last:
        parent.remove(paragraph)


def _text_of(elements: list[etree._Element]) -> str:
    return "".join(t.text or "" for e in elements for t in e.iter(w("t")))


# ---------------------------------------------------------------- comparable bodies


def canonical(root: etree._Element) -> list[object]:
    """The body as nested tuples: what a reader sees and what Word stores about it."""
    body = root.find(w("body"))
    return [_block(b) for b in body if b.tag in (w("p"), w("tbl"))]


def _block(block: etree._Element) -> object:
    if block.tag == w("tbl"):
        head = [etree.tostring(c) for c in block if c.tag != w("tr")]
        return ("tbl", head, [_row(r) for r in block.iterchildren(w("tr"))])
    return ("p", _properties(block.find(w("pPr"))), _runs(block))


def _row(row: etree._Element) -> object:
    cells = [
        (_properties(c.find(w("tcPr"))), [_block(b) for b in c if b.tag in (w("p"), w("tbl"))])
        for c in row.iterchildren(w("tc"))
    ]
    return (_properties(row.find(w("trPr"))), cells)


def _properties(element: etree._Element | None) -> bytes:
    """Properties as bytes; empty ones (left by a removed mark) count as none, and a section
    break (w:sectPr) is left out: where the sections end is not a form's content."""
    if element is None:
        return b""
    element = copy.deepcopy(element)
    for child in list(element):
        if (child.tag == w("rPr") and len(child) == 0) or child.tag == w("sectPr"):
            element.remove(child)
    return b"" if len(element) == 0 else etree.tostring(element)


def _runs(paragraph: etree._Element) -> list[tuple[bytes, str]]:
    """(run properties, text) with neighbouring runs of equal properties joined, empty dropped."""
    runs: list[tuple[bytes, str]] = []
    for run in paragraph.iter(w("r")):
        style = _properties(run.find(w("rPr")))
        text = "".join(
            (t.text or "")
            if t.tag == w("t")
            else "\n"
            if t.tag == w("br")
            else "\t"
            if t.tag == w("tab")
            else etree.tostring(t).decode()
            for t in run
            if t.tag != w("rPr")
        )
        if not text:
            continue
        if runs and runs[-1][0] == style:
            runs[-1] = (style, runs[-1][1] + text)
        else:
            runs.append((style, text))
    return runs


def merge_problems(root: etree._Element) -> list[str]:
    """Vertical merges that Word would not understand: a merged cell continuing nothing."""
    problems = []
    for table_number, table in enumerate(root.iter(w("tbl"))):
        above: dict[int, bool] = {}  # grid column → the cell above takes part in a merge
        for row_number, row in enumerate(table.iterchildren(w("tr"))):
            column = 0
            for cell in row.iterchildren(w("tc")):
                span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
                width = 1 if span is None else int(span.get(w("val")))
                merge = cell.find(f"{w('tcPr')}/{w('vMerge')}")
                value = None if merge is None else merge.get(w("val"), "continue")
                if value == "continue" and not above.get(column):
                    problems.append(f"table {table_number} row {row_number} column {column}")
                above[column] = value is not None
                column += width
    return problems


def merged_grid(data: bytes, table: int) -> list[list[tuple[str, int, str | None]]]:
    """A table of a .docx as (text, grid span, vMerge) per cell, a "merged" cell of one row
    counted as not merged (LibreOffice saves it so)."""
    from docx_grid import docx_grid

    rows = [[list(cell) for cell in row] for row in docx_grid(data, table)]
    for number, row in enumerate(rows):
        below: dict[int, str | None] = {}
        column = 0
        for cell in rows[number + 1] if number + 1 < len(rows) else []:
            below[column] = cell[2]
            column += cell[1]
        column = 0
        for cell in row:
            if cell[2] == "restart" and below.get(column) != "continue":
                cell[2] = None
            column += cell[1]
    return [[(text, span, merge) for text, span, merge in row] for row in rows]

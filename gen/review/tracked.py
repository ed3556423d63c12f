"""Word revision marks: one document body holding an old and a new version of a form as
tracked changes (w:ins / w:del runs, inserted and deleted table rows, paragraph marks).

Accepting every change gives the new body exactly and rejecting every change the old one:
every element of the result is either a copy of the new version's (kept), a copy of the old
version's marked deleted, or a copy of the new version's marked inserted. Where a change
cannot be written that way (a cell's row whose merge flags changed, a paragraph whose
properties changed) the smallest enclosing row is deleted and inserted again instead, and so
is a stretch of rows whose merged cells would come out wrong (gen.review.merges); a body that
cannot be paired at all raises Unexpressible for the caller to replace the form whole.

Rows are matched by a key the caller supplies (the row's labels and, for an indicator row,
its 一级 / 二级 / 三级 names), paragraphs in a cell by their text, runs by their words.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from lxml import etree

from gen.review.merges import DELETED, INSERTED, KEPT, RowChange, merge_flags, settled
from gen.review.words import changed_parts, words

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "gen"
DATE = "2000-01-01T00:00:00Z"  # fixed, so the same versions always give the same file
# The only children a run keeps in a diffed paragraph besides its properties and text.
_RUN_ITEMS = ("br", "tab", "cr", "noBreakHyphen", "softHyphen", "sym")
# Children of w:pPr and w:trPr that the schema puts after the revision marks' places.
_AFTER_PARAGRAPH_MARK = ("sectPr", "pPrChange")
_AFTER_ROW_MARK = ("trPrChange",)


def w(tag: str) -> str:
    """The Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


class Unexpressible(Exception):
    """This pair of elements cannot be written as changes inside it: replace it whole."""


class Marks:
    """Makes revision marks (author gen, a fixed date) numbered from `first` as they are made."""

    def __init__(self, first: int = 1) -> None:
        self.next_id = first

    def new(self, kind: str) -> etree._Element:
        """An empty <w:ins> or <w:del> with the next id."""
        mark = etree.Element(w(kind))
        mark.set(w("id"), str(self.next_id))
        mark.set(w("author"), AUTHOR)
        mark.set(w("date"), DATE)
        self.next_id += 1
        return mark


# ---------------------------------------------------------------- whole elements


def whole(block: etree._Element, kind: str, marks: Marks) -> etree._Element:
    """A copy of a paragraph or table with all of it marked inserted or deleted."""
    block = copy.deepcopy(block)
    if block.tag == w("p"):
        _mark_content(block, kind, marks)
        _mark_paragraph(block, kind, marks)
    elif block.tag == w("tbl"):
        for row in block.iterchildren(w("tr")):
            _mark_row(row, kind, marks)
    return block


def _mark_row(row: etree._Element, kind: str, marks: Marks) -> None:
    """Mark a row (in place) inserted or deleted, and everything in its cells."""
    properties = row.find(w("trPr"))
    if properties is None:
        properties = etree.Element(w("trPr"))
        exceptions = row.find(w("tblPrEx"))
        row.insert(0 if exceptions is None else row.index(exceptions) + 1, properties)
    _insert_before(properties, marks.new(kind), _AFTER_ROW_MARK)
    for cell in row.iterchildren(w("tc")):
        blocks = [b for b in cell if b.tag in (w("p"), w("tbl"))]
        for block in blocks:
            if block.tag == w("tbl"):
                for inner in block.iterchildren(w("tr")):
                    _mark_row(inner, kind, marks)
                continue
            _mark_content(block, kind, marks)
            if block is not blocks[-1]:  # a cell's last paragraph mark goes with the row
                _mark_paragraph(block, kind, marks)


def _mark_content(paragraph: etree._Element, kind: str, marks: Marks) -> None:
    """Wrap each stretch of runs with content (in place) in one w:ins or w:del."""
    for stretch in _run_stretches(paragraph):
        wrapper = marks.new(kind)
        stretch[0].addprevious(wrapper)
        for run in stretch:
            wrapper.append(run)
            if kind == DELETED:
                _as_deleted_text(run)


def _run_stretches(paragraph: etree._Element) -> Iterator[list[etree._Element]]:
    """Consecutive runs of a paragraph (direct children) that have something to show."""
    stretch: list[etree._Element] = []
    for child in list(paragraph):
        if child.tag == w("r") and _shows_something(child):
            stretch.append(child)
            continue
        if stretch:
            yield stretch
        stretch = []
    if stretch:
        yield stretch


def _shows_something(run: etree._Element) -> bool:
    """Whether a run has any content besides its properties and empty text."""
    return any(
        child.tag != w("rPr") and not (child.tag == w("t") and not child.text) for child in run
    )


def _as_deleted_text(run: etree._Element) -> None:
    """Deleted text is w:delText (and a deleted field code w:delInstrText)."""
    for child in run:
        if child.tag == w("t"):
            child.tag = w("delText")
        elif child.tag == w("instrText"):
            child.tag = w("delInstrText")


def _mark_paragraph(paragraph: etree._Element, kind: str, marks: Marks) -> None:
    """Mark a paragraph's mark (its pilcrow) inserted or deleted."""
    properties = paragraph.find(w("pPr"))
    if properties is None:
        properties = etree.Element(w("pPr"))
        paragraph.insert(0, properties)
    run_properties = properties.find(w("rPr"))
    if run_properties is None:
        run_properties = etree.Element(w("rPr"))
        _insert_before(properties, run_properties, _AFTER_PARAGRAPH_MARK)
    run_properties.insert(0, marks.new(kind))


def _insert_before(parent: etree._Element, child: etree._Element, later: Sequence[str]) -> None:
    """Append `child`, but before the first child whose tag is one of `later`."""
    for existing in parent:
        if etree.QName(existing).localname in later:
            existing.addprevious(child)
            return
    parent.append(child)


# ---------------------------------------------------------------- bodies


def changed_body(
    old: Sequence[etree._Element],
    new: Sequence[etree._Element],
    row_keys: tuple[Sequence[Sequence[Hashable]], Sequence[Sequence[Hashable]]],
    marks: Marks,
) -> list[etree._Element]:
    """The blocks of a form's body (paragraphs and tables, paired in order: the same template
    makes the same ones) with the old version as changes; `row_keys` name the rows of each
    table, in table order. Unexpressible when the two bodies cannot be paired."""
    if [b.tag for b in old] != [b.tag for b in new]:
        raise Unexpressible
    start = marks.next_id
    try:
        tables = iter(zip(*row_keys, strict=True))
        return [_changed_block(a, b, tables, marks) for a, b in zip(old, new, strict=True)]
    except Unexpressible:
        marks.next_id = start
        raise


def _changed_block(
    old: etree._Element,
    new: etree._Element,
    tables: Iterator[tuple[Sequence[Hashable], Sequence[Hashable]]],
    marks: Marks,
) -> etree._Element:
    """One paragraph or table of the body, old against new."""
    if old.tag == w("tbl"):
        return changed_table(old, new, *next(tables), marks)
    return changed_paragraph(old, new, marks)


def changed_table(
    old: etree._Element,
    new: etree._Element,
    old_keys: Sequence[Hashable],
    new_keys: Sequence[Hashable],
    marks: Marks,
) -> etree._Element:
    """A table whose rows are matched by key: kept rows hold their cells' changes, others are
    inserted or deleted rows."""
    old_rows, new_rows = old.findall(w("tr")), new.findall(w("tr"))
    if _without(old, w("tr")) != _without(new, w("tr")):
        raise Unexpressible  # another grid or other table properties
    table = copy.deepcopy(new)
    for row in table.findall(w("tr")):
        table.remove(row)
    rows: list[RowChange] = []
    matcher = difflib.SequenceMatcher(None, list(old_keys), list(new_keys), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for a, b in zip(old_rows[i1:i2], new_rows[j1:j2], strict=True):
                kept = kept_row(a, b, marks)
                rows += [RowChange(KEPT, a, b, kept)] if kept is not None else _replaced(a, b)
            continue
        rows += replaced_rows(old_rows[i1:i2], new_rows[j1:j2])
    for row in settled(rows):
        if row.state == KEPT and row.element is not None:
            table.append(row.element)
        elif row.state == DELETED and row.old is not None:
            table.append(_whole_row(row.old, DELETED, marks))
        elif row.new is not None:
            table.append(_whole_row(row.new, INSERTED, marks))
    return table


def replaced_rows(
    olds: Sequence[etree._Element], news: Sequence[etree._Element]
) -> list[RowChange]:
    """Rows deleted and inserted in one place: first the rows of either version that continue
    every merged cell of the row above (they belong to the group above the change), then the
    other old rows deleted, then the other new rows inserted.

    An indicator added at the end of a group and another one replaced in the next group would
    otherwise come out as the next group's old row deleted with the added row after it: a
    program that reads merges as spans puts the added row into the deleted row's group, and
    the whole stretch has to be shown deleted and inserted again.
    """
    old_lead, new_lead = _continuing(olds), _continuing(news)
    return [
        *(RowChange(DELETED, row, None) for row in olds[:old_lead]),
        *(RowChange(INSERTED, None, row) for row in news[:new_lead]),
        *(RowChange(DELETED, row, None) for row in olds[old_lead:]),
        *(RowChange(INSERTED, None, row) for row in news[new_lead:]),
    ]


def _continuing(rows: Sequence[etree._Element]) -> int:
    """How many rows at the start continue every vertically merged cell of the row above."""
    count = 0
    for row in rows:
        flags = merge_flags(row)
        if not flags or any(flag != "continue" for flag in flags.values()):
            break
        count += 1
    return count


def _replaced(old: etree._Element, new: etree._Element) -> list[RowChange]:
    """A row shown as the old one deleted and the new one inserted."""
    return [RowChange(DELETED, old, None), RowChange(INSERTED, None, new)]


def _without(element: etree._Element, tag: str) -> bytes:
    """An element serialised without its children of one kind."""
    bare = copy.copy(element)
    for child in bare.findall(tag):
        bare.remove(child)
    return etree.tostring(bare)


def _whole_row(row: etree._Element, kind: str, marks: Marks) -> etree._Element:
    """A copy of a row, inserted or deleted."""
    row = copy.deepcopy(row)
    _mark_row(row, kind, marks)
    return row


def kept_row(old: etree._Element, new: etree._Element, marks: Marks) -> etree._Element | None:
    """The new row holding its cells' changes; None when its structure or merge flags changed
    (it is then shown deleted and inserted again, so that accepting or rejecting keeps every
    merge valid)."""
    if _same(old, new):
        return copy.deepcopy(new)
    start = marks.next_id
    try:
        if _without(old, w("tc")) != _without(new, w("tc")):
            raise Unexpressible
        old_cells, new_cells = old.findall(w("tc")), new.findall(w("tc"))
        if len(old_cells) != len(new_cells):
            raise Unexpressible
        row = copy.deepcopy(new)
        for a, b, cell in zip(old_cells, new_cells, row.findall(w("tc")), strict=True):
            _change_cell(a, b, cell, marks)
        return row
    except Unexpressible:
        marks.next_id = start
        return None


def _change_cell(
    old: etree._Element, new: etree._Element, cell: etree._Element, marks: Marks
) -> None:
    """Fill `cell` (a copy of the new cell) with its paragraphs as changes from the old cell."""
    if _same(old, new):
        return
    old_props, new_props = old.find(w("tcPr")), new.find(w("tcPr"))
    if not _same(old_props, new_props):
        raise Unexpressible  # a merge flag or width changed: the row goes whole
    for child in [c for c in cell if c.tag != w("tcPr")]:
        cell.remove(child)
    old_blocks = [c for c in old if c.tag != w("tcPr")]
    new_blocks = [c for c in new if c.tag != w("tcPr")]
    cell.extend(changed_blocks(old_blocks, new_blocks, marks))


def _same(old: etree._Element | None, new: etree._Element | None) -> bool:
    """Whether two elements (or two absences) serialise the same."""
    if old is None or new is None:
        return old is new
    return etree.tostring(old) == etree.tostring(new)


# ---------------------------------------------------------------- paragraphs in a cell


@dataclass
class _Item:
    """One block of a cell's result: kept (holding its own changes), deleted or inserted."""

    element: etree._Element
    state: str  # KEPT, DELETED or INSERTED
    properties: bytes  # the paragraph's w:pPr, to check that merging marks keeps it


def changed_blocks(
    old: Sequence[etree._Element], new: Sequence[etree._Element], marks: Marks
) -> list[etree._Element]:
    """A cell's paragraphs, matched by text: kept ones hold their changes, the others are
    inserted or deleted paragraphs.

    A whole paragraph inserted or deleted is its content and the paragraph mark before it:
    when it is the cell's last paragraph (whose mark goes with the cell), the mark of the
    last kept paragraph before it carries the change instead.
    """
    keys = [_block_key(b) for b in old], [_block_key(b) for b in new]
    items: list[_Item] = []
    matcher = difflib.SequenceMatcher(None, keys[0], keys[1], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        gone, came = list(old[i1:i2]), list(new[j1:j2])
        if tag == "equal":
            items += [_kept(a, b, marks) for a, b in zip(gone, came, strict=True)]
            continue
        while gone and came and gone[0].tag == came[0].tag == w("p"):
            items.append(_kept(gone.pop(0), came.pop(0), marks))
        if gone and came:
            raise Unexpressible  # a table against a paragraph, or two tables that differ
        items += [_Item(copy.deepcopy(b), DELETED, _properties(b)) for b in gone]
        items += [_Item(copy.deepcopy(b), INSERTED, _properties(b)) for b in came]
    _place_marks(items, marks)
    return [item.element for item in items]


def _block_key(block: etree._Element) -> Hashable:
    """What matches a block of a cell: a paragraph's text, a table's whole content."""
    if block.tag == w("p"):
        return ("p", paragraph_text(block))
    return (block.tag, etree.tostring(block))


def _kept(old: etree._Element, new: etree._Element, marks: Marks) -> _Item:
    """A block in both versions: a paragraph holding its changes, or an unchanged table."""
    if new.tag != w("p"):
        return _Item(copy.deepcopy(new), KEPT, _properties(new))
    return _Item(changed_paragraph(old, new, marks), KEPT, _properties(new))


def _properties(block: etree._Element) -> bytes:
    """A paragraph's properties as bytes (b"" without any; a table's own bytes)."""
    if block.tag != w("p"):
        return etree.tostring(block)
    found = block.find(w("pPr"))
    return b"" if found is None else etree.tostring(found)


def _place_marks(items: list[_Item], marks: Marks) -> None:
    """Mark the content of inserted and deleted paragraphs, and the right paragraph marks."""
    tail = len(items)
    while tail > 0 and items[tail - 1].state != KEPT:
        tail -= 1
    moved: _Item | None = None
    if tail < len(items):
        states = {item.state for item in items[tail:]}
        if tail == 0 or len(states) > 1 or items[-1].element.tag != w("p"):
            raise Unexpressible
        moved = items[tail - 1]
        if moved.element.tag != w("p") or moved.properties != items[-1].properties:
            raise Unexpressible  # merging the marks would change the paragraph's look
    for index, item in enumerate(items):
        if item.state == KEPT:
            if item is moved:
                _mark_paragraph(item.element, items[-1].state, marks)
            continue
        if item.element.tag == w("tbl"):
            for row in item.element.iterchildren(w("tr")):
                _mark_row(row, item.state, marks)
            continue
        _mark_content(item.element, item.state, marks)
        if index != len(items) - 1:
            _mark_paragraph(item.element, item.state, marks)


# ---------------------------------------------------------------- runs in a paragraph

Token = tuple[bytes, str, str]  # (run properties, "t" or another run child's name, text or XML)


def changed_paragraph(old: etree._Element, new: etree._Element, marks: Marks) -> etree._Element:
    """The new paragraph with the old one's words shown deleted and its own shown inserted."""
    if _same(old, new):
        return copy.deepcopy(new)
    if _properties(old) != _properties(new):
        raise Unexpressible
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    paragraph = copy.deepcopy(new)
    for child in [c for c in paragraph if c.tag != w("pPr")]:
        paragraph.remove(child)
    codes = changed_parts(old_tokens, new_tokens, _token_size)
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal":
            paragraph.extend(_runs(new_tokens[j1:j2], None))
            continue
        for kind, tokens in ((DELETED, old_tokens[i1:i2]), (INSERTED, new_tokens[j1:j2])):
            if tokens:
                wrapper = marks.new(kind)
                wrapper.extend(_runs(tokens, kind))
                paragraph.append(wrapper)
    return paragraph


def _tokens(paragraph: etree._Element) -> list[Token]:
    """A paragraph's runs as words (text) and single items (breaks, tabs), each with its
    run's properties; anything else in the paragraph cannot be diffed word by word."""
    tokens: list[Token] = []
    for child in paragraph:
        if child.tag == w("pPr"):
            continue
        if child.tag != w("r"):
            raise Unexpressible  # a field, a hyperlink, a bookmark: the paragraph goes whole
        properties = child.find(w("rPr"))
        style = b"" if properties is None else etree.tostring(properties)
        for item in child:
            name = etree.QName(item).localname
            if item.tag == w("t"):
                tokens += [(style, "t", word) for word in words(item.text or "")]
            elif name in _RUN_ITEMS:
                tokens.append((style, name, etree.tostring(item).decode()))
            elif item.tag != w("rPr"):
                raise Unexpressible
    return tokens


def _token_size(token: Token) -> int:
    """How much a token weighs when deciding what reads as one change: its characters."""
    return len(token[2]) if token[1] == "t" else 1


def _runs(tokens: Sequence[Token], kind: str | None) -> list[etree._Element]:
    """Runs for consecutive tokens, one per stretch of equal properties; deleted text is
    w:delText."""
    runs: list[etree._Element] = []
    text_tag = w("delText") if kind == DELETED else w("t")
    for style, group in _grouped(tokens, lambda token: token[0]):
        run = etree.Element(w("r"))
        if style:
            run.append(_element(style))
        text: list[str] = []
        for _, name, payload in [*group, (b"", "", "")]:
            if name == "t":
                text.append(payload)
                continue
            if text:
                element = etree.SubElement(run, text_tag)
                element.text = "".join(text)
                element.set(XML_SPACE, "preserve")
                text = []
            if name:
                run.append(_element(payload.encode()))
        runs.append(run)
    return runs


def _grouped(
    tokens: Sequence[Token], key: Callable[[Token], bytes]
) -> Iterator[tuple[bytes, list[Token]]]:
    """Consecutive tokens with the same key."""
    group: list[Token] = []
    for token in tokens:
        if group and key(group[-1]) != key(token):
            yield key(group[0]), group
            group = []
        group.append(token)
    if group:
        yield key(group[0]), group


def _element(xml: bytes) -> etree._Element:
    """A new element from its serialised form."""
    return copy.deepcopy(_parsed(xml))


@cache
def _parsed(xml: bytes) -> etree._Element:
    """An element parsed once from its serialised form; never handed out itself."""
    return etree.fromstring(xml)


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a paragraph's w:t elements (deleted text left out)."""
    return "".join(t.text or "" for t in paragraph.iter(w("t")))

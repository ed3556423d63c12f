"""A Word document body as tables of cells: grid columns, merges resolved, text with checkbox marks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from lxml import etree

from gen.ooxml import FALLBACK, printed_paragraphs, w, w14
from gen.vocabulary import EMPTY, TICKED

# Word symbol fonts: the character codes of boxes and marks (w:sym or a run in that font), as the
# Unicode mark each draws: printed.labelled_boxes reads a ticked, crossed or empty box from it.
SYMBOL_BOXES: dict[str, dict[int, str]] = {
    "wingdings": {
        0xFE: TICKED,  # ☑
        0xFD: "☒",
        0x78: "⌧",
        0xFC: "✓",
        0xFB: "✗",
        0x6E: "■",
        0x6C: "●",
        0xA4: "◉",
        0xA8: EMPTY,  # ◻, the empty box Word offers beside ☑
        0x6F: "□",
        0x70: "□",  # bold
        0x71: "❑",
        0x72: "❒",
        0xA1: "○",
    },
    "wingdings 2": {
        0x52: TICKED,  # ☑ (F052)
        0x51: "☒",  # with a script x
        0x53: "☒",  # with a light x
        0x54: "☒",
        0x50: "✓",
        0x4F: "✗",
        0xA1: "■",  # medium small
        0xA2: "■",
        0xA8: "▣",
        0x98: "●",
        0x9E: "◉",
        0x9D: "⊙",
        0xA3: EMPTY,  # □ (F0A3)
        0x2A: "□",
        0x99: "○",
    },
}


@dataclass(eq=False)
class Cell:
    """One table cell; a vertically merged cell is one Cell covering several rows."""

    row: int  # first row (0-based, within its table)
    col: int  # first grid column
    span: int  # grid columns covered
    text: str  # paragraphs joined with "\n", checkboxes as ☑ / ☐
    rows: list[int] = field(default_factory=list)  # every row it covers
    elements: list[etree._Element] = field(default_factory=list)  # its w:tc in each row

    @property
    def end(self) -> int:
        """The grid column just right of the cell."""
        return self.col + self.span

    def covers(self, col: int) -> bool:
        return self.col <= col < self.end


@dataclass
class Table:
    """A table as rows of cells; a merged cell appears in each row it covers (the same object)."""

    rows: list[list[Cell]]
    before: list[str]  # the body paragraphs between the previous table and this one
    element: etree._Element | None = None  # the w:tbl
    paragraphs: list[etree._Element] = field(default_factory=list)  # the w:p of `before`
    row_elements: list[etree._Element] = field(default_factory=list)  # the w:tr of `rows`

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering grid column `col` in `row`."""
        return next((cell for cell in self.rows[row] if cell.covers(col)), None)


def distinct(cells: list[Cell]) -> list[Cell]:
    """Cells without repeats (a merged cell appears in every row it covers)."""
    return list({id(cell): cell for cell in cells}.values())


def first_written(cells: list[Cell]) -> Cell | None:
    """The first cell with text."""
    return next((cell for cell in cells if cell.text.strip()), None)


def body_tables(root: etree._Element) -> list[Table]:
    """Every top-level table of a document, with the paragraphs written before it."""
    tables: list[Table] = []
    paragraphs: list[etree._Element] = []
    body = root.find(w("body"))
    for node in _blocks(body if body is not None else root):
        if node.tag == w("tbl"):
            rows = list(_children(node, "tr"))
            texts = [paragraph_text(p) for p in paragraphs]
            tables.append(Table(_rows(rows), texts, node, paragraphs, rows))
            paragraphs = []
        else:
            paragraphs.append(node)
    return tables


def joined_tables(first: Table, second: Table) -> Table:
    """Two tables as one, the rows of `second` below those of `first` (a form that paragraphs
    split into two tables): each cell keeps its w:tc, its rows counted on from the first's."""
    offset = len(first.rows)
    moved: dict[int, Cell] = {}
    rows = [
        [
            moved.setdefault(
                id(cell), replace(cell, row=cell.row + offset, rows=[r + offset for r in cell.rows])
            )
            for cell in row
        ]
        for row in second.rows
    ]
    return replace(
        first, rows=[*first.rows, *rows], row_elements=[*first.row_elements, *second.row_elements]
    )


def body_paragraphs(root: etree._Element) -> list[str]:
    """The text of the body paragraphs outside tables."""
    return [paragraph_text(p) for p in _blocks(root) if p.tag == w("p")]


def trailing_paragraphs(root: etree._Element) -> list[etree._Element]:
    """The body paragraphs after the last table (all of them when there is no table)."""
    body = root.find(w("body"))
    paragraphs: list[etree._Element] = []
    for node in _blocks(body if body is not None else root):
        paragraphs = [] if node.tag == w("tbl") else [*paragraphs, node]
    return paragraphs


def printed_lines(element: etree._Element) -> list[str]:
    """The text of every paragraph below `element` (itself included), in tables and text boxes
    too; a text box that Word stores twice (mc:Choice and its mc:Fallback) is read once."""
    return [paragraph_text(p) for p in printed_paragraphs(element)]


def text_box_lines(elements: list[etree._Element]) -> list[str]:
    """The text of the paragraphs in the text boxes below these elements, each box read once."""
    return [
        paragraph_text(p)
        for element in elements
        for box in element.iter(w("txbxContent"))
        if next(box.iterancestors(FALLBACK), None) is None
        for p in box.iter(w("p"))
        if next(p.iterancestors(w("txbxContent")), None) is box
    ]


def _blocks(parent: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables in document order, looking inside content controls."""
    for child in parent:
        if child.tag in (w("p"), w("tbl")):
            yield child
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml"), w("body")):
            yield from _blocks(child)


def _rows(table_rows: list[etree._Element]) -> list[list[Cell]]:
    """The rows of a table with grid columns assigned and vertical merges joined."""
    rows: list[list[Cell]] = []
    for number, row in enumerate(table_rows):
        cells: list[Cell] = []
        for tc, col, span in cell_positions(row):
            cell = _placed(tc, number, col, span, rows[-1] if rows else [], cells)
            if cell is not None:
                cells.append(cell)
        rows.append(cells)
    return rows


def cell_positions(row: etree._Element) -> list[tuple[etree._Element, int, int]]:
    """(w:tc, first grid column, grid columns spanned) of each cell of a w:tr."""
    col = _int_val(row.find(f"{w('trPr')}/{w('gridBefore')}"), 0)
    positions = []
    for tc in _children(row, "tc"):
        span = _int_val(tc.find(f"{w('tcPr')}/{w('gridSpan')}"), 1)
        positions.append((tc, col, span))
        col += span
    return positions


def _placed(
    tc: etree._Element, row: int, col: int, span: int, above: list[Cell], left: list[Cell]
) -> Cell | None:
    """A new cell, or the merged cell above / to the left that this w:tc continues.

    A merged cell whose first row is blank takes the text written in a later row of it
    (some programs keep it there, where it shows in the middle of the merged cell).
    """
    props = tc.find(w("tcPr"))
    vmerge = props.find(w("vMerge")) if props is not None else None
    if vmerge is not None and vmerge.get(w("val"), "continue") == "continue":
        upper = next((cell for cell in above if cell.covers(col)), None)
        if upper is not None:
            upper.rows.append(row)
            upper.elements.append(tc)
            if not upper.text.strip():
                upper.text = cell_text(tc)
            return upper
    hmerge = props.find(w("hMerge")) if props is not None else None
    if hmerge is not None and hmerge.get(w("val"), "continue") == "continue" and left:
        left[-1].span += span  # legacy horizontal merge: widen the cell on the left
        left[-1].elements.append(tc)
        return None
    return Cell(row, col, span, cell_text(tc), [row], [tc])


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with a w: tag, also those wrapped in content controls or custom XML."""
    for child in parent:
        if child.tag == w(tag):
            yield child
        elif child.tag in (w("sdt"), w("sdtContent"), w("customXml")):
            yield from _children(child, tag)


def _int_val(node: etree._Element | None, default: int) -> int:
    """The integer w:val of an element, or a default."""
    try:
        return max(int(node.get(w("val"), default)), 0) if node is not None else default
    except ValueError:
        return default


def cell_text(tc: etree._Element) -> str:
    """A cell's paragraphs joined with line breaks. A cell whose own paragraphs are blank prints
    what a table nested in it or a text box in it holds (a value typed there): that text is its
    own, one line a paragraph."""
    own = "\n".join(paragraph_text(p) for p in cell_paragraphs(tc))
    if own.strip():
        return own
    inner = [text for p in printed_paragraphs(tc) if (text := paragraph_text(p)).strip()]
    return "\n".join(inner) if inner else own


def cell_paragraphs(tc: etree._Element) -> list[etree._Element]:
    """A cell's own paragraphs (also inside content controls; not those of nested tables)."""
    return [p for p in _blocks(tc) if p.tag == w("p")]


@dataclass(frozen=True)
class Piece:
    """A piece of a paragraph's text and the element it comes from (w:t, w:sym, w:sdt…)."""

    text: str
    node: etree._Element
    font: str | None = None  # the symbol font of a w:t typed in Wingdings


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a paragraph: runs, breaks, tabs, symbol characters and checkbox marks."""
    return "".join(piece.text for piece in paragraph_pieces(paragraph))


def paragraph_pieces(paragraph: etree._Element) -> list[Piece]:
    """The pieces of a paragraph's text in document order; hidden text (w:vanish) is left out.

    Text hidden by its character or paragraph style is left out only inside `reading(styles)`
    of its document, as `gen import` and `gen template` read a form; outside it, only text
    hidden by the run's own properties is.
    """
    pieces: list[Piece] = []
    styles = _styles()
    _inline(paragraph, pieces, None, styles.hidden(paragraph_style(paragraph, styles)))
    return pieces


def _inline(
    node: etree._Element, pieces: list[Piece], font: str | None, hidden: bool | None
) -> None:
    """Append the text below `node` in document order; `hidden`: whether the paragraph's style
    hides the runs that say nothing themselves."""
    for child in node:
        tag = child.tag
        if tag == w("r"):
            if not _run_hidden(child, hidden):
                _inline(child, pieces, run_symbol_font(child), hidden)
        elif tag == w("t"):
            pieces.append(Piece(_symbol_text(child.text or "", font), child, font))
        elif tag in (w("br"), w("cr")):
            pieces.append(Piece("\n", child))
        elif tag in (w("tab"), w("ptab")):
            pieces.append(Piece("\t", child))
        elif tag == w("noBreakHyphen"):
            pieces.append(Piece("-", child))
        elif tag == w("sym"):
            pieces.append(Piece(symbol_glyph(child), child))
        elif tag == w("fldChar"):
            pieces.append(Piece(_form_field_box(child), child))
        elif tag == w("sdt") and checkbox_state(child) is not None:
            pieces.append(Piece(TICKED if checkbox_state(child) else EMPTY, child))
        elif tag in (
            w("del"),
            w("moveFrom"),
            w("rPr"),
            w("pPr"),
            w("sdtPr"),
            FALLBACK,
        ):
            continue  # deleted text, properties, and the duplicate fallback of a drawing
        elif tag in (w("tbl"), w("txbxContent")):
            continue
        else:
            _inline(child, pieces, font, hidden)


# ---------------------------------------------------------------- hidden text


@dataclass(frozen=True)
class Styles:
    """What a document's styles say about hidden text (w:vanish): the styles that hide their text
    or show it (through the styles they are based on), and the default paragraph style."""

    vanish: dict[str, bool] = field(default_factory=dict)
    default_paragraph: str | None = None

    def hidden(self, style: str | None) -> bool | None:
        """Whether a style hides its text; None when it does not say."""
        return self.vanish.get(style) if style is not None else None


_STYLES: ContextVar[Styles | None] = ContextVar("styles", default=None)  # of the document read
_NO_STYLES = Styles()


def _styles() -> Styles:
    """The styles of the document being read (none outside `reading`)."""
    return _STYLES.get() or _NO_STYLES


@contextlib.contextmanager
def reading(styles: Styles) -> Iterator[None]:
    """Read the text of a document with its styles (a run hidden by its style is left out)."""
    token = _STYLES.set(styles)
    try:
        yield
    finally:
        _STYLES.reset(token)


def document_styles(root: etree._Element | None) -> Styles:
    """The hidden-text facts of a styles part (None: a document without one)."""
    if root is None:
        return Styles()
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    default = None
    for style in root.iter(w("style")):
        name = style.get(w("styleId"))
        if name is None:
            continue
        own[name] = vanish(style.find(w("rPr")))
        parent = style.find(w("basedOn"))
        if parent is not None and parent.get(w("val")):
            based[name] = parent.get(w("val"), "")
        if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true", "on"):
            default = name
    resolved: dict[str, bool] = {}
    for name in own:
        seen, current = set(), name
        while current in own and current not in seen and own[current] is None:
            seen.add(current)
            current = based.get(current, "")
        value = own.get(current)
        if value is not None:
            resolved[name] = value
    return Styles(resolved, default)


def vanish(props: etree._Element | None) -> bool | None:
    """Whether run properties hide the text (w:vanish), show it (w:vanish w:val="0"), or say nothing."""
    node = props.find(w("vanish")) if props is not None else None
    if node is None:
        return None
    return node.get(w("val"), "true") not in ("0", "false", "off")


def paragraph_style(paragraph: etree._Element, styles: Styles) -> str | None:
    """The style of a paragraph: its w:pStyle, else the document's default paragraph style."""
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else styles.default_paragraph


def _run_hidden(run: etree._Element, paragraph_hidden: bool | None) -> bool:
    """Whether a run is hidden: by its own w:vanish, else its character style's, else the
    paragraph style's (the order Word applies them in)."""
    props = run.find(w("rPr"))
    direct = vanish(props)
    if direct is not None:
        return direct
    style = props.find(w("rStyle")) if props is not None else None
    by_style = _styles().hidden(style.get(w("val")) if style is not None else None)
    if by_style is not None:
        return by_style
    return bool(paragraph_hidden)


def run_symbol_font(run: etree._Element) -> str | None:
    """The symbol font (Wingdings, Wingdings 2) a run is set in, if any."""
    fonts = run.find(f"{w('rPr')}/{w('rFonts')}")
    if fonts is None:
        return None
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        name = (fonts.get(w(slot)) or "").strip().lower()
        if name in SYMBOL_BOXES:
            return name
    return None


def _symbol_text(text: str, font: str | None) -> str:
    """Text typed in a symbol font: its box characters become ☑ / ☐."""
    if font is None:
        return text
    boxes = SYMBOL_BOXES[font]
    return "".join(boxes.get(ord(ch) & 0xFF, ch) if _symbol_code(ord(ch)) else ch for ch in text)


def _symbol_code(code: int) -> bool:
    """Whether a code point addresses a symbol font's table (0x00–0xFF or the F0xx private range)."""
    return code < 0x100 or 0xF000 <= code <= 0xF0FF


def symbol_glyph(sym: etree._Element) -> str:
    """A w:sym character: a box mark when the font draws one, else the character itself."""
    font = (sym.get(w("font")) or "").strip().lower()
    try:
        code = int(sym.get(w("char"), ""), 16)
    except ValueError:
        return ""
    mark = SYMBOL_BOXES.get(font, {}).get(code & 0xFF) if _symbol_code(code) else None
    return mark or (chr(code) if _is_text_char(code) else "")


def _is_text_char(code: int) -> bool:
    """Whether a code point is a printable character (a w:sym may name a surrogate or a control)."""
    if code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return False
    return not 0xF000 <= code <= 0xF0FF and code & 0xFFFE != 0xFFFE


def checkbox_state(sdt: etree._Element) -> bool | None:
    """A checkbox content control's state (w14:checkbox), or None for any other control."""
    box = sdt.find(f"{w('sdtPr')}/{w14('checkbox')}")
    if box is None:
        return None
    checked = box.find(w14("checked"))
    return checked is not None and checked.get(w14("val"), "1") in ("1", "true", "on")


def _form_field_box(fld: etree._Element) -> str:
    """A legacy checkbox form field (FORMCHECKBOX) at its field start; other fields add nothing."""
    box = fld.find(f"{w('ffData')}/{w('checkBox')}")
    if box is None:
        return ""
    state = box.find(w("checked"))
    if state is None:
        state = box.find(w("default"))
        ticked = state is not None and state.get(w("val"), "0") in ("1", "true", "on")
    else:
        ticked = state.get(w("val"), "1") in ("1", "true", "on")
    return TICKED if ticked else EMPTY

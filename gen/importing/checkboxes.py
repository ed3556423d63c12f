"""Checkbox cells of a form made into template tags: each box ticks when the project's choice is its own.

A form prints its boxes one of several ways, and the template keeps that way: Unicode ☐/☑ in the
form's font, a Wingdings or Wingdings 2 symbol (`w:sym`, or a character typed in that font), a
checkbox content control (`w14:checkbox`) or an old FORMCHECKBOX field. Every box becomes
`{% if 项目类别全称 == '经常性项目' %}ticked{% else %}empty{% endif %}` in its own kind: a
character, a `w:char` code, the control's `w14:checked` and glyph, or the field's `w:checked`.
A box compares the full name its label stands for with the full name of the project's value, so
a form printing 经常性 ticks for 经常性项目 too, and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from gen.importing.printed import BOX_MARKS, EMPTY_MARKS, TICK_MARKS, box_choices
from gen.importing.tables import Piece, cell_paragraphs, cell_text, paragraph_pieces
from gen.ooxml import w, w14
from gen.vocabulary import EMPTY, FULL_CHOICE_NAMES, TICKED, full_choice

# The box a symbol font draws when a form has no ticked (or no empty) box of that font to copy.
SYMBOL_DEFAULTS = {"wingdings": (0xFE, 0xA8), "wingdings 2": (0x52, 0xA3)}
CONTROL_DEFAULTS = (0x2612, 0x2610)  # ☒ and ☐, what Word's checkbox control shows
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class Box:
    """One box of a cell: the piece of text it is in, its place in that piece, and its choice."""

    piece: Piece
    offset: int  # index of the mark in piece.text
    choice: str
    ticked: bool


def tag_boxes(cells: list[etree._Element], key: str, form: str) -> int:
    """Make every box in these cells (w:tc) tick by the project's `key` on a form of 表样 `form`;
    the count."""
    boxes = [
        Box(box.piece, box.offset, full_choice(form, key, box.choice), box.ticked)
        for box in _boxes(cells)
    ]
    looks = [_looks(boxes, box) for box in boxes]  # read before any element changes
    by_piece: dict[int, list[tuple[Box, tuple[str, str]]]] = {}
    for box, look in zip(boxes, looks, strict=True):
        by_piece.setdefault(id(box.piece), []).append((box, look))
    for group in by_piece.values():
        _tag_piece(group, FULL_CHOICE_NAMES[key])
    return len(boxes)


def _boxes(cells: list[etree._Element]) -> Iterator[Box]:
    """The boxes of the cells in reading order, each with the choice beside it (as import reads it)."""
    pieces = [
        [piece for paragraph in cell_paragraphs(tc) for piece in paragraph_pieces(paragraph)]
        for tc in cells
    ]
    choices = iter(box_choices(" ".join(cell_text(tc) for tc in cells)))
    for cell_pieces in pieces:
        for piece in cell_pieces:
            for offset, mark in enumerate(piece.text):
                if mark in BOX_MARKS:
                    choice, ticked = next(choices)
                    yield Box(piece, offset, choice, ticked)


def put_text(node: etree._Element, text: str) -> None:
    """Set the text of a w:t holding a tag; xml:space is left to docxtpl, which preserves it."""
    node.text = text
    if text == text.strip():
        node.attrib.pop(XML_SPACE, None)


def condition(key: str, choice: str, ticked: str, empty: str) -> str:
    """`ticked` when the context value `key` is `choice`, else `empty` (Jinja)."""
    literal = "'" + choice.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return f"{{% if {key} == {literal} %}}{ticked}{{% else %}}{empty}{{% endif %}}"


def _looks(boxes: list[Box], like: Box) -> tuple[str, str]:
    """The ticked and empty look the form uses for boxes of the same kind and font as `like`."""
    same = [b for b in boxes if _kind(b) == _kind(like) and _symbol_font(b) == _symbol_font(like)]
    codes = [(_code(b), b.piece.text[b.offset]) for b in same]
    ticked = next((code for code, mark in codes if mark in TICK_MARKS), None)
    empty = next((code for code, mark in codes if mark in EMPTY_MARKS), None)
    if _kind(like) == "text":
        return ticked or TICKED, empty or EMPTY
    default_ticked, default_empty = SYMBOL_DEFAULTS.get(_symbol_font(like) or "", (0xFE, 0xA8))
    sample = _code(like)
    return (
        ticked or _code_like(default_ticked, sample),
        empty or _code_like(default_empty, sample),
    )


def _kind(box: Box) -> str:
    """text, symbol-text (a character typed in Wingdings), sym, control or field."""
    tag = box.piece.node.tag
    if tag == w("t"):
        return "text" if box.piece.font is None else "symbol-text"
    return {w("sym"): "sym", w("sdt"): "control", w("fldChar"): "field"}.get(tag, "other")


def _symbol_font(box: Box) -> str | None:
    """The symbol font of a w:sym or of a character typed in a symbol font."""
    kind = _kind(box)
    if kind == "sym":
        return (box.piece.node.get(w("font")) or "").strip().lower()
    return box.piece.font if kind == "symbol-text" else None


def _code(box: Box) -> str:
    """How the form writes a box: a w:char value, the typed character, or the mark itself."""
    kind = _kind(box)
    if kind == "sym":
        return box.piece.node.get(w("char"), "")
    if kind == "symbol-text":
        return (box.piece.node.text or "")[box.offset]
    return box.piece.text[box.offset]


def _code_like(code: int, sample: str) -> str:
    """A symbol code written like `sample`: "F052" or "0052" for w:char, else a character."""
    if len(sample) == 1:  # a character typed in the font
        return chr(0xF000 | code) if ord(sample) >= 0xF000 else chr(code)
    return f"{(0xF000 if sample.upper().startswith('F') else 0) | code:04X}"


def _tag_piece(group: list[tuple[Box, tuple[str, str]]], key: str) -> None:
    """Rewrite the element of one piece so that each of its boxes follows `key` in its own look."""
    first, look = group[0]
    kind, node = _kind(first), first.piece.node
    if kind in ("text", "symbol-text"):
        text = list(node.text or "")
        for box, (ticked, empty) in group:
            text[box.offset] = condition(key, box.choice, ticked, empty)
        put_text(node, "".join(text))
    elif kind == "sym":
        node.set(w("char"), condition(key, first.choice, *look))
    elif kind == "control":
        _tag_control(node, key, first.choice)
    elif kind == "field":
        _tag_field(node, key, first.choice)


def _tag_control(sdt: etree._Element, key: str, choice: str) -> None:
    """A checkbox content control: its checked state and the glyph it shows."""
    box = sdt.find(f"{w('sdtPr')}/{w14('checkbox')}")
    assert box is not None  # a Piece of kind control comes from a w14:checkbox
    checked = box.find(w14("checked"))
    if checked is None:
        checked = etree.Element(w14("checked"))
        box.insert(0, checked)
    checked.set(w14("val"), condition(key, choice, "1", "0"))
    ticked = _state_glyph(box, "checkedState", CONTROL_DEFAULTS[0])
    empty = _state_glyph(box, "uncheckedState", CONTROL_DEFAULTS[1])
    texts = list(sdt.iter(w("t")))
    for i, text in enumerate(texts):
        put_text(text, condition(key, choice, ticked, empty) if i == 0 else "")


def _state_glyph(box: etree._Element, state: str, default: int) -> str:
    """The character a checkbox control shows in one state."""
    node = box.find(w14(state))
    try:
        return chr(int(node.get(w14("val"), "") if node is not None else "", 16))
    except ValueError:
        return chr(default)


def _tag_field(fld: etree._Element, key: str, choice: str) -> None:
    """An old FORMCHECKBOX field: its w:checked follows the choice."""
    box = fld.find(f"{w('ffData')}/{w('checkBox')}")
    assert box is not None  # a Piece of kind field comes from a checkbox field
    for old in box.findall(w("checked")):
        box.remove(old)
    etree.SubElement(box, w("checked")).set(w("val"), condition(key, choice, "1", "0"))

"""Checkbox cells of a form made into template tags: each box ticks when the project's choice is its own.

A form prints its boxes one of several ways, and the template keeps that way: Unicode ☐/☑ in the
form's font, a Wingdings or Wingdings 2 symbol (`w:sym`, or a character typed in that font), a
checkbox content control (`w14:checkbox`) or an old FORMCHECKBOX field; or brackets typed as
text, （√） ticked and （  ） empty, which print as the form writes them. Every box becomes
`{% if 项目类别全称 == '经常性项目' %}ticked{% else %}empty{% endif %}` in its own kind: a
character (or the brackets), a `w:char` code, the control's `w14:checked` and glyph, or the
field's `w:checked`.
A box compares the full name its label stands for with the full name of the project's value, so
a form printing 经常性 ticks for 经常性项目 too, and the other way round.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from gen.importing.printed import BOX_MARKS, EMPTY_MARKS, TICK_MARKS, labelled_boxes
from gen.importing.tables import Piece, cell_paragraphs, paragraph_pieces
from gen.importing.wordfile import WordFileError
from gen.ooxml import w, w14
from gen.vocabulary import EMPTY, FULL_CHOICE_NAMES, TICKED, full_choice

# The box a symbol font draws when a form has no ticked (or no empty) box of that font to copy.
SYMBOL_DEFAULTS = {"wingdings": (0xFE, 0xA8), "wingdings 2": (0x52, 0xA3)}
CONTROL_DEFAULTS = (0x2612, 0x2610)  # ☒ and ☐, what Word's checkbox control shows
PAREN_TICK = "√"  # the tick of a bracket box, when a form has no ticked one to copy
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass(frozen=True)
class Box:
    """One box of a cell: the pieces of text its characters are in, and its choice.

    A mark (☑, a w:sym, a control) is one character; a bracket box (（√）, （  ）) several,
    perhaps in several runs.
    """

    places: tuple[tuple[Piece, int], ...]  # each character: its piece and index in piece.text
    choice: str
    ticked: bool
    paren: bool = False

    @property
    def piece(self) -> Piece:
        return self.places[0][0]

    @property
    def offset(self) -> int:
        return self.places[0][1]

    @property
    def text(self) -> str:
        """The box as the form writes it."""
        return "".join(piece.text[offset] for piece, offset in self.places)


def tag_boxes(cells: list[etree._Element], key: str, form: str) -> int:
    """Make every box in these cells (w:tc) tick by the project's `key` on a form of 表样 `form`;
    the count. Boxes whose labels cannot be told apart raise BoxLayoutError."""
    boxes = [replace(box, choice=full_choice(form, key, box.choice)) for box in _boxes(cells)]
    looks = [_looks(boxes, box) for box in boxes]  # read before any element changes
    texts: dict[int, tuple[etree._Element, list[str]]] = {}  # w:t → its characters, edited
    name = FULL_CHOICE_NAMES[key]
    for box, look in zip(boxes, looks, strict=True):
        if box.paren or _kind(box) in ("text", "symbol-text"):
            for i, (piece, offset) in enumerate(box.places):
                node = piece.node
                _, chars = texts.setdefault(id(node), (node, list(node.text or "")))
                chars[offset] = condition(name, box.choice, *look) if i == 0 else ""
        else:
            _tag_element(box, look, name)
    for node, chars in texts.values():
        put_text(node, "".join(chars))
    return len(boxes)


def _boxes(cells: list[etree._Element]) -> Iterator[Box]:
    """The boxes of the cells in reading order, each with the choice beside it (as import reads it)."""
    places: list[tuple[Piece, int] | None] = []  # each character of the cells' text; None: a break
    text = ""
    for i, tc in enumerate(cells):
        if i:  # cells joined by a space as Form joins them, paragraphs as cell_text joins them
            places.append(None)
            text += " "
        for j, paragraph in enumerate(cell_paragraphs(tc)):
            if j:
                places.append(None)
                text += "\n"
            for piece in paragraph_pieces(paragraph):
                places += [(piece, offset) for offset in range(len(piece.text))]
                text += piece.text
    for span, choice in labelled_boxes(text):
        chars = tuple(place for place in places[span.start : span.end] if place is not None)
        if not span.paren:
            yield Box(chars, choice, span.ticked)
        elif all(piece.node.tag == w("t") for piece, _ in chars):
            yield Box(chars, choice, span.ticked, paren=True)
        else:  # a symbol or a control between brackets: that is the box, the brackets are text
            mark = next((place for place in chars if place[0].text[place[1]] in BOX_MARKS), None)
            if mark is None:
                raise WordFileError(
                    f"勾选框“{text[span.start : span.end]}”的括号是用 Word 的“插入符号”写的，"
                    "gen template 照它做不出模板；请在 Word 中把括号改为直接打出的文字后再运行",
                    "symbol-brackets",
                )
            yield Box((mark,), choice, span.ticked)


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
    if like.paren:  # （√） and （  ） as the form writes them
        ticked = next((box.text for box in boxes if box.paren and box.ticked), None)
        empty = next((box.text for box in boxes if box.paren and not box.ticked), None)
        sample = ticked or empty or like.text
        return (
            ticked or f"{sample[0]}{PAREN_TICK}{sample[-1]}",
            empty or f"{sample[0]}  {sample[-1]}",
        )
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


def _tag_element(box: Box, look: tuple[str, str], key: str) -> None:
    """Make a box drawn by an element of its own (w:sym, a control, a field) follow `key`."""
    kind, node = _kind(box), box.piece.node
    if kind == "sym":
        node.set(w("char"), condition(key, box.choice, *look))
    elif kind == "control":
        _tag_control(node, key, box.choice)
    elif kind == "field":
        _tag_field(node, key, box.choice)


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

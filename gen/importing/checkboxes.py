"""Checkbox cells of a form made into template tags: each box ticks when the project's choice is its own.

A form prints its boxes one of several ways, and the template keeps that way: Unicode ☐/☑ in the
form's font, a Wingdings or Wingdings 2 symbol (`w:sym`, or a character typed in that font), a
checkbox content control (`w14:checkbox`) or an old FORMCHECKBOX field; or marks typed as text,
（√） and （  ）, [√], （V）, □√ beside □, which print as the form writes them — a form crossing the
choices it does not take (（×）) prints （×） in every box not ticked. Every box becomes
`{% if 项目类别全称 == '经常性项目' %}ticked{% else %}empty{% endif %}` in its own kind: a
character (or the typed marks), a `w:char` code, the control's `w14:checked` and glyph, or the
field's `w:checked`. A choice the form names with no box (√经常性 一次性 阶段性) gets the tick
beside its name when chosen, and nothing else, as the form writes it.
A box compares the full name its label stands for with the full name of the project's value, so
a form printing 经常性 ticks for 经常性项目 too, and the other way round.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from lxml import etree

from gen.importing.printed import BOX_MARKS, labelled_boxes, named_choices
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

    A mark (☑, a w:sym, a control) is one character; a typed box (（√）, （  ）, □√) several,
    perhaps in several runs. A choice with no box is the first (or last) character of its name,
    before (after) which the tick goes.
    """

    places: tuple[tuple[Piece, int], ...]  # each character: its piece and index in piece.text
    choice: str
    ticked: bool
    paren: bool = False
    unboxed: str = ""  # a choice with no box: "before" or "after" its name the tick goes

    @property
    def piece(self) -> Piece:
        return self.places[0][0]

    @property
    def offset(self) -> int:
        return self.places[0][1]

    @property
    def text(self) -> str:
        """The box as the form writes it (a symbol, a control or a field as the mark it shows)."""
        return "".join(piece.text[offset] for piece, offset in self.places)


def tag_boxes(cells: list[etree._Element], key: str, form: str, after_colon: bool = False) -> int:
    """Make every box in these cells (w:tc) tick by the project's `key` on a form of 表样 `form`;
    the count. `after_colon`: the cell writes the label and a colon before its boxes (“项目类别：
    ☑经常性项目 ☐一次性项目”), which are read from after the first colon. Boxes whose labels
    cannot be told apart raise BoxLayoutError."""
    boxes = [
        replace(box, choice=full_choice(form, key, box.choice))
        for box in _boxes(cells, after_colon)
    ]
    return _tag(boxes, FULL_CHOICE_NAMES[key])


def tag_named_boxes(cells: list[etree._Element], value: str) -> int:
    """Make every box in these cells tick when the Jinja expression `value` is the name the box
    has on the form (a row of a district's own: □新增 ☑延续); the count."""
    return _tag(list(_boxes(cells)), value)


def _tag(boxes: list[Box], name: str) -> int:
    """Make each box tick when the Jinja expression `name` is the box's choice; the count."""
    looks = [_looks(boxes, box) for box in boxes]  # read before any element changes
    texts: dict[int, tuple[etree._Element, list[str]]] = {}  # w:t → its characters, edited
    for box, look in zip(boxes, looks, strict=True):
        if box.unboxed or box.paren or _kind(box) in ("text", "symbol-text"):
            for i, (piece, offset) in enumerate(box.places):
                node = piece.node
                _, chars = texts.setdefault(id(node), (node, list(node.text or "")))
                tag = condition(name, box.choice, *look) if i == 0 else ""
                if box.unboxed == "before":
                    tag += chars[offset]
                elif box.unboxed == "after":
                    tag = chars[offset] + tag
                chars[offset] = tag
        else:
            _tag_element(box, look, name)
    for node, chars in texts.values():
        put_text(node, "".join(chars))
    return len(boxes)


def _boxes(cells: list[etree._Element], after_colon: bool = False) -> Iterator[Box]:
    """The boxes of the cells in reading order, each with the choice beside it (as import reads
    it); `after_colon`: only those after the first colon, a label's (see tag_boxes)."""
    text, places = _cell_places(cells)
    if after_colon:
        colon = next(i for i, ch in enumerate(text) if unicodedata.normalize("NFKC", ch) == ":")
        text, places = text[colon + 1 :], places[colon + 1 :]
    for span, choice in labelled_boxes(text):
        chars = tuple(place for place in places[span.start : span.end] if place is not None)
        if span.unboxed:
            at = chars[0] if span.unboxed == "before" else chars[-1]
            yield Box((at,), choice, False, unboxed=span.unboxed)
        elif len(chars) == 1 or all(_typed(place) for place in chars):
            yield Box(chars, choice, span.ticked, paren=span.paren)
        else:  # a symbol or a control between brackets: that is the box, the brackets are text
            shown = text[span.start : span.end]
            yield Box((_drawn_mark(chars, shown, span.paren),), choice, span.ticked)


def _cell_places(cells: list[etree._Element]) -> tuple[str, list[tuple[Piece, int] | None]]:
    """The text of the cells as import reads it, and where each character is (None: a break)."""
    places: list[tuple[Piece, int] | None] = []
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
    return text, places


def _typed(place: tuple[Piece, int]) -> bool:
    """Whether a character is typed as text in the form's own font (not a symbol, a control…)."""
    return place[0].node.tag == w("t") and place[0].font is None


def _drawn_mark(chars: tuple[tuple[Piece, int], ...], shown: str, paren: bool) -> tuple[Piece, int]:
    """The box of typed brackets that hold a symbol, a control or a field (（☑）): the mark, the
    brackets staying text. Brackets drawn as symbols around no mark, and a tick typed beside a
    symbol box (☐√), cannot be made to tick: WordFileError."""
    if not paren:
        raise WordFileError(
            f"勾选框“{shown}”的框和勾一个是用 Word 的“插入符号”写的、一个是直接打出的文字，"
            "gen template 照它做不出模板；请在 Word 中把它改为一个打了勾的框（如 ☑）后再运行",
            "symbol-tick-beside",
        )
    mark = next((place for place in chars if place[0].text[place[1]] in BOX_MARKS), None)
    if mark is None:
        raise WordFileError(
            f"勾选框“{shown}”的括号是用 Word 的“插入符号”写的，"
            "gen template 照它做不出模板；请在 Word 中把括号改为直接打出的文字后再运行",
            "symbol-brackets",
        )
    return mark


def put_text(node: etree._Element, text: str) -> None:
    """Set the text of a w:t holding a tag; xml:space is left to docxtpl, which preserves it."""
    node.text = text
    if text == text.strip():
        node.attrib.pop(XML_SPACE, None)


def condition(key: str, choice: str, ticked: str, empty: str) -> str:
    """`ticked` when the context value `key` is `choice`, else `empty` (Jinja)."""
    return f"{{% if {key} == {string_literal(choice)} %}}{ticked}{{% else %}}{empty}{{% endif %}}"


def string_literal(text: str) -> str:
    """Text as a Jinja string: '经常性项目'."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _looks(boxes: list[Box], like: Box) -> tuple[str, str]:
    """The ticked and empty look the form uses for boxes of the same kind and font as `like`."""
    if like.unboxed:  # the tick the form writes, and nothing: as the form writes its choices
        return _unboxed_tick(boxes), ""
    same = [b for b in boxes if not b.unboxed and _group(b) == _group(like)]
    ticked = next((b for b in same if b.ticked), None)
    empty = next((b for b in same if not b.ticked), None)
    if _kind(like) == "text":  # （√） and （  ）, ☑ and ☐, □√ and □: as the form writes them
        sample = (ticked or empty or like).text
        bare = any(b.unboxed for b in boxes)  # a form writing its unchosen choices with no box
        return (
            ticked.text if ticked else _typed_tick(sample, like.paren),
            empty.text if empty else "" if bare else _typed_empty(sample, like.paren),
        )
    default_ticked, default_empty = SYMBOL_DEFAULTS.get(_symbol_font(like) or "", (0xFE, 0xA8))
    sample = _code(like)
    return (
        _code(ticked) if ticked else _code_like(default_ticked, sample),
        _code(empty) if empty else _code_like(default_empty, sample),
    )


def _group(box: Box) -> tuple[str, str | None, bool]:
    """What boxes share their looks: the same kind, symbol font and brackets."""
    return _kind(box), _symbol_font(box), box.paren


def _typed_tick(sample: str, paren: bool) -> str:
    """A ticked box typed like `sample`, for a form with none ticked: （√）, else ☑."""
    return f"{sample[0]}{PAREN_TICK}{sample[-1]}" if paren else TICKED


def _typed_empty(sample: str, paren: bool) -> str:
    """An empty box typed like `sample`, for a form with none empty: （  ）, else ☐."""
    return f"{sample[0]}  {sample[-1]}" if paren else EMPTY


def _unboxed_tick(boxes: list[Box]) -> str:
    """The tick printed beside a choice the form writes with no box: the form's ticked box as it
    reads (√, （√）, ☑ for a symbol or a control), or one like its first box."""
    real = [box for box in boxes if not box.unboxed]
    ticked = next((box for box in real if box.ticked), None)
    if ticked is not None:
        return ticked.text
    return _typed_tick(real[0].text, real[0].paren) if real else TICKED


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


# ---------------------------------------------------------------- a choice marked by its look

# Run properties that set a word apart: bold, underline, highlight, shading, a border, an emphasis dot.
_EMPHASIS = ("b", "u", "highlight", "shd", "bdr", "em")
_PLAIN = {"0", "false", "off", "none", "nil", "auto", "clear", "FFFFFF", "ffffff"}  # turned off


def emphasised_choice(tc: etree._Element) -> str | None:
    """The one choice a cell naming several without boxes sets apart by its look (专项资金
    **经常性项目** 一次性项目: bold, underlined, highlighted…) while the others look alike; None
    when no single one does."""
    text, places = _cell_places([tc])
    names = named_choices(text)
    looks = [
        frozenset.intersection(
            *(_emphasis(place) for place in places[m.start() : m.end()] if place is not None)
        )
        for m in names
    ]
    for i, look in enumerate(looks):
        others = set(looks[:i] + looks[i + 1 :])
        if len(others) == 1 and others.pop() < look:
            return names[i][0]
    return None


def _emphasis(place: tuple[Piece, int]) -> frozenset[str]:
    """The emphasis (_EMPHASIS) of the run a character is in: what its own properties turn on."""
    run = place[0].node.getparent()
    props = run.find(w("rPr")) if run is not None else None
    nodes = {name: props.find(w(name)) if props is not None else None for name in _EMPHASIS}
    return frozenset(
        name
        for name, node in nodes.items()
        if node is not None
        and not {node.get(w("val"), "on"), node.get(w("fill"), "auto")} <= _PLAIN
    )

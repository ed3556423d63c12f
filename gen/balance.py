"""Balanced lines for a value that wraps in its cell, so that no line holds a stray character.

A table cell holding a lone placeholder (`{{ 项目名称 }}`) wraps a long value at the width the
template gives the cell; a value a character or two longer than its lines leaves them alone on
the last line ("社区矫正安置帮/教"), and no column width avoids it for every length. Such a
value is laid out in lines of nearly equal length instead ("社区矫正/安置帮教"): its paragraph
is indented by the same amount on both sides, so it stays centred and its text is untouched
(`gen import` reads it back as written; `gen template` drops the indent again).

When a template is compiled, `prepare` finds these cells and gives each paragraph an indent
that is written only when the project's value needs one: `{% if 项目名称 | _gen_balance(room,
em) %}<w:ind …/>{% endif %}`, the filter being `balancing_indent`. The cell's width, margins
and font size are read from the template, so a template whose widths a user has changed is
measured as it now is. Only values of Chinese characters are balanced: each is one em wide in
every application, so the lines they wrap into are known; a value with Latin letters or digits
is left as it is.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from lxml import etree

from gen.linebreak import wrap
from gen.ooxml import NAMESPACES, STRICT_XML, paragraph_text, w

FILTER = "_gen_balance"  # the Jinja filter a prepared template calls: balancing_indent
# What `prepare` puts in a paragraph, as it stands in the template's source
PREPARED = re.compile(r"\{% if [^%]*\| " + FILTER + r"\(\d+, \d+\) %\}<w:ind [^>]*/>\{% endif %\}")
SHORT_TAIL = 2  # characters on a last line that are balanced away, as tools/measure_print.py
_RAW = re.compile(r"\{%-?\s*raw\b")
_PLACEHOLDER = re.compile(r"\{\{\s*([^\W\d]\w*)\s*\}\}")  # a bare name: {{ 项目名称 }}
WORD_CELL_MARGIN = 108  # twips: Word's left and right cell margin when a table states none
WORD_FONT_SIZE = 20  # half-points: Word's font size when no style states one
# pPr children that the schema puts after w:ind
_AFTER_INDENT = frozenset(
    w(tag)
    for tag in (
        "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
        "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
        "sectPr", "pPrChange",
    )
)  # fmt: skip


@dataclass(frozen=True)
class FieldCell:
    """A table cell of the template that holds one placeholder alone, and its room."""

    field: str  # the context key it prints
    room: int  # twips between its margins
    em: int  # twips of one Chinese character: the paragraph's font size


def prepare(
    root: etree._Element, styles: bytes | None, fields: Collection[str]
) -> tuple[FieldCell, ...]:
    """The template's cells that hold one of `fields` alone, each given its conditional indent.

    `root` is the template's document.xml, changed in place; `fields` are the context's free
    texts (gen.model.TEXT_FIELDS): amounts, dates and a loop's values are never balanced.
    Only centred paragraphs are prepared (an even indent keeps those centred) that nothing
    indents already, in cells whose width is stated in twips and holds two characters; a
    template with a `{% raw %}` block is left as it is.
    """
    if _RAW.search("".join(root.itertext())):
        return ()  # a raw block would print gen's tags as they are: nothing is prepared
    try:
        looks = _style_looks(etree.fromstring(styles, STRICT_XML) if styles else None)
    except etree.XMLSyntaxError:
        looks = _style_looks(None)
    found: list[FieldCell] = []
    for table in root.iter(w("tbl")):
        table_margins = _margins(table.find("w:tblPr/w:tblCellMar", NAMESPACES), None)
        for cell in table.iterfind("w:tr/w:tc", NAMESPACES):
            width = _twips(cell.find("w:tcPr/w:tcW", NAMESPACES))
            room = width - sum(_margins(cell.find("w:tcPr/w:tcMar", NAMESPACES), table_margins))
            for paragraph in cell.iterfind("w:p", NAMESPACES):
                match = _PLACEHOLDER.fullmatch(paragraph_text(paragraph).strip())
                if match is None or match.group(1) not in fields:
                    continue
                look = _look(paragraph, looks)
                em = look.size * 10
                if look.align == "center" and not look.indented and room >= 2 * em:
                    _conditional_indent(paragraph, f"{match.group(1)} | {FILTER}({room}, {em})")
                    found.append(FieldCell(match.group(1), room, em))
    return tuple(found)


def balancing_indent(value: object, room: int, em: int) -> int:
    """Twips to indent each side so that `value` wraps into even lines; 0 when it need not.

    The lines stay as many, and the last one holds more than before. Only text is balanced.
    """
    capacity = room // em if em > 0 else 0
    if not isinstance(value, str) or len(value) <= capacity or capacity < 2:
        return 0  # not text, or it fits on one line
    return _even_lines_indent(value, room, em, capacity)


@functools.lru_cache(maxsize=4096)  # a prepared template asks for each cell three times
def _even_lines_indent(value: str, room: int, em: int, capacity: int) -> int:
    """balancing_indent for a text longer than a line."""
    if not all(unicodedata.east_asian_width(char) in "WF" for char in value):
        return 0
    lines = wrap(value, capacity, len)
    if len(lines) < 2 or len(lines[-1]) > SHORT_TAIL:
        return 0
    for narrower in range(math.ceil(len(value) / len(lines)), capacity):
        even = wrap(value, narrower, len)
        if len(even) == len(lines) and len(even[-1]) > len(lines[-1]):
            return (room - narrower * em - em // 2) // 2  # half a character to spare
    return 0


def drop_balancing_indents(cell: etree._Element) -> None:
    """Take from a cell's paragraphs the even indents a prepared template gave its value.

    A template made from a built form (gen template) must not keep one project's layout for
    every project; an indent the same on both sides and nothing else is taken to be one.
    """
    for indent in cell.iterfind("w:p/w:pPr/w:ind", NAMESPACES):
        sides = {w("left"), w("right")}
        if set(indent.keys()) == sides and indent.get(w("left")) == indent.get(w("right")):
            indent.getparent().remove(indent)


def _conditional_indent(paragraph: etree._Element, value: str) -> None:
    """Equal left and right indents of `value` (a Jinja expression), written when it is not 0.

    They go where the schema wants them in the paragraph's properties.
    """
    props = paragraph.find("w:pPr", NAMESPACES)
    if props is None:
        props = etree.Element(w("pPr"))
        paragraph.insert(0, props)
    twips = f"{{{{ {value} }}}}"
    indent = etree.Element(w("ind"), {w("left"): twips, w("right"): twips})
    later = next((i for i, child in enumerate(props) if child.tag in _AFTER_INDENT), len(props))
    props.insert(later, indent)
    opening = f"{{% if {value} %}}"
    if later == 0:
        props.text = (props.text or "") + opening
    else:
        props[later - 1].tail = (props[later - 1].tail or "") + opening
    indent.tail = "{% endif %}"


def _twips(element: etree._Element | None) -> int:
    """A width given in twips (type dxa, or no type); 0 for a percentage, auto or none."""
    if element is None or element.get(w("type"), "dxa") != "dxa":
        return 0
    try:
        return int(element.get(w("w"), "0"))
    except ValueError:
        return 0


def _margins(element: etree._Element | None, inherited: tuple[int, int] | None) -> tuple[int, int]:
    """Left and right cell margins: those stated here, else those inherited, else Word's."""
    left, right = inherited or (WORD_CELL_MARGIN, WORD_CELL_MARGIN)
    if element is None:
        return left, right
    sides = [element.find(f"w:{side}", NAMESPACES) for side in ("left", "start", "right", "end")]
    if sides[0] is not None or sides[1] is not None:
        left = _twips(sides[0] if sides[0] is not None else sides[1])
    if sides[2] is not None or sides[3] is not None:
        right = _twips(sides[2] if sides[2] is not None else sides[3])
    return left, right


@dataclass(frozen=True)
class _Look:
    """What a paragraph style gives its paragraphs: font size, alignment, and whether it indents."""

    size: int  # half-points
    align: str | None  # w:jc's value: "center", "both", …
    indented: bool


def _style_looks(styles: etree._Element | None) -> dict[str | None, _Look]:
    """Each paragraph style's look, following basedOn; None: the default style's."""
    if styles is None:
        return {None: _Look(WORD_FONT_SIZE, None, False)}
    defaults = styles.find("w:docDefaults", NAMESPACES)
    base_look = _Look(
        _size(None if defaults is None else defaults.find("w:rPrDefault/w:rPr", NAMESPACES))
        or WORD_FONT_SIZE,
        *_paragraph_look(
            None if defaults is None else defaults.find("w:pPrDefault/w:pPr", NAMESPACES)
        ),
    )
    own: dict[str, tuple[etree._Element, str | None]] = {}
    default_style = None
    for style in styles.iterfind("w:style[@w:type='paragraph']", NAMESPACES):
        name = style.get(w("styleId"), "")
        based = style.find("w:basedOn", NAMESPACES)
        own[name] = (style, None if based is None else based.get(w("val")))
        if style.get(w("default")) in ("1", "true", "on"):
            default_style = name

    def look_of(name: str | None, seen: frozenset[str] = frozenset()) -> _Look:
        """A style's look: its own settings over those of the style it is based on."""
        if name is None or name not in own or name in seen:
            return base_look
        style, base = own[name]
        parent = look_of(base, seen | {name})
        align, indented = _paragraph_look(style.find("w:pPr", NAMESPACES))
        return _Look(
            _size(style.find("w:rPr", NAMESPACES)) or parent.size,
            align or parent.align,
            indented or parent.indented,
        )

    looks: dict[str | None, _Look] = {name: look_of(name) for name in own}
    looks[None] = look_of(default_style)
    return looks


def _paragraph_look(props: etree._Element | None) -> tuple[str | None, bool]:
    """The alignment a paragraph's (or a style's) properties state, and whether they indent."""
    if props is None:
        return None, False
    jc = props.find("w:jc", NAMESPACES)
    return (None if jc is None else jc.get(w("val"))), props.find("w:ind", NAMESPACES) is not None


def _look(paragraph: etree._Element, looks: dict[str | None, _Look]) -> _Look:
    """A paragraph's own look: its style's, with what the paragraph and its runs state."""
    props = paragraph.find("w:pPr", NAMESPACES)
    style = None if props is None else props.find("w:pStyle", NAMESPACES)
    styled = looks.get(None if style is None else style.get(w("val")), looks[None])
    align, indented = _paragraph_look(props)
    runs = [_size(run.find("w:rPr", NAMESPACES)) for run in paragraph.iterfind("w:r", NAMESPACES)]
    size = max((size or styled.size for size in runs), default=styled.size)
    return _Look(size, align or styled.align, indented or styled.indented)


def _size(props: etree._Element | None) -> int | None:
    """The w:sz of a run's properties, in half-points."""
    size = None if props is None else props.find("w:sz", NAMESPACES)
    try:
        return None if size is None else int(size.get(w("val"), ""))
    except ValueError:
        return None

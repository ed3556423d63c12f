"""A YAML file edited in place: comments, order and quotes kept by ruamel's round trip, scalars
not edited written back as written (numbers, truth values, dates), the line breaks and a BOM kept.

Where only scalars written on one line were edited (a year, a date, an amount), those are put
into the file's own text and every other byte stays; for any other edit ruamel writes the whole
document in its layout (two-space indentation).
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    PlainScalarString,
    SingleQuotedScalarString,
)

_TAG = "tag:yaml.org,2002:"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Written(str):
    """A plain scalar that YAML reads as a number, a truth value, nothing or a date, kept as the
    text written: 99999999999999.99, +017, 1_0.5, -0, True, ~, 2026-02-30 are written back so.

    ruamel would write its own spelling of the value back (017, 010.5, 0, true, an empty value),
    and a float's rounding with it (99999999999999.98). A new value of the same kind is made
    from its text: `type(value)("2027")`.
    """

    tag: ClassVar[str]


class WrittenInt(Written):
    """An integer as written: 2026, +017, 1_000."""

    tag = _TAG + "int"


class WrittenFloat(Written):
    """A decimal as written: 87.90, 3.14159265358979323846, .inf."""

    tag = _TAG + "float"


class WrittenBool(Written):
    """A truth value as written: true, True, FALSE."""

    tag = _TAG + "bool"


class WrittenNull(Written):
    """No value, as written: nothing, ~, null, NULL."""

    tag = _TAG + "null"


class WrittenDate(Written):
    """A date or a time as written: 2026-01-01, 2026-02-30 (no day of the calendar)."""

    tag = _TAG + "timestamp"


_KINDS: dict[str, type[Written]] = {
    kind.tag: kind for kind in (WrittenInt, WrittenFloat, WrittenBool, WrittenNull, WrittenDate)
}


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, except that numbers, truth values, nulls and dates are
    kept as their text."""

    def construct_written(self, node: ScalarNode) -> Written:
        return _KINDS[str(node.tag)](node.value)  # one of the tags it is added for


class _Representer(RoundTripRepresenter):
    """ruamel's round-trip representer; a kept scalar is written back plain, as it was."""

    def represent_written(self, value: Written) -> ScalarNode:
        return self.represent_scalar(value.tag, str(value))


for _tag in _KINDS:
    _Constructor.add_constructor(_tag, _Constructor.construct_written)
_Representer.add_multi_representer(Written, _Representer.represent_written)


@dataclass(frozen=True)
class Layout:
    """What a file holds besides its YAML: a UTF-8 BOM, its line break, a break after the last line.

    Windows Notepad saves CRLF, and without a break at the end; it used to add a BOM.
    """

    bom: bool = False
    newline: str = "\n"
    last_newline: bool = True
    text: str = ""  # the file's text with "\n" line breaks, as it was read
    breaks: tuple[str, ...] = ()  # each line's own break, in a file of mixed ones


def load(data: bytes) -> tuple[Any, Layout]:
    """The document of a UTF-8 file (ruamel's round-trip objects), and how to write it back.

    The file's line breaks are written back: each line's own where only values on one line were
    edited, else the first one throughout.
    """
    bom = data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8") if bom else data.decode("utf-8")
    first = _LINE_BREAK.search(text)
    breaks = tuple(_LINE_BREAK.findall(text))
    text, ends = _LINE_BREAK.sub("\n", text), not text or text[-1] in "\r\n"
    mixed = breaks if len(set(breaks)) > 1 else ()
    layout = Layout(bom, first[0] if first else "\n", ends, text, mixed)
    return _yaml().load(text), layout


def dump(doc: Any, layout: Layout) -> bytes:
    """The bytes of a document loaded by `load`, laid out as its file was.

    Where only scalars on one line each were edited, those are replaced in the file's own text
    and every other byte stays; otherwise ruamel writes the document (see the module's note).
    """
    text = _spliced(doc, layout)
    if text is None:
        buffer = io.StringIO()
        _yaml().dump(doc, buffer)
        text = buffer.getvalue()
        if not layout.last_newline:
            text = text.removesuffix("\n")
        text = text.replace("\n", layout.newline)
    elif layout.breaks:  # the same lines as the file's: each gets its own break back
        pieces = text.split("\n")
        text = "".join(p + b for p, b in zip(pieces, [*layout.breaks, ""], strict=True))
    else:
        text = text.replace("\n", layout.newline)
    return (codecs.BOM_UTF8 if layout.bom else b"") + text.encode("utf-8")


def _spliced(doc: Any, layout: Layout) -> str | None:
    """The file's text with each edited scalar replaced where it stands; None when an edit is
    not of a scalar written on one line, as written, in a mapping (then ruamel writes all)."""
    edits: list[tuple[int, int, str, str]] = []  # line, column, text there, new text
    if not _edits(_yaml().load(layout.text), doc, edits):  # the document as it was read
        return None
    lines = layout.text.split("\n")
    for line, column, old, new in sorted(edits, reverse=True):  # later ones first: columns hold
        if line >= len(lines) or not lines[line].startswith(old, column):
            return None
        lines[line] = lines[line][:column] + new + lines[line][column + len(old) :]
    return "\n".join(lines)


def _edits(original: Any, edited: Any, edits: list[tuple[int, int, str, str]]) -> bool:
    """Collect the scalars of mappings that differ, with where each was; False for any other change."""
    if isinstance(original, CommentedMap) and isinstance(edited, CommentedMap):
        if list(original) != list(edited):
            return False
        for key in original:
            before, after = original[key], edited[key]
            if isinstance(before, CommentedMap | CommentedSeq):
                if not _edits(before, after, edits):
                    return False
            elif type(before) is not type(after) or before != after:
                old, new = _written(before), _written(after)
                if old is None or new is None:
                    return False
                line, column = original.lc.value(key)
                edits.append((line, column, old, new))
        return True
    if isinstance(original, CommentedSeq) and isinstance(edited, CommentedSeq):
        return len(original) == len(edited) and all(
            _edits(a, b, edits) if isinstance(a, CommentedMap | CommentedSeq) else a == b
            for a, b in zip(original, edited, strict=True)
        )
    return original == edited


def _written(value: Any) -> str | None:
    """A scalar's text as it stands in the file, when that is sure: kept as written, a text in
    quotes with nothing to escape, or a plain text that YAML reads back as itself; else None."""
    if isinstance(value, Written):
        return str(value)
    quote = {SingleQuotedScalarString: "'", DoubleQuotedScalarString: '"'}.get(type(value))
    if quote is not None and not any(char in value for char in "'\"\\\n"):
        return f"{quote}{value}{quote}"
    if (
        type(value) in (str, PlainScalarString)
        and "\n" not in value
        and _yaml().load(f"- {value}") == [value]
    ):
        return value  # （请填写财政资金）, as --clear-amounts writes
    return None


def _yaml() -> YAML:
    """A round-trip YAML that writes the files back as the samples are written."""
    yaml = YAML()
    yaml.Constructor, yaml.Representer = _Constructor, _Representer
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml

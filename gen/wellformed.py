"""Proof, once per template, that whatever it renders is well-formed XML, so a form needs no parse.

A compiled template's output is its static XML with escaped values put in and control blocks
({% for %}, {% if %}) repeated or left out. The proof parses the template once with every
block's edges marked by processing instructions and every value by a stand-in character:

- it parses: the static XML is well-formed and every value sits in text or an attribute value,
  where an escaped value of XML characters cannot break anything;
- each block's marks are siblings inside the root element: each branch of a block is whole
  elements and text, so any number of repetitions of any branch is well-formed content too.

Only the plainest Jinja is proven (output, for, if; names, attributes, tests and a few filters
that cannot return markup); for anything else, and when a value holds characters the proof
does not cover (line breaks, tabs and other control characters), Renderer parses the rendered
document as before. The proof also finds the table cells that could end up without a
paragraph (a cell holding only an empty {%p for %} list), and which loops fill them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree

from gen.balance import FILTER as BALANCE_FILTER
from gen.characters import UNPROVEN_CHARS
from gen.ooxml import STRICT_XML, XML_DECLARATION, w

VALUE = "\ue000"  # stands in for a value: a character that cannot be part of an XML name
_BLOCK = "gen-block"  # <?gen-block N?> … <?gen-branch N?> … <?gen-end N?>
_BRANCH = "gen-branch"
_END = "gen-end"
# Every text node (all inside the root element: XPath has none beside it) and every
# attribute's value: neither a comment's nor a processing instruction's content, nor a
# namespace declaration (not an attribute in XPath).
_TEXTS_AND_VALUES = etree.XPath("//text() | //@*", smart_strings=False)
_XML_IDS = etree.XPath("//@xml:id")
# Filters that return text, a number or a list of the values they were given, never markup
# (the last is gen.balance's, a number).
_PLAIN_FILTERS = frozenset((
    "abs", "capitalize", "count", "d", "default", "first", "int", "join", "last", "length",
    "list", "lower", "replace", "reverse", "round", "sort", "string", "title", "trim", "upper",
    BALANCE_FILTER,
))  # fmt: skip
# Expressions whose value is escaped text (no Mod: "%c" % 7 makes a control character).
_PLAIN_EXPRESSIONS = (
    nodes.Name, nodes.Const, nodes.Getattr, nodes.Getitem, nodes.Slice, nodes.Tuple, nodes.List,
    nodes.Compare, nodes.Operand, nodes.And, nodes.Or, nodes.Not, nodes.Neg, nodes.Pos,
    nodes.CondExpr, nodes.Concat, nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv,
    nodes.Test, nodes.Filter,
)  # fmt: skip


class _Unproven(Exception):
    """The template uses something the proof does not cover."""


@dataclass(frozen=True)
class Loop:
    """A `{% for %}` over a value of the context (a name, or attributes and items of one)."""

    name: str
    steps: tuple[tuple[str, Any], ...]  # ("attr", name) or ("item", key), in order

    def is_empty(self, env: jinja2.Environment, context: Mapping[str, Any]) -> bool:
        """Whether the loop runs no time with this context (True when it cannot be told)."""
        try:
            value = context[self.name]
            for kind, key in self.steps:
                value = env.getattr(value, key) if kind == "attr" else env.getitem(value, key)
        except Exception:  # anything rendering would fail on: let the parse path report it
            return True
        return not isinstance(value, (list, tuple, dict, str)) or len(value) == 0


@dataclass(frozen=True)
class Proof:
    """What parsing a template once proved about every rendering of it."""

    proven: bool = False  # every rendering is well-formed XML, given values of XML characters
    # Per table cell that could be left without a paragraph, the loops that fill it; None when
    # some cell could be left empty in a way the context does not tell.
    bare_cells: tuple[tuple[Loop, ...], ...] | None = ()

    def needs_parse(
        self, env: jinja2.Environment, context: Mapping[str, Any], plain: bool | None = None
    ) -> bool:
        """Whether the document rendered from `context` must still be parsed (and maybe fixed).

        `plain` is plain_values(context) when the caller has it already.
        """
        if plain is None:
            plain = plain_values(context)
        if not self.proven or self.bare_cells is None or not plain:
            return True
        return any(all(loop.is_empty(env, context) for loop in cell) for cell in self.bare_cells)


def prove(env: jinja2.Environment, parsed: nodes.Template) -> Proof:
    """The proof for a parsed template, rendered by `env` (which must autoescape)."""
    if env.autoescape is not True:
        return Proof()
    try:
        marked = _Marker()
        marked.statements(parsed.body, bound=frozenset())
        root = etree.fromstring(XML_DECLARATION + "".join(marked.text).encode(), STRICT_XML)
        _check_blocks(root, marked.marks)
        _check_values(root, marked.values)
    except (_Unproven, etree.XMLSyntaxError, UnicodeEncodeError):
        return Proof()
    return Proof(True, _bare_cells(root, marked.loops))


# ---------------------------------------------------------------- the marked source


@dataclass
class _Marker:
    """Writes the template source out with blocks marked and values stood in for."""

    text: list[str] = field(default_factory=list)
    loops: dict[str, Loop | None] = field(default_factory=dict)  # block number → its loop
    marks: int = 0  # block marks written
    values: int = 0  # values stood in for

    def statements(self, body: list[nodes.Node], bound: frozenset[str]) -> None:
        """A list of template statements."""
        for node in body:
            if isinstance(node, nodes.Output):
                self.output(node, bound)
            elif isinstance(node, nodes.For):
                self.loop(node, bound)
            elif isinstance(node, nodes.If):
                self.branches(node, bound)
            else:
                raise _Unproven(type(node).__name__)

    def output(self, node: nodes.Output, bound: frozenset[str]) -> None:
        """Static text as it is; each value as the stand-in character."""
        for part in node.nodes:
            if isinstance(part, nodes.TemplateData):
                if UNPROVEN_CHARS.search(part.data):
                    raise _Unproven("control character")
                self.text.append(part.data)
            else:
                _check_expression(part)
                self.text.append(VALUE)
                self.values += 1

    def loop(self, node: nodes.For, bound: frozenset[str]) -> None:
        """A for block: its body, and its else branch."""
        if node.recursive:
            raise _Unproven("recursive loop")
        for expression in (node.iter, node.test):
            if expression is not None:
                _check_expression(expression)
        number = self._open()
        plain = node.test is None and not node.else_
        self.loops[number] = _loop_over(node.iter, bound) if plain else None
        targets = [node.target, *node.target.find_all(nodes.Name)]
        inner = bound | {n.name for n in targets if isinstance(n, nodes.Name)} | {"loop"}
        self.statements(node.body, inner)
        if node.else_:
            self._mark(_BRANCH, number)
            self.statements(node.else_, bound)
        self._mark(_END, number)

    def branches(self, node: nodes.If, bound: frozenset[str]) -> None:
        """An if block: each of its branches."""
        number = self._open()
        self.loops[number] = None
        for index, branch in enumerate([node, *node.elif_]):
            _check_expression(branch.test)
            if index:
                self._mark(_BRANCH, number)
            self.statements(branch.body, bound)
        if node.else_:
            self._mark(_BRANCH, number)
            self.statements(node.else_, bound)
        self._mark(_END, number)

    def _open(self) -> str:
        """Number a new block and mark where it starts."""
        number = str(len(self.loops))
        self._mark(_BLOCK, number)
        return number

    def _mark(self, kind: str, number: str) -> None:
        """Mark an edge of a block."""
        self.text.append(f"<?{kind} {number}?>")
        self.marks += 1


def _check_expression(expression: nodes.Node) -> None:
    """An expression whose result is escaped text: no calls, no markup-making filters."""
    for node in [expression, *expression.find_all(nodes.Node)]:
        if not isinstance(node, _PLAIN_EXPRESSIONS):
            raise _Unproven(type(node).__name__)
        if isinstance(node, nodes.Filter) and node.name not in _PLAIN_FILTERS:
            raise _Unproven(f"filter {node.name}")
        text = node.value if isinstance(node, nodes.Const) else None
        if isinstance(text, str) and UNPROVEN_CHARS.search(text):
            raise _Unproven("control character")


def _loop_over(iterable: nodes.Node, bound: frozenset[str]) -> Loop | None:
    """The context value a loop runs over, when it depends on nothing but the context."""
    steps: list[tuple[str, Any]] = []
    while isinstance(iterable, (nodes.Getattr, nodes.Getitem)):
        if isinstance(iterable, nodes.Getattr):
            steps.append(("attr", iterable.attr))
        elif isinstance(iterable.arg, nodes.Const):
            steps.append(("item", iterable.arg.value))
        else:
            return None
        iterable = iterable.node
    if not isinstance(iterable, nodes.Name) or iterable.name in bound:
        return None
    return Loop(iterable.name, tuple(reversed(steps)))


# ---------------------------------------------------------------- what the parse shows


def _marks(root: etree._Element) -> Iterator[tuple[str, str, etree._Element]]:
    """Every block mark: (kind, block number, the mark)."""
    for mark in root.iter(etree.ProcessingInstruction):
        if mark.target in (_BLOCK, _BRANCH, _END):
            yield mark.target, (mark.text or "").strip(), mark


def _check_blocks(root: etree._Element, written: int) -> None:
    """Each block's marks are siblings below the root: its branches are whole elements and text."""
    parents: dict[str, etree._Element] = {}
    found = 0
    for _kind, number, mark in _marks(root):
        found += 1
        if parents.setdefault(number, mark.getparent()) is not mark.getparent():
            raise _Unproven(f"block {number} crosses an element")
    if found != written:
        raise _Unproven("a block outside the root element")


def _check_values(root: etree._Element, written: int) -> None:
    """Every value is in the text or an attribute of an element inside the root.

    Not in a comment or processing instruction, where escaping does not protect it ("--"),
    nor in a namespace declaration. No xml:id either: a repeated one is a parse error.
    """
    if _XML_IDS(root):
        raise _Unproven("xml:id")
    if sum(text.count(VALUE) for text in _TEXTS_AND_VALUES(root)) != written:
        raise _Unproven("a value outside the text of elements")


def _bare_cells(
    root: etree._Element, loops: Mapping[str, Loop | None]
) -> tuple[tuple[Loop, ...], ...] | None:
    """For each cell with no paragraph outside a block, the loops that can give it one."""
    cells = []
    for cell in root.iter(w("tc")):
        filling = _filling_loops(cell, loops)
        if filling == ():
            continue
        if filling is None:
            return None
        cells.append(filling)
    return tuple(cells)


def _filling_loops(
    cell: etree._Element, loops: Mapping[str, Loop | None]
) -> tuple[Loop, ...] | None:
    """() when the cell always has a paragraph; else the loops filling it (None: not only loops).

    A loop fills the cell when its body has a paragraph outside any inner block.
    """
    open_blocks: list[str] = []
    filling: dict[str, bool] = {}
    for child in cell:
        if isinstance(child, etree._ProcessingInstruction) and child.target in (_BLOCK, _END):
            number = (child.text or "").strip()
            if child.target == _BLOCK:
                open_blocks.append(number)
                filling.setdefault(number, False)
            else:
                open_blocks.pop()
        elif child.tag == w("p"):
            if not open_blocks:
                return ()
            if len(open_blocks) == 1:
                filling[open_blocks[0]] = True
    chosen = [loops.get(number) for number, fills in filling.items() if fills]
    if not chosen or len(chosen) != len(filling) or None in chosen:
        return None  # no paragraph at all, an if block, a loop without a paragraph of its own
    return tuple(loop for loop in chosen if loop is not None)


# ---------------------------------------------------------------- the values of one form


def plain_values(context: Mapping[str, Any]) -> bool:
    """Whether every text in the context (keys too) is of characters the proof covers."""
    texts: list[str] = []
    pending: list[Any] = [context]
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind is str:  # not a subclass such as markup, which would go in unescaped
            texts.append(value)
        elif kind is dict:
            pending += value
            pending += value.values()
        elif kind is list or kind is tuple:
            pending += value
        elif not (value is None or kind in (bool, int, float)):
            return False  # a value of a kind not known here
    return UNPROVEN_CHARS.search("\r".join(texts)) is None

"""The environment templates run in: Jinja's immutable sandbox, with limits on size and time.

A template is a Word file anyone in the office may edit. The sandbox keeps its expressions away
from Python's internals; the limits keep one that runs away (`range(10**9)|list`, loops inside
loops, `"x" * 10**10`, `9**9**9`) from hanging the build or exhausting memory: it stops with a
TemplateLimit, which names the limit in Chinese.

- Every value a template computes holds at most MAX_VALUE characters or items, and every
  integer at most MAX_INT_BITS bits: operations that multiply sizes (`*`, `**`, `%`, `+`,
  joining, replacing, padding, format widths) are refused before they run when the result
  would be larger, and every other result is measured once it is made.
- A form's loops run at most MAX_STEPS steps in all, it takes at most RENDER_SECONDS, and its
  document holds at most MAX_DOCUMENT characters.
- Tags that capture output where it cannot be measured, or that recurse, are refused when the
  template is compiled: `{% macro %}`, `{% call %}`, `{% filter %}`, a `{% set %}` block,
  `{% include %}`, `{% import %}`, `{% extends %}`, `{% block %}` and recursive loops.
- Filters whose result grows with an argument and that a form has no use for are left out
  (`indent`, `wordwrap`, `center`, `tojson`, …), as is the `lipsum` function.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer
from markupsafe import soft_str

MAX_VALUE = 1_000_000  # characters of a text, items of a list
MAX_INT_DIGITS = 4_000  # Python prints an integer of at most 4,300 digits
MAX_INT_BITS = 13_288  # bits of MAX_INT_DIGITS decimal digits
MAX_STEPS = 100_000  # loop steps of one form (a real one takes a few hundred)
MAX_DOCUMENT = 20_000_000  # characters of one form's document.xml
RENDER_SECONDS = 10.0  # one form; a real one takes milliseconds
_JOIN_EVERY = 4096  # output pieces kept apart before they are joined (memory per piece)

# Jinja's filters a form template may not use: their result grows with an argument, or they
# write markup or random text, none of which belongs in a Word form.
_LEFT_OUT_FILTERS = (
    "batch", "center", "indent", "pprint", "random", "slice", "tojson", "urlencode", "urlize",
    "wordwrap", "xmlattr",
)  # fmt: skip
# Tags that capture or repeat output out of the limits' sight: (node type, the tag as written).
_REFUSED_TAGS: tuple[tuple[type[nodes.Node], str], ...] = (
    (nodes.Macro, "{% macro %}"),
    (nodes.CallBlock, "{% call %}"),
    (nodes.FilterBlock, "{% filter %}"),
    (nodes.AssignBlock, "{% set %}…{% endset %}"),
    (nodes.Include, "{% include %}"),
    (nodes.Import, "{% import %}"),
    (nodes.FromImport, "{% from … import %}"),
    (nodes.Extends, "{% extends %}"),
    (nodes.Block, "{% block %}"),
)
# The width and precision of a %-format conversion; the spec of a str.format field.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")
_BRACE_FIELD = re.compile(r"\{[^{}]*\}")
_NUMBER = re.compile(r"\d+")
_SIZED = (str, list, tuple, dict, set, frozenset, bytes, range)


class TemplateLimit(Exception):
    """A template went past one of the limits; the message says which, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RefusedTag(jinja2.TemplateSyntaxError):
    """A tag form templates may not use, found when compiling; the message is Chinese."""


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with gen's limits; `bounded()` compiles a template, `render()` fills it in."""

    intercepted_binops = frozenset(("*", "**", "%", "+"))

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.globals.pop("lipsum", None)
        self.globals["range"] = _bounded_range
        for name in _LEFT_OUT_FILTERS:
            self.filters.pop(name, None)
        self.filters = {name: _measured(name, f) for name, f in self.filters.items()}
        self.filters.update(_gen_steps=self._steps, _gen_concat=_concat, _gen_value=_value)
        self._steps_left = MAX_STEPS
        self._deadline = 0.0

    def bounded(self, parsed: nodes.Template) -> jinja2.Template:
        """Compile a parsed template with every loop counted and every assigned value measured.

        A RefusedTag (a TemplateSyntaxError) names a tag the limits cannot watch.
        """
        _refuse_unwatched(parsed)
        _Measured().visit(parsed)
        parsed.set_environment(self)
        return self.from_string(parsed)

    def render(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """The template filled in with `context`, within the limits of one form."""
        self._steps_left = MAX_STEPS
        self._deadline = time.monotonic() + RENDER_SECONDS
        joined: list[str] = []
        pieces: list[str] = []
        size = 0
        for piece in template.generate(context):
            size += len(piece)
            if size > MAX_DOCUMENT:  # before a piece more is kept: memory stays near the limit
                raise TemplateLimit(f"生成的文档超过 {_wan(MAX_DOCUMENT)} 个字符")
            pieces.append(piece)
            if len(pieces) >= _JOIN_EVERY:
                self._in_time()
                joined.append("".join(pieces))
                pieces.clear()
        joined.extend(pieces)
        return "".join(joined)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`row.一级`, `loop.first`: the forms' own values and loops are looked up directly."""
        # the sandbox's checks, for what a form reads on every row, cost a third of a render
        kind = type(obj)
        if kind is dict and attribute in obj:
            return obj[attribute]  # a value's key (gen's keys are never a dict method's name)
        if kind is LoopContext and not attribute.startswith("_"):
            try:  # `loop.first` on every row: no context manager made for each
                return getattr(obj, attribute)
            except AttributeError:
                pass
        return super().getattr(obj, attribute)

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        """`*`, `**`, `%` and `+`, refused when the result would be over a limit."""
        _check_binop(operator, left, right)
        return _value(super().call_binop(context, operator, left, right))

    def call(
        self, context: jinja2.runtime.Context, function: Any, /, *args: Any, **kwargs: Any
    ) -> Any:
        """A function or method called by the template, within the limits."""
        _check_arguments(args, kwargs)
        args = _checked_text_method(function, args, kwargs)
        return _value(super().call(context, function, *args, **kwargs))

    def _steps(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """The items of a loop, counted against the form's steps and time."""
        for item in iterable:
            self._steps_left -= 1
            if self._steps_left < 0:
                raise TemplateLimit(f"循环一共超过 {_wan(MAX_STEPS)} 次")
            if not self._steps_left % 1024:
                self._in_time()
            yield item

    def _in_time(self) -> None:
        """Stop a form that has taken longer than RENDER_SECONDS."""
        if time.monotonic() > self._deadline:
            raise TemplateLimit(f"填一张表超过 {RENDER_SECONDS:g} 秒还没有填完")


class _Measured(NodeTransformer):
    """Counts every loop's steps and measures every value a tag assigns or `~` joins."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        """A loop's items come through the step counter."""
        self.generic_visit(node)
        node.iter = _filtered(node.iter, "_gen_steps")
        return node

    def visit_Assign(self, node: nodes.Assign) -> nodes.Node:
        """`{% set x = … %}`: the value is measured."""
        self.generic_visit(node)
        node.node = _filtered(node.node, "_gen_value")
        return node

    def visit_With(self, node: nodes.With) -> nodes.Node:
        """`{% with x = … %}`: each value is measured."""
        self.generic_visit(node)
        node.values = [_filtered(value, "_gen_value") for value in node.values]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        """`a ~ b`: measured before it is joined."""
        self.generic_visit(node)
        return _filtered(nodes.List(node.nodes, lineno=node.lineno), "_gen_concat")


def _wan(number: int) -> str:
    """A limit as Chinese writes it: 100 万."""
    return f"{number // 10_000} 万"


def _filtered(node: nodes.Node, name: str) -> nodes.Filter:
    """`node | name`."""
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def _refuse_unwatched(parsed: nodes.Template) -> None:
    """A RefusedTag for the first tag that captures or repeats output out of the limits' sight."""
    for node in parsed.find_all(nodes.Stmt):
        found = next((tag for kind, tag in _REFUSED_TAGS if isinstance(node, kind)), None)
        if isinstance(node, nodes.For) and node.recursive:
            found = "{% for … recursive %}"
        if found is not None:
            raise RefusedTag(
                f"表格模板里不能用 {found}，只能用 {{{{ … }}}}、{{% if %}}、{{% for %}} 和 {{% set %}}",
                node.lineno,
            )


# ---------------------------------------------------------------- the measures


def _measured(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A Jinja filter whose arguments and result are kept within the limits."""
    passes = hasattr(function, "jinja_pass_arg")  # its first argument is Jinja's context

    def measured(*args: Any, **kwargs: Any) -> Any:
        value, rest = args[passes], list(args[passes + 1 :])
        _check_arguments(rest, kwargs)
        if name == "join":
            args = (*args[:passes], _joinable(value, rest, kwargs), *rest)
        elif name in _TEXT_SIZES:
            _check_size(_TEXT_SIZES[name](soft_str(value), rest, kwargs))
        elif name == "sum":
            start = kwargs.get("start", rest[1] if len(rest) > 1 else 0)
            if not isinstance(start, (int, float, Decimal)):
                raise TemplateLimit("sum 只能把数字相加")
        return _value(function(*args, **kwargs))

    if passes:
        measured.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return measured


def _joinable(items: Iterable[Any], rest: list[Any], kwargs: dict[str, Any]) -> list[Any]:
    """The items of the join filter as a list, once their joined length is known to be in limits."""
    listed = list(items)
    separator = soft_str(kwargs.get("d", rest[0] if rest else ""))
    if kwargs.get("attribute", rest[1] if len(rest) > 1 else None) is None:
        _check_size(_joined_length(separator, listed))
    else:  # the attribute of each item is joined: no longer than the item itself
        _check_size(len(separator) * len(listed))
    return listed


def _bounded_range(*args: int) -> range:
    """range(), at most MAX_VALUE items."""
    numbers = range(*args)
    if len(numbers) > MAX_VALUE:
        raise TemplateLimit(f"range() 的范围超过 {_wan(MAX_VALUE)} 项")
    return numbers


def _concat(values: list[Any]) -> str:
    """`a ~ b ~ …` as Jinja joins it, refused when it would be over MAX_VALUE characters."""
    texts = [soft_str(value) for value in values]
    _check_size(sum(map(len, texts)))
    return markup_join(texts)


def _value(value: Any) -> Any:
    """A value the template computed, if it is within the limits."""
    if isinstance(value, _SIZED):
        _check_size(len(value))
    elif type(value) is int:
        _check_bits(value.bit_length())
    return value


def _check_size(size: int) -> None:
    """Refuse a value of more than MAX_VALUE characters or items."""
    if size > MAX_VALUE:
        raise TemplateLimit(f"算出的值超过 {_wan(MAX_VALUE)} 个字符（或项）")


def _check_bits(bits: int) -> None:
    """Refuse an integer of more than MAX_INT_BITS bits."""
    if bits > MAX_INT_BITS:
        raise TemplateLimit(f"算出的数字超过 {MAX_INT_DIGITS} 位")


def _check_arguments(args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    """Every whole number given to a function or filter (a width, a count) is at most MAX_VALUE."""
    for value in [*args, *kwargs.values()]:
        if type(value) is int and abs(value) > MAX_VALUE:
            raise TemplateLimit(f"给函数或过滤器的数字超过 {_wan(MAX_VALUE)}")


def _check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `left operator right` when its result would be over a limit."""
    if operator == "%" and isinstance(left, str):
        _check_format(left, right)
    elif operator == "*":
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, _SIZED) and type(count) is int:
                _check_size(len(sequence) * count)
        if type(left) is int and type(right) is int:
            _check_bits(left.bit_length() + right.bit_length())
    elif operator == "**" and type(left) is int and type(right) is int and abs(left) > 1:
        _check_bits((left.bit_length() - 1) * max(right, 0))
    elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        # Not left to _value: each side may be at the limit (or, from the context, past it),
        # and measuring the sum once it is made would make it first.
        _check_size(len(left) + len(right))


def _check_format(pattern: str, arguments: Any, percent: bool = True) -> None:
    """A %-format (or str.format) pattern whose widths and precisions are within MAX_VALUE, and
    whose result is within MAX_VALUE however often its fields repeat an argument."""
    if percent:
        fields = len(_PERCENT_SPEC.findall(pattern))
        numbers = [n for spec in _PERCENT_SPEC.findall(pattern) for n in spec if n]
    else:
        fields = len(_BRACE_FIELD.findall(pattern))
        numbers = [n for spec in _BRACE_SPEC.findall(pattern) for n in _NUMBER.findall(spec)]
    if "*" in numbers or any(int(n) > MAX_VALUE for n in numbers if n != "*"):
        raise TemplateLimit(f"格式里的宽度或位数超过 {_wan(MAX_VALUE)}")
    widest = max((int(n) for n in numbers), default=0)
    longest = max((len(soft_str(value)) for value in _format_values(arguments)), default=0)
    _check_size(len(pattern) + fields * max(widest, longest))


def _format_values(arguments: Any) -> list[Any]:
    """What a format may print: the items of a tuple or list, the values of a mapping."""
    if isinstance(arguments, dict):
        return list(arguments.values())
    if isinstance(arguments, list | tuple):
        return [value for item in arguments for value in _format_values(item)]
    return [arguments]


def _joined_length(separator: str, items: list[Any]) -> int:
    """The length of separator.join(items)."""
    _check_size(len(items))
    return sum(len(soft_str(item)) for item in items) + len(separator) * len(items)


def _replaced(text: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """The length of text.replace(old, new)."""
    old = soft_str(kwargs.get("old", args[0] if args else ""))
    new = soft_str(kwargs.get("new", args[1] if len(args) > 1 else ""))
    places = text.count(old) if old else len(text) + 1
    return len(text) + places * max(len(new) - len(old), 0)


def _padded(text: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """The length of text padded to a width (ljust, rjust, center, zfill)."""
    width = next((a for a in [*args, *kwargs.values()] if type(a) is int), 0)
    return max(len(text), width)


def _expanded(text: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """The length of text.expandtabs(size), at most."""
    size = next((a for a in [*args, *kwargs.values()] if type(a) is int), 8)
    return len(text) + text.count("\t") * max(size, 0)


def _formatted(text: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """A %-format pattern (the format filter), checked for its widths and its size; its length."""
    _check_format(text, [*args, *kwargs.values()])
    return len(text)  # _check_format has bounded the result


def _brace_formatted(text: str, args: list[Any], kwargs: dict[str, Any]) -> int:
    """A str.format pattern, checked for its widths and its size; its length."""
    _check_format(text, [*args, *kwargs.values()], percent=False)
    return len(text)  # _check_format has bounded the result


# Text methods and filters whose result can outgrow their input: its length, from the text
# and the arguments, known before it is made.
_TEXT_SIZES: dict[str, Callable[[str, list[Any], dict[str, Any]], int]] = {
    "replace": _replaced,
    "center": _padded,
    "ljust": _padded,
    "rjust": _padded,
    "zfill": _padded,
    "expandtabs": _expanded,
    "format": _formatted,  # the filter; str.format is _METHOD_SIZES'
}
_METHOD_SIZES = {**_TEXT_SIZES, "format": _brace_formatted, "format_map": _brace_formatted}


def _checked_text_method(
    function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    """The arguments of a text method (`"x".center(n)`, `s.replace(a, b)`, `sep.join(items)`),
    refused when its result would be over the limit (join's items made a list to be measured)."""
    method = getattr(function, "__wrapped__", function)  # the sandbox wraps str.format
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if not isinstance(owner, str):
        return args
    if name == "join" and args:
        items = list(args[0])
        _check_size(_joined_length(owner, items))
        return (items, *args[1:])
    if name in _METHOD_SIZES:
        _check_size(_METHOD_SIZES[name](owner, list(args), kwargs))
    return args

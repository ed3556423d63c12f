"""A template's errors in Chinese: what is wrong in the words of the tag, and the text near it.

Jinja reports in English ("unexpected '}'", "No filter named 'x'.", "ZeroDivisionError");
a clerk reads Chinese, and knows a template by its visible text, not by line numbers of its
XML. The source a template is compiled from has a Jinja comment holding a line break before
each paragraph (`PARAGRAPH_LINES`), so the line Jinja names is the paragraph the tag sits in.
"""

from __future__ import annotations

import re
from types import TracebackType

import jinja2
from jinja2.sandbox import SecurityError

from gen.balance import PREPARED
from gen.sandbox import RefusedTag, TemplateLimit

_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_LINE_MARK = "{#\n#}"  # a comment: prints nothing, moves Jinja's line count on by one
# A comment or a raw block of the template's own, to its end (or the template's, if unclosed)
_LEFT_AS_WRITTEN = re.compile(
    r"\{#.*?(?:#\}|\Z)|\{%-?\s*raw\s*-?%\}.*?(?:\{%-?\s*endraw\s*-?%\}|\Z)", re.S
)
_XML_TAG = re.compile(r"<[^>]+>")
_NEAR_LENGTH = 60
_UNCLOSED = re.compile(r"^Unexpected end of template\..*closed is '(\w+)'", re.S)
TEMPLATE_FRAME = "<template>"  # the file name Jinja gives a compiled template's frames
# Jinja's words: "'主管单位' is undefined", "'dict object' has no attribute '一级'"
_UNDEFINED_NAME = re.compile(r"'([^']*)' is undefined|has no attribute '([^']*)'")
# How Jinja names tokens in "expected token 'X', got 'Y'"
_TOKENS = {
    "end of print statement": "}}",
    "begin of print statement": "{{",
    "end of statement block": "%}",
    "begin of statement block": "{%",
    "begin of comment": "{#",
    "end of comment": "#}",
    "end of template": "模板末尾",
    "template data / text": "文字",
    "name": "名称",
    "integer": "数字",
    "float": "数字",
    "string": "引号里的文字",
}
_TAG_HINT = "；标签只能是 if、for、set 等，要印出一个值请写 {{{{ 名称 }}}}"  # a format string
# Jinja's syntax messages (and the runtime ones about names) → Chinese, {0}… the parts caught.
# Patterns, not compiled: they are needed only when a template is wrong (re caches them then).
_SYNTAX: tuple[tuple[str, str], ...] = (
    (r"unexpected '(.)', expected '(.)'", "括号不配对：这里应为“{1}”，写成了“{0}”"),
    (r"unexpected '\}'", "多了一个“}}”，或占位符没有以“}}}}”结束"),
    (r"unexpected '(.)'", "多了一个“{0}”"),
    (r"unexpected 'end of template'", "到模板末尾，占位符还没有结束（缺少“}}}}”或“%}}”）"),
    (r"unexpected '(.+)'", "这里不应有“{0}”"),
    (r"unexpected char ['\"](.*)['\"] at \d+", "占位符里有不能用的字符“{0}”"),
    (r"Missing end of comment tag", "“{{#”开始的注释没有以“#}}”结束"),
    (r"Missing end of raw directive", "{{% raw %}} 没有对应的 {{% endraw %}}"),
    (r"unexpected end of template, expected '(.*)'\.", "到模板末尾还缺少“{0}”"),
    (r"expected token '(.*)', got '(.*)'", "这里应为“{0}”，写成了“{1}”"),
    (r"Encountered unknown tag '([^']*)'\..*looking for .*?'(end\w+)'", "标签 {{% {0} %}} 的位置不对：这里应先写 {{% {1} %}}"),
    (r"Encountered unknown tag '([^']*)'", "不认识的标签 {{% {0} %}}" + _TAG_HINT),
    (r"Unexpected end of template\..*closed is '(\w+)'", "{{% {0} %}} 没有对应的 {{% end{0} %}}"),
    (r"Unexpected end of template", "到模板末尾还有标签没有结束"),
    (r"No filter named '([^']*)'", "“|”后面的“{0}”不是模板能用的过滤器"),
    (r"No test named '([^']*)'", "“is”后面的“{0}”不是模板能用的判断"),
    (r"tag name expected", "{{% %}} 里缺少标签名"),
    (r"Expected an expression, got '(.*)'", "这里缺少表达式，写成了“{0}”"),
    (r"expected name or number", "“.”后面应为名称或数字"),
    (r"expected subscript expression", "[ ] 里缺少表达式"),
    (r"can't assign to", "这里不能赋值"),
    (r"Invalid character in identifier", "名称里有不能用的字符"),
)  # fmt: skip
# Python's errors inside a template's expressions → what they mean there.
_RUNTIME: tuple[tuple[type[BaseException], str], ...] = (
    (ZeroDivisionError, "除数为零"),
    (OverflowError, "数字太大"),
    (RecursionError, "嵌套太深"),
    (MemoryError, "内存不够"),
    (TypeError, "值的类型不对（例如把文字当作数字计算）"),
    (ValueError, "值无法转换或不合要求（例如把文字转换成数字）"),
    (IndexError, "取的项超出了范围"),
    (KeyError, "取的项不存在"),
    (AttributeError, "取的属性不存在"),
    (ArithmeticError, "无法计算"),
)


def with_paragraph_lines(source: str) -> str:
    """The template source with each paragraph on a line of its own, output unchanged.

    No mark goes inside the template's own comments or raw blocks, where it would end the
    comment or print.
    """
    pieces, at = [], 0
    for kept in _LEFT_AS_WRITTEN.finditer(source):
        pieces += [_marked(source[at : kept.start()]), kept.group(0)]
        at = kept.end()
    return "".join([*pieces, _marked(source[at:])])


def _marked(source: str) -> str:
    """A line mark before every paragraph."""
    return _PARAGRAPH_START.sub(_LINE_MARK + r"<w:p\1", source)


def syntax_message(path: str, source: str, error: jinja2.TemplateSyntaxError) -> str:
    """The message for a template that does not compile."""
    return (
        f"模板 {path} 有语法错误：{syntax_reason(error)}{near(source, _error_line(source, error))}；"
        "请在 Word 中打开模板改正占位符"
    )


def _error_line(source: str, error: jinja2.TemplateSyntaxError) -> int | None:
    """The line to show for a syntax error: the unclosed tag's, when the template ends too early."""
    unclosed = _UNCLOSED.search(error.message or "")
    return _opening_line(source, unclosed[1]) if unclosed else error.lineno


def _opening_line(source: str, tag: str) -> int | None:
    """The line of the last `{% tag %}` that no `{% endtag %}` closes."""
    opened: list[int] = []
    pattern = re.compile(r"\{%[-+]?\s*(end)?" + re.escape(tag) + r"\b")
    for number, line in enumerate(source.split("\n"), start=1):
        for found in pattern.finditer(line):
            if found[1]:
                if opened:
                    opened.pop()
            else:
                opened.append(number)
    return opened[-1] if opened else None


def render_message(path: str, source: str, error: BaseException) -> str:
    """The message for a template whose expressions failed while a form was filled in."""
    where = near(source, template_line(error.__traceback__))
    if isinstance(error, jinja2.UndefinedError) and undefined_name(error):
        return (
            f"模板 {path} 用到了 gen 不提供的占位符{undefined_name(error)}{where}；"
            "请检查模板中的占位符名称是否拼写正确"
        )
    if isinstance(error, TemplateLimit):
        return (
            f"模板 {path} 超出了限制：{error.message}{where}；"
            "请检查模板里的循环和表达式，或换回 gen 自带的模板"
        )
    return (
        f"模板 {path} 无法填入数据：{runtime_reason(error)}{where}；"
        "请检查模板中占位符里的表达式，或换回 gen 自带的模板"
    )


def syntax_reason(error: jinja2.TemplateError) -> str:
    """What a Jinja syntax (or name) error means, in Chinese; never Jinja's English."""
    if isinstance(error, RefusedTag):
        return error.message or ""
    text = error.message or ""
    for pattern, chinese in _SYNTAX:
        found = re.search(pattern, text, re.S)
        if found:
            return chinese.format(*(_TOKENS.get(part, part) for part in found.groups()))
    return "占位符或标签的写法不对"


def runtime_reason(error: BaseException) -> str:
    """What an error inside a template's expression means, in Chinese."""
    if isinstance(error, SecurityError):
        found = re.search(r"attribute '([^']*)'", str(error))
        return f"模板里不能使用“{found[1]}”" if found else "模板里不能调用这个函数"
    if isinstance(error, jinja2.UndefinedError):  # an item a list or mapping does not have
        return "取的项不存在"
    if isinstance(error, jinja2.TemplateError):
        return syntax_reason(error)
    for kind, meaning in _RUNTIME:
        if isinstance(error, kind):
            return meaning
    return "表达式无法计算"


def undefined_name(error: jinja2.UndefinedError) -> str:
    """“名称” of the placeholder Jinja found undefined, from its message ("" if it names none)."""
    found = _UNDEFINED_NAME.search(error.message or "")
    return f"“{found[1] or found[2]}”" if found else ""


def template_line(trace: TracebackType | None) -> int | None:
    """The template line of the innermost template frame in a traceback."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == TEMPLATE_FRAME:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def near(source: str, line: int | None) -> str:
    """“（出错位置附近的文字：“…”）” for the paragraph on a source line; "" when it has none."""
    lines = source.split("\n")
    if not line or line > len(lines):
        return ""
    paragraph = lines[line - 1].removeprefix("#}").removesuffix("{#")  # the line marks
    text = _XML_TAG.sub("", PREPARED.sub("", paragraph)).strip()  # gen's own tags left out
    if not text:
        return ""
    shown = text if len(text) <= _NEAR_LENGTH else text[:_NEAR_LENGTH] + "…"
    return f"（出错位置附近的文字：“{shown}”）"

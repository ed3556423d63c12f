"""A broken or runaway template: one Chinese message naming the template and the text near the tag.

Never Jinja's or Python's English. The limits that stop a template that loops or grows without
end are tested in test_sandbox.py.
"""

from __future__ import annotations

import contextlib
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import jinja2
import pytest
from docx_grid import NS, docx_grid
from hypothesis import given, settings
from hypothesis import strategies as st
from test_render import TEMPLATES, context, copy_template

from gen import sandbox
from gen.errors import BrokenTemplate, GenError
from gen.render import Renderer
from gen.template_errors import syntax_reason, with_paragraph_lines

PATH = "绩效目标表.docx"
NAME = "{{ 项目名称 }}"  # the tag the cases replace; it sits alone in its cell's paragraph
SYNTAX_END = "；请在 Word 中打开模板改正占位符"
RUNTIME_END = "；请检查模板中占位符里的表达式，或换回 gen 自带的模板"
LIMIT_END = "；请检查模板里的循环和表达式，或换回 gen 自带的模板"


@contextlib.contextmanager
def memory_cap(gigabytes: float = 2) -> Iterator[None]:
    """A limit on this process's memory while a runaway template runs (where the system has one),
    so that a broken guard fails the test with MemoryError instead of exhausting the machine."""
    if sys.platform != "linux":
        yield
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:  # pages of virtual memory in use now
        in_use = int(statm.read().split()[0]) * resource.getpagesize()
    cap = in_use + int(gigabytes * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard < 0 else min(cap, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def message(tmp_path, tag: str, **changes) -> str:
    """The message of rendering the 绩效目标表 with 项目名称's tag replaced by `tag`."""
    copy_template(tmp_path, "绩效目标表", NAME, tag)
    with memory_cap(), pytest.raises(BrokenTemplate) as raised:
        Renderer(tmp_path).render("绩效目标表", context(**changes))
    return raised.value.message.replace(f"{(tmp_path / PATH).as_posix()}", PATH)


def near(text: str) -> str:
    """The place the message names: the paragraph's text, up to 60 characters."""
    return f"（出错位置附近的文字：“{text if len(text) <= 60 else text[:60] + '…'}”）"


# ---------------------------------------------------------------- what does not compile


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ("{{ 项目名称 | nosuchfilter }}", "“|”后面的“nosuchfilter”不是模板能用的过滤器"),
        ("{{ 项目名称 is nosuchtest }}", "“is”后面的“nosuchtest”不是模板能用的判断"),
        ("{{ 项目名称 项目名称 }}", "这里应为“}}”，写成了“项目名称”"),
        ("{{ (项目名称 }}", "括号不配对：这里应为“)”，写成了“}”"),
        ("{{ 项目名称 ]}}", "多了一个“]”"),
        ("{% 项目名称 %}", "不认识的标签 {% 项目名称 %}；标签只能是 if、for、set 等，要印出一个值请写 {{ 名称 }}"),
        ("{% for x in 项目总目标 %}", "{% for %} 没有对应的 {% endfor %}"),
        ("{% endif %}", "不认识的标签 {% endif %}；标签只能是 if、for、set 等，要印出一个值请写 {{ 名称 }}"),
        ("{{ }}", "这里缺少表达式，写成了“}}”"),
        ("{{ 项目名称. }}", "“.”后面应为名称或数字"),
        ("{{ 项目名称 @ 1 }}", "占位符里有不能用的字符“@”"),
        ("{% macro 宏() %}{% endmacro %}", "表格模板里不能用 {% macro %}，只能用 {{ … }}、{% if %}、{% for %} 和 {% set %}"),
        ("{% for x in 项目总目标 recursive %}{% endfor %}", "表格模板里不能用 {% for … recursive %}，只能用 {{ … }}、{% if %}、{% for %} 和 {% set %}"),
        ("{% include '其他.docx' %}", "表格模板里不能用 {% include %}，只能用 {{ … }}、{% if %}、{% for %} 和 {% set %}"),
    ],
)  # fmt: skip
def test_a_tag_that_does_not_compile_is_named_in_chinese_at_its_paragraph(tmp_path, tag, reason):
    assert message(tmp_path, tag) == f"模板 {PATH} 有语法错误：{reason}{near(tag)}{SYNTAX_END}"


def test_an_unclosed_brace_points_at_its_own_paragraph(tmp_path):
    found = message(tmp_path, "{{ 项目名称 }")
    assert found.startswith(
        f"模板 {PATH} 有语法错误：多了一个“}}”，或占位符没有以“}}}}”结束（出错位置附近的文字：“{{{{ 项目名称 }}项目类别"
    )
    assert found.endswith(f"”）{SYNTAX_END}")


def test_no_english_reaches_the_message_whatever_jinja_says(tmp_path):
    """Jinja's messages not in the table still give a Chinese message, never Jinja's English."""
    for tag in ("{% set 1 = 2 %}", "{{ 项目名称[] }}", "{% for %}{% endfor %}", "{{ 1 if }}"):
        found = message(tmp_path, tag)
        rest = re.sub("Word|gen", "", found.replace(PATH, "").replace(tag, ""))
        assert not re.search("[A-Za-z]{3,}", rest), found


# ---------------------------------------------------------------- what fails while filling in


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ("{{ 1/0 }}", "除数为零"),
        ("{{ 项目名称 + 1 }}", "值的类型不对（例如把文字当作数字计算）"),
        ("{{ 项目名称.__class__ }}", "模板里不能使用“__class__”"),
        ("{{ 项目总目标.append(1) }}", "模板里不能使用“append”"),
        ("{{ 项目总目标[9] }}", "取的项不存在"),
        ("{% if 项目名称 %}{{ 项目名称 | nosuchfilter }}{% endif %}", "“|”后面的“nosuchfilter”不是模板能用的过滤器"),
        ("{{ '%d' % 项目名称 }}", "值的类型不对（例如把文字当作数字计算）"),
        ("{{ 2.0 ** 100000 }}", "数字太大"),
    ],
)  # fmt: skip
def test_an_expression_that_fails_is_named_in_chinese_at_its_paragraph(tmp_path, tag, reason):
    assert message(tmp_path, tag) == f"模板 {PATH} 无法填入数据：{reason}{near(tag)}{RUNTIME_END}"


def test_a_tag_nested_thousands_deep_is_a_chinese_message(tmp_path):
    for tag in ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "{% if 1 %}" * 3000):
        assert message(tmp_path, tag) == (
            f"模板 {PATH} 有语法错误：占位符或标签嵌套太深，无法读出{SYNTAX_END}"
        )


# ---------------------------------------------------------------- whatever a tag holds

TOKENS = (
    "{{", "}}", "{%", "%}", "{#", "#}", "(", ")", "[", "]", "|", ".", ",", "~", "+", "*", "/",
    "**", "%", "'", '"', ":", "=", " ", "项目名称", "指标行", "row", "loop", "if", "for", "in",
    "endif", "endfor", "else", "set", "with", "range", "9", "0", "99999", "join", "length",
    "replace", "format", "nosuch", "is", "defined", "not", "and", "macro", "__class__", "x",
)  # fmt: skip
_NEAR = re.compile("（出错位置附近的文字：“.*?”）")
# Words the messages use themselves: names of things, tags a template may or may not write.
OUR_WORDS = {"Word", "gen", "for", "set", "endfor", "endif", "endset", "range", "sum", "macro"}


@pytest.fixture(scope="module")
def small_template(tmp_path_factory) -> Path:
    """The 绩效目标表 package with a one-paragraph document: compiled in a moment."""
    return tmp_path_factory.mktemp("small") / "绩效目标表.docx"


def with_document(target: Path, text: str) -> None:
    """The template package at `target` with a document of one paragraph holding `text`."""
    body = f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    document = f'<w:document xmlns:w="{NS["w"]}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(TEMPLATES / PATH) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            data = source.read(item)
            copy.writestr(item, document if item.filename == "word/document.xml" else data)


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=14))
def test_whatever_a_tag_holds_the_message_is_chinese(small_template, tokens):
    tag = "".join(tokens)
    with_document(small_template, tag)
    try:
        with memory_cap():
            Renderer(small_template.parent).render("绩效目标表", context())
    except GenError as error:
        said = _NEAR.sub("", error.message.replace(small_template.as_posix(), PATH))
        words = re.findall("[A-Za-z_]{3,}", said.replace(PATH, ""))
        assert [w for w in words if w not in OUR_WORDS and w not in tag] == [], error.message


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{# 备注", "“{#”开始的注释没有以“#}”结束"),
        ("{{ 项目名称", "到模板末尾还缺少“}}”"),
        ("{{ ", "到模板末尾，占位符还没有结束（缺少“}}”或“%}”）"),
        ("{{ '项目名称 }}", "占位符里有不能用的字符“'”"),
        ("{% raw %}x", "{% raw %} 没有对应的 {% endraw %}"),
    ],
)
def test_what_only_the_end_of_a_template_shows_is_said_in_chinese(source, reason):
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        sandbox.BoundedEnvironment().parse(source)
    assert syntax_reason(raised.value) == reason


def test_the_templates_own_comments_and_raw_blocks_are_left_as_written(tmp_path):
    """The line marks never go inside them: a comment would end early, a raw block print them."""
    tag = "{# 说明 #}{% raw %}{{ 原样 }}{% endraw %}{{ 项目名称 }}"
    copy_template(tmp_path, "绩效目标表", NAME, tag)
    assert with_paragraph_lines("a{# x<w:p>y #}<w:p>{% raw %}<w:p>{% endraw %}") == (
        "a{# x<w:p>y #}{#\n#}<w:p>{% raw %}<w:p>{% endraw %}"
    )
    rendered = Renderer(tmp_path).render("绩效目标表", context())
    assert docx_grid(rendered)[0][1].text == "{{ 原样 }}社工"

"""The sandbox templates run in: a template that loops or grows without end stops at a limit,
with a Chinese message, instead of hanging or exhausting memory."""

from __future__ import annotations

import tracemalloc

import pytest
from docx_grid import docx_grid
from test_render import TEMPLATES, context, copy_template
from test_template_errors import LIMIT_END, NAME, PATH, SYNTAX_END, message, near

from gen import sandbox
from gen.render import Renderer


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ("{{ range(10**9)|list }}", "给函数或过滤器的数字超过 100 万"),
        ("{{ range(-999999, 999999)|list }}", "range() 的范围超过 100 万 项"),
        ("{{ 'x' * 10**10 }}", "算出的值超过 100 万 个字符（或项）"),
        ("{{ [0] * 10**7 }}", "算出的值超过 100 万 个字符（或项）"),
        ("{{ 2 ** (10**7) }}", "算出的数字超过 4000 位"),
        ("{{ 9 ** 99999 * 9 ** 99999 }}", "算出的数字超过 4000 位"),
        ("{{ 2 ** 20000 }}", "算出的数字超过 4000 位"),
        ("{{ '%999999999d' % 1 }}", "格式里的宽度或位数超过 100 万"),
        ("{{ '%*d' % (999, 1) }}", "格式里的宽度或位数超过 100 万"),
        ("{{ '{:999999999}'.format(1) }}", "格式里的宽度或位数超过 100 万"),
        ("{{ 'x'.ljust(999999).replace(' ', 'x'.ljust(999999)) }}", "算出的值超过 100 万 个字符（或项）"),
        ("{{ 'ab' | replace('a', 'x' * 999999) | replace('x', 'yy') }}", "算出的值超过 100 万 个字符（或项）"),
        ("{{ range(99999) | join('x' * 99999) }}", "算出的值超过 100 万 个字符（或项）"),
        ("{{ 'x'.join(['y' * 999] * 9999) }}", "算出的值超过 100 万 个字符（或项）"),
        ("{% set a = 'x' * 999999 %}{{ a ~ a }}", "算出的值超过 100 万 个字符（或项）"),
        ("{% set a = 'x' * 600000 %}{% set b = a + a %}", "算出的值超过 100 万 个字符（或项）"),
        ("{% set n = namespace(s='x') %}{% for i in range(40) %}{% set n.s = n.s ~ n.s %}{% endfor %}", "算出的值超过 100 万 个字符（或项）"),
        ("{{ [[0] * 999] * 999 | sum(start=[]) }}", "sum 只能把数字相加"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "循环一共超过 10 万 次"),
        ("{% for i in range(99999) %}{% for j in 项目名称 * 99 %}x{% endfor %}{% endfor %}", "循环一共超过 10 万 次"),
    ],
)  # fmt: skip
def test_a_runaway_expression_stops_at_a_limit(tmp_path, tag, reason):
    assert message(tmp_path, tag) == f"模板 {PATH} 超出了限制：{reason}{near(tag)}{LIMIT_END}"


@pytest.mark.parametrize(
    "tag",
    [
        "{% set s = 'x' * 20000 %}{{ ('{0}' * 5000).format(s) }}",
        "{% set s = 'x' * 20000 %}{{ ('%(a)s' * 5000) % {'a': s} }}",
        "{% set s = 'x' * 20000 %}{{ ('%s' * 5000) | format(*([s] * 5000)) }}",
    ],
)
def test_a_format_repeating_an_argument_is_refused_before_it_is_made(tmp_path, tag):
    """100 million characters if made: refused from the pattern and the arguments alone."""
    tracemalloc.start()
    try:
        said = message(tmp_path, tag)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (
        said == f"模板 {PATH} 超出了限制：算出的值超过 100 万 个字符（或项）{near(tag)}{LIMIT_END}"
    )
    assert peak < 30_000_000


def test_filters_whose_result_grows_with_an_argument_are_left_out(tmp_path):
    for name in ("center(10**9)", "indent(10**9)", "wordwrap(1, wrapstring='x')", "tojson(10**9)"):
        tag = f"{{{{ 项目名称 | {name} }}}}"
        filter_name = name.split("(")[0]
        assert message(tmp_path, tag) == (
            f"模板 {PATH} 有语法错误：“|”后面的“{filter_name}”不是模板能用的过滤器{near(tag)}{SYNTAX_END}"
        )


def test_a_form_that_takes_too_long_or_grows_too_large_is_stopped(tmp_path, monkeypatch):
    loop = "{% for i in range(5000) %}{% endfor %}"
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0)
    assert message(tmp_path, loop) == (
        f"模板 {PATH} 超出了限制：填一张表超过 0 秒还没有填完{near(loop)}{LIMIT_END}"
    )
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 10)
    monkeypatch.setattr(sandbox, "MAX_DOCUMENT", 20_000)  # a form's document is larger
    assert (
        message(tmp_path, NAME) == f"模板 {PATH} 超出了限制：生成的文档超过 2 万 个字符{LIMIT_END}"
    )


def test_what_real_templates_write_still_works_in_the_sandbox(tmp_path):
    """Loops with loop.*, set, with, ~, + and the plain filters: limits change no output."""
    tag = (
        "{% set 名 = 项目名称 ~ '（' ~ 年度 ~ '）' %}{% with n = 项目总目标 | length %}"
        "{{ 名 }}{{ n + 1 }}{% for x in 项目总目标 %}{{ loop.index }}{{ x | trim }}"
        "{% if loop.last %}；{% endif %}{% endfor %}{{ '%.2f' | format(1.5) }}"
        "{{ 类别框.items() | list | length }}{{ ', '.join(['甲', '乙']) }}{% endwith %}"
    )
    copy_template(tmp_path, "绩效目标表", NAME, tag)
    rendered = Renderer(tmp_path).render("绩效目标表", context())
    assert docx_grid(rendered)[0][1].text == "社工（2026）31第一段目标。2第二段目标。；1.503甲, 乙"
    assert docx_grid(Renderer(TEMPLATES).render("绩效目标表", context()))[0][1].text == "社工"


@pytest.mark.parametrize(
    ("source", "size", "most"),
    [
        ('{{ "x" * 10**6 + "y" * 10**6 }}', 0, 3_000_000),  # the two halves are made: 2 MB
        ("{{ 名称 + 名称 }}", 10_000_000, 1_000_000),  # a context value may be of any size
    ],
)
def test_a_sum_over_the_limit_is_refused_before_it_is_made(source, size, most):
    """`+` only adds sizes, but what it adds may each be at the limit (or, from the context,
    past it): measuring the sum once made, as every other result is, would make it first."""
    environment = sandbox.BoundedEnvironment()
    template = environment.bounded(environment.parse(source))
    values = {"名称": "x" * size}
    tracemalloc.start()
    try:
        with pytest.raises(sandbox.TemplateLimit) as raised:
            environment.render(template, values)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raised.value.message == "算出的值超过 100 万 个字符（或项）"
    assert peak < most

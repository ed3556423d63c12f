"""The once-per-template proof that rendered documents are well-formed, and its limits."""

from __future__ import annotations

import itertools

import jinja2
import pytest
from lxml import etree
from markupsafe import Markup
from test_render import (
    INDICATORS,
    TEMPLATES,
    application_context,
    context,
    copy_template,
    indicator,
)

from gen.errors import GenError
from gen.render import Renderer
from gen.wellformed import Loop, Proof, plain_values, prove

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT = etree.XMLParser(recover=False, resolve_entities=False, no_network=True, huge_tree=True)
FORMS = {"绩效目标表": context, "绩效目标申报表": application_context}


def proof_of(body: str, autoescape: bool = True) -> Proof:
    """The proof of a document whose body is `body`."""
    env = jinja2.Environment(autoescape=autoescape, undefined=jinja2.StrictUndefined)
    source = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return prove(env, env.parse(source))


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(TEMPLATES)


# ---------------------------------------------------------------- the real templates


@pytest.mark.parametrize("form", FORMS)
def test_both_templates_are_proven_and_only_the_goal_cells_can_be_bare(renderer, form):
    proof = renderer._template(form).proof
    assert proof.proven
    assert proof.bare_cells == ((Loop("项目总目标", ()),), (Loop("年度总体目标", ()),))


def shapes():
    """Contexts covering every way the templates' blocks can run: loops run 0, 1 and many times,
    each groupmerge condition true and false, values that need escaping."""
    rows = {
        "no rows": [],
        "one row": [indicator("产出指标", "数量指标", "甲", "1", new1=True)],
        "same groups": [indicator("产出指标", "数量指标", f"甲{i}", "1") for i in range(3)],
        "every group new": [indicator(f"一{i}", f"二{i}", "甲", "1", new1=True) for i in range(3)],
        "sample": INDICATORS,
    }
    goals = {"one empty": [""], "one": ["目标。"], "three": ["一。", "二。", "三。"]}
    markup = "R&D <研发> \"引号\" 'x' ]]> {{ x }}"
    for (rows_name, row), (goal_name, goal), text in itertools.product(
        rows.items(), goals.items(), ["社工", markup]
    ):
        changes = {"指标行": row, "项目总目标": goal, "年度总体目标": goal[::-1], "项目名称": text}
        yield f"{rows_name}, {goal_name}, {text[:2]}", changes


@pytest.mark.parametrize("form", FORMS)
def test_every_shape_renders_well_formed_xml_without_a_parse(renderer, form):
    template = renderer._template(form)
    for name, changes in shapes():
        values = FORMS[form](**changes)
        assert not template.proof.needs_parse(renderer._env, values), name
        xml = template.document.render(values)
        fast = renderer._render_document(template, values)
        etree.fromstring(fast, STRICT)  # raises if not well-formed
        assert fast == renderer._parsed_document(template, xml), name  # nothing to fix


@pytest.mark.parametrize("form", FORMS)
def test_an_empty_goal_list_is_parsed_and_its_cell_given_a_paragraph(renderer, form):
    template = renderer._template(form)
    values = FORMS[form](项目总目标=[])
    assert template.proof.needs_parse(renderer._env, values)
    root = etree.fromstring(renderer._render_document(template, values), STRICT)
    assert not root.xpath("//w:tc[not(w:p)]", namespaces={"w": W})


def test_a_value_with_a_line_break_or_control_character_is_parsed(renderer):
    template = renderer._template("绩效目标表")
    for text in ["甲\n乙", "甲\t乙", "甲\x07乙", "甲\x00", "\ud800"]:
        assert template.proof.needs_parse(renderer._env, context(实施单位=text)), repr(text)
    assert not template.proof.needs_parse(renderer._env, context(实施单位="甲\r乙"))


def test_markup_in_the_context_is_parsed(renderer):
    template = renderer._template("绩效目标表")
    assert template.proof.needs_parse(renderer._env, context(实施单位=Markup("<w:p/>")))
    assert template.proof.needs_parse(renderer._env, context(实施单位=object()))


def test_a_broken_template_output_is_still_rejected_before_a_form_is_written(tmp_path):
    copy_template(tmp_path, "绩效目标表", "{%tr endfor %}", "{% endfor %}")
    renderer = Renderer(tmp_path)
    assert not renderer._template("绩效目标表").proof.proven
    with pytest.raises(GenError, match="生成的文档不是有效的 XML"):
        renderer.render("绩效目标表", context())


# ---------------------------------------------------------------- what the proof covers


def test_blocks_of_whole_elements_are_proven():
    proof = proof_of(
        "{% for x in xs %}<w:p><w:r><w:t>{{ x.name|upper }}</w:t></w:r></w:p>{% else %}<w:p/>"
        "{% endfor %}{% if a %}<w:p/>{% elif b %}<w:tbl/>{% else %}{% endif %}"
        '<w:p w:rsidR="{{ id }}"><w:r><w:t>{% if a %}甲{% endif %}</w:t></w:r></w:p>'
    )
    assert proof == Proof(True, ())


@pytest.mark.parametrize(
    "body",
    [
        "<w:p>{% if a %}<w:r>{% endif %}</w:r></w:p>",  # a block that crosses an element
        '<w:p{% if a %} w:rsidR="1"{% endif %}/>',  # a block inside a tag
        "<w:p><w:{{ name }}/></w:p>",  # a value as an element name
        "<w:p>{{ x|safe }}</w:p>",  # markup, not escaped
        "<w:p>{{ lipsum() }}</w:p>",  # a call
        "<w:p>{{ xs|map('safe')|join }}</w:p>",  # a filter that is not known to be plain
        "<w:p><!-- {{ x }} --></w:p>",  # a value in a comment, where "--" would end it
        "{% set y = 1 %}<w:p/>",  # a statement the proof does not know
        "<w:p>甲\n乙</w:p>",  # a line break docxtpl's listing pass would rewrite
        "<w:p>{{ x ~ '\n' }}</w:p>",
        "<w:p>{{ '%c' % 7 }}</w:p>",  # a control character made from plain values
        '{% for x in xs %}<w:p xml:id="a"/>{% endfor %}',  # a repeated xml:id is an error
        '<w:p xmlns:v="{{ x }}"/>',  # an empty namespace name is an error
        "<w:p>",  # not well-formed at all
    ],
)
def test_anything_else_is_not_proven(body):
    assert not proof_of(body).proven


@pytest.mark.parametrize(
    "source",
    [
        f'{{% if a %}}<w:document xmlns:w="{W}"/>{{% endif %}}',
        f'<!-- {{{{ x }}}} --><w:document xmlns:w="{W}"/>',
        f'<?pi {{{{ x }}}}?><w:document xmlns:w="{W}"/>',
    ],
)
def test_a_block_or_value_outside_the_root_element_is_not_proven(source):
    env = jinja2.Environment(autoescape=True)
    assert not prove(env, env.parse(source)).proven


def test_nothing_is_proven_without_autoescaping():
    assert not proof_of("<w:p>{{ x }}</w:p>", autoescape=False).proven


# ---------------------------------------------------------------- cells that can be bare


def cell(content: str) -> str:
    """A table of one cell holding `content`."""
    return f"<w:tbl><w:tr><w:tc><w:tcPr/>{content}</w:tc></w:tr></w:tbl>"


def test_a_cell_filled_by_loops_is_bare_only_when_they_are_all_empty():
    proof = proof_of(
        cell("{% for p in a.b %}<w:p/>{% endfor %}{% for p in c['d'] %}<w:p/>{% endfor %}")
    )
    assert proof.bare_cells == ((Loop("a", (("attr", "b"),)), Loop("c", (("item", "d"),))),)
    env = jinja2.Environment()
    assert not proof.needs_parse(env, {"a": {"b": ["x"]}, "c": {"d": []}})
    assert proof.needs_parse(env, {"a": {"b": []}, "c": {"d": []}})
    assert proof.needs_parse(env, {"a": {}, "c": {"d": []}})  # one of them cannot be told
    assert proof.needs_parse(env, {"a": {"b": iter(["x"])}, "c": {"d": []}})


def test_a_cell_with_a_paragraph_outside_blocks_is_never_bare():
    assert proof_of(cell("<w:p/>{% for p in xs %}<w:p/>{% endfor %}")).bare_cells == ()


@pytest.mark.parametrize(
    "content",
    [
        "",  # no paragraph at all
        "{% if a %}<w:p/>{% endif %}",
        "{% for p in xs if p %}<w:p/>{% endfor %}",
        "{% for p in xs %}{% if p %}<w:p/>{% endif %}{% endfor %}",
        "{% for p in xs %}<w:p/>{% endfor %}{% if a %}<w:bookmarkStart/>{% endif %}",
    ],
)
def test_a_cell_whose_emptiness_the_context_cannot_tell_is_always_parsed(content):
    proof = proof_of(cell(content))
    assert proof.proven and proof.bare_cells is None
    assert proof.needs_parse(jinja2.Environment(), {"xs": ["x"], "a": True})


def test_a_loop_over_a_loop_variable_cannot_be_told_from_the_context():
    proof = proof_of(
        "{% for row in rows %}"
        + cell("{% for p in row.paragraphs %}<w:p/>{% endfor %}")
        + "{% endfor %}"
    )
    assert proof.proven and proof.bare_cells is None


def test_a_plain_context_holds_no_character_xml_cannot():
    """render() skips looking for such characters in a context plain_values() passed (every
    XML-illegal character is one UNPROVEN_CHARS matches: tests/test_characters.py)."""
    assert not plain_values({"项目名称": "社工\x0b"}) and plain_values({"项目名称": "社工\r"})

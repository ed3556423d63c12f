"""Word XML to Jinja source: the template tags as Word stores them, made plain Jinja.

What a user types as `{{ 项目名称 }}` Word may keep in several runs (spell-checking, a change
of format in the middle), and a row or paragraph tag (`{%tr for … %}`, `{%p if … %}`) stands
for the whole row or paragraph it is in. docxtpl's patching (DocxTemplate.patch_xml) says how a
template is read, and it is the reference here.

gen reads the tags its templates use itself: placeholders, `{% %}` statements, `{%tr %}` and
`{%p %}`. Loading docxtpl means loading python-docx, which takes longer than a build spends
on a template, so docxtpl is loaded only for a template that uses another of its tags
(`{%tc %}`, `{%r %}`, `{{r }}`, `{# #}`, `{%- %}`, `vm`, `hm`, `colspan`, `cellbg`) or lays its
tags out in a way whose reading is not plain (two row tags in one row, a tag across lines, one
inside another, an empty one): such a template is read by docxtpl, exactly as before.
tests/test_tags.py checks that both readings are the same wherever gen reads a template itself.

Then every `{% groupmerge %}` cell is made a vertical merge (see group_merge_cells).
"""

from __future__ import annotations

import bisect
import re

# A brace of an opening or closing delimiter that Word put in another run than its partner
_SPLIT_DELIMITER = re.compile(r"(?<=\{)(?:<[^>]*>)+(?=[{%#])|(?<=[%}#])(?:<[^>]*>)+(?=\})")
# From an opening delimiter to just before its closing one (or to the end)
_TAG_SPAN = re.compile(r"\{%.*?(?=%\}|\Z)|\{#.*?(?=#\}|\Z)|\{\{.*?(?=\}\}|\Z)", re.S)
# Where one run's text ends and the next one's starts
_RUN_BREAK = re.compile(r"</w:t>.*?<w:t(?: [^>]*)?>", re.S)
_OPENER = re.compile(r"\{[{%]")
_CLOSER = {"{{": "}}", "{%": "%}"}
# A tag written for a row, cell, paragraph or run ({%tr …), and the words of docxtpl's own tags
_ELEMENT_PREFIX = re.compile(r"(?:tr|tc|p|r)\s")
_DOCXTPL_ONLY_WORDS = frozenset({"vm", "hm", "colspan", "cellbg"})
# What the words of a tag gen reads itself never hold: another tag, markup, a line break
_NOT_IN_WORDS = ("{{", "{%", "{#", "}}", "%}", "<", "\n", "\r")
_ELEMENT_TAGS = ("tr", "p")  # the row and paragraph tags, in the order they are resolved
_FIRST_WORD = re.compile(r"\s*(\w*)")
_BARE_TEXT = "<w:t>"
_PRESERVED_TEXT = '<w:t xml:space="preserve">'
_TAG_CHARACTERS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_TAG_ENTITIES = (("&#8216;", "'"), ("&lt;", "<"), ("&gt;", ">"))


def jinja_source(xml: str) -> str:
    """A template's document.xml made Jinja source, its groupmerge cells made vertical merges."""
    plain = own_reading(xml)
    if plain is None:
        from gen.docxtpl_tags import docxtpl_reading  # loads python-docx: only when needed

        plain = docxtpl_reading(xml)
    return group_merge_cells(plain)


def own_reading(xml: str) -> str | None:
    """docxtpl's reading of the tags in `xml`, or None where gen leaves the reading to docxtpl."""
    joined = _TAG_SPAN.sub(
        lambda span: _RUN_BREAK.sub("", span.group(0)), _SPLIT_DELIMITER.sub("", xml)
    )
    if not _plain_tags(joined):
        return None
    resolved: str | None = _preserve_spaces(joined)
    for element in _ELEMENT_TAGS:
        if resolved is not None:
            resolved = _element_tags_resolved(resolved, element)
    return None if resolved is None else _clean_tag_text(resolved)


def _plain_tags(xml: str) -> bool:
    """Whether every tag is one gen reads itself: closed on its line, not empty, not in another."""
    if "{#" in xml or "{%-" in xml or "-%}" in xml:
        return False
    at = 0
    for opener in _OPENER.finditer(xml):
        start = opener.start()
        if start < at or xml.startswith(("{", "%", "#"), start + 2):  # one inside another
            return False
        closer = _CLOSER[opener.group(0)]
        end = xml.find(closer, start + 2)
        if end < 0:
            return False
        words = xml[start + 2 : end]
        if not words or any(mark in words for mark in _NOT_IN_WORDS):
            return False  # an empty {{}}: docxtpl's cleaning of tag words runs on past it
        prefix = _ELEMENT_PREFIX.match(words)
        if prefix and not (closer == "%}" and prefix.group(0) in ("tr ", "p ")):
            return False  # {%tc %}, {%r %}, {{r }}, {{p }}, or one followed by a tab
        first = _FIRST_WORD.match(words)
        if closer == "%}" and first and first.group(1) in _DOCXTPL_ONLY_WORDS:
            return False
        at = end + 2
    return True


def _preserve_spaces(xml: str) -> str:
    """Keep the spaces of the text around each tag: a bare <w:t> before a tag (up to the next
    bare <w:t>) is made <w:t xml:space="preserve">, as docxtpl does."""
    pieces = xml.split(_BARE_TEXT)
    kept = [pieces[0]]
    for piece in pieces[1:]:
        tagged = "{{" in piece or "{%" in piece
        kept.append(_PRESERVED_TEXT if tagged else _BARE_TEXT)
        kept.append(piece)
    return "".join(kept)


def _element_tags_resolved(xml: str, element: str) -> str | None:
    """Each `{%tr … %}` (element "tr") or `{%p … %}` ("p") put in the place of its whole row or
    paragraph: from the nearest one opened before the tag to the first end after it, as docxtpl
    reads it. None for a tag in no such element, or in one with another such tag.
    """
    tag = "{%" + element + " "
    ending = f"</w:{element}>"
    starts = [match.start() for match in re.finditer(rf"<w:{element}[ >]", xml)]
    pieces: list[str] = []
    done = 0
    at = xml.find(tag)
    while at >= 0:
        nearest = bisect.bisect_left(starts, at) - 1
        start = starts[nearest] if nearest >= 0 else -1
        end = xml.find(ending, at)
        if start < done or end < 0:
            return None
        following = starts[nearest + 1] if nearest + 1 < len(starts) else len(xml)
        if 0 <= xml.find(tag, at + 1) < following:
            return None  # two in one element: docxtpl keeps the last one only
        words = xml[at + len(tag) : xml.index("%}", at)]
        if "}" in words or "%" in words:
            return None
        pieces += (xml[done:start], "{% ", words, "%}")
        done = end + len(ending)
        at = xml.find(tag, done)
    return "".join(pieces) + xml[done:]


def _clean_tag_text(xml: str) -> str:
    """Inside each tag, Word's typographic quotes made straight and < > unescaped, for Jinja."""
    pieces: list[str] = []
    done = 0
    for opener in _OPENER.finditer(xml):
        start = opener.end()
        if start < done:
            continue
        end = xml.find(_CLOSER[opener.group(0)], start)
        words = xml[start:end]
        for entity, character in _TAG_ENTITIES:
            words = words.replace(entity, character)
        pieces += (xml[done:start], words.translate(_TAG_CHARACTERS))
        done = end
    return "".join(pieces) + xml[done:]


# A tag stays in its cell: an unclosed one is left for Jinja to tell, without a search to the
# end of the document from every cell (thousands of them would take seconds).
_GROUP_CELL = re.compile(
    r"<w:tc[ >](?:(?!<w:tc[ >]).)*?{%\s*groupmerge\s+((?:(?!%}|</w:tc>).)*?)\s*%}.*?</w:tc>",
    re.S,
)
_GROUP_TAG = re.compile(r"{%\s*groupmerge\s+(?:(?!%}).)*%}", re.S)
_VMERGE = re.compile(r"<w:vMerge(?: [^>]*)?/>")
_TC_PR = re.compile(r"<w:tcPr(?: [^>]*)?>.*?</w:tcPr>|<w:tcPr(?: [^>]*)?/>", re.S)
# tcPr children that the schema puts before vMerge
_BEFORE_VMERGE = re.compile(r"<w:(?:cnfStyle|tcW|gridSpan|hMerge)\b[^>]*/>")
_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)(.*?)(</w:t>)", re.S)
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>|<w:p(?: [^>]*)?/>", re.S)


def group_merge_cells(xml: str) -> str:
    """`{% groupmerge EXPR %}` cells made vertical merges that follow data groups.

    Put the tag at the start of a cell inside a `{%tr for %}` row: the cell starts a merged
    block (`<w:vMerge w:val="restart"/>`, text printed) on the loop's first row or where EXPR
    is true, and otherwise continues the block above (`<w:vMerge w:val="continue"/>`, text
    left out, and only its first paragraph kept, so that a two-line label does not make the rows
    taller; "continue" is spelled out because some readers take a bare `<w:vMerge/>` differently).
    docxtpl's own `{% vm %}` restarts only on loop.first, so it merges a whole column into one
    cell and cannot nest 二级 groups inside 一级 groups.
    """
    return _GROUP_CELL.sub(_group_merge_cell, xml)


def _group_merge_cell(match: re.Match[str]) -> str:
    """One cell: a conditional vMerge in its tcPr, its text only where the block starts."""
    starts = f"loop.first or ({match.group(1)})"
    cell = _VMERGE.sub("", _GROUP_TAG.sub("", match.group(0)))
    # whole elements in each branch, so that gen.wellformed can prove the output well-formed
    vmerge = (
        f'{{% if {starts} %}}<w:vMerge w:val="restart"/>'
        f'{{% else %}}<w:vMerge w:val="continue"/>{{% endif %}}'
    )
    cell = _with_cell_property(cell, vmerge)
    cell = _TEXT.sub(
        lambda t: f"{t.group(1)}{{% if {starts} %}}{t.group(2)}{{% endif %}}{t.group(3)}", cell
    )
    later = list(_PARAGRAPH.finditer(cell))[1:]
    for paragraph in reversed(later):
        start, end = paragraph.span()
        cell = f"{cell[:start]}{{% if {starts} %}}{paragraph.group(0)}{{% endif %}}{cell[end:]}"
    return cell


def _with_cell_property(cell: str, vmerge: str) -> str:
    """Insert `vmerge` into the cell's tcPr where the schema wants it."""
    props = _TC_PR.search(cell)
    if props is None:
        opening = cell.index(">") + 1
        return f"{cell[:opening]}<w:tcPr>{vmerge}</w:tcPr>{cell[opening:]}"
    text = props.group(0)
    if text.endswith("/>"):
        new = f"{text[:-2]}>{vmerge}</w:tcPr>"
    else:
        earlier = list(_BEFORE_VMERGE.finditer(text))
        at = earlier[-1].end() if earlier else text.index(">") + 1
        new = text[:at] + vmerge + text[at:]
    return cell[: props.start()] + new + cell[props.end() :]

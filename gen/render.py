"""The template environment: compiles each Word template once, renders contexts to .docx bytes."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree

from gen.amounts import only_printable
from gen.balance import FILTER, balancing_indent, prepare
from gen.characters import XML_ILLEGAL
from gen.errors import BrokenTemplate, GenError, disk_reason, error_detail, shown
from gen.model import TEXT_FIELDS
from gen.ooxml import (
    BOX_PLACE,
    NAMESPACES,
    STRICT_XML,
    XML_DECLARATION,
    ZipMember,
    in_text_box,
    page_place,
    printed_paragraphs,
    w,
    zip_member,
    zip_package,
)
from gen.sandbox import BoundedEnvironment
from gen.tags import jinja_source
from gen.template_errors import render_message, syntax_message, with_paragraph_lines
from gen.templates import template_file
from gen.vocabulary import (
    AMOUNT_UNITS,
    FORMS,
    all_stated_units,
    in_renminbi,
    unit_as_written,
    unit_exponent,
)
from gen.wellformed import Proof, plain_values, prove

DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
STYLES_PART = "word/styles.xml"
_LISTING_CHARS = re.compile("[\t\n\a\f]")  # what docxtpl's listing pass rewrites

_CELLS_WITHOUT_PARAGRAPH = etree.XPath("//w:tc[not(w:p)]", namespaces=NAMESPACES)
HEADER_OR_FOOTER = re.compile(r"word/(?:header|footer)[0-9]*\.xml")  # a page header or footer part


@dataclass(frozen=True)
class CompiledTemplate:
    """One template file: its compiled document.xml and the package parts copied as they are."""

    path: Path
    document: jinja2.Template
    source: str  # what `document` was compiled from, one paragraph a line: for error messages
    parts: tuple[ZipMember | str, ...]  # in zip order; the name alone for a part made per project
    proof: Proof  # what every rendering of `document` is known to be
    # (unit, the paragraph) for each amount unit the template prints as text ("项目资金（元）")
    printed_units: tuple[tuple[str, str], ...] = ()
    pages: tuple[Page, ...] = ()  # the page headers and footers that hold tags


@dataclass(frozen=True)
class Page:
    """A page header or footer with tags: its part, compiled, and the source for messages."""

    name: str
    template: jinja2.Template
    source: str


class Renderer:
    """Renders render contexts into .docx bytes; each template is read and compiled once."""

    def __init__(self, template_dir: Path) -> None:
        self.template_dir = template_dir
        self._env = BoundedEnvironment()
        self._env.filters[FILTER] = balancing_indent  # what prepared cells call (gen.balance)
        self._compiled: dict[str, CompiledTemplate | GenError] = {}  # a broken one: its error

    def render(self, form: str, context: dict[str, Any]) -> bytes:
        """The .docx for one project; identical contexts give identical bytes."""
        plain = plain_values(context)  # then no text holds a character XML cannot
        if not plain:
            refuse_unwritable_text(context)
        template = self._template(form)
        _check_unit(template, context)
        made = {
            DOCUMENT_PART: self._render_document(template, context, plain),
            CORE_PART: core_properties(str(context.get("项目名称", ""))),
        }
        for page in template.pages:
            made[page.name] = self._render_page(template.path, page, context)
        members = [
            part if isinstance(part, ZipMember) else zip_member(part, made[part])
            for part in template.parts
        ]
        return zip_package(members)

    def forget(self, forms: Iterable[str]) -> None:
        """Compile these forms' templates again on next use: their files have changed."""
        for form in forms:
            self._compiled.pop(form, None)

    def check_template(self, form: str) -> None:
        """Compile a 表样's template now; a GenError says what is wrong with it."""
        self._template(form)

    def _template(self, form: str) -> CompiledTemplate:
        """The compiled template of a 表样, compiling it on first use.

        A template that cannot be compiled raises the same GenError for every project of its
        表样, without being read again each time.
        """
        if form not in self._compiled:
            try:
                self._compiled[form] = self._compile(form)
            except GenError as exc:
                self._compiled[form] = exc
            except Exception as exc:  # a damaged package can raise almost anything
                path = shown(template_file(self.template_dir, form))
                self._compiled[form] = GenError(
                    f"模板文件 {path} 无法读取（{error_detail(exc)}）；"
                    "请在 Word 中打开并重新保存模板，或换回 gen 自带的模板"
                )
        compiled = self._compiled[form]
        if isinstance(compiled, GenError):
            raise BrokenTemplate(compiled.message)
        return compiled

    def _compile(self, form: str) -> CompiledTemplate:
        """Read a template file and compile its document.xml, and the page headers and footers
        that hold tags, with Jinja."""
        if form not in FORMS:
            raise GenError(f"未知的表样“{form}”；可选：{'、'.join(FORMS)}")
        path = template_file(self.template_dir, form)
        parts = read_package(path)
        source = with_paragraph_lines(jinja_source(_document_source(path, dict(parts))))
        proof, document = self._compiled_source(path, source)
        pages = tuple(
            page
            for name, data in parts
            if HEADER_OR_FOOTER.fullmatch(name)
            and (page := self._page(path, name, data)) is not None
        )
        made_here = {DOCUMENT_PART, CORE_PART, *(page.name for page in pages)}
        copied = tuple(
            name if name in made_here else zip_member(name, data) for name, data in parts
        )
        units = _printed_units(dict(parts))
        return CompiledTemplate(path, document, source, copied, proof, units, pages)

    def _compiled_source(self, path: Path, source: str) -> tuple[Proof, jinja2.Template]:
        """Jinja source compiled within the limits, with its proof; a GenError naming the place
        of a syntax error."""
        try:
            parsed = self._env.parse(source)
            proof = prove(self._env, parsed)  # before compiling, which rewrites the tree
            return proof, self._env.bounded(parsed)
        except jinja2.TemplateSyntaxError as exc:
            raise GenError(syntax_message(shown(path), source, exc)) from exc
        except RecursionError as exc:  # a tag nested thousands deep: Jinja's parser recurses
            raise GenError(
                f"模板 {shown(path)} 有语法错误：占位符或标签嵌套太深，无法读出；"
                "请在 Word 中打开模板改正占位符"
            ) from exc

    def _page(self, path: Path, name: str, data: bytes) -> Page | None:
        """A page header or footer compiled, as docxtpl fills them in; None if it holds no tag."""
        try:
            root = etree.fromstring(data, STRICT_XML)
        except etree.XMLSyntaxError as exc:
            raise GenError(
                f"模板文件 {shown(path)} 已损坏：{name} 不是有效的 XML；"
                "请在 Word 中打开并另存模板，或换回 gen 自带的模板"
            ) from exc
        source = with_paragraph_lines(jinja_source(etree.tostring(root, encoding="unicode")))
        if "{{" not in source and "{%" not in source:
            return None
        return Page(name, self._compiled_source(path, source)[1], source)

    def _render_page(self, path: Path, page: Page, context: dict[str, Any]) -> bytes:
        """A page header or footer for one context, checked by parsing it (it is small)."""
        return _checked_xml(path, self._filled(path, page.template, page.source, context))[0]

    def _render_document(
        self, template: CompiledTemplate, context: dict[str, Any], plain: bool | None = None
    ) -> bytes:
        """document.xml for one context: well-formed XML, proven once per template or parsed.

        `plain`: plain_values(context), when the caller has it already.
        """
        xml = self._filled(template.path, template.document, template.source, context)
        if not template.proof.needs_parse(self._env, context, plain):
            return XML_DECLARATION + xml.encode("utf-8")
        return self._parsed_document(template, xml)

    def _parsed_document(self, template: CompiledTemplate, xml: str) -> bytes:
        """A rendered document.xml checked by parsing it, every table cell given a paragraph."""
        data, root = _checked_xml(template.path, xml)
        if not _give_every_cell_a_paragraph(root):
            return data  # as rendered: serialising the parsed tree again would only cost time
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _filled(
        self, path: Path, compiled: jinja2.Template, source: str, context: dict[str, Any]
    ) -> str:
        """A compiled part filled in with a context; BrokenTemplate if its expressions fail."""
        try:
            return self._env.render(compiled, context)
        except Exception as exc:  # the template's own expressions failed, or ran past a limit
            raise BrokenTemplate(render_message(shown(path), source, exc)) from exc


def _checked_xml(path: Path, xml: str) -> tuple[bytes, etree._Element]:
    """A rendered part as bytes, checked by parsing it (its tree too); BrokenTemplate if it is not
    well-formed XML."""
    # docxtpl's listing pass: a line break inside a value becomes <w:br/>, a tab <w:tab/>.
    # It changes nothing when none of those characters is there, so it is run only then.
    # Its "{_{" → "{{" pass is left out: it would rewrite user values as well.
    if _LISTING_CHARS.search(xml):
        from gen.docxtpl_tags import with_listing  # loads python-docx: only when needed

        xml = with_listing(xml)
    data = XML_DECLARATION + xml.encode("utf-8")
    try:
        return data, etree.fromstring(data, STRICT_XML)
    except etree.XMLSyntaxError as exc:
        raise BrokenTemplate(
            f"模板 {shown(path)} 生成的文档不是有效的 XML；"
            "请检查模板中 {%tr %}、{%p %} 等标签是否成对、各占一行或一段，"
            "以及占位符里的表达式是否算出了 Word 文档不能容纳的控制字符"
        ) from exc


def _printed_units(parts: dict[str, bytes]) -> tuple[tuple[str, str], ...]:
    """Each amount unit the template prints as text, with where it is, for messages: the paragraph
    quoted, each Jinja tag in it shown as "…", after the place when that is a header, a footer or
    a text box (页眉里的“金额单位：元”, “（…年度）单位：元”).

    A template made from a form ("项目资金（元）", "单位：元" above the table) keeps the form's unit
    as text; a template that says {{ 金额单位 }} prints each project's own and states none.
    """
    found: dict[str, str] = {}
    for name, data in parts.items():
        page = HEADER_OR_FOOTER.fullmatch(name)
        if name != DOCUMENT_PART and not page:
            continue
        root = _parsed(data)
        if root is None:
            continue  # a part that cannot be read: that is said elsewhere
        for paragraph, lines in _printed_texts(root):
            for unit in all_stated_units("\n".join(lines)):
                shown_text = _JINJA_TAG.sub("…", "".join(lines))
                if len(shown_text) > 30:
                    shown_text = shown_text[:30] + "…"
                where = page_place(root) if page else BOX_PLACE if in_text_box(paragraph) else ""
                found.setdefault(unit, f"{where}的“{shown_text}”" if where else f"“{shown_text}”")
    return tuple(found.items())


def _printed_texts(root: etree._Element) -> list[tuple[etree._Element, list[str]]]:
    """The texts a part prints, each as its lines and with its first paragraph: the paragraphs of
    a table cell as one text (“计量单位” over “（元）” is the header 计量单位（元）, no amounts'
    unit), every other paragraph alone."""
    texts: dict[etree._Element, tuple[etree._Element, list[str]]] = {}
    for paragraph in printed_paragraphs(root):
        holder = next(paragraph.iterancestors(w("tc"), w("txbxContent")), None)
        key = holder if holder is not None and holder.tag == w("tc") else paragraph
        texts.setdefault(key, (paragraph, []))[1].append(_own_text(paragraph))
    return list(texts.values())


_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _parsed(data: bytes) -> etree._Element | None:
    """A part's XML tree, or None if it cannot be read."""
    try:
        return etree.fromstring(data, STRICT_XML)
    except etree.XMLSyntaxError:
        return None


def _own_text(paragraph: etree._Element) -> str:
    """The text of a paragraph's own runs: not that of a text box anchored in it."""
    return "".join(
        t.text or ""
        for t in paragraph.iter(w("t"))
        if next(t.iterancestors(w("p")), None) is paragraph
    ).strip()


def _check_unit(template: CompiledTemplate, context: dict[str, Any]) -> None:
    """Refuse to print a project's amounts under a unit the template prints as text, if it differs."""
    unit = context.get("金额单位")
    for printed, text in template.printed_units:
        if not unit or unit == printed:
            continue
        if in_renminbi(printed):
            off = f"印出来的金额会差{_times(unit_exponent(printed) - unit_exponent(unit))}"
        else:
            off = f"印出来的金额会被当作{printed}"
        fixed = f"模板 {shown(template.path)} 在{text}处把金额单位固定印作“{printed}”"
        written = unit_as_written(printed, text)
        to_tag = f"请在 Word 中把模板里的“{written}”改为 {{{{ 金额单位 }}}}（各项目印自己的单位）"
        if printed not in AMOUNT_UNITS:
            raise GenError(
                f"{fixed}，{only_printable([printed])}，这个项目的金额是{unit}，{off}；{to_tag}"
            )
        raise GenError(
            f"{fixed}，这个项目的金额单位（格式.金额单位）却是{unit}，{off}；{to_tag}，"
            f"或者在项目文件（或 _defaults.yaml）的 格式 下写 金额单位: {printed}，"
            f"并把金额改写成以{printed}为单位"
        )


_POWERS_OF_TEN = {1: "十", 2: "一百", 3: "一千", 4: "一万", 5: "十万", 6: "一百万", 7: "一千万"}


def _times(exponent: int) -> str:
    """How many times one amount is another, 10 ** |exponent|, in words: 一万倍, 十倍, 一亿倍."""
    power = abs(exponent)
    yi, rest = divmod(power, 8)
    words = (
        ("一" if rest == 0 else _POWERS_OF_TEN[rest]) + "亿" * yi if yi else _POWERS_OF_TEN[rest]
    )
    return f"{words}倍"


def refuse_unwritable_text(context: dict[str, Any]) -> None:
    """A GenError naming the first value with a character a Word document cannot hold.

    `gen check` reports these at their line; this keeps such a value, should one get past it,
    from being blamed on the template (it would make the document XML invalid).
    """
    for key, value in context.items():
        found = _unwritable(value)
        if found is not None:
            name = "绩效指标" if key == "指标行" else key
            raise GenError(
                f"{name}中有 Word 文档不能容纳的字符 U+{ord(found):04X}；请在项目文件中删除这个字符"
            )


def _unwritable(value: Any) -> str | None:
    """The first character of a context value (text, list or mapping) that XML cannot hold."""
    if isinstance(value, str):
        match = XML_ILLEGAL.search(value)
        return match[0] if match else None
    items = value.values() if isinstance(value, dict) else value
    if isinstance(value, dict | list | tuple):
        for item in items:
            if (found := _unwritable(item)) is not None:
                return found
    return None


def _give_every_cell_a_paragraph(root: etree._Element) -> bool:
    """Word rejects a cell without a paragraph, which an empty `{%p for %}` list leaves.

    True when a cell had to be given one.
    """
    cells = _CELLS_WITHOUT_PARAGRAPH(root)
    for cell in cells:
        etree.SubElement(cell, w("p"))
    return bool(cells)


def read_package(path: Path) -> list[tuple[str, bytes]]:
    """Every file part of a .docx, in zip order."""
    if not path.is_file():
        raise GenError(
            f"找不到模板文件 {shown(path)}；请把 {path.name} 放进模板目录，或用 --templates 指定目录"
        )
    try:
        with zipfile.ZipFile(path) as package:
            return [(i.filename, package.read(i)) for i in package.infolist() if not i.is_dir()]
    except OSError as exc:
        raise GenError(f"无法读取模板文件 {shown(path)}：{disk_reason(exc, reading=True)}") from exc
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise GenError(
            f"模板文件 {shown(path)} 不是有效的 Word 文档（.docx），可能已损坏；"
            "请在 Word 中打开它另存为 .docx，或换回 gen 自带的模板"
        ) from exc


def _document_source(path: Path, parts: dict[str, bytes]) -> str:
    """The template's document.xml as one unindented string, ready for its tags to be read (gen.tags).

    Its cells of a lone placeholder are prepared for balanced lines (gen.balance).
    """
    if DOCUMENT_PART not in parts:
        raise GenError(f"模板文件 {shown(path)} 缺少 {DOCUMENT_PART}，不是 Word 文档（.docx）")
    try:
        root = etree.fromstring(parts[DOCUMENT_PART], STRICT_XML)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise GenError(
            f"模板文件 {shown(path)} 已损坏：{DOCUMENT_PART} 在第 {line} 行第 {column} 列附近"
            "不是有效的 XML；请在 Word 中打开并另存模板，或换回 gen 自带的模板"
        ) from exc
    prepare(root, parts.get(STYLES_PART), TEXT_FIELDS)
    return etree.tostring(root, encoding="unicode")


_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>gen</dc:creator>'
    "</cp:coreProperties>"
)
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def core_properties(title: str) -> bytes:
    """docProps/core.xml with the project name as title and no timestamps (as lxml writes it).

    The title holds only characters XML can: Renderer.render refuses any other before this.
    """
    return XML_DECLARATION + _CORE.format(title.translate(_TEXT_ESCAPES)).encode("utf-8")

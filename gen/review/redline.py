"""The redline (修订稿): every changed project's form, rendered from the templates exactly as
gen build renders it, with the old version written in as tracked changes — one Word document
a reviewer opens in Word or WPS to see, accept or reject each change. What a template prints
in a page header or footer (项目名称, 实施单位…) is compared the same way, in its own part.

Rows are matched by what the form prints in them apart from the data: the labels, and for an
indicator row its 一级 / 二级 / 三级 names. To know those, each version is rendered a second
time from a "skeleton" context with every other value blanked, so the same template and rows
give the keys without guessing where the template put anything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from lxml import etree

from gen import output
from gen.errors import shown
from gen.model import VALUE_PARTS, Project, render_context
from gen.ooxml import STRICT_XML, made_by_gen, package
from gen.render import DOCUMENT_PART, HEADER_OR_FOOTER, Renderer
from gen.review.compare import Comparison, ProjectChange, Version
from gen.review.tracked import (
    DELETED,
    INSERTED,
    Marks,
    Unexpressible,
    changed_body,
    paragraph_text,
    w,
    whole,
)
from gen.templates import find_template_dir

TITLE = "修订稿"


@dataclass
class Redline:
    """What went into the redline, and the projects that could not."""

    path: Path | None = None  # None when no form differs (nothing was written)
    forms: int = 0  # projects shown
    left_out: list[str] = field(default_factory=list)  # one Chinese line per project left out
    outdated: str = ""  # when none was written: what became of an earlier redline there


@dataclass(frozen=True)
class Story:
    """The body of a form, or a page header or footer: its paragraphs and tables (not a body's
    w:sectPr), and per table one key per row."""

    blocks: tuple[etree._Element, ...]
    row_keys: tuple[tuple[Hashable, ...], ...]


@dataclass(frozen=True)
class Form:
    """One rendered form: its package, and the stories of its body and page headers and footers."""

    parts: tuple[tuple[str, bytes], ...]  # the .docx parts as rendered, in zip order
    stories: tuple[tuple[str, Story], ...]  # document.xml first, then each header and footer part

    @property
    def printed(self) -> tuple[tuple[str, bytes], ...]:
        """The parts that print: document.xml and the page headers and footers."""
        return tuple((name, data) for name, data in self.parts if _printed(name))


class Tracked(NamedTuple):
    """One .docx of the redline, and whether its form is inserted or deleted whole."""

    document: bytes
    whole: bool


def write_redline(comparison: Comparison, path: Path, templates: Path | None = None) -> Redline:
    """Write the redline of every changed project to `path` (nothing when no form differs)."""
    output.check_suffix(path, "修订稿")
    renderer = Renderer(find_template_dir(templates))
    redline = Redline()
    documents = list(_documents(comparison, renderer, redline))
    if not documents:  # an earlier redline there would show changes that are no more
        redline.outdated = remove_outdated_redline(path)
        return redline
    data = redline_bytes(documents)
    output.write_named(path, data)
    redline.path = path
    return redline


def remove_outdated_redline(path: Path) -> str:
    """Delete a redline gen wrote at `path` before (it shows changes that are no more); the
    words saying so ("" when there was none, or the file is not gen's)."""
    return output.remove_outdated(path) if made_by_gen(path) else ""


def redline_bytes(documents: list[Tracked]) -> bytes:
    """The tracked documents joined into one, each starting on a new page.

    A form changed in place keeps its section, so its own page header and footer (with their
    changes) print on its pages. A form inserted or deleted whole has no section break after
    it: the break would go (and leave an empty page behind) when the changes are rejected or
    accepted. It prints in the section of the form after it (the last form has one anyway).
    """
    import docx

    from gen.delivery.book import (
        compose_documents,  # docxcompose is loaded only when a redline is made
    )

    documents_read = (docx.Document(io.BytesIO(d.document)) for d in documents)
    return compose_documents(documents_read, TITLE, own_sections=[not d.whole for d in documents])


def _documents(comparison: Comparison, renderer: Renderer, redline: Redline) -> Iterator[Tracked]:
    """One or two tracked .docx per changed project whose form changed, in path order."""
    marks = Marks()
    for project in comparison.projects:
        broken = _with_errors(project, comparison)
        if broken:
            redline.left_out.append(broken)
            continue
        old = _form(renderer, project.old)
        new = _form(renderer, project.new)
        if old is not None and new is not None and old.printed == new.printed:
            continue  # renamed, or changed in a way the form does not print
        redline.forms += 1
        yield from tracked_documents(old, new, marks)


def _with_errors(project: ProjectChange, comparison: Comparison) -> str | None:
    """Why a project is left out of the redline: a version of it has errors (gen build would
    not print it)."""
    for version, label in (
        (project.old, comparison.old_label),
        (project.new, comparison.new_label),
    ):
        if version is not None and version.errors:
            return (
                f"{shown(project.latest.shown)}: {label} 中的这个项目有错误，"
                "修订稿中未列入（错误见上面的比较结果）"
            )
    return None


def _form(renderer: Renderer, version: Version | None) -> Form | None:
    """A version's form as gen build renders it, with the keys of its rows."""
    project = version.project if version is not None else None
    return None if project is None else render_form(renderer, project)


def render_form(renderer: Renderer, project: Project) -> Form:
    """Render a project's form and its skeleton; key every row of every table."""
    context = render_context(project)
    parts = _parts(renderer.render(project.form, context))
    skeleton = dict(_parts(renderer.render(project.form, skeleton_context(context))))
    stories = tuple(
        (name, _story(data, skeleton[name]))
        for name, data in sorted(parts, key=lambda part: part[0] != DOCUMENT_PART)
        if _printed(name)
    )
    return Form(parts, stories)


def _parts(package: bytes) -> tuple[tuple[str, bytes], ...]:
    """The parts of a package, in zip order."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return tuple((i.filename, archive.read(i)) for i in archive.infolist())


def _printed(name: str) -> bool:
    """Whether a part is one that prints: document.xml, a page header or footer."""
    return name == DOCUMENT_PART or HEADER_OR_FOOTER.fullmatch(name) is not None


def _story(data: bytes, skeleton: bytes) -> Story:
    """A body, header or footer's blocks, its tables' rows keyed by the skeleton's."""
    blocks = _blocks(_container(etree.fromstring(data, STRICT_XML)))
    keyed = _blocks(_container(etree.fromstring(skeleton, STRICT_XML)))
    tables = (table for table in keyed if table.tag == w("tbl"))
    return Story(tuple(blocks), tuple(tuple(row_keys(table)) for table in tables))


def skeleton_context(context: dict[str, Any]) -> dict[str, Any]:
    """The render context with every printed value blanked but the indicators' names."""
    blank: dict[str, Any] = _blanked(context)
    blank["指标行"] = [
        {**row, "值": "", **dict.fromkeys(VALUE_PARTS, "")} for row in context["指标行"]
    ]
    return blank


def _blanked(value: Any) -> Any:
    """Every string in a structure replaced by "" (lists keep their length, flags stay)."""
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return [_blanked(item) for item in value]
    if isinstance(value, dict):
        return {key: _blanked(item) for key, item in value.items()}
    return value


def _container(root: etree._Element) -> etree._Element:
    """Where a part's paragraphs and tables are: a document's w:body, a header's w:hdr…"""
    body = root.find(w("body"))
    return root if body is None else body


def _blocks(container: etree._Element) -> list[etree._Element]:
    """The paragraphs and tables of a body, header or footer, in order."""
    return [child for child in container if child.tag in (w("p"), w("tbl"))]


def row_keys(table: etree._Element) -> Iterator[Hashable]:
    """Per row: each cell's grid column, span and text, a merged cell taking the text of the
    cell that starts its merge (so every indicator row names its 一级 and 二级)."""
    above: dict[int, str] = {}
    for row in table.iterchildren(w("tr")):
        column, key = 0, []
        for cell in row.iterchildren(w("tc")):
            span_element = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
            span = 1 if span_element is None else int(span_element.get(w("val"), "1"))
            merge = cell.find(f"{w('tcPr')}/{w('vMerge')}")
            texts = [paragraph_text(p) for p in cell.iterchildren(w("p"))]
            text = "\n".join(t for t in texts if t)  # blanked goal paragraphs, however many
            if merge is not None and merge.get(w("val"), "continue") == "continue":
                text = above.get(column, "")
            above[column] = text
            key.append((column, span, text))
            column += span
        yield tuple(key)


# ---------------------------------------------------------------- tracked documents


def tracked_documents(old: Form | None, new: Form | None, marks: Marks) -> list[Tracked]:
    """The .docx files showing one project's change: the new form holding the old one as
    changes (its body, headers and footers alike); or, where the forms cannot be paired, the old
    form deleted and the new inserted."""
    if old is not None and new is not None:
        try:
            return [Tracked(_package(new, _changed_stories(old, new, marks)), whole=False)]
        except Unexpressible:
            pass
    documents = []
    for form, kind in ((old, DELETED), (new, INSERTED)):
        if form is not None:
            stories = {
                name: [whole(block, kind, marks) for block in story.blocks]
                for name, story in form.stories
            }
            documents.append(Tracked(_package(form, stories), whole=True))
    return documents


def _changed_stories(old: Form, new: Form, marks: Marks) -> dict[str, list[etree._Element]]:
    """The new form's body, headers and footers holding the old ones' as changes.

    Unexpressible when the bodies cannot be paired. A header or footer that cannot be paired
    (or that the old form has not) is shown as the old one's content deleted and the new one's
    inserted.
    """
    start = marks.next_id
    olds, old_parts, new_parts = dict(old.stories), dict(old.parts), dict(new.parts)
    changed = {}
    try:
        for name, story in new.stories:
            if name != DOCUMENT_PART and old_parts.get(name) == new_parts[name]:
                continue  # a header or footer printing the same: left as it is
            changed[name] = _changed_story(olds.get(name), story, marks, name == DOCUMENT_PART)
    except Unexpressible:
        marks.next_id = start
        raise
    return changed


def _changed_story(old: Story | None, new: Story, marks: Marks, body: bool) -> list[etree._Element]:
    """One story's blocks with the old version's as changes; a body that cannot be paired is
    Unexpressible, a header or footer is replaced whole."""
    if old is not None:
        try:
            return changed_body(old.blocks, new.blocks, (old.row_keys, new.row_keys), marks)
        except Unexpressible:
            if body:
                raise
    gone = [] if old is None else [whole(block, DELETED, marks) for block in old.blocks]
    return [*gone, *(whole(block, INSERTED, marks) for block in new.blocks)]


def _package(form: Form, stories: dict[str, list[etree._Element]]) -> bytes:
    """The form's package with the paragraphs and tables of its body, headers and footers
    replaced by those of `stories` (by part name)."""
    made = {name: _replaced(data, stories[name]) for name, data in form.parts if name in stories}
    return package((name, made.get(name, data)) for name, data in form.parts)


def _replaced(part: bytes, blocks: list[etree._Element]) -> bytes:
    """A part's XML with its paragraphs and tables replaced by `blocks`, where the first of
    them was (before a body's w:sectPr when it has none)."""
    root = etree.fromstring(part, STRICT_XML)
    container = _container(root)
    old = _blocks(container)
    anchor = old[0] if old else container.find(w("sectPr"))
    for block in blocks:
        if anchor is None:
            container.append(block)
        else:
            anchor.addprevious(block)
    for block in old:
        container.remove(block)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

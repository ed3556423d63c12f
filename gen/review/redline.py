"""The redline (修订稿): every changed project's form, rendered from the templates exactly as
gen build renders it, with the old version written in as tracked changes — one Word document
a reviewer opens in Word or WPS to see, accept or reject each change.

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
from typing import Any

from lxml import etree

from gen import output
from gen.errors import shown
from gen.model import VALUE_PARTS, Project, render_context
from gen.ooxml import STRICT_XML, made_by_gen, package
from gen.render import DOCUMENT_PART, Renderer
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
class Form:
    """One rendered form: its package, the blocks of its body, and the keys of its rows."""

    parts: tuple[tuple[str, bytes], ...]  # the .docx parts as rendered, in zip order
    blocks: tuple[etree._Element, ...]  # the body's paragraphs and tables (not its w:sectPr)
    row_keys: tuple[tuple[Hashable, ...], ...]  # per table, one key per row

    @property
    def document(self) -> bytes:
        return dict(self.parts)[DOCUMENT_PART]


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


def redline_bytes(documents: list[bytes]) -> bytes:
    """The tracked documents joined into one, each starting on a new page."""
    import docx

    from gen.delivery.book import (
        compose_documents,  # docxcompose is loaded only when a redline is made
    )

    # One section for all: a form deleted whole by a tracked change would leave its section
    # break, and so an empty page, behind it when the changes are rejected or accepted.
    documents_read = (docx.Document(io.BytesIO(d)) for d in documents)
    return compose_documents(documents_read, TITLE, own_sections=False)


def _documents(comparison: Comparison, renderer: Renderer, redline: Redline) -> Iterator[bytes]:
    """One or two tracked .docx per changed project whose form changed, in path order."""
    marks = Marks()
    for project in comparison.projects:
        broken = _with_errors(project, comparison)
        if broken:
            redline.left_out.append(broken)
            continue
        old = _form(renderer, project.old)
        new = _form(renderer, project.new)
        if old is not None and new is not None and old.document == new.document:
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
    package = renderer.render(project.form, context)
    skeleton = _body(_document(renderer.render(project.form, skeleton_context(context))))
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        parts = tuple((i.filename, archive.read(i)) for i in archive.infolist())
    blocks = _blocks(_body(dict(parts)[DOCUMENT_PART]))
    keys = tuple(tuple(row_keys(table)) for table in _blocks(skeleton) if table.tag == w("tbl"))
    return Form(parts, tuple(blocks), keys)


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


def _document(package: bytes) -> bytes:
    """word/document.xml of a package."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(DOCUMENT_PART)


def _body(document: bytes) -> etree._Element:
    """The w:body of a document.xml."""
    body = etree.fromstring(document, STRICT_XML).find(w("body"))
    assert body is not None
    return body


def _blocks(body: etree._Element) -> list[etree._Element]:
    """The paragraphs and tables of a body, in order."""
    return [child for child in body if child.tag in (w("p"), w("tbl"))]


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


def tracked_documents(old: Form | None, new: Form | None, marks: Marks) -> list[bytes]:
    """The .docx files showing one project's change: the new form holding the old one as
    changes; or, where the forms cannot be paired, the old form deleted and the new inserted."""
    if old is not None and new is not None:
        try:
            return [_package(new, changed_body(old.blocks, new.blocks, (old.row_keys, new.row_keys), marks))]  # fmt: skip
        except Unexpressible:
            pass
    documents = []
    if old is not None:
        documents.append(_package(old, [whole(block, DELETED, marks) for block in old.blocks]))
    if new is not None:
        documents.append(_package(new, [whole(block, INSERTED, marks) for block in new.blocks]))
    return documents


def _package(form: Form, blocks: list[etree._Element]) -> bytes:
    """The form's package with its body's paragraphs and tables replaced by `blocks`."""
    root = etree.fromstring(form.document, STRICT_XML)
    body = root.find(w("body"))
    assert body is not None
    for block in _blocks(body):
        body.remove(block)
    anchor = body.find(w("sectPr"))
    for block in blocks:
        if anchor is None:
            body.append(block)
        else:
            anchor.addprevious(block)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return package((name, document if name == DOCUMENT_PART else data) for name, data in form.parts)

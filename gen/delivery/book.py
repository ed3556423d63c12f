"""The book: every built form in one Word file, each on a new page, composed by docxcompose."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer

from gen import output
from gen.errors import GenError, disk_reason, error_detail, shown
from gen.ooxml import fixed_zip


def write_book(forms: Sequence[Path], path: Path) -> None:
    """Compose `forms` in order and write the book atomically to `path`."""
    output.write_named(path, compose_book(forms, title=path.stem))


def compose_book(forms: Sequence[Path], title: str) -> bytes:
    """One .docx holding every form in order; the same forms always give the same bytes."""
    if not forms:
        raise GenError("没有已生成的表格，无法合订")
    return compose_documents((_open(form) for form in forms), title)


def compose_documents(documents: Iterable[Document], title: str) -> bytes:
    """One .docx holding the documents in order, each starting on a new page; the same
    documents always give the same bytes."""
    parts = iter(documents)
    master = next(parts)
    start_on_new_page(master)
    composer = _BookComposer(master)
    following = next(parts, None)
    while following is not None:
        document, following = following, next(parts, None)
        start_on_new_page(document)
        composer.renumbering = following is None  # the last one
        composer.append(document)
    master.core_properties.title = title
    buffer = io.BytesIO()
    master.save(buffer)
    return fixed_zip(buffer.getvalue())


class _BookComposer(Composer):
    """docxcompose's Composer without its work on the whole book for every document appended.

    Composer numbers every bookmark and drawing of the whole book again after each document
    it appends, so a book took time in the square of its forms (200 forms: 24 s). Nothing
    reads those numbers in between, and each numbering starts afresh from the book's first
    element: numbering once, where the last append numbers them, gives the same book.
    """

    renumbering = False

    def renumber_bookmarks(self) -> None:
        if self.renumbering:
            super().renumber_bookmarks()

    def renumber_docpr_ids(self) -> None:
        if self.renumbering:
            super().renumber_docpr_ids()

    def renumber_nvpicpr_ids(self) -> None:
        if self.renumbering:
            super().renumber_nvpicpr_ids()

    # Both return at once for a document of one section, as every form is, but count the
    # sections of the whole book first: asking the document first gives the same, sooner.
    def fix_section_types(self, doc: Document) -> None:
        if len(doc.sections) > 1:
            super().fix_section_types(doc)

    def fix_header_and_footers(self, doc: Document) -> None:
        if len(doc.sections) > 1:
            super().fix_header_and_footers(doc)


def _open(path: Path) -> Document:
    """A form opened with python-docx; a broken file is a GenError naming it."""
    try:
        return docx.Document(str(path))
    except OSError as exc:
        raise GenError(
            f"无法读取 {shown(path)}，不能合订：{disk_reason(exc, reading=True)}"
        ) from exc
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise GenError(
            f"无法读取 {shown(path)}，不能合订：文件已损坏（{error_detail(exc)}）"
        ) from exc


def start_on_new_page(document: Document) -> None:
    """Make the form's first paragraph start a page (“段前分页”), adding one before a leading table."""
    first = next(document.iter_inner_content(), None)
    if first is None:
        return
    if not isinstance(first, Paragraph):
        element = OxmlElement("w:p")
        first._element.addprevious(element)
        first = Paragraph(element, document._body)
    first.paragraph_format.page_break_before = True

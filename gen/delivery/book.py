"""The book: every built form in one Word file, each on a new page and in its own section
(page setup, headers and footers as its template has them), composed by docxcompose."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from copy import deepcopy
from itertools import repeat
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement
from docx.text.paragraph import Paragraph
from docxcompose.composer import Composer

from gen import output
from gen.errors import GenError, disk_reason, error_detail, shown
from gen.ooxml import R_NS, W_NS, fixed_zip, w

_REFERENCES = (w("headerReference"), w("footerReference"))
_RID = f"{{{R_NS}}}id"
_PARTNAMES = {CT.WML_HEADER: "/word/header%d.xml", CT.WML_FOOTER: "/word/footer%d.xml"}


def write_book(forms: Sequence[Path], path: Path) -> None:
    """Compose `forms` in order and write the book atomically to `path`."""
    output.write_named(path, compose_book(forms, title=path.stem))


def compose_book(forms: Sequence[Path], title: str) -> bytes:
    """One .docx holding every form in order; the same forms always give the same bytes."""
    if not forms:
        raise GenError("没有已生成的表格，无法合订")
    return compose_documents((_open(form) for form in forms), title)


def compose_documents(
    documents: Iterable[Document], title: str, own_sections: bool | Sequence[bool] = True
) -> bytes:
    """One .docx holding the documents in order, each starting on a new page; the same
    documents always give the same bytes.

    `own_sections`: each document keeps its page setup, headers and footers in a section of its
    own; else all take the first document's. One flag per document: whether a section ends after
    it; one that has none shares the section of the document after it (the last has its own).
    """
    # whether a section ends after each document
    ends = iter(repeat(own_sections) if isinstance(own_sections, bool) else own_sections)
    parts = iter(documents)
    master = next(parts)
    start_on_new_page(master)
    composer = _BookComposer(master)
    following = next(parts, None)
    while following is not None:
        document, following = following, next(parts, None)
        start_on_new_page(document)
        composer.renumbering = following is None  # the last one
        if next(ends):  # after the document before this one
            composer.close_section()
        composer.append(document)
        if own_sections is not False:
            composer.take_section(document)
    master.core_properties.title = title
    buffer = io.BytesIO()
    master.save(buffer)
    return fixed_zip(buffer.getvalue())


class _BookComposer(Composer):
    """docxcompose's Composer keeping each form's section, without its work on the whole book
    for every document appended.

    Composer numbers every bookmark and drawing of the whole book again after each document
    it appends, so a book took time in the square of its forms (200 forms: 24 s). Nothing
    reads those numbers in between, and each numbering starts afresh from the book's first
    element: numbering once, where the last append numbers them, gives the same book.
    """

    renumbering = False

    def __init__(self, doc: Document) -> None:
        super().__init__(doc)
        self._copied: dict[tuple[str, bytes], str] = {}  # header or footer → its rId in the book
        for rid in _references(doc):  # the first form's own, in the book already
            relationship = doc.part.rels[rid]
            self._copied.setdefault(
                (relationship.reltype, _with_related(relationship.target_part)), rid
            )
        self._kinds = _kinds(doc)  # (headerReference, "default")…: what a later section inherits

    # docxcompose keeps the first document's section properties for the whole book and drops
    # the headers and footers of the others: a 申报表 bound after a 绩效目标表 printed with
    # the 绩效目标表's margins, header and footer. Each form keeps its own section instead.
    def close_section(self) -> None:
        """End the section of the forms bound so far in their last paragraph (Word's way)."""
        properties = self.doc.element.body.find(w("sectPr"))
        if properties is None:
            return  # the forms so far have none: Word's defaults, as for a section of their own
        last = properties.getprevious()
        if last is None or last.tag != w("p"):
            last = OxmlElement("w:p")
            properties.addprevious(last)
        last.get_or_add_pPr()._insert_sectPr(deepcopy(properties))

    def take_section(self, doc: Document) -> None:
        """The book's last section becomes `doc`'s: its page setup, headers and footers.

        A section without a header or footer of some kind takes the previous section's in
        Word: a form whose template has none gets a blank one where an earlier form had one.
        """
        body = self.doc.element.body
        own = deepcopy(doc.element.body.find(w("sectPr")))
        if own is None:
            own = OxmlElement("w:sectPr")  # Word's defaults, not the previous form's
        for reference in own.iterchildren(*_REFERENCES):
            reference.set(_RID, self._header_or_footer(doc, reference.get(_RID)))
        kinds = {
            (reference.tag, reference.get(w("type")))
            for reference in own.iterchildren(*_REFERENCES)
        }
        for tag, kind in sorted(self._kinds - kinds):
            blank = own.makeelement(tag, {w("type"): kind, _RID: self._blank(tag)})
            own.insert(0, blank)  # a sectPr lists its references first
        self._kinds |= kinds
        properties = body.find(w("sectPr"))
        if properties is None:
            body.append(own)
        else:
            body.replace(properties, own)

    def _header_or_footer(self, doc: Document, rid: str) -> str:
        """The rId in the book of `doc`'s header or footer `rid`: copied once per content."""
        relationship = doc.part.rels[rid]
        part: Part = relationship.target_part
        key = (relationship.reltype, _with_related(part))
        if key not in self._copied:
            self._copied[key] = self.doc.part.relate_to(self._copy(part), relationship.reltype)
        return self._copied[key]

    def _copy(self, part: Part) -> XmlPart:
        """A copy of a header or footer in the book, with what it refers to (its pictures)."""
        package = self.doc.part.package
        name = package.next_partname(_PARTNAMES[part.content_type])
        copy = XmlPart.load(name, part.content_type, part.blob, package)
        renamed = {
            rel.rId: self.add_relationship(part, copy, rel).rId for rel in part.rels.values()
        }
        for element in copy.element.iter():
            for attribute, value in element.attrib.items():
                if attribute.startswith(f"{{{R_NS}}}") and value in renamed:
                    element.set(attribute, renamed[value])
        return copy

    def _blank(self, tag: str) -> str:
        """The rId of an empty header (or footer, by the reference's `tag`)."""
        content_type = CT.WML_HEADER if tag == w("headerReference") else CT.WML_FOOTER
        root = "hdr" if content_type == CT.WML_HEADER else "ftr"
        xml = f'<w:{root} xmlns:w="{W_NS}"><w:p/></w:{root}>'.encode()
        key = (content_type, xml)
        if key not in self._copied:
            package = self.doc.part.package
            name = package.next_partname(_PARTNAMES[content_type])
            part = XmlPart.load(name, content_type, xml, package)
            reltype = RT.HEADER if content_type == CT.WML_HEADER else RT.FOOTER
            self._copied[key] = self.doc.part.relate_to(part, reltype)
        return self._copied[key]

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


def _kinds(doc: Document) -> set[tuple[str, str]]:
    """The headers and footers a document's (last) section has: (reference tag, w:type)."""
    properties = doc.element.body.find(w("sectPr"))
    if properties is None:
        return set()
    return {(r.tag, r.get(w("type"))) for r in properties.iterchildren(*_REFERENCES)}


def _references(doc: Document) -> list[str]:
    """The rIds of the headers and footers of a document's (last) section."""
    properties = doc.element.body.find(w("sectPr"))
    if properties is None:
        return []
    return [reference.get(_RID) for reference in properties.iterchildren(*_REFERENCES)]


def _with_related(part: Part) -> bytes:
    """A part's XML and what it refers to (a header's picture), to tell equal copies apart."""
    related = sorted(
        (rel.rId, rel.reltype, rel.target_ref if rel.is_external else rel.target_part.blob)
        for rel in part.rels.values()
    )
    return part.blob + repr(related).encode()


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

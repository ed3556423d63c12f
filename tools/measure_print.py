"""Measures how the built forms print: pages per form, indicator rows on the last page, wrapped tails.

Run `python tools/measure_print.py [PATH…] [--templates DIR] [--wraps]` (default: projects/).
It builds the forms into a temporary folder, converts them to PDF in one LibreOffice run and
reads the laid-out words back with `pdftotext -bbox` (poppler-utils). Each paragraph of a form
is found among the lines of words that sit within its cell's columns, so a cell whose text
wraps shows as a paragraph on more than one line; a *short tail* is a wrapped paragraph whose
last line holds at most SHORT_TAIL characters, such as "村史馆数字化建/设" or "服务对象满意度/指标".
Goal paragraphs (long running text) are counted apart: their tails follow the wording, not the
column widths. The figures depend on the fonts LibreOffice finds: Liberation Serif
(fonts-liberation) has Times New Roman's widths, as Word and WPS lay the forms out.

The tests load this file as a module and assert the same figures.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from gen.build import BuildOptions, build
from gen.delivery import pdf
from gen.ooxml import W_NS, w

XHTML_NS = "http://www.w3.org/1999/xhtml"
NS = {"w": W_NS, "x": XHTML_NS}
SHORT_TAIL = 2  # characters on the last line of a wrapped paragraph that count as a stray tail
GOAL_STYLE = "CellText"  # the paragraph style of the two goal cells (tools/make_templates.py)
INDICATOR_HEADER = "一级指标"
LINE_TOLERANCE = 3.0  # points between the centres of two words on one line


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the form as Word holds it: its text and the columns it sits in."""

    text: str  # without white space, as pdftotext's words join up
    band: tuple[float, float]  # left and right edge of its cell, in points from the page's left
    goal: bool  # running text of a goal cell
    indicator_row: int | None  # 0, 1, … for the paragraphs of the indicator rows
    cell: tuple[int, int] | None = None  # (table row, grid column) of its cell, 0-based


@dataclass(frozen=True)
class Word:
    """One word of `pdftotext -bbox`: its page, where it sits, its text."""

    page: int
    x: float  # horizontal centre
    y: float  # vertical centre
    text: str


@dataclass(frozen=True)
class Line:
    """The words of one band that sit on one line of the PDF, left to right."""

    page: int
    words: tuple[int, ...]  # indexes into the PDF's word list
    text: str


@dataclass
class Wrap:
    """A paragraph laid out on more than one line."""

    lines: tuple[str, ...]
    goal: bool
    cell: tuple[int, int] | None  # (table row, grid column) of the cell, 0-based

    @property
    def short_tail(self) -> bool:
        """True when the last line holds only a character or two."""
        return len(self.lines[-1]) <= SHORT_TAIL

    def __str__(self) -> str:
        return "/".join(self.lines)


@dataclass
class FormPrint:
    """How one form prints."""

    name: str
    pages: int
    last_page_rows: int  # indicator rows that start on the last page (0 for one page)
    header_page: int = 0  # the page of the indicator header row
    indicator_rows: int = 0  # indicator rows in all
    wraps: list[Wrap] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # paragraphs not found in the PDF

    @property
    def short_tails(self) -> list[Wrap]:
        """Wrapped cells (not goal paragraphs) whose last line is a stray character or two."""
        return [wrap for wrap in self.wraps if wrap.short_tail and not wrap.goal]

    @property
    def single_characters(self) -> list[Wrap]:
        """Wrapped cells (not goal paragraphs) whose last line is one character."""
        return [wrap for wrap in self.short_tails if len(wrap.lines[-1]) == 1]

    @property
    def wrapped_cells(self) -> list[Wrap]:
        """Cells (not goal paragraphs) laid out on more than one line."""
        return [wrap for wrap in self.wraps if not wrap.goal]

    @property
    def goal_short_tails(self) -> list[Wrap]:
        """Goal paragraphs ending in a line of a character or two."""
        return [wrap for wrap in self.wraps if wrap.short_tail and wrap.goal]

    @property
    def lone_last_row(self) -> bool:
        """A form of several pages whose last page holds a single indicator row."""
        return self.pages > 1 and self.last_page_rows == 1


def squeeze(text: str) -> str:
    """Text without any white space."""
    return "".join(text.split())


def form_paragraphs(document_xml: bytes) -> list[Paragraph]:
    """Every non-empty paragraph (a line break starts a new one) in document order."""
    body = etree.fromstring(document_xml).find("w:body", NS)
    page = body.find("w:sectPr", NS)
    page_width = int(page.find("w:pgSz", NS).get(w("w"))) / 20
    left = int(page.find("w:pgMar", NS).get(w("left"))) / 20
    right = int(page.find("w:pgMar", NS).get(w("right"))) / 20
    paragraphs: list[Paragraph] = []
    for child in body:
        if child.tag == w("p"):
            paragraphs += _pieces(child, (0, page_width), None)
        elif child.tag == w("tbl"):
            paragraphs += _table_paragraphs(child, left + (page_width - left - right) / 2)
    return paragraphs


def _table_paragraphs(table: etree._Element, centre: float) -> list[Paragraph]:
    """The paragraphs of a centred table, each with the edges of its cell."""
    widths = [int(col.get(w("w"))) / 20 for col in table.iterfind("w:tblGrid/w:gridCol", NS)]
    edges = [centre - sum(widths) / 2]
    for width in widths:
        edges.append(edges[-1] + width)
    paragraphs: list[Paragraph] = []
    indicator_row: int | None = None
    for number, row in enumerate(table.iterfind("w:tr", NS)):
        column, header = 0, False
        for cell in row.iterfind("w:tc", NS):
            span = cell.find("w:tcPr/w:gridSpan", NS)
            end = column + (1 if span is None else int(span.get(w("val"))))
            for paragraph in cell.iterfind("w:p", NS):
                pieces = _pieces(paragraph, (edges[column], edges[end]), indicator_row)
                paragraphs += (replace(piece, cell=(number, column)) for piece in pieces)
                header = header or squeeze(_paragraph_text(paragraph)) == INDICATOR_HEADER
            column = end
        if header:
            indicator_row = 0
        elif indicator_row is not None:
            indicator_row += 1
    return paragraphs


def _pieces(
    paragraph: etree._Element, band: tuple[float, float], indicator_row: int | None
) -> list[Paragraph]:
    """A w:p as Paragraphs: one per line break, empty ones left out."""
    style = paragraph.find("w:pPr/w:pStyle", NS)
    goal = style is not None and style.get(w("val")) == GOAL_STYLE
    texts = (squeeze(piece) for piece in _paragraph_text(paragraph).split("\n"))
    return [Paragraph(text, band, goal, indicator_row) for text in texts if text]


def _paragraph_text(paragraph: etree._Element) -> str:
    """The text of a w:p, a w:br as a new line."""
    pieces = []
    for node in paragraph.iter(w("t"), w("br"), w("tab")):
        pieces.append(node.text or "" if node.tag == w("t") else "\n")
    return "".join(pieces)


def pdf_words(bbox: bytes) -> tuple[int, list[Word]]:
    """The page count and every word of `pdftotext -bbox` output, in order."""
    root = etree.fromstring(bbox, etree.XMLParser(recover=True))
    pages = root.findall(".//x:page", NS)
    words = []
    for number, page in enumerate(pages, start=1):
        for word in page.iterfind("x:word", NS):
            box = [float(word.get(edge)) for edge in ("xMin", "yMin", "xMax", "yMax")]
            words.append(
                Word(number, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, word.text or "")
            )
    return len(pages), words


def band_lines(words: Sequence[Word], band: tuple[float, float]) -> list[Line]:
    """The words whose centre lies in `band`, gathered into lines, top to bottom."""
    inside = [i for i, word in enumerate(words) if band[0] < word.x < band[1]]
    inside.sort(key=lambda i: (words[i].page, words[i].y, words[i].x))
    lines: list[list[int]] = []
    for index in inside:
        last = lines[-1][-1] if lines else None
        same_line = last is not None and words[last].page == words[index].page
        if same_line and abs(words[last].y - words[index].y) <= LINE_TOLERANCE:
            lines[-1].append(index)
        else:
            lines.append([index])
    return [
        Line(words[line[0]].page, tuple(line), "".join(squeeze(words[i].text) for i in line))
        for line in lines
    ]


def lay_out(paragraphs: Sequence[Paragraph], words: Sequence[Word]) -> list[list[Line] | None]:
    """For each paragraph, the consecutive lines of its cell's band that spell it (None if none do).

    Each paragraph takes the earliest lines whose words are not yet taken, so repeated texts
    are found in document order.
    """
    taken = [False] * len(words)
    bands: dict[tuple[float, float], list[Line]] = {}
    found: list[list[Line] | None] = []
    for paragraph in paragraphs:
        if paragraph.band not in bands:
            bands[paragraph.band] = band_lines(words, paragraph.band)
        lines = [line for line in bands[paragraph.band] if not any(taken[i] for i in line.words)]
        match = next(
            (
                m
                for start in range(len(lines))
                if (m := _spelled_from(paragraph.text, lines, start))
            ),
            None,
        )
        for line in match or ():
            for index in line.words:
                taken[index] = True
        found.append(match)
    return found


def _spelled_from(text: str, lines: Sequence[Line], start: int) -> list[Line] | None:
    """The lines from `start` on that together spell `text`, if they do."""
    spelled = ""
    for end in range(start, len(lines)):
        spelled += lines[end].text
        if not text.startswith(spelled):
            return None
        if spelled == text:
            return list(lines[start : end + 1])
    return None


def form_print(name: str, docx: bytes, bbox: bytes) -> FormPrint:
    """The print figures of one form from its .docx and the `pdftotext -bbox` of its PDF."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        paragraphs = form_paragraphs(package.read("word/document.xml"))
    pages, words = pdf_words(bbox)
    result = FormPrint(name, pages, 0)
    rows_on_last_page = set()
    for paragraph, laid in zip(paragraphs, lay_out(paragraphs, words), strict=True):
        if laid is None:
            result.unmatched.append(paragraph.text)
            continue
        if len(laid) > 1:
            lines = tuple(line.text for line in laid)
            result.wraps.append(Wrap(lines, paragraph.goal, paragraph.cell))
        if paragraph.text == INDICATOR_HEADER:
            result.header_page = laid[0].page
        if pages > 1 and laid[0].page == pages and paragraph.indicator_row is not None:
            rows_on_last_page.add(paragraph.indicator_row)
    result.last_page_rows = len(rows_on_last_page)
    result.indicator_rows = len({p.indicator_row for p in paragraphs} - {None})
    return result


def pdf_bbox(pdf_file: Path) -> bytes:
    """`pdftotext -bbox` of a PDF: every word with its box (poppler-utils)."""
    return subprocess.run(
        ["pdftotext", "-bbox", str(pdf_file), "-"],
        check=True,
        capture_output=True,
        timeout=120,
    ).stdout


def measure(paths: Sequence[Path], work: Path, templates: Path | None = None) -> list[FormPrint]:
    """Build the projects under `paths` into `work`, convert them to PDF, measure every form."""
    out = work / "forms"
    report = build(list(paths), BuildOptions(out_dir=out, templates=templates, jobs=1))
    forms = sorted(r.output for r in report.built if r.output is not None)
    pairs = [(form, work / "pdf" / f"{number:05d}.pdf") for number, form in enumerate(forms)]
    conversion = pdf.convert(pairs, timeout=300)
    if conversion.failed:
        raise RuntimeError(f"LibreOffice did not convert: {sorted(map(str, conversion.failed))}")
    return [
        form_print(form.relative_to(out).as_posix(), form.read_bytes(), pdf_bbox(target))
        for form, target in pairs
    ]


def table(results: Sequence[FormPrint], show_wraps: bool) -> str:
    """A Markdown table of the figures, then the totals."""
    lines = [
        "| form | pages | rows on last page | wrapped cells | short tails | goal short tails |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        last = str(r.last_page_rows) if r.pages > 1 else "—"
        tails = ", ".join(map(str, r.short_tails)) if show_wraps else len(r.short_tails)
        lines.append(
            f"| {r.name} | {r.pages} | {last} | {len(r.wrapped_cells)} | {tails} "
            f"| {len(r.goal_short_tails)} |"
        )
    pages = [r.pages for r in results]
    lines.append("")
    lines.append(
        f"{len(results)} forms, {sum(pages)} pages ({sum(p > 1 for p in pages)} of more than one "
        f"page), {sum(r.lone_last_row for r in results)} with a lone indicator row on the last "
        f"page; {sum(len(r.wrapped_cells) for r in results)} wrapped cells, "
        f"{sum(len(r.short_tails) for r in results)} with a short tail, "
        f"{sum(len(r.single_characters) for r in results)} with a single character; "
        f"{sum(len(r.goal_short_tails) for r in results)} goal paragraphs with a short tail; "
        f"{sum(len(r.unmatched) for r in results)} paragraphs not found in the PDFs"
    )
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    """Command line: measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("projects")])
    parser.add_argument("--templates", type=Path, default=None)
    parser.add_argument("--wraps", action="store_true", help="list every short tail")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gen-measure-") as temp:
        results = measure(options.paths, Path(temp), options.templates)
    print(table(results, options.wraps))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

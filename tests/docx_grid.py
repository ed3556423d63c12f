"""Test helpers that read a generated .docx back: the table grid, cell paragraphs and runs."""

from __future__ import annotations

import io
import zipfile
from typing import NamedTuple

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


def w(tag: str) -> str:
    """The Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


class GridCell(NamedTuple):
    """One w:tc as the reader sees it; compares equal to a plain (text, span, vmerge) tuple."""

    text: str  # paragraphs joined with "\n"
    span: int  # w:gridSpan, 1 when absent
    vmerge: str | None  # "restart", "continue", or None when the cell is not merged vertically


def docx_part(data: bytes, name: str = "word/document.xml") -> etree._Element:
    """A part of the package, parsed strictly (no recover)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name), etree.XMLParser(recover=False))


def docx_tables(data: bytes) -> list[etree._Element]:
    """Every w:tbl in the document body."""
    return docx_part(data).findall(".//w:body/w:tbl", NS)


def docx_paragraph_text(paragraph: etree._Element) -> str:
    """The text of one w:p; w:br is a line break, w:tab a tab."""
    pieces = []
    for node in paragraph.iter(w("t"), w("br"), w("tab")):
        if node.tag == w("t"):
            pieces.append(node.text or "")
        else:
            pieces.append("\n" if node.tag == w("br") else "\t")
    return "".join(pieces)


def docx_cell_paragraphs(cell: etree._Element) -> list[str]:
    """The text of each paragraph of a w:tc."""
    return [docx_paragraph_text(p) for p in cell.findall("w:p", NS)]


def docx_cell(cell: etree._Element) -> GridCell:
    """A w:tc as (text, gridSpan, vMerge)."""
    span = cell.find("w:tcPr/w:gridSpan", NS)
    merge = cell.find("w:tcPr/w:vMerge", NS)
    vmerge = None if merge is None else merge.get(w("val"), "continue")
    return GridCell(
        "\n".join(docx_cell_paragraphs(cell)),
        1 if span is None else int(span.get(w("val"))),
        vmerge,
    )


def docx_grid(data: bytes, table: int = 0) -> list[list[GridCell]]:
    """For each row of a table, its cells as (text, gridSpan, vMerge)."""
    rows = docx_tables(data)[table].findall("w:tr", NS)
    return [[docx_cell(cell) for cell in row.findall("w:tc", NS)] for row in rows]


def docx_rows(data: bytes, table: int = 0) -> list[etree._Element]:
    """The w:tr elements of a table."""
    return docx_tables(data)[table].findall("w:tr", NS)


def docx_runs(data: bytes) -> list[etree._Element]:
    """Every w:r in the document."""
    return docx_part(data).findall(".//w:r", NS)


def docx_run_fonts(run: etree._Element) -> dict[str, str]:
    """The rFonts slots set directly on a run, e.g. {"eastAsia": "宋体", ...}."""
    fonts = run.find("w:rPr/w:rFonts", NS)
    if fonts is None:
        return {}
    return {etree.QName(key).localname: value for key, value in fonts.attrib.items()}


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of the body paragraphs outside tables (title, year line)."""
    return [docx_paragraph_text(p) for p in docx_part(data).findall(".//w:body/w:p", NS)]


def docx_merged_grid(data: bytes, table: int = 0) -> list[list[GridCell]]:
    """docx_grid with a lone vMerge restart (no continuing cell below) read as no merge.

    Word and LibreOffice show such a cell exactly as an unmerged one; Word writes none, gen's
    groupmerge writes one on each one-row group.
    """
    grid = docx_grid(data, table)
    columns = [_grid_columns(row) for row in grid]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            below = _cell_at(grid, columns, r + 1, columns[r][c])
            if cell.vmerge == "restart" and (below is None or below.vmerge != "continue"):
                row[c] = cell._replace(vmerge=None)
    return grid


def _grid_columns(row: list[GridCell]) -> list[int]:
    """The first grid column of each cell of a row."""
    starts, col = [], 0
    for cell in row:
        starts.append(col)
        col += cell.span
    return starts


def _cell_at(
    grid: list[list[GridCell]], columns: list[list[int]], r: int, col: int
) -> GridCell | None:
    """The cell starting at grid column `col` in row `r`, if any."""
    if r >= len(grid):
        return None
    return next((cell for cell, at in zip(grid[r], columns[r], strict=True) if at == col), None)


def docx_grid_widths(data: bytes, table: int = 0) -> list[int]:
    """The w:gridCol widths of a table."""
    cols = docx_tables(data)[table].findall("w:tblGrid/w:gridCol", NS)
    return [int(col.get(w("w"))) for col in cols]


RunFormat = tuple[tuple[tuple[str, str], ...], str]  # (rFonts slots, w:sz)


def docx_cell_fonts(data: bytes, table: int = 0) -> list[list[set[RunFormat]]]:
    """For each cell of a table, the formats of its runs that show something: fonts and size."""
    rows = docx_tables(data)[table].findall("w:tr", NS)
    return [
        [
            {
                (tuple(sorted(docx_run_fonts(run).items())), _size(run))
                for run in cell.iter(w("r"))
                if "".join(t.text or "" for t in run.iter(w("t"))).strip()
                or run.find("w:sym", NS) is not None
            }
            for cell in row.findall("w:tc", NS)
        ]
        for row in rows
    ]


def _size(run: etree._Element) -> str:
    """A run's w:sz value ("" when not set on the run)."""
    size = run.find("w:rPr/w:sz", NS)
    return "" if size is None else size.get(w("val"))


def docx_section(data: bytes) -> bytes:
    """The body's last w:sectPr (page size, margins) as XML."""
    section = docx_part(data).find("w:body/w:sectPr", NS)
    return etree.tostring(section)

"""The 汇总表: one Excel row per project, a subtotal per 实施单位 and a grand total, exact sums."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection, Iterable, Sequence
from copy import copy
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from gen import output
from gen.amounts import ZERO, exact_sum, in_unit
from gen.characters import XML_ILLEGAL
from gen.checking import document_of
from gen.delivery.sheet_text import (
    FIGURE_FONT,
    FONT_SIZE,
    NORMAL_FONT,
    TEXT_FONT,
    TITLE_SIZE,
    characters_width,
    fitting_width,
    lines_within,
    row_height,
    wrapped,
    wrapped_lines,
)
from gen.load import Loader
from gen.model import Project, common_unit, project_from
from gen.ooxml import fixed_zip
from gen.report import ProjectResult
from gen.vocabulary import AMOUNT_UNITS

SHEET_TITLE = "汇总表"
TEXT_COLUMNS = ("实施单位", "项目名称", "表样", "项目类别", "项目性质")
DATE_COLUMNS = ("计划开始日期", "计划完成日期")
AMOUNT_COLUMNS = (
    "项目资金总额",
    "财政资金",
    "其他资金",
    "年度资金申请总额",
    "当年财政拨款",
    "上年结转资金",
    "年度其他资金",
)
COUNT_COLUMNS = ("指标数", "警告数")
FIGURE_COLUMNS = (*DATE_COLUMNS, *AMOUNT_COLUMNS, *COUNT_COLUMNS)  # set in FIGURE_FONT
HEADERS = (*TEXT_COLUMNS, *DATE_COLUMNS, *AMOUNT_COLUMNS, *COUNT_COLUMNS, "警告")
# Printed: the columns up to 指标数. 警告数 and 警告 are gen's notes to whoever prepares the
# projects, read on screen; the finance bureau gets the figures (README: 汇总表).
PRINTED_COLUMNS = HEADERS.index("指标数") + 1
DATE_FORMAT = "yyyy-mm-dd"
FIXED_TIME = datetime(2000, 1, 1)  # the workbook's created/modified: no build time in the file
# The words of the sheet beyond its headers, in one place (the fonts: sheet_text.py)
TITLE = "财政项目支出绩效目标汇总表"
UNIT_LINE = "单位：{unit}"
SUBTOTAL = "小计（{projects} 项）"  # short enough for one line of 项目名称 in bold
TOTAL = "合计"
TOTAL_LABEL = "{projects} 个项目，{units} 个实施单位"
FOOTER = "第 &P 页，共 &N 页"  # &P: this page, &N: the pages of the sheet
HEADER_ROW = 3  # below the title line and the unit line
CUT_ROW = (
    "第 {row} 行（{who}）的{column}太长，一页纸印不下：这一行按一页高打印，{column}共 {total} 个字，"
    "只能印出前 {shown} 个字左右（表格里仍是全文）；请缩短{column}"
)
# The printed page, A4 landscape, and its margins (inches), in points
PAGE_WIDTH, PAGE_HEIGHT = 841.89, 595.28
MARGINS = PageMargins(left=0.3, right=0.3, top=0.6, bottom=0.6, header=0.3, footer=0.3)
# A digit of the Normal font (the unit of column widths) as Excel prints a column: 8 px at 96
# dpi. LibreOffice's is 6.1 pt: its columns print wider, so it scales the sheet smaller to fit
# one page wide, and every row takes less of the page than in Excel.
PRINTED_DIGIT = 6.0
# The share of a page the rows fill: Excel sets a row's height in whole pixels, up to half a
# pixel higher than written, and each program rounds the scale its own way.
PAGE_SPARE = 0.97
EXCEL_DIGITS = 15  # significant digits an Excel number holds exactly
# Most Chinese characters a line of a text column holds; longer text wraps inside the cell, so
# that the printed columns fill an A4 landscape page at about 9 pt (see _print_setup). 表样 and
# 项目类别 hold a few names of up to 7 characters (绩效目标申报表, 特定目标类项目): wrapped, they
# would make most rows of 申报表 projects two lines high.
_MOST_CHARACTERS = {
    "实施单位": 7,
    "项目名称": 8,
    "表样": 7,
    "项目类别": 7,
    "项目性质": 5,
    "警告": 21,  # not printed, nor wrapped: the rest runs on into the empty cells to its right
}
_LEAST_WIDTH = 6
_PLAIN = Font(name=TEXT_FONT, size=FONT_SIZE)
_BOLD = Font(name=TEXT_FONT, size=FONT_SIZE, bold=True)
_FIGURES = Font(name=FIGURE_FONT, size=FONT_SIZE)
_FIGURES_BOLD = Font(name=FIGURE_FONT, size=FONT_SIZE, bold=True)
_TITLE_FONT = Font(name=TEXT_FONT, size=TITLE_SIZE, bold=True)
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TEXT = Alignment(vertical="center", wrap_text=True)
_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_MIDDLE = Alignment(horizontal="center", vertical="center")  # a figure never wraps
_TOP = Alignment(vertical="top", wrap_text=True)  # a text cut to a page (_cut_to_a_page)
_NOTE = Alignment(vertical="center")  # on one line, running on into the empty cells beside it


@dataclass(frozen=True)
class SummaryRow:
    """One project as the 汇总表 lists it; amounts are exact, in `unit`, as on the form."""

    unit: str
    name: str
    form: str
    year: int
    category: str
    nature: str
    start: date
    end: date
    amounts: tuple[Decimal, ...]  # in AMOUNT_COLUMNS order
    indicators: int
    warnings: tuple[str, ...]
    amount_unit: str = AMOUNT_UNITS[0]  # the project's 金额单位


def summary_rows(results: Iterable[ProjectResult], strict: bool = False) -> list[SummaryRow]:
    """One row per project that passed its checks (build/check results), in path order.

    A check keeps each project's document; for a build, where it is not kept, it is read again.
    """
    loader = Loader()
    rows = []
    for result in results:
        doc = None if result.failed(strict) else document_of(result, loader)
        if doc is not None:
            rows.append(row_of(project_from(doc), [f.message for f in result.warnings]))
    return rows


def row_of(project: Project, warnings: Sequence[str] = ()) -> SummaryRow:
    """The 汇总表 row of one project: the totals are those printed on its form."""
    funds, annual = project.funds, project.annual
    amounts = (
        funds.printed_total,
        funds.fiscal,
        funds.other,
        annual.printed_total,
        annual.appropriation,
        annual.carryover,
        annual.other,
    )
    return SummaryRow(
        project.unit,
        project.name,
        project.form,
        project.year,
        project.category,
        project.nature,
        project.start,
        project.end,
        amounts,
        len(project.indicators),
        tuple(warnings),
        project.display.unit,
    )


def summary_unit(rows: Sequence[SummaryRow]) -> str:
    """The unit of the 汇总表: the projects' own when they agree, else 元.

    Projects in 万元 and in 元 together are all shown in 元: a 万元 amount becomes 元 with fewer
    decimals, while a 元 amount to the 分 would need six decimals in 万元.
    """
    return common_unit(row.amount_unit for row in rows)


def in_summary_unit(rows: Sequence[SummaryRow], unit: str) -> list[SummaryRow]:
    """The rows with every amount converted exactly into `unit`."""
    return [replace(row, amounts=_converted(row, unit), amount_unit=unit) for row in rows]


def _converted(row: SummaryRow, unit: str) -> tuple[Decimal, ...]:
    """A row's amounts in `unit`."""
    return tuple(in_unit(amount, row.amount_unit, unit) for amount in row.amounts)


def headers(unit: str) -> tuple[str, ...]:
    """The header row: each amount column states its unit on a line of its own, 项目资金总额 /（万元）."""
    return tuple(f"{h}\n（{unit}）" if h in AMOUNT_COLUMNS else h for h in HEADERS)


def by_unit(rows: Sequence[SummaryRow]) -> dict[str, list[SummaryRow]]:
    """Rows grouped by 实施单位, units in order of first appearance."""
    groups: dict[str, list[SummaryRow]] = {}
    for row in rows:
        groups.setdefault(row.unit, []).append(row)
    return groups


def totals(rows: Iterable[SummaryRow]) -> tuple[Decimal, ...]:
    """The exact Decimal sum of each amount column."""
    columns = zip(*(row.amounts for row in rows), strict=True)
    sums = tuple(exact_sum(column) for column in columns)
    return sums or (ZERO,) * len(AMOUNT_COLUMNS)


def amount_format(rows: Sequence[SummaryRow]) -> str:
    """#,##0.00, or more places when some amount is written with more (up to four)."""
    places = 2
    for row in rows:
        for amount in row.amounts:
            exponent = amount.as_tuple().exponent
            if isinstance(exponent, int):
                places = max(places, min(-exponent, 4))
    return "#,##0." + "0" * places


def title(rows: Sequence[SummaryRow]) -> str:
    """The title line: "2026年度 财政项目支出绩效目标汇总表", every year named when there are several."""
    years = sorted({row.year for row in rows})
    if not years:
        return TITLE
    if len(years) == 1:
        return f"{years[0]}年度 {TITLE}"
    return f"{'、'.join(map(str, years))}年度 {TITLE}"


def write_summary(rows: Sequence[SummaryRow], path: Path) -> list[str]:
    """Write the 汇总表 to `path` atomically; a line for each row too tall to print whole."""
    data, cut = summary_file(rows)
    output.write_named(path, data)
    return cut


def summary_workbook(rows: Sequence[SummaryRow]) -> bytes:
    """The .xlsx bytes; the same rows always give the same bytes."""
    return summary_file(rows)[0]


def summary_file(rows: Sequence[SummaryRow]) -> tuple[bytes, list[str]]:
    """The .xlsx bytes, and a line for each row too tall to print whole (CUT_ROW)."""
    workbook = Workbook()
    _measure_in_arial(workbook)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    unit = summary_unit(rows)
    rows = in_summary_unit(rows, unit)
    _heading(sheet, title(rows), unit)
    number_format = amount_format(rows)
    total_rows = _fill(sheet, rows, unit, len(number_format.rpartition(".")[2]))
    _as_written(sheet)
    _shape(sheet, number_format)
    _fit_row_heights(sheet, number_format)
    cut = _cut_to_a_page(sheet, number_format)
    _print_setup(sheet, total_rows)
    workbook.properties.creator = "gen"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(workbook, archive).save()  # openpyxl's save_workbook() would stamp the time
    return fixed_zip(buffer.getvalue()), cut


def _measure_in_arial(workbook: Workbook) -> None:
    """Arial for the Normal style, whose digit is the unit of column widths (see sheet_text)."""
    # openpyxl has no public way to change the Normal style's font
    workbook._fonts = IndexedList([NORMAL_FONT])  # font 0, of cells without a style
    workbook._named_styles["Normal"].font = NORMAL_FONT


def _heading(sheet: Worksheet, text: str, unit: str) -> None:
    """The title line and the unit line above the table, each across the printed columns."""
    last = get_column_letter(PRINTED_COLUMNS)
    sheet.append([text])
    sheet.append([UNIT_LINE.format(unit=unit)])
    sheet.merge_cells(f"A1:{last}1")
    sheet.merge_cells(f"A2:{last}2")
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"].font = _PLAIN
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet["A2"].alignment = Alignment(horizontal="right", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[2].height = row_height(1)


def _fill(sheet: Worksheet, rows: Sequence[SummaryRow], unit: str, places: int) -> list[int]:
    """Header, then each unit's projects and its subtotal, then the grand total; the sheet rows
    of the subtotals and the total.

    `places`: the decimals the amount columns show (an amount written as text shows as many).
    """
    sheet.append(headers(unit))
    groups = by_unit(rows)
    total_rows = []
    for unit, members in groups.items():
        for row in members:
            sheet.append(_cells(row, places))
        sheet.append(_total_cells(unit, SUBTOTAL.format(projects=len(members)), members, places))
        _mark_total(sheet, from_column=2)  # the unit's name as in its rows: as many lines
        total_rows.append(sheet.max_row)
    sheet.append(
        _total_cells(TOTAL, TOTAL_LABEL.format(projects=len(rows), units=len(groups)), rows, places)
    )
    _mark_total(sheet)
    return [*total_rows, sheet.max_row]


def _cells(row: SummaryRow, places: int) -> list[Any]:
    """One project's cells in HEADERS order."""
    text = (row.unit, row.name, row.form, row.category, row.nature or None)
    counts = (row.indicators, len(row.warnings))
    warnings = "；".join(row.warnings) or None
    amounts = (_amount(amount, places) for amount in row.amounts)
    return [*map(_cell_text, text), row.start, row.end, *amounts, *counts, _cell_text(warnings)]


def _amount(value: Decimal, places: int) -> Decimal | str:
    """An amount as its cell holds it: a number, or its text where Excel would round it.

    Excel keeps 15 significant digits; an amount of more (FORMAT.md allows 21) is written as
    text: every digit written, and as many decimals as the column shows (`places`) at least.
    """
    if len(value.normalize().as_tuple().digits) <= EXCEL_DIGITS:
        return value
    exponent = value.as_tuple().exponent
    written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{value:,.{max(places, written)}f}"


def _cell_text(text: str | None) -> str | None:
    """A text as a cell can hold it: a character no Office file can hold becomes U+FFFD (�)."""
    return None if text is None else XML_ILLEGAL.sub("\ufffd", text)


def _as_written(sheet: Worksheet) -> None:
    """Every text a cell holds as text, never a formula or an error value.

    openpyxl stores a text that starts with = as a formula and one such as #N/A as an error: a
    项目名称 "=SUM(A1:A9)" would print 0, and a 实施单位 "=HYPERLINK(…)" would be a live link.
    """
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type in ("f", "e"):
                cell.data_type = "s"


def _total_cells(unit: str, label: str, rows: Sequence[SummaryRow], places: int) -> list[Any]:
    """A subtotal or grand-total line: the exact sums as values."""
    blanks = [None] * (len(TEXT_COLUMNS) - 2 + len(DATE_COLUMNS))
    counts = [sum(r.indicators for r in rows), sum(len(r.warnings) for r in rows)]
    return [
        _cell_text(unit),
        label,
        *blanks,
        *(_amount(total, places) for total in totals(rows)),
        *counts,
        None,
    ]


def _mark_total(sheet: Worksheet, from_column: int = 1) -> None:
    """Shaded, and bold from `from_column` on: the last row is a total."""
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD if cell.column >= from_column else _PLAIN
        cell.fill = _TOTAL_FILL


def _shape(sheet: Worksheet, number_format: str) -> None:
    """Formats, alignment, borders and widths of the table; the frozen header and the filter."""
    for index, header in enumerate(HEADERS, start=1):
        header_cell = sheet.cell(HEADER_ROW, index)
        header_cell.font = _BOLD
        header_cell.alignment = _CENTRED
        header_cell.border = _BORDER
        cells = [
            cell
            for (cell,) in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=index, max_col=index)
        ]
        figures = header in FIGURE_COLUMNS
        for cell in cells:
            cell.border = _BORDER
            if figures:
                cell.font = _FIGURES_BOLD if cell.font.b else _FIGURES
            elif not cell.font.b:
                cell.font = _PLAIN
            if header in AMOUNT_COLUMNS:
                cell.number_format, cell.alignment = number_format, _RIGHT
            elif header in DATE_COLUMNS:
                cell.number_format, cell.alignment = DATE_FORMAT, _MIDDLE
            elif header in COUNT_COLUMNS:
                cell.alignment = _RIGHT
            elif index > PRINTED_COLUMNS:
                cell.alignment = _NOTE  # no row grows taller for a text that is not printed
            else:
                cell.alignment = _TEXT
        texts = [(_shown(c.value, number_format), bool(c.font.b), figures) for c in cells]
        width = column_width(header, str(header_cell.value), texts)
        sheet.column_dimensions[get_column_letter(index)].width = width
        header_cell.value = heading_lines(str(header_cell.value), width) or header_cell.value
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # the header and the unit / project name stay in view
    last = get_column_letter(len(HEADERS))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{sheet.max_row}"


def _print_setup(sheet: Worksheet, total_rows: Collection[int]) -> None:
    """A4 landscape, one page wide, the title and header rows on every page, page numbers.

    The print area ends at 指标数 (PRINTED_COLUMNS). Each page ends at a row break of its own
    (page_ends), so that Excel, WPS and LibreOffice all break the pages at the same rows and a
    subtotal or the total never prints alone at the top of a page.
    """
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_area = f"A1:{get_column_letter(PRINTED_COLUMNS)}{sheet.max_row}"
    sheet.print_title_rows = f"1:{HEADER_ROW}"  # a page read alone still says what it is
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = copy(MARGINS)
    sheet.oddFooter.center.text = FOOTER
    first = HEADER_ROW + 1
    heights = [sheet.row_dimensions[row].height for row in range(first, sheet.max_row + 1)]
    totals = {row - first for row in total_rows}
    for end in page_ends(heights, totals, page_room(sheet)):
        sheet.row_breaks.append(Break(id=first + end))  # the page ends below this row


def page_room(sheet: Worksheet) -> float:
    """How high the rows below the header may be on one printed page, in the sheet's points.

    Printed one page wide, the sheet is scaled to fit its printed columns between the side
    margins (never enlarged); Excel, whose columns print narrowest, shrinks it the least, and a
    row takes the most of a page there. The title and header rows print on every page.
    """
    across = PAGE_WIDTH - 72 * (MARGINS.left + MARGINS.right)
    scale = min(1.0, across / (sum(_widths(sheet, PRINTED_COLUMNS)) * PRINTED_DIGIT))
    down = (PAGE_HEIGHT - 72 * (MARGINS.top + MARGINS.bottom)) / scale
    titles = sum(sheet.row_dimensions[row].height for row in range(1, HEADER_ROW + 1))
    return (down - titles) * PAGE_SPARE


def page_ends(heights: Sequence[float], totals: Collection[int], room: float) -> list[int]:
    """The last row of every page but the last (indexes into `heights`), each page filled with
    whole rows up to `room`.

    A row in `totals` (a 小计 or the 合计) never begins a page: the rows above it go over with it
    (the 合计 takes the last 小计 and the project above that), a page keeping one row at least.
    """
    ends: list[int] = []
    start, used = 0, 0.0
    for index, height in enumerate(heights):
        if used + height > room and index > start:
            first = index
            while first in totals and first - 1 > start:
                first -= 1
            ends.append(first - 1)
            start, used = first, sum(heights[first:index])
        used += height
    return ends


def _cut_to_a_page(sheet: Worksheet, number_format: str) -> list[str]:
    """Rows taller than a printed page made one page high, so that each prints whole on a page
    with its figures; a cell whose text is cut shows its beginning. A line (CUT_ROW) for each.

    No program prints a row over two pages: a taller row was cut at the page's foot, figures
    and all, without a word.
    """
    room = page_room(sheet)
    lines = lines_within(room)
    widths = _widths(sheet, len(HEADERS))
    cut = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        number = row[0].row
        if sheet.row_dimensions[number].height <= room:
            continue
        sheet.row_dimensions[number].height = row_height(lines)
        for cell, width, header in zip(row, widths, HEADERS, strict=True):
            if cell.value is None or not cell.alignment.wrap_text:
                continue
            text = _shown(cell.value, number_format)
            every = wrapped(text, width, bool(cell.font.b))
            if len(every) <= lines:
                continue
            cell.alignment = _TOP  # its beginning prints, not its middle
            who = f"{_short(row[1].value)} · {_short(row[0].value)}"
            printed = sum(len(line) for line in every[:lines])
            cut.append(
                CUT_ROW.format(row=number, who=who, column=header, total=len(text), shown=printed)
            )
    return cut


def _widths(sheet: Worksheet, columns: int) -> list[float]:
    """The widths of the sheet's first `columns` columns."""
    return [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1)]


def _short(value: Any) -> str:
    """A cell's text for a message: its first twelve characters."""
    text = "" if value is None else str(value)
    return text if len(text) <= 12 else f"{text[:12]}…"


def column_width(header: str, heading: str, texts: Sequence[tuple[str, bool, bool]]) -> int:
    """As wide as its widest value within bounds; the heading wraps, but never badly.

    `heading`: the header cell's text, in bold. `texts`: each cell's text below it, whether it
    is bold and whether it is set in FIGURE_FONT.
    """
    widest = max((fitting_width(*text) for text in texts), default=_LEAST_WIDTH)
    if header in _MOST_CHARACTERS:
        widest = min(widest, characters_width(_MOST_CHARACTERS[header]))
    width = max(widest, _LEAST_WIDTH)
    while heading_lines(heading, width) is None:
        width += 1
    return width


def heading_lines(heading: str, width: int) -> str | None:
    """The heading (in bold) broken into lines that fit `width`, or None where it cannot be.

    Every heading is made of two-character words (计划/开始/日期, 年度/资金/申请/总额): a name
    too wide for one line breaks between them into two, the first line holding half of them or
    one more (年度资金/申请总额, 项目资金/总额), never leaving one character alone (指标/数), and
    its unit line stays whole. The breaks are written into the heading, so that it reads the
    same in every application: LibreOffice fits more on a line than Excel does.
    """
    name, *unit = heading.split("\n")
    lines = [name]
    if fitting_width(name, bold=True) > width:
        half = (len(name) + 3) // 4 * 2  # characters in the first half of the words, rounded up
        lines = [name[:half], name[half:]]
    lines += unit
    fits = all(len(line) > 1 and fitting_width(line, bold=True) <= width for line in lines)
    return "\n".join(lines) if fits else None


def _fit_row_heights(sheet: Worksheet, number_format: str) -> None:
    """Each table row as high as its most wrapped cell, marked custom so that none refits it.

    LibreOffice takes a row's height as written, custom or not, and fits no row of an .xlsx.
    """
    widths = _widths(sheet, len(HEADERS))
    for row in sheet.iter_rows(min_row=HEADER_ROW):
        lines = max(
            (
                wrapped_lines(_shown(cell.value, number_format), width, bool(cell.font.b))
                for cell, width in zip(row, widths, strict=True)
                if cell.value is not None and cell.alignment.wrap_text
            ),
            default=1,
        )
        sheet.row_dimensions[row[0].row].height = row_height(lines)


def _shown(value: Any, number_format: str) -> str:
    """A cell's value roughly as Excel shows it, for sizing its column."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        places = len(number_format.rpartition(".")[2])
        return f"{value:,.{places}f}"
    return str(value)

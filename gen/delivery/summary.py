"""The 汇总表: one Excel row per project, a subtotal per 实施单位 and a grand total, exact sums."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from gen import output
from gen.amounts import ZERO, exact_sum
from gen.checking import document_of
from gen.load import Loader
from gen.model import Project, project_from
from gen.ooxml import fixed_zip
from gen.report import ProjectResult

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
HEADERS = (*TEXT_COLUMNS, *DATE_COLUMNS, *AMOUNT_COLUMNS, *COUNT_COLUMNS, "警告")
DATE_FORMAT = "yyyy-mm-dd"
FIXED_TIME = datetime(2000, 1, 1)  # the workbook's created/modified: no build time in the file
_WIDTHS = {"实施单位": 26, "项目名称": 36, "表样": 15, "警告": 60}
_BOLD = Font(bold=True)
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")


@dataclass(frozen=True)
class SummaryRow:
    """One project as the 汇总表 lists it; amounts are exact 万元 as on the form."""

    unit: str
    name: str
    form: str
    category: str
    nature: str
    start: date
    end: date
    amounts: tuple[Decimal, ...]  # in AMOUNT_COLUMNS order
    indicators: int
    warnings: tuple[str, ...]


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
        project.category,
        project.nature,
        project.start,
        project.end,
        amounts,
        len(project.indicators),
        tuple(warnings),
    )


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
    """0.00, or more places when some amount is written with more (up to 0.0001 万元)."""
    places = 2
    for row in rows:
        for amount in row.amounts:
            exponent = amount.as_tuple().exponent
            if isinstance(exponent, int):
                places = max(places, min(-exponent, 4))
    return "0." + "0" * places


def write_summary(rows: Sequence[SummaryRow], path: Path) -> None:
    """Write the 汇总表 to `path` atomically."""
    output.write_atomic(path, summary_workbook(rows))


def summary_workbook(rows: Sequence[SummaryRow]) -> bytes:
    """The .xlsx bytes; the same rows always give the same bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    _fill(sheet, rows)
    _shape(sheet, amount_format(rows))
    workbook.properties.creator = "gen"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(workbook, archive).save()  # openpyxl's save_workbook() would stamp the time
    return fixed_zip(buffer.getvalue())


def _fill(sheet: Worksheet, rows: Sequence[SummaryRow]) -> None:
    """Header, then each unit's projects and its subtotal, then the grand total."""
    sheet.append(HEADERS)
    groups = by_unit(rows)
    for unit, members in groups.items():
        for row in members:
            sheet.append(_cells(row))
        sheet.append(_total_cells(unit, f"小计（{len(members)} 个项目）", members))
        _mark_total(sheet)
    sheet.append(_total_cells("合计", f"{len(rows)} 个项目，{len(groups)} 个实施单位", rows))
    _mark_total(sheet)


def _cells(row: SummaryRow) -> list[Any]:
    """One project's cells in HEADERS order."""
    text = (row.unit, row.name, row.form, row.category, row.nature or None)
    counts = (row.indicators, len(row.warnings))
    return [*text, row.start, row.end, *row.amounts, *counts, "；".join(row.warnings) or None]


def _total_cells(unit: str, label: str, rows: Sequence[SummaryRow]) -> list[Any]:
    """A subtotal or grand-total line: the exact sums as values."""
    blanks = [None] * (len(TEXT_COLUMNS) - 2 + len(DATE_COLUMNS))
    counts = [sum(r.indicators for r in rows), sum(len(r.warnings) for r in rows)]
    return [unit, label, *blanks, *totals(rows), *counts, None]


def _mark_total(sheet: Worksheet) -> None:
    """Bold, shaded, with a rule above: the last row is a total."""
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
        cell.fill = _TOTAL_FILL
        cell.border = Border(top=_THIN)


def _shape(sheet: Worksheet, number_format: str) -> None:
    """Number and date formats, column widths, the frozen header and the auto-filter."""
    for index, header in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS.get(header, 14)
        header_cell = sheet.cell(1, index)
        header_cell.font = _BOLD
        header_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if header in AMOUNT_COLUMNS:
                cell.number_format = number_format
            elif header in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "C2"  # the header and the unit / project name stay in view
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{sheet.max_row}"

"""The 汇总表: read back with openpyxl, every row, subtotal and total exact, in one stated unit."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import openpyxl
import pytest
from conftest import GOOD_PROJECT, SAMPLES, good_project
from lxml import etree
from openpyxl.utils import get_column_letter
from pypdf import PdfReader

from gen.build import check
from gen.cli import main
from gen.delivery.sheet_text import wrapped_lines
from gen.delivery.summary import (
    AMOUNT_COLUMNS,
    HEADERS,
    amount_format,
    headers,
    heading_lines,
    page_ends,
    page_room,
    summary_file,
    summary_rows,
    summary_unit,
    summary_workbook,
    title,
)


def expected_amounts(doc: dict) -> list[Decimal]:
    """The seven amounts as the form prints them; a total left out is the sum of its parts."""
    funds, annual = doc["项目资金"], doc["年度资金"]
    fund_total = funds.get("项目资金总额") or funds["财政资金"] + funds["其他资金"]
    annual_total = annual.get("年度资金申请总额") or (
        annual["当年财政拨款"] + annual["上年结转资金"] + annual["其他资金"]
    )
    return [fund_total, funds["财政资金"], funds["其他资金"], annual_total,
            annual["当年财政拨款"], annual["上年结转资金"], annual["其他资金"]]  # fmt: skip


def exact(value: object) -> Decimal:
    """A number read back by openpyxl as the decimal it was written as."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]


def stored_values(data: bytes) -> dict[str, str]:
    """Each numeric cell's text exactly as stored in the sheet XML (cell → text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    return dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*t="n"[^>]*><v>([^<]*)</v>', xml))


@pytest.fixture(scope="module")
def sample():
    """The sample projects' report, the 汇总表 bytes and its sheet read back."""
    report = check([SAMPLES])
    data = summary_workbook(summary_rows(report.results))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return report, data, sheet


def test_one_row_per_project_equal_to_its_data(sample):
    report, _, sheet = sample
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] is not None]
    assert len(rows) == len(report.results) == 33
    by_name = {(r.doc["实施单位"], r.doc["项目名称"]): r for r in report.results}
    for row in rows:
        result = by_name[(row[0], row[1])]
        doc = result.doc
        assert row[2:5] == (doc["表样"], doc["项目类别"], doc.get("项目性质"))
        assert row[5:7] == (
            datetime.combine(doc["计划开始日期"], datetime.min.time()),
            datetime.combine(doc["计划完成日期"], datetime.min.time()),
        )
        assert [exact(v) for v in row[7:14]] == expected_amounts(doc)
        indicators = sum(len(l3) for l2 in doc["绩效指标"].values() for l3 in l2.values())
        assert row[14:16] == (indicators, len(result.warnings))


def test_subtotals_and_grand_total_are_the_exact_decimal_sums(sample):
    report, data, sheet = sample
    stored = stored_values(data)
    units: dict[str, list[Decimal]] = {}
    for result in report.results:
        sums = units.setdefault(result.doc["实施单位"], [Decimal(0)] * 7)
        for i, amount in enumerate(expected_amounts(result.doc)):
            sums[i] += amount
    subtotal_rows = [
        row for row in sheet.iter_rows(min_row=4) if str(row[1].value).startswith("小计")
    ]
    assert [row[0].value for row in subtotal_rows] == list(units)
    for row in subtotal_rows:
        written = [Decimal(stored[cell.coordinate]) for cell in row[7:14]]
        assert written == units[row[0].value]
    last = list(sheet.iter_rows(min_row=sheet.max_row))[0]
    assert last[0].value == "合计" and last[1].value == "33 个项目，5 个实施单位"
    grand = [sum(column, Decimal(0)) for column in zip(*units.values(), strict=True)]
    assert [Decimal(stored[cell.coordinate]) for cell in last[7:14]] == grand
    assert grand[1] == Decimal("7658.2748")  # to the 0.0001 万元


def test_formats_frozen_header_and_filter(sample):
    _, _, sheet = sample
    assert headers("万元")[7:9] == ("项目资金总额\n（万元）", "财政资金\n（万元）")
    assert [c.value.replace("\n", "") for c in sheet[3]] == [
        h.replace("\n", "") for h in headers("万元")
    ]
    assert sheet.freeze_panes == "C4"
    assert sheet.auto_filter.ref == f"A3:Q{sheet.max_row}"
    for column in range(8, 8 + len(AMOUNT_COLUMNS)):
        cells = [sheet.cell(r, column) for r in range(4, sheet.max_row + 1)]
        # the sample has an amount written to four places
        assert {c.number_format for c in cells} == {"#,##0.0000"}
        assert {c.alignment.horizontal for c in cells} == {"right"}
    assert sheet["F4"].is_date and sheet["F4"].number_format == "yyyy-mm-dd"
    assert sheet.title == "汇总表"


def test_two_places_when_no_amount_has_more(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("3082.53", "87.9"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    assert amount_format(rows) == "#,##0.00"
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook(rows))).active
    assert sheet["I4"].number_format == "#,##0.00"
    assert [sheet["I4"].value, sheet["I5"].value, sheet["I7"].value] == [3082.53, 87.9, 3170.43]


def _in_yuan(project: str, amount: str) -> str:
    """A project whose amounts are written in 元: 3082.53 becomes `amount`."""
    return project.replace("3082.53", amount) + "格式:\n  金额单位: 元\n"


def test_projects_in_yuan_are_summed_in_yuan(tmp_path, write):
    write("projects/a.yaml", _in_yuan(GOOD_PROJECT, "297554.85"))
    write("projects/b.yaml", _in_yuan(good_project("乙"), "10308000.00"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    assert summary_unit(rows) == "元"
    data = summary_workbook(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "单位：元"
    # 10,605,554.85 makes room for 项目资金总额 on one line; 年度其他资金 is 0.00
    assert (sheet["H3"].value, sheet["N3"].value) == (
        "项目资金总额\n（元）",
        "年度其他\n资金\n（元）",
    )
    stored = stored_values(data)
    assert [stored["I4"], stored["I5"], stored["I7"]] == ["297554.85", "10308000", "10605554.85"]
    assert sheet["I4"].number_format == "#,##0.00"


def test_mixed_units_are_converted_exactly_into_yuan(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT)  # 3082.53 万元
    write("projects/b.yaml", _in_yuan(good_project("乙"), "297554.85"))
    write("projects/c.yaml", _in_yuan(good_project("丙"), "1"))  # 1 元
    write("projects/d.yaml", good_project("丁").replace("3082.53", "0.0001"))  # 0.0001 万元 = 1 元
    rows = summary_rows(check([tmp_path / "projects"]).results)
    assert [row.amount_unit for row in rows] == ["万元", "元", "元", "万元"]
    assert summary_unit(rows) == "元"
    data = summary_workbook(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "单位：元" and sheet["I3"].value == "财政资金\n（元）"
    stored = stored_values(data)
    assert [stored[f"I{row}"] for row in (4, 5, 6, 7, 9)] == [
        "30825300",  # 3082.53 万元 × 10000, exactly
        "297554.85",
        "1",
        "1",
        "31122856.85",  # 30825300 + 297554.85 + 1 + 1
    ]
    assert sheet["I4"].number_format == "#,##0.00"


def test_an_amount_of_more_digits_than_excel_keeps_is_written_as_its_text(tmp_path, write):
    # Excel holds 15 significant digits; 123456789012345.123456 (21) would lose six of them
    write("projects/a.yaml", GOOD_PROJECT.replace("3082.53", "123456789012345.123456"))
    write("projects/b.yaml", good_project("乙").replace("3082.53", "99999999999.9999"))  # 15
    rows = summary_rows(check([tmp_path / "projects"]).results)
    data = summary_workbook(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["I4"].value == "123,456,789,012,345.123456" and sheet["I4"].data_type == "s"
    assert sheet["I4"].alignment.horizontal == "right"
    # a number, which Excel reads to its 15 digits: the amount (openpyxl writes 16)
    stored = Decimal(stored_values(data)["I5"])
    assert stored.quantize(Decimal("0.0001")) == Decimal("99999999999.9999")
    assert sheet["I5"].data_type == "n"
    assert sheet["I7"].value == "123,556,789,012,345.123356"  # the exact sum, as text


def test_an_amount_written_as_text_shows_the_columns_decimals(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT)  # 3082.53: the columns show two decimals
    write("projects/b.yaml", good_project("乙").replace("3082.53", "123456789012345.6"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook(rows))).active
    amounts = {sheet[f"I{row}"].value for row in (4, 5)}
    assert amounts == {3082.53, "123,456,789,012,345.60"}
    assert sheet["I4"].number_format == "#,##0.00"
    assert sheet["I7"].value == "123,456,789,015,428.13"  # the total, as text too


def test_summary_unit_is_the_common_one_else_yuan(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    assert summary_unit(rows) == "万元"
    assert summary_unit([]) == "万元"


def test_the_same_projects_give_the_same_bytes(sample):
    report, data, _ = sample
    assert summary_workbook(summary_rows(report.results)) == data


def test_warnings_are_listed(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("社工满意度: ≥90%", "社工满意度: 满意"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook(rows))).active
    assert sheet["P4"].value == 1
    assert "满意度" in sheet["Q4"].value
    assert sheet.column_dimensions["Q"].width == 41  # the widest it grows: 21 characters
    # not printed: on one line, running on to the right, and the row no taller for it
    assert not sheet["Q4"].alignment.wrap_text
    many = replace(rows[0], warnings=rows[0].warnings * 4)
    quiet = replace(rows[0], warnings=())
    heights = [
        openpyxl.load_workbook(io.BytesIO(summary_workbook([row]))).active.row_dimensions[4].height
        for row in (many, quiet)
    ]
    assert heights[0] == heights[1]


def test_gen_summary_without_building(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["summary", "projects", "-o", "汇总.xlsx"])
    assert result.exit_code == 1  # b has an error: listed, and left out of the table
    assert result.stdout.startswith("projects/b.yaml:")
    assert "汇总表：汇总.xlsx（1 个项目）" in result.stderr
    assert not (in_tmp / "output").exists()
    sheet = openpyxl.load_workbook(in_tmp / "汇总.xlsx").active
    assert [sheet["B4"].value, sheet["B5"].value, sheet["A6"].value] == [
        "社工",
        "小计（1 项）",
        "合计",
    ]
    assert sheet["F4"].value.date() == date(2026, 1, 1)


def test_build_writes_the_summary_too(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--summary", "output/汇总表.xlsx"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(in_tmp / "output/汇总表.xlsx").active["B4"].value == "社工"


@pytest.mark.parametrize(
    ("args", "option"),
    [(["summary", "projects", "-o"], "“-o/--output”"), (["build", "projects", "--summary"], "“--summary”")],
)  # fmt: skip
def test_a_summary_must_be_an_xlsx(runner, in_tmp, write, args, option):
    write("projects/a.yaml", GOOD_PROJECT.replace("3082.53", "三千"))  # never read: no finding
    result = runner.invoke(main, [*args, "汇总.xls"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        f"错误：{option}的值无效：“汇总.xls”须以 .xlsx 结尾（汇总表是 Excel 文件）\n"
    )
    assert not (in_tmp / "output").exists()


@pytest.mark.parametrize(
    "args",
    [["summary", "projects", "-o"], ["build", "projects", "--summary"]],
    ids=["summary", "build"],
)
def test_a_read_only_summary_is_never_replaced(runner, in_tmp, write, args):
    write("projects/a.yaml", GOOD_PROJECT)
    kept = in_tmp / "汇总.xlsx"
    kept.write_bytes(b"the user's own")
    kept.chmod(0o444)  # the 只读 attribute on Windows
    result = runner.invoke(main, [*args, "汇总.xlsx"])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "错误：未生成汇总表：无法写入 汇总.xlsx：文件是只读的，没有覆盖；请取消它的只读属性后重试，或另选一个文件名\n"
    )
    assert kept.read_bytes() == b"the user's own"
    assert sorted(p.name for p in in_tmp.iterdir() if p.is_file()) == ["汇总.xlsx"]
    assert (in_tmp / "output/a.docx").is_file() == (args[0] == "build")


def test_called_from_python_a_summary_or_book_with_another_suffix_is_not_written(tmp_path):
    from gen.build import BuildOptions, build
    from gen.delivery.deliver import deliver

    (tmp_path / "projects").mkdir()
    (tmp_path / "projects/a.yaml").write_text(GOOD_PROJECT, encoding="utf-8")
    report = build([tmp_path / "projects"], BuildOptions(out_dir=tmp_path / "out", jobs=1))
    delivery = deliver(report, summary=tmp_path / "汇总.csv", book=tmp_path / "合订.pdf")
    assert delivery.problems == [
        f"未生成合订本：“{(tmp_path / '合订.pdf').as_posix()}”须以 .docx 结尾（合订本是 Word 文件）",
        f"未生成汇总表：“{(tmp_path / '汇总.csv').as_posix()}”须以 .xlsx 结尾（汇总表是 Excel 文件）",
    ]
    assert delivery.exit_code == 1
    assert not (tmp_path / "汇总.csv").exists() and not (tmp_path / "合订.pdf").exists()


# --- how it prints ----------------------------------------------------------------------------


def test_title_and_unit_lines_above_the_table(sample):
    _, _, sheet = sample
    assert sheet["A1"].value == "2026年度 财政项目支出绩效目标汇总表"
    assert sheet["A1"].font.b and sheet["A1"].alignment.horizontal == "center"
    assert sheet["A2"].value == "单位：万元" and sheet["A2"].alignment.horizontal == "right"
    # across the printed columns: centred over the printed table, the unit at its right edge
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:O1", "A2:O2"}


def test_projects_of_several_years_name_every_year(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT)
    later = good_project("乙").replace("年度: 2026", "年度: 2027").replace("2026-", "2027-")
    write("projects/b.yaml", later)
    rows = summary_rows(check([tmp_path / "projects"]).results)
    assert title(rows) == "2026、2027年度 财政项目支出绩效目标汇总表"
    assert title([]) == "财政项目支出绩效目标汇总表"


def test_a4_landscape_one_page_wide_with_the_title_and_header_on_every_page(sample):
    _, _, sheet = sample
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9: A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$3"
    # up to 指标数: 警告数 and 警告 are read on screen
    assert sheet.print_area == f"'汇总表'!$A$1:$O${sheet.max_row}"
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    margins = sheet.page_margins  # inches: about 0.8 cm beside the table, 1.5 cm above and below
    assert (margins.left, margins.right, margins.top, margins.bottom) == (0.3, 0.3, 0.6, 0.6)
    assert sheet.print_options.horizontalCentered


def test_every_table_cell_has_a_thin_border_and_the_headings_none(sample):
    _, _, sheet = sample
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            sides = (cell.border.left, cell.border.right, cell.border.top, cell.border.bottom)
            assert {side.style for side in sides} == {"thin"}, cell.coordinate
    assert sheet["A1"].border.bottom.style is None


def test_columns_are_as_wide_as_their_content_within_bounds(sample):
    _, _, sheet = sample
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOPQ"}
    assert widths["A"] == 14  # 7 Chinese characters a line of 1.875 digits, and margins
    assert widths["B"] == 16  # 8 characters a line: longer names wrap
    assert widths["C"] == 14  # 绩效目标申报表 on one line: 7 characters
    assert widths["D"] == widths["E"] == 11  # 经常性项目: 5
    assert widths["F"] == 10  # 2026-01-01 in Arial; its heading takes two lines
    assert widths["I"] == 10  # 7,658.2748 in Arial: 8 digits, a comma and a stop, and margins
    assert widths["J"] == 9  # "（万元）" in bold under "其他资金", whose amounts are 0.0000
    assert widths["O"] == 7  # 指标数: 3 Chinese characters in bold


def test_a_category_of_seven_characters_stays_on_one_line(sample):
    report, _, _ = sample
    (row, *_) = summary_rows(report.results)
    special = replace(row, form="绩效目标申报表", category="特定目标类项目", nature="经常性项目")
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook([special]))).active
    assert [sheet.column_dimensions[c].width for c in "CDE"] == [14, 14, 11]


def test_headings_break_between_their_words_into_two_lines_above_the_unit(sample):
    _, _, sheet = sample
    assert [sheet.cell(3, column).value for column in range(6, 16)] == [
        *("计划开始\n日期", "计划完成\n日期"),
        *("项目资金\n总额\n（万元）", "财政资金\n（万元）", "其他资金\n（万元）"),
        *("年度资金\n申请总额\n（万元）", "当年财政\n拨款\n（万元）"),
        *("上年结转\n资金\n（万元）", "年度其他\n资金\n（万元）", "指标数"),
    ]
    assert heading_lines("年度资金申请总额\n（万元）", 17) == "年度资金申请总额\n（万元）"
    assert heading_lines("年度资金申请总额\n（万元）", 12) == "年度资金\n申请总额\n（万元）"
    # two even halves, where 年度资金申请 would fit on the first line
    assert heading_lines("年度资金申请总额\n（元）", 13) == "年度资金\n申请总额\n（元）"
    assert heading_lines("年度资金申请总额\n（万元）", 8) is None  # （万元） would break
    assert heading_lines("年度资金申请总额\n（元）", 8) is None  # 年度/资金/申请/总额
    assert heading_lines("指标数", 7) == "指标数"
    assert heading_lines("指标数", 6) is None  # 指标/数


def row_of_name(sheet, name: str) -> int:
    """The sheet row whose 项目名称 is `name`."""
    return next(r[1].row for r in sheet.iter_rows(min_row=4) if r[1].value == name)


def test_rows_are_as_high_as_their_most_wrapped_cell(sample):
    _, _, sheet = sample
    heights = {row: sheet.row_dimensions[row].height for row in range(1, sheet.max_row + 1)}
    assert heights[2] == 18  # 单位：万元
    assert heights[3] == 50  # 项目资金 / 总额 / （万元）
    assert heights[row_of_name(sheet, "普法")] == 18  # 浦江镇司法所, 绩效目标表: one line
    assert heights[row_of_name(sheet, "信访代理员经费")] == 18  # 浦江镇信访办, 绩效目标申报表
    # 8 characters a line of 项目名称: 浦江镇实有人口移 / 动信息采集终端租 / 赁服务
    assert heights[row_of_name(sheet, "浦江镇实有人口移动信息采集终端租赁服务")] == 50
    # 7 characters a line of 实施单位: 浦江镇党建工作 / 办公室（人才）/ 条线
    assert heights[row_of_name(sheet, "人才活动")] == 50
    assert heights[row_of_name(sheet, "小计（2 项）")] == 18  # in bold
    # the unit's name in its subtotal as in its rows, not in bold: 闵行区浦江镇平 / 安建设办公室
    assert heights[row_of_name(sheet, "小计（17 项）")] == 34
    assert heights[sheet.max_row] == 34  # 合计 / 33 个项目，5 个 / 实施单位
    assert all(sheet.row_dimensions[row].customHeight for row in heights)


def test_figures_are_set_in_arial_and_text_in_songti(sample):
    _, _, sheet = sample
    last = sheet.max_row  # the grand total, in bold
    for row, bold in ((4, False), (last, True)):
        for column in range(1, len(HEADERS) + 1):
            font = sheet.cell(row, column).font
            figures = 6 <= column <= 16  # F to P: the dates, amounts and counts
            assert (font.name, font.sz, font.b) == ("Arial" if figures else "宋体", 11, bold)
    assert {sheet.cell(3, column).font.name for column in range(1, 18)} == {"宋体"}
    subtotal = row_of_name(sheet, "小计（17 项）")
    assert [sheet.cell(subtotal, column).font.b for column in (1, 2, 8)] == [False, True, True]


def test_column_widths_are_counted_in_arial_digits(sample):
    _, data, _ = sample
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        styles = package.read("xl/styles.xml").decode()
    fonts = re.findall(r"<font>(.*?)</font>", styles)
    normal_xf = re.search(r"<cellStyleXfs[^>]*><xf [^>]*fontId=\"(\d+)\"", styles)
    assert normal_xf is not None and '<name val="Arial"/>' in fonts[int(normal_xf.group(1))]
    assert '<name val="Arial"/>' in fonts[0]


def calc_is_installed() -> bool:
    """Whether LibreOffice can open spreadsheets (Debian packs Calc apart: libreoffice-calc-nogui)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent
    return any((program / name).exists() for name in ("libsclo.so", "sclo.dll", "libsclo.dylib"))


def arial_metrics() -> bool:
    """Whether LibreOffice measures Arial with Arial's widths (Liberation Sans has them)."""
    if shutil.which("fc-match") is None:
        return False
    found = subprocess.run(["fc-match", "Arial"], capture_output=True, text=True)
    return "Liberation Sans" in found.stdout or "Arial" in found.stdout


@dataclass(frozen=True)
class PrintedLine:
    """The words of one table column that sit on one line of the PDF."""

    page: int
    top: float
    bottom: float
    text: str


def printed_words(pdf: Path) -> list[tuple[int, float, float, float, str]]:
    """Every word of the PDF: page, horizontal centre, top, bottom, text (pdftotext -bbox)."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout
    root = etree.fromstring(bbox, etree.XMLParser(recover=True))
    words = []
    for number, page in enumerate(root.iter("{*}page"), start=1):
        for word in page.iter("{*}word"):
            left, top, right, bottom = (
                float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")
            )
            words.append((number, (left + right) / 2, top, bottom, word.text or ""))
    return words


def column_bands(words, widths: list[float]) -> list[tuple[float, float]]:
    """Each printed column's left and right edge, from the centred labels of the first and last."""
    first = next(x for page, x, _, _, text in words if page == 1 and text == HEADERS[0])
    last = next(x for page, x, _, _, text in words if page == 1 and text == "指标数")
    scale = (last - first) / (sum(widths) - (widths[0] + widths[-1]) / 2)
    edges = [first - scale * widths[0] / 2]
    for width in widths:
        edges.append(edges[-1] + scale * width)
    return list(zip(edges, edges[1:], strict=False))


def band_lines(words, band: tuple[float, float]) -> list[PrintedLine]:
    """The words inside a column, gathered into lines, page by page, top to bottom."""
    inside = sorted((w for w in words if band[0] < w[1] < band[1]), key=lambda w: (w[0], w[2]))
    lines: list[PrintedLine] = []
    for page, _, top, bottom, text in inside:
        if lines and lines[-1].page == page and abs(lines[-1].top - top) < 2:
            last = lines[-1]
            lines[-1] = replace(last, bottom=max(last.bottom, bottom), text=last.text + text)
        else:
            lines.append(PrintedLine(page, top, bottom, text))
    return lines


def cell_blocks(lines: list[PrintedLine], texts: list[str]) -> list[list[PrintedLine]]:
    """For each cell text in order, the consecutive lines that spell it.

    The title lines above the table, and the header (the first text) repeated at the top of
    each later page, are passed over.
    """
    blocks, index = [], 0
    for text in texts:
        wanted = "".join(text.split())
        while lines[index].text != wanted[: len(lines[index].text)]:
            assert not blocks or lines[index].text == texts[0], (text, lines[index])
            index += 1
        block: list[PrintedLine] = []
        while "".join(line.text for line in block) != wanted:
            block.append(lines[index])
            index += 1
            assert wanted.startswith("".join(line.text for line in block)), (text, block)
        blocks.append(block)
    return blocks


printed_by_libreoffice = pytest.mark.skipif(
    not calc_is_installed() or shutil.which("pdftotext") is None or not arial_metrics(),
    reason="LibreOffice Calc, poppler-utils or a font with Arial's widths (the unit of column "
    "widths) is missing: apt-get install libreoffice-calc-nogui poppler-utils fonts-liberation",
)


@pytest.fixture(scope="module")
def sample_pdf(sample, tmp_path_factory) -> Path:
    """The sample's 汇总表 as LibreOffice prints it."""
    folder = tmp_path_factory.mktemp("printed")
    (folder / "汇总表.xlsx").write_bytes(sample[1])
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(folder / "汇总表.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return folder / "汇总表.pdf"


def printed_sizes(page) -> Counter[float]:
    """How many characters a PDF page prints at each size, in points: font size times scale."""
    sizes: Counter[float] = Counter()

    def visit(text, cm, tm, font, size):
        height = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        if text.strip():
            sizes[round(size * height, 1)] += len(text.strip())

    page.extract_text(visitor_text=visit)
    return sizes


@printed_by_libreoffice
def test_libreoffice_prints_a4_landscape_at_nine_points(sample_pdf):
    pages = PdfReader(sample_pdf).pages
    assert len(pages) == 3
    for page in pages:
        assert (round(page.mediabox.width), round(page.mediabox.height)) == (842, 595)
        sizes = printed_sizes(page)
        body = sizes.most_common(1)[0][0]
        # 11 pt scaled to 81 %: 8.9 pt (before, with 17 columns one page wide: 6.4 pt)
        assert body >= 8.8 and min(sizes) >= body - 0.1, sizes
        assert max(sizes) == pytest.approx(body * 16 / 11, abs=0.1)  # the title


@printed_by_libreoffice
def test_libreoffice_prints_every_row_whole_in_a_row_just_as_high(sample, sample_pdf):
    _, _, sheet = sample
    pdf = PdfReader(sample_pdf)
    assert len(pdf.pages) == 3  # 33 projects, 5 subtotals and the total, one page wide
    for number, page in enumerate(pdf.pages, start=1):
        assert page.mediabox.width > page.mediabox.height  # landscape
        text = page.extract_text().replace(" ", "")
        assert "实施单位" in text and "申请总额" in text  # the header row on every page
        assert "2026年度财政项目支出绩效目标汇总表" in text and "单位：万元" in text
        assert f"第{number}页，共3页" in text
        assert "警告" not in text  # 警告数 and 警告 are outside the print area
    assert "7,658.2748" in pdf.pages[-1].extract_text()

    words = printed_words(sample_pdf)
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, 16)]
    bands = column_bands(words, widths)
    rows = list(sheet.iter_rows(min_row=3))
    # every text cell of a row, and every header, in no more lines than counted for it
    blocks: dict[tuple[int, int], list[PrintedLine]] = {}
    counted: dict[int, int] = {}  # each row's lines, as its height was counted
    for column in range(15):
        in_rows = [r for r in (rows if column < 5 else rows[:1]) if r[column].value is not None]
        texts = [str(row[column].value) for row in in_rows]
        found = cell_blocks(band_lines(words, bands[column]), texts)
        for row, text, block in zip(in_rows, texts, found, strict=True):
            lines = wrapped_lines(text, widths[column], bool(row[column].font.b))
            assert len(block) <= lines, (text, block)  # LibreOffice may fit more on a line
            assert len({line.page for line in block}) == 1, text  # never split over pages
            blocks[(row[0].row, column)] = block
            counted[row[0].row] = max(counted.get(row[0].row, 1), lines)
    # the rows are as high as written: their 实施单位 sit that far apart
    heights = {row[0].row: sheet.row_dimensions[row[0].row].height for row in rows}
    centres = {r: (blocks[(r, 0)][0].top + blocks[(r, 0)][-1].bottom) / 2 for r in heights}
    scales = [
        (centres[r + 1] - centres[r]) / ((heights[r] + heights[r + 1]) / 2)
        for r in list(heights)[:-1]
        if blocks[(r, 0)][0].page == blocks[(r + 1, 0)][0].page
    ]
    scale = sorted(scales)[len(scales) // 2]
    assert all(abs(s - scale) < 0.02 * scale for s in scales)
    gaps = [b - a for block in blocks.values() for a, b in pairwise(line.top for line in block)]
    pitch = sorted(gaps)[len(gaps) // 2] / scale  # from one line of a cell to the next
    tallest = dict.fromkeys(heights, 0.0)
    printed = dict.fromkeys(heights, 1)
    for (row, _), block in blocks.items():
        tallest[row] = max(tallest[row], (block[-1].bottom - block[0].top) / scale)
        printed[row] = max(printed[row], len(block))
    for row, extent in tallest.items():  # the text within its row
        assert extent <= heights[row], (row, extent, pitch)
        if printed[row] == counted[row]:  # and not half a line to spare
            assert heights[row] - pitch / 2 < extent, (row, extent, pitch)
    assert sum(printed[row] == counted[row] for row in heights) > len(heights) * 3 / 4


def test_a_character_no_workbook_can_hold_becomes_a_replacement_mark(sample):
    report, _, _ = sample
    (row, *_) = summary_rows(report.results)
    odd = replace(row, name="社\v工\x00站\ud800", unit="单位\x1b", warnings=("值\x0c有误",))
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook([odd]))).active
    assert [sheet.cell(4, column).value for column in (1, 2)] == [
        "单位\ufffd",
        "社\ufffd工\ufffd站\ufffd",
    ]
    assert sheet.cell(4, len(HEADERS)).value == "值\ufffd有误"
    assert sheet.cell(5, 1).value == "单位\ufffd"  # its subtotal


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", '=HYPERLINK("http://x","点我")', "#N/A", "#REF!"])
def test_a_name_like_a_formula_or_an_error_value_stays_text(sample, text):
    report, _, _ = sample
    (row, *_) = summary_rows(report.results)
    odd = replace(row, name=text, unit=text, warnings=(text,))
    data = summary_workbook([odd])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [sheet.cell(4, 1), sheet.cell(4, 2), sheet.cell(5, 1), sheet.cell(4, len(HEADERS))]
    assert [(cell.value, cell.data_type) for cell in cells] == [(text, "s")] * 4
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")


# --- where the pages break --------------------------------------------------------------------


def test_a_page_ends_where_its_rows_fill_it():
    assert page_ends([10.0] * 7, set(), 30.0) == [2, 5]
    assert page_ends([10.0] * 3, set(), 30.0) == []
    assert page_ends([25.0, 10.0, 25.0], set(), 30.0) == [0, 1]


def test_a_subtotal_or_the_total_never_begins_a_page():
    # rows 0-4 fill the page; the 小计 (5) and 合计 (6) take the project above them (4) along
    assert page_ends([10.0] * 7, {5, 6}, 50.0) == [3]
    # a 合计 after a full page: the 小计 and the project above it go over with it
    assert page_ends([10.0] * 6, {4, 5}, 50.0) == [2]
    # a 小计 in the middle of the table, too
    assert page_ends([10.0] * 9, {3, 8}, 30.0) == [1, 4, 6]
    # a page keeps one row at least: a total alone on one, when nothing else can be
    assert page_ends([30.0, 30.0], {1}, 30.0) == [0]


def _one_unit(sample, projects: int, name: str | None = None) -> list:
    """`projects` rows of the sample's first project, one 实施单位; the second named `name`."""
    report, _, _ = sample
    (row, *_) = summary_rows(report.results)
    rows = [replace(row, name=f"项目{number:03d}") for number in range(projects)]
    if name is not None:
        rows[1] = replace(rows[1], name=name)
    return rows


def row_breaks(data: bytes) -> list[int]:
    """The sheet rows after which a page ends, as written in the file."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [brk.id for brk in sheet.row_breaks.brk]


def test_every_page_ends_at_a_row_break_of_its_own(sample):
    _, data, sheet = sample
    ends = row_breaks(data)
    assert ends == [17, 33]  # the sample's three pages, each ending below a 小计 or a project
    heights = [sheet.row_dimensions[row].height for row in range(4, sheet.max_row + 1)]
    room = page_room(sheet)
    starts = [4, *(end + 1 for end in ends)]
    for start, end in zip(starts, [*ends, sheet.max_row], strict=True):
        assert sum(heights[start - 4 : end - 3]) <= room
    assert not any(str(sheet.cell(start, 2).value).startswith("小计") for start in starts)


@pytest.fixture(scope="module")
def printed_totals(sample, tmp_path_factory) -> dict[int, Path]:
    """汇总表 of 22 to 28 projects of one unit, as LibreOffice prints them: around where the
    合计, or the 小计 and the 合计, would be the only rows of the second page."""
    folder = tmp_path_factory.mktemp("totals")
    made = {}
    for projects in range(22, 29):
        made[projects] = folder / f"{projects}.xlsx"
        made[projects].write_bytes(summary_workbook(_one_unit(sample, projects)))
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, made.values())],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return made


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF, as pdftotext reads it, white space left out."""
    pages = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout.split("\f")[:-1]
    return [re.sub(r"\s", "", page) for page in pages]


@printed_by_libreoffice
@pytest.mark.parametrize("projects", range(22, 29))
def test_libreoffice_never_prints_the_total_alone_on_the_last_page(printed_totals, projects):
    """Without breaks of its own, LibreOffice printed the 合计 of 25 projects alone on page 2,
    and the 小计 and 合计 of 26 projects; Excel, scaling the sheet a little larger, breaks
    pages sooner. Now each page ends at gen's break, and the last holds a project too."""
    data = printed_totals[projects].read_bytes()
    pages = pdf_pages(printed_totals[projects].with_suffix(".pdf"))
    assert len(pages) == len(row_breaks(data)) + 1  # no page broken by LibreOffice itself
    last = pages[-1]
    assert f"合计{projects}个项目，1个实施单位".replace("合计", "") in last
    assert f"小计（{projects}项）" in last
    assert f"项目{projects - 1:03d}" in last  # the last project stays with its 小计 and 合计
    assert f"第{len(pages)}页，共{len(pages)}页" in last
    # 项目000…: not the 经常性项目 before a date
    printed = [name for page in pages for name in re.findall(r"(?<!性)项目\d{3}", page)]
    assert printed == [f"项目{number:03d}" for number in range(projects)]  # none lost or twice


# --- a row taller than a page -----------------------------------------------------------------

LONG_NAME = "浦江镇社区综合治理长效机制建设" * 28  # 420 characters: 53 lines of 8, 850 pt


def test_a_row_taller_than_a_page_is_made_one_page_high_and_said(sample):
    data, cut = summary_file(_one_unit(sample, 5, LONG_NAME))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    room = page_room(sheet)
    height = sheet.row_dimensions[5].height
    assert room - 16 < height <= room  # as many whole lines as a page holds
    lines = int((height - 2) / 16)
    assert sheet["B5"].value == LONG_NAME  # all of it in the cell
    assert sheet["B5"].alignment.vertical == "top"  # its beginning prints
    assert sheet["A5"].alignment.vertical == "center"  # not cut: as the other rows
    assert cut == [
        f"第 5 行（浦江镇社区综合治理长效机… · 浦江镇党建工作办公室（人…）的项目名称太长，一页纸印不下："
        f"这一行按一页高打印，项目名称共 420 个字，只能印出前 {lines * 8} 个字左右"
        "（表格里仍是全文）；请缩短项目名称"
    ]
    assert row_breaks(data) == [4, 5]  # the row a page of its own
    _, rest = summary_file(_one_unit(sample, 5, LONG_NAME[:200]))  # 25 lines: a page holds them
    assert rest == []


def test_gen_summary_warns_of_a_row_that_prints_cut(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("项目名称: 社工", f"项目名称: {LONG_NAME}"))
    result = runner.invoke(main, ["summary", "projects", "-o", "汇总.xlsx"])
    assert result.exit_code == 0  # the 汇总表 is written: the clerk decides
    assert result.stderr.splitlines()[0].startswith(
        "汇总.xlsx: 警告: 第 4 行（浦江镇社区综合治理长效机… · 浦江镇社区党群服务中心）的项目名称太长，"
    )


@printed_by_libreoffice
def test_libreoffice_prints_a_row_taller_than_a_page_whole_on_one(sample, tmp_path):
    """It was cut at the foot of its page, its figures with it, and the rest of its name lost."""
    rows = _one_unit(sample, 5, LONG_NAME)
    data, cut = summary_file(rows)
    (tmp_path / "长.xlsx").write_bytes(data)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "长.xlsx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "长.pdf"
    pages = pdf_pages(pdf)
    assert len(pages) == 3
    assert "项目000" in pages[0] and "浦江镇社区综合治理" not in pages[0]
    page = pages[1]  # the long row alone, whole: its unit and its figures
    assert "浦江镇党建工作" in page and "2026-12-31" in page
    assert f"{rows[1].amounts[0]:,.2f}" in page and "第2页，共3页" in page
    assert "项目002" in pages[2] and "合计" in pages[2]
    # its name from the beginning, at least as much of it as the warning says
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    words = printed_words(pdf)
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, 16)]
    lines = band_lines(words, column_bands(words, widths)[1])
    name = "".join(line.text for line in lines if line.page == 2 and line.text != "项目名称")
    assert LONG_NAME.startswith(name)
    assert len(name) >= int(re.search(r"只能印出前 (\d+) 个字", cut[0])[1])

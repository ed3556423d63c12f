"""The 汇总表: read back with openpyxl, every row, subtotal and total exact to the 0.0001 万元."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from conftest import GOOD_PROJECT, SAMPLES, good_project

from gen.build import check
from gen.cli import main
from gen.delivery.summary import (
    AMOUNT_COLUMNS,
    HEADERS,
    amount_format,
    summary_rows,
    summary_workbook,
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
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] is not None]
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
        row for row in sheet.iter_rows(min_row=2) if str(row[1].value).startswith("小计")
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
    assert [c.value for c in sheet[1]] == list(HEADERS)
    assert sheet.freeze_panes == "C2"
    assert sheet.auto_filter.ref == f"A1:Q{sheet.max_row}"
    for column in range(8, 8 + len(AMOUNT_COLUMNS)):
        assert {sheet.cell(r, column).number_format for r in range(2, sheet.max_row + 1)} == {
            "0.0000"  # the sample has an amount written to four places
        }
    assert sheet["F2"].is_date and sheet["F2"].number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["B"].width >= 30
    assert sheet.title == "汇总表"


def test_two_places_when_no_amount_has_more(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("3082.53", "87.9"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    assert amount_format(rows) == "0.00"
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook(rows))).active
    assert sheet["I2"].number_format == "0.00"
    assert [sheet["I2"].value, sheet["I3"].value, sheet["I5"].value] == [3082.53, 87.9, 3170.43]


def test_the_same_projects_give_the_same_bytes(sample):
    report, data, _ = sample
    assert summary_workbook(summary_rows(report.results)) == data


def test_warnings_are_listed(tmp_path, write):
    write("projects/a.yaml", GOOD_PROJECT.replace("社工满意度: ≥90%", "社工满意度: 满意"))
    rows = summary_rows(check([tmp_path / "projects"]).results)
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook(rows))).active
    assert sheet["P2"].value == 1
    assert "满意度" in sheet["Q2"].value


def test_gen_summary_without_building(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    write("projects/b.yaml", good_project("乙").replace("  财政资金: 3082.53", "  财政资金: 三千"))
    result = runner.invoke(main, ["summary", "projects", "-o", "汇总.xlsx"])
    assert result.exit_code == 1  # b has an error: listed, and left out of the table
    assert result.stdout.startswith("projects/b.yaml:")
    assert "汇总表：汇总.xlsx（1 个项目）" in result.stderr
    assert not (in_tmp / "output").exists()
    sheet = openpyxl.load_workbook(in_tmp / "汇总.xlsx").active
    assert [sheet["B2"].value, sheet["B3"].value, sheet["A4"].value] == [
        "社工",
        "小计（1 个项目）",
        "合计",
    ]
    assert sheet["F2"].value.date() == date(2026, 1, 1)


def test_build_writes_the_summary_too(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["build", "projects", "--summary", "output/汇总表.xlsx"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(in_tmp / "output/汇总表.xlsx").active["B2"].value == "社工"


def test_a_summary_must_be_an_xlsx(runner, in_tmp, write):
    write("projects/a.yaml", GOOD_PROJECT)
    result = runner.invoke(main, ["summary", "projects", "-o", "汇总.xls"])
    assert result.exit_code == 1
    assert "错误：汇总表 汇总.xls 须以 .xlsx 结尾" in result.stderr


def test_a_character_no_workbook_can_hold_becomes_a_replacement_mark(sample):
    report, _, _ = sample
    (row, *_) = summary_rows(report.results)
    odd = replace(row, name="社\v工\x00站\ud800", unit="单位\x1b", warnings=("值\x0c有误",))
    sheet = openpyxl.load_workbook(io.BytesIO(summary_workbook([odd]))).active
    assert [sheet.cell(2, column).value for column in (1, 2)] == [
        "单位\ufffd",
        "社\ufffd工\ufffd站\ufffd",
    ]
    assert sheet.cell(2, len(HEADERS)).value == "值\ufffd有误"
    assert sheet.cell(3, 1).value == "单位\ufffd"  # its subtotal

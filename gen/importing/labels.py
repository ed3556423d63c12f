"""Filled-in forms → project data: cells found by their labels, values read as the form printed them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree

from gen.importing.tables import Cell, Table, body_paragraphs, body_tables
from gen.importing.wordfile import WordFileError
from gen.schema import FORMAT_DEFAULTS
from gen.vocabulary import APPLICATION_FORM, CATEGORIES, NATURES, TARGET_FORM

TICK_MARKS = "☑☒■√✓✔▣⊠"
EMPTY_MARKS = "☐□▢◻⬜"
CHOICES = (*CATEGORIES[TARGET_FORM], *CATEGORIES[APPLICATION_FORM], *NATURES)
REQUIRED_AMOUNTS = ("财政资金", "当年财政拨款")  # a blank one is how the form prints 0

# Labels as they appear after `squash` (NFKC, no whitespace): key → pattern.
LABELS: dict[str, str] = {
    "项目名称": r"项目名称",
    "项目类别": r"项目类别",
    "项目性质": r"项目性质",
    "主管部门": r"主管部门(及代码|名称)?",
    "实施单位": r"实施单位(及代码|名称)?",
    "计划开始日期": r"计划开始(日期|时间)",
    "计划完成日期": r"计划完成(日期|时间)",
    "项目资金": r"项目资金(\(万元\))?",
    "项目资金总额": r"项目资金总额",
    "年度资金申请总额": r"年度资金(申请)?总额",
    "财政资金": r"(其中:?)?财政资金",
    "当年财政拨款": r"(其中:?)?当年财政拨款",
    "上年结转资金": r"(其中:?)?上年结转(资金)?",
    "其他资金": r"(其中:?)?其他资金",
    "项目绩效目标": r"项目绩效目标",
    "项目总目标": r"项目总目标(\(.*\))?",
    "年度总体目标": r"年度总体目标(\(.*\))?",
    "绩效指标": r"绩效指标",
    "一级指标": r"一级指标",
    "二级指标": r"二级指标",
    "三级指标": r"三级指标",
    "指标值": r".{0,12}指标值",
}
_LABELS = [(key, re.compile(pattern)) for key, pattern in LABELS.items()]
_YEAR = re.compile(r"([0-9]{4})\s*年度")
_PERIOD = re.compile(r"\(([0-9]{4})年?[-—–~～至到]([0-9]{4})年?\)")
_DATE = re.compile(r"([0-9]{4})(\s*[-./年]\s*)([0-9]{1,2})(\s*[-./月]\s*)([0-9]{1,2})(\s*日?)")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_THOUSANDS = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def squash(text: str) -> str:
    """Text for comparing labels: full-width forms folded (（ → (, ： → :), whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def label_of(text: str) -> str | None:
    """The label key a cell's text is, or None for a value."""
    folded = squash(text)
    return next((key for key, pattern in _LABELS if pattern.fullmatch(folded)), None)


def one_line(text: str) -> str:
    """A single-line value: lines stripped and joined (a break inside a name is only layout)."""
    return "".join(line.strip() for line in text.splitlines()).strip()


def paragraphs_text(texts: list[str]) -> str:
    """A multi-line value: the non-blank lines of the cells, stripped, one per line."""
    lines = [line.strip() for text in texts for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- the document → forms


def read_forms(root: etree._Element) -> list[dict[str, Any]]:
    """Every form in a document as project data in FORMAT.md key order (an error if none)."""
    tables = body_tables(root)
    forms = [form for table in tables for form in _table_forms(table)]
    if not forms:
        raise WordFileError(_no_form(root, tables), "no-form")
    return forms


def _no_form(root: etree._Element, tables: list[Table]) -> str:
    """Say what the document holds instead of a form."""
    if not tables:
        lines = [text.strip() for text in body_paragraphs(root)]
        lines = [line for line in lines if line]
        start = f"，开头是“{_preview(lines[0])}”" if lines else ""
        return f"没有找到绩效目标表：文件里没有表格（只有 {len(lines)} 段文字{start}）"
    first = [one_line(cell.text) for cell in _distinct(tables[0].rows[0])] if tables[0].rows else []
    shown = "、".join(_preview(text) for text in first if text)[:40]
    start = f"（第一个表格开头是“{shown}”）" if shown else ""
    return f"没有找到绩效目标表：找到 {len(tables)} 个表格，但没有“项目名称”等标签{start}"


def _preview(text: str) -> str:
    """A short piece of text for a message."""
    return text if len(text) <= 20 else text[:20] + "…"


def _distinct(cells: list[Cell]) -> list[Cell]:
    """Cells without repeats (a merged cell appears in every row it covers)."""
    return list({id(cell): cell for cell in cells}.values())


def _table_forms(table: Table) -> Iterator[dict[str, Any]]:
    """The forms of one table: each starts at a row with a 项目名称 label."""
    starts = [r for r, row in enumerate(table.rows) if any(_is(cell, "项目名称") for cell in row)]
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(table.rows)
        above = range(starts[i - 1] + 1 if i else 0, start)
        titles = ([] if i else table.before) + [_row_text(table, r) for r in above]
        yield _Form(table, range(start, end), titles).data()


def _is(cell: Cell, key: str) -> bool:
    """Whether a cell is the label `key`."""
    return label_of(cell.text) == key


def _row_text(table: Table, row: int) -> str:
    """All the text of a row, for finding a title or a year written inside the table."""
    return " ".join(cell.text for cell in _distinct(table.rows[row]))


# ---------------------------------------------------------------- one form


@dataclass
class _Form:
    """One form: the rows of a table from its 项目名称 row, and the title lines above it."""

    table: Table
    rows: range
    titles: list[str]

    def data(self) -> dict[str, Any]:
        """The project data, FORMAT.md key order, only the keys the form has."""
        self.labels = self._labels()
        form = APPLICATION_FORM if self._is_application() else TARGET_FORM
        dates = {key: self.text(key) for key in ("计划开始日期", "计划完成日期")}
        parsed = {key: parse_date(text) for key, text in dates.items() if text is not None}
        project, annual = self._funds()
        data: dict[str, Any] = {"表样": form, "年度": self._year()}
        data["项目名称"] = self.text("项目名称")
        data["项目类别"] = self._category()
        data["项目性质"] = self.text("项目性质") if form == APPLICATION_FORM else None
        data["主管部门"] = self.text("主管部门")
        data["实施单位"] = self.text("实施单位")
        data.update(parsed)
        data["项目期间"] = self._period(parsed)
        data["项目资金"], data["年度资金"] = project, annual
        data["项目总目标"] = self._goal("项目总目标")
        data["年度总体目标"] = self._goal("年度总体目标")
        data["绩效指标"] = self._indicators()
        data["格式"] = infer_format([t for t in dates.values() if t], self.amount_texts)
        return {key: value for key, value in data.items() if value not in (None, "", {})}

    # -- labels and the values beside them

    def _labels(self) -> dict[str, list[Cell]]:
        """Every label cell of the form, by key, in reading order."""
        found: dict[str, list[Cell]] = {}
        for cell in _distinct([cell for r in self.rows for cell in self.table.rows[r]]):
            key = label_of(cell.text)
            if key is not None:
                found.setdefault(key, []).append(cell)
        return found

    def beside(self, label: Cell) -> list[Cell]:
        """The cells right of a label, in each row it covers, up to the next label."""
        cells: list[Cell] = []
        for r in label.rows:
            if r not in self.rows:
                continue
            for cell in self.table.rows[r]:
                if cell.col < label.end or cell is label:
                    continue
                if label_of(cell.text) is not None:
                    break
                cells.append(cell)
        return _distinct(cells)

    def value_of(self, label: Cell) -> str | None:
        """The first non-blank text beside a label ("" when all are blank)."""
        texts = [cell.text.strip() for cell in self.beside(label)]
        return next((text for text in texts if text), "")

    def text(self, key: str) -> str | None:
        """A single-line value by its label; None when the form has no such label."""
        cells = self.labels.get(key)
        return one_line(self.value_of(cells[0]) or "") if cells else None

    # -- the fields

    def _is_application(self) -> bool:
        """A 申报表: it has a 项目性质 cell, or its title says so."""
        return "项目性质" in self.labels or any("申报表" in squash(t) for t in self.titles)

    def _year(self) -> int | None:
        """The year of the "(2026年度)" line above the table (the nearest one)."""
        years = [
            m for text in self.titles for m in _YEAR.findall(unicodedata.normalize("NFKC", text))
        ]
        return int(years[-1]) if years else None

    def _category(self) -> str | None:
        """项目类别: the ticked box(es), or the text written beside the label."""
        cells = self.labels.get("项目类别")
        if not cells:
            return None
        text = " ".join(cell.text for cell in self.beside(cells[0]))
        if any(mark in text for mark in TICK_MARKS + EMPTY_MARKS):
            return "、".join(ticked_choices(text)) or None
        return one_line(text) or None

    def _period(self, dates: dict[str, date | str]) -> str | None:
        """项目期间 from "项目总目标 (2025年-2026年)", when it differs from the dates' years."""
        cells = self.labels.get("项目总目标")
        match = _PERIOD.search(squash(cells[0].text)) if cells else None
        if not match:
            return None
        first, last = int(match[1]), int(match[2])
        start, end = dates.get("计划开始日期"), dates.get("计划完成日期")
        if (
            isinstance(start, date)
            and isinstance(end, date)
            and (start.year, end.year) == (first, last)
        ):
            return None
        return f"{first}-{last}"

    def _funds(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """项目资金 and 年度资金 as written; the two 其他资金 told apart by their column."""
        self.amount_texts: list[str] = []
        others = self.labels.get("其他资金", [])
        annual_labels = self.labels.get("年度资金申请总额", []) + self.labels.get(
            "当年财政拨款", []
        )
        split = min((cell.col for cell in annual_labels), default=None)
        if split is None:
            project_other, annual_other = others[:1], others[1:2]
        else:
            project_other = [c for c in others if c.col < split][:1]
            annual_other = [c for c in others if c.col >= split][:1]
        project = self._amounts(
            {
                "项目资金总额": self.labels.get("项目资金总额", [])[:1],
                "财政资金": self.labels.get("财政资金", [])[:1],
                "其他资金": project_other,
            }
        )
        annual = self._amounts(
            {
                "年度资金申请总额": self.labels.get("年度资金申请总额", [])[:1],
                "当年财政拨款": self.labels.get("当年财政拨款", [])[:1],
                "上年结转资金": self.labels.get("上年结转资金", [])[:1],
                "其他资金": annual_other,
            }
        )
        return project, annual

    def _amounts(self, labels: dict[str, list[Cell]]) -> dict[str, Any]:
        """One money block: a printed amount as written, a blank one left out (0 when required)."""
        block: dict[str, Any] = {}
        for key, cells in labels.items():
            if not cells:
                continue
            text = self.value_of(cells[0]) or ""
            if text.strip():
                self.amount_texts.append(text)
            amount = parse_amount(text)
            if amount is None and key in REQUIRED_AMOUNTS:
                amount = Decimal(0)
            if amount is not None:
                block[key] = amount
        return block

    def _goal(self, key: str) -> str | None:
        """A goal: the text under its header, down to the indicator header."""
        headers = self.labels.get(key)
        if not headers:
            return None
        header = headers[0]
        stop = self._indicator_header_row() or self.rows.stop
        texts = []
        for r in range(max(header.rows) + 1, stop):
            cell = self.table.cell_at(r, header.col)
            if cell is not None and cell is not header and label_of(cell.text) is None:
                texts.append(cell.text)
        return paragraphs_text(list(dict.fromkeys(texts)))

    # -- the indicator table

    def _indicator_header(self) -> dict[str, Cell] | None:
        """The 一级/二级/三级指标 and 指标值 header cells, found in one row."""
        for r in self.rows:
            cells = {label_of(cell.text): cell for cell in self.table.rows[r]}
            if all(key in cells for key in ("一级指标", "二级指标", "三级指标", "指标值")):
                return {key: cells[key] for key in ("一级指标", "二级指标", "三级指标", "指标值")}  # type: ignore[misc]
        return None

    def _indicator_header_row(self) -> int | None:
        """The row of the indicator header."""
        header = self._indicator_header()
        return header["三级指标"].row if header else None

    def _indicators(self) -> dict[str, dict[str, list[tuple[str, str]]]]:
        """一级 → 二级 → [(三级, 值)], grouped by the merged cells (an empty cell continues a group)."""
        header = self._indicator_header()
        if header is None:
            return {}
        tree: dict[str, dict[str, list[tuple[str, str]]]] = {}
        level1: tuple[Cell, str] | None = None
        level2: tuple[Cell, str] | None = None
        for r in range(header["三级指标"].row + 1, self.rows.stop):
            if self._full_width(r, header):
                break
            level1, new = _group(self.table.cell_at(r, header["一级指标"].col), level1, False)
            level2, _ = _group(self.table.cell_at(r, header["二级指标"].col), level2, new)
            entry = self._entry(r, header)
            if entry is not None and level1 is not None and level2 is not None:
                tree.setdefault(level1[1], {}).setdefault(level2[1], []).append(entry)
        return tree

    def _full_width(self, row: int, header: dict[str, Cell]) -> bool:
        """A row whose one cell spans the indicator columns (a note below the table)."""
        cell = self.table.cell_at(row, header["一级指标"].col)
        return cell is not None and cell.covers(header["指标值"].col)

    def _entry(self, row: int, header: dict[str, Cell]) -> tuple[str, str] | None:
        """(三级, 值) of one row; None for an empty row."""
        cells = [c for c in _distinct(self.table.rows[row]) if c.col >= header["三级指标"].col]
        found = [(cell, one_line(cell.text)) for cell in cells if one_line(cell.text)]
        if not found:
            return None
        if len(found) == 1:
            cell, text = found[0]
            return ("", text) if cell.col >= header["指标值"].col else (text, "")
        return found[0][1], found[-1][1]


def _group(
    cell: Cell | None, current: tuple[Cell, str] | None, restart: bool
) -> tuple[tuple[Cell, str] | None, bool]:
    """The group a row belongs to in one indicator column, and whether it starts a new one.

    A merged cell continues its group; a blank unmerged cell continues the group above (people
    often leave the cells below a name empty instead of merging them); a written cell starts one.
    A new 一级 group always starts a new 二级 group (`restart`).
    """
    if cell is None:
        return current, False
    name = re.sub(r"\s+", "", cell.text)
    if not restart and current is not None and (cell is current[0] or not name):
        return current, False
    return (cell, name), True


# ---------------------------------------------------------------- values


def ticked_choices(text: str) -> list[str]:
    """The choices whose box is ticked, whether the boxes follow their labels or precede them."""
    marks = [ch for ch in text if ch in TICK_MARKS + EMPTY_MARKS]
    pieces = re.split(f"[{TICK_MARKS}{EMPTY_MARKS}]", text)
    boxes_first = text.strip()[0] in TICK_MARKS + EMPTY_MARKS
    labels = pieces[1:] if boxes_first else pieces[:-1]
    return [
        _nearest_choice(label, at_start=boxes_first)
        for label, mark in zip(labels, marks, strict=True)
        if mark in TICK_MARKS and label.strip()
    ]


def _nearest_choice(piece: str, at_start: bool) -> str:
    """The label next to a box in a piece of text (a known choice, else the nearest word)."""
    words = piece.split() if at_start else piece.split()[::-1]
    folded = squash(piece)
    known = sorted((folded.find(choice), choice) for choice in CHOICES if choice in folded)
    if known:
        return known[0][1] if at_start else known[-1][1]
    return words[0] if words else ""


def parse_date(text: str) -> date | str:
    """A printed date (2026-1-1, 2026.01.01, 2026. 01. 01, 2026年1月1日); other text stays text."""
    match = _DATE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return text
    try:
        return date(int(match[1]), int(match[3]), int(match[5]))
    except ValueError:
        return text


def parse_amount(text: str) -> Decimal | str | None:
    """A printed amount as the exact decimal written (3,082.53 and 2035. 58 read too); blank: None."""
    folded = squash(text)
    if not folded:
        return None
    if _THOUSANDS.fullmatch(folded):
        folded = folded.replace(",", "")
    return Decimal(folded) if _NUMBER.fullmatch(folded) else text.strip()


def infer_format(dates: list[str], amounts: list[str]) -> dict[str, Any]:
    """The 格式 options under which the form's dates and amounts print as they do (non-defaults only)."""
    options: dict[str, Any] = {"日期格式": date_pattern(dates)}
    parsed = [(text, parse_amount(text)) for text in amounts]
    numbers = [(text, n) for text, n in parsed if isinstance(n, Decimal)]
    decimals = [-int(n.as_tuple().exponent) for _, n in numbers if n != 0]
    options["金额小数位"] = max(min([*decimals, 2]), 0)  # more decimals print anyway
    options["千分位"] = any("," in text for text, _ in numbers)
    options["零值"] = "0" if any(n == 0 for _, n in numbers) else "空白"
    return {k: v for k, v in options.items() if v is not None and v != FORMAT_DEFAULTS[k]}


def date_pattern(texts: list[str]) -> str | None:
    """The 日期格式 pattern that prints dates as these texts show them (YYYY.M.D, YYYY年M月D日…)."""
    matches = [
        m for m in (_DATE.fullmatch(unicodedata.normalize("NFKC", t).strip()) for t in texts) if m
    ]
    if not matches:
        return None
    month = next((s for m in matches if (s := _digits_style(m[3], "M")) is not None), "MM")
    day = next((s for m in matches if (s := _digits_style(m[5], "D")) is not None), "DD")
    first = matches[0]
    return f"YYYY{first[2]}{month}{first[4]}{day}{first[6]}"


def _digits_style(digits: str, letter: str) -> str | None:
    """ "M" for 1, "MM" for 01, None when it cannot tell (12); "D" / "DD" likewise."""
    if len(digits) == 1:
        return letter
    return letter * 2 if digits.startswith("0") else None

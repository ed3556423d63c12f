"""gen template: a unit's own filled form → the Word template gen builds its projects with.

The form's document is kept as it is — labels, fonts, widths, heights, borders, page, the lines
around the table, headers and footers, every other part of the package — and only what a
project fills in changes: each value cell becomes its tag in the value's own run formatting, the
year and the periods of the title and the goal label become tags, the 项目类别 (and 项目性质) boxes
tick by the project's choice, and the indicator rows become one loop row styled like the form's
first indicator row.
"""

from __future__ import annotations

import copy
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from gen import output
from gen.amounts import only_printable
from gen.balance import drop_balancing_indents
from gen.errors import AlreadyThere, GenError, UsageError, shown, typed
from gen.importing.checkboxes import (
    XML_SPACE,
    put_text,
    string_literal,
    tag_boxes,
    tag_named_boxes,
)
from gen.importing.choices import box_layout_error, check_boxes, has_boxes, unboxed_choices_error
from gen.importing.form import Form
from gen.importing.forms import read_forms
from gen.importing.funds import fund_labels
from gen.importing.goals import goal_cells, goal_label, goal_parts, part_name
from gen.importing.indicators import indicator_header, indicator_rows, trailing_rows, value_columns
from gen.importing.labels import label_of
from gen.importing.other_fields import trailing_listing
from gen.importing.printed import BoxLayoutError, named_choices, one_line
from gen.importing.tables import Cell, cell_paragraphs, cell_positions, reading
from gen.importing.units import unsupported_units
from gen.importing.wordfile import (
    WordFileError,
    open_package,
    package_parts,
    unexpected,
    word_bytes,
)
from gen.importing.years import (
    LISTED_YEAR,
    PERIOD,
    TITLE_PERIOD,
    digits_of,
    letter_o_said,
    period_years,
    title_year,
    title_years,
    years_by_line,
    years_said,
)
from gen.model import VALUE_PARTS
from gen.numerals import ASCII_DIGITS, year_number
from gen.ooxml import package, w
from gen.templates import template_file
from gen.vocabulary import FORMS, OTHERS

DEFAULT_DIR = Path("templates")
# Elements that mark a place in the text; kept when a cell's text is replaced.
ANCHORS = tuple(
    w(tag)
    for tag in (
        "bookmarkStart",
        "bookmarkEnd",
        "commentRangeStart",
        "commentRangeEnd",
        "permStart",
        "permEnd",
    )
)
TEXT_ELEMENTS = (w("t"), w("instrText"), w("delText"))
_JINJA_BRACES = re.compile(r"[{}]")
# The context value each single-value label prints (render_context's names).
SINGLE_VALUES = ("项目名称", "主管部门", "实施单位", "计划开始日期", "计划完成日期")
ANNUAL_NAMES = {"其他资金": "年度其他资金"}  # 年度资金's 其他资金 is printed from this name
CHOICE_KEYS = ("项目类别", "项目性质")
REFUSED = "没有用这个表格做模板"  # what a message refusing the form says is not done


@dataclass(frozen=True)
class TemplateResult:
    """What gen template wrote: the template file, the 表样 it is for, the boxes it found."""

    path: Path
    form: str
    boxes: int  # checkboxes that now follow the project's choice
    box_keys: tuple[str, ...] = ()  # whose: 项目类别, and 项目性质 on a 申报表 that has boxes
    note: str | None = None  # a warning: written cells no label claims, kept as fixed text


def make_template(
    source: Path, out_dir: Path = DEFAULT_DIR, *, force: bool = False
) -> TemplateResult:
    """Write `out_dir`/<表样>.docx made from the form in `source`; nothing is written on a failure."""
    where = shown(source)
    if not source.is_file():
        raise UsageError(f"找不到 {where}；请检查路径是否写对")
    try:
        with tempfile.TemporaryDirectory(prefix="gen-template-") as workdir:
            data = word_bytes(source, Path(workdir))
        document = open_package(data)
        with reading(document.styles):
            form = _only_form(read_forms(document.root, document.pages))
            form.check_complete(REFUSED)
            check_boxes(form, REFUSED)
            _check_unit(form)
            note = _kept_text(form, where)
            boxes = _Templated(form).apply()  # per key
            pages = dict(zip(document.page_parts, document.pages, strict=True))
            changed = {name for name, page in pages.items() if _tag_names(form, page)}
        parts = [
            (
                name,
                _serialised(document.root)
                if name == document.part
                else _serialised(pages[name])
                if name in changed
                else part,
            )
            for name, part in package_parts(data)
        ]
    except Exception as exc:  # a form no check foresaw is a message too, never a traceback
        failure = exc if isinstance(exc, WordFileError) else unexpected(exc)
        raise GenError(f"{where}: {failure.message}") from exc
    target = out_dir / f"{form.kind}.docx"
    made = package(parts)
    _check_compiles(made, form.kind, where)
    if target.exists() and not force:
        raise AlreadyThere(shown(target), f"要用 {where} 做的模板替换它，请加 --force")
    output.write_atomic(target, made)
    keys = tuple(key for key, count in boxes.items() if count)
    return TemplateResult(target, form.kind, sum(boxes.values()), keys, note)


def _check_unit(form: Form) -> None:
    """Refuse a form stating a unit gen does not print amounts in (千元, 美元…): every form built
    from the template would print amounts in 元 or 万元 under it."""
    units, said, quoted = unsupported_units(form)
    if not units:
        return
    raise WordFileError(
        f"表格上的金额单位是{'、'.join(units)}（{said}）；{only_printable(units)}，"
        f"用这个表格做模板会在“{quoted}”处印出以元或万元为单位的金额，所以{REFUSED}。"
        f"请在 Word 中把“{quoted}”改为“元”或“万元”（与项目文件的 格式.金额单位 相同）后再运行",
        "unit-unsupported",
    )


def _kept_text(form: Form, where: str) -> str | None:
    """Warnings naming the written cells no label claims (every form would print them as they
    are) and the rows kept below the indicators."""
    form.data()  # marks the cells a project fills in
    unread = form.unread()
    notes, indicator_cells = _indicator_columns(form, unread, where)
    notes.extend(_other_rows_note(form, where))
    listing = form.unread_listing([cell for cell in unread if cell not in indicator_cells])
    if listing:
        notes.append(
            f"{where}: 警告: 表格里的 {listing} 不在任何认得的标签旁边，会原样印在每一张表上；"
            "如果其中有填写的内容（如金额），请在 Word 中把它旁边的标签改为标准写法"
            "（如“项目资金总额”）后重新运行 gen template"
        )
    notes.extend(_other_years(form, where))
    notes.extend(_unread_years(form, where))
    said = letter_o_said(form.titles)
    if said:
        notes.append(f"{where}: 警告: {said}；模板在这里印各项目自己的年份，0 印作数字 0")
    trailing = trailing_listing(form)
    if trailing:
        notes.append(
            f"{where}: 警告: 指标下面的 {trailing} 不是指标，照原表留在模板里，每一张表都印出其中的"
            "文字；其中各项目不同的内容（如审核意见），请在 Word 中把模板里的这些格子清空，"
            "或在生成的表格里改写"
        )
    return "\n".join(notes) or None


def _other_rows_note(form: Form, where: str) -> list[str]:
    """A warning naming the rows gen has no key for that the template prints from each
    project's 其他栏目 (项目负责人, 联系电话…): a project not giving one prints it blank."""
    rows = form.other_rows()
    lines = form.other_lines()
    if not rows and not lines:
        return []
    names = "、".join([*(row.label for row in rows), *(line.label for line in lines)])
    boxed = "、".join(row.label for row in rows if row.boxes)
    ticks = f"（{boxed} 勾与写的值同名的那个框）" if boxed else ""
    first = rows[0] if rows else lines[0]
    example = f"{first.label}: {one_line(first.text) or '…'}"
    return [
        f"{where}: 警告: 表格里的 {names} 是项目文件里没有的栏目，模板在这些栏里印各项目"
        f" {OTHERS} 下同名的一项{ticks}；请在项目文件（或 _defaults.yaml）的 {OTHERS} 下写上，"
        f"如“{OTHERS}: {{{example}}}”，没有写的印空白（gen import 从表格读入它们）"
    ]


def _other_years(form: Form, where: str) -> list[str]:
    """A warning when the title lines name more than one year: only the form's 年度 (the one
    nearest the table) becomes each project's, and the others print as they are on every form."""
    lines = years_by_line(form.titles)
    year = title_year(form.titles)
    others = list(dict.fromkeys(y for years in lines.values() for y in years if y != year))
    if not others:
        return []
    said = years_said(form.titles)
    kept = "、".join(map(str, others))
    return [
        f"{where}: 警告: 表格上方写了不止一个年份（{said}）；模板只把离表格最近的 {year} "
        f"换成各项目的年度，{kept} 照原样印在每一张表上；如果它也是这张表的年度，"
        f"请在 Word 中把它改为 {year} 后重新运行 gen template"
    ]


# A title line that names a year: "…年度", or "…年" before a bracket or the form's name
_NAMES_A_YEAR = re.compile(r"年\s*(?:度|[)）]|财|项|绩)")


def _unread_years(form: Form, where: str) -> list[str]:
    """A warning for each title line that names a year gen cannot read (两千零二十六年度, 20 26
    年度): the template prints it as it stands, on every form of every year."""
    return [
        f"{where}: 警告: 表格上方的“{one_line(text)}”写着年度，但看不出是哪一年（年份要写成 2026 "
        "或 二〇二六 这样的四位数）；模板照原样印这一行，每一张表、以后每一年都印同样的字。"
        "请在 Word 中把年份改为四位数后重新运行 gen template"
        for text in form.titles
        if _NAMES_A_YEAR.search(text)
        and not title_years(text)
        and not TITLE_PERIOD.search(text)
        and not LISTED_YEAR.search(text)
    ]


def _indicator_columns(form: Form, unread: list[Cell], where: str) -> tuple[list[str], list[Cell]]:
    """Warnings on the indicator table's columns that print no project's value (分值, 备注) or
    only part of it (指标性质: the comparison), and the unread cells they name: the indicator
    rows become the loop row, so what the form wrote in them is not printed."""
    header = indicator_header(form)
    block = indicator_rows(form)
    if header is None:
        return [], []
    header_row = header["三级指标"].row
    parts = {cell.col: role for role, cell in value_columns(form).items()}
    first = header["一级指标"].col
    named = [c for c in unread if c.col >= first and (c.row in block or c.row == header_row)]
    notes = []
    roles = {cell.col for cell in header.values()}
    partial = [cell for cell in named if cell.col in roles]  # a group named, no 三级 or value
    if partial:
        notes.append(
            f"{where}: 警告: 指标行里的 {form.unread_listing(partial)} 不是完整的指标（没有三级指标"
            "或指标值），不会印出：模板的指标行印各项目自己的指标"
        )
    for col in dict.fromkeys(cell.col for cell in named if cell.col not in roles):
        heading = next((c for c in form.table.rows[header_row] if c.col == col), None)
        title = one_line(heading.text) if heading is not None else ""
        column = f"“{title}”一栏" if title else f"第 {col + 1} 列"
        values = [cell for cell in named if cell.col == col and cell.row in block]
        lost = f"原表{form.unread_listing(values)}不会印出；" if values else ""
        if col in parts:
            say = "比较符号（≥、= 等）" if parts[col] == "符号" else "单位"
            notes.append(
                f"{where}: 警告: 指标表的{column}印各指标值的{say}，{lost}"
                "需要时请在生成的表格里填写"
            )
        else:
            notes.append(
                f"{where}: 警告: 指标表的{column}不是项目文件里的内容，模板的指标行里这一栏空着，"
                f"{lost}需要时请在生成的表格里填写"
            )
    return notes, named


def next_step(source: Path, out_dir: Path) -> str:
    """What to run after making a template into `out_dir`: import the form, then build with the
    folder's templates; a 表样 the folder has no template of prints from the installed one."""
    build = "gen build" if out_dir == DEFAULT_DIR else f"gen build --templates {typed(out_dir)}"
    step = f"下一步：gen import {typed(source)} 读入项目，然后 {build} 按这个版式生成表格"
    for form in FORMS:
        if not (out_dir / f"{form}.docx").is_file():
            installed = shown(template_file(out_dir, form))
            step += f"；{shown(out_dir)} 里没有 {form}.docx，这种表样的项目仍按随 gen 安装的模板 {installed} 生成"
    return step


def _only_form(forms: list[Form]) -> Form:
    """The one form of the file; several are refused (which would be the template?)."""
    if len(forms) > 1:
        raise WordFileError(
            f"文件里有 {len(forms)} 张表；gen template 只从一张表做模板：请把其中一张另存为单独的"
            "文件（保留标题和表格前后的文字）后再运行",
            "several-forms",
        )
    return forms[0]


def _serialised(root: etree._Element) -> bytes:
    """A document part as Word writes it: declaration, UTF-8, standalone."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _check_compiles(data: bytes, form: str, where: str) -> None:
    """Compile the new template as gen build will, so that a template that cannot work is never written."""
    from gen.render import Renderer

    with tempfile.TemporaryDirectory(prefix="gen-template-") as folder:
        (Path(folder) / f"{form}.docx").write_bytes(data)
        try:
            Renderer(Path(folder)).check_template(form)
        except GenError as exc:
            raise GenError(f"{where}: 做出的模板无法使用（{exc.message}），没有写入") from exc


# ---------------------------------------------------------------- the document → a template


class _Templated:
    """The changes that turn one form's document into a template, made in place."""

    def __init__(self, form: Form) -> None:
        self.form = form
        # a value cell left blank, without formatting of its own, takes the first value's
        written = [self.form.value_cell(key) for key in SINGLE_VALUES]
        first = next(
            (
                cell
                for cell in written
                if cell is not None and cell.text.strip() and not self.form.writes_inline(cell)
            ),
            None,
        )
        self.value_props = _value_run_props(first.elements[0], None) if first else None

    def apply(self) -> dict[str, int]:
        """Tag every value, changing the form's document in place; the boxes tagged, per key."""
        if self.form.table.element is not None:
            _escape_braces(self.form.table.element.getroottree().getroot())
        self._other_lines()  # before any other change to the text of the lines below the table
        self._titles()
        if self.form.table.element is not None:
            _tag_names(self.form, self.form.table.element.getroottree().getroot(), outside=True)
        for key in SINGLE_VALUES:
            if key in self.form.labels:
                self._labelled(self.form.labels[key][0], key)
        boxes = {key: self._choice(key) for key in CHOICE_KEYS}
        self._funds()
        self._goals()
        self._others()
        self._indicators()
        return boxes

    # -- single values

    def _labelled(self, label: Cell, name: str) -> None:
        """A label's value prints its context value `name`: after the label and its colon in the
        label's own cell where the form writes it there (“项目名称：普法”, or “项目名称：” with no
        cell beside it on a blank form), else in the value cell beside it."""
        cell = self.form.value_beside(label)
        if cell is label or (cell is None and _ENDS_WITH_COLON.search(label.text)):
            put_after_label(label.elements[0], f"{{{{ {name} }}}}")
        else:
            self._value(cell, name)

    def _value(self, cell: Cell | None, name: str) -> None:
        """A value cell prints its context value, laid out afresh for each project."""
        if cell is not None:
            put_paragraphs(cell.elements[0], [f"{{{{ {name} }}}}"], self.value_props)
            drop_balancing_indents(cell.elements[0])

    def _choice(self, key: str) -> int:
        """项目类别 / 项目性质: boxes tick by the project's value, or the value is printed as text."""
        labels = self.form.labels.get(key)
        if not labels:
            return 0
        if has_boxes(self.form, key):
            inline = self.form.writes_inline(labels[0])  # “项目类别：☑经常性项目 ☐一次性项目”
            cells = [
                cell.elements[0]
                for cell in ([labels[0]] if inline else self.form.beside(labels[0]))
            ]
            try:
                return tag_boxes(cells, key, self.form.kind, after_colon=inline)
            except BoxLayoutError as exc:
                raise box_layout_error(self.form, key, exc, REFUSED) from exc
        cell = self.form.value_beside(labels[0])
        if (
            cell is not None
            and not self.form.writes_inline(cell)
            and len(named_choices(cell.text)) > 1
        ):
            raise unboxed_choices_error(self.form, key, cell.text, REFUSED)
        self._labelled(labels[0], key)
        return 0

    def _others(self) -> None:
        """A row of the district's own prints the project's 其他栏目 entry of its label: as
        text, or ticking the box whose name the entry is."""
        for row in self.form.other_rows():
            entry = other_entry(row.label)
            if row.boxes:
                tag_named_boxes([row.value.elements[0]], f"({entry})")
            elif row.inline:
                put_after_label(row.value.elements[0], f"{{{{ {entry} }}}}", any_label=True)
            else:
                self._value(row.value, entry)

    def _other_lines(self) -> None:
        """A field written after its label on a line (填报人：张三) prints the project's 其他栏目
        entry of its label in the run of the value, the label and the spaces kept."""
        texts: dict[int, tuple[etree._Element, list[str]]] = {}  # w:t → its characters, edited
        for line in self.form.other_lines():
            for i, (piece, offset) in enumerate(line.places):
                _, chars = texts.setdefault(
                    id(piece.node), (piece.node, list(piece.node.text or ""))
                )
                chars[offset] = f"{{{{ {other_entry(line.label)} }}}}" if i == 0 else ""
        for node, chars in texts.values():
            put_text(node, "".join(chars))

    def _funds(self) -> None:
        """The amount cells of both money blocks."""
        project, annual = fund_labels(self.form)
        for key, label in project.items():
            self._labelled(label, key)
        for key, label in annual.items():
            self._labelled(label, ANNUAL_NAMES.get(key, key))

    # -- year and goals

    def _titles(self) -> None:
        """The year of the title lines ("（2026年度）") becomes {{ 年度 }} in the same runs, and a
        span of years ("2026-2028年…目标表") the project's own 项目期间."""
        year = title_year(self.form.titles)
        paragraphs = [*self.form.table.paragraphs, *self.form.between]  # 三、2026年度绩效指标
        for r in self.form.title_rows:
            for cell in self.form.table.rows[r]:
                paragraphs += cell_paragraphs(cell.elements[0])
        for paragraph in dict.fromkeys(paragraphs):
            text = paragraph_string(paragraph)
            spans = [span for m in TITLE_PERIOD.finditer(text) for span in period_spans(m)]
            spans += [
                (m.start(1), m.end(1), year_tag("年度", m[1]))
                for m in title_years(text)
                if year_number(m[1]) == year
            ]
            replace_spans(paragraph, spans)

    def _goals(self) -> None:
        """The goal labels' periods and the goal cells (one paragraph per line of the goal)."""
        for key in ("项目总目标", "年度总体目标"):
            label = goal_label(self.form, key)
            if label is None:
                continue
            for paragraph in cell_paragraphs(label.elements[0]):
                spans = [
                    span
                    for m in PERIOD.finditer(paragraph_string(paragraph))
                    for span in period_spans(m)
                ]
                replace_spans(paragraph, spans)
            parts = goal_parts(self.form, key)
            if parts:
                self._goal_parts(key, [part_name(name.text) for name, _ in parts], parts)
                continue
            cells = goal_cells(self.form, key)
            loop = [f"{{%p for para in {key} %}}", "{{ para }}", "{%p endfor %}"]
            for i, cell in enumerate(cells):
                put_paragraphs(cell.elements[0], loop if i == 0 else [""])

    def _goal_parts(self, key: str, names: list[str], parts: list[tuple[Cell, list[Cell]]]) -> None:
        """A goal written in rows of named parts: each row prints the paragraphs of the goal that
        start with its name (预期目标：…), without the name; the first row also those that start
        with none (a goal written in one piece prints there whole)."""
        starts = {name: f'para.startswith(("{name}：", "{name}:"))' for name in names}
        for i, ((_, values), name) in enumerate(zip(parts, names, strict=True)):
            own = starts[name]
            if i == 0:
                other = " or ".join(starts.values())
                chosen = f"{own} or not ({other})"
                shown = f"{{{{ para[{len(name) + 1}:] if {own} else para }}}}"
            else:
                chosen, shown = own, f"{{{{ para[{len(name) + 1}:] }}}}"
            loop = [f"{{%p for para in {key} if {chosen} %}}", shown, "{%p endfor %}"]
            for j, cell in enumerate(values):
                put_paragraphs(cell.elements[0], loop if j == 0 else [""])

    # -- the indicator rows

    def _indicators(self) -> None:
        """The indicator rows become one loop row styled like the form's first one."""
        header = indicator_header(self.form)
        block = indicator_rows(self.form)
        assert header is not None  # check_complete() found it
        if not block:
            raise WordFileError(
                f"在{self.form.where()}的指标表头下面没有指标行，不知道指标行的样式；"
                "请用填好了指标的表格做模板",
                "no-indicators",
            )
        rows = [self.form.table.row_elements[r] for r in block]
        parts = value_columns(self.form)
        columns = {key: cell.col for key, cell in [*header.items(), *parts.items()]}
        loop = _LoopRow(self.form, block, columns).make(rows[0])
        tag_rows = [
            _tag_row(loop, columns["一级指标"], "{%tr for row in 指标行 %}", opening=True),
            loop,
            _tag_row(loop, columns["一级指标"], "{%tr endfor %}", opening=False),
        ]
        for row in tag_rows:
            rows[0].addprevious(row)
        for row in rows:
            row.getparent().remove(row)


class _LoopRow:
    """The one indicator row of the template, made from the form's first indicator row."""

    ROLES = {
        "一级指标": "{{ row.一级 }}",
        "二级指标": "{{ row.二级 }}",
        "三级指标": "{{ row.三级 }}",
        "指标值": "{{ row.值 }}",
        "符号": "{{ row.符号 }}",  # a value split into columns: 指标性质 | 指标值 | 度量单位
        "单位": "{{ row.单位 }}",
    }
    GROUPS = {"一级指标": "row.一级起", "二级指标": "row.二级起"}

    def __init__(self, form: Form, block: range, columns: dict[str, int]) -> None:
        self.form, self.block, self.columns = form, block, columns

    def make(self, first: etree._Element) -> etree._Element:
        """A copy of `first` whose cells print one indicator each."""
        row = copy.deepcopy(first)
        originals = cell_positions(first)
        for (tc, col, span), (original, _, _) in zip(cell_positions(row), originals, strict=True):
            role = next((key for key, at in self.columns.items() if col <= at < col + span), None)
            if role is not None:
                self._tag_cell(tc, role)
            else:
                self._other_cell(tc, original, col)
        return row

    def _tag_cell(self, tc: etree._Element, role: str) -> None:
        """一级 and 二级 merge by group; 三级 and the value print as they are."""
        _drop_vmerge(tc)
        group = self.GROUPS.get(role)
        prefix = f"{{% groupmerge {group} %}}" if group else ""
        put_paragraphs(tc, [prefix + self._tag(role)])

    def _tag(self, role: str) -> str:
        """What a column prints; the value column, the parts of the value with no column of their own."""
        if role != "指标值" or not {"符号", "单位"} & set(self.columns):
            return self.ROLES[role]
        return "".join(f"{{{{ row.{part} }}}}" for part in VALUE_PARTS if part not in self.columns)

    def _other_cell(self, tc: etree._Element, original: etree._Element, col: int) -> None:
        """A cell outside the four columns: the 绩效指标 label (merged down the block), or blank."""
        cell = next(c for c in self.form.table.rows[self.block.start] if c.col == col)
        if cell.row < self.block.start:
            return  # a merge from above the block (the 绩效指标 label) simply continues
        text_cell = next(
            (
                c
                for r in self.block
                for c in self.form.table.rows[r]
                if c.col == col and c.text.strip() and label_of(c.text) is not None
            ),
            None,
        )
        merged = len(set(cell.rows) & set(self.block)) > 1
        if text_cell is None and not merged:
            _drop_vmerge(tc)
            put_paragraphs(tc, [""])
            return
        if text_cell is not None and text_cell is not cell:
            _replace_content(tc, text_cell.elements[0])
        _drop_vmerge(tc)
        _prefix_text(tc, "{% groupmerge False %}")


def _tag_row(loop: etree._Element, first_col: int, tag: str, opening: bool) -> etree._Element:
    """A row holding a docxtpl row tag (gone from every built form): the cells left of the 一级
    column as in the loop row, one cell over the rest."""
    row = copy.deepcopy(loop)
    props = row.find(w("trPr"))
    if props is not None:
        for height in props.findall(w("trHeight")):
            props.remove(height)
    positions = cell_positions(row)
    rest = [tc for tc, col, _ in positions if col >= first_col]
    for tc, col, _ in positions:
        if col < first_col:
            _clear_lead(tc, opening)
    span = sum(s for _, col, s in positions if col >= first_col)
    widths = [tc.find(f"{w('tcPr')}/{w('tcW')}") for tc in rest]
    _drop_vmerge(rest[0])
    _set_span(rest[0], span, widths)
    put_paragraphs(rest[0], [tag])
    for tc in rest[1:]:
        tc.getparent().remove(tc)
    return row


def _clear_lead(tc: etree._Element, opening: bool) -> None:
    """A tag row's cell left of the 一级 column: blank, continuing the loop row's merge after it."""
    grouped = "groupmerge" in "".join(tc.itertext())
    for text in tc.iter(w("t")):
        text.text = ""
    if grouped:
        _drop_vmerge(tc)
        if not opening:
            _set_vmerge(tc)


def _set_span(tc: etree._Element, span: int, widths: list[etree._Element | None]) -> None:
    """Give a cell a grid span and, when every merged cell had one, their width together."""
    props = _props(tc)
    for old in props.findall(w("gridSpan")):
        props.remove(old)
    width = props.find(w("tcW"))
    if width is not None and all(x is not None for x in widths):
        total = sum(int(x.get(w("w"), "0")) for x in widths if x is not None)
        width.set(w("w"), str(total))
    if span > 1:
        node = etree.Element(w("gridSpan"))
        node.set(w("val"), str(span))
        _insert_after(props, node, ("cnfStyle", "tcW"))


def _props(tc: etree._Element) -> etree._Element:
    """A cell's w:tcPr, made when it has none."""
    props = tc.find(w("tcPr"))
    if props is None:
        props = etree.Element(w("tcPr"))
        tc.insert(0, props)
    return props


def _drop_vmerge(tc: etree._Element) -> None:
    """Remove a cell's vertical merge mark."""
    props = tc.find(w("tcPr"))
    if props is not None:
        for node in props.findall(w("vMerge")):
            props.remove(node)


def _set_vmerge(tc: etree._Element) -> None:
    """Mark a cell as continuing the merge above (after gridSpan and hMerge, as the schema orders)."""
    _insert_after(_props(tc), etree.Element(w("vMerge")), ("cnfStyle", "tcW", "gridSpan", "hMerge"))


def _insert_after(props: etree._Element, node: etree._Element, earlier: tuple[str, ...]) -> None:
    """Insert a tcPr child after the children the schema puts before it."""
    found = [props.find(w(tag)) for tag in earlier]
    at = max((list(props).index(child) + 1 for child in found if child is not None), default=0)
    props.insert(at, node)


# The values a line outside the table may print (“填报单位：浦江镇司法所” above it, “单位名称：…”
# in the page header): shorter ones are too likely part of other words
NAMED_VALUES = ("实施单位", "主管部门", "项目名称")
_SHORTEST_NAME = 3


def _tag_names(form: Form, root: etree._Element, outside: bool = False) -> bool:
    """The form's 实施单位, 主管部门 and 项目名称 where a line outside its cells prints them (a
    line above or below the table, a row of the table above the form or below its indicators, a
    text box, a page header or footer) become their tags, so that each form prints its project's
    own; `outside`: leave the paragraphs of the form's rows (labels and values) alone. Whether
    anything was tagged."""
    names = {
        key: value
        for key in NAMED_VALUES
        if (value := form.text(key)) and len(value) >= _SHORTEST_NAME
    }
    if not names:
        return False
    trailing = trailing_rows(form)
    own = (
        {id(form.table.row_elements[r]) for r in form.rows if r not in trailing}
        if outside
        else set()
    )
    paragraphs = [
        paragraph
        for paragraph in root.iter(w("p"))
        if not any(id(row) in own for row in paragraph.iterancestors(w("tr")))
    ]
    texts = [paragraph_string(paragraph) for paragraph in paragraphs]
    if not any(value in text for value in names.values() for text in texts):
        return False
    if not outside:  # a page part: its own braces print as written (the body's already do)
        _escape_braces(root)
    longest_first = sorted(names.items(), key=lambda item: -len(item[1]))
    for paragraph in paragraphs:
        text = paragraph_string(paragraph)
        spans: list[tuple[int, int, str]] = []
        for key, value in longest_first:
            for match in re.finditer(re.escape(value), text):
                if not any(a < match.end() and match.start() < b for a, b, _ in spans):
                    spans.append((match.start(), match.end(), f"{{{{ {key} }}}}"))
        replace_spans(paragraph, spans)
    return True


# ---------------------------------------------------------------- editing cells and paragraphs


def other_entry(label: str) -> str:
    """The Jinja expression of a project's 其他栏目 entry for a row label; "" when it has none."""
    return f"{OTHERS}[{string_literal(label)}] | default('')"


def year_tag(name: str, written: str) -> str:
    """The tag printing a year as the form wrote it: in its digits (2026, ２０２６, 二〇二六,
    贰零贰陆; 2O26 in Arabic digits), whole, or by its last two when the form wrote two (2026-28年),
    spaced out as the form spaced it (2 0 2 6)."""
    pieces = re.split(r"(\s+)", written)  # the digits, and the spaces between them
    digits = digits_of(written)
    if len(pieces) > 1:  # each digit by its place from the end, each space as written
        count = len(pieces) // 2 + 1
        return "".join(
            piece if i % 2 else _digit_tag(digits, f"{name}[{i // 2 - count}]")
            for i, piece in enumerate(pieces)
        )
    year = name if len(written) == 4 else f"{name}[-2:]"
    if digits == ASCII_DIGITS:
        return f"{{{{ {year} }}}}"
    return f"{{% for d in {year} %}}{_digit_tag(digits, 'd')}{{% endfor %}}"


def _digit_tag(digits: str, digit: str) -> str:
    """The tag printing one digit of a year (`digit`, a Jinja expression) in a form's `digits`."""
    return f"{{{{ {digit} }}}}" if digits == ASCII_DIGITS else f'{{{{ "{digits}"[{digit}|int] }}}}'


def period_spans(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """The two years of a span ("2025年-2026年") as the tags of the project's 项目期间; none for
    a span whose last year is not told (2026-25年), which stays as it is."""
    if period_years(match) is None:
        return []
    return [
        (match.start(1), match.end(1), year_tag("项目起始年", match[1])),
        (match.start(3), match.end(3), year_tag("项目结束年", match[3])),
    ]


def put_paragraphs(
    tc: etree._Element, texts: list[str], default: etree._Element | None = None
) -> None:
    """Replace a cell's content by one paragraph per text, formatted as its first paragraph and
    the first run with text (or the paragraph mark when the cell is blank, else `default`)."""
    paragraphs = cell_paragraphs(tc)
    paragraph_props = paragraphs[0].find(w("pPr")) if paragraphs else None
    run_props = _value_run_props(tc, paragraph_props)
    if run_props is None:
        run_props = default
    anchors = list(tc.iter(*ANCHORS))
    for child in list(tc):
        if child.tag != w("tcPr"):
            tc.remove(child)
    for i, text in enumerate(texts):
        paragraph = etree.SubElement(tc, w("p"))
        if paragraph_props is not None:
            paragraph.append(copy.deepcopy(paragraph_props))
        if i == 0:
            paragraph.extend(anchors)
        if text:
            paragraph.append(_run(text, run_props))


_ENDS_WITH_COLON = re.compile(r"[:：]\s*$")


def put_after_label(tc: etree._Element, tag: str, any_label: bool = False) -> None:
    """A cell writing a label, a colon and a value keeps the label and the colon and prints `tag`
    for the value, in the value's run (in a run of the colon's look after it when there is no
    value); the paragraphs the value goes on to are removed. `any_label`: the first colon ends
    the label (a row of the district's own), not the first after a label gen knows."""
    paragraphs = cell_paragraphs(tc)
    texts = [paragraph_string(paragraph) for paragraph in paragraphs]
    row, colon = _label_colon(texts, any_label)
    for k in range(row, len(texts)):
        start = colon + 1 if k == row else 0
        rest = texts[k][start:]
        if rest.strip():
            at = start + len(rest) - len(rest.lstrip())
            replace_spans(paragraphs[k], [(at, len(texts[k]), tag)])
            for paragraph in paragraphs[k + 1 :]:
                paragraph.getparent().remove(paragraph)
            return
    _run_after(paragraphs[row], colon, tag)


def _label_colon(texts: list[str], any_label: bool = False) -> tuple[int, int]:
    """(paragraph, offset) of the colon ending the label a cell's paragraphs start with (with
    `any_label`, of the first colon)."""
    before = ""
    for k, text in enumerate(texts):
        for at, char in enumerate(text):
            if unicodedata.normalize("NFKC", char) == ":" and (
                any_label or label_of(before + text[:at])
            ):
                return k, at
        before += text + "\n"
    raise ValueError(f"no label and colon in {texts!r}")


def _run_after(paragraph: etree._Element, at: int, text: str) -> None:
    """Put `text` in a run of its own after the run holding character `at` of the paragraph's
    paragraph_string(), formatted like that run."""
    index = 0
    for node in _own_texts(paragraph):
        index += len(node.text or "")
        if index > at:
            run = node.getparent()
            run.addnext(_run(text, run.find(w("rPr"))))
            return


def _run(text: str, props: etree._Element | None) -> etree._Element:
    """A w:r with properties and one w:t."""
    run = etree.Element(w("r"))
    if props is not None:
        run.append(copy.deepcopy(props))
    node = etree.SubElement(run, w("t"))
    node.text = text
    if text != text.strip():
        node.set(XML_SPACE, "preserve")
    return run


def _value_run_props(
    tc: etree._Element, paragraph_props: etree._Element | None
) -> etree._Element | None:
    """The run properties a value is typed in: its first run with text, else the paragraph mark's."""
    for run in tc.iter(w("r")):
        if any((t.text or "").strip() for t in run.iter(w("t"))):
            return run.find(w("rPr"))
    mark = paragraph_props.find(w("rPr")) if paragraph_props is not None else None
    if mark is None:
        first = next(tc.iter(w("r")), None)
        return first.find(w("rPr")) if first is not None else None
    props = copy.deepcopy(mark)
    for change in props.findall("*"):
        if change.tag in (w("ins"), w("del"), w("moveFrom"), w("moveTo"), w("rPrChange")):
            props.remove(change)
    return props


def _replace_content(tc: etree._Element, source: etree._Element) -> None:
    """Give a cell the paragraphs of another (a label written in a later row of its column)."""
    for child in list(tc):
        if child.tag != w("tcPr"):
            tc.remove(child)
    for child in source:
        if child.tag != w("tcPr"):
            tc.append(copy.deepcopy(child))


def _prefix_text(tc: etree._Element, tag: str) -> None:
    """Put a tag before the first text of a cell (a run of its own when the cell has no text)."""
    first = next(tc.iter(w("t")), None)
    if first is not None:
        put_text(first, tag + (first.text or ""))
        return
    paragraphs = cell_paragraphs(tc)
    if not paragraphs:
        paragraphs = [etree.SubElement(tc, w("p"))]
    paragraphs[0].append(_run(tag, None))


def paragraph_string(paragraph: etree._Element) -> str:
    """The text of a paragraph's own w:t elements, which replace_spans indexes."""
    return "".join(t.text or "" for t in _own_texts(paragraph))


def _own_texts(paragraph: etree._Element) -> list[etree._Element]:
    """The w:t of a paragraph, not those of a text box inside it."""
    return [t for t in paragraph.iter(w("t")) if next(t.iterancestors(w("p")), None) is paragraph]


def replace_spans(paragraph: etree._Element, spans: list[tuple[int, int, str]]) -> None:
    """Replace [start, end) ranges of paragraph_string() by new text, in the run where each starts."""
    if not spans:
        return
    starts = {start: (end, new) for start, end, new in spans}
    index, skip = 0, 0
    for node in _own_texts(paragraph):
        pieces = []
        for char in node.text or "":
            if index in starts:
                skip, new = starts[index]
                pieces.append(new)
            if index >= skip:
                pieces.append(char)
            index += 1
        if "".join(pieces) != (node.text or ""):
            put_text(node, "".join(pieces))


def _escape_braces(root: etree._Element) -> None:
    """Text that Jinja would read as a tag ("{{", "{%") prints as written: every brace a string."""
    for node in root.iter(*TEXT_ELEMENTS):
        if node.text and _JINJA_BRACES.search(node.text):
            node.text = _JINJA_BRACES.sub(lambda m: f"{{{{ '{m[0]}' }}}}", node.text)

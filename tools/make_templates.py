"""Writes the two Word templates in templates/ from the layouts below, byte for byte the same on every run.

Run `python tools/make_templates.py [OUT_DIR]` (default: templates/ next to this folder).

The templates are ordinary .docx files: after this script has written them, fonts, widths and
wording are changed in Word. Placeholders follow docxtpl's conventions plus one tag of our own
(see gen/render.py):

- `{{ 项目名称 }}` prints a value from the render context;
- `{%p for para in 项目总目标 %}` … `{%p endfor %}`, each in its own paragraph, repeat the
  paragraph between them once per list element;
- `{%tr for row in 指标行 %}` … `{%tr endfor %}`, each in its own table row, repeat the row
  between them once per indicator;
- `{% groupmerge row.一级起 %}` at the start of a cell in that row merges the cell vertically
  with the one above unless the expression is true (a new group starts there).

The package is written from scratch with lxml rather than from python-docx's default document:
that one is a Word 2010 scaffold with a ja-JP theme language, a thumbnail and 780 KB of styles
that a user would have to fight. python-docx opens the result at the end as a sanity check.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import docx
from lxml import etree

from gen.ooxml import R_NS, W_NS, package, w

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# A4 portrait in twentieths of a point; 1.5 cm left/right margins leave a 10206 twip text width,
# which each table's column widths add up to exactly (see the column widths below for why).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGIN_TOP, MARGIN_SIDE = 1440, 850
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
CELL_MARGIN = 60  # left/right padding inside cells
ROW_HEIGHT = 454  # the least height of a row: 0.8 cm

BODY_EAST_ASIA = "宋体"
BODY_LATIN = "Times New Roman"
TITLE_FONT = "黑体"
BODY_SIZE = 21  # half-points: 10.5 pt (五号)
TITLE_SIZE = 36  # 18 pt (小二)
YEAR_SIZE = 24  # 12 pt (小四)

# The ballot boxes ☐ U+2610 and ☑ U+2611 are missing from the GB2312 fonts (宋体, 仿宋, 黑体), so
# each application would fall back to a different font and size. Segoe UI Symbol carries the
# whole Miscellaneous Symbols block (U+2610–U+2612) and ships with every Windows since 7, where
# Word and WPS fill these forms; MS Gothic, Word's own check-box font, is a Japanese font aimed at
# U+2612 ☒, and Wingdings 2 draws its boxes at private code points that are not ☐/☑ text at all.
# LibreOffice on Linux, lacking the font, falls back to DejaVu Sans, which also has both glyphs.
# The font goes on all four rFonts slots: which slot Word consults for U+2610 depends on w:hint.
BOX_FONT = "Segoe UI Symbol"


BODY_FONTS = {
    "ascii": BODY_LATIN,
    "hAnsi": BODY_LATIN,
    "eastAsia": BODY_EAST_ASIA,
    "cs": BODY_LATIN,
}
TITLE_FONTS = {slot: TITLE_FONT for slot in ("ascii", "hAnsi", "eastAsia", "cs")}
BOX_FONTS = {slot: BOX_FONT for slot in ("ascii", "hAnsi", "eastAsia", "cs")}

# Style ids stay ASCII (what Word writes); users see the Chinese names.
STYLE_TITLE, STYLE_YEAR = "FormTitle", "FormYear"
STYLE_LABEL, STYLE_VALUE, STYLE_TEXT, STYLE_END = "CellLabel", "CellValue", "CellText", "FormEnd"
STYLE_BOX = "CheckBox"


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A w: element with w: attributes and children."""
    node = etree.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()}, nsmap={"w": W_NS})
    node.extend(children)
    return node


def fonts(slots: dict[str, str]) -> etree._Element:
    """An rFonts element naming every slot explicitly (never a theme font)."""
    return el("rFonts", slots)


# --- the layouts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text in one font: body text, or a check box glyph."""

    text: str
    box: bool = False


@dataclass(frozen=True)
class Cell:
    """One table cell: its paragraphs (each a list of runs), span and vertical merge."""

    paragraphs: tuple[tuple[Run, ...], ...]
    style: str = STYLE_VALUE
    span: int = 1
    vmerge: str | None = None  # "restart" | "continue"


@dataclass(frozen=True)
class Row:
    """One table row, the least height it takes, and whether it stays on the page of the next."""

    cells: tuple[Cell, ...]
    height: int = ROW_HEIGHT
    keep_with_next: bool = False  # Word's "与下段同页" on every paragraph of the row


@dataclass
class Form:
    """A whole form: title, column widths and rows."""

    file_name: str
    title: str
    widths: tuple[int, ...]
    rows: list[Row] = field(default_factory=list)


def label(text: str, span: int = 1, vmerge: str | None = None) -> Cell:
    """A printed label (centred)."""
    return Cell(((Run(text),),), STYLE_LABEL, span, vmerge)


def value(expression: str, span: int = 1, vmerge: str | None = None) -> Cell:
    """A cell printing one context value."""
    return Cell(((Run(f"{{{{ {expression} }}}}"),),), STYLE_VALUE, span, vmerge)


def below(span: int = 1) -> Cell:
    """The continuation of a cell merged from the row above."""
    return Cell(((),), STYLE_VALUE, span, "continue")


def goal_paragraphs(name: str, span: int) -> Cell:
    """One paragraph per element of the list `name` (docxtpl paragraph tags)."""
    paragraphs = (
        (Run(f"{{%p for para in {name} %}}"),),
        (Run("{{ para }}"),),
        (Run("{%p endfor %}"),),
    )
    return Cell(paragraphs, STYLE_TEXT, span)


def category_boxes() -> Cell:
    """ "专项资金☐ 经常性项目☑ 一次性项目☐": each choice followed by its box."""
    runs: list[Run] = []
    for i, choice in enumerate(("专项资金", "经常性项目", "一次性项目")):
        runs.append(Run(choice if i == 0 else f" {choice}"))
        runs.append(Run(f"{{{{ 类别框.{choice} }}}}", box=True))
    return Cell((tuple(runs),), STYLE_VALUE, span=2)


def tag_row(tag: str, columns: int) -> Row:
    """A row holding only a docxtpl row tag; column A continues the 绩效指标 merge."""
    return Row((below(), Cell(((Run(tag),),), STYLE_VALUE, columns - 1)), 0, keep_with_next=True)


def indicator_rows(columns: int) -> list[Row]:
    """The header row 10 and the looped indicator row with its two tag rows.

    Every paragraph of these rows keeps with the next, so the indicator table moves to the
    next page as a whole, header row included, rather than leaving a row or two behind it;
    an indicator table longer than a page still breaks between rows (Word's rule). A repeated
    header row (w:tblHeader) is no help here: Word and LibreOffice repeat only rows that
    start the table, and row 10 does not.
    """
    value_span = columns - 4
    header = Row(
        (
            label("绩效指标", vmerge="restart"),
            label("一级指标"),
            label("二级指标"),
            label("三级指标"),
            label("年度指标值", span=value_span),
        ),
        keep_with_next=True,
    )
    looped = Row(
        (
            below(),
            Cell(((Run("{% groupmerge row.一级起 %}{{ row.一级 }}"),),)),
            Cell(((Run("{% groupmerge row.二级起 %}{{ row.二级 }}"),),)),
            value("row.三级"),
            value("row.值", span=value_span),
        ),
        keep_with_next=True,
    )
    return [
        header,
        tag_row("{%tr for row in 指标行 %}", columns),
        looped,
        tag_row("{%tr endfor %}", columns),
    ]


def unit_and_date_rows(right: int) -> list[Row]:
    """Rows 2–3: 主管部门, 实施单位 and the plan dates; `right` is the span of the last value."""
    return [
        Row(
            (label("主管部门"), value("主管部门"), label("实施单位"), value("实施单位", span=right))
        ),
        Row(
            (
                label("计划开始日期"),
                value("计划开始日期"),
                label("计划完成日期"),
                value("计划完成日期", span=right),
            )
        ),
    ]


def fund_rows(right: int) -> list[Row]:
    """Rows 4–7: the 项目资金 block; `right` is the span of the last column group."""
    return [
        Row(
            (
                label("项目资金 ({{ 金额单位 }})", vmerge="restart"),
                label("项目资金总额"),
                value("项目资金总额"),
                label("年度资金申请总额"),
                value("年度资金申请总额", span=right),
            )
        ),
        Row(
            (
                below(),
                label("其中：财政资金", vmerge="restart"),
                value("财政资金", vmerge="restart"),
                label("其中：当年财政拨款"),
                value("当年财政拨款", span=right),
            )
        ),
        Row((below(), below(), below(), label("上年结转资金"), value("上年结转资金", span=right))),
        Row(
            (
                below(),
                label("其他资金"),
                value("其他资金"),
                label("其他资金"),
                value("年度其他资金", span=right),
            )
        ),
    ]


def goal_rows(total_label: str, right: int) -> list[Row]:
    """Rows 8–9: the two goals, label row then paragraph row."""
    return [
        Row(
            (
                label("项目绩效目标", vmerge="restart"),
                label(total_label, span=2),
                label("年度总体目标", span=right),
            )
        ),
        Row(
            (below(), goal_paragraphs("项目总目标", 2), goal_paragraphs("年度总体目标", right)),
            1400,
        ),
    ]


# Column widths (twips) come from the real content at 10.5 pt, where a Chinese character is 210
# twips wide, and from measuring the printed samples (tools/measure_print.py): a width that holds
# N characters turns a text of N + 1 into a line and a stray character ("服务对象满意度/指标").
# - A 7: the labels, "项目资金 (万元)" included;
# - B 7: "其中：财政资金" and the 一级 names; 项目名称 and 主管部门 wrap here;
# - C 9: every standard 二级 name, "服务对象满意度指标" and "可持续影响指标" included;
# - D 15 (绩效目标表): nearly every 三级 name on one line, and the rare longer one wraps into a
#   real second line; a D of 12, 13 or 14 would strand the last character of the 13-, 14- and
#   15-character names the samples hold;
# - the value column: 7, "2026年1月10日" with the space Word puts between Chinese and digits.
# The 申报表 gives D what its 项目类别 pair (E 4, F 5) leaves.
CHAR = 210


def fits(characters: int) -> int:
    """The width of a column that holds `characters` Chinese characters on one line."""
    return characters * CHAR + 2 * CELL_MARGIN + 10


def target_form() -> Form:
    """财政项目支出绩效目标表: 5 columns A–E (LAYOUT.md)."""
    columns = (fits(7), fits(7), fits(9), fits(15))
    form = Form("绩效目标表.docx", "财政项目支出绩效目标表", (*columns, TEXT_WIDTH - sum(columns)))
    form.rows = [
        Row((label("项目名称"), value("项目名称"), label("项目类别"), category_boxes())),
        *unit_and_date_rows(right=2),
        *fund_rows(right=1),
        *goal_rows("项目总目标 ({{ 项目期间 }})", right=2),
        *indicator_rows(columns=5),
    ]
    return form


def application_form() -> Form:
    """财政项目支出绩效目标申报表: 6 columns A–F (LAYOUT.md)."""
    left, right = (fits(7), fits(7), fits(9)), (fits(4), fits(5))
    widths = (*left, TEXT_WIDTH - sum(left) - sum(right), *right)
    form = Form("绩效目标申报表.docx", "财政项目支出绩效目标申报表", widths)
    form.rows = [
        Row(
            (
                label("项目名称"),
                value("项目名称"),
                label("项目性质"),
                value("项目性质"),
                label("项目类别"),
                value("项目类别"),
            )
        ),
        *unit_and_date_rows(right=3),
        *fund_rows(right=2),
        *goal_rows("项目总目标", right=3),
        *indicator_rows(columns=6),
    ]
    return form


# --- document.xml -----------------------------------------------------------------------


def run_element(run: Run, run_fonts: dict[str, str] = BODY_FONTS) -> etree._Element:
    """A w:r whose rPr names its fonts (w:eastAsia included), as WPS needs."""
    if run.box:
        props = el("rPr", None, el("rStyle", {"val": STYLE_BOX}), fonts(BOX_FONTS))
    else:
        props = el("rPr", None, fonts(run_fonts))
    text = el("t")
    text.text = run.text
    if run.text != run.text.strip() or "{" in run.text:
        text.set(XML_SPACE, "preserve")
    return el("r", None, props, text)


def paragraph(
    style: str,
    runs: tuple[Run, ...],
    run_fonts: dict[str, str] = BODY_FONTS,
    keep_with_next: bool = False,
) -> etree._Element:
    """A w:p in a named style; the paragraph mark carries the fonts too."""
    props = el("pPr", None, el("pStyle", {"val": style}))
    if keep_with_next:
        props.append(el("keepNext"))
    props.append(el("rPr", None, fonts(run_fonts)))
    node = el("p", None, props)
    node.extend(run_element(run, run_fonts) for run in runs)
    return node


def cell_element(cell: Cell, width: int, keep_with_next: bool = False) -> etree._Element:
    """A w:tc with width, span, merge and vertical centring (schema order of tcPr)."""
    props = el("tcPr", None, el("tcW", {"w": str(width), "type": "dxa"}))
    if cell.span > 1:
        props.append(el("gridSpan", {"val": str(cell.span)}))
    if cell.vmerge == "restart":
        props.append(el("vMerge", {"val": "restart"}))
    elif cell.vmerge == "continue":
        props.append(el("vMerge", {"val": "continue"}))
    props.append(el("vAlign", {"val": "center"}))
    node = el("tc", None, props)
    node.extend(
        paragraph(cell.style, runs, keep_with_next=keep_with_next) for runs in cell.paragraphs
    )
    return node


def row_element(row: Row, widths: tuple[int, ...]) -> etree._Element:
    """A w:tr that never splits across pages."""
    props = el("trPr", None, el("cantSplit"))
    if row.height:
        props.append(el("trHeight", {"val": str(row.height)}))
    node = el("tr", None, props)
    column = 0
    for cell in row.cells:
        width = sum(widths[column : column + cell.span])
        node.append(cell_element(cell, width, row.keep_with_next))
        column += cell.span
    if column != len(widths):
        raise ValueError(f"row spans {column} columns, the grid has {len(widths)}")
    return node


def table_element(form: Form) -> etree._Element:
    """The one bordered, fixed-layout table filling the text width."""
    if sum(form.widths) != TEXT_WIDTH:
        raise ValueError(
            f"{form.file_name}: columns add up to {sum(form.widths)}, not {TEXT_WIDTH}"
        )
    border = {"val": "single", "sz": "4", "space": "0", "color": "000000"}
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    props = el(
        "tblPr",
        None,
        el("tblW", {"w": str(TEXT_WIDTH), "type": "dxa"}),
        el("jc", {"val": "center"}),
        el("tblBorders", None, *(el(edge, border) for edge in edges)),
        el("tblLayout", {"type": "fixed"}),
        el(
            "tblCellMar",
            None,
            el("left", {"w": str(CELL_MARGIN), "type": "dxa"}),
            el("right", {"w": str(CELL_MARGIN), "type": "dxa"}),
        ),
        el(
            "tblLook",
            {
                "val": "0000",
                "firstRow": "0",
                "lastRow": "0",
                "firstColumn": "0",
                "lastColumn": "0",
                "noHBand": "1",
                "noVBand": "1",
            },
        ),
    )
    grid = el("tblGrid", None, *(el("gridCol", {"w": str(width)}) for width in form.widths))
    table = el("tbl", None, props, grid)
    table.extend(row_element(row, form.widths) for row in form.rows)
    return table


def section_properties() -> etree._Element:
    """A4 portrait with the margins the column widths assume."""
    margins = {
        "top": str(MARGIN_TOP),
        "right": str(MARGIN_SIDE),
        "bottom": str(MARGIN_TOP),
        "left": str(MARGIN_SIDE),
        "header": "851",
        "footer": "992",
        "gutter": "0",
    }
    return el(
        "sectPr",
        None,
        el("pgSz", {"w": str(PAGE_WIDTH), "h": str(PAGE_HEIGHT)}),
        el("pgMar", margins),
        el("cols", {"space": "425"}),
        el("docGrid", {"linePitch": "312"}),
    )


def document_xml(form: Form) -> etree._Element:
    """word/document.xml: title, year line, the table, and the paragraph Word needs after it."""
    body = el(
        "body",
        None,
        paragraph(STYLE_TITLE, (Run(form.title),), TITLE_FONTS),
        paragraph(STYLE_YEAR, (Run("({{ 年度 }}年度)"),)),
        table_element(form),
        paragraph(STYLE_END, ()),
        section_properties(),
    )
    root = etree.Element(w("document"), nsmap={"w": W_NS, "r": R_NS})
    root.append(body)
    return root


# --- styles and the other parts ---------------------------------------------------------


def run_props(slots: dict[str, str], size: int | None = None, bold: bool = False) -> etree._Element:
    """An rPr for a style: fonts, bold, size, Chinese language."""
    props = el("rPr", None, fonts(slots))
    if bold:
        props.extend((el("b"), el("bCs")))
    if size:
        props.extend((el("sz", {"val": str(size)}), el("szCs", {"val": str(size)})))
    props.append(el("lang", {"val": "en-US", "eastAsia": "zh-CN", "bidi": "ar-SA"}))
    return props


def para_props(
    align: str, before: int = 0, after: int = 0, keep_next: bool = False
) -> etree._Element:
    """A pPr for a style: alignment and spacing (single line, no grid snapping)."""
    props = el("pPr", None)
    if keep_next:
        props.append(el("keepNext"))
    props.append(el("snapToGrid", {"val": "0"}))
    props.append(
        el(
            "spacing",
            {"before": str(before), "after": str(after), "line": "240", "lineRule": "auto"},
        )
    )
    props.append(el("jc", {"val": align}))
    return props


def paragraph_style(
    style_id: str,
    name: str,
    pprops: etree._Element,
    rprops: etree._Element,
    based_on: str | None = "Normal",
) -> etree._Element:
    """A paragraph style definition."""
    style = el("style", {"type": "paragraph", "styleId": style_id}, el("name", {"val": name}))
    if based_on:
        style.append(el("basedOn", {"val": based_on}))
    style.extend((el("qFormat"), pprops, rprops))
    return style


def styles_xml() -> etree._Element:
    """word/styles.xml: the fonts live here, one place per kind of text."""
    defaults = el(
        "docDefaults",
        None,
        el("rPrDefault", None, run_props(BODY_FONTS, BODY_SIZE)),
        el(
            "pPrDefault",
            None,
            el("pPr", None, el("spacing", {"after": "0", "line": "240", "lineRule": "auto"})),
        ),
    )
    normal = el(
        "style",
        {"type": "paragraph", "default": "1", "styleId": "Normal"},
        el("name", {"val": "Normal"}),
        el("qFormat"),
        el("pPr", None, el("widowControl", {"val": "0"}), el("jc", {"val": "both"})),
        run_props(BODY_FONTS, BODY_SIZE),
    )
    default_run = el(
        "style",
        {"type": "character", "default": "1", "styleId": "DefaultParagraphFont"},
        el("name", {"val": "Default Paragraph Font"}),
        el("uiPriority", {"val": "1"}),
        el("semiHidden"),
        el("unhideWhenUsed"),
    )
    normal_table = el(
        "style",
        {"type": "table", "default": "1", "styleId": "TableNormal"},
        el("name", {"val": "Normal Table"}),
        el("uiPriority", {"val": "99"}),
        el("semiHidden"),
        el("unhideWhenUsed"),
        el(
            "tblPr",
            None,
            el("tblInd", {"w": "0", "type": "dxa"}),
            el(
                "tblCellMar",
                None,
                el("top", {"w": "0", "type": "dxa"}),
                el("left", {"w": "108", "type": "dxa"}),
                el("bottom", {"w": "0", "type": "dxa"}),
                el("right", {"w": "108", "type": "dxa"}),
            ),
        ),
    )
    box = el(
        "style",
        {"type": "character", "customStyle": "1", "styleId": STYLE_BOX},
        el("name", {"val": "勾选框"}),
        el("basedOn", {"val": "DefaultParagraphFont"}),
        el("qFormat"),
        el("rPr", None, fonts(BOX_FONTS)),
    )
    root = etree.Element(w("styles"), nsmap={"w": W_NS})
    root.extend(
        (
            defaults,
            normal,
            default_run,
            normal_table,
            paragraph_style(
                STYLE_TITLE,
                "表名",
                para_props("center", keep_next=True),
                run_props(TITLE_FONTS, TITLE_SIZE, bold=True),
            ),
            paragraph_style(
                STYLE_YEAR,
                "年度行",
                para_props("center", 120, 240, keep_next=True),
                run_props(BODY_FONTS, YEAR_SIZE),
            ),
            paragraph_style(
                STYLE_LABEL, "表格标签", para_props("center"), run_props(BODY_FONTS, BODY_SIZE)
            ),
            paragraph_style(
                STYLE_VALUE, "表格内容", para_props("center"), run_props(BODY_FONTS, BODY_SIZE)
            ),
            paragraph_style(
                STYLE_TEXT, "表格段落", para_props("both"), run_props(BODY_FONTS, BODY_SIZE)
            ),
            paragraph_style(STYLE_END, "表后", para_props("left"), run_props(BODY_FONTS, 2)),
            box,
        )
    )
    return root


def settings_xml() -> etree._Element:
    """word/settings.xml: Word 2013+ layout, Chinese punctuation compression."""
    root = etree.Element(w("settings"), nsmap={"w": W_NS})
    root.extend(
        (
            el("zoom", {"percent": "100"}),
            el("defaultTabStop", {"val": "420"}),
            el("characterSpacingControl", {"val": "compressPunctuation"}),
            el(
                "compat",
                None,
                el(
                    "compatSetting",
                    {
                        "name": "compatibilityMode",
                        "uri": "http://schemas.microsoft.com/office/word",
                        "val": "15",
                    },
                ),
            ),
            el("themeFontLang", {"val": "en-US", "eastAsia": "zh-CN"}),
            el("decimalSymbol", {"val": "."}),
            el("listSeparator", {"val": ","}),
        )
    )
    return root


FONT_TABLE = (
    # name, altName, panose, charset, family, pitch
    ("宋体", "SimSun", "02010600030101010101", "86", "auto", "variable"),
    ("黑体", "SimHei", "02010609060101010101", "86", "modern", "fixed"),
    ("Times New Roman", None, "02020603050405020304", "00", "roman", "variable"),
    ("Segoe UI Symbol", None, "020B0502040204020203", "00", "swiss", "variable"),
)


def font_table_xml() -> etree._Element:
    """word/fontTable.xml: the fonts used, with the English names Word substitutes by."""
    root = etree.Element(w("fonts"), nsmap={"w": W_NS})
    for name, alt, panose, charset, family, pitch in FONT_TABLE:
        font = el("font", {"name": name})
        if alt:
            font.append(el("altName", {"val": alt}))
        font.extend(
            (
                el("panose1", {"val": panose}),
                el("charset", {"val": charset}),
                el("family", {"val": family}),
                el("pitch", {"val": pitch}),
            )
        )
        root.append(font)
    return root


A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
THEME_COLOURS = (
    # slot, colour: Office's own, so a user who picks a theme colour in Word gets the usual one
    ("dk1", "000000"),
    ("lt1", "FFFFFF"),
    ("dk2", "44546A"),
    ("lt2", "E7E6E6"),
    ("accent1", "4472C4"),
    ("accent2", "ED7D31"),
    ("accent3", "A5A5A5"),
    ("accent4", "FFC000"),
    ("accent5", "5B9BD5"),
    ("accent6", "70AD47"),
    ("hlink", "0563C1"),
    ("folHlink", "954F72"),
)


def a(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A DrawingML (a:) element with plain attributes and children."""
    node = etree.Element(f"{{{A_NS}}}{tag}", attrs or {}, nsmap={"a": A_NS})
    node.extend(children)
    return node


def theme_font(kind: str, latin: str, chinese: str) -> etree._Element:
    """a:majorFont or a:minorFont: the Latin font, and the Chinese one for simplified script."""
    return a(
        kind,
        None,
        a("latin", {"typeface": latin}),
        a("ea", {"typeface": ""}),
        a("cs", {"typeface": ""}),
        a("font", {"script": "Hans", "typeface": chinese}),
    )


def theme_xml() -> etree._Element:
    """word/theme/theme1.xml: a plain theme naming the form's fonts (validators expect one)."""
    colours = a("clrScheme", {"name": "gen"})
    colours.extend(a(slot, None, a("srgbClr", {"val": rgb})) for slot, rgb in THEME_COLOURS)
    font_scheme = a(
        "fontScheme",
        {"name": "gen"},
        theme_font("majorFont", BODY_LATIN, TITLE_FONT),
        theme_font("minorFont", BODY_LATIN, BODY_EAST_ASIA),
    )

    def fill() -> etree._Element:
        return a("solidFill", None, a("schemeClr", {"val": "phClr"}))

    lines = (
        a("ln", {"w": str(width), "cap": "flat", "cmpd": "sng", "algn": "ctr"}, fill())
        for width in (6350, 12700, 19050)
    )
    formats = a(
        "fmtScheme",
        {"name": "gen"},
        a("fillStyleLst", None, fill(), fill(), fill()),
        a("lnStyleLst", None, *lines),
        a("effectStyleLst", None, *(a("effectStyle", None, a("effectLst")) for _ in range(3))),
        a("bgFillStyleLst", None, fill(), fill(), fill()),
    )
    return a(
        "theme",
        {"name": "gen"},
        a("themeElements", None, colours, font_scheme, formats),
        a("objectDefaults"),
        a("extraClrSchemeLst"),
    )


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/"
WORDPROCESSINGML = "application/vnd.openxmlformats-officedocument.wordprocessingml."

CONTENT_TYPE_OVERRIDES = (
    # part, content type
    ("/word/document.xml", WORDPROCESSINGML + "document.main+xml"),
    ("/word/styles.xml", WORDPROCESSINGML + "styles+xml"),
    ("/word/settings.xml", WORDPROCESSINGML + "settings+xml"),
    ("/word/fontTable.xml", WORDPROCESSINGML + "fontTable+xml"),
    ("/word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
    ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
    ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
)

CONTENT_TYPES = (
    XML_DECLARATION
    + f'<Types xmlns="{PACKAGE}content-types">'
    + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    + '<Default Extension="xml" ContentType="application/xml"/>'
    + "".join(
        f'<Override PartName="{part}" ContentType="{content_type}"/>'
        for part, content_type in CONTENT_TYPE_OVERRIDES
    )
    + "</Types>"
)


def relationships(*targets: tuple[str, str]) -> str:
    """A .rels part: rId1, rId2, … for the (relationship type, target) pairs, in order."""
    return (
        XML_DECLARATION
        + f'<Relationships xmlns="{PACKAGE}relationships">'
        + "".join(
            f'<Relationship Id="rId{number}" Type="{type_}" Target="{target}"/>'
            for number, (type_, target) in enumerate(targets, 1)
        )
        + "</Relationships>"
    )


PACKAGE_RELS = relationships(
    (OFFICE_DOCUMENT + "relationships/officeDocument", "word/document.xml"),
    (PACKAGE + "relationships/metadata/core-properties", "docProps/core.xml"),
    (OFFICE_DOCUMENT + "relationships/extended-properties", "docProps/app.xml"),
)

DOCUMENT_RELS = relationships(
    (OFFICE_DOCUMENT + "relationships/styles", "styles.xml"),
    (OFFICE_DOCUMENT + "relationships/settings", "settings.xml"),
    (OFFICE_DOCUMENT + "relationships/fontTable", "fontTable.xml"),
    (OFFICE_DOCUMENT + "relationships/theme", "theme/theme1.xml"),
)

APP_XML = (
    XML_DECLARATION + f'<Properties xmlns="{OFFICE_DOCUMENT}extended-properties" '
    f'xmlns:vt="{OFFICE_DOCUMENT}docPropsVTypes">'
    "<Application>gen</Application><DocSecurity>0</DocSecurity></Properties>"
)


def core_xml(title: str) -> str:
    """docProps/core.xml without any timestamp."""
    return (
        XML_DECLARATION + f'<cp:coreProperties xmlns:cp="{PACKAGE}metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}模板</dc:title><dc:creator>gen</dc:creator></cp:coreProperties>"
    )


def xml_bytes(root: etree._Element) -> bytes:
    """An lxml tree as a standalone UTF-8 part."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def package_parts(form: Form) -> list[tuple[str, bytes]]:
    """Every part of the .docx, in the order they are zipped ([Content_Types].xml first)."""
    return [
        ("[Content_Types].xml", CONTENT_TYPES.encode()),
        ("_rels/.rels", PACKAGE_RELS.encode()),
        ("docProps/core.xml", core_xml(form.title).encode()),
        ("docProps/app.xml", APP_XML.encode()),
        ("word/document.xml", xml_bytes(document_xml(form))),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.encode()),
        ("word/styles.xml", xml_bytes(styles_xml())),
        ("word/settings.xml", xml_bytes(settings_xml())),
        ("word/fontTable.xml", xml_bytes(font_table_xml())),
        ("word/theme/theme1.xml", xml_bytes(theme_xml())),
    ]


def write_templates(out_dir: Path) -> list[Path]:
    """Write both templates into `out_dir` and check python-docx can open them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for form in (target_form(), application_form()):
        path = out_dir / form.file_name
        path.write_bytes(package(package_parts(form)))
        docx.Document(str(path))
        written.append(path)
    return written


def main(argv: list[str]) -> None:
    """Command line: optional output folder."""
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent / "templates"
    for path in write_templates(out_dir):
        print(path)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Hand-made Word forms for the import tests: tables built as people build them in Word and WPS."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from gen.load import Loader
from gen.model import paragraphs
from gen.schema import validate

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"

# ---------------------------------------------------------------- building hand-made forms


def run(text: str) -> str:
    """A run; "\n" inside becomes a line break."""
    parts = [f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in text.split("\n")]
    return "<w:r>" + "<w:br/>".join(parts) + "</w:r>"


def sym(char: str, font: str = "Wingdings 2") -> str:
    """A Word symbol character (Insert → Symbol)."""
    return f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>'


def checkbox(checked: bool) -> str:
    """A checkbox content control (Developer → Check Box), showing ☒ / ☐ in MS Gothic."""
    glyph = "☒" if checked else "☐"
    return (
        f'<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        f"<w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def tc(content: str = "", span: int = 1, vmerge: str | None = None, raw: bool = False) -> str:
    """A cell: text (paragraphs split on "\n\n") or raw paragraph content; span and vMerge."""
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if vmerge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    body = (
        f"<w:p>{content}</w:p>"
        if raw
        else "".join(f"<w:p>{run(p)}</w:p>" for p in content.split("\n\n"))
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def tr(*cells: str) -> str:
    return "<w:tr>" + "".join(cells) + "</w:tr>"


def tbl(columns: int, *rows: str) -> str:
    grid = "".join('<w:gridCol w:w="1400"/>' for _ in range(columns))
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>" + "".join(rows) + "</w:tbl>"


def para(text: str) -> str:
    return f"<w:p>{run(text)}</w:p>"


def document_xml(*blocks: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}" xmlns:w14="{W14_NS}"><w:body>'
        + "".join(blocks)
        + "</w:body></w:document>"
    )


def text_box(text: str) -> str:
    """A run holding a floating text box as Word and WPS save it: a DrawingML shape (mc:Choice),
    and the same box again in VML for older programs (mc:Fallback)."""
    body = f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"
    shape = (
        f'<wps:wsp xmlns:wps="{WPS_NS}"><wps:cNvSpPr txBox="1"/><wps:spPr/>'
        f"<wps:txbx>{body}</wps:txbx><wps:bodyPr/></wps:wsp>"
    )
    drawing = (
        f'<w:drawing><wp:anchor xmlns:wp="{WP_NS}" behindDoc="0" distT="0" distB="0" distL="0" '
        'distR="0" simplePos="0" relativeHeight="1" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>4500000'
        '</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
        '</wp:posOffset></wp:positionV><wp:extent cx="1200000" cy="300000"/><wp:wrapNone/>'
        '<wp:docPr id="10" name="文本框 10"/>'
        f'<a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{WPS_NS}">{shape}</a:graphicData>'
        "</a:graphic></wp:anchor></w:drawing>"
    )
    vml = (
        f'<w:pict><v:shape xmlns:v="{V_NS}" id="文本框10" style="position:absolute;width:94pt;'
        f'height:24pt" filled="f" stroked="f"><v:textbox>{body}</v:textbox></v:shape></w:pict>'
    )
    return (
        f'<w:r><mc:AlternateContent xmlns:mc="{MC_NS}"><mc:Choice Requires="wps">{drawing}'
        f"</mc:Choice><mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def text_box_element(text: str) -> Any:
    """text_box(text) as an element, to append to a paragraph of a python-docx document."""
    return parse_xml(text_box(text).replace("<w:r>", f'<w:r xmlns:w="{W_NS}">', 1))


def edited_docx(path: Path, edit: Any) -> Path:
    """A .docx opened with python-docx, changed by `edit(document)` and saved again."""
    document = docx.Document(str(path))
    edit(document)
    document.save(str(path))
    return path


def make_docx(path: Path, xml: str) -> Path:
    """A real .docx (python-docx's default package) whose document.xml is `xml`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = xml.encode() if item.filename == "word/document.xml" else src.read(item)
            dst.writestr(item, data)
    return path


BELOW = tc(vmerge="continue")  # a cell continuing the vertical merge above it


def money_rows(
    total: str,
    fiscal: str,
    annual_total: str,
    annual_fiscal: str,
    carryover: str = "",
    *,
    label: str = "项目资金 (万元)",
    allocation_label: str = "其中：当年财政拨款",
    gap: bool = False,
    span: int = 1,
) -> list[str]:
    """The four 项目资金 rows: 项目资金 on the left, 年度资金 on the right (values spanning `span`
    columns); `gap` puts the blank column people's own 6-column forms have between the sides."""
    blank = (tc(""),) if gap else ()

    def annual(name: str, value: str) -> tuple[str, ...]:
        return (*blank, tc(name), tc(value, span=span))

    return [
        tr(
            tc(label, vmerge="restart"),
            tc("项目资金总额"),
            tc(total),
            *annual("年度资金申请总额", annual_total),
        ),
        tr(
            BELOW,
            tc("其中：财政资金", vmerge="restart"),
            tc(fiscal, vmerge="restart"),
            *annual(allocation_label, annual_fiscal),
        ),
        tr(BELOW, BELOW, BELOW, *annual("上年结转资金", carryover)),
        tr(BELOW, tc("其他资金"), tc(""), *annual("其他资金", "")),
    ]


def goal_rows(total_label: str, total: str, annual: str, spans: tuple[int, int]) -> list[str]:
    """The 项目绩效目标 rows: the two headings, then the two goals, spanning `spans` columns."""
    return [
        tr(
            tc("项目绩效目标", vmerge="restart"),
            tc(total_label, span=spans[0]),
            tc("年度总体目标", span=spans[1]),
        ),
        tr(BELOW, tc(total, span=spans[0]), tc(annual, span=spans[1])),
    ]


def indicator_header(value_span: int = 1) -> str:
    """The row of the 绩效指标 label and the column headings (一级, 二级, 三级, 指标值)."""
    return tr(
        tc("绩效指标", vmerge="restart"),
        tc("一级指标"),
        tc("二级指标"),
        tc("三级指标"),
        tc("年度指标值", span=value_span),
    )


def leaf(level1: str, level2: str, name: str, value: str, span: int = 1) -> str:
    """An indicator row below the 绩效指标 label: the 一级 cell as given, then 二级, 三级, value."""
    return tr(BELOW, level1, tc(level2), tc(name), tc(value, span=span))


def indicator_rows() -> list[str]:
    """Indicator rows of a 6-column form: the 绩效指标 label starts in the first data row."""
    restart = {"vmerge": "restart"}
    rows = [
        (tc("绩效\n指标", **restart), tc("产出指标", **restart), tc("数量指标", **restart)),
        (BELOW, BELOW, BELOW),
        (BELOW, tc(""), tc("时效指标")),  # unmerged: blank 一级, repeated 二级
        (BELOW, tc(""), tc("时效指标")),
        (BELOW, tc("效益指标", **restart), tc("社会效益指标", **restart)),
        (BELOW, BELOW, tc("可持续影响指标")),
        (BELOW, tc("满意度指标"), tc("服务对象\n满意度 指标")),
    ]
    leaves = [
        ("社工数量", "118人"),
        ("服务次数", "≥1300次"),
        ("资金支付及时性", "每月"),
        ("发放时间", "2026-12-31"),
        ("保障水平", "提升"),
        ("长效机制", "是"),
        ("社工满意度", "=100.00(百分比)"),
    ]
    return [
        tr(*groups, tc(name), tc(""), tc(value))
        for groups, (name, value) in zip(rows, leaves, strict=True)
    ]


def six_column_form(category_cell: str) -> str:
    """A 绩效目标表 in a 6-column grid, as people's own files have it (not our template)."""
    return tbl(
        6,
        tr(tc("项目名称"), tc("社工", span=2), tc("项目类别"), tc(category_cell, span=2, raw=True)),
        tr(
            tc("主管 部门"),
            tc("浦江镇人民政府", span=2),
            tc("实施单位"),
            tc("浦江镇社区\n党群服务中心", span=2),
        ),
        tr(
            tc("计划开始\n日期"),
            tc("2026. 01. 01", span=2),
            tc("计划完成日期"),
            tc("2026. 12. 31", span=2),
        ),
        *money_rows(
            "3,082.53",
            "3082.53",
            "2035. 58",
            "2035. 58",
            "0",
            label="项目资金（万元）",
            allocation_label="其中:当年财政拨款",
            gap=True,
        ),
        *goal_rows(
            "项目总目标（2025年-2026年）",
            "保障社工工资福利。\n\n保障公用经费。",
            "保障社工2026年度的正常支出。",
            spans=(3, 2),
        ),
        tr(
            tc(""),
            tc("一级指标"),
            tc("二级指标"),
            tc("三级指标"),
            tc(""),
            tc("年度（/项目）指标值"),
        ),
        *indicator_rows(),
    )


TITLE = (para("财政项目支出绩效目标表"), para("(2026年度)"))
TICKED = run("经常性项目☑")  # a 项目类别 cell with its box ticked


def declaration_form(
    name: str,
    start: str,
    end: str,
    nature: str = run("经常性项目"),
    category: str = run("运转类项目"),
) -> str:
    """A 绩效目标申报表 in our 6-column layout, dates written the Chinese way; the 项目性质 and
    项目类别 cells hold the paragraph content `nature` and `category` (text, or boxes)."""
    return tbl(
        6,
        tr(
            tc("项目名称"),
            tc(name),
            tc("项目性质"),
            tc(nature, raw=True),
            tc("项目类别"),
            tc(category, raw=True),
        ),
        tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位"), tc("浦江镇信访办", span=3)),
        tr(tc("计划开始日期"), tc(start), tc("计划完成日期"), tc(end, span=3)),
        *money_rows("73.04", "73.04", "73.04", "73.04", span=2),
        *goal_rows("项目总目标", "将矛盾化解在基层", f"{name}按时发放", spans=(2, 3)),
        indicator_header(value_span=2),
        leaf(tc("产出指标", vmerge="restart"), "数量指标", f"{name}人数", "35人", span=2),
        leaf(BELOW, "时效指标", "发放及时率", "每月", span=2),
        leaf(tc("效益指标"), "社会效益指标", "降低矛盾发生率", "降低", span=2),
        leaf(tc("满意度指标"), "服务对象满意度指标", "周边居民满意率", "90%", span=2),
    )


def target_form_with(
    category_cell: str,
    name: str = "普法",
    indicators: list[str] | None = None,
    money: list[str] | None = None,
) -> str:
    """A 5-column 绩效目标表 like our template, with a given 项目类别 cell (indicator and money rows)."""
    if indicators is None:
        indicators = [
            leaf(tc("产出指标"), "数量指标", "宣传品数", "2000份"),
            leaf(tc("效益指标"), "社会效益指标", "法治意识", "提升"),
            leaf(tc("满意度指标"), "服务对象满意度指标", "群众满意度", "≥90%"),
        ]
    return tbl(
        5,
        tr(tc("项目名称"), tc(name), tc("项目类别"), tc(category_cell, span=2, raw=True)),
        tr(tc("主管部门"), tc("浦江镇人民政府"), tc("实施单位"), tc("浦江镇司法所", span=2)),
        tr(
            tc("计划开始日期"), tc("2026年1月1日"), tc("计划完成日期"), tc("2026年12月31日", span=2)
        ),
        *(money or money_rows("10", "10", "10", "10")),
        *goal_rows(
            "项目总目标 (2026年-2026年)", f"开展{name}宣传。", f"全年开展{name}宣传。", spans=(2, 2)
        ),
        indicator_header(),
        *indicators,
    )


def target_docx(
    path: Path, category_cell: str = TICKED, name: str = "普法", indicators: list[str] | None = None
) -> Path:
    """A .docx holding the title and target_form_with(category_cell, name, indicators)."""
    form = target_form_with(category_cell, name, indicators)
    return make_docx(path, document_xml(*TITLE, form))


def imported(path: Path) -> dict:
    """A written YAML file read back with PyYAML (plain values, no defaults)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def normalised(path: Path) -> dict:
    """A YAML file as gen's loader and schema see it (defaults merged)."""
    source, findings = Loader().load(path)
    assert source is not None, findings
    doc, _ = validate(source)
    assert doc is not None
    return doc


def good_form(tmp_path: Path) -> Path:
    """A clean hand-made 绩效目标表 at tmp_path/in/普法.docx."""
    return target_docx(tmp_path / "in" / "普法.docx")


def same_data(original: dict, back: dict) -> None:
    """Every field equal; amounts as decimals (blank ↔ 0 / absent; a total ↔ its sum when absent)."""
    texts = ("表样", "年度", "项目名称", "项目类别", "项目性质", "主管部门", "实施单位")
    for key in (*texts, "计划开始日期", "计划完成日期", "项目期间"):
        assert back.get(key) == original.get(key), key
    for key in ("项目总目标", "年度总体目标"):
        assert paragraphs(back[key]) == paragraphs(original[key]), key
    for block, total, parts in (
        ("项目资金", "项目资金总额", ("财政资金", "其他资金")),
        ("年度资金", "年度资金申请总额", ("当年财政拨款", "上年结转资金", "其他资金")),
    ):
        for part in parts:
            assert isinstance(back[block][part], Decimal)
            assert back[block][part] == original[block][part], (block, part)
        given = original[block][total]
        expected = given if given is not None else sum(original[block][p] for p in parts)
        assert (back[block][total] or sum(back[block][p] for p in parts)) == expected
    assert tree_rows(back["绩效指标"]) == tree_rows(original["绩效指标"])


def tree_rows(tree: dict) -> list:
    """The indicator tree as nested lists, so the order is compared too."""
    return [(l1, [(l2, list(l3s.items())) for l2, l3s in l2s.items()]) for l1, l2s in tree.items()]


# ---------------------------------------------------------------- forms made in Word (python-docx)


@dataclass(frozen=True)
class WordStyle:
    """How one clerk laid out a form in Word: widths, fonts, wording, the lines around the table."""

    widths_cm: tuple[float, ...] = (2.6, 3.0, 2.8, 3.6, 3.4)  # 5 columns: 绩效目标表; 6: 申报表
    font: str = "仿宋"
    size: float = 12  # points
    title_font: str = "黑体"
    title_size: float = 18
    title: str = "财政项目支出绩效目标表"
    year_line: str = "（{year}年度）"
    unit: str = "万元"
    unit_line: bool = False  # "单位：万元" right-aligned above the table
    signature: bool = True  # "填报人：…" below the table
    boxes: str = "wingdings"  # wingdings | unicode | control (绩效目标表 only)
    goal_label: str = "项目总目标（{first}年-{last}年）"
    value_label: str = "年度指标值"
    allocation_label: str = "其中：当年财政拨款"
    label_on_data_row: bool = False  # the 绩效指标 label merges from the first data row
    mark_formatting: bool = True  # blank cells carry the font on their paragraph mark, as in Word


@dataclass(frozen=True)
class Filled:
    """What a form prints, as printed: texts, amounts, goal lines and indicator rows."""

    name: str = "社区矫正安置帮教"
    category: str = "经常性项目"
    nature: str = "经常性项目"  # 申报表 only
    department: str = "浦江镇人民政府"
    unit: str = "浦江镇司法所"
    start: str = "2026年1月1日"
    end: str = "2026年12月31日"
    year: int = 2026
    period: tuple[int, int] = (2026, 2026)
    amounts: tuple[str, ...] = ("56.38", "56.38", "", "56.38", "56.38", "", "")  # 项目…年度其他
    goal: tuple[str, ...] = ("做好社区矫正对象的监督管理。", "开展安置帮教工作。")
    annual_goal: tuple[str, ...] = ("全年社区矫正对象无重新犯罪。",)
    indicators: tuple[tuple[str, str, str, str], ...] = (
        ("产出指标", "数量指标", "社区矫正对象人数", "45人"),
        ("产出指标", "数量指标", "安置帮教对象人数", "120人"),
        ("产出指标", "时效指标", "走访及时率", "100%"),
        ("效益指标", "社会效益指标", "重新犯罪率", "≤0.2%"),
        ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"),
    )


def word_form(path: Path, filled: Filled = Filled(), style: WordStyle = WordStyle()) -> Path:
    """A form built with python-docx the way a clerk builds it in Word: own widths, fonts and
    lines around the table, merged label cells, the checkbox kind of `style.boxes`."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.5)
    _styled_paragraph(document.add_paragraph(), style.title, style.title_font, style.title_size)
    year = style.year_line.format(year=filled.year)
    _styled_paragraph(document.add_paragraph(), year, style.font, style.size)
    if style.unit_line:
        line = document.add_paragraph()
        _styled_paragraph(line, f"单位：{style.unit}", style.font, style.size, center=False)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _WordTable(document, filled, style).build()
    if style.signature:
        line = document.add_paragraph()
        text = "填报人：王芳        联系电话：64441234        填报日期：2026年1月10日"
        _styled_paragraph(line, text, style.font, style.size, center=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _styled_paragraph(
    paragraph: Any, text: str, font: str, size: float, center: bool = True
) -> None:
    """A paragraph of one run in a font (w:eastAsia too) and size."""
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font_run(paragraph.add_run(text), font, size)


def _font_run(run: Any, font: str, size: float) -> None:
    """Set a run's font on every slot, as Word does when a Chinese font is chosen."""
    run.font.size = Pt(size)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), font)


class _WordTable:
    """The table of a Word-made form, rows laid out as docs/LAYOUT.md, style as the clerk's."""

    def __init__(self, document: Any, filled: Filled, style: WordStyle) -> None:
        self.filled, self.style = filled, style
        self.columns = len(style.widths_cm)
        self.application = self.columns == 6
        rows = 10 + len(filled.indicators)
        self.table = document.add_table(rows=rows, cols=self.columns, style="Table Grid")
        self.table.autofit = False
        for column, width in zip(self.table.columns, style.widths_cm, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)

    def put(
        self, row: int, col: int, text: str, end_col: int | None = None, end_row: int | None = None
    ) -> Any:
        """Write text into a cell, merged to (end_row, end_col) first."""
        cell = self.table.cell(row, col)
        if end_col is not None or end_row is not None:
            cell = cell.merge(self.table.cell(end_row or row, end_col or col))
        paragraphs = text.split("\n")
        cell.paragraphs[0].text = ""
        for i, line in enumerate(paragraphs):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if line:
                _font_run(paragraph.add_run(line), self.style.font, self.style.size)
        return cell

    def build(self) -> None:
        """Every row of the form."""
        f, last = self.filled, self.columns - 1
        right = 3  # the first column of the right half's values
        self.put(0, 0, "项目名称")
        if self.application:
            self.put(0, 1, f.name)
            self.put(0, 2, "项目性质")
            self.put(0, 3, f.nature)
            self.put(0, 4, "项目类别")
            self.put(0, 5, f.category)
        else:
            self.put(0, 1, f.name)
            self.put(0, 2, "项目类别")
            self._boxes(self.put(0, 3, "", end_col=last))
        self.put(1, 0, "主管部门")
        self.put(1, 1, f.department)
        self.put(1, 2, "实施单位")
        self.put(1, right, f.unit, end_col=last)
        self.put(2, 0, "计划开始日期")
        self.put(2, 1, f.start)
        self.put(2, 2, "计划完成日期")
        self.put(2, right, f.end, end_col=last)
        self._funds(right + 1, last)
        self._goals(last)
        self._indicators(last)
        if self.style.mark_formatting:
            self._format_blank_marks()

    def _funds(self, value_col: int, last: int) -> None:
        """Rows 4–7: 项目资金 on the left, 年度资金 on the right."""
        a = self.filled.amounts
        self.put(3, 0, f"项目资金（{self.style.unit}）", end_row=6)
        self.put(3, 1, "项目资金总额")
        self.put(3, 2, a[0])
        self.put(4, 1, "其中：财政资金", end_row=5)
        self.put(4, 2, a[1], end_row=5)
        self.put(6, 1, "其他资金")
        self.put(6, 2, a[2])
        labels = ("年度资金申请总额", self.style.allocation_label, "上年结转资金", "其他资金")
        for row, (label, amount) in enumerate(zip(labels, a[3:], strict=True), 3):
            self.put(row, 3, label)
            self.put(row, value_col, amount, end_col=last if last > value_col else None)

    def _goals(self, last: int) -> None:
        """Rows 8–9: the goal labels, then the goals (one paragraph per line)."""
        first, end = self.filled.period
        self.put(7, 0, "项目绩效目标", end_row=8)
        self.put(7, 1, self.style.goal_label.format(first=first, last=end), end_col=2)
        self.put(7, 3, "年度总体目标", end_col=last)
        self.put(8, 1, "\n".join(self.filled.goal), end_col=2)
        self.put(8, 3, "\n".join(self.filled.annual_goal), end_col=last)

    def _indicators(self, last: int) -> None:
        """Row 10 the header, then one row per indicator, 一级 and 二级 merged by group."""
        rows = self.filled.indicators
        top = 10
        end = top + len(rows) - 1
        if self.style.label_on_data_row:
            self.put(top, 0, "绩效\n指标", end_row=end)
        else:
            self.put(9, 0, "绩效指标", end_row=end)
        for col, label in enumerate(("一级指标", "二级指标", "三级指标"), 1):
            self.put(9, col, label)
        self.put(9, 4, self.style.value_label, end_col=last if last > 4 else None)
        for level in (0, 1):
            for first_row, last_row, name in _runs([row[: level + 1] for row in rows]):
                self.put(top + first_row, level + 1, name[-1], end_row=top + last_row)
        for i, (_, _, name, value) in enumerate(rows):
            self.put(top + i, 3, name)
            self.put(top + i, 4, value, end_col=last if last > 4 else None)

    def _boxes(self, cell: Any) -> None:
        """专项资金☐ 经常性项目☑ 一次性项目☐ in the style's checkbox kind."""
        paragraph = cell.paragraphs[0]
        for i, choice in enumerate(("专项资金", "经常性项目", "一次性项目")):
            _font_run(
                paragraph.add_run(choice if i == 0 else f"  {choice}"),
                self.style.font,
                self.style.size,
            )
            ticked = choice == self.filled.category
            run = paragraph.add_run()
            _font_run(run, self.style.font, self.style.size)
            if self.style.boxes == "wingdings":
                symbol = OxmlElement("w:sym")
                symbol.set(qn("w:font"), "Wingdings")
                symbol.set(qn("w:char"), "F0FE" if ticked else "F0A8")
                run._element.append(symbol)
            elif self.style.boxes == "control":
                run._element.getparent().replace(run._element, _control(ticked))
            else:
                run.text = "☑" if ticked else "☐"
                _font_run(run, "Segoe UI Symbol", self.style.size)

    def _format_blank_marks(self) -> None:
        """Word puts the chosen font on the paragraph mark of every cell, blank ones too."""
        for row in self.table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if not paragraph.runs:
                        props = paragraph._p.get_or_add_pPr()
                        marks = OxmlElement("w:rPr")
                        fonts = OxmlElement("w:rFonts")
                        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                            fonts.set(qn(f"w:{slot}"), self.style.font)
                        size = OxmlElement("w:sz")
                        size.set(qn("w:val"), str(int(self.style.size * 2)))
                        marks.extend([fonts, size])
                        if props.find(qn("w:rPr")) is None:
                            props.append(marks)


def _runs(keys: list[tuple[str, ...]]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(first row, last row, key) of each run of equal neighbouring keys."""
    runs: list[tuple[int, int, tuple[str, ...]]] = []
    for i, key in enumerate(keys):
        if runs and runs[-1][2] == key:
            runs[-1] = (runs[-1][0], i, key)
        else:
            runs.append((i, i, key))
    return runs


def _control(ticked: bool) -> Any:
    """A checkbox content control as Word's Developer tab inserts it."""
    return parse_xml(
        f'<w:sdt xmlns:w="{W_NS}" xmlns:w14="{W14_NS}"><w:sdtPr><w14:checkbox>'
        f'<w14:checked w14:val="{int(ticked)}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" '
        'w:hAnsi="MS Gothic"/></w:rPr>'
        f"<w:t>{'☒' if ticked else '☐'}</w:t></w:r></w:sdtContent></w:sdt>"
    )

"""gen import: Word forms → YAML, by labels; the samples round trip; people's own layouts; bad input."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
import yaml
from conftest import SAMPLES
from docx_grid import docx_grid

from gen import wordfile
from gen.build import build
from gen.cli import main
from gen.importer import import_forms
from gen.load import Loader, find_project_files
from gen.model import paragraphs
from gen.schema import validate
from gen.yamlwrite import dump, plain_is_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"

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


@pytest.fixture
def six_column(tmp_path: Path) -> Path:
    boxes = (
        run("专项资金")
        + sym("F0A3")
        + run(" 经常性项目")
        + sym("F052")
        + run(" 一次性项目")
        + sym("F0A3")
    )
    return make_docx(tmp_path / "旧表" / "社工.docx", document_xml(*TITLE, six_column_form(boxes)))


def declaration_form(name: str, start: str, end: str) -> str:
    """A 绩效目标申报表 in our 6-column layout, dates written the Chinese way."""
    return tbl(
        6,
        tr(
            tc("项目名称"),
            tc(name),
            tc("项目性质"),
            tc("经常性项目"),
            tc("项目类别"),
            tc("运转类项目"),
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
    category_cell: str, name: str = "普法", indicators: list[str] | None = None
) -> str:
    """A 5-column 绩效目标表 like our template, with a given 项目类别 cell (and indicator rows)."""
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
        *money_rows("10", "10", "10", "10"),
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


# ---------------------------------------------------------------- the samples round trip


def _same_data(original: dict, back: dict) -> None:
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
    assert _tree(back["绩效指标"]) == _tree(original["绩效指标"])


def _tree(tree: dict) -> list:
    """The indicator tree as nested lists, so the order is compared too."""
    return [(l1, [(l2, list(l3s.items())) for l2, l3s in l2s.items()]) for l1, l2s in tree.items()]


@pytest.fixture(scope="module")
def sample_round_trip(tmp_path_factory: pytest.TempPathFactory):
    """The samples built, then imported into a fresh folder."""
    root = tmp_path_factory.mktemp("round")
    report = build([SAMPLES], out_dir=root / "forms")
    assert report.exit_code == 0
    result = import_forms([root / "forms"], root / "projects")
    return root, result


def test_every_sample_imports_to_the_same_data(sample_round_trip):
    root, result = sample_round_trip
    assert result.problems == []
    samples = find_project_files([SAMPLES])
    assert len(result.written) == len(samples) == 33
    for sample in samples:
        relative = sample.relative_to(SAMPLES)
        _same_data(normalised(sample), normalised(root / "projects" / relative))


def test_imported_samples_check_clean_and_build_the_same_forms(sample_round_trip, tmp_path):
    root, result = sample_round_trip
    assert result.check is not None and result.check.findings == []
    rebuilt = build([root / "projects"], out_dir=tmp_path / "again", strict=True)
    assert rebuilt.exit_code == 0
    for form in (root / "forms").rglob("*.docx"):
        again = tmp_path / "again" / form.relative_to(root / "forms")
        assert docx_grid(again.read_bytes()) == docx_grid(form.read_bytes()), form.name


def test_imported_sample_yaml_reads_like_the_format(sample_round_trip):
    root, _ = sample_round_trip
    text = (root / "projects" / "信访办" / "劝导队经费.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[1:8] == [
        "表样: 绩效目标申报表",
        "年度: 2026",
        "项目名称: 劝导队经费",
        "项目类别: 运转类项目",
        "项目性质: 经常性项目",
        "主管部门: 浦江镇人民政府",
        "实施单位: 浦江镇信访办",
    ]
    assert "格式:\n  日期格式: YYYY.M.D\n" in text
    assert "  项目资金总额: 4.0344\n" in text


# ---------------------------------------------------------------- people's own layouts


def test_six_columns_spanning_name_symbol_boxes_and_shifted_header(six_column, tmp_path):
    result = import_forms([six_column], tmp_path / "projects")
    assert result.problems == []
    target = tmp_path / "projects" / "社工.yaml"
    data = imported(target)
    assert data["表样"] == "绩效目标表"
    assert data["年度"] == 2026
    assert data["项目名称"] == "社工"
    assert data["项目类别"] == "经常性项目"
    assert data["主管部门"] == "浦江镇人民政府"
    assert data["实施单位"] == "浦江镇社区党群服务中心"
    assert data["计划开始日期"] == date(2026, 1, 1)
    assert data["计划完成日期"] == date(2026, 12, 31)
    assert data["项目期间"] == "2025-2026"
    assert data["项目资金"] == {"项目资金总额": 3082.53, "财政资金": 3082.53}
    assert data["年度资金"] == {
        "年度资金申请总额": 2035.58,
        "当年财政拨款": 2035.58,
        "上年结转资金": 0,
    }
    assert data["项目总目标"] == "保障社工工资福利。\n保障公用经费。\n"
    assert data["年度总体目标"] == "保障社工2026年度的正常支出。"
    assert data["绩效指标"] == {
        "产出指标": {
            "数量指标": {"社工数量": "118人", "服务次数": "≥1300次"},
            "时效指标": {"资金支付及时性": "每月", "发放时间": "2026-12-31"},
        },
        "效益指标": {"社会效益指标": {"保障水平": "提升"}, "可持续影响指标": {"长效机制": "是"}},
        "满意度指标": {"服务对象满意度指标": {"社工满意度": "=100.00(百分比)"}},
    }
    assert data["格式"] == {"日期格式": "YYYY. MM. DD", "千分位": True, "零值": "0"}
    doc = normalised(target)
    assert doc["项目资金"]["项目资金总额"] == Decimal("3082.53")
    assert doc["年度资金"]["上年结转资金"] == Decimal("0")


def test_amounts_keep_their_written_digits(tmp_path):
    xml = document_xml(*TITLE, six_column_form(TICKED))
    xml = xml.replace("3,082.53", "87.90").replace(">3082.53<", ">87.9<")
    source = make_docx(tmp_path / "党建活动.docx", xml)
    import_forms([source], tmp_path / "out")
    text = (tmp_path / "out" / "党建活动.yaml").read_text(encoding="utf-8")
    assert "  项目资金总额: 87.90\n  财政资金: 87.9\n" in text
    assert "  金额小数位: 1\n" in text
    assert (
        normalised(tmp_path / "out" / "党建活动.yaml")["项目资金"]["项目资金总额"]
        .as_tuple()
        .exponent
        == -2
    )


@pytest.mark.parametrize(
    ("cell", "category"),
    [
        (
            run("专项资金")
            + checkbox(False)
            + run(" 经常性项目")
            + checkbox(True)
            + run(" 一次性项目")
            + checkbox(False),
            "经常性项目",
        ),
        (run("■专项资金 □经常性项目 □一次性项目"), "专项资金"),
        (run("专项资金□ 经常性项目□ 一次性项目√"), "一次性项目"),
        (
            run("专项资金")
            + sym("F0A8", "Wingdings")
            + run("一次性项目")
            + sym("F0FE", "Wingdings"),
            "一次性项目",
        ),
        (
            run("专项资金 ")
            + '<w:r><w:rPr><w:rFonts w:ascii="Wingdings 2" w:hAnsi="Wingdings 2"/></w:rPr><w:t>R</w:t></w:r>',
            "专项资金",
        ),
    ],
    ids=["content-control", "boxes-before", "tick-mark", "wingdings", "font-run"],
)
def test_checkbox_kinds(tmp_path, cell, category):
    import_forms([target_docx(tmp_path / "普法.docx", cell)], tmp_path / "out")
    assert imported(tmp_path / "out" / "普法.yaml")["项目类别"] == category


def test_no_box_ticked_gives_no_category_and_check_says_so(tmp_path, runner, monkeypatch):
    cell = run("专项资金☐ 经常性项目☐ 一次性项目☐")
    target_docx(tmp_path / "旧表" / "普法.docx", cell)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表", "-o", "projects"])
    data = imported(tmp_path / "projects" / "普法.yaml")
    assert "项目类别" not in data
    assert data["计划开始日期"] == date(2026, 1, 1)
    assert "格式" in data and data["格式"]["日期格式"] == "YYYY年M月D日"
    assert "旧表/普法.docx → projects/普法.yaml" in result.output
    assert "projects/普法.yaml:1: 项目类别: 缺少必填项" in result.output
    assert result.exit_code == 0


def test_two_forms_in_one_file_get_their_project_names(tmp_path):
    xml = document_xml(
        para("财政项目支出绩效目标申报表"),
        para("（2026年度）"),
        declaration_form("信访代理员经费", "2026年1月1日", "2026年12月31日"),
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>',
        para("财政项目支出绩效目标申报表"),
        para("(2026年度)"),
        declaration_form("劝导队/经费", "2026.1.1", "2026.12.31"),
    )
    source = make_docx(tmp_path / "信访办.docx", xml)
    result = import_forms([source], tmp_path / "out")
    assert [f.target.name for f in result.written] == ["信访代理员经费.yaml", "劝导队_经费.yaml"]
    first, second = (imported(f.target) for f in result.written)
    assert first["表样"] == second["表样"] == "绩效目标申报表"
    assert first["项目性质"] == "经常性项目" and first["项目类别"] == "运转类项目"
    assert second["项目名称"] == "劝导队/经费"
    assert first["年度资金"] == {"年度资金申请总额": 73.04, "当年财政拨款": 73.04}
    assert first["绩效指标"]["产出指标"] == {
        "数量指标": {"信访代理员经费人数": "35人"},
        "时效指标": {"发放及时率": "每月"},
    }
    assert first["格式"] == {"日期格式": "YYYY年M月D日"}
    assert second["格式"] == {"日期格式": "YYYY.M.D"}
    assert "（第 2 个表）" in result.written[1].target.read_text(encoding="utf-8").splitlines()[0]


def test_neighbouring_groups_come_from_merges_not_text(tmp_path):
    restart = {"vmerge": "restart"}
    rows = [
        tr(BELOW, tc("产出指标", **restart), tc("成本指标", **restart), tc("a"), tc("1")),
        tr(BELOW, BELOW, BELOW, tc("b"), tc("2")),
        tr(BELOW, tc("成本指标", **restart), tc("成本指标", **restart), tc("c"), tc("3")),
        tr(BELOW, BELOW, BELOW, tc("c"), tc("4")),
    ]
    form = target_form_with(TICKED, indicators=rows)
    source = make_docx(tmp_path / "a.docx", document_xml(*TITLE, form))
    import_forms([source], tmp_path / "out")
    text = (tmp_path / "out" / "a.yaml").read_text(encoding="utf-8")
    assert text.split("绩效指标:\n")[1].split("格式")[0] == (
        "  产出指标:\n    成本指标:\n      a: '1'\n      b: '2'\n"
        "  成本指标:\n    成本指标:\n      c: '3'\n      c: '4'\n"
    )
    # the repeated 三级 name is kept, and the check reports it
    result = import_forms([source], tmp_path / "out", force=True)
    assert any(f.code == "duplicate-key" for f in result.check.findings)


# ---------------------------------------------------------------- bad input


def _good(tmp_path: Path) -> Path:
    return target_docx(tmp_path / "in" / "普法.docx")


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


def _bad_inputs(folder: Path) -> dict[str, tuple[Path, str, str]]:
    """name → (file, code, exact message)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "文字.docx"
    text.write_text("项目名称: 社工\n", encoding="utf-8")
    pdf = folder / "扫描件.docx"
    pdf.write_bytes(b"%PDF-1.7\n")
    truncated = folder / "损坏.docx"
    truncated.write_bytes(_good(folder / "t").read_bytes()[:300])
    encrypted = folder / "加密.docx"
    encrypted.write_bytes(
        wordfile.OLE_MAGIC + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
    )
    xlsx = _zip(folder / "表格.docx", {"xl/workbook.xml": "<workbook/>"})
    no_form = make_docx(
        folder / "名单.docx",
        document_xml(
            para("人员名单"),
            tbl(2, tr(tc("序号"), tc("姓名")), tr(tc("1"), tc("张三"))),
            tbl(1, tr(tc("备注"))),
        ),
    )
    no_table = make_docx(
        folder / "说明.docx", document_xml(para("关于报送2026年度绩效目标的通知"), para("各单位："))
    )
    bomb = _zip(folder / "炸弹.docx", {"word/document.xml": b" " * (3 * 1024 * 1024)})
    doctype = make_docx(
        folder / "实体.docx",
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>',
    )
    broken_xml = make_docx(folder / "坏XML.docx", "<w:document")
    hint = "；请在 Word 或 WPS 中打开后另存为 .docx 再导入"
    return {
        "text": (
            text,
            "not-word",
            "不是 Word 文件：文件内容不是 Word 格式（可能只是改了扩展名）；请导入 .docx、.doc 或 .wps 文件",
        ),
        "pdf": (pdf, "not-word", "不是 Word 文件：它是PDF 文件；请导入 .docx、.doc 或 .wps 文件"),
        "xlsx": (
            xlsx,
            "not-word",
            "不是 Word 文件：它是Excel 表格；请导入 .docx、.doc 或 .wps 文件",
        ),
        "truncated": (
            truncated,
            "corrupt",
            "文件已损坏，无法解压（File is not a zip file）" + hint,
        ),
        "broken-xml": (broken_xml, "corrupt", None),
        "encrypted": (
            encrypted,
            "encrypted",
            "文件已加密（设置了打开密码）；请在 Word 或 WPS 中取消密码，另存为 .docx 后再导入",
        ),
        "no-form": (
            no_form,
            "no-form",
            "没有找到绩效目标表：找到 2 个表格，但没有“项目名称”等标签（第一个表格开头是“序号、姓名”）",
        ),
        "no-table": (
            no_table,
            "no-form",
            "没有找到绩效目标表：文件里没有表格（只有 2 段文字，开头是“关于报送2026年度绩效目标的通知”）",
        ),
        "bomb": (bomb, "too-large", None),
        "doctype": (
            doctype,
            "doctype",
            "文件里的 word/document.xml 含有 DOCTYPE / 实体声明（Word 从不写这种内容，可能是恶意文件），已拒绝读取",
        ),
    }


def test_bad_inputs_each_say_why_and_the_good_file_still_imports(tmp_path):
    cases = _bad_inputs(tmp_path / "in")
    shutil.rmtree(tmp_path / "in" / "t")
    _good(tmp_path)
    result = import_forms([tmp_path / "in"], tmp_path / "out")
    problems = {p.file: p for p in result.problems}
    for name, (path, code, message) in cases.items():
        assert problems[path].code == code, name
        if message is not None:
            assert problems[path].message == message, name
    bomb = r"文件解压后过大（3 MB，压缩比 [0-9]+:1），疑似压缩炸弹，已拒绝读取；一份绩效目标表解压后通常不到 1 MB"
    assert re.fullmatch(bomb, problems[cases["bomb"][0]].message)
    assert problems[cases["broken-xml"][0]].message.startswith(
        "文件已损坏：word/document.xml 不是有效的 XML（"
    )
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["普法.yaml"]
    assert result.exit_code == 1


def test_a_named_file_that_is_not_word_is_reported(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("说明.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(main, ["import", "说明.pdf"])
    assert (
        "说明.pdf: 不是 Word 文件（扩展名 .pdf）；请导入 .docx、.doc 或 .wps 文件" in result.output
    )
    assert result.exit_code == 1
    assert not Path("projects").exists()


def test_a_missing_path_is_a_usage_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表"])
    assert result.exit_code == 2
    assert "找不到 旧表" in result.output


def test_an_oversized_part_is_refused_even_if_its_header_lies(tmp_path, monkeypatch):
    monkeypatch.setattr(wordfile, "MAX_PART", 1000)
    source = _good(tmp_path)
    result = import_forms([source], tmp_path / "out")
    assert result.problems[0].code == "too-large"
    assert not (tmp_path / "out").exists()


def test_old_doc_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr(wordfile, "find_soffice", lambda: None)
    old = tmp_path / "旧.doc"
    old.write_bytes(wordfile.OLE_MAGIC + b"\0" * 1024)
    result = import_forms([old], tmp_path / "out")
    assert result.problems[0].message == (
        ".doc 文件需要 LibreOffice（soffice）转换，但没有安装；请安装 LibreOffice"
        "（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），或在 Word / WPS 中另存为 .docx 再导入"
    )


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
def test_old_doc_is_converted_through_libreoffice(tmp_path):
    build([SAMPLES / "司法所" / "普法.yaml"], out_dir=tmp_path)
    source = tmp_path / "普法.docx"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path / "old"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = import_forms([tmp_path / "old"], tmp_path / "out")
    assert result.problems == []
    _same_data(
        normalised(SAMPLES / "司法所" / "普法.yaml"), normalised(tmp_path / "out" / "普法.yaml")
    )


# ---------------------------------------------------------------- --force, --defaults, YAML


def test_existing_yaml_is_kept_unless_force(tmp_path):
    source = _good(tmp_path)
    target = tmp_path / "out" / "普法.yaml"
    target.parent.mkdir()
    target.write_text("# mine\n", encoding="utf-8")
    result = import_forms([source], tmp_path / "out")
    assert target.read_text(encoding="utf-8") == "# mine\n"
    assert [(p.file, p.code) for p in result.problems] == [(target, "exists")]
    assert result.check is None
    result = import_forms([source], tmp_path / "out", force=True)
    assert result.problems == [] and imported(target)["项目名称"] == "普法"


def test_defaults_hold_what_every_form_of_a_folder_shares(tmp_path):
    folder = tmp_path / "in" / "司法所"
    target_docx(folder / "普法.docx", name="普法")
    lawsuits = [
        leaf(tc("产出指标"), "数量指标", "代理案件数", "12件"),
        leaf(tc("效益指标"), "社会效益指标", "合法权益", "得到维护"),
        leaf(tc("满意度指标"), "服务对象满意度指标", "当事人满意度", "≥90%"),
    ]
    target_docx(folder / "诉讼.docx", name="诉讼", indicators=lawsuits)
    result = import_forms([tmp_path / "in"], tmp_path / "out", defaults=True)
    defaults = tmp_path / "out" / "司法所" / "_defaults.yaml"
    assert result.defaults == [defaults]
    assert imported(defaults) == {
        "表样": "绩效目标表",
        "年度": 2026,
        "主管部门": "浦江镇人民政府",
        "实施单位": "浦江镇司法所",
        "计划开始日期": date(2026, 1, 1),
        "计划完成日期": date(2026, 12, 31),
        "格式": {"日期格式": "YYYY年M月D日", "金额小数位": 0},
    }
    project = imported(tmp_path / "out" / "司法所" / "普法.yaml")
    assert list(project)[:2] == ["项目名称", "项目类别"] and "格式" not in project
    assert normalised(tmp_path / "out" / "司法所" / "普法.yaml")["主管部门"] == "浦江镇人民政府"
    assert result.check.findings == []


def test_defaults_above_the_output_do_not_change_imported_values(tmp_path):
    out = tmp_path / "projects"
    out.mkdir()
    (out / "_defaults.yaml").write_text(
        "项目期间: 2020-2030\n格式:\n  日期格式: YYYY-M-D\n", encoding="utf-8"
    )
    import_forms([_good(tmp_path)], out)
    doc = normalised(out / "普法.yaml")
    assert doc["项目期间"] == (2026, 2026)
    assert doc["格式"]["日期格式"] == "YYYY年M月D日"


@pytest.mark.parametrize(
    "value",
    [
        "1300",
        "0.50",
        "=100.00(百分比)",
        "是",
        "否",
        "no",
        "yes",
        "on",
        "Off",
        "null",
        "~",
        "2026-01-01",
        "2026-1-1",
        "#1",
        "a: b",
        "- x",
        "@home",
        "'quoted'",
        "%",
        "*",
        "&a",
        "[1]",
        "{a}",
        " lead",
        "100%",
        "≥90%",
        "提升",
        "3,082.53",
        "1e3",
        ".5",
        "0x1F",
        "a # b",
        "tab\there",
        "line\r",
    ],
)
def test_yaml_values_read_back_as_written(value):
    text = dump({"项目名称": value, "绩效指标": {"产出指标": {"数量指标": [(value, value)]}}})
    data = yaml.safe_load(text)
    assert data["项目名称"] == value
    assert data["绩效指标"]["产出指标"]["数量指标"] == {value: value}


def test_yaml_quotes_only_what_needs_it():
    assert plain_is_safe("≥90%") and plain_is_safe("社工") and plain_is_safe("100%")
    assert not any(plain_is_safe(v) for v in ("1300", "是", "no", "=100.00(百分比)", "2026-1-1"))
    assert (
        dump({"a": "1300", "b": Decimal("87.90"), "c": "x\ny"})
        == "a: '1300'\nb: 87.90\nc: |\n  x\n  y\n"
    )

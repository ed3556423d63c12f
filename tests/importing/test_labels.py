"""Reading forms by their labels: people's own layouts, checkbox kinds, several forms in one file."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from handmade import (
    BELOW,
    TICKED,
    TITLE,
    checkbox,
    declaration_form,
    document_xml,
    imported,
    make_docx,
    normalised,
    para,
    run,
    six_column_form,
    sym,
    target_docx,
    target_form_with,
    tc,
    tr,
)

from gen.cli import main
from gen.importing.importer import import_forms

# ---------------------------------------------------------------- people's own layouts


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


SIX_COLUMN_INDICATORS = {
    "产出指标": {
        "数量指标": {"社工数量": "118人", "服务次数": "≥1300次"},
        "时效指标": {"资金支付及时性": "每月", "发放时间": "2026-12-31"},
    },
    "效益指标": {"社会效益指标": {"保障水平": "提升"}, "可持续影响指标": {"长效机制": "是"}},
    "满意度指标": {"服务对象满意度指标": {"社工满意度": "=100.00(百分比)"}},
}


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
    assert data["绩效指标"] == SIX_COLUMN_INDICATORS
    assert data["格式"] == {"日期格式": "YYYY. MM. DD", "千分位": True, "零值": "0"}
    doc = normalised(target)
    assert doc["项目资金"]["项目资金总额"] == Decimal("3082.53")
    assert doc["年度资金"]["上年结转资金"] == Decimal("0")


@pytest.mark.parametrize(
    "label",
    ["项目绩效指标", "绩效指标（年度）", "年度绩效指标", "绩效目标", "年度绩效目标", "绩效\n指标"],
)
def test_the_indicator_label_merged_down_from_the_first_indicator_row_in_any_wording(
    tmp_path, label
):
    xml = document_xml(*TITLE, six_column_form(TICKED))
    merged = tc("绩效\n指标", vmerge="restart")
    assert xml.count(merged) == 1
    source = make_docx(tmp_path / "社工.docx", xml.replace(merged, tc(label, vmerge="restart")))
    result = import_forms([source], tmp_path / "out")
    assert (result.problems, [note.message for note in result.notes]) == ([], [])
    assert imported(tmp_path / "out" / "社工.yaml")["绩效指标"] == SIX_COLUMN_INDICATORS


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
        (run("（  ）专项资金  （√）经常性项目  （  ）一次性项目"), "经常性项目"),
        (run("专项资金（  ） 经常性项目（  ） 一次性项目（√）"), "一次性项目"),
        (run("(√)专项资金 ( )经常性项目 ()一次性项目"), "专项资金"),
        (run("专项资金（ ） 经常性项目（") + run("√") + run("） 一次性项目（ ）"), "经常性项目"),
        (run("1.☐专项资金 2.☑经常性项目 3.☐一次性项目"), "经常性项目"),
    ],
    ids=[
        "content-control",
        "boxes-before",
        "tick-mark",
        "wingdings",
        "font-run",
        "brackets-before",
        "brackets-after",
        "half-width-brackets",
        "brackets-in-runs",
        "numbered-boxes-before",
    ],
)
def test_checkbox_kinds(tmp_path, cell, category):
    import_forms([target_docx(tmp_path / "普法.docx", cell)], tmp_path / "out")
    assert imported(tmp_path / "out" / "普法.yaml")["项目类别"] == category


@pytest.mark.parametrize(
    ("nature", "category", "expected"),
    [
        ("☑经常性 ☐一次性 ☐阶段性", "☐人员类 ☑运转类 ☐特定目标类", ("经常性", "运转类")),
        (
            "经常性项目□ 一次性项目□ 阶段性项目■",
            "人员类项目□ 运转类项目□ 特定目标类项目■",
            ("阶段性项目", "特定目标类项目"),
        ),
    ],
    ids=["boxes-before-short-names", "boxes-after-full-names"],
)
def test_application_nature_and_category_boxes_read_as_the_ticked_choice(
    tmp_path, nature, category, expected
):
    form = declaration_form("信访代理员经费", "2026.1.1", "2026.12.31", run(nature), run(category))
    title = (para("财政项目支出绩效目标申报表"), para("（2026年度）"))
    source = make_docx(tmp_path / "信访.docx", document_xml(*title, form))
    report = import_forms([source], tmp_path / "out")
    data = imported(tmp_path / "out" / "信访.yaml")
    assert (data["项目性质"], data["项目类别"]) == expected
    assert [str(f) for f in report.findings] == []


def test_boxes_that_cannot_be_told_whose_they_are_are_not_imported(tmp_path, runner, monkeypatch):
    target_docx(tmp_path / "旧表" / "普法.docx", run("专项资金（  ）经常性项目（√）一次性项目"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["import", "旧表", "-o", "projects"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "旧表/普法.docx: 第 1 个表格第 1 行“项目类别”旁的勾选框“专项资金（  ）经常性项目（√）一次性项目”"
        "看不出每个框是它前面那一项的还是后面那一项的；为了不勾错，这个表格没有导入。"
        "请在 Word 中把每个框都紧挨着写在它那一项的同一边，各项之间空一格"
        "（如“（  ）专项资金  （√）经常性项目”或“专项资金（  ）  经常性项目（√）”）后再运行"
    )
    assert not (tmp_path / "projects").exists()


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

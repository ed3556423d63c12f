"""Every variant the format reads, end to end: its exact check result and the cell text it prints.

Each project goes through the real pipeline (load → schema → rules → model → the shipped
template) and the form is read back from the .docx bytes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROJECT, REPO
from docx_grid import docx_grid

from gen.checking import checked_project
from gen.cli import main
from gen.load import Loader
from gen.model import project_from, render_context
from gen.render import Renderer
from gen.vocabulary import CATEGORY_VALUES, NATURE_VALUES, SHORT_CATEGORIES

RENDERER = Renderer(REPO / "templates")
APPLICATION = "表样: 绩效目标申报表\n项目性质: 经常性项目\n"


def edit(old: str, new: str, text: str = GOOD_PROJECT) -> str:
    """`text` with one exact fragment replaced (it must occur once)."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def application(category: str = "运转类项目", nature: str = "经常性项目") -> str:
    """GOOD_PROJECT as a 绩效目标申报表."""
    text = edit("表样: 绩效目标表\n", f"表样: 绩效目标申报表\n项目性质: {nature}\n")
    return edit("项目类别: 经常性项目", f"项目类别: {category}", text)


def checked(tmp_path: Path, text: str) -> tuple[list[tuple[int, str, str, str]], dict | None]:
    """(line, path, code, message) of every finding, and the document when there is no error."""
    path = tmp_path / "项目.yaml"
    path.write_text(text, encoding="utf-8")
    findings, _, doc = checked_project(path, Loader())
    errors = any(f.is_error for f in findings)
    return [(f.line, f.path, f.code, f.message) for f in findings], None if errors else doc


def printed(tmp_path: Path, text: str) -> list[list[str]]:
    """The cell texts of the built form, row by row; the project must check clean."""
    findings, doc = checked(tmp_path, text)
    assert findings == []
    assert doc is not None
    data = RENDERER.render(doc["表样"], render_context(project_from(doc)))
    return [[cell.text for cell in row] for row in docx_grid(data)]


def amounts(rows: list[list[str]]) -> list[str]:
    """The seven amount cells, in the order of the 汇总表, and the unit label."""
    return [rows[3][0], rows[3][2], rows[4][2], rows[6][2], rows[3][4], rows[4][4], rows[5][4]] + [
        rows[6][4]
    ]


# ---------------------------------------------------------------- 金额单位, 零值, 千分位


def test_default_unit_is_wanyuan_on_both_forms(tmp_path):
    assert printed(tmp_path, GOOD_PROJECT)[3][0] == "项目资金 (万元)"
    assert printed(tmp_path, application())[3][0] == "项目资金 (万元)"


@pytest.mark.parametrize("text", [GOOD_PROJECT, application()], ids=["目标表", "申报表"])
def test_yuan_amounts_with_separators_and_zero_as_decimals(tmp_path, text):
    text = text.replace("3082.53", "10308000.00") + "格式:\n  金额单位: 元\n  千分位: true\n"
    text += "  零值: '0.00'\n"
    assert amounts(printed(tmp_path, text)) == [
        "项目资金 (元)",
        "10,308,000.00",
        "10,308,000.00",
        "0.00",  # 其他资金
        "10,308,000.00",
        "10,308,000.00",
        "0.00",  # 上年结转资金
        "0.00",  # 年度其他资金
    ]


@pytest.mark.parametrize(
    ("options", "zero", "total"),
    [
        ("  零值: 空白\n", "", "3082.53"),
        ("  零值: 0\n", "0", "3082.53"),
        ("  零值: '0.00'\n", "0.00", "3082.53"),
        ("  零值: 0.00\n", "0.00", "3082.53"),  # unquoted: YAML's 0.0, read as written
        ("  零值: '0.00'\n  金额小数位: 4\n", "0.0000", "3082.5300"),
        ("  零值: '0.00'\n  金额小数位: 0\n", "0", "3082.53"),
    ],
)
def test_zero_styles(tmp_path, options, zero, total):
    rows = printed(tmp_path, GOOD_PROJECT + "格式:\n" + options)
    assert (rows[3][2], rows[6][2], rows[5][4], rows[6][4]) == (total, zero, zero, zero)


def test_a_unit_that_does_not_exist_is_an_error(tmp_path):
    findings, _ = checked(tmp_path, GOOD_PROJECT + "格式:\n  金额单位: 千元\n")
    assert findings == [
        (35, "格式.金额单位", "bad-choice", "“千元”不是可用的金额单位；可选：万元、元")
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  财政资金: 3082.53\n",
            "  财政资金: 3082.53元\n",
            (
                11,
                "项目资金.财政资金",
                "wrong-type",
                "应为数字，实际为“3082.53元”；请只写数字，单位是元（由 格式.金额单位 设置）",
            ),
        ),
        (
            "  当年财政拨款: 3082.53\n",
            "",
            (
                13,
                "年度资金.当年财政拨款",
                "missing-key",
                "缺少必填项；请在 “年度资金:” 下面添加一行 “当年财政拨款: 金额”（元）",
            ),
        ),
        (
            "  当年财政拨款: 3082.53\n",
            "  当年财政拨款:\n",
            (
                15,
                "年度资金.当年财政拨款",
                "missing-key",
                "没有填写金额；请填写数字（元），没有就写 0",
            ),
        ),
    ],
)
def test_messages_name_the_projects_unit(tmp_path, old, new, expected):
    findings, _ = checked(tmp_path, edit(old, new) + "格式:\n  金额单位: 元\n")
    assert findings == [expected]


def test_sums_and_annual_above_total_work_in_yuan(tmp_path):
    text = GOOD_PROJECT.replace("3082.53", "297554.85") + "格式:\n  金额单位: 元\n"
    text = edit("  年度资金申请总额: 297554.85", "  年度资金申请总额: 297554.86", text)
    text = edit("  当年财政拨款: 297554.85", "  当年财政拨款: 297554.86", text)
    findings, _ = checked(tmp_path, text)
    assert [f[2:] for f in findings] == [
        (
            "annual-exceeds-total",
            "年度资金申请总额 297554.86 大于 项目资金总额 297554.85；年度申请不能超过项目总额，请核对金额",
        )
    ]


# ---------------------------------------------------------------- 项目类别 and 项目性质


@pytest.mark.parametrize("category", CATEGORY_VALUES["绩效目标表"])
def test_target_form_categories_tick_their_box(tmp_path, category):
    box = SHORT_CATEGORIES["绩效目标表"].get(category, category)
    boxes = {"专项资金": "☐", "经常性项目": "☐", "一次性项目": "☐", box: "☑"}
    expected = f"专项资金{boxes['专项资金']} 经常性项目{boxes['经常性项目']} 一次性项目{boxes['一次性项目']}"
    text = edit("项目类别: 经常性项目", f"项目类别: {category}")
    assert printed(tmp_path, text)[0][3] == expected


@pytest.mark.parametrize("category", CATEGORY_VALUES["绩效目标申报表"])
def test_application_categories_print_as_written(tmp_path, category):
    assert printed(tmp_path, application(category))[0][5] == category


@pytest.mark.parametrize("nature", NATURE_VALUES)
def test_natures_print_as_written(tmp_path, nature):
    assert printed(tmp_path, application(nature=nature))[0][3] == nature


def test_the_two_category_sets_stay_apart(tmp_path):
    findings, _ = checked(tmp_path, edit("项目类别: 经常性项目", "项目类别: 特定目标类"))
    assert findings == [
        (
            4,
            "项目类别",
            "bad-choice",
            "“特定目标类”是绩效目标申报表的项目类别，绩效目标表可选：专项资金、经常性项目、一次性项目"
            "；如果这是绩效目标申报表，请写 “表样: 绩效目标申报表”",
        )
    ]
    findings, _ = checked(tmp_path, application("经常性"))
    assert findings == [
        (
            5,
            "项目类别",
            "bad-choice",
            "“经常性”是绩效目标表的项目类别，绩效目标申报表可选：人员类项目、运转类项目、特定目标类项目"
            "（“经常性”在绩效目标申报表里是项目性质）",
        )
    ]
    findings, _ = checked(tmp_path, application(nature="延续性"))
    assert findings == [
        (
            2,
            "项目性质",
            "bad-choice",
            "“延续性”不是可用的项目性质；可选：经常性项目、一次性项目、阶段性项目",
        )
    ]


# ---------------------------------------------------------------- indicator values


@pytest.mark.parametrize(
    "value",
    ["=100.00(%)", "≥90.00(%)", "≥ 95 %", "≥90%", "＞85％", "100%", "=100.00(百分比)", "≥90（%）"],
)
def test_satisfaction_values_print_as_written_without_a_warning(tmp_path, value):
    rows = printed(tmp_path, edit("社工满意度: ≥90%", f"社工满意度: '{value}'"))
    assert rows[-1][3:] == ["社工满意度", value]


@pytest.mark.parametrize(
    "value", ["=118(人)", "≥8(次)", "≤72(小时)", "118人", "90分以上", "=2,000.00(份)"]
)
def test_quantity_values_print_as_written_without_a_warning(tmp_path, value):
    rows = printed(tmp_path, edit("社工数量: 118人", f"社工数量: '{value}'"))
    assert rows[10][3:] == ["社工数量", value]


def test_a_year_printed_by_a_system_is_still_checked(tmp_path):
    findings, _ = checked(tmp_path, edit("资金支付及时性: 每月", "资金支付及时性: '=2024(年)'"))
    assert findings == [
        (
            27,
            "绩效指标.产出指标.时效指标.资金支付及时性",
            "year-outside-period",
            "指标值“=2024(年)”中的年份 2024 不在项目期间 2026年-2026年 内；请改为项目期间内的时间",
        )
    ]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("pattern", "start", "end"),
    [
        ("YYYY/M/D", "2026/1/1", "2026/12/31"),
        ("YYYY-MM-DD", "2026-01-01", "2026-12-31"),
        ("YYYY.M.D", "2026.1.1", "2026.12.31"),
        ("YYYY年M月D日", "2026年1月1日", "2026年12月31日"),
        ("YYYY年MM月DD日", "2026年01月01日", "2026年12月31日"),
        ("YYYY. MM. DD", "2026. 01. 01", "2026. 12. 31"),
    ],
)
def test_dates_print_in_the_style_of_the_form(tmp_path, pattern, start, end):
    rows = printed(tmp_path, GOOD_PROJECT + f"格式:\n  日期格式: {pattern}\n")
    assert (rows[2][1], rows[2][3]) == (start, end)


# ---------------------------------------------------------------- through the command line


def test_gen_build_of_a_yuan_project(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("projects").mkdir()
    Path("projects/_defaults.yaml").write_text(
        "格式:\n  金额单位: 元\n  千分位: true\n  零值: '0.00'\n  日期格式: YYYY年M月D日\n",
        encoding="utf-8",
    )
    Path("projects/a.yaml").write_text(
        application("特定目标类").replace("3082.53", "297554.85"), encoding="utf-8"
    )
    result = runner.invoke(main, ["build", "projects", "-q"])
    assert result.exit_code == 0, result.output
    rows = [[c.text for c in row] for row in docx_grid(Path("output/a.docx").read_bytes())]
    assert rows[0][5] == "特定目标类"
    assert rows[2][1] == "2026年1月1日"
    assert (rows[3][0], rows[3][2], rows[6][2]) == ("项目资金 (元)", "297,554.85", "0.00")

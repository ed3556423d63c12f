"""Tests for gen.schema: every schema finding's exact text and line, and the normalised document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from conftest import CORPUS, PROJECT_HEAD
from hypothesis import given, settings
from hypothesis import strategies as st

from gen.errors import Finding
from gen.load import Loader, parse_file, parse_text
from gen.schema import FORMAT_DEFAULTS, ProjectValidator, project_schema, surely_valid, validate
from gen.vocabulary import FORMS, INDICATORS

CASES = Path(__file__).parent / "cases"

# A small clean project: PROJECT_HEAD (lines 1-8), then 9 项目资金, 10 项目资金总额, 11 财政资金,
# 12 年度资金, 13 当年财政拨款, 18 绩效指标 (INDICATORS_AT); a line appended to it is line 26.
GOOD = (
    PROJECT_HEAD
    + """\
项目资金:
  项目资金总额: 87.90
  财政资金: 87.9
年度资金:
  当年财政拨款: 87.90
项目总目标: 保障社工2026年度工资福利、公用经费等的正常支出。
年度总体目标: |
  保障社工工资福利。
  保障公用经费。
绩效指标:
  产出指标:
    数量指标:
      社工数量: 118人
      比例: 0.50
  满意度指标:
    服务对象满意度指标:
      社工满意度: 100%
"""
)


def brief(findings: list[Finding]) -> list[tuple[int, str, str, str]]:
    """The parts of findings a test compares (all schema findings are errors)."""
    assert all(f.level == "error" for f in findings)
    return [(f.line, f.path, f.code, f.message) for f in findings]


def check_text(tmp_path: Path, text: str) -> tuple[dict[str, Any] | None, list[Finding]]:
    """Validate a project written from text."""
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    source, findings = parse_file(path)
    assert source is not None and findings == []
    return validate(source)


def check_case(
    scenario: str, name: str = "社工.yaml"
) -> tuple[dict[str, Any] | None, list[Finding]]:
    """Validate one project of a scenario folder."""
    source, _ = Loader(root=CASES / scenario).load(CASES / scenario / name)
    assert source is not None
    return validate(source)


# ---------------------------------------------------------------- the normalised document


def test_good_project_normalised(tmp_path: Path) -> None:
    doc, findings = check_text(tmp_path, GOOD)
    assert findings == []
    assert doc == {
        "表样": "绩效目标表",
        "年度": 2026,
        "项目名称": "社工",
        "项目类别": "经常性项目",
        "主管部门": "浦江镇人民政府",
        "实施单位": "浦江镇社区党群服务中心",
        "计划开始日期": date(2026, 1, 1),
        "计划完成日期": date(2026, 12, 31),
        "项目期间": (2026, 2026),
        "项目资金": {
            "项目资金总额": Decimal("87.90"),
            "财政资金": Decimal("87.9"),
            "其他资金": Decimal(0),
        },
        "年度资金": {
            "年度资金申请总额": None,
            "当年财政拨款": Decimal("87.90"),
            "上年结转资金": Decimal(0),
            "其他资金": Decimal(0),
        },
        "项目总目标": "保障社工2026年度工资福利、公用经费等的正常支出。",
        "年度总体目标": "保障社工工资福利。\n保障公用经费。\n",
        "绩效指标": {
            "产出指标": {"数量指标": {"社工数量": "118人", "比例": "0.50"}},
            "满意度指标": {"服务对象满意度指标": {"社工满意度": "100%"}},
        },
        "格式": {
            "日期格式": "YYYY.MM.DD",
            "金额小数位": 2,
            "千分位": False,
            "零值": "空白",
            "金额单位": "万元",
        },
        "项目性质": None,
    }
    assert list(doc["绩效指标"]) == ["产出指标", "满意度指标"]
    assert str(doc["项目资金"]["项目资金总额"]) == "87.90"
    assert all(type(v) is Decimal for v in doc["项目资金"].values())


def test_application_form_and_text_as_written(tmp_path: Path) -> None:
    text = GOOD.replace("表样: 绩效目标表", "表样: 绩效目标申报表")
    text = text.replace("项目类别: 经常性项目", "项目类别: 运转类项目\n项目性质: 经常性项目")
    text = text.replace("项目名称: 社工", "项目名称: 2026") + "项目期间: 2025-2026\n"
    text += "格式:\n  零值: 0\n  千分位: true\n"
    doc, findings = check_text(tmp_path, text)
    assert findings == [] and doc is not None
    assert (doc["表样"], doc["项目类别"], doc["项目性质"]) == (
        "绩效目标申报表",
        "运转类项目",
        "经常性项目",
    )
    assert doc["项目名称"] == "2026"
    assert doc["项目期间"] == (2025, 2026)
    assert doc["格式"] == {
        "日期格式": "YYYY.MM.DD",
        "金额小数位": 2,
        "千分位": True,
        "零值": "0",
        "金额单位": "万元",
    }


def test_default_form_and_integer_amounts(tmp_path: Path) -> None:
    text = GOOD.replace("表样: 绩效目标表\n", "").replace("  财政资金: 87.9", "  财政资金: 88")
    doc, findings = check_text(tmp_path, text)
    assert findings == [] and doc is not None
    assert doc["表样"] == "绩效目标表"
    assert (
        doc["项目资金"]["财政资金"] == Decimal(88) and type(doc["项目资金"]["财政资金"]) is Decimal
    )


def test_defaults_tree_validates_with_merged_format() -> None:
    source, _ = Loader(root=CASES / "defaults").load(
        CASES / "defaults" / "平安办" / "安保经费.yaml"
    )
    assert source is not None
    doc, findings = validate(source)
    assert findings == [] and doc is not None
    assert doc["格式"] == {
        "日期格式": "YYYY-M-D",
        "金额小数位": 0,
        "千分位": True,
        "零值": "0",
        "金额单位": "万元",
    }
    assert doc["主管部门"] == "闵行区浦江镇人民政府"


def test_corpus_has_only_the_known_missing_category() -> None:
    for path in sorted(CORPUS.glob("*.yaml")):
        source, _ = Loader().load(path)
        assert source is not None
        doc, findings = validate(source)
        assert doc is not None
        expected = [(1, "项目类别", "missing-key")] if path.name == "11.yaml" else []
        assert [(f.line, f.path, f.code) for f in findings] == expected, path


# ---------------------------------------------------------------- scenario folders


def test_amount_text() -> None:
    doc, findings = check_case("amount-text")
    assert brief(findings) == [
        (11, "项目资金.财政资金", "wrong-type", "应为数字，实际为“三千”"),
        (
            15,
            "年度资金.当年财政拨款",
            "wrong-type",
            "应为数字，实际为“3,082.53”；请去掉千分位逗号，写成 3082.53",
        ),
    ]
    assert doc is not None
    assert doc["项目资金"] == {"项目资金总额": Decimal("87.90"), "其他资金": Decimal(0)}
    assert "当年财政拨款" not in doc["年度资金"]


def test_negative_amount() -> None:
    doc, findings = check_case("negative")
    assert brief(findings) == [
        (12, "项目资金.其他资金", "negative-amount", "金额不能为负数（实际为 -5）；请填写 0 或正数")
    ]
    assert doc is not None and "其他资金" not in doc["项目资金"]


def test_bad_dates() -> None:
    doc, findings = check_case("bad-date")
    assert brief(findings) == [
        (
            7,
            "计划开始日期",
            "bad-date",
            "“2026-13-01”不是有效日期；请填写日历上存在的日期（YYYY-MM-DD）",
        ),
        (
            8,
            "计划完成日期",
            "bad-date",
            "应为日期 YYYY-MM-DD，实际为“2026.12.31”；请写成 2026-12-31",
        ),
    ]
    assert doc is not None
    assert "计划开始日期" not in doc and "项目期间" not in doc


def test_category_of_the_other_form() -> None:
    _, findings = check_case("bad-category")
    message = (
        "“运转类项目”是绩效目标申报表的项目类别，绩效目标表可选：专项资金、经常性项目、一次性项目；"
        "如果这是绩效目标申报表，请写 “表样: 绩效目标申报表”"
    )
    assert brief(findings) == [(4, "项目类别", "bad-choice", message)]


def test_application_category_and_nature() -> None:
    _, findings = check_case("bad-category", "申报表.yaml")
    category = (
        "“经常性项目”是绩效目标表的项目类别，绩效目标申报表可选：人员类项目、运转类项目、特定目标类项目"
        "（“经常性项目”在绩效目标申报表里是项目性质）"
    )
    nature = "“常规项目”不是可用的项目性质；可选：经常性项目、一次性项目、阶段性项目"
    assert brief(findings) == [
        (4, "项目性质", "bad-choice", nature),
        (5, "项目类别", "bad-choice", category),
    ]


def test_unknown_keys_suggest_the_nearest() -> None:
    doc, findings = check_case("unknown-key")
    assert brief(findings) == [
        (3, "项目明称", "unknown-key", "没有这一项；您是否想写 “项目名称”？"),
        (7, "计划开始时间", "unknown-key", "没有这一项；您是否想写 “计划开始日期”？"),
        (27, "格式.日期样式", "unknown-key", "没有这一项；您是否想写 “日期格式”？"),
    ]
    assert doc is not None and "项目名称" not in doc and "项目明称" not in doc
    assert doc["格式"]["日期格式"] == "YYYY.MM.DD"


def test_keys_in_traditional_characters_are_told_their_simplified_form(tmp_path) -> None:
    text = PROJECT_HEAD.replace("项目名称: 社工", "項目名稱: 社工") + (
        "項目資金:\n  项目资金总额: 1\n  财政资金: 1\n"
        "年度資金:\n  年度资金申请总额: 1\n  當年財政撥款: 1\n"
        "项目总目标: 甲\n年度总体目标: 乙\n績效指標: {}\n"
    )
    _, findings = check_text(tmp_path, text)
    unknown = [(f.line, f.path, f.message) for f in findings if f.code == "unknown-key"]
    assert unknown == [
        (3, "項目名稱", "没有这一项；“項目名稱”用了繁体字，请写 “项目名称”"),
        (9, "項目資金", "没有这一项；“項目資金”用了繁体字，请写 “项目资金”"),
        (12, "年度資金", "没有这一项；“年度資金”用了繁体字，请写 “年度资金”"),
        (17, "績效指標", "没有这一项；“績效指標”用了繁体字，请写 “绩效指标”"),
    ]
    # the key meant is not also said to be missing
    assert not [
        f for f in findings if f.code == "missing-key" and f.path in ("项目名称", "项目资金")
    ]


def test_missing_keys_at_line_1_or_the_parent_line() -> None:
    doc, findings = check_case("missing-key")
    assert brief(findings) == [
        (
            1,
            "项目类别",
            "missing-key",
            "缺少必填项；请添加一行 “项目类别: …”（可选：专项资金、经常性项目、一次性项目）",
        ),
        (
            8,
            "项目资金.财政资金",
            "missing-key",
            "缺少必填项；请在 “项目资金:” 下面添加一行 “财政资金: 金额”（万元）",
        ),
    ]
    assert doc is not None and "项目类别" not in doc and "财政资金" not in doc["项目资金"]


def test_fullwidth_colon_under_a_block_points_at_the_value_line() -> None:
    _, findings = check_case("fullwidth-colon", "资金.yaml")
    message = (
        "应为下一层的“键: 值”，实际为“财政资金：87.9”；这一行用了全角冒号“：”，"
        "请把全角冒号“：”改为半角冒号“:”并在其后加空格（财政资金: 87.9）"
    )
    assert brief(findings) == [(10, "项目资金", "wrong-type", message)]


# ---------------------------------------------------------------- one message each, small files


def replaced(*pairs: tuple[str, str], extra: str = "") -> str:
    """GOOD with some text replaced and lines appended."""
    text = GOOD
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    return text + extra


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            replaced(("年度: 2026", "年度: 2026年")),
            [(2, "年度", "wrong-type", "应为四位年份，实际为“2026年”；请只写数字，如 2026")],
            id="year-text",
        ),
        pytest.param(
            replaced(("年度: 2026", '年度: "2026"')),
            [(2, "年度", "wrong-type", "应为四位年份，实际为“2026”；请去掉引号，写成 2026")],
            id="year-quoted",
        ),
        pytest.param(
            replaced(("年度: 2026", "年度: 2026.0")),
            [
                (
                    2,
                    "年度",
                    "wrong-type",
                    "应为四位年份，实际为“2026.0”；年度不带小数点，请写成 2026",
                )
            ],
            id="year-with-a-point",
        ),
        pytest.param(
            replaced(("年度: 2026", "年度: 2026.5")),
            [(2, "年度", "wrong-type", "应为四位年份，实际为“2026.5”")],
            id="year-of-a-fraction",
        ),
        pytest.param(
            replaced(("年度: 2026", "年度: 1e3")),  # no point to drop
            [(2, "年度", "wrong-type", "应为四位年份，实际为“1e3”")],
            id="year-of-an-exponent",
        ),
        pytest.param(
            replaced(("年度: 2026", "年度: ２０２６")),
            [
                (
                    2,
                    "年度",
                    "wrong-type",
                    "应为四位年份，实际为“２０２６”；请改用半角数字，写成 2026",
                )
            ],
            id="year-full-width",
        ),
        pytest.param(
            replaced(("  财政资金: 87.9", '  财政资金: "2035.58"')),
            [
                (
                    11,
                    "项目资金.财政资金",
                    "wrong-type",
                    "应为数字，实际为“2035.58”；请去掉引号，写成 2035.58",
                )
            ],
            id="amount-quoted",
        ),
        pytest.param(
            replaced(("  财政资金: 87.9", "  财政资金: ２０３５")),
            [
                (
                    11,
                    "项目资金.财政资金",
                    "wrong-type",
                    "应为数字，实际为“２０３５”；请改用半角数字，写成 2035",
                )
            ],
            id="amount-full-width",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", '计划开始日期: "2026-01-01"')),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "日期加了引号，会被当作文字（实际为“2026-01-01”）；请去掉引号，写成 2026-01-01",
                )
            ],
            id="date-quoted",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: '2026-1-1'")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "日期加了引号，会被当作文字（实际为“2026-1-1”）；请去掉引号，写成 2026-01-01",
                )
            ],
            id="date-quoted-short",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: 20260101")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "应为日期 YYYY-MM-DD，实际为“20260101”；请写成 2026-01-01",
                )
            ],
            id="date-digits-only",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: ２０２６－０１－０１")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "应为日期 YYYY-MM-DD，实际为“２０２６－０１－０１”；请写成 2026-01-01",
                )
            ],
            id="date-full-width",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: 2026/2/30")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "“2026/2/30”不是有效日期；请填写日历上存在的日期（YYYY-MM-DD）",
                )
            ],
            id="date-impossible-slashes",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: 二〇二六年十二月三十一日")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "应为日期 YYYY-MM-DD，实际为“二〇二六年十二月三十一日”；请写成 2026-12-31",
                )
            ],
            id="date-chinese-numerals",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: 贰零贰陆年贰月叁拾日")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "“贰零贰陆年贰月叁拾日”不是有效日期；请填写日历上存在的日期（YYYY-MM-DD）",
                )
            ],
            id="date-impossible-capitals",
        ),
        pytest.param(
            replaced(("计划开始日期: 2026-01-01", "计划开始日期: 2026.1.1-2026.12.31")),
            [
                (
                    7,
                    "计划开始日期",
                    "bad-date",
                    "“2026.1.1-2026.12.31”写了起止两个日期；计划开始日期 只写开始的那一天："
                    "请写成 2026-01-01，结束的那一天写在 计划完成日期",
                )
            ],
            id="date-span-at-the-start",
        ),
        pytest.param(
            replaced(("计划完成日期: 2026-12-31", "计划完成日期: 2026年1月1日至2026年12月31日")),
            [
                (
                    8,
                    "计划完成日期",
                    "bad-date",
                    "“2026年1月1日至2026年12月31日”写了起止两个日期；计划完成日期 只写结束的那一天："
                    "请写成 2026-12-31，开始的那一天写在 计划开始日期",
                )
            ],
            id="date-span-at-the-end",
        ),
        pytest.param(
            replaced(("年度: 2026", "年度: 26")),
            [(2, "年度", "wrong-type", "应为四位年份，实际为 26")],
            id="year-short",
        ),
        pytest.param(
            replaced(("  财政资金: 87.9", "  财政资金: 87.9万元")),
            [
                (
                    11,
                    "项目资金.财政资金",
                    "wrong-type",
                    "应为数字，实际为“87.9万元”；请只写数字，单位是万元（由 格式.金额单位 设置）",
                )
            ],
            id="amount-unit",
        ),
        pytest.param(
            replaced(("  财政资金: 87.9", "  财政资金: true")),
            [(11, "项目资金.财政资金", "wrong-type", "应为数字，实际为“true”")],
            id="amount-bool",
        ),
        pytest.param(
            replaced(("  财政资金: 87.9", "  财政资金:")),
            [
                (
                    11,
                    "项目资金.财政资金",
                    "missing-key",
                    "没有填写金额；请填写数字（万元），没有就写 0",
                )
            ],
            id="amount-blank",
        ),
        pytest.param(
            replaced(("项目名称: 社工", "项目名称:")),
            [(3, "项目名称", "missing-key", "没有填写内容；请在冒号后填写")],
            id="text-blank",
        ),
        pytest.param(
            replaced(("项目名称: 社工", "项目名称: ''")),
            [(3, "项目名称", "missing-key", "没有填写内容；请在冒号后填写")],
            id="text-empty",
        ),
        pytest.param(
            replaced(("项目名称: 社工", "项目名称:\n  甲: 乙")),
            [(3, "项目名称", "wrong-type", "应为文字，实际为下一层的“键: 值”")],
            id="text-mapping",
        ),
        pytest.param(
            replaced(("年度资金:\n  当年财政拨款: 87.90\n", "年度资金:\n")),
            [
                (
                    12,
                    "年度资金",
                    "missing-key",
                    "没有填写内容；请在下面逐行填写当年财政拨款等金额（万元）",
                )
            ],
            id="block-blank",
        ),
        pytest.param(
            replaced(("表样: 绩效目标表", "表样: 目标表")),
            [
                (
                    1,
                    "表样",
                    "bad-choice",
                    "“目标表”不是可用的表样；可选：绩效目标表、绩效目标申报表",
                )
            ],
            id="form",
        ),
        pytest.param(
            replaced(("项目类别: 经常性项目", "项目类别: 常规")),
            [
                (
                    4,
                    "项目类别",
                    "bad-choice",
                    "“常规”不是绩效目标表的项目类别；可选：专项资金、经常性项目、一次性项目",
                )
            ],
            id="category",
        ),
        pytest.param(
            replaced(
                ("表样: 绩效目标表", "表样: 绩效目标申报表"),
                ("项目类别: 经常性项目", "项目类别: 运转类项目"),
            ),
            [
                (
                    1,
                    "项目性质",
                    "missing-key",
                    "绩效目标申报表必须填写项目性质；请添加一行 “项目性质: …”（可选：经常性项目、一次性项目、阶段性项目）",
                )
            ],
            id="nature-missing",
        ),
        pytest.param(
            replaced(extra="项目性质: 经常性项目\n"),
            [
                (
                    26,
                    "项目性质",
                    "unknown-key",
                    "绩效目标表没有“项目性质”一栏；请删除这一行，或改为 “表样: 绩效目标申报表”",
                )
            ],
            id="nature-in-target-form",
        ),
        pytest.param(
            replaced(extra="项目期间: 2026\n"),
            [(26, "项目期间", "bad-period", "应为“起始年-结束年”，例如 2025-2026，实际为“2026”")],
            id="period-one-year",
        ),
        pytest.param(
            replaced(extra="项目期间: 2026-2025\n"),
            [(26, "项目期间", "bad-period", "起始年 2026 晚于结束年 2025；请写成 2025-2026")],
            id="period-backwards",
        ),
        pytest.param(
            replaced(extra="财政资金: 1\n"),
            [(26, "财政资金", "unknown-key", "没有这一项；“财政资金” 应缩进写在 “项目资金:” 下面")],
            id="misplaced-amount",
        ),
        pytest.param(
            replaced(("  当年财政拨款: 87.90", "  当年财政拨款: 87.90\n  财政资金: 1")),
            [
                (
                    14,
                    "年度资金.财政资金",
                    "unknown-key",
                    "没有这一项；“财政资金” 应缩进写在 “项目资金:” 下面",
                )
            ],
            id="amount-in-the-other-block",
        ),
        pytest.param(
            replaced(extra="备注: 无\n"),
            [
                (
                    26,
                    "备注",
                    "unknown-key",
                    "没有这一项；这里可用的键：表样、年度、项目名称、项目类别、主管部门、实施单位、计划开始日期、"
                    "计划完成日期、项目期间、项目资金、年度资金、项目总目标、年度总体目标、绩效指标、"
                    "其他栏目、格式；本区表样上 gen 没有的栏目，请缩进写在 “其他栏目:” 下面",
                )
            ],
            id="unknown-no-match",
        ),
    ],
)
def test_field_messages(
    tmp_path: Path, text: str, expected: list[tuple[int, str, str, str]]
) -> None:
    _, findings = check_text(tmp_path, text)
    assert brief(findings) == expected


INDICATORS_AT = 18  # the line of "绩效指标:" in GOOD


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        pytest.param(
            "",
            [
                (
                    0,
                    "绩效指标",
                    "empty-indicators",
                    "没有任何绩效指标；请按 一级指标 → 二级指标 → 三级指标: 指标值 至少填写一项",
                )
            ],
            id="none",
        ),
        pytest.param(
            " {}",
            [
                (
                    0,
                    "绩效指标",
                    "empty-indicators",
                    "没有任何绩效指标；请按 一级指标 → 二级指标 → 三级指标: 指标值 至少填写一项",
                )
            ],
            id="empty-mapping",
        ),
        pytest.param(
            "\n  产出指标:",
            [
                (
                    1,
                    "绩效指标.产出指标",
                    "empty-indicators",
                    "这个一级指标下没有二级指标；请补上二级指标和三级指标，或删除这一行",
                )
            ],
            id="level1",
        ),
        pytest.param(
            "\n  产出指标:\n    数量指标:",
            [
                (
                    2,
                    "绩效指标.产出指标.数量指标",
                    "empty-indicators",
                    "这个二级指标下没有三级指标；请补上 “三级指标: 指标值”，或删除这一行",
                )
            ],
            id="level2",
        ),
        pytest.param(
            "\n  产出指标:\n    数量指标:\n      社工数量:\n      人数: ''",
            [
                (
                    3,
                    "绩效指标.产出指标.数量指标.社工数量",
                    "empty-indicator-value",
                    "没有填写指标值；请填写，例如 100%、≥8次、提升",
                ),
                (
                    4,
                    "绩效指标.产出指标.数量指标.人数",
                    "empty-indicator-value",
                    "没有填写指标值；请填写，例如 100%、≥8次、提升",
                ),
            ],
            id="values",
        ),
        pytest.param(
            "\n  产出指标:\n    数量指标: 118人",
            [
                (
                    2,
                    "绩效指标.产出指标.数量指标",
                    "wrong-type",
                    "应为下一层的“键: 值”，实际为“118人”",
                )
            ],
            id="level2-text",
        ),
        pytest.param(
            "\n  产出指标:\n    数量指标:\n      社工数量:\n        人: 1",
            [
                (
                    3,
                    "绩效指标.产出指标.数量指标.社工数量",
                    "wrong-type",
                    "应为指标值（文字或数字），实际为下一层的“键: 值”",
                )
            ],
            id="value-mapping",
        ),
    ],
)
def test_indicator_messages(
    tmp_path: Path, tree: str, expected: list[tuple[int, str, str, str]]
) -> None:
    text = GOOD.split("绩效指标:")[0] + "绩效指标:" + tree + "\n"
    doc, findings = check_text(tmp_path, text)
    shifted = [(INDICATORS_AT + offset, *rest) for offset, *rest in expected]
    assert brief(findings) == shifted
    assert doc is not None and "绩效指标" not in doc


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        pytest.param(
            "  日期格式: YYYY-MM",
            [
                (
                    27,
                    "格式.日期格式",
                    "bad-choice",
                    "“YYYY-MM”缺少日；年写 YYYY，月写 M 或 MM，日写 D 或 DD，例如 YYYY.MM.DD、YYYY年M月D日",
                )
            ],
            id="date-pattern",
        ),
        pytest.param(
            "  金额小数位: 7",
            [(27, "格式.金额小数位", "bad-choice", "应为 0 到 6 之间的整数，实际为 7")],
            id="decimals-high",
        ),
        pytest.param(
            "  金额小数位: -1",
            [(27, "格式.金额小数位", "bad-choice", "应为 0 到 6 之间的整数，实际为 -1")],
            id="decimals-negative",
        ),
        pytest.param(
            "  金额小数位: 两位",
            [(27, "格式.金额小数位", "wrong-type", "应为 0 到 6 之间的整数，实际为“两位”")],
            id="decimals-text",
        ),
        pytest.param(
            "  千分位: 是",
            [(27, "格式.千分位", "wrong-type", "应为 true 或 false，实际为“是”")],
            id="thousands",
        ),
        pytest.param(
            "  零值: 无",
            [(27, "格式.零值", "bad-choice", "“无”不是可用的零值写法；可选：空白、0、0.00")],
            id="zero",
        ),
        pytest.param(
            "  金额单位: 千元",
            [(27, "格式.金额单位", "bad-choice", "“千元”不是可用的金额单位；可选：万元、元")],
            id="unit",
        ),
    ],
)
def test_format_messages(
    tmp_path: Path, options: str, expected: list[tuple[int, str, str, str]]
) -> None:
    doc, findings = check_text(tmp_path, GOOD + "格式:\n" + options + "\n")
    assert brief(findings) == expected
    assert doc is not None
    key = expected[0][1].split(".")[1]
    assert key not in doc["格式"] and len(doc["格式"]) == len(FORMAT_DEFAULTS) - 1


def test_all_problems_of_a_file_are_collected(tmp_path: Path) -> None:
    text = replaced(
        ("年度: 2026", "年度: 二〇二六"),
        ("项目类别: 经常性项目\n", ""),
        ("计划完成日期: 2026-12-31", "计划完成日期: 2026-02-30"),
        ("  财政资金: 87.9", "  财政资金: -1"),
        ("      社工满意度: 100%", "      社工满意度:"),
    )
    _, findings = check_text(tmp_path, text)
    assert [(f.line, f.code) for f in findings] == [
        (1, "missing-key"),
        (2, "wrong-type"),
        (7, "bad-date"),
        (10, "negative-amount"),
        (24, "empty-indicator-value"),
    ]


# ---------------------------------------------------------------- the quick check before cerberus

_SCALAR_VALUES = [None, True, 0, 2, -1, 7, Decimal("87.9"), Decimal("-0.01"), "", "文字"]
_SCALAR_VALUES += [date(2026, 1, 1), "YYYY.MM.DD", "空白", "万元", "元", [], {}]
_SCALARS = st.sampled_from(_SCALAR_VALUES)
_FITTING = {  # values that fit below each block, so that many drawn blocks pass every rule
    "项目资金": [0, 7, Decimal("87.9"), None],
    "年度资金": [0, 7, Decimal("87.9"), None],
    "格式": ["YYYY.MM.DD", 2, True, "空白", "万元", None],
    "绩效指标": ["文字", "100%"],
}
_FITTING_OPTION = {  # what fits each 格式 option
    "日期格式": ["YYYY.MM.DD", "YYYY年M月D日", None],
    "金额小数位": [0, 2, 6, None],
    "千分位": [True, False, None],
    "零值": ["空白", "0.00", None],
    "金额单位": ["万元", "元", None],
}
_FLAWED = {  # values each breaking one rule somewhere below the block
    "项目资金": [-1, Decimal("-0.01"), True, "87.9", date(2026, 1, 1)],
    "年度资金": [-1, Decimal("-0.01"), False, "87.9", []],
    "格式": [7, -1, "元角", "", False, "true", Decimal(2), {}],
    "绩效指标": ["", 2, None, {}, []],
}


def _below(block: str) -> st.SearchStrategy[Any]:
    """What may be written below a block: mostly its own keys (the required ones always) with
    values that mostly fit, three levels for 绩效指标; sometimes any keys, or a scalar instead.

    Mostly fitting, so that a block with a single flaw, the one a wrong quick check would miss,
    is drawn often."""
    fitting = st.sampled_from(_FITTING[block])
    values = st.one_of(fitting, fitting, st.sampled_from(_FLAWED[block]))
    if block == "绩效指标":
        names = st.sampled_from(["甲", "乙", "丙"])
        level3 = st.dictionaries(names, values, max_size=2)
        tree = st.dictionaries(
            names, st.dictionaries(names, level3 | _SCALARS, max_size=2), max_size=3
        )
    else:
        rules = project_schema(None)[block]["schema"]
        fit = {key: st.sampled_from(_FITTING_OPTION.get(key, _FITTING[block])) for key in rules}
        flaw = st.sampled_from(_FLAWED[block])
        own = {key: st.one_of(fit[key], fit[key], flaw) for key in rules}
        required = {key: own[key] for key, rule in rules.items() if rule.get("required")}
        optional = {key: own[key] for key in rules if key not in required}
        tree = st.fixed_dictionaries(required, optional=optional) | st.dictionaries(
            st.sampled_from([*rules, "未知键"]), values, max_size=4
        )
    return st.one_of(tree, tree, _SCALARS)


_FORMS = st.sampled_from([None, *FORMS])
_BLOCKS = st.sampled_from(list(_FITTING)).flatmap(lambda b: st.tuples(st.just(b), _below(b)))
FEW = settings(max_examples=60, deadline=None, derandomize=True, database=None)
MANY = settings(FEW, max_examples=3000, derandomize=False)


def assert_quick_check_agrees(form: str | None, case: tuple[str, Any]) -> None:
    """surely_valid() passes a block exactly when cerberus finds nothing wrong with it: never
    one with a problem (cerberus would skip its rules), and every fitting one (else no gain)."""
    block, value = case
    rules = project_schema(form)[block]
    validator = ProjectValidator({block: rules})
    assert surely_valid(rules, value) == validator.validate({block: value}, normalize=False)


@pytest.mark.parametrize("value", [["甲", "乙"], [], None, "甲"])
def test_the_quick_check_leaves_a_list_schema_to_cerberus(value: Any) -> None:
    """A list's `schema` holds its items' rules, not keys: the quick check vouches for nothing."""
    assert surely_valid({"type": "list", "schema": {"type": "string"}}, value) is False


@FEW
@given(_FORMS, _BLOCKS)
def test_what_the_quick_check_passes_cerberus_passes_too(
    form: str | None, case: tuple[str, Any]
) -> None:
    assert_quick_check_agrees(form, case)


@pytest.mark.slow
@MANY
@given(_FORMS, _BLOCKS)
def test_the_quick_check_agrees_with_cerberus_on_many_blocks(
    form: str | None, case: tuple[str, Any]
) -> None:
    assert_quick_check_agrees(form, case)


def _one_flaw(block: str) -> Iterator[Any]:
    """A block where everything fits but one thing: a value, a key left out or one added."""
    flaws = [*_FLAWED[block], *_SCALAR_VALUES]
    if block == INDICATORS:
        yield from ({"产出指标": {"数量指标": {"次数": flaw}}} for flaw in flaws)
        yield from ({"产出指标": {"数量指标": flaw}} for flaw in flaws)
        yield from ({"产出指标": flaw} for flaw in flaws)
        return
    rules = project_schema(None)[block]["schema"]
    fitting = {key: _FITTING_OPTION.get(key, _FITTING[block])[0] for key in rules}
    for key in [*rules, "未知键"]:
        yield {name: value for name, value in fitting.items() if name != key}
        yield from ({**fitting, key: flaw} for flaw in flaws)


@pytest.mark.parametrize("form", [None, *FORMS])
def test_the_quick_check_agrees_with_cerberus_on_every_single_flaw(form: str | None) -> None:
    for block in _FITTING:
        for value in _one_flaw(block):
            assert_quick_check_agrees(form, (block, value))


_GOOD_SOURCE = parse_text(Path("p.yaml"), GOOD)[0]


def assert_same_with_and_without_quick_check(form: str, blocks: list[tuple[str, Any]]) -> None:
    """A project whose blocks are drawn validates to the same document and findings whether
    cerberus checks every block or only those the quick check does not vouch for."""
    assert _GOOD_SOURCE is not None
    data = {**_GOOD_SOURCE.data, "表样": form, **dict(blocks)}
    source = replace(_GOOD_SOURCE, data=data)
    quick = validate(source)
    with patch("gen.schema._proven", return_value=frozenset()):
        assert validate(source) == quick


@FEW
@given(st.sampled_from(FORMS), st.lists(_BLOCKS, max_size=4))
def test_a_project_validates_alike_with_the_quick_check(
    form: str, blocks: list[tuple[str, Any]]
) -> None:
    assert_same_with_and_without_quick_check(form, blocks)


@pytest.mark.slow
@MANY
@given(st.sampled_from(FORMS), st.lists(_BLOCKS, max_size=4))
def test_many_projects_validate_alike_with_the_quick_check(
    form: str, blocks: list[tuple[str, Any]]
) -> None:
    assert_same_with_and_without_quick_check(form, blocks)


def test_the_quick_check_vouches_for_a_clean_project(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(GOOD + "格式:\n  千分位: true\n", encoding="utf-8")
    source, _ = parse_file(path)
    assert source is not None
    schema = project_schema(None)
    assert all(
        surely_valid(schema[key], source.data[key]) for key in ("项目资金", "年度资金", "格式")
    )
    text = {
        level2: dict.fromkeys(rows, "文字")
        for level2, rows in source.data["绩效指标"]["产出指标"].items()
    }
    assert surely_valid(schema["绩效指标"], {"产出指标": text})
    assert not surely_valid(schema["绩效指标"], {"产出指标": {"数量指标": {}}})
    assert not surely_valid(schema["项目资金"], {"财政资金": Decimal(-1)})
    assert not surely_valid(schema["项目资金"], {"其他资金": 1})  # 财政资金 is required


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("YYYY-MMM-DD", "“YYYY-MMM-DD”里的“MMM”不是日期格式的写法"),
        ("YYYY年MM月DDD日", "“YYYY年MM月DDD日”里的“DDD”不是日期格式的写法"),
        ("YYYYY-MM-DD", "“YYYYY-MM-DD”里的“YYYYY”不是日期格式的写法"),
        ("YYYY.MM.DD Day", "“YYYY.MM.DD Day”里的“Day”不是日期格式的写法"),
        ("yyyy-mm-dd", "“yyyy-mm-dd”里的“yyyy”不是日期格式的写法"),
        ("YY-MM-DD", "“YY-MM-DD”里的“YY”不是日期格式的写法"),
        ("M月D日", "“M月D日”缺少年"),
        ("YYYY-MM-DD（MM）", "“YYYY-MM-DD（MM）”里的月写了不止一次"),
    ],
)
def test_a_date_pattern_that_would_print_a_wrong_date_is_refused(
    tmp_path: Path, pattern: str, problem: str
) -> None:
    _, findings = check_text(tmp_path, GOOD + f"格式:\n  日期格式: {pattern}\n")
    assert [(f.path, f.code) for f in findings] == [("格式.日期格式", "bad-choice")]
    assert findings[0].message.startswith(problem + "；年写 YYYY，月写 M 或 MM，日写 D 或 DD")


@pytest.mark.parametrize("pattern", ["YYYY.MM.DD", "YYYY年M月D日", "YYYY-M-D", "DD/MM/YYYY"])
def test_the_usual_date_patterns_pass(pattern: str) -> None:
    from gen.schema import date_pattern_problem

    assert date_pattern_problem(pattern) is None


def test_a_zero_width_space_in_a_key_or_an_amount_is_named(tmp_path: Path) -> None:
    text = GOOD.replace("  财政资金: ", "  财政资金\u200b: ", 1)
    assert text != GOOD
    _, findings = check_text(tmp_path, text)
    looks = "它在编辑器里像一个空格，或者看不见"
    assert [(f.code, f.message) for f in findings] == [
        (
            "unknown-key",
            f"键“财政资金”里多了字符 U+200B（零宽空格），{looks}；请把这个键删掉重新输入",
        )
    ]
    amount = GOOD.replace("  财政资金: 87.9", "  财政资金: 87.9\u200b", 1)
    assert amount != GOOD
    _, findings = check_text(tmp_path, amount)
    assert [(f.code, f.message) for f in findings] == [
        (
            "wrong-type",
            f"应为数字，实际为“87.9\u200b”；其中多了字符 U+200B（零宽空格），{looks}；请删掉它，写成 87.9",
        )
    ]


@pytest.mark.parametrize(
    ("old", "new", "path", "level"),
    [
        ("      社工数量: 118人", "      '': 118人", "绩效指标.产出指标.数量指标.", "三级"),
        (
            "      社工数量: 118人",
            "      ' \u3000': 118人",
            "绩效指标.产出指标.数量指标. \u3000",
            "三级",
        ),
        ("    数量指标:", "    '':", "绩效指标.产出指标.", "二级"),
        ("  产出指标:", "  '':", "绩效指标.", "一级"),
    ],
)
def test_an_indicator_without_a_name_is_an_error(
    tmp_path: Path, old: str, new: str, path: str, level: str
) -> None:
    """What `gen import` makes of a half-filled row: it would print a blank cell."""
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    _, findings = check_text(tmp_path, text)
    message = f"{level}指标的名称是空的，表上会印成空白；请填写名称，或删除这一项"
    errors = [(f.path, f.code, f.message) for f in findings if f.level == "error"]
    assert errors == [(path, "empty-indicator-name", message)]


# ---------------------------------------------------------------- 其他栏目: a district's own rows


def test_other_rows_are_kept_as_written_by_their_labels(tmp_path: Path) -> None:
    text = replaced(
        extra="其他栏目:\n  项目负责人: 张三\n  联系电话: 64110000\n  '联 系 人：': 017\n  备用:\n"
    )
    doc, findings = check_text(tmp_path, text)
    assert findings == []
    assert doc is not None
    assert doc["其他栏目"] == {
        "项目负责人": "张三",
        "联系电话": "64110000",
        "联系人": "017",
        "备用": "",
    }
    assert list(doc)[-2:] == ["其他栏目", "格式"]


def test_other_rows_must_be_text_under_a_named_row(tmp_path: Path) -> None:
    start = len(GOOD.splitlines()) + 1  # the line of 其他栏目:
    text = replaced(
        extra="其他栏目:\n  项目负责人:\n    姓名: 张三\n  '  ': 李四\n  联系电话: [1, 2]\n"
    )
    assert brief(check_text(tmp_path, text)[1]) == [
        (start + 1, "其他栏目.项目负责人", "wrong-type", "应为文字，实际为下一层的“键: 值”"),
        (
            start + 3,
            "其他栏目.  ",
            "empty-other-label",
            "栏目名称是空的；请写表格上这一栏的名称（如 项目负责人），或删除这一行",
        ),
        (start + 4, "其他栏目.联系电话", "wrong-type", "应为文字，实际为一个列表"),
    ]
    assert brief(check_text(tmp_path, replaced(extra="其他栏目: 张三\n"))[1]) == [
        (start, "其他栏目", "wrong-type", "应为下一层的“键: 值”，实际为“张三”")
    ]

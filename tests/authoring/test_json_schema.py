"""The editor's JSON Schema: committed as generated, accepts the samples, rejects what gen check rejects."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import GOOD_PROJECT, REPO, SAMPLES

from gen.authoring.json_schema import SCHEMA_FILE, project_json_schema, schema_text
from gen.cli import main
from gen.load import Loader
from gen.schema import validate


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it (YAML 1.2: a date is text)."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_VALIDATOR = jsonschema.Draft202012Validator(project_json_schema())


def _json_errors(text: str) -> list[str]:
    """What the JSON Schema says about a file's text."""
    data = yaml.load(text, Loader=_EditorLoader)  # noqa: S506 (a SafeLoader subclass)
    return [error.message for error in _VALIDATOR.iter_errors(data)]


def _gen_errors(text: str, tmp_path: Path) -> list[str]:
    """What gen's schema says about the same text."""
    path = tmp_path / "项目.yaml"
    path.write_text(text, encoding="utf-8")
    source, findings = Loader(tmp_path).load(path)
    assert source is not None, findings
    _, found = validate(source)
    return [f"{f.code}: {f.message}" for f in found if f.is_error]


def test_committed_schema_is_what_gen_schema_prints(runner):
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text()
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0 and result.stdout == committed


def test_gen_schema_writes_a_file(runner, in_tmp):
    result = runner.invoke(main, ["schema", "-o", "schema/project.schema.json"])
    assert result.exit_code == 0
    assert result.stderr == "已写入 schema/project.schema.json\n"
    assert Path("schema/project.schema.json").read_text(encoding="utf-8") == schema_text()


def test_schema_is_valid_draft_2020_12():
    schema = json.loads((REPO / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_offers_the_choices_and_chinese_help():
    schema = project_json_schema()
    properties = schema["properties"]
    assert properties["表样"]["enum"] == ["绩效目标表", "绩效目标申报表", None]
    assert properties["项目性质"]["enum"] == [
        *("经常性项目", "一次性项目", "阶段性项目"),
        *("经常性", "一次性", "阶段性"),
    ]
    assert properties["格式"]["properties"]["金额单位"]["enum"] == ["万元", "元", None]
    assert properties["格式"]["properties"]["零值"]["enum"] == ["空白", "0", "0.00", 0, None]
    assert properties["项目类别"]["title"] == "项目类别"
    indicators = properties["绩效指标"]
    assert list(indicators["properties"]) == ["产出指标", "效益指标", "满意度指标", "成本指标"]
    assert list(indicators["properties"]["产出指标"]["properties"]) == [
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
    ]
    assert indicators["additionalProperties"]["type"] == "object"  # other names: warnings only


def test_vscode_maps_the_projects_to_the_schema():
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./" + SCHEMA_FILE] == [
        "projects/**/*.yaml",
        "projects/**/*.yml",
    ]


@pytest.mark.parametrize(
    "path", sorted(SAMPLES.rglob("*.yaml")), ids=lambda p: p.relative_to(SAMPLES).as_posix()
)
def test_every_sample_file_validates(path):
    assert _json_errors(path.read_text(encoding="utf-8")) == []


def _edit(old: str, new: str) -> str:
    """GOOD_PROJECT with its first `old` replaced."""
    assert old in GOOD_PROJECT
    return GOOD_PROJECT.replace(old, new, 1)


_APPLICATION = "表样: 绩效目标申报表\n项目性质: 经常性项目\n"
_INDICATORS = GOOD_PROJECT[GOOD_PROJECT.index("绩效指标:") :]
_FUNDS = "项目资金:\n  项目资金总额: 3082.53\n  财政资金: 3082.53\n  其他资金: 0\n"

BAD = {
    "年度是文字": _edit("年度: 2026", "年度: 二〇二六"),
    "年度不是四位": _edit("年度: 2026", "年度: 26"),
    "项目名称是映射": _edit("项目名称: 社工", "项目名称:\n  名称: 社工"),
    "项目名称是列表": _edit("项目名称: 社工", "项目名称: [社工]"),
    "项目名称是空文字": _edit("项目名称: 社工", "项目名称: ''"),
    "项目名称空着": _edit("项目名称: 社工", "项目名称:"),
    "未知的键": _edit("项目名称: 社工", "项目名称: 社工\n项目名: 社工"),
    "资金里未知的键": _edit("  财政资金: 3082.53", "  财政资金: 3082.53\n  自筹资金: 0"),
    "格式里未知的键": GOOD_PROJECT + "格式:\n  字体: 宋体\n",
    "表样不对": _edit("表样: 绩效目标表", "表样: 绩效表"),
    "项目类别不对": _edit("项目类别: 经常性项目", "项目类别: 常规项目"),
    "目标表用了申报表的项目类别": _edit("项目类别: 经常性项目", "项目类别: 运转类项目"),
    "目标表写了项目性质": _edit(
        "项目类别: 经常性项目", "项目类别: 经常性项目\n项目性质: 经常性项目"
    ),
    "申报表用了目标表的项目类别": _edit("表样: 绩效目标表\n", _APPLICATION),
    "项目性质不对": _edit("表样: 绩效目标表\n", "表样: 绩效目标申报表\n项目性质: 专项\n").replace(
        "项目类别: 经常性项目", "项目类别: 运转类项目"
    ),
    "财政资金为负": _edit("  财政资金: 3082.53", "  财政资金: -1"),
    "上年结转资金为负": _edit("  上年结转资金: 0", "  上年结转资金: -0.5"),
    "金额是文字": _edit("  财政资金: 3082.53", "  财政资金: 三千"),
    "金额带千分位": _edit("  财政资金: 3082.53", "  财政资金: 3,082.53"),
    "金额是 true": _edit("  财政资金: 3082.53", "  财政资金: true"),
    "必填金额空着": _edit("  当年财政拨款: 3082.53", "  当年财政拨款:"),
    "缺财政资金": _edit("  财政资金: 3082.53\n", ""),
    "资金不是映射": _edit(_FUNDS, "项目资金: 3082.53\n"),
    "日期的月份不存在": _edit("计划开始日期: 2026-01-01", "计划开始日期: 2026-13-01"),
    "日期写成中文": _edit("计划开始日期: 2026-01-01", "计划开始日期: 2026年1月1日"),
    "日期用斜杠": _edit("计划开始日期: 2026-01-01", "计划开始日期: 2026/01/01"),
    "日期是数字": _edit("计划完成日期: 2026-12-31", "计划完成日期: 20261231"),
    "项目期间写法不对": _edit("项目名称: 社工", "项目名称: 社工\n项目期间: 2025至2026"),
    "项目期间是数字": _edit("项目名称: 社工", "项目名称: 社工\n项目期间: 2026"),
    "绩效指标为空": _edit(_INDICATORS, "绩效指标: {}\n"),
    "一级指标下为空": _edit(_INDICATORS, "绩效指标:\n  产出指标: {}\n"),
    "二级指标下为空": _edit(_INDICATORS, "绩效指标:\n  产出指标:\n    数量指标: {}\n"),
    "指标值空着": _edit("      社工数量: 118人", "      社工数量:"),
    "指标值是列表": _edit("      社工数量: 118人", "      社工数量: [118人]"),
    "指标多了一层": _edit("      社工数量: 118人", "      社工数量:\n        人数: 118人"),
    "三级指标没有名称": _edit("      社工数量: 118人", "      '': 118人"),
    "二级指标名称只有空格": _edit("    数量指标:", "    '　':"),
    "一级指标没有名称": _edit("  产出指标:", "  '':"),
    "零值不对": GOOD_PROJECT + "格式:\n  零值: 无\n",
    "金额小数位太大": GOOD_PROJECT + "格式:\n  金额小数位: 9\n",
    "金额小数位是文字": GOOD_PROJECT + "格式:\n  金额小数位: 两位\n",
    "千分位不是真假": GOOD_PROJECT + "格式:\n  千分位: 是\n",
    "日期格式缺日": GOOD_PROJECT + "格式:\n  日期格式: YYYY年M月\n",
    "日期格式的月写了三个 M": GOOD_PROJECT + "格式:\n  日期格式: YYYY-MMM-DD\n",
    "日期格式多了字母": GOOD_PROJECT + "格式:\n  日期格式: YYYY.MM.DD Day\n",
    "日期格式的年写了五个 Y": GOOD_PROJECT + "格式:\n  日期格式: YYYYY-MM-DD\n",
    "格式不是映射": GOOD_PROJECT + "格式: 宋体\n",
    "金额单位不对": GOOD_PROJECT + "格式:\n  金额单位: 千元\n",
    "目标表用了申报表的简称": _edit("项目类别: 经常性项目", "项目类别: 特定目标类"),
    "申报表用了目标表的简称": _edit("表样: 绩效目标表\n", _APPLICATION).replace(
        "项目类别: 经常性项目", "项目类别: 经常性"
    ),
}

GOOD = {
    "样例": GOOD_PROJECT,
    "项目名称是数字": _edit("项目名称: 社工", "项目名称: 2026"),
    "日期不补零": _edit("计划开始日期: 2026-01-01", "计划开始日期: 2026-1-1"),
    "指标值是数字": _edit("      社工数量: 118人", "      社工数量: 118"),
    "其他资金空着": _edit("  其他资金: 0", "  其他资金:"),
    "不写表样": _edit("表样: 绩效目标表\n", ""),
    "申报表": _edit("表样: 绩效目标表\n", _APPLICATION).replace(
        "项目类别: 经常性项目", "项目类别: 运转类项目"
    ),
    "非标准的指标名称": _edit("    数量指标:", "    数目指标:"),
    "格式": GOOD_PROJECT + "格式:\n  日期格式: YYYY年M月D日\n  零值: 0\n  千分位: true\n",
    "格式空着": GOOD_PROJECT + "格式:\n",
    "金额单位为元": GOOD_PROJECT + "格式:\n  金额单位: 元\n  零值: '0.00'\n  千分位: true\n",
    "零值 0.00 不加引号": GOOD_PROJECT + "格式:\n  零值: 0.00\n",
    "目标表的简称": _edit("项目类别: 经常性项目", "项目类别: 一次性"),
    "申报表的简称": _edit("表样: 绩效目标表\n", "表样: 绩效目标申报表\n项目性质: 一次性\n").replace(
        "项目类别: 经常性项目", "项目类别: 其他运转类"
    ),
    "多年项目": _edit("项目名称: 社工", "项目名称: 社工\n项目期间: 2025-2026"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_both_schemas_reject(name, tmp_path):
    text = BAD[name]
    assert _gen_errors(text, tmp_path), "gen check accepts it"
    assert _json_errors(text), "the JSON Schema accepts it"


@pytest.mark.parametrize("name", list(GOOD))
def test_both_schemas_accept(name, tmp_path):
    text = GOOD[name]
    assert _gen_errors(text, tmp_path) == []
    assert _json_errors(text) == []


def test_an_unwritable_schema_file_is_reported(runner, in_tmp):
    (in_tmp / "afile").write_text("")
    result = runner.invoke(main, ["schema", "-o", "afile/s.json"])
    assert result.exit_code == 1
    assert result.stderr == "错误：无法写入 afile/s.json：路径中有一个同名文件挡住了文件夹\n"


def test_a_read_only_schema_file_is_never_replaced(runner, in_tmp):
    kept = in_tmp / "s.json"
    kept.write_text("{}")
    kept.chmod(0o444)  # the 只读 attribute on Windows
    result = runner.invoke(main, ["schema", "-o", "s.json"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "错误：无法写入 s.json：文件是只读的，没有覆盖；请取消它的只读属性后重试，或另选一个文件名\n"
    )
    assert kept.read_text() == "{}"
